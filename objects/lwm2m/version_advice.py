"""Which version a changed object must take: compared with the version it started from, resource
by resource. A client or server written for the old version must still work with a minor
version; anything that can break one makes a major version (OMA-TS Core's object versioning,
and the question the registry's pull requests keep asking).

Minor: an optional resource added; a name, description, range or unit reworded; the LwM2M
version raised. Major: a mandatory resource added; a resource removed (an ID changed is one
removed and one added); a resource's Type, Operations, instances or Mandatory changed; the
object's instances or Mandatory changed.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final, Literal

from objects.lwm2m.draft import Draft, DraftResource

Kind = Literal["major", "minor", "none"]
MAJOR: Final = "major"
MINOR: Final = "minor"
NONE: Final = "none"
# (attribute, label, the change it makes) of a resource's fields.
RESOURCE_RULES: tuple[tuple[str, str, Kind], ...] = (
    ("name", "Name", MINOR), ("operations", "Operations", MAJOR),
    ("multiple_instances", "Instances", MAJOR), ("mandatory", "Mandatory", MAJOR),
    ("type", "Type", MAJOR), ("range_enumeration", "Range/Enumeration", MINOR),
    ("units", "Units", MINOR), ("description", "Description", MINOR),
)  # fmt: skip
OBJECT_RULES: tuple[tuple[str, str, Kind], ...] = (
    ("name", "Name", MINOR), ("description1", "Description1", MINOR),
    ("description2", "Description2", MINOR), ("lwm2m_version", "LWM2MVersion", MINOR),
    ("multiple_instances", "Instances", MAJOR), ("mandatory", "Mandatory", MAJOR),
)  # fmt: skip


@dataclass
class FieldDelta:
    label: str
    old: str
    new: str
    kind: Kind


@dataclass
class ResourceDelta:
    """One resource against the base: "added", "removed", "changed" or "same"."""

    id: str
    name: str
    status: Literal["added", "removed", "changed", "same"]
    kind: Kind = NONE
    fields: list[FieldDelta] = field(default_factory=list)


@dataclass
class Advice:
    kind: Kind
    base_version: str
    version: str  # the version the draft must take
    reasons: list[str]
    object_fields: list[FieldDelta]
    resources: list[ResourceDelta]

    @property
    def changed(self) -> list[ResourceDelta]:
        return [r for r in self.resources if r.status != "same"]


def _same(a: object, b: object) -> bool:
    """Equal once white space is folded: rewrapping a description changes nothing."""
    return str(a).split() == str(b).split()


def _worst(kinds: Iterable[Kind]) -> Kind:
    kinds = set(kinds)
    return MAJOR if MAJOR in kinds else MINOR if MINOR in kinds else NONE


def _field_deltas(
    old: Draft | DraftResource, new: Draft | DraftResource, rules: tuple[tuple[str, str, Kind], ...]
) -> list[FieldDelta]:
    return [
        FieldDelta(label, getattr(old, attribute), getattr(new, attribute), kind)
        for attribute, label, kind in rules
        if not _same(getattr(old, attribute), getattr(new, attribute))
    ]


def _key(resource: DraftResource) -> int | str:
    text = resource.id.strip()
    return int(text) if text.isascii() and text.isdigit() else text


def next_version(version: tuple[int, int], kind: Kind) -> str:
    major, minor = version
    if kind == MAJOR:
        return f"{major + 1}.0"
    if kind == MINOR:
        return f"{major}.{minor + 1}"
    return f"{major}.{minor}"


def advise(
    base: Draft,
    draft: Draft,
    base_version: tuple[int, int],
    latest_version: tuple[int, int] | None = None,
) -> Advice:
    """The Advice for `draft` started from `base` (both Drafts) at base_version (major, minor).
    The version it must take follows the latest registered (latest_version) when that is newer:
    a new version of 3303 started from 1.0 while 1.1 exists comes after 1.1."""
    reasons: list[tuple[Kind, str]] = []
    object_fields = _field_deltas(base, draft, OBJECT_RULES)
    for delta in object_fields:
        reasons.append((delta.kind, f"the object's {delta.label} changed"))
    before = {_key(r): r for r in base.resources}
    after = {_key(r): r for r in draft.resources}
    resources: list[ResourceDelta] = []
    for resource in draft.resources:
        key = _key(resource)
        old = before.get(key)
        label = f"resource {resource.id.strip()} ({resource.name.strip() or 'no name'})"
        if old is None:
            mandatory = resource.mandatory.strip() == "Mandatory"
            kind: Kind = MAJOR if mandatory else MINOR
            resources.append(ResourceDelta(resource.id, resource.name, "added", kind))
            word = "a mandatory" if mandatory else "an optional"
            reasons.append((kind, f"{label} is added as {word} resource"))
            continue
        deltas = _field_deltas(old, resource, RESOURCE_RULES)
        kind = _worst(d.kind for d in deltas)
        status: Literal["changed", "same"] = "changed" if deltas else "same"
        resources.append(ResourceDelta(resource.id, resource.name, status, kind, deltas))
        for delta in deltas:
            reasons.append((delta.kind, f"{label}: its {delta.label} changed"))
    for key, old in before.items():
        if key not in after:
            resources.append(ResourceDelta(old.id, old.name, "removed", MAJOR))
            reasons.append((MAJOR, f"resource {old.id.strip()} ({old.name.strip()}) is removed"))
    kind = _worst(k for k, _ in reasons)
    start = max(base_version, latest_version or base_version)
    ordered = [text for k, text in reasons if k == MAJOR] + [
        text for k, text in reasons if k == MINOR
    ]
    return Advice(
        kind=kind,
        base_version=f"{base_version[0]}.{base_version[1]}",
        version=next_version(start, kind) if kind != NONE else f"{start[0]}.{start[1]}",
        reasons=ordered,
        object_fields=object_fields,
        resources=resources,
    )


def summary(advice: Advice) -> str:
    """One sentence: the version to take and the first reason for it."""
    if advice.kind == NONE:
        return f"No change against {advice.base_version}: nothing to publish."
    first = advice.reasons[0]
    more = f" (and {len(advice.reasons) - 1} more)" if len(advice.reasons) > 1 else ""
    why = "breaks" if advice.kind == MAJOR else "keeps"
    return (
        f"A {advice.kind} version, {advice.version}: the change {why} compatibility with "
        f"{advice.base_version}; {first}{more}."
    )
