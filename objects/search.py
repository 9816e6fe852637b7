"""The object list's query: parameters, search with relevance, filters and their facets.

The registry is small (hundreds of versions), so the list works on an in-memory index of light
rows, built with one query and kept per process until the next successful sync. A list request
then costs one small query (the last sync run) whatever the search, filters and sort, which keeps
the search fragment fast on SQLite and PostgreSQL alike.
"""

import contextlib
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.db import connection
from django.utils.text import Truncator

from .models import LABEL_CODES, LABEL_NAMES, LABELS, Labelled, ObjectVersion, Resource
from .store import SwappedMidRead
from .versions import BadVersion, normalize_version, version_key

SORTS = ("relevance", "id", "name", "owner")
# The quality facet's values (ObjectVersion.quality) and names.
QUALITY_NAMES = {"error": "Errors", "warning": "Warnings only", "clean": "Clean"}
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


def _int(text, default):
    text = str(text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 30 else default


def sort_per_page(query, q, sorts):
    """A list's (sort, per, page) from its URL: relevance by default while searching, ID
    otherwise (and relevance only while searching); the nearest page size offered; a page
    from 1 to MAX_PAGE."""
    default_sort = "relevance" if q else "id"
    sort = query.get("sort", default_sort)
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
    sort: str = "id"
    page: int = 1
    per: int = DEFAULT_PER
    all_versions: bool = False

    @classmethod
    def from_query(cls, query):
        q = _clean(query.get("q", ""), MAX_QUERY)
        labels = tuple(sorted({v for v in query.getlist("label")[:10] if v in LABEL_CODES}))
        owners = []
        for owner in query.getlist("owner")[:MAX_OWNERS]:
            owner = _clean(owner, MAX_OWNER_LENGTH)
            if owner and owner not in owners:
                owners.append(owner)
        lwm2m = set()
        for value in query.getlist("lwm2m")[:10]:
            with contextlib.suppress(BadVersion):
                lwm2m.add(normalize_version(value[:20]))
        quality = tuple(v for v in QUALITY_NAMES if v in query.getlist("quality")[:10])
        sort, per, page = sort_per_page(query, q, SORTS)
        return cls(
            q=q,
            labels=labels,
            owners=tuple(owners),
            lwm2m=tuple(sorted(lwm2m)),
            quality=quality,
            sort=sort,
            page=page,
            per=per,
            all_versions=query.get("versions") == "all",
        )

    @property
    def words(self):
        return self.q.lower().split()

    @property
    def filtered(self):
        return bool(self.q or self.labels or self.owners or self.lwm2m or self.quality)

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
        if params.all_versions:
            pairs.append(("versions", "all"))
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
    versions: list = field(default_factory=list)
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
    "description", "status", "search_text", "resource_count", "quality",
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
    rows = list(by_pk.values())
    if any(len(row.resources) != row.resource_count for row in rows):
        raise SwappedMidRead
    versions = {}
    for row in rows:
        row.versions = versions.setdefault(row.object_id, [])
        row.versions.append(row.ver)
    if key is not None:
        _index.update(key=key, rows=rows)
    return rows


def forget_rows():
    """Drop the index: for data changed outside a sync (tests, hand edits)."""
    _index.update(key=object(), rows=[])


def named_number(q):
    """The ID a query is outright ("3303", "5700"): an ObjectID or a resource ID; else None."""
    q = q.strip()
    return int(q) if q.isascii() and q.isdigit() and len(q) <= 5 else None


def exact_object_id(q):
    """The ObjectID that a query names outright ("3303" or its URN), else None."""
    number = named_number(q)
    if number is not None:
        return number
    match = URN_RE.match(q.strip().lower())
    return int(match.group(1)) if match else None


TOKEN_RE = re.compile(r"[^\W_]+")
FULLTEXT_SQL = (
    "SELECT object_id, ver FROM objects_objectversion "
    "WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', %s)"
)


def fulltext_matches(words):
    """On PostgreSQL, the (ObjectID, Ver) whose words begin with every word searched for.

    PostgreSQL answers from its full-text index (a GIN index on the same expression, made by
    migration 0002); elsewhere this is None and the words are matched as substrings.
    """
    if connection.vendor != "postgresql" or not words:
        return None
    tokens = [token for word in words for token in TOKEN_RE.findall(word)]
    if not tokens:
        return set()
    query = " & ".join(f"{token}:*" for token in tokens[:32])
    with connection.cursor() as cursor:
        cursor.execute(FULLTEXT_SQL, [query])
        return set(cursor.fetchall())


def relevance(row, words, exact_id, matches=None, resource_id=None):
    """A score for a row that has every word somewhere, else None.

    An exact ObjectID or URN comes first, then the objects that define the resource ID asked
    for, then matches in the name, then in the owner or URN, then anywhere else (descriptions,
    resource names). `matches`, when given, is the set of versions that the database's
    full-text search found.
    """
    if not words:
        return 0
    named = row.object_id == exact_id or resource_id in row.resources
    if matches is not None:
        if (row.object_id, row.ver) not in matches and not named:
            return None
    elif not (named or all(word in row.search_text for word in words)):
        return None
    score = 1000 if row.object_id == exact_id else 500 if resource_id in row.resources else 0
    name, other = row.name.lower(), f"{row.owner} {row.urn}".lower()
    if " ".join(words) == name:
        score += 100
    for word in words:
        if word in name:
            score += 20 if re.search(rf"\b{re.escape(word)}", name) else 10
        elif word in other:
            score += 5
        else:
            score += 1
    return score


def _passes(row, params, skip):
    return (
        (skip == "label" or not params.labels or row.label_code in params.labels)
        and (skip == "owner" or not params.owners or row.owner in params.owners)
        and (skip == "lwm2m" or not params.lwm2m or row.lwm2m_version in params.lwm2m)
        and (skip == "quality" or not params.quality or row.quality in params.quality)
    )


SORT_KEYS = {
    "id": lambda row: row.object_id,
    "name": lambda row: (row.name.casefold(), row.object_id),
    "owner": lambda row: (row.owner.casefold(), row.object_id),
}


@dataclass
class Facet:
    name: str
    value: str
    label: str
    count: int
    selected: bool

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
    """The rows that match, sorted, and each filter's facet counted under the other filters."""
    words, exact_id = params.words, exact_object_id(params.q)
    resource_id = named_number(params.q)
    matches = fulltext_matches(words)
    candidates, scores = [], {}
    for row in all_rows:
        if not (params.all_versions or row.is_latest):
            continue
        score = relevance(row, words, exact_id, matches, resource_id)
        if score is not None:
            scores[id(row)] = score
            candidates.append(row)
    rows = [row for row in candidates if _passes(row, params, None)]
    if params.sort == "relevance":
        rows.sort(key=lambda row: (-scores[id(row)], row.object_id))
    else:
        rows.sort(key=SORT_KEYS[params.sort])
    return Result(rows=rows, facets=facets(candidates, params))


def facets(candidates, params):
    counts = {
        name: Counter(getter(row) for row in candidates if _passes(row, params, name))
        for name, getter in (
            ("label", lambda row: row.label_code),
            ("owner", lambda row: row.owner),
            ("lwm2m", lambda row: row.lwm2m_version),
            ("quality", lambda row: row.quality),
        )
    }
    label = [
        Facet("label", code, LABEL_NAMES[value], counts["label"][code], code in params.labels)
        for value, code in LABELS.items()
    ]
    owners = sorted(
        (owner for owner in set(counts["owner"]) | set(params.owners) if owner),
        key=lambda owner: (-counts["owner"][owner], owner.casefold()),
    )
    owner = [Facet("owner", o, o, counts["owner"][o], o in params.owners) for o in owners]
    versions = sorted(
        (v for v in set(counts["lwm2m"]) | set(params.lwm2m) if v),
        key=version_key,
    )
    lwm2m = [Facet("lwm2m", v, v, counts["lwm2m"][v], v in params.lwm2m) for v in versions]
    quality = [
        Facet("quality", v, name, counts["quality"][v], v in params.quality)
        for v, name in QUALITY_NAMES.items()
    ]
    return {"label": label, "owner": owner, "lwm2m": lwm2m, "quality": quality}


def resource_hits(row, resource_id, words, limit=3):
    """The resources of a listed row that the search matched, (ID, name) each: the one whose
    ID it names (`resource_id`, from named_number), else those whose name holds one of its
    (lower-cased) `words`."""
    if resource_id is not None and resource_id in row.resources:
        return [(resource_id, row.resources[resource_id])]
    if not words:
        return []
    hits = [
        (rid, name) for rid, name in row.resources.items() if any(w in name.lower() for w in words)
    ]
    return hits[:limit]
