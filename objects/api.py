"""The mirror of the Registry API, and this project's own per-version API."""

import json
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import defaults
from django.views.csrf import csrf_failure as html_csrf_failure
from django.views.decorators.csrf import csrf_exempt

from .definitions import MAX_OBJECT_ID
from .models import ObjectVersion
from .repository_layout import ddf_path
from .store import last_successful_run, read_findings, read_resources, retry_if_swapped
from .versions import BadVersion, parse_version


def api_error(status, message):
    return JsonResponse({"error": message}, status=status)


def is_api(request):
    return request.path.startswith("/api/")


# Under /api/ every error is JSON, as every other API answer; elsewhere Django's own pages.
def handler400(request, exception):
    if is_api(request):
        return api_error(400, "bad request")
    return defaults.bad_request(request, exception)


def handler403(request, exception):
    if is_api(request):
        return api_error(403, "forbidden")
    return defaults.permission_denied(request, exception)


def handler404(request, exception):
    if is_api(request):
        return api_error(404, "no such API endpoint or object")
    return defaults.page_not_found(request, exception)


def handler500(request):
    if is_api(request):
        return api_error(500, "internal error")
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    if is_api(request):
        return api_error(403, "forbidden: this API is read-only")
    return html_csrf_failure(request, reason)


def api_view(view):
    """GET and HEAD only, answered in JSON: any other method is a JSON 405 with Allow.

    The API changes nothing, so it needs no CSRF token: a POST gets its 405, not a 403 page.
    """

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = api_error(405, f"method {request.method[:20]} not allowed: use GET")
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return wrapper


def parse_object_id(text):
    """An ObjectID from a URL: a whole number in the registry's range, else ValueError."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 5 or int(text) > MAX_OBJECT_ID:
        raise ValueError(f"ObjectID must be a whole number from 0 to {MAX_OBJECT_ID}")
    return int(text)


def is_object_id(text):
    """Well-formed (ASCII digits), whether or not any object could have it."""
    text = text.strip()
    return text.isascii() and text.isdigit()


class DefinitionLinks:
    """Absolute URLs of stored definitions, with one reverse() for a whole answer."""

    def __init__(self, request):
        self.origin = request.build_absolute_uri("/").rstrip("/")
        self.path = reverse("objects:definition_xml", args=["OID", "VER"])
        self.registry = self.origin + reverse("objects:registry_file", kwargs={"name": ""})

    def __call__(self, object_id, ver):
        # Only the path is a template: the host may spell OID or VER itself.
        return self.origin + self.path.replace("OID", str(object_id), 1).replace("VER", ver, 1)

    def registry_file(self, object_id, major, minor, is_latest):
        """The definition's file in this site's repository layout (/registry/), named as
        DDF.xml names it: `<ID>.xml` for the latest version, else its version_history file."""
        return self.registry + ddf_path(object_id, major, minor, is_latest)


MIRROR_FIELDS = (
    "object_id", "ver", "urn", "name", "description", "owner", "label", "object_link",
    "object_link_visible", "spec_link", "spec_link_visible", "vorto_link", "definition_sha256",
    "is_latest", "ver_major", "ver_minor",
)  # fmt: skip


def registry_item(row, links):
    """One element of the Registry API's answer, from MIRROR_FIELDS values: its keys and
    value types (ObjectID a number, every other value a string)."""
    (object_id, ver, urn, name, description, owner, label, object_link, link_visible,
     spec_link, spec_visible, vorto_link, sha, is_latest, major, minor) = row  # fmt: skip
    if settings.MIRROR_OBJECT_LINKS == "local" and sha:
        object_link = links.registry_file(object_id, major, minor, is_latest)
    return {
        "ObjectID": object_id,
        "Ver": ver,
        "URN": urn,
        "Name": name,
        "Description": description,
        "Owner": owner,
        "Label": str(label),
        "ObjectLink": object_link,
        "ObjectLinkVisible": "1" if link_visible else "0",
        "SpecLink": spec_link,
        "SpecLinkVisible": "1" if spec_visible else "0",
        "VortoLink": vorto_link,
    }


def json_bytes(data):
    return json.dumps(data, ensure_ascii=False).encode()


# The whole registry's answer, kept per process until the next successful sync: it is the
# mirror's heaviest answer (200 KB), and every client of the API starts with it.
_whole_answers = {}


def whole_registry_answer(request, latest):
    run = last_successful_run()
    if run is None:
        return None
    key = (run.pk, run.finished, request.scheme, request.get_host(), latest)
    body = _whole_answers.get(key)
    if body is None:
        versions = ObjectVersion.objects.order_by("object_id", "ver_major", "ver_minor")
        if latest:
            versions = versions.filter(is_latest=True)
        links = DefinitionLinks(request)
        body = json_bytes(
            [registry_item(row, links) for row in versions.values_list(*MIRROR_FIELDS)]
        )
        if len(_whole_answers) >= 8:
            _whole_answers.clear()
        _whole_answers[key] = body
    return body


@api_view
def registry_objects(request):
    """GET /api/lwm2m/v1/Object, answering as the OMA Registry API does."""
    raw_id = request.GET.get("ObjectID")
    raw_version = request.GET.get("ObjectVersion")
    versions = ObjectVersion.objects.order_by("object_id", "ver_major", "ver_minor")
    if raw_version is not None and raw_version != "latest" and raw_id is None:
        return api_error(400, "ObjectVersion other than 'latest' needs an ObjectID")
    if raw_id is None:
        body = whole_registry_answer(request, latest=raw_version == "latest")
        if body is None:
            return api_error(503, "this mirror has no data yet: run manage.py sync_registry")
        return HttpResponse(body, content_type="application/json")
    if raw_id is not None:
        if not is_object_id(raw_id):
            return api_error(400, "ObjectID must be a whole number")
        try:
            versions = versions.filter(object_id=parse_object_id(raw_id))
        except ValueError:  # well-formed, but no object can have it: missing, as in the API
            return api_error(404, "no such object or version")
    if raw_version == "latest":
        versions = versions.filter(is_latest=True)
    elif raw_version is not None:
        try:
            major, minor = parse_version(raw_version)
        except BadVersion:
            return api_error(400, "ObjectVersion must be 'latest' or a version like 1.0")
        versions = versions.filter(ver_major=major, ver_minor=minor)
    links = DefinitionLinks(request)
    items = [registry_item(row, links) for row in versions.values_list(*MIRROR_FIELDS)]
    if not items:
        return api_error(404, "no such object or version")
    return HttpResponse(json_bytes(items), content_type="application/json")


def get_version(object_id, ver, deferred=("definition", "search_text")):
    try:
        major, minor = parse_version(ver)
        object_id = parse_object_id(object_id)
    except ValueError:
        raise Http404("no such object version") from None
    return get_object_or_404(
        ObjectVersion.objects.defer(*deferred),
        object_id=object_id,
        ver_major=major,
        ver_minor=minor,
    )


def finding_json(finding):
    return {
        "Rule": finding.rule,
        "Severity": finding.severity,
        "ResourceID": finding.resource_id,
        "Message": finding.message,
    }


@api_view
@retry_if_swapped
def object_version_json(request, object_id, ver):
    """GET /api/v1/objects/<ObjectID>/<Ver>/: one version with its definition and resources."""
    try:
        version = get_version(object_id, ver)
    except Http404:
        return api_error(404, f"no object {object_id} version {ver}"[:200])
    links = DefinitionLinks(request)
    data = registry_item([getattr(version, name) for name in MIRROR_FIELDS], links)
    data["ObjectLink"] = version.object_link
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
            "Findings": [finding_json(f) for f in read_findings(version)],
            "Resources": [
                {
                    "ID": r.resource_id,
                    "Name": r.name,
                    "Operations": r.operations,
                    "MultipleInstances": r.multiple_instances,
                    "Mandatory": r.mandatory,
                    "Type": r.type,
                    "RangeEnumeration": r.range_enumeration,
                    "Units": r.units,
                    "Description": r.description,
                }
                for r in read_resources(version)[version.pk]
            ],
        }
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
