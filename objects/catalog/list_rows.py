"""The list's rows: every version as a light row with its resources' IDs and names, read with
two queries once per sync and kept per process with their index (objects/catalog/list_index.py)."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.text import Truncator

from objects.catalog.list_index import ListIndex
from objects.catalog.list_params import SHORT_DESCRIPTION
from objects.catalog.owners import group_owners
from objects.catalog.per_sync import per_sync
from objects.catalog.reads import SwappedMidRead
from objects.models import Labelled, ObjectVersion, Resource


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
    # The owner's group (objects/catalog/owners.py) and the status facet's value, set by load_rows.
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
    def other_versions(self):
        return [ver for ver in self.versions if ver != self.ver]


ROW_FIELDS = (
    "object_id", "ver", "is_latest", "name", "owner", "label", "urn", "lwm2m_version",
    "description", "status", "search_text", "resource_count", "quality", "object_link",
)  # fmt: skip


@per_sync(maxsize=1)
def load_rows(run):
    """Every version as a Row with its resources' IDs and names, built once per sync (two
    queries; SwappedMidRead when a sync's swap fell between them)."""
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
    rows.index  # noqa: B018 - built here, once per sync, not by the first search
    return rows


def list_status(row):
    """The status facet's value of a row."""
    if row.status == ObjectVersion.OK:
        return "defined"
    if row.status == ObjectVersion.INVALID:
        return "invalid"
    return "missing" if row.object_link else "placeholder"


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
    """A sync's rows, with their index built on first use (objects/catalog/list_index.py)."""

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
