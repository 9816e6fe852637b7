"""What a sync changed, against the data it replaces: computed in the store's transaction from
the rows about to go and the rows about to come, so the record and the data never disagree.

One change per thing an engineer would name: an object added or removed (not each of its
versions), a version added or removed (not each of its resources), a registry field changed
(old and new value), a definition field changed, a resource added, removed or changed (the
fields that differ), or a definition whose bytes changed with no field that differs.
"""

from dataclasses import dataclass

from .models import Change, ObjectVersion, Resource
from .versions import version_key

# The registry's own fields (its index or API) and a definition's, as the pages name them.
REGISTRY_FIELDS = (
    ("name", "Name"), ("owner", "Owner"), ("description", "Description"), ("urn", "URN"),
    ("label", "Label"), ("object_link_visible", "ObjectLinkVisible"), ("spec_link", "SpecLink"),
    ("spec_link_visible", "SpecLinkVisible"),
)  # fmt: skip
# Not ObjectLink: the registry moves a version's file to version_history/ when a newer one
# comes, which says nothing of the version itself (its definition's bytes are compared).
DEFINITION_FIELDS = (
    ("lwm2m_version", "LWM2MVersion"), ("multiple_instances", "MultipleInstances"),
    ("mandatory", "Mandatory"), ("description2", "Description2"), ("status", "Definition status"),
)  # fmt: skip
RESOURCE_FIELDS = (
    ("name", "Name"), ("operations", "Operations"), ("multiple_instances", "MultipleInstances"),
    ("mandatory", "Mandatory"), ("type", "Type"), ("range_enumeration", "RangeEnumeration"),
    ("units", "Units"), ("description", "Description"),
)  # fmt: skip
REGISTRY_AND_DEFINITION = (
    (REGISTRY_FIELDS, Change.FIELD),
    (DEFINITION_FIELDS, Change.DEFINITION_FIELD),
)
VERSION_COLUMNS = ("object_id", "ver", "definition_sha256") + tuple(
    name for name, _ in REGISTRY_FIELDS + DEFINITION_FIELDS
)
MAX_VALUE = 2000


@dataclass
class Snapshot:
    """The data of one side of a sync: {(ObjectID, Ver): {column: value}} and each version's
    resources {(ObjectID, Ver): {resource ID: (values...)}}."""

    versions: dict
    resources: dict


def stored_snapshot():
    """The data stored now, the side a sync replaces (light columns only)."""
    rows = ObjectVersion.objects.values("pk", *VERSION_COLUMNS)
    versions, by_pk = {}, {}
    for row in rows:
        key = (row["object_id"], row["ver"])
        versions[key] = row
        by_pk[row["pk"]] = key
    resources = {key: {} for key in versions}
    columns = ("object_version_id", "resource_id", *(name for name, _ in RESOURCE_FIELDS))
    for values in Resource.objects.values_list(*columns):
        key = by_pk.get(values[0])
        if key is not None:
            resources[key][values[1]] = values[2:]
    return Snapshot(versions, resources)


def new_snapshot(versions, resources_by_version):
    """The same, from a sync's unsaved rows."""
    rows = {
        (v.object_id, v.ver): {name: getattr(v, name) for name in VERSION_COLUMNS} for v in versions
    }
    resources = {
        key: {
            r.resource_id: tuple(getattr(r, name) for name, _ in RESOURCE_FIELDS)
            for r in resources_by_version.get(key, ())
        }
        for key in rows
    }
    return Snapshot(rows, resources)


def _text(value):
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def compare_data(old, new, run):
    """The Change rows (unsaved) that take `old` to `new`; a first import is one row."""
    new_ids = {object_id for object_id, _ in new.versions}
    if not old.versions:
        versions = len(new.versions)
        return [
            Change(run=run, kind=Change.FIRST_IMPORT,
                   new=f"first import: {len(new_ids)} objects, {versions} versions")
        ]  # fmt: skip
    changes = []
    old_ids = {object_id for object_id, _ in old.versions}

    def add(kind, key, row, **values):
        changes.append(
            Change(run=run, kind=kind, object_id=key[0], ver=key[1] if len(key) > 1 else "",
                   name=row["name"][:255], owner=row["owner"][:255], **values)
        )  # fmt: skip

    for object_id in sorted(old_ids - new_ids):
        keys = sorted(
            (k for k in old.versions if k[0] == object_id), key=lambda k: version_key(k[1])
        )
        add(Change.OBJECT_REMOVED, (object_id,), old.versions[keys[-1]],
            old=", ".join(k[1] for k in keys))  # fmt: skip
    for object_id in sorted(new_ids - old_ids):
        keys = sorted(
            (k for k in new.versions if k[0] == object_id), key=lambda k: version_key(k[1])
        )
        add(Change.OBJECT_ADDED, (object_id,), new.versions[keys[-1]],
            new=", ".join(k[1] for k in keys))  # fmt: skip
    both = old_ids & new_ids
    for key in sorted(k for k in old.versions.keys() - new.versions.keys() if k[0] in both):
        add(Change.VERSION_REMOVED, key, old.versions[key])
    for key in sorted(k for k in new.versions.keys() - old.versions.keys() if k[0] in both):
        add(Change.VERSION_ADDED, key, new.versions[key])
    for key in sorted(old.versions.keys() & new.versions.keys()):
        before, after = old.versions[key], new.versions[key]
        found = len(changes)
        for fields, kind in REGISTRY_AND_DEFINITION:
            for name, label in fields:
                if before[name] != after[name]:
                    add(kind, key, after, field=label, old=_text(before[name]),
                        new=_text(after[name]))  # fmt: skip
        was, now = old.resources[key], new.resources[key]
        for rid in sorted(was.keys() - now.keys()):
            add(Change.RESOURCE_REMOVED, key, after, resource_id=rid, old=_text(was[rid][0]))
        for rid in sorted(now.keys() - was.keys()):
            add(Change.RESOURCE_ADDED, key, after, resource_id=rid, new=_text(now[rid][0]))
        for rid in sorted(was.keys() & now.keys()):
            differing = [
                label
                for (_, label), a, b in zip(RESOURCE_FIELDS, was[rid], now[rid], strict=True)
                if a != b
            ]
            if differing:
                add(Change.RESOURCE_CHANGED, key, after, resource_id=rid,
                    field=", ".join(differing), new=_text(now[rid][0]))  # fmt: skip
        # A definition field or a resource that changed says why the bytes did.
        explained = any(c.kind != Change.FIELD for c in changes[found:])
        if before["definition_sha256"] != after["definition_sha256"] and not explained:
            add(Change.DEFINITION, key, after)
    return changes
