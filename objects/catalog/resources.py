"""The resource registry: every resource ID the registry knows, what it is, and who uses it.

A resource ID's meaning depends on its range: 0-2047 are defined by each object for itself
(ID 1 of one object has nothing to do with ID 1 of another), 2048-26240 are reusable and
registered in Common.xml, 26241-32768 are reused privately. The list works, like the object
list, on an in-memory index built once per sync from the object list's own rows.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.urls import reverse

from objects.catalog.list_params import (
    DEFAULT_PER,
    MAX_QUERY,
    _clean,
    sort_per_page,
    sort_per_page_pairs,
)
from objects.catalog.list_rows import load_rows
from objects.catalog.per_sync import per_sync
from objects.catalog.search import Facet
from objects.lwm2m.fields import COMMON_CHECKED
from objects.lwm2m.ids import RESOURCE_ID_RANGES, named_id, resource_id_class
from objects.models import CommonResource, Resource

CLASS_NAMES = {code: name for code, name, _, _ in RESOURCE_ID_RANGES}
CLASS_RANGES = {code: f"{first}-{last}" for code, _, first, last in RESOURCE_ID_RANGES}
RESOURCE_SORTS = ("relevance", "id", "name", "used")
SORT_NAMES = {"relevance": "Relevance", "id": "Resource ID", "name": "Name", "used": "Most used"}


def folded(text):
    """Text compared as a reader sees it: whitespace runs as one space."""
    return " ".join((text or "").split())


@dataclass
class ResourceEntry:
    """One resource ID: Common.xml's definition of it, if any, and the objects that use it."""

    resource_id: int
    common: CommonResource | None = None
    names: Counter = field(default_factory=Counter)
    objects: list = field(default_factory=list)
    search_text: str = ""
    # Its row in the list, rendered once per sync by the view (entries don't change until then).
    html: str = ""

    @property
    def id_class(self):
        return resource_id_class(self.resource_id)

    @property
    def class_name(self):
        return CLASS_NAMES.get(self.id_class, "Out of range")

    @property
    def name(self):
        """Common.xml's name, else the name most objects give it."""
        if self.common:
            return self.common.name
        return min(self.names, key=lambda n: (-self.names[n], n)) if self.names else ""

    @property
    def other_names(self):
        return sorted(name for name in self.names if name != self.name)

    @property
    def per_object_names(self):
        """An ID each object defines for itself (0-2047) under several names: those names,
        the most used first; no one of them is the ID's name."""
        if self.id_class != "object" or len(self.names) < 2:
            return []
        return sorted(self.names, key=lambda n: (-self.names[n], n))

    @property
    def used_by(self):
        return len(self.objects)

    @property
    def url(self):
        return reverse("objects:resource", args=[self.resource_id])


@per_sync(maxsize=1)
def load_index(run):
    """Every resource ID, in ID order, built once per sync."""
    entries = {}
    for common in CommonResource.objects.order_by("resource_id"):
        entries[common.resource_id] = ResourceEntry(common.resource_id, common=common)
    for row in load_rows(run):
        if not row.is_latest:
            continue
        for resource_id, name in row.resources.items():
            entry = entries.setdefault(resource_id, ResourceEntry(resource_id))
            entry.names[name] += 1
            entry.objects.append(row.object_id)
    for entry in entries.values():
        words = [str(entry.resource_id), *entry.names]
        if entry.common:
            words.append(entry.common.name)
        entry.search_text = " ".join(folded(word).lower() for word in words)
    return [entries[resource_id] for resource_id in sorted(entries)]


@per_sync(maxsize=1)
def usage_counts(run):
    """{resource ID: the number of objects whose latest version defines it}, once per sync."""
    return {entry.resource_id: entry.used_by for entry in load_index(run)}


@dataclass(frozen=True)
class ResourceParams:
    """The resource list's state, validated, as the URL says it."""

    q: str = ""
    classes: tuple = ()
    common: str = ""  # "yes": in Common.xml; "no": only in objects; "": either
    sort: str = "id"
    page: int = 1
    per: int = DEFAULT_PER

    @classmethod
    def from_query(cls, query):
        q = _clean(query.get("q", ""), MAX_QUERY)
        classes = tuple(sorted({v for v in query.getlist("class")[:10] if v in CLASS_NAMES}))
        common = query.get("common", "")
        common = common if common in ("yes", "no") else ""
        sort, per, page = sort_per_page(query, q, RESOURCE_SORTS)
        return cls(q=q, classes=classes, common=common, sort=sort, page=page, per=per)

    @property
    def filtered(self):
        return bool(self.q or self.classes or self.common)

    def pairs(self, **changes):
        params = replace(self, **changes) if changes else self
        pairs = [("q", params.q)] if params.q else []
        pairs += [("class", code) for code in params.classes]
        if params.common:
            pairs.append(("common", params.common))
        return pairs + sort_per_page_pairs(params)

    def query_string(self, **changes):
        pairs = self.pairs(**changes)
        return "?" + urlencode(pairs) if pairs else ""


def resource_number(q):
    """The resource ID a query names outright ("5700", "/5700"), else None."""
    return named_id(q.strip().lstrip("/"))


def _score(entry, words, number):
    if number is not None and entry.resource_id == number:
        return 1000
    if not words or not all(word in entry.search_text for word in words):
        return None
    name = entry.name.lower()
    score = 100 if " ".join(words) == name else 0
    return score + sum(20 if word in name else 1 for word in words)


def _passes(entry, params, skip=None):
    in_common = "yes" if entry.common is not None else "no"
    return (skip == "class" or not params.classes or entry.id_class in params.classes) and (
        skip == "common" or not params.common or params.common == in_common
    )


RESOURCE_SORT_KEYS = {
    "id": lambda entry: entry.resource_id,
    "name": lambda entry: (entry.name.casefold(), entry.resource_id),
    "used": lambda entry: (-entry.used_by, entry.resource_id),
}


@dataclass
class ResourceResult:
    entries: list
    facets: dict


def search_resources(entries, params):
    """The entries that match, sorted, with each filter's counts under the other filters."""
    words, number = params.q.lower().split(), resource_number(params.q)
    candidates, scores = [], {}
    for entry in entries:
        score = _score(entry, words, number) if params.q else 0
        if score is not None:
            scores[entry.resource_id] = score
            candidates.append(entry)
    found = [entry for entry in candidates if _passes(entry, params)]
    if params.sort == "relevance":
        found.sort(key=lambda entry: (-scores[entry.resource_id], entry.resource_id))
    else:
        found.sort(key=RESOURCE_SORT_KEYS[params.sort])
    classes = Counter(e.id_class for e in candidates if _passes(e, params, "class"))
    common = Counter(e.common is not None for e in candidates if _passes(e, params, "common"))
    facets = {
        "class": [
            Facet("class", code, name, classes[code], code in params.classes)
            for code, name, _, _ in RESOURCE_ID_RANGES
        ],
        "common": [
            Facet("common", "yes", "In Common.xml", common[True], params.common == "yes"),
            Facet("common", "no", "Only in objects", common[False], params.common == "no"),
        ],
    }
    return ResourceResult(entries=found, facets=facets)


@dataclass
class Use:
    """One object version's definition of the resource."""

    resource_id: int
    object_id: int
    ver: str
    is_latest: bool
    object_name: str
    owner: str

    @property
    def url(self):
        if self.is_latest:
            page = reverse("objects:object", args=[self.object_id])
        else:
            page = reverse("objects:version", args=[self.object_id, self.ver])
        return f"{page}#resource-{self.resource_id}"


@dataclass
class Variant:
    """A definition of the resource as one or more object versions give it, word for word."""

    name: str
    operations: str
    multiple_instances: str
    mandatory: str
    type: str
    range_enumeration: str
    units: str
    description: str
    uses: list = field(default_factory=list)
    # The fields in which it departs from Common.xml's definition.
    departures: tuple = ()

    @property
    def latest_uses(self):
        return sum(use.is_latest for use in self.uses)


VARIANT_FIELDS = (
    "name", "operations", "multiple_instances", "mandatory", "type",
    "range_enumeration", "units", "description",
)  # fmt: skip


def variants(resource_id, common=None, all_versions=False):
    """How the objects define a resource ID, identical definitions grouped, the most used
    first; each with the fields where it departs from `common` (a CommonResource)."""
    rows = Resource.objects.filter(resource_id=resource_id).select_related("object_version")
    if not all_versions:
        rows = rows.filter(object_version__is_latest=True)
    grouped = defaultdict(list)
    for resource in rows.order_by("object_version__object_id", "-object_version__ver_major",
                                  "-object_version__ver_minor"):  # fmt: skip
        version = resource.object_version
        key = tuple(folded(getattr(resource, name)) for name in VARIANT_FIELDS)
        grouped[key].append(
            Use(
                resource_id,
                version.object_id,
                version.ver,
                version.is_latest,
                version.name,
                version.owner,
            )
        )
    found = []
    for key, uses in grouped.items():
        variant = Variant(*key, uses=sorted(uses, key=lambda u: (not u.is_latest, u.object_id)))
        if common is not None:
            variant.departures = tuple(
                name
                for _, name in COMMON_CHECKED
                if folded(getattr(variant, name)) != folded(getattr(common, name))
            )
        found.append(variant)
    found.sort(key=lambda v: (-v.latest_uses, -len(v.uses), v.uses[0].object_id))
    return found


def older_only_count(resource_id):
    """Objects whose older versions define the ID while their latest does not."""
    older = set(
        Resource.objects.filter(
            resource_id=resource_id, object_version__is_latest=False
        ).values_list("object_version__object_id", flat=True)
    )
    latest = set(
        Resource.objects.filter(
            resource_id=resource_id, object_version__is_latest=True
        ).values_list("object_version__object_id", flat=True)
    )
    return len(older - latest)
