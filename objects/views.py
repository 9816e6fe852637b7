"""The browsing site: the object list, object pages, version compare, exports."""

import csv
from dataclasses import replace

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from .api import parse_object_id
from .compare import compare_versions
from .models import ObjectVersion, Resource, SyncRun
from .search import PER_CHOICES, SORTS, ListParams, load_rows, run_search
from .store import last_successful_run
from .versions import BadVersion, format_version, parse_version

SORT_NAMES = {"relevance": "Relevance", "id": "ObjectID", "name": "Name", "owner": "Owner"}


def sort_choices(params):
    """(value, name, selected); the default sort has no value, so it follows the search:
    relevance while searching, ObjectID otherwise."""
    default = "relevance" if params.q else "id"
    choices = [("", SORT_NAMES[default], params.sort == default)]
    others = [s for s in SORTS if s != default and (s != "relevance" or params.q)]
    return choices + [(s, SORT_NAMES[s], params.sort == s) for s in others]


def not_found(request, message, query=""):
    """The site's 404 page, with a search for what was asked."""
    context = {"message": message, "query": query}
    return render(request, "404.html", context, status=404)


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


@require_GET
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


@require_GET
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


@require_GET
def export_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lwm2m-objects.csv"'
    writer = csv.DictWriter(response, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for item in export_rows(request):
        writer.writerow({key: spreadsheet_safe(value) for key, value in item.items()})
    return response


@require_GET
def export_json(request):
    response = JsonResponse(
        list(export_rows(request)), safe=False, json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = 'inline; filename="lwm2m-objects.json"'
    return response


def object_versions(object_id):
    """Every version of an object, oldest first, without the heavy columns."""
    return list(
        ObjectVersion.objects.defer("definition", "search_text")
        .filter(object_id=object_id)
        .order_by("ver_major", "ver_minor")
    )


def find_version(versions, ver):
    try:
        wanted = parse_version(ver)
    except BadVersion:
        return None
    return next((v for v in versions if (v.ver_major, v.ver_minor) == wanted), None)


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


@require_GET
def object_detail(request, object_id, ver=None):
    object_id, versions = resolve_object(request, object_id)
    if object_id is None:
        return versions
    if ver is None:
        version = next((v for v in versions if v.is_latest), versions[-1])
    else:
        version = find_version(versions, ver)
        if version is None:
            message = f"Object {object_id} has no version {ver:.40}."
            return not_found(request, message, str(object_id))
    for before, after in zip([None, *versions], versions, strict=False):
        after.previous = before
    context = {
        "version": version,
        "versions": versions,
        # Lazy: the template reads it only when its cached table is missing.
        "resources": Resource.objects.filter(object_version=version),
    }
    return render(request, "objects/object.html", context)


@require_GET
def compare(request, object_id, a, b):
    object_id, versions = resolve_object(request, object_id)
    if object_id is None:
        return versions
    old, new = find_version(versions, a), find_version(versions, b)
    if old is None or new is None:
        missing = a if old is None else b
        message = f"Object {object_id} has no version {missing:.40}."
        return not_found(request, message, str(object_id))
    resources = {old.pk: [], new.pk: []}
    for resource in Resource.objects.filter(object_version__in=[old.pk, new.pk]):
        resources[resource.object_version_id].append(resource)
    context = {
        "object_id": object_id,
        "versions": versions,
        "old": old,
        "new": new,
        "diff": compare_versions(old, new, resources[old.pk], resources[new.pk]),
    }
    return render(request, "objects/compare.html", context)


@require_GET
def compare_form(request, object_id):
    """The compare form's GET target: on to the canonical compare URL."""
    a, b = request.GET.get("a", "")[:40], request.GET.get("b", "")[:40]
    try:
        a, b = (format_version(*parse_version(v)) for v in (a, b))
        object_id = parse_object_id(object_id)
    except ValueError:
        return not_found(request, "Choose two versions to compare.", object_id[:40])
    return HttpResponseRedirect(reverse("objects:compare", args=[object_id, a, b]))


@require_GET
def healthz(request):
    """For load balancers: the process answers and can read its database."""
    ObjectVersion.objects.exists()
    return HttpResponse("ok", content_type="text/plain")
