"""The object list's query: parameters, search with relevance, filters and their facets.

The list works on light rows read once per successful sync and kept per process, with bitmaps
over them (objects/list_index.py): a request costs one small query (the last sync run) and a few
bitwise operations per facet value, at the registry's size or a hundred times it, on SQLite and
PostgreSQL alike.
"""

import contextlib
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.utils.text import Truncator

from objects.catalog.list_index import FACETS, ListIndex, OrderedRows
from objects.catalog.owners import OwnerGroup, group_owners, owner_key
from objects.catalog.reads import SwappedMidRead
from objects.lwm2m.ids import LABEL_CODES, LABEL_NAMES, LABELS, named_id
from objects.lwm2m.versions import BadVersion, normalize_version, version_key
from objects.models import Labelled, ObjectVersion, Resource

SORTS = ("relevance", "id", "name", "owner")
# The quality facet's values (ObjectVersion.quality) and names.
QUALITY_NAMES = {"error": "Errors", "warning": "Warnings only", "clean": "Clean"}
# The status facet's values and names: a placeholder is an ID the registry reserves with no
# definition to publish; the default list leaves placeholders out and says how many.
STATUS_NAMES = {
    "defined": "Defined",
    "placeholder": "Placeholder",
    "missing": "Definition missing",
    "invalid": "Definition invalid",
}
DEFAULT_STATUSES = ("defined", "missing", "invalid")
PER_CHOICES = (25, 50, 100, 200)
DEFAULT_PER = 50
MAX_QUERY = 200
MAX_OWNERS = 20
MAX_OWNER_LENGTH = 255
MAX_PAGE = 10_000
SHORT_DESCRIPTION = 110
URN_RE = re.compile(r"^urn:oma:lwm2m:(?:oma|ext|x):([0-9]{1,5})(?::[0-9.]{1,13})?$")


def _clean(text, limit):
    """User text without control characters (NUL included), whitespace folded, bounded."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(text)[: limit * 4])
    return " ".join(text.split())[:limit]


def _choices(values, allowed, limit=10):
    """The allowed values among a parameter's, in the allowed order, matched case-insensitively
    (`label=EXT` is `label=ext`)."""
    given = {str(value).strip().lower() for value in values[:limit]}
    return tuple(value for value in allowed if value in given)


def _int(text, default):
    text = str(text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 30 else default


def sort_per_page(query, q, sorts):
    """A list's (sort, per, page) from its URL: relevance by default while searching, ID
    otherwise (and relevance only while searching); the nearest page size offered; a page
    from 1 to MAX_PAGE."""
    default_sort = "relevance" if q else "id"
    sort = str(query.get("sort", default_sort)).strip().lower()
    if sort not in sorts or (sort == "relevance" and not q):
        sort = default_sort
    per = _int(query.get("per"), DEFAULT_PER)
    per = min(PER_CHOICES, key=lambda choice: abs(choice - per))
    page = min(max(_int(query.get("page"), 1), 1), MAX_PAGE)
    return sort, per, page


def sort_per_page_pairs(params):
    """The URL pairs of a list's sort, page size and page, defaults left out."""
    pairs = []
    if params.sort not in (("relevance",) if params.q else ("id", "relevance")):
        pairs.append(("sort", params.sort))
    if params.per != DEFAULT_PER:
        pairs.append(("per", params.per))
    if params.page != 1:
        pairs.append(("page", params.page))
    return pairs


@dataclass(frozen=True)
class ListParams:
    """The list's state, validated: what the URL says, clamped to what makes sense."""

    q: str = ""
    labels: tuple = ()
    owners: tuple = ()
    lwm2m: tuple = ()
    quality: tuple = ()
    statuses: tuple = DEFAULT_STATUSES
    sort: str = "id"
    page: int = 1
    per: int = DEFAULT_PER
    all_versions: bool = False
    # Every owner in the facet, not only the top ones.
    all_owners: bool = False

    @classmethod
    def from_query(cls, query):
        q = _clean(query.get("q", ""), MAX_QUERY)
        labels = _choices(query.getlist("label"), sorted(LABEL_CODES))
        owners = []
        for owner in query.getlist("owner")[:MAX_OWNERS]:
            owner = _clean(owner, MAX_OWNER_LENGTH)
            if owner and owner not in owners:
                owners.append(owner)
        lwm2m = set()
        for value in query.getlist("lwm2m")[:10]:
            with contextlib.suppress(BadVersion):
                lwm2m.add(normalize_version(value[:20]))
        quality = _choices(query.getlist("quality"), QUALITY_NAMES)
        statuses = _choices(query.getlist("status"), STATUS_NAMES) or DEFAULT_STATUSES
        sort, per, page = sort_per_page(query, q, SORTS)
        return cls(
            q=q,
            labels=labels,
            owners=tuple(owners),
            lwm2m=tuple(sorted(lwm2m)),
            quality=quality,
            statuses=statuses,
            sort=sort,
            page=page,
            per=per,
            all_versions=str(query.get("versions", "")).strip().lower() == "all",
            all_owners=str(query.get("owners", "")).strip().lower() == "all",
        )

    @property
    def words(self):
        return self.q.lower().split()

    @property
    def owner_keys(self):
        return {owner_key(owner) for owner in self.owners}

    @property
    def filtered(self):
        return bool(self.q or self.filters)

    @property
    def filters(self):
        """True when a filter (not the search) narrows the list."""
        return bool(
            self.labels
            or self.owners
            or self.lwm2m
            or self.quality
            or self.statuses != DEFAULT_STATUSES
        )

    def pairs(self, **changes):
        """The canonical query parameters (defaults left out), with some changed."""
        params = replace(self, **changes) if changes else self
        pairs = []
        if params.q:
            pairs.append(("q", params.q))
        pairs += [("label", v) for v in params.labels]
        pairs += [("owner", v) for v in params.owners]
        pairs += [("lwm2m", v) for v in params.lwm2m]
        pairs += [("quality", v) for v in params.quality]
        if params.statuses != DEFAULT_STATUSES:
            pairs += [("status", v) for v in params.statuses]
        if params.all_versions:
            pairs.append(("versions", "all"))
        if params.all_owners:
            pairs.append(("owners", "all"))
        return pairs + sort_per_page_pairs(params)

    def query_string(self, **changes):
        pairs = self.pairs(**changes)
        return "?" + urlencode(pairs) if pairs else ""


@dataclass
class Row(Labelled):
    """One object version, with what the list shows, filters and searches."""

    object_id: int
    ver: str
    is_latest: bool
    name: str
    owner: str
    label: int
    urn: str
    lwm2m_version: str
    description: str
    status: str
    search_text: str
    resource_count: int
    quality: str = ""
    object_link: str = ""
    versions: list = field(default_factory=list)
    # The owner's group (objects/owners.py) and the status facet's value, set by load_rows.
    owner_group: object = None
    list_status: str = ""
    # resource ID -> name, in ID order: what a search by resource ID or name matches.
    resources: dict = field(default_factory=dict)
    # The row's table cells, rendered once per sync by the view (rows don't change until then).
    html: str = ""

    @property
    def short_description(self):
        return Truncator(" ".join(self.description.split())).chars(SHORT_DESCRIPTION)

    @property
    def urn_parts(self):
        """The URN cut after each colon, where the table may wrap it."""
        return re.findall(r"[^:]*:?", self.urn)[:-1] or [self.urn]

    @property
    def other_versions(self):
        return [ver for ver in self.versions if ver != self.ver]


ROW_FIELDS = (
    "object_id", "ver", "is_latest", "name", "owner", "label", "urn", "lwm2m_version",
    "description", "status", "search_text", "resource_count", "quality", "object_link",
)  # fmt: skip

_index = {"key": object(), "rows": []}


def load_rows(run):
    """Every version as a Row with its resources' IDs and names, built once per successful
    sync run (two queries; SwappedMidRead when a sync's swap fell between them)."""
    key = (run.pk, run.finished) if run else None
    if key is not None and _index["key"] == key:
        return _index["rows"]
    by_pk = {
        values[0]: Row(*values[1:])
        for values in ObjectVersion.objects.order_by(
            "object_id", "ver_major", "ver_minor"
        ).values_list("pk", *ROW_FIELDS)
    }
    resources = Resource.objects.order_by("object_version", "resource_id").values_list(
        "object_version", "resource_id", "name"
    )
    for version_pk, resource_id, name in resources:
        if version_pk in by_pk:
            by_pk[version_pk].resources[resource_id] = name
    rows = Rows(by_pk.values())
    if any(len(row.resources) != row.resource_count for row in rows):
        raise SwappedMidRead
    versions = {}
    groups = group_owners(Counter(row.owner for row in rows))
    for row in rows:
        row.versions = versions.setdefault(row.object_id, [])
        row.versions.append(row.ver)
        row.owner_group = groups.get(row.owner)
        row.list_status = list_status(row)
    if key is not None:
        rows.index  # noqa: B018 - built here, once per sync, not by the first search
        _index.update(key=key, rows=rows)
    return rows


def list_status(row):
    """The status facet's value of a row."""
    if row.status == ObjectVersion.OK:
        return "defined"
    if row.status == ObjectVersion.INVALID:
        return "invalid"
    return "missing" if row.object_link else "placeholder"


def forget_rows():
    """Drop the index: for data changed outside a sync (tests, hand edits)."""
    _index.update(key=object(), rows=[])


def exact_object_id(q):
    """The ObjectID that a query names outright ("3303" or its URN), else None."""
    number = named_id(q)
    if number is not None:
        return number
    match = URN_RE.match(q.strip().lower())
    return int(match.group(1)) if match else None


def _owner_key(row):
    return row.owner_group.key if row.owner_group else ""


def facet_values(row):
    """A row's value in each facet (list_index.FACETS)."""
    return {
        "label": row.label_code,
        "owner": _owner_key(row),
        "lwm2m": row.lwm2m_version,
        "quality": row.quality,
        "status": row.list_status,
    }


def by_name(row):
    return (row.name.casefold(), row.object_id)


def by_owner(row):
    return (row.owner.casefold(), row.object_id)


SORT_KEYS = {"name": by_name, "owner": by_owner}


class Rows(list):
    """A sync's rows, with their index built on first use (objects/list_index.py)."""

    _index = None
    _owner_groups = None

    @property
    def owner_groups(self):
        """{key: OwnerGroup} of every owner of the rows."""
        if self._owner_groups is None:
            self._owner_groups = {r.owner_group.key: r.owner_group for r in self if r.owner_group}
        return self._owner_groups

    @property
    def index(self):
        if self._index is None:
            self._index = ListIndex(self, facet_values)
        return self._index


@dataclass
class Facet:
    name: str
    value: str
    label: str
    count: int
    selected: bool
    # The registry's spellings of an owner grouped under this entry (objects/owners.py).
    spellings: list = field(default_factory=list)

    @property
    def other_spellings(self):
        return [spelling for spelling in self.spellings if spelling != self.label]

    @property
    def key(self):
        """A stable HTML id, so htmx keeps the focus on a ticked box across swaps."""
        if self.name != "owner":
            return f"{self.name}-{self.value}"
        return f"owner-{hashlib.blake2s(self.value.encode(), digest_size=4).hexdigest()}"


@dataclass
class Result:
    rows: list
    facets: dict


def run_search(all_rows, params):
    """The rows that match, in order (read lazily, page by page), and each filter's facet
    counted under the other filters."""
    index = (all_rows if isinstance(all_rows, Rows) else Rows(all_rows)).index
    words, exact_id = params.words, exact_object_id(params.q)
    resource_id = named_id(params.q)
    scope = index.all if params.all_versions else index.latest
    candidates = scope
    if words:
        named = index.object_mask(exact_id) if exact_id is not None else 0
        if resource_id is not None:
            named |= index.resources.get(resource_id, 0)
        matched = index.matching(words, named)
        candidates &= named if matched is None else matched
    owner_keys = params.owner_keys
    chosen = {
        "label": params.labels,
        "owner": owner_keys,
        "lwm2m": params.lwm2m,
        "quality": params.quality,
        "status": params.statuses,
    }
    filters = {name: index.values_mask(name, values) for name, values in chosen.items() if values}
    rows = candidates
    for mask in filters.values():
        rows &= mask
    if params.sort == "relevance":
        ordered = OrderedRows(index, index.ranked(rows, words, exact_id, resource_id, params.q))
    else:
        key = SORT_KEYS.get(params.sort)
        ordered = OrderedRows(index, [rows], index.rank(key) if key else None)
    return Result(rows=ordered, facets=facets(index, candidates, filters, params))


def facets(index, candidates, filters, params):
    """Each facet's counts under the other filters; the unfiltered list's once per sync."""
    memo_key = None if params.filtered else (params.all_versions, params.statuses)
    counts = index.unfiltered.get(memo_key) if memo_key else None
    if counts is None:
        counts = {}
        for name in FACETS:
            base = candidates
            for other, mask in filters.items():
                if other != name:
                    base &= mask
            counts[name] = {
                value: (base & mask).bit_count() if base else 0
                for value, mask in index.facets[name].items()
            }
        if memo_key:
            index.unfiltered[memo_key] = counts
    owner_keys = params.owner_keys
    label = [
        Facet(
            "label", code, LABEL_NAMES[value], counts["label"].get(code, 0), code in params.labels
        )
        for value, code in LABELS.items()
    ]
    groups = dict(index.rows.owner_groups)
    for owner in params.owners:  # asked for, though nothing here has it: shown, at 0
        groups.setdefault(owner_key(owner), OwnerGroup(owner_key(owner), owner, [owner]))
    owner_counts = counts["owner"]
    owner = [
        Facet("owner", g.name, g.name, owner_counts.get(g.key, 0), g.key in owner_keys, g.spellings)
        for g in sorted(groups.values(), key=lambda g: (-owner_counts.get(g.key, 0), g.key))
        if g.key and (owner_counts.get(g.key) or g.key in owner_keys)
    ]
    versions = sorted(
        (v for v in {k for k, c in counts["lwm2m"].items() if c} | set(params.lwm2m) if v),
        key=version_key,
    )
    lwm2m = [Facet("lwm2m", v, v, counts["lwm2m"].get(v, 0), v in params.lwm2m) for v in versions]
    quality = [
        Facet("quality", v, name, counts["quality"].get(v, 0), v in params.quality)
        for v, name in QUALITY_NAMES.items()
    ]
    status = [
        Facet("status", v, name, counts["status"].get(v, 0), v in params.statuses)
        for v, name in STATUS_NAMES.items()
    ]
    return {"label": label, "owner": owner, "lwm2m": lwm2m, "quality": quality, "status": status}


def resource_hits(row, resource_id, words, limit=3):
    """The resources of a listed row that the search matched, (ID, name) each: the one whose
    ID it names (`resource_id`, from named_id), else those whose name holds one of its
    (lower-cased) `words`."""
    if resource_id is not None and resource_id in row.resources:
        return [(resource_id, row.resources[resource_id])]
    if not words:
        return []
    hits = [
        (rid, name) for rid, name in row.resources.items() if any(w in name.lower() for w in words)
    ]
    return hits[:limit]
