"""The content formats of LwM2M payloads (OMA-TS-LightweightM2M_Core 1.1, section 7.4 and
IANA's CoAP Content-Formats), a payload as an engineer pastes it (text, hex, base64), a guess
at its format, and the single-value formats: plain text (0), opaque (42) and CBOR (60).
"""

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Literal, cast

import cbor2

from objects.lwm2m import link_format, lwm2m_json, senml, tlv
from objects.lwm2m.link_format import Link
from objects.lwm2m.payload import MAX_PAYLOAD, Findings, IdPath, JsonValue, RawValue, too_big


@dataclass(frozen=True)
class ContentFormat:
    name: str
    number: int
    media_type: str
    title: str


FORMATS = (
    ContentFormat("tlv", 11542, "application/vnd.oma.lwm2m+tlv", "OMA TLV"),
    ContentFormat("senml-json", 110, "application/senml+json", "SenML JSON"),
    ContentFormat("senml-cbor", 112, "application/senml+cbor", "SenML CBOR"),
    ContentFormat("lwm2m-json", 11543, "application/vnd.oma.lwm2m+json", "LwM2M JSON (1.0)"),
    ContentFormat("link", 40, "application/link-format", "CoRE Link Format"),
    ContentFormat("text", 0, "text/plain;charset=utf-8", "Plain text"),
    ContentFormat("opaque", 42, "application/octet-stream", "Opaque"),
    ContentFormat("cbor", 60, "application/cbor", "CBOR"),
)
BY_NAME = {f.name: f for f in FORMATS}
BY_NUMBER = {f.number: f for f in FORMATS}
TEXTUAL = ("senml-json", "lwm2m-json", "link", "text")
# How pasted input was read into bytes.
InputEncoding = Literal["text", "hex", "base64"]


class BadPayloadInput(ValueError):
    """A request the decoder cannot start on (an unknown format, hex that is not hex...)."""


def content_format(
    name: str | None = None, number: str | int | None = None
) -> ContentFormat | None:
    """The ContentFormat a name or a number names, None for neither; BadPayloadInput for an
    unknown one."""
    if name:
        key = str(name).strip().lower()
        if key in BY_NAME:
            return BY_NAME[key]
        if key.isdigit() and len(key) <= 6 and int(key) in BY_NUMBER:
            return BY_NUMBER[int(key)]
        raise BadPayloadInput(
            f"unknown format {str(name)[:30]!r}: one of {', '.join(f.name for f in FORMATS)}"
        )
    if number not in (None, ""):
        text = str(number).strip()
        if text.isdigit() and len(text) <= 6 and int(text) in BY_NUMBER:
            return BY_NUMBER[int(text)]
        numbers = ", ".join(str(f.number) for f in FORMATS)
        raise BadPayloadInput(f"unknown content format {text[:20]!r}: one of {numbers}")
    return None


HEX_RE = re.compile(r"^(?:0x)?(?:[0-9a-fA-F]{2}|[\s:,]|0x)*$")
BASE64_RE = re.compile(r"^[A-Za-z0-9+/\-_\s]*={0,2}\s*$")


def from_hex(text: str) -> bytes:
    cleaned = re.sub(r"0[xX]|[\s:,]", "", text)
    if len(cleaned) % 2:
        raise BadPayloadInput("hex has an even number of digits")
    try:
        return bytes.fromhex(cleaned)
    except ValueError:
        raise BadPayloadInput("not hex: only 0-9, a-f, spaces, colons and 0x") from None


def from_b64(text: str) -> bytes:
    cleaned = "".join(text.split())
    cleaned = cleaned.replace("-", "+").replace("_", "/")
    cleaned += "=" * (-len(cleaned.rstrip("=")) % 4 if "=" not in cleaned else 0)
    try:
        return base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        raise BadPayloadInput("not base64") from None


def looks_hex(text: str) -> bool:
    stripped = re.sub(r"0[xX]|[\s:,]", "", text)
    return (
        bool(stripped) and len(stripped) % 2 == 0 and bool(re.fullmatch(r"[0-9a-fA-F]+", stripped))
    )


def read_input(
    text: str, encoding: str | None, fmt: ContentFormat | None
) -> tuple[bytes, InputEncoding]:
    """The payload bytes of what was pasted: `encoding` is text, hex, base64 or auto (hex when it
    is hex, else text for a textual format, base64 when it is base64, else text)."""
    encoding = (encoding or "auto").lower()
    if encoding == "hex":
        return from_hex(text), "hex"
    if encoding == "base64":
        return from_b64(text), "base64"
    if encoding == "text":
        return text.encode("utf-8"), "text"
    if encoding != "auto":
        raise BadPayloadInput("input is one of auto, text, hex, base64")
    textual = fmt is not None and fmt.name in TEXTUAL
    stripped = text.strip()
    # `textual` is true only with a format, which mypy cannot see through the name: the cast.
    if looks_hex(stripped) and not (textual and cast(ContentFormat, fmt).name == "text"):
        return from_hex(stripped), "hex"
    if textual or stripped[:1] in ("<", "[", "{"):
        # Pasted text: the blank lines and spaces around it are the editor's, not the payload's.
        return (stripped if fmt is None or fmt.name != "text" else text).encode("utf-8"), "text"
    if stripped and BASE64_RE.match(stripped) and len("".join(stripped.split())) % 4 in (0, 2, 3):
        try:
            return from_b64(stripped), "base64"
        except BadPayloadInput:
            pass
    return text.encode("utf-8"), "text"


def detect(data: bytes) -> ContentFormat:
    """A guess at the format of a payload: the first format that reads it without an error."""
    stripped = data.strip()
    if stripped[:1] == b"<":
        return BY_NAME["link"]
    if stripped[:1] == b"[":
        return BY_NAME["senml-json"]
    if stripped[:1] == b"{":
        return BY_NAME["lwm2m-json"]
    if data and data[0] >> 5 == 4:
        _, findings = senml.decode_cbor(data)
        if not findings.has_errors:
            return BY_NAME["senml-cbor"]
    if data:
        _, findings = tlv.decode(data)
        if not findings.has_errors:
            return BY_NAME["tlv"]
    try:
        text = data.decode("utf-8")
        if text and text.isprintable():
            return BY_NAME["text"]
    except UnicodeDecodeError:
        pass
    if data and truncated_tlv(data):
        return BY_NAME["tlv"]
    return BY_NAME["opaque"]


def truncated_tlv(data: bytes) -> bool:
    """Whether a payload starts with a whole TLV header and reads as TLV up to an end that
    comes too soon (a capture cut short): its decode then says where, where opaque would not."""
    if data[0] >> 6 == tlv.RESOURCE_INSTANCE:
        return False  # a payload's first TLV is an instance, a resource or a multiple one
    _, findings = tlv.decode(data)
    errors = [f for f in findings if f.severity == "error"]
    if not errors or errors[0].message.startswith("truncated TLV") and errors[0].offset == 0:
        return False
    return all("goes past the end" in f.message or "truncated TLV" in f.message for f in errors)


# --- Single values: text, opaque, CBOR ------------------------------------------------------


def single(fmt_name: str, data: bytes, request: IdPath, findings: Findings) -> list[RawValue]:
    """The one value of a text, opaque or CBOR payload, for a request on a resource or a
    resource instance."""
    if len(request) < 3:
        findings.error(
            f"a {BY_NAME[fmt_name].title} payload is one resource's value: "
            "give the resource's path, as in /3303/0/5700"
        )
        return []
    multiple = True if len(request) == 4 else None
    if fmt_name == "opaque":
        return [RawValue(request, "opaque", bytes(data), 0, multiple=multiple)]
    if fmt_name == "text":
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as e:
            findings.error(f"plain text is UTF-8: byte {e.start} is not", request, e.start)
            return []
        return [RawValue(request, "text", text, 0, multiple=multiple)]
    item, ok = senml.read_cbor_item(data, findings)
    if not ok:
        return []
    return [cbor_value(item, request, findings, multiple)]


def cbor_value(
    item: JsonValue, request: IdPath, findings: Findings, multiple: bool | None = None
) -> RawValue:
    """A CBOR data item as a RawValue: tag 1 (epoch seconds) and tag 0 (a date) are Time."""
    if isinstance(item, cbor2.CBORTag):
        if item.tag in (0, 1) and too_big(item.value):
            findings.error("a time past 64 bits", request, 0)
            return RawValue(request, "other", None, 0, multiple=multiple)
        if item.tag == 1:
            return RawValue(request, "time", item.value, 0, multiple=multiple)
        if item.tag == 0:
            return RawValue(request, "time", item.value, 0, multiple=multiple)
        findings.warning(f"CBOR tag {item.tag} is not one LwM2M uses: read its content", request, 0)
        item = item.value
    if isinstance(item, bool):
        return RawValue(request, "boolean", item, 0, multiple=multiple)
    if isinstance(item, int | float):
        if too_big(item):
            findings.error("an integer past 64 bits is no LwM2M value", request, 0)
            return RawValue(request, "other", None, 0, multiple=multiple)
        return RawValue(request, "number", item, 0, multiple=multiple)
    if isinstance(item, str):
        return RawValue(request, "string", item, 0, multiple=multiple, extra={"cbor": True})
    if isinstance(item, bytes):
        return RawValue(request, "opaque", item, 0, multiple=multiple)
    if item is None:
        return RawValue(request, "null", None, 0, multiple=multiple)
    return RawValue(request, "other", item, 0, multiple=multiple)


def decode(
    fmt: ContentFormat, data: bytes, request: IdPath
) -> tuple[list[RawValue], list[Link] | None, Findings]:
    """(values, links, findings) of a payload in a format, for a request path."""
    findings = Findings()
    if len(data) > MAX_PAYLOAD:
        findings.error(
            f"the payload is over the {MAX_PAYLOAD // 1024} KB limit", offset=MAX_PAYLOAD
        )
        return [], None, findings
    if fmt.name == "tlv":
        nodes, findings = tlv.decode(data)
        return tlv.values(nodes, request, findings), None, findings
    if fmt.name == "senml-json":
        values, findings = senml.decode_json(data, request)
        return values, None, findings
    if fmt.name == "senml-cbor":
        values, findings = senml.decode_cbor(data, request)
        return values, None, findings
    if fmt.name == "lwm2m-json":
        values, findings = lwm2m_json.decode(data, request)
        return values, None, findings
    if fmt.name == "link":
        links, findings = link_format.parse(data)
        return [], links, findings
    return single(fmt.name, data, request, findings), None, findings
