"""The ID space: how much of each ObjectID range and resource-ID range the registry has taken,
who holds the most ObjectIDs, and what one ID is (taken, free, not assignable). For /ids/ and
/api/v1/ids/.

Everything is computed from the list's in-memory rows and the resource index, once per sync:
a request costs the last-sync query and nothing else.
"""

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from objects.catalog.list_rows import load_rows
from objects.catalog.owners import group_owners
from objects.catalog.per_sync import per_sync
from objects.catalog.resources import load_index
from objects.lwm2m.ids import (
    LABEL_NAMES,
    LAST_OBJECT_ID,
    LAST_RESOURCE_ID,
    MAX_ID,
    OBJECT_ID_RANGES,
    OMA_PARTS,
    RESOURCE_ID_RANGES,
)

# Resource IDs past the last range: no resource may have them.
INVALID_RESOURCES = ("invalid", "Invalid", LAST_RESOURCE_ID + 1, MAX_ID)
RESOURCE_RANGES = (*RESOURCE_ID_RANGES, INVALID_RESOURCES)
TOP_OWNERS = 15
# The occupancy picture: at most this many cells a range, each shaded by the share taken.
CELLS = 50
SHADES = 4
MAX_LISTED = 100


def _number(n):
    return f"{n:,}"


@dataclass
class Cell:
    first: int
    last: int
    taken: int

    @property
    def size(self):
        return self.last - self.first + 1

    @property
    def shade(self):
        """0 when nothing is taken, else 1 (a quarter or less) to SHADES (over three quarters)."""
        if not self.taken:
            return 0
        return min(SHADES, 1 + (SHADES * (self.taken - 1)) // self.size)

    @property
    def text(self):
        span = f"{self.first}" if self.first == self.last else f"{self.first}-{self.last}"
        return f"{span}: {self.taken} of {_number(self.size)} taken"


@dataclass
class IdRange:
    """One ObjectID range with the distinct IDs the registry has in it."""

    first: int
    last: int
    what: str
    label: int | None  # the Label its objects take; None: not assignable
    taken: int = 0
    parts: list = field(default_factory=list)
    cells: list = field(default_factory=list)

    @property
    def size(self):
        return self.last - self.first + 1

    @property
    def free(self):
        return self.size - self.taken

    @property
    def assignable(self):
        return self.label is not None

    @property
    def span(self):
        return f"{self.first}-{self.last}"

    @property
    def label_name(self):
        return LABEL_NAMES.get(self.label, "") if self.label is not None else ""

    @property
    def text(self):
        return f"{self.span}: {self.what}"


@dataclass
class ResourceRange:
    code: str
    name: str
    first: int
    last: int
    used: int = 0  # IDs some object's latest version defines
    common: int = 0  # IDs Common.xml lists

    @property
    def size(self):
        return self.last - self.first + 1

    @property
    def span(self):
        return f"{self.first}-{self.last}"


@dataclass
class Owner:
    name: str
    count: int
    # The registry's other spellings of it, counted with it.
    other_spellings: list = field(default_factory=list)

    @property
    def url(self):
        return reverse("objects:list") + "?" + urlencode({"owner": self.name})


@dataclass
class IdSpace:
    ranges: list
    resource_ranges: list
    owners: list
    owner_count: int
    taken: int
    # ObjectID -> its versions (Rows), oldest first; resource ID -> its ResourceEntry.
    versions: dict
    resources: dict
    latest: dict

    @property
    def size(self):
        return sum(r.size for r in self.ranges)

    @property
    def last(self):
        return self.ranges[-1].last

    @property
    def free(self):
        """The IDs no object has in the ranges open to assignment."""
        return sum(r.free for r in self.ranges if r.assignable)

    @property
    def summary(self):
        """The picture's text: every range's count, for those who cannot see it."""
        parts = [f"{r.span} {r.what}: {_number(r.taken)} of {_number(r.size)}" for r in self.ranges]
        total = f"{_number(self.taken)} of {_number(self.size)} ObjectIDs taken"
        return f"{total}. {'; '.join(parts)}."


def _cells(first, last, taken_ids):
    size = last - first + 1
    block = -(-size // min(size, CELLS))
    cells = []
    for start in range(first, last + 1, block):
        end = min(start + block - 1, last)
        count = bisect.bisect_right(taken_ids, end) - bisect.bisect_left(taken_ids, start)
        cells.append(Cell(start, end, count))
    return cells


def _count(taken_ids, first, last):
    return bisect.bisect_right(taken_ids, last) - bisect.bisect_left(taken_ids, first)


@per_sync(maxsize=1)
def id_space(run):
    """The ID space as the last sync left it."""
    rows = load_rows(run)
    versions = defaultdict(list)
    for row in rows:
        versions[row.object_id].append(row)
    taken_ids = sorted(versions)
    ranges = []
    for label, first, last, what in OBJECT_ID_RANGES:
        found = IdRange(first, last, what, label, _count(taken_ids, first, last))
        found.cells = _cells(first, last, taken_ids)
        if (first, last) == (OMA_PARTS[0][0], OMA_PARTS[-1][1]):
            found.parts = [
                IdRange(a, b, part, label, _count(taken_ids, a, b)) for a, b, part in OMA_PARTS
            ]
        ranges.append(found)
    latest = {}
    for object_id, rows_of_id in versions.items():
        latest[object_id] = next((r for r in rows_of_id if r.is_latest), rows_of_id[-1])
    # Spellings of one owner count as one (objects/catalog/owners.py), named by its most used.
    groups = group_owners(Counter(row.owner for row in latest.values() if row.owner.strip()))
    held = Counter(groups[row.owner].key for row in latest.values() if row.owner in groups)
    names = {group.key: group for group in groups.values()}
    owners = sorted(held, key=lambda key: (-held[key], key))
    entries = {entry.resource_id: entry for entry in load_index(run)}
    resource_ranges = []
    for code, name, first, last in RESOURCE_RANGES:
        inside = [e for e in entries.values() if first <= e.resource_id <= last]
        resource_ranges.append(
            ResourceRange(
                code,
                name,
                first,
                last,
                used=sum(1 for e in inside if e.used_by),
                common=sum(1 for e in inside if e.common is not None),
            )
        )
    return IdSpace(
        ranges=ranges,
        resource_ranges=resource_ranges,
        owners=[
            Owner(names[key].name, held[key], names[key].other_spellings)
            for key in owners[:TOP_OWNERS]
        ],
        owner_count=len(owners),
        taken=len(taken_ids),
        versions=dict(versions),
        resources=entries,
        latest=latest,
    )


def label_text(label):
    return f"Label {label} ({LABEL_NAMES[label]})"


@dataclass
class ObjectLookup:
    """What one ObjectID is: "taken", "free" or "reserved" (not assignable)."""

    object_id: int
    status: str
    range: IdRange | None  # None past the last range
    versions: list  # its Rows, oldest first; empty when not taken
    notes: list

    @property
    def latest(self):
        return next((r for r in self.versions if r.is_latest), self.versions[-1])

    @property
    def reason(self):
        return self.range.text if self.range else f"past {LAST_OBJECT_ID}: no ObjectID"

    @property
    def headline(self):
        if self.status == "taken":
            return f"ObjectID {self.object_id} is taken."
        if self.status == "free":
            return f"ObjectID {self.object_id} is free."
        return f"ObjectID {self.object_id} is not assignable: {self.reason}."

    @property
    def summary(self):
        if self.status == "taken":
            latest = self.latest
            vers = ", ".join(r.ver for r in self.versions)
            plural = "s" if len(self.versions) > 1 else ""
            return (
                f"ObjectID {self.object_id} is taken by {latest.owner or '(no owner)'}: "
                f"{latest.name or '(no name)'} (version{plural} {vers})."
            )
        if self.status == "free":
            return (
                f"ObjectID {self.object_id} is free: range {self.reason}; an object there takes "
                f"{label_text(self.range.label)}."
            )
        return self.headline

    @property
    def url(self):
        return reverse("objects:object", args=[self.object_id]) if self.versions else ""


def lookup_object(space, object_id):
    found = next((r for r in space.ranges if r.first <= object_id <= r.last), None)
    versions = space.versions.get(object_id, [])
    notes = []
    if versions:
        status = "taken"
        latest = next((r for r in versions if r.is_latest), versions[-1])
        if found is None or not found.assignable:
            where = found.text if found else f"past {LAST_OBJECT_ID}"
            notes.append(f"Its range is not assignable ({where}).")
        elif latest.label != found.label:
            notes.append(
                f"Its {label_text(latest.label)} is not the one its range takes "
                f"({label_text(found.label)})."
            )
    else:
        status = "free" if found is not None and found.assignable else "reserved"
    return ObjectLookup(object_id, status, found, versions, notes)


@dataclass
class ResourceLookup:
    """What one resource ID is: its range ("object", "reusable", "private", "invalid"),
    whether Common.xml lists it and which objects' latest versions define it."""

    resource_id: int
    range: ResourceRange
    entry: object  # its ResourceEntry, or None when nothing has it
    objects: list  # the latest Rows that define it, in ObjectID order

    @property
    def status(self):
        return self.range.code

    @property
    def common(self):
        return self.entry.common if self.entry is not None else None

    max_listed = MAX_LISTED  # a class attribute, not a field

    @property
    def used_by(self):
        return len(self.objects)

    @property
    def listed(self):
        """(URL of its row on the object's page, Row) of the first `max_listed` objects; one
        reverse() for them all (26 objects define 5700 on the snapshot)."""
        page = reverse("objects:object", args=["OID"])
        anchor = f"#resource-{self.resource_id}"
        return [
            (page.replace("OID", str(row.object_id), 1) + anchor, row)
            for row in self.objects[: self.max_listed]
        ]

    @property
    def url(self):
        """Its resource page, when there is one (Common.xml lists it or an object defines it)."""
        if self.common is None and not self.objects:
            return ""
        return reverse("objects:resource", args=[self.resource_id])

    @property
    def headline(self):
        n = self.resource_id
        if self.status == "object":
            return f"Resource ID {n} is defined per object."
        if self.status == "reusable":
            if self.common is not None:
                return f"Resource ID {n} is reusable, listed in Common.xml."
            return f"Resource ID {n} is in the reusable range, not listed in Common.xml."
        if self.status == "private":
            return f"Resource ID {n} is private: reused without registration."
        return f"Resource ID {n} is invalid: resource IDs go up to {self.range.first - 1}."

    @property
    def usage(self):
        count = self.used_by
        if not count:
            return "No object defines it in its latest version."
        if count == 1:
            return "1 object defines it in its latest version."
        return f"{count} objects define it in their latest version."

    @property
    def summary(self):
        return f"{self.headline} {self.usage}"


def lookup_resource(space, resource_id):
    found = next(r for r in space.resource_ranges if r.first <= resource_id <= r.last)
    entry = space.resources.get(resource_id)
    objects = []
    if entry is not None:
        objects = [space.latest[i] for i in sorted(set(entry.objects)) if i in space.latest]
    return ResourceLookup(resource_id, found, entry, objects)
