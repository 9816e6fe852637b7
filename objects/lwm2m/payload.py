"""What every payload codec shares: findings with byte offsets, the values a format carries
before the registry gives them a type, request paths, and the limits that bound a decode.

A decoder never raises on bad input: what is wrong becomes a PayloadFinding, with the byte
offset where the decoder saw it, and the decode stops there (what was decoded before it is
kept).
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypedDict, overload

from objects.lwm2m.ids import MAX_ID

# The limits of every decoder (documented in docs/urls-and-apis.md): a payload larger than
# MAX_PAYLOAD is refused whole; past MAX_VALUES values or MAX_DEPTH levels of nesting the decode
# stops.
MAX_PAYLOAD = 64 * 1024
MAX_VALUES = 5000
MAX_DEPTH = 16
# Findings are capped like values: past MAX_FINDINGS, one last finding counts those left out
# (64 KB of junk records would otherwise make an answer of megabytes).
MAX_FINDINGS = 1000

Severity = Literal["error", "warning"]
ERROR: Final = "error"
WARNING: Final = "warning"

# A value as json.loads or cbor2 decoded it, unchecked until a reader looks at it: a dict, list,
# str, int, float, bool, None, bytes or CBORTag. Any, because it is untrusted and untyped.
JsonValue = Any
# The IDs of an LwM2M path, as in (3303, 0, 5700): one to four of them (none for the root).
IdPath = tuple[int, ...]
# What a finding is about: a path of IDs, a link's target as written, or nothing.
FindingPath = Sequence[int] | str | None


class FindingJson(TypedDict):
    Severity: Severity
    Path: str | None
    Offset: int | None
    Message: str


@dataclass
class PayloadFinding:
    severity: Severity
    message: str
    path: str | None = None
    offset: int | None = None

    def as_json(self) -> FindingJson:
        return {
            "Severity": self.severity,
            "Path": self.path,
            "Offset": self.offset,
            "Message": self.message,
        }


class Findings(list[PayloadFinding]):
    """A list of PayloadFinding with shorthands, at most MAX_FINDINGS of them and one last finding
    that says how many more were left out (an error when one of those was)."""

    left_out = 0
    notice: PayloadFinding | None = None

    def append(self, finding: PayloadFinding) -> None:
        if len(self) < MAX_FINDINGS:
            super().append(finding)
            return
        self.left_out += 1
        if self.notice is None:
            self.notice = PayloadFinding(WARNING, "", None, None)
            super().append(self.notice)
        if finding.severity == ERROR:
            self.notice.severity = ERROR
        self.notice.message = (
            f"{self.left_out} more finding(s) left out: at most {MAX_FINDINGS} are listed"
        )

    def extend(self, findings: Iterable[PayloadFinding]) -> None:
        for finding in findings:
            self.append(finding)

    def error(self, message: str, path: FindingPath = None, offset: int | None = None) -> None:
        self.append(PayloadFinding(ERROR, message, path_text(path), offset))

    def warning(self, message: str, path: FindingPath = None, offset: int | None = None) -> None:
        self.append(PayloadFinding(WARNING, message, path_text(path), offset))

    @property
    def has_errors(self) -> bool:
        return any(f.severity == ERROR for f in self)


# What a format says of a value before the registry says its type:
#   "bytes"   TLV's untyped value bytes, or an opaque payload
#   "number"  an int or float (SenML v, LwM2M JSON v, a CBOR number)
#   "string"  a text string (vs, sv, a CBOR text string)
#   "text"    plain text (content format 0), read by the resource's type
#   "boolean" True/False (vb, bv)
#   "opaque"  bytes a format marked as opaque (SenML vd, a CBOR byte string)
#   "objlnk"  "O:I" text (vlo, ov)
#   "time"    a CBOR tag 1 (epoch seconds) or tag 0 (date text) value
#   and, of a CBOR payload's one value, "null" (a CBOR null) and "other" (any other item)
KINDS = ("bytes", "number", "string", "text", "boolean", "opaque", "objlnk", "time")
RawKind = Literal[
    "bytes", "number", "string", "text", "boolean", "opaque", "objlnk", "time", "null", "other"
]


@dataclass
class RawValue:
    path: IdPath  # (object, instance, resource[, resource instance])
    kind: RawKind
    # What the format holds, its Python type told by `kind` (TLV bytes, a JSON or CBOR item).
    value: JsonValue
    offset: int | None = None
    # True when the format says it is an instance of a multiple resource (a TLV multiple
    # resource, a path with four IDs); False when it says single; None when it does not say.
    multiple: bool | None = None
    time: float | None = None
    # What the format says of how to read it: "base64" (LwM2M JSON), "cbor" (a CBOR text).
    extra: dict[str, bool] = field(default_factory=dict)


class BadRequestPath(ValueError):
    pass


REQUEST_PATH_RE = re.compile(r"^/?[0-9]{1,5}(?:/[0-9]{1,5}){0,3}/?$")


def parse_request_path(text: str | None) -> IdPath:
    """`/3303/0` -> (3303, 0); "" or "/" -> (); BadRequestPath when it is no LwM2M path."""
    text = (text or "").strip()
    if text in ("", "/"):
        return ()
    if len(text) > 40 or not REQUEST_PATH_RE.match(text):
        raise BadRequestPath(
            f"{text[:40]!r} is not an LwM2M path: one to four IDs, as in /3303/0/5700"
        )
    ids = tuple(int(part) for part in text.strip("/").split("/"))
    if any(i > MAX_ID for i in ids):
        raise BadRequestPath(f"{text!r}: an ID is past {MAX_ID}")
    return ids


@overload
def path_text(path: None) -> None: ...
@overload
def path_text(path: Sequence[int] | str) -> str: ...
@overload
def path_text(path: FindingPath) -> str | None: ...
# mutmut 3.8.1 would put its table of mutants between the overloads and this implementation,
# and mypy then refuses the whole mutated module: this function is left unmutated.
def path_text(path: FindingPath) -> str | None:  # pragma: no mutate block
    if path is None or isinstance(path, str):
        return path
    return "/" + "/".join(str(i) for i in path)


def parse_name_path(name: object) -> IdPath | None:
    """A SenML/JSON resolved name as a path tuple, or None when it is not one."""
    if not isinstance(name, str) or not name.startswith("/") or len(name) > 40:
        return None
    parts = name[1:].split("/")
    if parts and parts[-1] == "":
        parts = parts[:-1]
    if not parts or len(parts) > 4:
        return None
    if not all(p.isascii() and p.isdigit() and len(p) <= 5 for p in parts):
        return None
    ids = tuple(int(p) for p in parts)
    return None if any(i > MAX_ID for i in ids) else ids


def resolve_name(name: object, roots: set[str]) -> IdPath | None:
    """The path a SenML or JSON name resolves to, None when it is none: the leading "/" may be
    missing (Leshan reads "3/0/1" too), and a client's alternate root path (`/lwm2m/3/0/1`, its
    non-numeric first segments) is taken off and added to `roots`."""
    if not isinstance(name, str) or len(name) > 200:
        return None
    if not name.startswith("/"):
        name = "/" + name
    path = parse_name_path(name)
    if path is not None:
        return path
    parts = name[1:].split("/")
    prefix = []
    while parts and parts[0] and not (parts[0].isascii() and parts[0].isdigit()):
        prefix.append(parts.pop(0))
    if not prefix or not parts:
        return None
    path = parse_name_path("/" + "/".join(parts))
    if path is not None:
        roots.add("/" + "/".join(prefix))
    return path


def within(path: Sequence[int], request: Sequence[int]) -> bool:
    """Whether `path` is the request path or under it."""
    return tuple(path[: len(request)]) == tuple(request)


class ByteOffsets:
    """Character offsets in decoded text as byte offsets in its UTF-8, each in time linear in
    the distance from the one asked before (offsets are mostly asked in increasing order)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ascii = text.isascii()
        self.char = 0
        self.byte = 0

    def __call__(self, char_offset: int) -> int:
        if self.ascii:
            return char_offset
        if char_offset < self.char:
            self.char = self.byte = 0
        self.byte += len(self.text[self.char : char_offset].encode("utf-8", "surrogatepass"))
        self.char = char_offset
        return self.byte


def too_big(number: object) -> bool:
    """An integer no LwM2M type holds (Integer is 64-bit signed, Unsigned Integer 64-bit): past
    it, Python would even refuse to write it in decimal."""
    return isinstance(number, int) and not -(2**63) <= number < 2**64
