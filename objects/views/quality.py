"""Definition quality: the registry's findings by rule (/quality/, its JSON), and the form that
checks an engineer's own definition (/validate/)."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from objects.catalog.code_targets import CODE_TARGETS, code_rejects
from objects.catalog.per_sync import per_sync
from objects.catalog.registered import add_registry_knowledge
from objects.catalog.xml_highlight import decode_definition, highlight_xml
from objects.context_processors import last_sync
from objects.lwm2m import ranges
from objects.mirror.json_api import api_error, api_view
from objects.models import Finding, ObjectVersion, Resource
from objects.quality import oma_codes
from objects.quality.checks import RULE_NAMES, RULES
from objects.quality.compatibility import LESHAN_VERSIONS, leshan
from objects.quality.upload import MAX_UPLOAD_BYTES, stored_context, validate
from objects.quality.validator import validate_upload
from objects.views.definitions import shown_part
from objects.views.object_pages import CODE_TARGET_NAMES, finding_json

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class QualityFilters:
    """What /quality/ lists: a rule, a severity, every version or the latest only, an OMA
    fault code ("" for any)."""

    rule: str
    severity: str
    all_versions: bool
    code: str


def quality_state(query: QueryDict) -> QualityFilters:
    """The filters the URL names, unknown values dropped."""
    rule = query.get("rule", "")
    severity = query.get("severity", "")
    code = query.get("code", "")
    return QualityFilters(
        rule=rule if rule in RULE_NAMES else "",
        severity=severity if severity in SEVERITIES else "",
        all_versions=query.get("versions") == "all",
        code=code if code in oma_codes.CODES else "",
    )


@per_sync(maxsize=64)
def quality_data(run, rule, severity, all_versions, code=""):
    """The counts by rule (definitions, under the versions chosen) and each definition with
    the findings that pass the filters, as {version: [findings]} in ObjectID order; with an
    OMA `code`, the definitions that carry it and those findings only."""
    findings = Finding.objects.select_related("object_version").defer("object_version__search_text")
    if not all_versions:
        findings = findings.filter(object_version__is_latest=True)
    counts = defaultdict(Counter)
    listed = defaultdict(list)
    for finding in findings.order_by(
        "object_version__object_id", "object_version__ver_major", "object_version__ver_minor", "pk"
    ):
        version = finding.object_version
        if finding.oma_code:
            counts[f"oma-{finding.oma_code}"][(finding.severity, version.pk)] += 1
            if code == finding.oma_code:
                listed[version].append(finding)
            continue
        counts[finding.rule][(finding.severity, version.pk)] += 1
        if code:
            continue
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
    return by_rule, list(listed.items()), by_code(counts)


def by_code(counts):
    """[{code, description, resolve_by, definitions}] of the OMA codes the definitions carry."""
    found = []
    for code, (resolve_by, _, what, _) in oma_codes.CODES.items():
        seen = counts.get(f"oma-{code}")
        if seen:
            found.append({"code": code, "description": what, "resolve_by": resolve_by,
                          "definitions": len({pk for _, pk in seen})})  # fmt: skip
    return found


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
        object_version__in=versions, severity=Finding.ERROR, oma_code=""
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
    filters = quality_state(request.GET)
    rule, code, all_versions = filters.rule, filters.code, filters.all_versions
    run = last_sync(request)
    by_rule, listed, codes = quality_data(run, rule, filters.severity, all_versions, code)
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
        "code": code,
        "code_name": oma_codes.CODES[code][2] if code else "",
        "by_code": codes,
        "severity": filters.severity,
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
    filters = quality_state(request.GET)
    by_rule, listed, codes = quality_data(
        last_sync(request), filters.rule, filters.severity, filters.all_versions, filters.code
    )
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
        "OMACodes": [
            {
                "Code": c["code"],
                "Description": c["description"],
                "ResolveBy": c["resolve_by"],
                "Definitions": c["definitions"],
            }
            for c in codes
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


MAX_SHOWN_FILES = 5


def uploaded_files(request):
    """[(name, bytes)] of a form's files (any number; a ZIP among them) or its pasted text."""
    uploads = [f for key in request.FILES for f in request.FILES.getlist(key)]
    if uploads:
        total = sum(upload.size for upload in uploads)
        if total > MAX_UPLOAD_BYTES:
            raise ValueError(f"The files are over the {MAX_UPLOAD_BYTES // 1024:,} KB limit.")
        return [(upload.name[:200], upload.read(MAX_UPLOAD_BYTES + 1)) for upload in uploads]
    text = request.POST.get("text", "")
    return [("pasted.xml", text.encode("utf-8", "replace"))] if text.strip() else []


def oma_groups(results, anchors):
    """The findings with an OMA code grouped by code, for the table: [(code, what it checks,
    resolve by, [(finding, file, its line's anchor or "")])]."""
    groups = {}
    for name, found in results:
        for f in found:
            if f.oma_code is None:
                continue
            anchor = f"{anchors[name]}L{f.line}" if name in anchors and f.line else ""
            groups.setdefault(f.oma_code, []).append((f, name, anchor))
    return [
        (code, oma_codes.CODES[code][2], oma_codes.CODES[code][0], rows)
        for code, rows in sorted(groups.items())
    ]


def shown_files(named_bodies, results):
    """The files shown line by line (each finding links to its line): the uploaded XML files
    and, of a ZIP, those with findings; [(name, anchor prefix, lines, total, truncated)]."""
    bodies = {}
    for name, body in named_bodies:
        if bytes(body[:4]) == b"PK\x03\x04":
            try:
                inner = oma_codes.read_zip(body)
            except oma_codes.BadValidatorInput:
                continue
            for path, found in results:
                rel = path.split(":", 1)[-1]
                if path.startswith(f"{name}:") and found and rel in inner:
                    bodies[path] = inner[rel]
        else:
            bodies[name] = body
    shown = []
    for index, (name, body) in enumerate(list(bodies.items())[:MAX_SHOWN_FILES]):
        text = decode_definition(body)
        part = shown_part(text)
        prefix = "" if index == 0 else f"F{index}-"
        shown.append((name, prefix, highlight_xml(part), text.count("\n") + 1,
                      len(part) < len(text)))  # fmt: skip
    return shown


@require_http_methods(["GET", "HEAD", "POST"])
def validate_page(request):
    """GET: the form. POST: uploaded files (one or several, or a ZIP laid out as the registry)
    or a pasted definition, checked with OMA's fault IDs and our rules; a body that is too
    large or holds nothing to check is answered 400 with why."""
    context = {"max_bytes": MAX_UPLOAD_BYTES, "text": ""}
    if request.method != "POST":
        return render(request, "objects/validate.html", context)
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_UPLOAD_BYTES + 64 * 1024:
        context["error"] = f"The upload is over the {MAX_UPLOAD_BYTES // 1024:,} KB limit."
        return render(request, "objects/validate.html", context, status=400)
    context["text"] = request.POST.get("text", "")
    try:
        named = uploaded_files(request)
    except ValueError as exc:
        context["error"] = str(exc)
        return render(request, "objects/validate.html", context, status=400)
    if not named:
        context["error"] = "Choose a file or paste a definition."
        return render(request, "objects/validate.html", context, status=400)
    try:
        results = validate_upload(named)
    except oma_codes.BadValidatorInput as exc:
        context["error"] = str(exc)
        return render(request, "objects/validate.html", context, status=400)
    files = shown_files(named, results)
    anchors = {name: prefix for name, prefix, *_ in files}
    context.update(
        results=results,
        oma=oma_groups(results, anchors),
        markdown=oma_codes.markdown_table(results),
        oma_errors=sum(
            f.severity == "error" and f.oma_code is not None for _, found in results for f in found
        ),  # fmt: skip
        shown=files,
    )
    status = 200
    if len(named) == 1 and bytes(named[0][1][:4]) != b"PK\x03\x04":
        name, body = named[0]
        if oma_codes.kind_of(body) in ("object", ""):
            report = add_registry_knowledge(validate(body, stored_context()))
            context["report"] = report
            context["filename"] = name if request.FILES else ""
            status = 400 if report.definition is None else 200
    return render(request, "objects/validate.html", context, status=status)


@csrf_exempt
def validate_json(request):
    """POST /api/v1/validate/: one XML body, multipart files or a ZIP, answered as
    `manage.py validate_definition --format json` answers. Nothing is stored."""
    if request.method != "POST":
        response = api_error(405, f"method {request.method[:20]} not allowed: POST a file")
        response["Allow"] = "POST"
        return response
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_UPLOAD_BYTES + 64 * 1024:
        return api_error(413, f"the request body is over the {MAX_UPLOAD_BYTES // 1024:,} KB limit")
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    try:
        if content_type == "multipart/form-data":
            named = uploaded_files(request)
        else:
            body = request.body
            named = [(request.GET.get("name", "")[:200] or "body", body)] if body.strip() else []
    except ValueError as exc:
        return api_error(413, str(exc))
    if not named:
        return api_error(400, "POST an object definition, a Common.xml, a DDF.xml or a ZIP")
    try:
        results = validate_upload(named)
    except oma_codes.BadValidatorInput as exc:
        return api_error(400, str(exc))
    return JsonResponse(oma_codes.as_json(results), json_dumps_params={"ensure_ascii": False})
