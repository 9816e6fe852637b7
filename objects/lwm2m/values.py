"""LwM2M resource values by data type (OMA-TS-LightweightM2M_Core 1.1/1.2, section 7.4 and
appendix C): how each format spells a value of each type, and back.

In Python a value is: Integer and Unsigned Integer an int, Float a float, Boolean a bool,
String and Corelnk a str, Opaque bytes, Time an int (epoch seconds), Objlnk a tuple (O, I).
Each reader returns (value, problem): problem is None, or a message saying why the bytes or
text are not a value of that type.
"""

import base64
import binascii
import math
import re
import struct
from datetime import UTC, datetime
from typing import cast

from objects.lwm2m.ids import MAX_ID

INTEGER, UNSIGNED, FLOAT, BOOLEAN = "Integer", "Unsigned Integer", "Float", "Boolean"
STRING, OPAQUE, TIME, OBJLNK, CORELNK = "String", "Opaque", "Time", "Objlnk", "Corelnk"
TYPES = (INTEGER, UNSIGNED, FLOAT, BOOLEAN, STRING, OPAQUE, TIME, OBJLNK, CORELNK)
NUMERIC = (INTEGER, UNSIGNED, FLOAT, TIME)
INT64 = (-(2**63), 2**63 - 1)
UINT64 = (0, 2**64 - 1)
OBJLNK_RE = re.compile(r"^([0-9]{1,5}):([0-9]{1,5})$")
INTEGER_TEXT_RE = re.compile(r"^[+-]?[0-9]{1,20}$")
FLOAT_TEXT_RE = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")

# A value in Python, of one of the types above (see the module's docstring for which).
Value = int | float | bool | str | bytes | tuple[int, int]
# What a reader returns: (the value, None), or (None, why the input is no value of the type).
Read = tuple[Value | None, str | None]
# A value as the API answers it in JSON.
JsonScalar = int | float | bool | str | None


def canonical_type(text: str | None) -> str:
    """The registry's spelling of a type ("unsigned integer" -> "Unsigned Integer"), "" for
    none (an executable resource) or one we do not know."""
    folded = " ".join((text or "").split()).lower()
    for name in TYPES:
        if name.lower() == folded:
            return name
    return ""


# --- TLV (section 7.4.3): binary values ---------------------------------------------------


def from_tlv(type_: str, data: bytes) -> Read:
    """A TLV value's bytes read as `type_`."""
    n = len(data)
    if type_ in (INTEGER, TIME):
        if n not in (1, 2, 4, 8):
            if 0 < n <= 8:
                value = int.from_bytes(data, "big", signed=True)
                return value, None  # Leshan reads 3, 5, 6, 7 bytes too; the caller may warn
            return None, f"{type_} is 1, 2, 4 or 8 bytes in TLV, not {n}"
        return int.from_bytes(data, "big", signed=True), None
    if type_ == UNSIGNED:
        if not 0 < n <= 8:
            return None, f"Unsigned Integer is 1, 2, 4 or 8 bytes in TLV, not {n}"
        # As Leshan reads it (and writes it): the bytes as a signed 64-bit number, taken
        # unsigned. 8 bytes are the same either way; a shorter value with its high bit set is
        # sign-extended, so FF is 2**64 - 1, which is how Leshan writes 2**64 - 1 (see
        # leshan_sign_extended()).
        return int.from_bytes(data, "big", signed=True) % 2**64, None
    if type_ == FLOAT:
        if n == 4:
            return struct.unpack(">f", data)[0], None
        if n == 8:
            return struct.unpack(">d", data)[0], None
        return None, f"Float is 4 or 8 bytes in TLV, not {n}"
    if type_ == BOOLEAN:
        if n != 1:
            return None, f"Boolean is 1 byte in TLV, not {n}"
        if data[0] > 1:
            return None, f"Boolean is 0 or 1, not {data[0]}"
        return data[0] == 1, None
    if type_ == OBJLNK:
        if n != 4:
            return None, f"Objlnk is 4 bytes in TLV, not {n}"
        return (int.from_bytes(data[:2], "big"), int.from_bytes(data[2:], "big")), None
    if type_ in (STRING, CORELNK):
        return utf8(data)
    return bytes(data), None


def leshan_sign_extended(type_: str, data: bytes) -> bool:
    """Whether an Unsigned Integer's TLV bytes are read differently by the specification's
    letter (unsigned) and by Leshan (signed, then unsigned): a short value with its high bit."""
    return type_ == UNSIGNED and 0 < len(data) < 8 and data[0] & 0x80 != 0


def utf8(data: bytes) -> tuple[str | None, str | None]:
    try:
        return bytes(data).decode("utf-8"), None
    except UnicodeDecodeError as e:
        return None, f"not UTF-8 text (byte {e.start})"


def int_bytes(value: int, signed: bool = True) -> bytes:
    """The shortest of 1, 2, 4 or 8 bytes that holds `value` (two's complement when signed)."""
    for width in (1, 2, 4, 8):
        try:
            return value.to_bytes(width, "big", signed=signed)
        except OverflowError:
            continue
    # An Unsigned Integer past 2**63 goes in 8 bytes unsigned.
    return value.to_bytes(8, "big", signed=False)


def to_tlv(type_: str, value: Value) -> bytes:
    """A value of `type_` as TLV value bytes (the shortest integer, Float in 8 bytes)."""
    # `type_` says the value's Python type, which mypy cannot tie to it: the casts say it.
    if type_ in (INTEGER, TIME):
        return int_bytes(int(cast(int, value)))
    if type_ == UNSIGNED:
        # As Leshan writes it: the shortest two's complement (200 is 00 C8, so that a reader
        # taking it as signed gets it right too), 8 bytes unsigned past 2**63.
        return int_bytes(int(cast(int, value)))
    if type_ == FLOAT:
        return struct.pack(">d", float(cast(float, value)))
    if type_ == BOOLEAN:
        return b"\x01" if value else b"\x00"
    if type_ == OBJLNK:
        link = cast(tuple[int, int], value)
        return link[0].to_bytes(2, "big") + link[1].to_bytes(2, "big")
    if type_ in (STRING, CORELNK):
        return cast(str, value).encode("utf-8")
    return bytes(cast(bytes, value))


# --- Text (content format 0, section 7.4.1) --------------------------------------------------


def from_text(type_: str, text: str) -> Read:
    """Plain text read as `type_`: numbers in decimal, Boolean 0/1, Objlnk O:I, Opaque in base64."""
    if type_ in (INTEGER, TIME, UNSIGNED):
        if not INTEGER_TEXT_RE.match(text):
            return None, f"{text[:40]!r} is not a whole number"
        return check_int_range(type_, int(text))
    if type_ == FLOAT:
        if text in JAVA_SPECIALS:
            return JAVA_SPECIALS[text], None
        if not FLOAT_TEXT_RE.match(text):
            return None, f"{text[:40]!r} is not a number"
        value = float(text)
        if math.isinf(value):
            return None, f"{text[:40]!r} is out of a Float's range"
        return value, None
    if type_ == BOOLEAN:
        if text not in ("0", "1"):
            return None, f"Boolean is 0 or 1 in text, not {text[:40]!r}"
        return text == "1", None
    if type_ == OBJLNK:
        return parse_objlnk(text)
    if type_ == OPAQUE:
        return from_base64(text)
    return text, None


# How Java (Leshan) writes the floats JSON has no number for, in text and in this API.
JAVA_SPECIALS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def java_special(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def to_text(type_: str, value: Value) -> str:
    # As in to_tlv, the casts say what `type_` says of the value's Python type.
    if type_ == BOOLEAN:
        return "1" if value else "0"
    if type_ == FLOAT:
        value = float(cast(float, value))
        return repr(value) if math.isfinite(value) else java_special(value)
    if type_ == OBJLNK:
        link = cast(tuple[int, int], value)
        return f"{link[0]}:{link[1]}"
    if type_ == OPAQUE:
        return base64.b64encode(cast(bytes, value)).decode("ascii")
    return str(value)


def check_int_range(type_: str, value: int) -> tuple[int | None, str | None]:
    low, high = UINT64 if type_ == UNSIGNED else INT64
    if not low <= value <= high:
        shown = str(value) if value.bit_length() < 200 else f"a {value.bit_length()}-bit number"
        return None, f"{shown} is outside the range of {type_} ({low} to {high})"
    return value, None


def parse_objlnk(text: object) -> tuple[tuple[int, int] | None, str | None]:
    match = OBJLNK_RE.match(text or "") if isinstance(text, str) else None
    if not match or int(match.group(1)) > MAX_ID or int(match.group(2)) > MAX_ID:
        return None, f"Objlnk is written O:I with two IDs up to {MAX_ID}, not {str(text)[:40]!r}"
    return (int(match.group(1)), int(match.group(2))), None


def from_base64(
    text: str, url: bool = False, padding: bool = True
) -> tuple[bytes | None, str | None]:
    """Base64 (standard with padding) or, for SenML, base64url without padding (RFC 8428 5)."""
    cleaned = text.strip()
    alphabet = r"A-Za-z0-9\-_" if url else r"A-Za-z0-9+/"
    pattern = rf"^[{alphabet}]*={{0,2}}$" if padding else rf"^[{alphabet}]*$"
    if not re.match(pattern, cleaned) or len(cleaned.rstrip("=")) % 4 == 1:
        kind = "base64url without padding" if url else "base64"
        return None, f"not {kind}: {cleaned[:40]!r}"
    if padding and not url and len(cleaned) % 4:
        return None, f"base64 with its padding is a multiple of 4 characters: {cleaned[:40]!r}"
    try:
        padded = cleaned + "=" * (-len(cleaned) % 4)
        if url:
            return base64.urlsafe_b64decode(padded), None
        return base64.b64decode(padded, validate=True), None
    except (binascii.Error, ValueError) as e:
        return None, f"not base64: {e}"


def base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


# --- Values from self-describing formats (SenML, LwM2M JSON, CBOR) ---------------------------


def from_number(type_: str, number: object) -> Read:
    """A JSON/CBOR number read as `type_`: an Integer takes no fraction, a Float any number."""
    if isinstance(number, bool) or not isinstance(number, int | float):
        return None, f"{type_} expects a number"
    if type_ == FLOAT:
        try:
            return float(number), None
        except OverflowError:
            return None, "the number is out of a Float's range"
    if type_ in (INTEGER, UNSIGNED, TIME):
        if isinstance(number, float):
            if not math.isfinite(number) or number != int(number):
                return None, f"{type_} expects a whole number, not {number!r}"
            number = int(number)
        return check_int_range(type_, number)
    return None, f"a number is not a value of type {type_}"


# --- Display and JSON ------------------------------------------------------------------------


def json_value(type_: str, value: Value | None) -> JsonScalar:
    """A value as the API answers it: numbers as numbers, Opaque hex, Objlnk "O:I"."""
    if value is None:
        return None
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    if type_ == OBJLNK or isinstance(value, tuple):
        link = cast(tuple[int, int], value)  # an Objlnk's value is (O, I)
        return f"{link[0]}:{link[1]}"
    if isinstance(value, float) and not math.isfinite(value):
        return java_special(value)  # JSON has no NaN or Infinity
    return value


def from_date_text(text: str) -> tuple[int | None, str | None]:
    """Epoch seconds of an RFC 3339 date (CBOR tag 0), as `2013-05-02T10:40:15Z`."""
    if len(text) > 40:
        return None, "not an RFC 3339 date"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None, f"not an RFC 3339 date: {text[:40]!r}"
    if moment.tzinfo is None:
        return None, f"an RFC 3339 date has its time zone: {text[:40]!r}"
    return int(moment.timestamp()), None


def iso_time(seconds: float) -> str:
    try:
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return ""


def printable_text(data: bytes) -> str:
    """Opaque bytes as text when they are printable UTF-8, else ""."""
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return text if text and all(c.isprintable() or c in "\r\n\t" for c in text) else ""
