"""The one reader of the registry's RangeEnumeration texts: the bounds and enumerated values
a text says, or "unreadable" when it does not say them in a form a program can hold a value to.

The registry writes ranges many ways: `0..100`, `1...15`, `0-100`, `-40..85`, `[1:4]`, lists
(`0,1,2`, `5, 10, 15, 20`, `0..3, 99`, `0; 3.8..20.5`, `0 or 26 Bytes`, `16-32-48 bytes`),
enumerations (`0: CONFIGURED_ON` one a line, `0=off, 1=on`), units written in (`1..64 bytes`),
and free text ("The possible values are those listed in ..."). For String and Opaque the range
is a length (in bytes unless it says characters); for the other types it bounds the value.

A single number (`255`, `64`) is read as the largest: the registry uses it both for "at most"
(object 20's LogClass, 0 to 255) and "exactly" (object 0's 6-byte SMS binding key), and "at
most" is true of both. A range written high to low (`-30..-120`) is read low to high.
"""

import math
import re
from dataclasses import dataclass
from typing import Literal, TypedDict

# Types whose range is a length, not the value's bounds.
LENGTH_TYPES = ("string", "opaque")
MAX_TEXT = 2000
NUMBER = r"[-+]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,3})?"
NUMBER_RE = re.compile(rf"^{NUMBER}$")
# "a..b", "a...b", "a-b", "a to b", "a~b", each side a number.
INTERVAL_RE = re.compile(rf"^({NUMBER})\s*(?:\.\.\.?|-|to|~)\s*({NUMBER})$", re.I)
BRACKETED_RE = re.compile(rf"^\[\s*({NUMBER})\s*(?:\.\.\.?|:|,|-)\s*({NUMBER})\s*\]$")
# A hyphen chain of three or more numbers is a list: "16-32-48".
CHAIN_RE = re.compile(r"^[0-9]+(?:\s*-\s*[0-9]+){2,}$")
# A label after a value: "0: off", "1 = on", "9..15 = Reserved".
LABELLED_RE = re.compile(r"^(\[?[-+0-9.\s:~]*?[0-9]\]?)\s*[:=]\s*([^\s0-9.+-].*)$")
# Units written after the numbers: "bytes", "%", "s", "dBm".
UNITS_RE = re.compile(r"^(.*?[0-9\]])\s*-?\s*([A-Za-z%°µ][A-Za-z%°µ/²³.]*)$")
BYTE_UNITS = {"byte", "bytes", "octet", "octets", "b"}
BIT_UNITS = {"bit", "bits"}
CHAR_UNITS = {"character", "characters", "char", "chars"}
DASHES = str.maketrans({"–": "-", "—": "-", "−": "-", "…": "..."})

Number = int | float
# What a range bounds: the value, or the length of a String or Opaque.
RangeOf = Literal["value", "length"]
# (low, high) of an interval; low None for "at most high".
Interval = tuple[Number | None, Number]


class RangeJson(TypedDict):
    readable: bool
    min: Number | None
    max: Number | None
    values: list[Number] | None
    of: RangeOf
    units: str
    labels: dict[str, str] | None
    intervals: list[list[Number | None]] | None
    note: str


class UnreadableRange(ValueError):
    pass


class NotANumber(UnreadableRange):
    pass


@dataclass(frozen=True)
class Range:
    """What a RangeEnumeration says. `intervals` is the whole set of allowed values (or
    lengths), each (low, high), a point being (v, v); `min` and `max` its bounds (`min` None
    when only the largest is said); `values` the enumerated values when every interval is a
    point; `labels` ((value, name), ...) of an enumeration; `of` "value" or "length";
    `units` as written ("bytes" for a length in bytes); `note` why it is unreadable, or how
    it was read."""

    text: str
    readable: bool
    min: Number | None = None
    max: Number | None = None
    values: tuple[Number, ...] | None = None
    intervals: tuple[Interval, ...] = ()
    labels: tuple[tuple[Number, str], ...] = ()
    of: RangeOf = "value"
    units: str = ""
    note: str = ""

    def as_json(self) -> RangeJson:
        return {
            "readable": self.readable,
            "min": self.min,
            "max": self.max,
            "values": list(self.values) if self.values is not None else None,
            "of": self.of,
            "units": self.units,
            "labels": {_key(v): name for v, name in self.labels} or None,
            "intervals": [list(i) for i in self.intervals] if self.readable else None,
            "note": self.note,
        }

    def __contains__(self, number: Number) -> bool:
        return any(
            (low is None or low <= number) and number <= high for low, high in self.intervals
        )

    def problem(self, value: object) -> str:
        """Why `value` (as decoded: a number, str or bytes) is outside this range, "" when it
        is inside or the range cannot say (unreadable, or a value of another kind)."""
        if not self.readable or value is None or isinstance(value, bool):
            return ""
        if self.of == "length":
            if isinstance(value, str):
                size = len(value) if self.units in CHAR_UNITS else len(value.encode("utf-8"))
            elif isinstance(value, bytes | bytearray):
                size = len(value)
            else:
                return ""
            if size not in self:
                unit = "characters" if self.units in CHAR_UNITS else "bytes"
                return f"{size} {unit} long, outside {self.shown}"
            return ""
        if not isinstance(value, int | float) or value in self:
            return ""
        if self.values is not None:
            return f"{value} is not one of {self.shown}"
        return f"{value} is outside {self.shown}"

    @property
    def shown(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 60 else text[:59] + "…"


def _key(value: Number) -> str:
    return str(value)


def _number(text: str) -> Number:
    text = text.strip()
    if not NUMBER_RE.match(text):
        raise NotANumber(f"{text[:20]!r} is no number")
    if re.fullmatch(r"[-+]?[0-9]+", text):
        return int(text)
    value = float(text)
    if not math.isfinite(value):
        raise UnreadableRange(f"{text[:20]!r} is too large")
    return int(value) if value.is_integer() and "e" in text.lower() else value


def _interval(text: str) -> tuple[Number, Number, bool]:
    """(low, high, swapped) of one item: a number or an interval."""
    text = text.strip()
    match = BRACKETED_RE.match(text) or INTERVAL_RE.match(text)
    if match:
        low, high = _number(match.group(1)), _number(match.group(2))
        if low > high:
            return high, low, True
        return low, high, False
    value = _number(text)
    return value, value, False


def _items(text: str) -> list[str]:
    """The items of a list: one a line when it has lines, else split at commas, semicolons,
    " or " and " and "."""
    if CHAIN_RE.match(text):
        return text.split("-")
    if "\n" in text:
        return [p for p in text.split("\n") if p.strip()]
    return [p for p in re.split(r"\s*(?:[,;\n|]|\bor\b|\band\b|/)\s*", text) if p.strip()]


def read(text: object, type_: str | None = "") -> Range | None:
    """The Range a RangeEnumeration text says for a resource of `type_` (the registry's
    spelling: "Integer", "String", ...); None when the text is empty."""
    raw = str(text or "")
    # An enumeration one a line keeps its lines, whatever ends them (CR alone, U+2028, ...).
    lines = (" ".join(line.split()) for line in raw.translate(DASHES).splitlines())
    body = "\n".join(line for line in lines if line)
    if not body:
        return None
    if len(body) > MAX_TEXT:
        return Range(raw, False, note="too long to be a range")
    try:
        return _read(raw, body, type_)
    except UnreadableRange as e:
        return Range(raw, False, of=_of(type_), note=str(e))


def _of(type_: str | None) -> RangeOf:
    folded = " ".join(str(type_ or "").split()).lower()
    return "length" if folded in LENGTH_TYPES else "value"


def _read(raw: str, body: str, type_: str | None) -> Range:
    of = _of(type_)
    units = ""
    match = UNITS_RE.match(body)
    if match and not LABELLED_RE.match(body) and "\n" not in body:
        candidate = match.group(2)
        folded = candidate.lower()
        if folded not in ("or", "and", "to"):
            body, units = match.group(1).strip(), candidate
            if folded in BYTE_UNITS | BIT_UNITS | CHAR_UNITS:
                if of != "length":
                    unit = "bits" if folded in BIT_UNITS else "bytes"
                    raise UnreadableRange(f"a size in {unit}, not the bounds of the value")
                units = (
                    "characters"
                    if folded in CHAR_UNITS
                    else "bits"
                    if folded in BIT_UNITS
                    else "bytes"
                )
            elif of == "length":
                raise UnreadableRange(f"a length in {candidate[:20]!r}")
            elif len(candidate) > 5 and not set(candidate) & set("%°µ/"):
                # A word ("2 Instances"), not a unit's symbol.
                raise UnreadableRange("free text: no bounds or values a program can read")
    items = _items(body)
    if not items:
        raise UnreadableRange("no number")
    intervals: list[tuple[Number, Number]] = []
    labels: list[tuple[Number, str]] = []
    swapped = False
    for item in items:
        item = item.strip()
        labelled = LABELLED_RE.match(item)
        name = ""
        if labelled and not BRACKETED_RE.match(item):
            item, name = labelled.group(1).strip(), labelled.group(2).strip()
        try:
            low, high, flipped = _interval(item)
        except NotANumber:
            raise UnreadableRange("free text: no bounds or values a program can read") from None
        swapped = swapped or flipped
        intervals.append((low, high))
        if name and low == high:
            labels.append((low, name))
    notes = []
    if units == "bits":
        if any(v % 8 for pair in intervals for v in pair):
            raise UnreadableRange("a width in bits that is not whole bytes")
        intervals = [(low // 8, high // 8) for low, high in intervals]
        units, notes = "bytes", ["bits read as bytes"]
    elif of == "length" and not units:
        units = "bytes"
    if of == "length" and any(not isinstance(v, int) or v < 0 for pair in intervals for v in pair):
        raise UnreadableRange("a length is a whole number of bytes")
    if len(items) == 1 and intervals[0][0] == intervals[0][1] and not labels:
        # One number alone: the largest (see the module's docstring).
        value = intervals[0][1]
        floor = 0 if of == "length" else None
        notes.append("one number, read as the largest")
        return Range(raw, True, floor, value, None, ((floor, value),), (), of, units,
                     "; ".join(notes))  # fmt: skip
    if swapped:
        notes.append("written high to low")
    points = all(low == high for low, high in intervals)
    values = None
    if points:
        # Several values, or one labelled value (one alone returned above): an enumeration.
        values = tuple(dict.fromkeys(low for low, _ in intervals))
    return Range(
        raw,
        True,
        min(low for low, _ in intervals),
        max(high for _, high in intervals),
        values,
        tuple(intervals),
        tuple(labels),
        of,
        units,
        "; ".join(notes),
    )
