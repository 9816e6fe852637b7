"""SenML (RFC 8428) as LwM2M uses it: SenML JSON (content format 110) and SenML CBOR (112),
OMA-TS-LightweightM2M_Core 1.1, section 7.4.4/7.4.5.

A record's name is the base name in force (the last `bn` seen) followed by its `n`; the result
is an LwM2M path such as /3303/0/5700. Its value is one of v (number), vs (string), vb
(boolean), vd (opaque: base64url without padding in JSON, a byte string in CBOR) or vlo (an
object link "O:I"). CBOR labels are RFC 8428's integers (bn -2, bt -3, n 0, v 2, vs 3, vb 4,
t 6, vd 8, ...) and LwM2M's text label "vlo".
"""

import base64
import binascii
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import IO, NoReturn, TypeGuard, cast

import cbor2

from objects.lwm2m.payload import (
    MAX_DEPTH,
    MAX_VALUES,
    ByteOffsets,
    Findings,
    IdPath,
    JsonValue,
    RawValue,
    path_text,
    resolve_name,
    too_big,
)
from objects.lwm2m.values import Value, base64url, from_base64

VALUE_KEYS = ("v", "vs", "vb", "vd", "vlo")
KNOWN_KEYS = {"bn", "bt", "bu", "bv", "bs", "bver", "n", "u", "s", "t", "ut", *VALUE_KEYS}
CBOR_LABELS = {
    -1: "bver", -2: "bn", -3: "bt", -4: "bu", -5: "bv", -16: "bs",
    0: "n", 1: "u", 2: "v", 3: "vs", 4: "vb", 5: "s", 6: "t", 7: "ut", 8: "vd", "vlo": "vlo",
}  # fmt: skip
CBOR_KEYS = {name: label for label, name in CBOR_LABELS.items()}
# SenML time: below 2**28 a time is relative to now (RFC 8428, 4.5.3).
RELATIVE_TIME = 2**28
# A decoded record: its fields by name (CBOR's integer labels named), values unchecked.
Record = dict[str, JsonValue]
# (path, SenML value key, value) of a value to encode: see records_for.
SenmlEntry = tuple[IdPath, str, Value]
# What cbor2 calls with a tag's content (and whether it must be immutable).
SemanticDecoder = Callable[[JsonValue, bool], object]


# --- JSON ---------------------------------------------------------------------------------------


def json_depth(text: str, limit: int) -> int | None:
    """The first offset (in characters) where JSON nesting passes `limit`, else None: checked
    before json.loads, whose recursion a deep payload would exhaust."""
    depth = 0
    in_string = escaped = False
    for i, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return i
        elif char in "]}":
            depth -= 1
    return None


def byte_offset(text: str, char_offset: int) -> int:
    return len(text[:char_offset].encode("utf-8"))


def _no_duplicates(pairs: list[tuple[str, JsonValue]]) -> dict[str, JsonValue]:
    obj: dict[str, JsonValue] = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"the key {key[:20]!r} twice in one object")
        obj[key] = value
    return obj


class NotJson(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is not JSON")
        self.name = name


def _reject_constant(name: str) -> NoReturn:
    raise NotJson(name)


def load_json(data: bytes, findings: Findings, what: str) -> tuple[str | None, JsonValue]:
    """(text, value) of a JSON payload, or (text, None) with an error finding at its offset."""
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as e:
        findings.error(f"{what} is UTF-8 text: byte {e.start} is not", offset=e.start)
        return None, None
    deep = json_depth(text, MAX_DEPTH)
    if deep is not None:
        findings.error(
            f"{what} nested more than {MAX_DEPTH} levels deep", offset=byte_offset(text, deep)
        )
        return text, None
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        findings.error(f"not JSON: {e.msg}", offset=byte_offset(text, e.pos))
        return text, None
    except NotJson as e:
        findings.error(f"not JSON: {e}", offset=byte_offset(text, constant_offset(text, e.name)))
        return text, None
    except (ValueError, RecursionError) as e:
        message = str(e)[:120]
        if "integer string conversion" in message:
            # Python reads no integer of more than 4,300 digits (nor would an answer write it).
            message = "a number of more than 4300 digits, which no LwM2M type holds"
        findings.error(f"not {what}: {message}", offset=0)
        return text, None
    lone = lone_surrogate(text) if "\\u" in text else None
    if lone is not None:
        findings.error(
            f"{what} holds {text[lone : lone + 6]}, a lone UTF-16 surrogate: no Unicode text",
            offset=byte_offset(text, lone),
        )
        return text, None
    return text, value


# A JSON string, or one of the constants json.loads reads though JSON has none of them.
STRING_OR_CONSTANT_RE = re.compile(r'"(?:[^"\\]|\\.)*"|-?Infinity|NaN', re.DOTALL)


def constant_offset(text: str, name: str) -> int:
    """The offset of the first `name` outside strings, the constant json.loads refused (a
    string before it may hold the same letters); 0 when there is none."""
    for match in STRING_OR_CONSTANT_RE.finditer(text):
        if match.group() == name:
            return match.start()
    return 0


ESCAPE_RE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)


def lone_surrogate(text: str) -> int | None:
    """The offset of the first \\u escape of a UTF-16 surrogate that is not half of a pair,
    else None: json.loads reads it into a str that no UTF-8 answer can hold."""
    high: re.Match[str] | None = None
    for match in ESCAPE_RE.finditer(text):
        code = int(match.group(1), 16) if match.group(1) else -1
        if high is not None:
            if 0xDC00 <= code <= 0xDFFF and match.start() == high.end():
                high = None
                continue
            return high.start()
        if 0xD800 <= code <= 0xDBFF:
            high = match
        elif 0xDC00 <= code <= 0xDFFF:
            return match.start()
    return high.start() if high is not None else None


def record_offsets(text: str, count: int) -> list[int]:
    """The byte offset of each element of a JSON array (as many as `count`), by re-reading it
    with raw_decode: json.loads tells no offsets."""
    offsets: list[int] = []
    at = ByteOffsets(text)
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    for _ in range(count):
        while text[pos] in " \t\r\n,":
            pos += 1
        offsets.append(at(pos))
        _, pos = decoder.raw_decode(text, pos)
    return offsets


def decode_json(data: bytes, request: IdPath = ()) -> tuple[list[RawValue], Findings]:
    """(values, findings) of a SenML JSON payload."""
    findings = Findings()
    text, pack = load_json(data, findings, "SenML JSON")
    if pack is None:
        return [], findings
    text = cast(str, text)  # None only when pack is
    if not isinstance(pack, list):
        findings.error("SenML JSON is an array of records", offset=0)
        return [], findings
    # Records are read up to MAX_VALUES, as in SenML CBOR: past it the decode stops.
    pack = pack[: MAX_VALUES + 1]
    offsets: Sequence[int | None]
    try:
        offsets = record_offsets(text, len(pack))
    except (ValueError, IndexError):
        offsets = [None] * len(pack)
    records: list[tuple[Record, int | None]] = []
    for index, (record, offset) in enumerate(zip(pack, offsets, strict=True)):
        if index >= MAX_VALUES:
            findings.error(f"more than {MAX_VALUES} records: the decode stops", offset=offset)
            break
        if not isinstance(record, dict):
            findings.error("a SenML record is a JSON object", offset=offset)
            continue
        records.append((record, offset))
    return resolve(records, findings, request, cbor=False), findings


# --- CBOR ---------------------------------------------------------------------------------------


class Reader:
    """A byte source for cbor2 that says where it is: not seekable, so cbor2 reads exactly what
    it needs and the position is the offset of what went wrong."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def read(self, n: int | None = -1) -> bytes:
        end = len(self.data) if n is None or n < 0 else self.pos + n
        chunk = self.data[self.pos : end]
        self.pos += len(chunk)
        return chunk

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False


# The tag decoders are module functions that cbor2 calls through partial() with (content,
# immutable): looked up at each call, not closures built at import, so that mutmut's trampoline
# (which picks a mutant when the function is called) reaches them.
def _keep_tag(tag: int, value: JsonValue, immutable: bool) -> cbor2.CBORTag:
    return cbor2.CBORTag(tag, value)


def _bignum(negative: bool, value: JsonValue, immutable: bool) -> int:
    if not isinstance(value, bytes):
        raise ValueError("a bignum's content is a byte string")
    number = int.from_bytes(value, "big")
    return -1 - number if negative else number


def _fraction(tag: int, base: int, value: JsonValue, immutable: bool) -> float | cbor2.CBORTag:
    """A decimal fraction (tag 4) or a bigfloat (tag 5), [exponent, mantissa], as a float (a
    number RFC 8428 allows for v, t and bt); anything else stays a tag."""
    if (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and abs(value[0]) <= 400
        and not too_big(value[1])
    ):
        try:
            return (
                float(value[1] * base ** value[0])
                if value[0] >= 0
                else value[1] / base ** -value[0]
            )
        except OverflowError:
            pass
    return cbor2.CBORTag(tag, value)


# cbor2 turns some tags into Python objects (dates, regular expressions, shared references...);
# here every tag stays a plain CBORTag, read by what LwM2M means by it, and bignums and
# fractions numbers.
SEMANTIC: dict[int, SemanticDecoder] = {
    tag: partial(_keep_tag, tag)
    for tag in (0, 1, 4, 5, 25, 28, 29, 30, 35, 36, 37, 52, 54, 100, 256, 258, 260, 261, 262,
                263, 1004, 55799)
}  # fmt: skip
SEMANTIC[2] = partial(_bignum, False)
SEMANTIC[3] = partial(_bignum, True)
SEMANTIC[4] = partial(_fraction, 4, 10)
SEMANTIC[5] = partial(_fraction, 5, 2)


def cbor_decoder(reader: Reader) -> cbor2.CBORDecoder:
    # cbor2 reads its source through read() alone: a Reader serves as the file it types.
    return cbor2.CBORDecoder(
        cast(IO[bytes], reader), semantic_decoders=SEMANTIC, max_depth=MAX_DEPTH
    )


def read_cbor_item(data: bytes, findings: Findings, what: str = "CBOR") -> tuple[JsonValue, bool]:
    """(item, ok) of a payload that is one CBOR data item."""
    reader = Reader(bytes(data))
    try:
        item = cbor_decoder(reader).decode()
    except (cbor2.CBORError, ValueError, TypeError, OverflowError, RecursionError) as e:
        findings.error(f"not {what}: {cbor_message(e)}", offset=cbor_offset(e, reader))
        return None, False
    if reader.pos < len(reader.data):
        findings.error(
            f"{len(reader.data) - reader.pos} byte(s) after the CBOR data item", offset=reader.pos
        )
        return item, False
    return item, True


def cbor_offset(error: BaseException, reader: Reader, start: int = 0) -> int:
    """Where a CBOR error is: the end for a truncated item (the bytes missing are there), else
    the last byte read."""
    if isinstance(error, cbor2.CBORDecodeEOF):
        return len(reader.data)
    return max(reader.pos - 1, start)


def cbor_message(error: BaseException) -> str:
    if isinstance(error, cbor2.CBORDecodeEOF):
        return "truncated: " + str(error)[:140]
    message = str(error)
    if error.__cause__ is not None:
        message += f" ({error.__cause__})"
    return message[:160]


def decode_cbor(data: bytes, request: IdPath = ()) -> tuple[list[RawValue], Findings]:
    """(values, findings) of a SenML CBOR payload: an array of maps. The array's header is read
    here, each record by cbor2, so that every record has its offset."""
    findings = Findings()
    data = bytes(data)
    if not data:
        findings.error("an empty payload is no SenML CBOR", offset=0)
        return [], findings
    head = data[0]
    if head >> 5 != 4:
        findings.error("SenML CBOR is an array of records: the first byte is no array", offset=0)
        return [], findings
    reader = Reader(data)
    reader.pos = 1
    info = head & 0x1F
    count: int | None
    if info < 24:
        count = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        if len(data) < 1 + size:
            findings.error("truncated CBOR: the array's length", offset=0)
            return [], findings
        count = int.from_bytes(data[1 : 1 + size], "big")
        reader.pos = 1 + size
    elif info == 31:
        count = None
    else:
        findings.error("not CBOR: a reserved length in the first byte", offset=0)
        return [], findings
    records: list[tuple[Record, int | None]] = []
    decoder = cbor_decoder(reader)
    index = 0
    while count is None or index < count:
        if index >= MAX_VALUES:
            findings.error(f"more than {MAX_VALUES} records: the decode stops", offset=reader.pos)
            break
        if count is None:
            if reader.pos >= len(data):
                findings.error("truncated CBOR: the array has no end (0xff)", offset=reader.pos)
                break
            if data[reader.pos] == 0xFF:
                # The array's end: the loop ends as a counted array's does, and what comes
                # after the array is found the same way.
                reader.pos += 1
                count = index
                continue
        offset = reader.pos
        if offset >= len(data):
            findings.error(
                f"truncated CBOR: the array announces {count} records, {index} are there",
                offset=offset,
            )
            break
        try:
            record = decoder.decode()
        except (cbor2.CBORError, ValueError, TypeError, OverflowError, RecursionError) as e:
            findings.error(f"not CBOR: {cbor_message(e)}", offset=cbor_offset(e, reader, offset))
            break
        index += 1
        if not isinstance(record, dict):
            findings.error("a SenML record is a CBOR map", offset=offset)
            continue
        named: Record = {}
        for label, value in record.items():
            # false and true are no labels 0 and 1, though Python's bools are those ints.
            known = isinstance(label, int | str) and not isinstance(label, bool)
            name = CBOR_LABELS.get(label) if known else None
            if name is None:
                # An unknown text label is its own name, so that one ending in "_" must be
                # understood; a JSON key spelled as text ("v") is no SenML CBOR label.
                text = isinstance(label, str) and label not in KNOWN_KEYS
                named[label if text else label_text(label)] = value
            else:
                named[name] = value
        records.append((named, offset))
    else:
        if reader.pos < len(data):
            findings.error(
                f"{len(data) - reader.pos} byte(s) after the SenML CBOR array", offset=reader.pos
            )
    return resolve(records, findings, request, cbor=True), findings


def label_text(label: object) -> str:
    """An unknown CBOR map label as the findings name it, in 30 characters at most: one cut
    ends in "…", never in "_" (which would make it a field that must be understood). A bignum
    past 4,300 digits (or a label holding one) has no decimal Python will write."""
    try:
        text = repr(label)
    except ValueError:
        return "a label too large to write"
    return text if len(text) <= 30 else text[:29] + "…"


# --- Records to values ------------------------------------------------------------------------


# mutmut 3.8.1's trampoline would hide the TypeGuard from mypy: left unmutated.
def is_number(value: object) -> TypeGuard[int | float]:  # pragma: no mutate block
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_time(value: object) -> bool:
    """A SenML time: a finite number no larger than 64 bits."""
    return is_number(value) and not too_big(value) and math.isfinite(value)


TIME_RULE = "a finite number of seconds within 64 bits"


def add_times(
    base_time: float | None,
    time: JsonValue,
    path: IdPath,
    offset: int | None,
    findings: Findings,
) -> float | None:
    """A value's time, its t added to the base time (either may be missing), None for none: a
    t that is no time is an error (the value is kept, without it), and so is a sum past a
    Float's range (1e308 + 1e308), which no JSON answer could write."""
    if time is not None and not is_time(time):
        findings.error(f"t (time) is {TIME_RULE}", path, offset)
        time = None
    if time is None and base_time is None:
        return None
    total = (base_time or 0) + (time or 0)
    if not math.isfinite(total):
        findings.error("t and bt (base time) add up past a Float's range", path, offset)
        return None
    return total


def resolve(
    records: Iterable[tuple[Record, int | None]],
    findings: Findings,
    request: IdPath,
    cbor: bool,
) -> list[RawValue]:
    """The values of (record, offset) pairs: names resolved against base names (RFC 8428,
    4.5.1), each record's one value read by its key."""
    out: list[RawValue] = []
    base_name: str | None = None
    base_time: float | None = None
    seen: set[tuple[IdPath, float | None]] = set()
    roots: set[str] = set()
    for record, offset in records:
        if len(out) >= MAX_VALUES:
            findings.error(f"more than {MAX_VALUES} values: the decode stops", offset=offset)
            break
        for key in record:
            if key not in KNOWN_KEYS:
                if isinstance(key, str) and key.endswith("_"):
                    findings.error(
                        f"the field {key[:30]!r} must be understood (RFC 8428, 4.4) and is not",
                        offset=offset,
                    )
                else:
                    findings.warning(f"unknown SenML field {key[:30]!r}, ignored", offset=offset)
        if "bn" in record:
            if not isinstance(record["bn"], str):
                findings.error("bn (base name) is a string", offset=offset)
                continue
            base_name = record["bn"]
        if "bt" in record:
            if not is_time(record["bt"]):
                findings.error(f"bt (base time) is {TIME_RULE}", offset=offset)
            else:
                base_time = record["bt"]
        for key in ("bv", "bs", "bu"):
            if key in record:
                findings.warning(f"{key} is not used by LwM2M: ignored", offset=offset)
        name = record.get("n")
        if name is not None and not isinstance(name, str):
            findings.error("n (name) is a string", offset=offset)
            continue
        if base_name is None and name is None:
            findings.error("a record with neither a name nor a base name", offset=offset)
            continue
        full = (base_name or "") + (name or "")
        path = resolve_name(full, roots)
        if path is None:
            findings.error(
                f"the name {full[:60]!r} (base name and name) is not an LwM2M path",
                offset=offset,
            )
            continue
        present = [key for key in VALUE_KEYS if key in record]
        if not present:
            findings.error("a record without a value (v, vs, vb, vd or vlo)", path, offset)
            continue
        if len(present) > 1:
            findings.error(f"a record with two values ({', '.join(present)})", path, offset)
            continue
        if len(path) < 3:
            findings.error("a value belongs to a resource: its path has 3 or 4 IDs", path, offset)
            continue
        if request and tuple(path[: len(request)]) != tuple(request):
            findings.error(f"outside the request path {path_text(request)}", path, offset)
            continue
        time = add_times(base_time, record.get("t"), path, offset, findings)
        # A notification may carry a resource's history: one value per path and time.
        if (path, time) in seen:
            findings.error("the same path twice (at the same time)", path, offset)
            continue
        seen.add((path, time))
        raw = _value(present[0], record[present[0]], path, offset, findings, cbor)
        if raw is not None:
            raw.time = time
            raw.multiple = True if len(path) == 4 else None
            out.append(raw)
    for root in sorted(roots):
        findings.warning(f"names under the root path {root[:60]}: read without it")
    return out


def _value(
    key: str,
    value: JsonValue,
    path: IdPath,
    offset: int | None,
    findings: Findings,
    cbor: bool,
) -> RawValue | None:
    if key == "v":
        if not is_number(value):
            findings.error("v is a number", path, offset)
            return None
        if too_big(value):
            findings.error("v is an integer past 64 bits", path, offset)
            return None
        return RawValue(path, "number", value, offset)
    if key == "vb":
        if not isinstance(value, bool):
            findings.error("vb is true or false", path, offset)
            return None
        return RawValue(path, "boolean", value, offset)
    if key == "vs":
        if not isinstance(value, str):
            findings.error("vs is a string", path, offset)
            return None
        return RawValue(path, "string", value, offset)
    if key == "vlo":
        if not isinstance(value, str):
            findings.error("vlo is a string O:I", path, offset)
            return None
        return RawValue(path, "objlnk", value, offset)
    # vd
    if cbor:
        if not isinstance(value, bytes):
            findings.error("vd is a byte string in SenML CBOR", path, offset)
            return None
        return RawValue(path, "opaque", value, offset)
    if not isinstance(value, str):
        findings.error("vd is a base64url string", path, offset)
        return None
    data, problem = from_base64(value, url=True, padding=False)
    if problem:
        data, spelled = lenient_base64(value)
        if data is None:
            findings.error(f"vd is base64url without padding (RFC 8428): {problem}", path, offset)
            return None
        findings.warning(f"vd in {spelled}, not base64url without padding (RFC 8428): read as "
                         "written (Wakaama writes it so)", path, offset)  # fmt: skip
    return RawValue(path, "opaque", data, offset)


def lenient_base64(value: str) -> tuple[bytes | None, str]:
    """(bytes, how it is spelled) of base64 with padding or in the standard alphabet, as some
    clients write SenML's vd; (None, "") when it is no base64 at all."""
    cleaned = value.strip()
    if not re.fullmatch(r"[A-Za-z0-9+/\-_]*={0,2}", cleaned) or len(cleaned.rstrip("=")) % 4 == 1:
        return None, ""
    standard = cleaned.replace("-", "+").replace("_", "/")
    try:
        data = base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None, ""
    spelled = "standard base64" if set(cleaned) & set("+/") else "base64url"
    return data, spelled + (" with padding" if cleaned.endswith("=") else "")


# --- Encoding -----------------------------------------------------------------------------------


def records_for(request: IdPath, entries: Iterable[SenmlEntry]) -> list[dict[str, Value]]:
    """SenML records for (path, key, value) entries under `request`: the request path as the
    first record's base name, each name relative to it (as Leshan writes them)."""
    base = path_text(request) + "/" if request else "/"
    records: list[dict[str, Value]] = []
    for path, key, value in entries:
        record: dict[str, Value] = {"bn": base} if not records else {}
        name = path_text(path)[len(base) :]
        if name:
            record["n"] = name
        record[key] = value
        records.append(record)
    return records


def encode_json(request: IdPath, entries: Iterable[SenmlEntry]) -> bytes:
    records = records_for(request, entries)
    for record in records:
        if isinstance(record.get("vd"), bytes | bytearray):
            record["vd"] = base64url(cast(bytes, record["vd"]))  # bytes: just checked
    return json.dumps(records, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8"
    )


def encode_cbor(request: IdPath, entries: Iterable[SenmlEntry]) -> bytes:
    records = [
        {CBOR_KEYS[key]: value for key, value in record.items()}
        for record in records_for(request, entries)
    ]
    return cbor2.dumps(records)
