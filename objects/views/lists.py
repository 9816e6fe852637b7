"""The object list (search, filters, facets, pages) and its exports."""

import csv
from dataclasses import replace

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from ..models import SyncRun
from ..search import PER_CHOICES, SORTS, ListParams, load_rows, run_search
from ..store import last_successful_run

SORT_NAMES = {"relevance": "Relevance", "id": "ObjectID", "name": "Name", "owner": "Owner"}


def sort_choices(params):
    """(value, name, selected); the default sort has no value, so it follows the search:
    relevance while searching, ObjectID otherwise."""
    default = "relevance" if params.q else "id"
    choices = [("", SORT_NAMES[default], params.sort == default)]
    others = [s for s in SORTS if s != default and (s != "relevance" or params.q)]
    return choices + [(s, SORT_NAMES[s], params.sort == s) for s in others]


def matching_rows(request):
    params = ListParams.from_query(request.GET)
    run = last_successful_run()
    return params, run, run_search(load_rows(run), params)


def search_results(request):
    params, run, result = matching_rows(request)
    page = Paginator(result.rows, params.per).get_page(params.page)
    for row in page.object_list:
        if not row.html:
            row.html = render_to_string("objects/list.html#row", {"row": row})
    params = replace(params, page=page.number)
    return params, run, result, page


def list_url(params, **changes):
    return reverse("objects:list") + params.query_string(**changes)


def page_links(params, page, around=2):
    """Previous, first, a window around the current page, last, next; None is a gap."""
    if not page.has_other_pages():
        return []
    last, current = page.paginator.num_pages, page.number
    numbers = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    links = []
    if page.has_previous():
        previous = list_url(params, page=current - 1)
        links.append({"text": "‹ Previous", "url": previous, "rel": "prev"})
    for before, number in zip([0, *numbers], numbers, strict=False):
        if number - before > 1:
            links.append({"text": "…", "url": None})
        url = list_url(params, page=number)
        links.append({"text": number, "url": url, "current": number == current})
    if page.has_next():
        links.append({"text": "Next ›", "url": list_url(params, page=current + 1), "rel": "next"})
    return links


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def object_list(request):
    """The home page; an htmx request (not a history restore) gets only the results."""
    params, run, result, page = search_results(request)
    context = {
        "params": params,
        "run": run,
        "result": result,
        "page": page,
        "facets": result.facets,
        "sorts": sort_choices(params),
        "per_choices": PER_CHOICES,
        "empty_registry": run is None and not result.rows and not params.filtered,
        "page_links": page_links(params, page),
        "export_query": params.query_string(page=1),
        "clear_search_url": list_url(params, q="", page=1),
        "clear_filters_url": list_url(params, labels=(), owners=(), lwm2m=(), page=1),
    }
    if context["empty_registry"]:
        context["failed_run"] = SyncRun.objects.filter(outcome=SyncRun.FAILED).first()
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "objects/list.html#results", context)
        return push_url(response, list_url(params))
    return render(request, "objects/list.html", context)


@require_safe
def objects_redirect(request):
    query = request.GET.urlencode()
    return HttpResponseRedirect(reverse("objects:list") + (f"?{query}" if query else ""))


EXPORT_FIELDS = ("ObjectID", "Ver", "Name", "Owner", "Label", "LwM2MVersion", "URN", "Description")


def export_rows(request):
    _params, _run, result = matching_rows(request)
    for row in result.rows:
        yield {
            "ObjectID": row.object_id,
            "Ver": row.ver,
            "Name": row.name,
            "Owner": row.owner,
            "Label": row.label_code,
            "LwM2MVersion": row.lwm2m_version,
            "URN": row.urn,
            "Description": row.description,
        }


def spreadsheet_safe(value):
    """A cell a spreadsheet will not run as a formula (the data comes from the network)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@require_safe
def export_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lwm2m-objects.csv"'
    writer = csv.DictWriter(response, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for item in export_rows(request):
        writer.writerow({key: spreadsheet_safe(value) for key, value in item.items()})
    return response


@require_safe
def export_json(request):
    response = JsonResponse(
        list(export_rows(request)), safe=False, json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = 'inline; filename="lwm2m-objects.json"'
    return response
