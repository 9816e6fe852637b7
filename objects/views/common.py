"""What every page family shares."""

from itertools import chain
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django_htmx.http import push_url, replace_url

from objects.catalog.list_params import PER_CHOICES


def not_found(request, message, query=""):
    """The site's 404 page, with a search for what was asked."""
    context = {"message": message, "query": query}
    return render(request, "404.html", context, status=404)


def record_history(request, response, url, typing):
    """One history entry per search, not one per pause in typing: while a search is typed,
    its URL replaces the entry of the search being typed; anything else (a submitted search, a
    filter, a sort, a page) pushes one, unless the URL is the one already shown."""
    current = urlsplit(request.htmx.current_url or "")
    shown = current.path + (f"?{current.query}" if current.query else "")
    if url == shown:
        return push_url(response, False)
    searching = " ".join(QueryDict(current.query).get("q", "").split())
    if typing and searching:
        return replace_url(response, url)
    return push_url(response, url)


def page_links(page, url_for, around=2):
    """Previous, first, a window around the current page, last, next; a None url is a gap.
    `url_for(number)` is the URL of page `number`."""
    if not page.has_other_pages():
        return []
    last, current = page.paginator.num_pages, page.number
    numbers = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    links = []
    if page.has_previous():
        links.append({"text": "‹ Previous", "url": url_for(current - 1), "rel": "prev"})
    for before, number in zip([0, *numbers], numbers, strict=False):
        if number - before > 1:
            links.append({"text": "…", "url": None})
        links.append({"text": number, "url": url_for(number), "current": number == current})
    if page.has_next():
        links.append({"text": "Next ›", "url": url_for(current + 1), "rel": "next"})
    return links


def spreadsheet_safe(value):
    """A cell a spreadsheet will not run as a formula (the data comes from the network)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def sort_choices(params, names):
    """(value, name, selected) for a list's Sort menu; `names` maps each sort to its name.
    The default sort has no value, so it follows the search: relevance while searching, ID
    otherwise."""
    default = "relevance" if params.q else "id"
    choices = [("", names[default], params.sort == default)]
    others = [s for s in names if s != default and (s != "relevance" or params.q)]
    return choices + [(s, names[s], params.sort == s) for s in others]


def list_context(params, run, result, page, url_for, sort_names):
    """What every searchable list's template needs; `url_for(**changes)` is the list's URL
    with its parameters changed."""
    return {
        "params": params,
        "run": run,
        "result": result,
        "page": page,
        "facets": result.facets,
        "sorts": sort_choices(params, sort_names),
        "per_choices": PER_CHOICES,
        "page_links": page_links(page, lambda number: url_for(page=number)),
        "export_query": params.query_string(page=1),
    }


def render_list(request, template, context, url, typing):
    """The whole page, or, to htmx (not restoring history), its results partial with the URL
    recorded in the history as record_history says."""
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, f"{template}#results", context)
        return record_history(request, response, url, typing)
    return render(request, template, context)


# About what a stored answer's key and headers hold besides its body (objects/catalog/lru.py).
STORED_HEADERS = 4096


def whole_or_streamed(request, chunks, content_type):
    """The answer whole when its body is small enough (every export of today's registry), else
    streamed as it is made: built in the view, a whole answer is read before a swap can change
    it, kept once per sync (registry_site/http_cache.py), and sent without a generator that a
    slow reader holds open. A HEAD makes no body (the same headers, but Content-Length)."""
    if request.method == "HEAD":
        return StreamingHttpResponse((), content_type=content_type)
    chunks, head, size = iter(chunks), [], 0
    # What the answers' store keeps at most, less what its key and headers take there.
    limit = max(0, settings.ANSWER_CACHE_BYTES // 8 - STORED_HEADERS)
    for chunk in chunks:
        head.append(chunk)
        size += len(chunk)
        if size > limit:
            return StreamingHttpResponse(chain(head, chunks), content_type=content_type)
    return HttpResponse(b"".join(head), content_type=content_type)
