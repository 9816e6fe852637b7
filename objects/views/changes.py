"""What changed at each sync: /changes/ (by sync, filterable, shareable), its Atom feed and JSON."""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotFound, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import require_safe

from objects.catalog.list_params import _clean
from objects.lwm2m.ids import BadId, parse_object_id
from objects.mirror.json_api import api_view
from objects.models import Change, SyncRun
from objects.views.common import page_links

KINDS = dict(Change.KINDS)
RUNS_PER_PAGE = 20
FEED_ENTRIES = 100


@dataclass(frozen=True)
class ChangeFilters:
    """What the URL asks of the changes: kinds, an owner, a first day, one object."""

    kinds: tuple = ()
    owner: str = ""
    since: date | None = None
    object_id: int | None = None

    @classmethod
    def from_query(cls, query, object_id=None):
        """Unknown kinds and a `since` that is no YYYY-MM-DD date are dropped."""
        kinds = tuple(k for k in KINDS if k in query.getlist("kind")[:20])
        try:
            since = date.fromisoformat(str(query.get("since", ""))[:10])
        except ValueError:
            since = None
        return cls(kinds, _clean(query.get("owner", ""), 255), since, object_id)

    def changes(self):
        changes = Change.objects.select_related("run")
        if self.kinds:
            changes = changes.filter(kind__in=self.kinds)
        if self.owner:
            changes = changes.filter(owner__iexact=self.owner)
        if self.since:
            changes = changes.filter(run__finished__date__gte=self.since)
        if self.object_id is not None:
            changes = changes.filter(object_id=self.object_id)
        return changes


def change_url(change):
    """The page a change is best seen on: the compare of a changed version with the one
    before it, the object (or version) page, or nothing for a removal."""
    if change.object_id is None or change.kind in (Change.OBJECT_REMOVED, Change.VERSION_REMOVED):
        return ""
    if change.kind == Change.OBJECT_ADDED or not change.ver:
        return reverse("objects:object", args=[change.object_id])
    page = reverse("objects:version", args=[change.object_id, change.ver])
    return f"{page}#resource-{change.resource_id}" if change.resource_id is not None else page


def describe(change):
    """One line that says what happened, as the page, the feed and the JSON say it."""
    what = KINDS.get(change.kind, change.kind)
    subject = f"{change.object_id} {change.name}".strip() if change.object_id is not None else ""
    if change.ver and change.kind not in (Change.OBJECT_ADDED, Change.OBJECT_REMOVED):
        subject += f" v{change.ver}"
    if change.kind == Change.FIRST_IMPORT:
        return change.new
    if change.kind in (Change.OBJECT_ADDED, Change.OBJECT_REMOVED):
        versions = change.new or change.old
        return f"{what}: {subject} (version{'s' if ',' in versions else ''} {versions})"
    if change.resource_id is not None:
        detail = f" ({change.field})" if change.field else ""
        named = change.resource_name or change.new or change.old
        return f"{what}: {subject}, resource {change.resource_id} {named}{detail}".rstrip()
    if change.field:
        return f"{what}: {subject}, {change.field}"
    return f"{what}: {subject}"


@require_safe
def changes_page(request):
    filters = ChangeFilters.from_query(request.GET)
    runs = SyncRun.objects.filter(
        changes__in=filters.changes().values("pk")
    ).distinct().order_by("-finished")  # fmt: skip
    page = Paginator(runs, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    grouped = {run.pk: [] for run in shown}
    for change in filters.changes().filter(run__in=shown).order_by("pk"):
        change.url, change.text = change_url(change), describe(change)
        grouped[change.run_id].append(change)
    query = request.GET.copy()
    query.pop("page", None)

    def url_for(number):
        query["page"] = number
        return f"{reverse('objects:changes')}?{query.urlencode()}"

    context = {
        "groups": [(run, grouped[run.pk]) for run in shown],
        "kinds": [(code, name, code in filters.kinds) for code, name in Change.KINDS],
        "owner": filters.owner,
        "since": filters.since.isoformat() if filters.since else "",
        "page": page,
        "page_links": page_links(page, url_for),
        "feed_query": request.GET.urlencode(),
    }
    return render(request, "objects/changes.html", context)


@require_safe
def changes_feed(request, object_id=None):
    """An Atom 1.0 feed: the latest changes, one entry each, with the page's filters (one
    object's at /objects/<ID>/changes.atom; one owner's with ?owner=)."""
    if object_id is not None:
        try:
            object_id = parse_object_id(object_id)
        except BadId as exc:
            return HttpResponseNotFound(str(exc), content_type="text/plain; charset=utf-8")
    filters = ChangeFilters.from_query(request.GET, object_id)
    site = request.build_absolute_uri("/")[:-1]
    about = f" of object {object_id}" if object_id is not None else ""
    about += f" owned by {filters.owner}" if filters.owner else ""
    feed = Atom1Feed(
        title=f"LwM2M registry: what changed{about}",
        link=site + reverse("objects:changes"),
        description="Objects, versions, fields, definitions and resources changed at each sync",
        feed_url=request.build_absolute_uri(),
        language="en",
        author_name="LwM2M Registry Browser",  # Atom asks for an author of the feed
    )
    for change in filters.changes().order_by("-run__finished", "pk")[:FEED_ENTRIES]:
        url = change_url(change) or f"{reverse('objects:changes')}#run-{change.run_id}"
        summary = f"{describe(change)}." + (
            f" Was: {change.old[:500]}. Now: {change.new[:500]}." if change.field else ""
        )
        feed.add_item(
            title=describe(change),
            link=site + url,
            # Atom's summary is HTML: upstream text goes in as text, never as markup.
            description=escape(summary),
            unique_id=f"{site}{reverse('objects:changes')}#change-{change.pk}",
            updateddate=change.run.finished,
            pubdate=change.run.finished,
        )  # fmt: skip
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


@api_view
def changes_json(request):
    """GET /api/v1/changes/: the latest changes (the page's filters), newest sync first."""
    changes = ChangeFilters.from_query(request.GET).changes()
    changes = changes.order_by("-run__finished", "pk")[:1000]
    data = [
        {
            "Run": change.run_id,
            "Synced": change.run.finished.isoformat() if change.run.finished else None,
            "Kind": change.kind,
            "ObjectID": change.object_id,
            "Ver": change.ver,
            "Name": change.name,
            "Owner": change.owner,
            "ResourceID": change.resource_id,
            "ResourceName": change.resource_name,
            "Field": change.field,
            "Old": change.old,
            "New": change.new,
            "Summary": describe(change),
            "URL": change_url(change),
        }
        for change in changes
    ]
    return JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})
