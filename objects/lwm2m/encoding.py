"""Values written as a payload, in plain Python: a JSON of values typed by the registry's
definitions (objects/catalog/decode.py reads them) and encoded in any content format."""

import base64
import math
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import TypedDict, cast

import cbor2

from objects.lwm2m import lwm2m_json, senml, tlv
from objects.lwm2m import values as lv
from objects.lwm2m.content_formats import ContentFormat
from objects.lwm2m.payload import (
    MAX_VALUES,
    FindingJson,
    Findings,
    IdPath,
    JsonValue,
    parse_name_path,
    path_text,
)
from objects.lwm2m.registry_model import Models
from objects.lwm2m.senml import SenmlEntry
from objects.lwm2m.tlv import TlvEntry


class EncodeError(ValueError):
    pass


# (path, value) of a value to encode, as the JSON of values gives it.
ParsedValue = tuple[IdPath, JsonValue]


class EncodedJson(TypedDict):
    Format: str
    ContentFormat: int
    Path: str
    PayloadHex: str
    PayloadBase64: str
    Findings: list[FindingJson]


def json_to_value(type_: str, value: JsonValue) -> lv.Read:
    """(value, problem) of a JSON value for a resource of `type_`: Opaque as hex, Objlnk as
    "O:I", Time as epoch seconds."""
    if type_ == lv.FLOAT and isinstance(value, str) and value in lv.JAVA_SPECIALS:
        return lv.JAVA_SPECIALS[value], None  # as a decode answers them
    if type_ in lv.NUMERIC:
        return lv.from_number(type_, value)
    if type_ == lv.BOOLEAN:
        return (value, None) if isinstance(value, bool) else (None, "Boolean is true or false")
    if type_ == lv.OBJLNK:
        return lv.parse_objlnk(value) if isinstance(value, str) else (None, 'Objlnk is "O:I"')
    if type_ == lv.OPAQUE:
        if not isinstance(value, str):
            return None, "Opaque is written in hex"
        try:
            return bytes.fromhex(value.replace(" ", "")), None
        except ValueError:
            return None, "Opaque is written in hex"
    if type_ in (lv.STRING, lv.CORELNK):
        return (value, None) if isinstance(value, str) else (None, f"{type_} is a string")
    return None, f"no value of type {type_ or 'none (executable)'}"


def guess_type(value: JsonValue) -> str:
    if isinstance(value, bool):
        return lv.BOOLEAN
    if isinstance(value, int):
        return lv.INTEGER
    if isinstance(value, float):
        return lv.FLOAT
    return lv.STRING


SENML_KEYS: dict[str, str] = {
    lv.INTEGER: "v", lv.UNSIGNED: "v", lv.FLOAT: "v", lv.TIME: "v", lv.BOOLEAN: "vb",
    lv.STRING: "vs", lv.CORELNK: "vs", lv.OPAQUE: "vd", lv.OBJLNK: "vlo",
}  # fmt: skip


JSON_KEYS: dict[str, str] = {
    lv.INTEGER: "v", lv.UNSIGNED: "v", lv.FLOAT: "v", lv.TIME: "v", lv.BOOLEAN: "bv",
    lv.STRING: "sv", lv.CORELNK: "sv", lv.OPAQUE: "sv", lv.OBJLNK: "ov",
}  # fmt: skip


def common_request(paths: Sequence[IdPath]) -> IdPath:
    """The deepest object instance (or object) every path is under."""
    first = paths[0]
    for depth in (2, 1):
        if all(p[:depth] == first[:depth] for p in paths):
            return first[:depth]
    return ()


def refuse_overlaps(paths: Iterable[IdPath]) -> None:
    """EncodeError for a path given twice (/3/0/1 and 3/0/1) or a resource given both as one
    value and as instances (/3/0/7 and /3/0/7/0): a payload holds one of them, and writing
    one would drop the other unsaid. `paths` sorted, so a resource comes before its instances."""
    for before, path in pairwise(paths):
        if path == before:
            raise EncodeError(f"{path_text(path)} twice: a payload holds one value per path")
        if len(before) == 3 and path[:3] == before:
            raise EncodeError(
                f"{path_text(before)} and {path_text(path)}: a resource is one value or its "
                "instances, not both"
            )


def parse_values(
    fmt: ContentFormat, request: IdPath, values: Mapping[str, JsonValue]
) -> tuple[list[ParsedValue], IdPath]:
    """([(path, value)] in path order, the request path) of a JSON of values
    {"/3303/0/5700": 23.5} to encode in `fmt` for a request on `request` (else the deepest
    instance or object every path is under); EncodeError for what no payload could hold."""
    if fmt.name == "link":
        raise EncodeError("the link format holds links, not values")
    if len(values) > MAX_VALUES:
        raise EncodeError(f"at most {MAX_VALUES} values")
    parsed: list[ParsedValue] = []
    for key, value in values.items():
        path = parse_name_path(key if key.startswith("/") else "/" + key)
        if path is None or len(path) < 3:
            raise EncodeError(f"{key[:40]!r} is not a resource path (/O/I/R or /O/I/R/RI)")
        if request and path[: len(request)] != tuple(request):
            raise EncodeError(f"{key[:40]} is not under the request path {path_text(request)}")
        parsed.append((path, value))
    parsed.sort(key=lambda pv: pv[0])
    refuse_overlaps([p for p, _ in parsed])
    if not request:
        request = common_request([p for p, _ in parsed])
    return parsed, request


def encode_values(
    fmt: ContentFormat,
    request: IdPath,
    parsed: Iterable[ParsedValue],
    models: Models,
    findings: Findings,
) -> EncodedJson:
    """{"Format", "ContentFormat", "Path", "PayloadHex", "PayloadBase64", "Findings"} of the
    parsed values (parse_values) typed by `models` and encoded in `fmt`."""
    typed_values: list[tuple[IdPath, str, lv.Value]] = []
    warned: set[IdPath] = set()
    for path, value in parsed:
        model = models.get(path[0])
        resource = model.resources.get(path[2]) if model else None
        if resource is None or not resource.type:
            type_ = guess_type(value)
            if resource is None and path[:3] not in warned:
                warned.add(path[:3])
                findings.warning(
                    f"resource {path_text(path[:3])} is not in the registry: written as {type_}",
                    path,
                )
            elif resource is not None:
                raise EncodeError(f"{path_text(path)} ({resource.name}) is executable: no value")
        else:
            type_ = resource.type
            if len(path) == 4 and not resource.multiple:
                findings.error(f"{resource.name} is a single resource: no instance {path[3]}", path)
            elif len(path) == 3 and resource.multiple:
                findings.error(
                    f"{resource.name} is a multiple resource: give its instances "
                    f"({path_text(path)}/0, ...)",
                    path,
                )
        typed_value, problem = json_to_value(type_, value)
        if problem:
            raise EncodeError(f"{path_text(path)}: {problem}")
        if (
            fmt.name in ("senml-json", "lwm2m-json")
            and isinstance(typed_value, float)
            and not math.isfinite(typed_value)
        ):
            raise EncodeError(
                f"{path_text(path)}: {lv.java_special(typed_value)} is no JSON number, so "
                f"{fmt.title} cannot hold it (TLV, SenML CBOR, CBOR and plain text can)"
            )
        # No problem: a value (a reader answers None only with a problem).
        typed_values.append((path, type_, cast(lv.Value, typed_value)))
    if fmt.name == "tlv":
        if not request:
            raise EncodeError("TLV needs one object: give the request path")
        tlv_entries: list[TlvEntry] = [(p, lv.to_tlv(t, v)) for p, t, v in typed_values]
        payload = tlv.encode_for(request, tlv_entries)
    elif fmt.name in ("senml-json", "senml-cbor"):
        entries: list[SenmlEntry] = []
        for p, t, v in typed_values:
            if t == lv.OBJLNK:
                link = cast(tuple[int, int], v)
                v = f"{link[0]}:{link[1]}"
            entries.append((p, SENML_KEYS[t], v))
        coder = senml.encode_json if fmt.name == "senml-json" else senml.encode_cbor
        payload = coder(request, entries)
    elif fmt.name == "lwm2m-json":
        json_entries: list[lwm2m_json.JsonEntry] = []
        for p, t, v in typed_values:
            if t == lv.OBJLNK:
                link = cast(tuple[int, int], v)
                v = f"{link[0]}:{link[1]}"
            json_entries.append((p, JSON_KEYS[t], v))
        payload = lwm2m_json.encode(request, json_entries)
    else:
        if len(typed_values) != 1:
            raise EncodeError(f"{fmt.title} holds one value, not {len(typed_values)}")
        path, t, v = typed_values[0]
        if fmt.name == "text":
            payload = lv.to_text(t, v).encode("utf-8")
        elif fmt.name == "opaque":
            if t != lv.OPAQUE:
                raise EncodeError(f"the opaque format holds an Opaque value, not a {t}")
            payload = cast(bytes, v)  # an Opaque value
        else:
            item: object
            if t == lv.TIME:
                item = cbor2.CBORTag(1, v)
            elif t == lv.OBJLNK:
                link = cast(tuple[int, int], v)
                item = f"{link[0]}:{link[1]}"
            elif t == lv.FLOAT:
                item = float(cast(float, v))
            else:
                item = v
            payload = cbor2.dumps(item)
    return {
        "Format": fmt.name,
        "ContentFormat": fmt.number,
        "Path": path_text(request) if request else "/",
        "PayloadHex": payload.hex(),
        "PayloadBase64": base64.b64encode(payload).decode("ascii"),
        "Findings": [f.as_json() for f in findings],
    }
