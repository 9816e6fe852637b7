"""The object list's search: relevance, filters and their facets, over the rows of
objects/catalog/list_rows.py as objects/catalog/list_params.py asks.

The list works on light rows read once per successful sync and kept per process, with bitmaps
over them (objects/catalog/list_index.py): a request costs one small query (the last sync run)
and a few bitwise operations per facet value, at the registry's size or a hundred times it, on
SQLite and PostgreSQL alike.
"""

import hashlib
from dataclasses import dataclass, field

from objects.catalog.list_index import FACETS, OrderedRows
from objects.catalog.list_params import QUALITY_NAMES, STATUS_NAMES, URN_RE
from objects.catalog.list_rows import SORT_KEYS, Rows
from objects.catalog.owners import OwnerGroup, owner_key
from objects.lwm2m.ids import LABEL_NAMES, LABELS, named_id
from objects.lwm2m.versions import version_key


def exact_object_id(q):
    """The ObjectID that a query names outright ("3303" or its URN), else None."""
    number = named_id(q)
    if number is not None:
        return number
    match = URN_RE.match(q.strip().lower())
    return int(match.group(1)) if match else None


@dataclass
class Facet:
    name: str
    value: str
    label: str
    count: int
    selected: bool
    # The registry's spellings of an owner grouped under this entry (objects/catalog/owners.py).
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
class SearchResult:
    rows: list
    facets: dict


def listed_ids(words):
    """The ObjectIDs a search of several numbers names ("3 5 3303", "3,5,3303"), else ()."""
    parts = [part for word in words for part in word.split(",") if part]
    if len(parts) < 2:
        return ()
    ids = [named_id(part) for part in parts]
    return () if None in ids else tuple(ids)


def run_search(all_rows, params):
    """The rows that match, in order (read lazily, page by page), and each filter's facet
    counted under the other filters."""
    index = (all_rows if isinstance(all_rows, Rows) else Rows(all_rows)).index
    words, exact_id = params.words, exact_object_id(params.q)
    resource_id = named_id(params.q)
    scope = index.all if params.all_versions else index.latest
    candidates = scope
    if params.ids:
        candidates &= index.objects_mask(params.ids)
    listed = listed_ids(words)
    if listed:
        # "3 5 3303": several ObjectIDs, each found, not every word in one object.
        candidates &= index.objects_mask(listed)
    elif words:
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
    if params.sort == "relevance" and not listed:
        ordered = OrderedRows(index, index.ranked(rows, words, exact_id, resource_id, params.q))
    else:
        key = SORT_KEYS.get(params.sort)
        ordered = OrderedRows(index, [rows], index.rank(key) if key else None)
    return SearchResult(rows=ordered, facets=facets(index, candidates, filters, params))


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
