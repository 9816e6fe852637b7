"""The LwM2M 1.0 JSON format, content format 11543 (OMA-TS-LightweightM2M 1.0, section 6.4.4):
`{"bn": "/3/0/", "bt": ..., "e": [{"n": "0", "sv": "Open Mobile Alliance"}, {"n": "9",
"v": 95}, {"n": "6/0", "v": 1}, {"n": "...", "bv": true}, {"n": "...", "ov": "3:0"}]}`.

A name is the base name followed by the entry's `n`; without `bn`, the request path is the base
name. `v` holds numbers (and Time), `sv` strings (and Opaque, in base64), `bv` booleans, `ov`
object links.
"""

import base64
import json
from collections.abc import Iterable, Sequence
from typing import TypedDict, cast

from objects.lwm2m.payload import (
    MAX_VALUES,
    Findings,
    IdPath,
    RawKind,
    RawValue,
    path_text,
    resolve_name,
    too_big,
)
from objects.lwm2m.senml import (
    TIME_RULE,
    SenmlEntry,
    add_times,
    is_number,
    is_time,
    load_json,
    record_offsets,
)
from objects.lwm2m.values import Value

ROOT_KEYS = {"bn", "bt", "e"}
ENTRY_KEYS = {"n", "t", "v", "sv", "bv", "ov"}
VALUE_KINDS: dict[str, RawKind] = {"v": "number", "sv": "string", "bv": "boolean", "ov": "objlnk"}
# (path, key, value) of a value to encode, key one of v, sv, bv, ov: SenML's entries' shape.
JsonEntry = SenmlEntry


class JsonPack(TypedDict):
    bn: str
    e: list[dict[str, Value]]


def entry_offsets(text: str, count: int) -> tuple[list[int] | None, int]:
    """The byte offset of each entry of "e", found by locating the array after its key."""
    try:
        start = text.index('"e"')
        return record_offsets(text[start:], count), start
    except (ValueError, IndexError):
        return None, 0


def decode(data: bytes, request: IdPath = ()) -> tuple[list[RawValue], Findings]:
    """(values, findings) of an LwM2M JSON payload."""
    findings = Findings()
    text, root = load_json(data, findings, "LwM2M JSON")
    if root is None:
        return [], findings
    text = cast(str, text)  # None only when root is
    if not isinstance(root, dict):
        findings.error('LwM2M JSON is an object: {"bn": ..., "e": [...]}', offset=0)
        return [], findings
    for key in root:
        if key not in ROOT_KEYS:
            findings.warning(f"unknown field {key[:30]!r}, ignored", offset=0)
    base = root.get("bn")
    if base is None:
        base = path_text(request) + "/" if request else "/"
    elif not isinstance(base, str):
        findings.error("bn (base name) is a string", offset=0)
        return [], findings
    base_time = root.get("bt")
    if base_time is not None and not is_time(base_time):
        findings.error(f"bt (base time) is {TIME_RULE}", offset=0)
        base_time = None
    entries = root.get("e")
    if not isinstance(entries, list):
        findings.error('LwM2M JSON holds its values in an array "e"', offset=0)
        return [], findings
    # Entries are read up to MAX_VALUES (junk ones too): past it the decode stops.
    entries = entries[: MAX_VALUES + 1]
    offsets: Sequence[int | None] | None
    offsets, shift = entry_offsets(text, len(entries))
    if offsets is None:
        offsets = [None] * len(entries)
    else:
        shift = len(text[:shift].encode("utf-8"))
        offsets = [shift + o for o in offsets]
    out: list[RawValue] = []
    seen: set[tuple[IdPath, float | None]] = set()
    roots: set[str] = set()
    for index, (entry, offset) in enumerate(zip(entries, offsets, strict=True)):
        if index >= MAX_VALUES:
            findings.error(f"more than {MAX_VALUES} values: the decode stops", offset=offset)
            break
        if not isinstance(entry, dict):
            findings.error("an entry of e is a JSON object", offset=offset)
            continue
        for key in entry:
            if key not in ENTRY_KEYS:
                findings.warning(f"unknown field {key[:30]!r}, ignored", offset=offset)
        name = entry.get("n", "")
        if not isinstance(name, str):
            findings.error("n (name) is a string", offset=offset)
            continue
        full = base + name
        path = resolve_name(full, roots)
        if path is None or len(path) < 3:
            findings.error(
                f"the name {full[:60]!r} (base name and name) is not a resource path",
                offset=offset,
            )
            continue
        if request and tuple(path[: len(request)]) != tuple(request):
            findings.error(f"outside the request path {path_text(request)}", path, offset)
            continue
        present = [key for key in VALUE_KINDS if key in entry]
        if len(present) != 1:
            findings.error("an entry has exactly one value: v, sv, bv or ov", path, offset)
            continue
        key = present[0]
        value = entry[key]
        checks = {
            "v": is_number(value),
            "sv": isinstance(value, str),
            "bv": isinstance(value, bool),
            "ov": isinstance(value, str),
        }
        if not checks[key]:
            findings.error(f"{key} has the wrong JSON type", path, offset)
            continue
        if key == "v" and too_big(value):
            findings.error("v is an integer past 64 bits", path, offset)
            continue
        time = add_times(base_time, entry.get("t"), path, offset, findings)
        if (path, time) in seen:
            findings.error("the same path twice (at the same time)", path, offset)
            continue
        seen.add((path, time))
        raw = RawValue(path, VALUE_KINDS[key], value, offset, time=time)
        raw.multiple = True if len(path) == 4 else None
        # In LwM2M JSON an Opaque value is base64 in sv.
        raw.extra["base64"] = True
        out.append(raw)
    for root in sorted(roots):
        findings.warning(f"names under the root path {root[:60]}: read without it")
    return out, findings


def encode(request: IdPath, entries: Iterable[JsonEntry]) -> bytes:
    """LwM2M JSON for (path, key, value) entries, key one of v, sv, bv, ov."""
    base = path_text(request) + "/" if request else "/"
    out: JsonPack = {"bn": base, "e": []}
    for path, key, value in entries:
        if isinstance(value, bytes | bytearray):
            value = base64.b64encode(value).decode("ascii")
        out["e"].append({"n": path_text(path)[len(base) :], key: value})
    return json.dumps(out, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8"
    )
