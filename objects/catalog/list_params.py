"""The object list's state as its URL says it: parameters read, bounded and validated, in one
frozen value that writes its own canonical query string (and the helpers the resource list
shares)."""

import contextlib
import re
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from objects.catalog.owners import owner_key
from objects.lwm2m.ids import LABEL_CODES, LAST_OBJECT_ID, named_id
from objects.lwm2m.versions import BadVersion, normalize_version

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
# The most ObjectIDs a selection (id=...) names.
MAX_SELECTED = 500
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
    # A selection: these ObjectIDs only (id=3,5,3303), in ID order.
    ids: tuple = ()

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
        ids = set()
        for value in query.getlist("id")[:MAX_SELECTED]:
            for part in str(value).split(",")[:MAX_SELECTED]:
                if (number := named_id(part)) is not None and number <= LAST_OBJECT_ID:
                    ids.add(number)
        return cls(
            ids=tuple(sorted(ids)[:MAX_SELECTED]),
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
            self.ids
            or self.labels
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
        if params.ids:
            pairs.append(("id", ",".join(map(str, params.ids))))
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
