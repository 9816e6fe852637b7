"""What changed between two versions of an object: its own fields and its resources."""

from dataclasses import dataclass, field

OBJECT_FIELDS = (
    ("name", "Name"),
    ("urn", "URN"),
    ("owner", "Owner"),
    ("label_name", "Label"),
    ("lwm2m_version", "LwM2M version"),
    ("multiple_instances", "Instances"),
    ("mandatory", "Mandatory"),
    ("description", "Description"),
    ("description2", "Description 2"),
    ("spec_link", "Specification"),
    ("status", "Definition"),
)
RESOURCE_FIELDS = (
    ("name", "Name"),
    ("operations", "Operations"),
    ("multiple_instances", "Instances"),
    ("mandatory", "Mandatory"),
    ("type", "Type"),
    ("range_enumeration", "Range/Enumeration"),
    ("units", "Units"),
    ("description", "Description"),
)


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class ResourceChange:
    resource_id: int
    name: str
    changes: list


@dataclass
class Comparison:
    object_changes: list = field(default_factory=list)
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: int = 0

    @property
    def identical(self):
        return not (self.object_changes or self.added or self.removed or self.changed)


def field_changes(old, new, fields):
    """The fields whose text differs; whitespace-only differences (line wrapping) don't count."""
    changes = []
    for name, label in fields:
        before, after = str(getattr(old, name) or ""), str(getattr(new, name) or "")
        if before.split() != after.split():
            changes.append(FieldChange(name, label, before, after))
    return changes


def compare_versions(old, new, old_resources, new_resources):
    """Compare two versions given their resources (each a list of Resource-like objects)."""
    result = Comparison(object_changes=field_changes(old, new, OBJECT_FIELDS))
    before = {r.resource_id: r for r in old_resources}
    after = {r.resource_id: r for r in new_resources}
    result.added = [after[rid] for rid in sorted(after.keys() - before.keys())]
    result.removed = [before[rid] for rid in sorted(before.keys() - after.keys())]
    for rid in sorted(before.keys() & after.keys()):
        changes = field_changes(before[rid], after[rid], RESOURCE_FIELDS)
        if changes:
            result.changed.append(ResourceChange(rid, after[rid].name, changes))
        else:
            result.unchanged += 1
    return result
