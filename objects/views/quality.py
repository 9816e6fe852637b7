"""Definition quality: the registry's findings by rule (/quality/, its JSON), and the form that
checks an engineer's own definition (/validate/)."""

from collections import Counter, defaultdict

from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from objects.catalog.code_targets import CODE_TARGETS, code_rejects
from objects.catalog.per_sync import per_sync
from objects.catalog.registered import add_registry_knowledge
from objects.catalog.xml_highlight import decode_definition, highlight_xml
from objects.context_processors import last_sync
from objects.lwm2m import ranges
from objects.mirror.json_api import api_view
from objects.models import Finding, ObjectVersion, Resource
from objects.quality.checks import RULE_NAMES, RULES
from objects.quality.compatibility import LESHAN_VERSIONS, leshan
from objects.quality.upload import MAX_UPLOAD_BYTES, stored_context, validate
from objects.views.definitions import shown_part
from objects.views.object_pages import CODE_TARGET_NAMES, finding_json

SEVERITIES = ("error", "warning")


def quality_state(query):
    """(rule, severity, all_versions) from the URL, unknown values dropped."""
    rule = query.get("rule", "")
    severity = query.get("severity", "")
    return (
        rule if rule in RULE_NAMES else "",
        severity if severity in SEVERITIES else "",
        query.get("versions") == "all",
    )


@per_sync(maxsize=64)
def quality_data(run, rule, severity, all_versions):
    """The counts by rule (definitions, under the versions chosen) and each definition with
    the findings that pass the filters, as {version: [findings]} in ObjectID order."""
    findings = Finding.objects.select_related("object_version").defer("object_version__search_text")
    if not all_versions:
        findings = findings.filter(object_version__is_latest=True)
    counts = defaultdict(Counter)
    listed = defaultdict(list)
    for finding in findings.order_by(
        "object_version__object_id", "object_version__ver_major", "object_version__ver_minor", "pk"
    ):
        version = finding.object_version
        counts[finding.rule][(finding.severity, version.pk)] += 1
        if (not rule or finding.rule == rule) and (not severity or finding.severity == severity):
            listed[version].append(finding)
    by_rule = []
    for code, description in RULES:
        seen = counts.get(code, Counter())
        by_rule.append(
            {
                "rule": code,
                "description": description,
                "errors": len({pk for (sev, pk) in seen if sev == "error"}),
                "warnings": len({pk for (sev, pk) in seen if sev == "warning"}),
            }
        )
    return by_rule, list(listed.items())


@per_sync(maxsize=4)
def leshan_rejects(run, all_versions):
    """[(version, why)] of the definitions Eclipse Leshan cannot load, in ObjectID order."""
    versions = ObjectVersion.objects.defer("search_text").filter(status=ObjectVersion.OK)
    if not all_versions:
        versions = versions.filter(is_latest=True)
    versions = versions.exclude(
        Q(lwm2m_version__in=LESHAN_VERSIONS + ("",)) & ~Q(quality=Finding.ERROR)
    ).order_by("object_id", "ver_major", "ver_minor")
    errors = defaultdict(list)
    for finding in Finding.objects.filter(
        object_version__in=versions, severity=Finding.ERROR
    ).order_by("pk"):
        errors[finding.object_version_id].append(finding)
    found = []
    for version in versions:
        loads = leshan(version.lwm2m_version, errors[version.pk])
        if not loads["ok"]:
            found.append((version, loads["reason"]))
    return found


@per_sync(maxsize=4)
def unreadable_ranges(run, all_versions):
    """[(version, [(resource, why)])] of the definitions with a RangeEnumeration that the one
    range reader (objects/lwm2m/ranges.py) finds no bounds or values in, in ObjectID order."""
    resources = (
        Resource.objects.exclude(range_enumeration="")
        .select_related("object_version")
        .defer("description", "object_version__search_text")
        .order_by("object_version__object_id", "object_version__ver_major",
                  "object_version__ver_minor", "resource_id")
    )  # fmt: skip
    if not all_versions:
        resources = resources.filter(object_version__is_latest=True)
    found = {}
    for resource in resources:
        read = ranges.read(resource.range_enumeration, resource.type)
        if read is not None and not read.readable:
            found.setdefault(resource.object_version, []).append((resource, read.note))
    return list(found.items())


@per_sync(maxsize=4)
def verdict_counts(run, all_versions):
    versions = ObjectVersion.objects.all() if all_versions else ObjectVersion.objects.filter(
        is_latest=True
    )  # fmt: skip
    return Counter(versions.values_list("quality", flat=True))


@require_safe
def quality_overview(request):
    rule, severity, all_versions = quality_state(request.GET)
    run = last_sync(request)
    by_rule, listed = quality_data(run, rule, severity, all_versions)
    verdicts = verdict_counts(run, all_versions)
    rejected = leshan_rejects(run, all_versions)
    tool = request.GET.get("tool", "")
    listed_tool = code_rejects(run, tool, all_versions) if tool in CODE_TARGETS else None
    unreadable = unreadable_ranges(run, all_versions)
    context = {
        "ranges": request.GET.get("range") == "unreadable",
        "ranges_listed": unreadable,
        "ranges_count": sum(len(listed) for _, listed in unreadable),
        "leshan": request.GET.get("leshan") == "no",
        "leshan_count": len(rejected),
        "leshan_listed": rejected,
        "tools": [
            (code, name, len(code_rejects(run, code, all_versions)))
            for code, name in CODE_TARGET_NAMES
        ],
        "tool": tool if listed_tool is not None else "",
        "tool_name": dict(CODE_TARGET_NAMES).get(tool, ""),
        "tool_listed": listed_tool or [],
        "rule": rule,
        "rule_name": RULE_NAMES.get(rule, ""),
        "severity": severity,
        "all_versions": all_versions,
        "by_rule": by_rule,
        "listed": listed,
        "verdicts": {
            "error": verdicts["error"],
            "warning": verdicts["warning"],
            "clean": verdicts["clean"],
            "unchecked": verdicts[""],
        },
        "run": run,
        "versions_query": "" if all_versions else "versions=all",
    }
    return render(request, "objects/quality.html", context)


@api_view
def quality_json(request):
    """GET /api/v1/quality/: the counts by rule and the definitions with findings."""
    rule, severity, all_versions = quality_state(request.GET)
    by_rule, listed = quality_data(last_sync(request), rule, severity, all_versions)
    data = {
        "Rules": [
            {
                "Rule": r["rule"],
                "Description": r["description"],
                "Errors": r["errors"],
                "Warnings": r["warnings"],
            }
            for r in by_rule
        ],
        "Definitions": [
            {
                "ObjectID": version.object_id,
                "Ver": version.ver,
                "Name": version.name,
                "Quality": version.quality,
                "URL": reverse("objects:version", args=[version.object_id, version.ver]),
                "Findings": [finding_json(f) for f in findings],
            }
            for version, findings in listed
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_http_methods(["GET", "HEAD", "POST"])
def validate_page(request):
    """GET: the form. POST: an uploaded or pasted definition, checked; a file that is too
    large or is no definition is answered 400 with why."""
    context = {"max_bytes": MAX_UPLOAD_BYTES, "text": ""}
    if request.method != "POST":
        return render(request, "objects/validate.html", context)
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_UPLOAD_BYTES + 64 * 1024:
        context["error"] = f"The upload is over the {MAX_UPLOAD_BYTES // 1024:,} KB limit."
        return render(request, "objects/validate.html", context, status=400)
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > MAX_UPLOAD_BYTES:
            context["error"] = f"The file is over the {MAX_UPLOAD_BYTES // 1024:,} KB limit."
            return render(request, "objects/validate.html", context, status=400)
        body, context["filename"] = upload.read(MAX_UPLOAD_BYTES + 1), upload.name[:200]
    else:
        context["text"] = request.POST.get("text", "")
        body = context["text"].encode("utf-8", "replace")
    if not body.strip():
        context["error"] = "Choose a file or paste a definition."
        return render(request, "objects/validate.html", context, status=400)
    report = add_registry_knowledge(validate(body, stored_context()))
    context["report"] = report
    # The file itself, each line numbered, as the findings' line links lead to it.
    text = decode_definition(body)
    shown = shown_part(text)
    context.update(
        file_lines=highlight_xml(shown),
        total_lines=text.count("\n") + 1,
        truncated=len(shown) < len(text),
    )
    status = 400 if report.definition is None else 200
    return render(request, "objects/validate.html", context, status=status)
