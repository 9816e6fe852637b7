"""The registry's metadata, read alike from the API's JSON and from a clone's DDF.xml.

The API's answer has never been published verbatim, so the reader is lenient about types
(ObjectID as a string, Label and the *Visible flags as numbers or booleans, Version for Ver)
and strict about shape: anything that is not a list of objects is an error, never an empty
registry.
"""

from dataclasses import dataclass

from objects.lwm2m.ids import MAX_ID, BadId, parse_id
from objects.lwm2m.versions import BadVersion, strict_version
from objects.sync.field_checks import BadValue, check_entry


class BadMetadata(ValueError):
    """The source's metadata as a whole is unusable."""


@dataclass
class Entry:
    object_id: int
    ver: str
    urn: str = ""
    name: str = ""
    description: str = ""
    owner: str = ""
    label: int = 2
    object_link: str = ""
    object_link_visible: bool = True
    spec_link: str = ""
    spec_link_visible: bool = False
    vorto_link: str = ""
    # Where a clone keeps the definition, relative to its root.
    local_path: str = ""


def _string(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).strip()


def _flag(value, default):
    text = _string(value).lower()
    if text in {"1", "true", "yes"}:
        return True
    if text in {"0", "false", "no"}:
        return False
    return default


def _label(value):
    text = _string(value)
    return int(text) if text in {"0", "1", "2"} else 2


def _object_id(value):
    if isinstance(value, bool):
        raise ValueError("ObjectID is a boolean")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _string(value)
    try:
        return parse_id(text, "ObjectID")
    except BadId:
        raise ValueError(
            f"ObjectID is not a whole number from 0 to {MAX_ID}: {text[:40]!r}"
        ) from None


def entry_from_item(item, local_path=""):
    """Build an Entry from one item with the API's keys; raise ValueError if unusable."""
    if not isinstance(item, dict):
        raise ValueError(f"an item is a {type(item).__name__}, not an object")
    if item.get("ObjectID") is None:
        raise ValueError("an item has no ObjectID")
    object_id = _object_id(item["ObjectID"])
    raw_ver = item.get("Ver", item.get("Version"))
    try:
        ver = strict_version(_string(raw_ver) or "1.0")
    except BadVersion as exc:
        raise ValueError(f"object {object_id}: Ver {exc}") from None
    entry = Entry(
        object_id=object_id,
        ver=ver,
        urn=_string(item.get("URN")),
        name=_string(item.get("Name")),
        description=_string(item.get("Description")),
        owner=" ".join(_string(item.get("Owner")).split()),
        label=_label(item.get("Label")),
        object_link=_string(item.get("ObjectLink")),
        object_link_visible=_flag(item.get("ObjectLinkVisible"), True),
        spec_link=_string(item.get("SpecLink")),
        spec_link_visible=_flag(item.get("SpecLinkVisible"), False),
        vorto_link=_string(item.get("VortoLink")),
        local_path=local_path,
    )
    try:
        check_entry(entry)
    except BadValue as exc:
        raise ValueError(f"object {object_id} version {ver}: {exc}") from None
    return entry


def normalize(items, paths=None):
    """Turn raw items into entries, keyed by (ObjectID, Ver); return (entries, warnings).

    Unusable items and duplicates are skipped with a warning (the last duplicate wins,
    as in DDF.xml where a later item corrects an earlier one); a list with no usable
    item at all is an error.
    """
    if not isinstance(items, list):
        raise BadMetadata(f"expected a JSON array of objects, got a {type(items).__name__}")
    if not items:
        raise BadMetadata("the source lists no object at all")
    entries = {}
    warnings = []
    for index, item in enumerate(items):
        try:
            entry = entry_from_item(item, local_path=(paths[index] if paths else ""))
        except ValueError as exc:
            warnings.append(f"item {index} skipped: {exc}")
            continue
        key = (entry.object_id, entry.ver)
        if key in entries:
            warnings.append(f"object {key[0]} version {key[1]} listed twice: the last one kept")
        entries[key] = entry
    if not entries:
        first = warnings[0] if warnings else ""
        raise BadMetadata(f"no usable item among {len(items)} ({first})")
    return list(entries.values()), warnings
