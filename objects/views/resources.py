"""The resource registry's pages: every resource ID (searchable, filterable), one page per ID
with every object that defines it, their JSON and the list's CSV."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from objects.catalog.per_sync import per_sync
from objects.catalog.reads import retry_if_swapped
from objects.catalog.resources import (
    CLASS_NAMES,
    CLASS_RANGES,
    SORT_NAMES,
    ResourceParams,
    folded,
    load_index,
    older_only_count,
    search_resources,
    variants,
)
from objects.context_processors import last_sync
from objects.lwm2m.ids import LAST_RESOURCE_ID, BadId, parse_resource_id, resource_id_class
from objects.mirror.json_api import api_error, api_view
from objects.models import CommonResource, RegistryFile
from objects.views.common import list_context, not_found, render_list
from objects.views.exports import csv_lines, streamed


def resources_url(params, **changes):
    return reverse("objects:resources") + params.query_string(**changes)


def matching_resources(request):
    params = ResourceParams.from_query(request.GET)
    run = last_sync(request)
    return params, run, search_resources(load_index(run), params)


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request", "HX-Trigger")
@retry_if_swapped
def resource_list(request):
    """Every resource ID; an htmx request (not a history restore) gets only the results."""
    params, run, result = matching_resources(request)
    page = Paginator(result.entries, params.per).get_page(params.page)
    params = ResourceParams(**{**params.__dict__, "page": page.number})
    for entry in page.object_list:
        if not entry.html:
            entry.html = render_to_string("objects/resources.html#row", {"entry": entry})
    context = list_context(
        params, run, result, page, lambda **changes: resources_url(params, **changes), SORT_NAMES
    )
    context |= {
        "rows_html": [mark_safe(entry.html) for entry in page.object_list],
        "clear_url": reverse("objects:resources"),
        "common_file": common_file(run),
    }
    typing = bool(request.htmx) and request.htmx.trigger == "q"
    return render_list(request, "objects/resources.html", context, resources_url(params), typing)


@per_sync(maxsize=1)
def common_file(run):
    """Common.xml's row (what the last sync could not do with it), read once per sync: it
    changes only in a sync's store."""
    return RegistryFile.objects.defer("body").filter(name=RegistryFile.COMMON).first()


@per_sync()
def resource_context(run, resource_id, all_versions):
    """The resource page's data, or None when no object and no Common.xml entry has the ID."""
    common = CommonResource.objects.filter(resource_id=resource_id).first()
    found = variants(resource_id, common, all_versions)
    if common is None and not found:
        return None
    latest = sorted({use.object_id for v in found for use in v.uses if use.is_latest})
    code = resource_id_class(resource_id)
    return {
        "class_name": CLASS_NAMES.get(code, "Out of range"),
        "class_range": CLASS_RANGES.get(code, f"past {LAST_RESOURCE_ID}"),
        "title_name": common.name if common else found[0].name if found else "",
        "resource_id": resource_id,
        "id_class": code,
        "common": common,
        "variants": found,
        "latest_objects": latest,
        "all_versions": all_versions,
        "older_only": 0 if all_versions else older_only_count(resource_id),
        "departing": sum(bool(v.departures) for v in found),
    }


@require_safe
@retry_if_swapped
def resource_detail(request, resource_id):
    all_versions = request.GET.get("versions") == "all"
    try:
        number = parse_resource_id(resource_id)
    except BadId as exc:
        return not_found(request, f"There is no resource {exc.text:.40}. {exc}")
    context = resource_context(last_sync(request), number, all_versions)
    if context is None:
        message = (
            f"No object in the registry defines resource {number}, and Common.xml does not list it."
        )
        return not_found(request, message, str(number))
    return render(request, "objects/resource.html", context)


def entry_json(entry):
    return {
        "ResourceID": entry.resource_id,
        "Class": entry.id_class,
        "Name": entry.name,
        "OtherNames": entry.other_names,
        "InCommonXml": entry.common is not None,
        "UsedBy": entry.used_by,
        "ObjectIDs": entry.objects,
        "URL": entry.url,
    }


@api_view
@retry_if_swapped
def resources_json(request):
    """GET /api/v1/resources/: the list's resources, with the list's parameters, unpaged."""
    _, _, result = matching_resources(request)
    data = [entry_json(entry) for entry in result.entries]
    return JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})


def common_json(common):
    if common is None:
        return None
    return {
        "Name": common.name,
        "Operations": common.operations,
        "Type": common.type,
        "RangeEnumeration": common.range_enumeration,
        "Units": common.units,
        "Submitter": common.submitter,
        "Description": common.description,
    }


@api_view
@retry_if_swapped
def resource_json(request, resource_id):
    """GET /api/v1/resources/<ID>/: Common.xml's definition and every object's."""
    try:
        number = parse_resource_id(resource_id)
    except BadId as exc:
        return api_error(404, f"no resource {exc.text:.40}: {exc}")
    context = resource_context(last_sync(request), number, request.GET.get("versions") == "all")
    if context is None:
        return api_error(404, f"no object defines resource {number}")
    data = {
        "ResourceID": context["resource_id"],
        "Class": context["id_class"],
        "Common": common_json(context["common"]),
        "Definitions": [
            {
                "Name": v.name,
                "Operations": v.operations,
                "MultipleInstances": v.multiple_instances,
                "Mandatory": v.mandatory,
                "Type": v.type,
                "RangeEnumeration": v.range_enumeration,
                "Units": v.units,
                "Description": v.description,
                "DepartsFromCommon": list(v.departures),
                "Objects": [
                    {
                        "ObjectID": u.object_id,
                        "Ver": u.ver,
                        "IsLatest": u.is_latest,
                        "Name": u.object_name,
                    }
                    for u in v.uses
                ],
            }
            for v in context["variants"]
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


EXPORT_FIELDS = ("ResourceID", "Class", "Name", "InCommonXml", "UsedBy", "ObjectIDs", "OtherNames")


@require_safe
@retry_if_swapped
def export_csv(request):
    """The list as CSV, streamed: each line written as it is sent (exports.py)."""
    _, _, result = matching_resources(request)
    rows = (
        [
            entry.resource_id,
            entry.id_class,
            entry.name,
            "yes" if entry.common is not None else "no",
            entry.used_by,
            " ".join(str(object_id) for object_id in entry.objects),
            "; ".join(folded(name) for name in entry.other_names),
        ]
        for entry in result.entries
    )
    return streamed(
        request,
        csv_lines(EXPORT_FIELDS, rows),
        "text/csv; charset=utf-8",
        'attachment; filename="lwm2m-resources.csv"',
    )
