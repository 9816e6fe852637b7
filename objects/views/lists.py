"""The object list (search, filters, facets, pages); its exports are in exports.py."""

from dataclasses import dataclass, replace
from functools import cache, partial

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from objects.catalog.list_params import DEFAULT_STATUSES, STATUS_NAMES, ListParams
from objects.catalog.list_rows import load_rows
from objects.catalog.reads import retry_if_swapped
from objects.catalog.search import SearchResult, resource_hits, run_search
from objects.context_processors import last_sync
from objects.lwm2m.ids import named_id
from objects.lwm2m.paths import BadPath, parse_path
from objects.models import Resource, SyncRun
from objects.views.common import list_context, render_list

SORT_NAMES = {"relevance": "Relevance", "id": "ObjectID", "name": "Name", "owner": "Owner"}


def version_url(row):
    args = [row.object_id] if row.is_latest else [row.object_id, row.ver]
    return reverse("objects:object" if row.is_latest else "objects:version", args=args)


def follow_path(path, rows):
    """(the page an LwM2M path names, or None; a note that says why not, or "")."""
    versions = [row for row in rows if row.object_id == path.object_id]
    if not versions:
        return None, f"{path}: the registry has no object {path.object_id}."
    latest = next((row for row in versions if row.is_latest), versions[-1])
    if path.resource_id is None:
        return version_url(latest), ""
    having = [row for row in versions if path.resource_id in row.resources]
    if not having:
        name = f" {latest.name}" if latest.name else ""
        return None, f"{path}: object {path.object_id}{name} has no resource {path.resource_id}."
    newest = latest if latest in having else having[-1]
    target = f"{version_url(newest)}#resource-{path.resource_id}"
    if path.resource_instance is not None and not multiple(newest, path.resource_id):
        name = newest.resources[path.resource_id]
        return None, (
            f"{path}: resource {path.resource_id} ({name}) of object {path.object_id} is "
            f"single-instance, so it has no resource instance {path.resource_instance}; "
            f"the resource is /{path.object_id}/{path.instance}/{path.resource_id}."
        )
    return target, ""


def multiple(row, resource_id):
    """Whether a version's resource is multiple-instance (one small query, for a path that
    names a resource instance)."""
    instances = Resource.objects.filter(
        object_version__object_id=row.object_id,
        object_version__ver=row.ver,
        resource_id=resource_id,
    ).values_list("multiple_instances", flat=True)
    return (instances.first() or "").strip().lower() == "multiple"


@dataclass(frozen=True)
class ListMatch:
    """The rows a list request matches: its parameters, the run it read and the search's
    result; a search that is an LwM2M path names its `target` page, or says in `note` why it
    names none."""

    params: ListParams
    run: SyncRun | None
    result: SearchResult
    target: str | None
    note: str


@dataclass(frozen=True)
class ListPage:
    """A ListMatch's page of rows (`rows_html`, each row's cells) and its parameters with the
    page number it got."""

    params: ListParams
    run: SyncRun | None
    result: SearchResult
    page: Page
    rows_html: list[str]
    target: str | None
    note: str


def matching_rows(request: HttpRequest, every_status: bool = False) -> ListMatch:
    """An LwM2M path is searched as its ObjectID and names its `target` page, or says in
    `note` why it names none. With `every_status`, a request that names no status gets every
    status (placeholders too), as the registry's own files list them."""
    params = ListParams.from_query(request.GET)
    if every_status and "status" not in request.GET:
        params = replace(params, statuses=tuple(STATUS_NAMES))
    run = last_sync(request)
    rows = load_rows(run)
    search, target, note = params, None, ""
    try:
        path = parse_path(params.q)
    except BadPath as exc:
        note = str(exc)
    else:
        if path:
            target, note = follow_path(path, rows)
            search = replace(params, q=str(path.object_id))
    return ListMatch(params, run, run_search(rows, search), target, note)


# Where a row's cells name the resources a search matched: a comment no escaped value can
# hold, left in the row's HTML when it is rendered (once per sync) and filled per request.
HITS_SLOT = "<!--hits-->"


def row_html(row, resource_id, words):
    """A row's cells, rendered once per sync, with the resources this search matched."""
    if not row.html:
        row.html = render_to_string("objects/list.html#row", {"row": row})
    hits = resource_hits(row, resource_id, words)
    if not hits:
        return mark_safe(row.html.replace(HITS_SLOT, "", 1))
    links = format_html_join(
        "",
        '<a href="{}#resource-{}" class="hit">resource {} <bdi>{}</bdi></a>',
        ((version_url(row), rid, rid, name) for rid, name in hits),
    )
    return mark_safe(
        row.html.replace(HITS_SLOT, format_html('\n<span class="hits">matches {}</span>', links), 1)
    )


def search_results(request: HttpRequest) -> ListPage:
    matched = matching_rows(request)
    params = matched.params
    page = Paginator(matched.result.rows, params.per).get_page(params.page)
    resource_id, words = named_id(params.q), params.words
    rows_html = [row_html(row, resource_id, words) for row in page.object_list]
    params = replace(params, page=page.number)
    return ListPage(
        params, matched.run, matched.result, page, rows_html, matched.target, matched.note
    )


@cache
def list_path(script_prefix):
    """The list's path under a script prefix: asked for a dozen links per answer."""
    return reverse("objects:list")


def list_url(params, **changes):
    return list_path(get_script_prefix()) + params.query_string(**changes)


TOP_OWNERS = 10


@dataclass
class Chip:
    """An active filter, as a chip that removes it."""

    label: str
    remove_url: str


def active_filters(params, facets):
    """The search and each filter that narrows the list, each with the URL without it."""
    url = partial(list_url, params, page=1)
    names = {(f.name, f.value): f.label for group in facets.values() for f in group}
    chips = []
    if params.q:
        chips.append(Chip(f"Search: {params.q}", url(q="")))
    if params.ids:
        shown = ", ".join(map(str, params.ids[:10])) + (", …" if len(params.ids) > 10 else "")
        chips.append(Chip(f"Selection: {shown}", url(ids=())))
    for name, title, values in (
        ("label", "Label", params.labels),
        ("owner", "Owner", params.owners),
        ("lwm2m", "LwM2M", params.lwm2m),
        ("quality", "Quality", params.quality),
    ):
        for value in values:
            left = tuple(v for v in values if v != value)
            label = names.get((name, value), value)
            chips.append(Chip(f"{title}: {label}", url(**{FILTER_FIELDS[name]: left})))
    if params.statuses != DEFAULT_STATUSES:
        shown = ", ".join(STATUS_NAMES[v].lower() for v in params.statuses)
        chips.append(Chip(f"Status: {shown}", url(statuses=DEFAULT_STATUSES)))
    if params.all_versions:
        chips.append(Chip("Every version", url(all_versions=False)))
    return chips


FILTER_FIELDS = {"label": "labels", "owner": "owners", "lwm2m": "lwm2m", "quality": "quality"}


def owner_facets(params, facets):
    """(top, more, hidden): the owner entries shown first (the most used and every ticked one),
    the rest when every owner is asked for (`owners=all`), and how many that rest holds."""
    owners = facets["owner"]
    top = [f for i, f in enumerate(owners) if i < TOP_OWNERS or f.selected]
    rest = [f for i, f in enumerate(owners) if i >= TOP_OWNERS and not f.selected]
    return top, rest if params.all_owners else [], len(rest)


def column_sorts(params):
    """The sortable columns' links: each sorts by its column (and keeps the rest)."""
    return {
        column: {"url": list_url(params, sort=column, page=1), "current": params.sort == column}
        for column in ("id", "name", "owner")
    }


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request", "HX-Trigger")
@retry_if_swapped
def object_list(request):
    """The home page; an htmx request (not a history restore) gets only the results.

    A search that is an LwM2M path naming a page goes there, once submitted; while it is being
    typed (an htmx request from the search box) the results say where it goes instead.
    """
    listed = search_results(request)
    params, run, result, target = listed.params, listed.run, listed.result, listed.target
    typing = request.htmx and (request.htmx.trigger == "q" or request.htmx.history_restore_request)
    if target and not typing:
        if request.htmx:
            return HttpResponseClientRedirect(target)
        return HttpResponseRedirect(target)
    context = list_context(
        params, run, result, listed.page, lambda **changes: list_url(params, **changes), SORT_NAMES
    )
    top, more, more_count = owner_facets(params, result.facets)
    hidden = 0
    if "placeholder" not in params.statuses:
        hidden = next(f.count for f in result.facets["status"] if f.value == "placeholder")
    context |= {
        "owner_facets_top": top,
        "owner_facets_more": more,
        "more_owners_count": more_count,
        # The links a page may not show: made only if the template asks, once.
        "more_owners_url": cache(lambda: list_url(params, all_owners=True)),
        "fewer_owners_url": cache(lambda: list_url(params, all_owners=False)),
        "hidden_placeholders": hidden,
        "show_placeholders_url": cache(
            lambda: list_url(params, statuses=(*params.statuses, "placeholder"), page=1)
        ),
        "active_filters": active_filters(params, result.facets),
        "clear_all_url": list_url(ListParams(per=params.per)),
        "column_sorts": column_sorts(params),
        "rows_html": listed.rows_html,
        "path_target": target,
        "path_note": listed.note,
        "empty_registry": run is None and not result.rows and not params.filtered,
        "clear_search_url": cache(lambda: list_url(params, q="", page=1)),
        "clear_filters_url": cache(
            lambda: list_url(
                params,
                labels=(),
                owners=(),
                lwm2m=(),
                quality=(),
                statuses=DEFAULT_STATUSES,
                page=1,
            )
        ),
    }
    if context["empty_registry"]:
        context["failed_run"] = SyncRun.objects.filter(outcome=SyncRun.FAILED).first()
    return render_list(request, "objects/list.html", context, list_url(params), typing)


@require_safe
def objects_redirect(request):
    query = request.GET.urlencode()
    return HttpResponseRedirect(reverse("objects:list") + (f"?{query}" if query else ""))
