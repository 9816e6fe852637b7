"""The ID space (/ids/): the ObjectID ranges and how much of each is taken, a picture of it, the
owners holding the most IDs, the resource-ID ranges, and a lookup of one ObjectID or resource
ID; its JSON (/api/v1/ids/)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from objects.catalog.id_space import SHADES, id_space, lookup_object, lookup_resource
from objects.catalog.per_sync import per_sync
from objects.catalog.reads import retry_if_swapped
from objects.context_processors import last_sync
from objects.lwm2m.ids import LABELS, BadId, parse_object_id, parse_resource_id
from objects.mirror.json_api import api_error, api_view

# The picture's geometry, in SVG user units (the CSS scales it to the page's width): a row per
# range, its span on the left, its bar of cells, its count on the right, its description below.
BAR_X, BAR_WIDTH, ROW_HEIGHT, CELL_HEIGHT = 100, 560, 44, 18
COUNT_X = BAR_X + BAR_WIDTH + 10
WIDTH = COUNT_X + 100
LEGEND = ("none taken", "up to ¼", "up to ½", "up to ¾", "over ¾")
LEGEND_STEP = 105


@per_sync(maxsize=1)
def overview_html(run):
    """The page below the lookups (the ranges, the occupancy picture, the owners, the
    resource-ID ranges), rendered once per sync: it changes only with the data."""
    space = id_space(run)
    rows = []
    for index, found in enumerate(space.ranges):
        y = index * ROW_HEIGHT
        width = BAR_WIDTH / len(found.cells)
        cells = [
            {"x": f"{BAR_X + i * width:.2f}", "width": f"{width:.2f}", "cell": cell}
            for i, cell in enumerate(found.cells)
        ]
        rows.append({"range": found, "y": y, "text_y": y + 14, "note_y": y + 32, "cells": cells})
    legend_y = len(space.ranges) * ROW_HEIGHT + 4
    legend = [
        {
            "shade": shade,
            "x": BAR_X + shade * LEGEND_STEP,
            "text_x": BAR_X + shade * LEGEND_STEP + 17,
            "text": text,
        }
        for shade, text in enumerate(LEGEND[: SHADES + 1])
    ]
    context = {
        "space": space,
        "last_sync": run,
        "rows": rows,
        "legend": legend,
        "legend_y": legend_y,
        "legend_text_y": legend_y + 11,
        "width": WIDTH,
        "height": legend_y + 18,
        "bar_x": BAR_X,
        "count_x": COUNT_X,
        "cell_height": CELL_HEIGHT,
    }
    return render_to_string("objects/ids.html#overview", context)


def lookups(query, space):
    """(ObjectID lookup, resource-ID lookup, errors) for the `id` and `resource` parameters."""
    found_object = found_resource = None
    errors = []
    object_text, resource_text = (str(query.get(name, "")).strip() for name in ("id", "resource"))
    try:
        if object_text:
            found_object = lookup_object(space, parse_object_id(object_text))
    except BadId as exc:
        errors.append(str(exc))
    try:
        if resource_text:
            found_resource = lookup_resource(space, parse_resource_id(resource_text))
    except BadId as exc:
        errors.append(str(exc))
    return found_object, found_resource, errors


def _input(query, name):
    return str(query.get(name, ""))[:40]


@require_safe
@retry_if_swapped
def id_space_page(request):
    run = last_sync(request)
    space = id_space(run)
    found_object, found_resource, errors = lookups(request.GET, space)
    context = {
        "overview": mark_safe(overview_html(run)),
        "found_object": found_object,
        "found_resource": found_resource,
        "errors": errors,
        "id_value": _input(request.GET, "id"),
        "resource_value": _input(request.GET, "resource"),
    }
    return render(request, "objects/ids.html", context, status=400 if errors else 200)


def object_json(found):
    latest = found.latest if found.versions else None
    return {
        "ObjectID": found.object_id,
        "Status": found.status,
        "Summary": found.summary,
        "Range": range_json(found.range),
        "Object": None
        if latest is None
        else {
            "Name": latest.name,
            "Owner": latest.owner,
            "Label": LABELS.get(latest.label, "x"),
            "URL": found.url,
            "Versions": [{"Ver": r.ver, "IsLatest": r.is_latest} for r in found.versions],
        },
        "Notes": found.notes,
    }


def range_json(found):
    if found is None:
        return None
    return {
        "First": found.first,
        "Last": found.last,
        "Description": found.what,
        "Label": LABELS.get(found.label),  # None: no Label may take the range
        "Assignable": found.assignable,
        "Size": found.size,
        "Taken": found.taken,
        # None where no ID may be given out: not "free" to take.
        "Free": found.free if found.assignable else None,
    }


def resource_json(found):
    common = found.common
    return {
        "ResourceID": found.resource_id,
        "Status": found.status,
        "Summary": found.summary,
        "Range": {"First": found.range.first, "Last": found.range.last, "Name": found.range.name},
        "InCommonXml": common is not None,
        "CommonName": common.name if common is not None else None,
        "UsedBy": found.used_by,
        "ObjectIDs": [row.object_id for row in found.objects],
        "URL": found.url or None,
    }


def overview_json(space):
    return {
        "Taken": space.taken,
        "Free": space.free,
        "ObjectIDRanges": [
            {**range_json(r), "Parts": [range_json(p) for p in r.parts]} for r in space.ranges
        ],
        "ResourceIDRanges": [
            {
                "Class": r.code,
                "Name": r.name,
                "First": r.first,
                "Last": r.last,
                "Size": r.size,
                "UsedByObjects": r.used,
                "InCommonXml": r.common,
            }
            for r in space.resource_ranges
        ],
        "TopOwners": [{"Owner": o.name, "ObjectIDs": o.count} for o in space.owners],
    }


@api_view
@retry_if_swapped
def id_space_json(request):
    """GET /api/v1/ids/?id=N&resource=N: the lookups; without either, the ranges and owners."""
    space = id_space(last_sync(request))
    found_object, found_resource, errors = lookups(request.GET, space)
    if errors:
        return api_error(400, " ".join(errors))
    if found_object is None and found_resource is None:
        data = overview_json(space)
    else:
        data = {}
        if found_object is not None:
            data["ObjectID"] = object_json(found_object)
        if found_resource is not None:
            data["ResourceID"] = resource_json(found_resource)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
