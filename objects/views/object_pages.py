"""An object's pages: each version with its resources, the compare of two versions, and a
version's JSON (/api/v1/objects/<ObjectID>/<Ver>/)."""

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from objects.catalog.code_targets import code_compatibility
from objects.catalog.compare import compare_versions
from objects.catalog.reads import get_version, read_findings, read_resources, retry_if_swapped
from objects.catalog.resources import usage_counts
from objects.context_processors import last_sync
from objects.lwm2m import ranges
from objects.lwm2m.fields import RESOURCE_FIELDS
from objects.lwm2m.ids import parse_object_id
from objects.lwm2m.versions import BadVersion, format_version, parse_version
from objects.mirror.json_api import api_error, api_view
from objects.mirror.registry_api import (
    MIRROR_FIELDS,
    DefinitionLinks,
    canonical_origin,
    registry_item,
)
from objects.mirror.repository_layout import ddf_path
from objects.models import ObjectVersion
from objects.quality.compatibility import leshan
from objects.templatetags.registry import web_url
from objects.views.common import not_found


def object_versions(object_id):
    """Every version of an object, oldest first, without the heavy columns."""
    return list(
        ObjectVersion.objects.defer("search_text")
        .filter(object_id=object_id)
        .order_by("ver_major", "ver_minor")
    )


def find_version(versions, ver):
    try:
        wanted = parse_version(ver)
    except BadVersion:
        return None
    return next((v for v in versions if (v.ver_major, v.ver_minor) == wanted), None)


def latest_version(raw_id):
    """The object's latest version (else its newest), or Http404."""
    try:
        versions = object_versions(parse_object_id(raw_id))
    except ValueError:
        raise Http404("no such object") from None
    if not versions:
        raise Http404("no such object")
    return next((v for v in versions if v.is_latest), versions[-1])


def resolve_object(request, raw_id):
    """(object_id, versions) or a 404 response that offers a search."""
    try:
        object_id = parse_object_id(raw_id)
    except ValueError:
        return None, not_found(request, f"There is no object {raw_id!s:.40}.", raw_id[:40])
    versions = object_versions(object_id)
    if not versions:
        return None, not_found(request, f"There is no object {object_id}.", str(object_id))
    return object_id, versions


def canonical_redirect(request, raw_id, object_id, ver=None, version=None):
    """A permanent redirect to the page's one URL when it was asked by another spelling
    (/objects/0003/, /objects/3/1/, /objects/3/latest/), else None: a link pasted into a
    ticket then names one page, whatever the spelling. Without `version`, the object's page."""
    if version is None:
        wanted = reverse("objects:object", args=[object_id])
        other = raw_id != str(object_id) or ver is not None
    else:
        wanted = reverse("objects:version", args=[object_id, version.ver])
        other = raw_id != str(object_id) or ver != version.ver
    if not other:
        return None
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(wanted + (f"?{query}" if query else ""))


@require_safe
@retry_if_swapped
def object_detail(request, object_id, ver=None):
    raw_id = object_id
    object_id, versions = resolve_object(request, object_id)
    if object_id is None:
        return versions
    if ver in (None, "latest"):
        redirect = canonical_redirect(request, raw_id, object_id, ver)
        if redirect is not None:
            return redirect
    if ver is None:
        version = next((v for v in versions if v.is_latest), versions[-1])
    else:
        version = find_version(versions, ver)
        if version is None:
            message = f"Object {object_id} has no version {ver:.40}."
            return not_found(request, message, str(object_id))
        redirect = canonical_redirect(request, raw_id, object_id, ver, version)
        if redirect is not None:
            return redirect
    for before, after in zip([None, *versions], versions, strict=False):
        after.previous = before
    context = {
        "version": version,
        "versions": versions,
        "object_link": object_link(version),
        "canonical": request.build_absolute_uri(request.path),
        "resources": read_resources(version)[version.pk],
        # Read only when the panel's cached copy is missing (the template calls it).
        "findings": lambda: own_findings(read_findings(version)),
        "oma_findings": lambda: oma_findings(read_findings(version)),
        "code_targets": CODE_TARGET_NAMES,
        "compatibility": lambda: compatibility(
            last_sync(request), version, own_findings(read_findings(version))
        ),
        # How many objects' latest versions define each resource ID, for its link.
        "usage": usage_counts(last_sync(request)),
    }
    return render(request, "objects/object.html", context)


def object_link(version):
    """The page's ObjectLink, the one the mirror API gives: this site's copy in its repository
    layout (MIRROR_OBJECT_LINKS=local, the definition stored), else the registry's own link (a
    clone's is a guess at GitHub's copy, which may differ from the clone's), "" unless http(s)."""
    if settings.MIRROR_OBJECT_LINKS == "local" and version.definition_sha256:
        name = ddf_path(version.object_id, version.ver_major, version.ver_minor, version.is_latest)
        return reverse("objects:registry_file", kwargs={"name": name})
    return web_url(version.object_link)


@require_safe
@retry_if_swapped
def compare(request, object_id, a, b):
    object_id, versions = resolve_object(request, object_id)
    if object_id is None:
        return versions
    old, new = find_version(versions, a), find_version(versions, b)
    if old is None or new is None:
        missing = a if old is None else b
        message = f"Object {object_id} has no version {missing:.40}."
        return not_found(request, message, str(object_id))
    resources = read_resources(old, new)
    context = {
        "object_id": object_id,
        "versions": versions,
        "old": old,
        "new": new,
        "diff": compare_versions(old, new, resources[old.pk], resources[new.pk]),
    }
    return render(request, "objects/compare.html", context)


@require_safe
def compare_form(request, object_id):
    """The compare form's GET target: on to the canonical compare URL. Without versions (the
    form's own address, typed or shared): the latest version against the one before it."""
    a, b = request.GET.get("a", "")[:40], request.GET.get("b", "")[:40]
    if not a and not b:
        found, versions = resolve_object(request, object_id)
        if found is None:
            return versions
        if len(versions) < 2:
            return HttpResponseRedirect(reverse("objects:object", args=[found]))
        a, b = versions[-2].ver, versions[-1].ver
    try:
        a, b = (format_version(*parse_version(v)) for v in (a, b))
        object_id = parse_object_id(object_id)
    except ValueError:
        return not_found(request, "Choose two versions to compare.", object_id[:40])
    return HttpResponseRedirect(reverse("objects:compare", args=[object_id, a, b]))


CODE_TARGET_NAMES = (
    ("anjay", "Anjay"), ("wakaama", "Wakaama"), ("zephyr", "Zephyr"), ("nordic", "Nordic's types"),
)  # fmt: skip


def compatibility(run, version, findings):
    """Which tools can load the version's definition, and which SDKs' code can express it
    (none without a definition)."""
    if version.status != ObjectVersion.OK:
        return {}
    found = {"leshan": leshan(version.lwm2m_version, findings)}
    return found | code_compatibility(run, version.definition_sha256)


def own_findings(findings):
    """The findings of our own rules (the verdict and the tools' compatibility are theirs)."""
    return [f for f in findings if not f.oma_code]


def oma_findings(findings):
    """The findings with OMA's fault IDs, by code."""
    return sorted((f for f in findings if f.oma_code), key=lambda f: (f.oma_code, f.line or 0))


def finding_json(finding):
    return {
        "Rule": finding.rule,
        "Severity": finding.severity,
        "ResourceID": finding.resource_id,
        "Message": finding.message,
        "OMACode": finding.oma_code or None,
        "Line": finding.line,
        "Hint": finding.hint,
    }


def range_json(resource):
    """What the one range reader makes of a resource's RangeEnumeration (None when empty)."""
    read = ranges.read(resource.range_enumeration, resource.type)
    return read.as_json() if read else None


@api_view
@retry_if_swapped
def object_version_json(request, object_id, ver):
    """GET /api/v1/objects/<ObjectID>/<Ver>/: one version with its definition and resources;
    `latest` for <Ver> is the object's latest version, as on its page."""
    try:
        version = latest_version(object_id) if ver == "latest" else get_version(object_id, ver)
    except Http404:
        return api_error(404, f"no object {object_id} version {ver}"[:200])
    findings = read_findings(version)
    links = DefinitionLinks(canonical_origin(request))
    data = registry_item([getattr(version, name) for name in MIRROR_FIELDS], links)
    data["ObjectLink"] = version.object_link
    data["Label"] = version.label_code  # our APIs' form (oma, ext, x), the list's filter's
    data.update(
        {
            "IsLatest": version.is_latest,
            "Definition": {
                "Status": version.status,
                "Reason": version.status_reason,
                "URL": links(version.object_id, version.ver) if version.definition_sha256 else "",
                "SHA256": version.definition_sha256,
                "LWM2MVersion": version.lwm2m_version,
                "MultipleInstances": version.multiple_instances,
                "Mandatory": version.mandatory,
                "Description2": version.description2,
            },
            "Quality": version.quality,
            "Findings": [finding_json(f) for f in findings],
            "Compatibility": compatibility(last_sync(request), version, own_findings(findings)),
            "Resources": [
                {
                    "ID": r.resource_id,
                    **{key: getattr(r, column) for key, column in RESOURCE_FIELDS},
                    "Range": range_json(r),
                }
                for r in read_resources(version)[version.pk]
            ],
        }
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
