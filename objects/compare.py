"""What changed between two versions of an object: its own fields and its resources."""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

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


TOKEN_RE = re.compile(r"\s+|\S+")


def mark_words(before, after):
    """Both texts as HTML with the words that differ in <del> and <ins>, so a one-word change
    in a long description is seen at a glance. Whitespace differences are not changes."""
    old_tokens, new_tokens = TOKEN_RE.findall(before), TOKEN_RE.findall(after)
    matcher = difflib.SequenceMatcher(
        None,
        [" " if t.isspace() else t for t in old_tokens],
        [" " if t.isspace() else t for t in new_tokens],
        autojunk=False,
    )
    old, new = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = escape("".join(old_tokens[i1:i2])), escape("".join(new_tokens[j1:j2]))
        if op == "equal":
            old.append(left)
            new.append(right)
            continue
        old.append(_wrap("del", left))
        new.append(_wrap("ins", right))
    return mark_safe("".join(old)), mark_safe("".join(new))


def _wrap(tag, html):
    """The tag around the words only, the white space that borders them left outside."""
    words = html.strip()
    if not words:
        return html
    start = html.index(words)
    return f"{html[:start]}<{tag}>{words}</{tag}>{html[start + len(words) :]}"


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str

    @property
    def marked(self):
        return mark_words(self.old, self.new)


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
