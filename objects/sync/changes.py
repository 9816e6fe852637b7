"""What a sync changed, against the data it replaces: computed from the live generation and the
new one before the swap (the sync holds the lease: neither moves meanwhile), and saved in the
swap's transaction, so the record and the data never disagree. Compared object by object in
batches, resources only where the definition's bytes differ.

One change per thing an engineer would name: an object added or removed (not each of its
versions), a version added or removed (not each of its resources), a registry field changed
(old and new value), a definition field changed, a resource added, removed or changed (the
fields that differ), or a definition whose bytes changed with no field that differs.
"""

from dataclasses import dataclass

from objects.lwm2m.fields import RESOURCE_FIELDS as RESOURCE_ELEMENTS
from objects.lwm2m.versions import version_key
from objects.models import Change, ObjectVersion, Resource

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
RESOURCE_FIELDS = tuple((column, key) for key, column in RESOURCE_ELEMENTS)
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


def generation_snapshot(generation, object_ids):
    """One generation's versions of `object_ids` (light columns; resources: load_resources)."""
    rows = ObjectVersion.all_generations.filter(
        generation=generation, object_id__in=object_ids
    ).values("pk", *VERSION_COLUMNS)
    return Snapshot({(row["object_id"], row["ver"]): row for row in rows}, {})


def load_resources(snapshot, keys):
    """Fill in the resources of `keys` (those whose bytes differ between the two sides)."""
    by_pk = {snapshot.versions[key]["pk"]: key for key in keys}
    for key in keys:
        snapshot.resources[key] = {}
    columns = ("object_version_id", "resource_id", *(name for name, _ in RESOURCE_FIELDS))
    for values in Resource.all_generations.filter(object_version_id__in=list(by_pk)).values_list(
        *columns
    ):
        snapshot.resources[by_pk[values[0]]][values[1]] = values[2:]


def compare_generations(old, new, run, batch=200):
    """The Change rows (unsaved) that take generation `old` to generation `new`."""
    versions = ObjectVersion.all_generations
    if not versions.filter(generation=old).exists():
        new_versions = versions.filter(generation=new)
        return [
            Change(run=run, kind=Change.FIRST_IMPORT,
                   new=f"first import: {new_versions.values('object_id').distinct().count()} "
                   f"objects, {new_versions.count()} versions")
        ]  # fmt: skip
    ids = sorted(
        set(
            versions.filter(generation__in=(old, new))
            .values_list("object_id", flat=True)
            .distinct()
        )
    )
    changes = []
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        before, after = generation_snapshot(old, chunk), generation_snapshot(new, chunk)
        differ = [
            key
            for key in before.versions.keys() & after.versions.keys()
            if before.versions[key]["definition_sha256"] != after.versions[key]["definition_sha256"]
        ]
        load_resources(before, differ)
        load_resources(after, differ)
        changes += compare_data(before, after, run)
    return changes


def _text(value):
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def compare_data(old, new, run, first_import=False):
    """The Change rows (unsaved) that take `old` to `new` (Snapshots of the same objects); a
    version's resources are compared where both sides have them loaded."""
    new_ids = {object_id for object_id, _ in new.versions}
    if first_import:
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
        was, now = old.resources.get(key, {}), new.resources.get(key, {})
        for rid in sorted(was.keys() - now.keys()):
            name = was[rid][0][:255]
            add(Change.RESOURCE_REMOVED, key, after, resource_id=rid, resource_name=name,
                old=_text(was[rid][0]))  # fmt: skip
        for rid in sorted(now.keys() - was.keys()):
            name = now[rid][0][:255]
            add(Change.RESOURCE_ADDED, key, after, resource_id=rid, resource_name=name,
                new=_text(now[rid][0]))  # fmt: skip
        for rid in sorted(was.keys() & now.keys()):
            # One change a field, each with its own value before and after.
            for (_, label), a, b in zip(RESOURCE_FIELDS, was[rid], now[rid], strict=True):
                if a != b:
                    add(Change.RESOURCE_CHANGED, key, after, resource_id=rid,
                        resource_name=now[rid][0][:255], field=label, old=_text(a),
                        new=_text(b))  # fmt: skip
        # A definition field or a resource that changed says why the bytes did.
        explained = any(c.kind != Change.FIELD for c in changes[found:])
        if before["definition_sha256"] != after["definition_sha256"] and not explained:
            add(Change.DEFINITION, key, after)
    return changes
