"""The LwM2M ID space, the one home of its numbers: the 16-bit bound of a path's IDs, the
registry's ObjectID ranges and Labels, the URN kind of each range, the resource-ID ranges, and
the one parser of an ID written by a person or a file (../shared/REGISTRY.md, OMA-TS Core).
"""

from typing import Final

# An ID in an LwM2M path (object, instance, resource, resource instance) is 16 bits: this is the
# largest a path, a TLV or a URL can carry. 65535 itself is the protocol's reserved MAX_ID, so no
# ObjectID is assigned past LAST_OBJECT_ID.
MAX_ID: Final = 65535
LAST_OBJECT_ID: Final = 65534

# The registry's Label of an object: who defined it (the API's "0", "1", "2"), as our URLs and
# pages name it.
LABELS: dict[int, str] = {0: "oma", 1: "ext", 2: "x"}
LABEL_NAMES: dict[int, str] = {0: "OMA", 1: "Standards body", 2: "Company"}
LABEL_CODES: dict[str, int] = {code: value for value, code in LABELS.items()}

# The ObjectIDs any test may use, never in production.
TEST_OBJECT_IDS: tuple[int, int] = (42769, 42800)
# (Label or None when not assignable, first, last, what) of the ObjectID ranges, in order.
OBJECT_ID_RANGES: tuple[tuple[int | None, int, int, str], ...] = (
    (0, 0, 1023, "OMA"),
    (None, 1024, 2047, "reserved"),
    (1, 2048, 10240, "external standards bodies"),
    (2, 10241, 26240, "vendors, registered"),
    (2, 26241, 32768, "vendors, private (reused without registration)"),
    (None, 32769, 42768, "reserved for companies, not published"),
    (None, *TEST_OBJECT_IDS, "tests, never in production"),
    (None, 42801, LAST_OBJECT_ID, "reserved"),
)
# The OMA range's two parts.
OMA_PARTS: tuple[tuple[int, int, str], ...] = ((0, 499, "device management"), (500, 1023, "IPSO"))
# The ranges no object may take (a definition in one is invalid).
RESERVED_OBJECT_IDS: tuple[tuple[int, int], ...] = tuple(
    (first, last) for _, first, last, what in OBJECT_ID_RANGES if what == "reserved"
)
# Each Label's span of ObjectIDs and the URN kind of its objects (urn:oma:lwm2m:KIND:ID).
LABEL_RANGES: dict[int, tuple[str, int, int]] = {
    0: ("oma", 0, 1023),
    1: ("ext", 2048, 10240),
    2: ("x", 10241, 42800),
}

# (code, name, first, last) of the resource-ID ranges.
RESOURCE_ID_RANGES: tuple[tuple[str, str, int, int], ...] = (
    ("object", "Defined per object", 0, 2047),
    ("reusable", "Reusable, registered", 2048, 26240),
    ("private", "Private, unregistered", 26241, 32768),
)
LAST_RESOURCE_ID: Final = RESOURCE_ID_RANGES[-1][3]


def object_id_range(object_id: int) -> tuple[int | None, str]:
    """(the Label its objects take or None, "first-last: what") of an ObjectID's range."""
    for label, first, last, what in OBJECT_ID_RANGES:
        if first <= object_id <= last:
            return label, f"{first}-{last}: {what}"
    return None, f"past {LAST_OBJECT_ID}: no ObjectID"


def urn_kind(object_id: int) -> str | None:
    """The URN kind an ObjectID's objects take (None: the test range, which any may use)."""
    if TEST_OBJECT_IDS[0] <= object_id <= TEST_OBJECT_IDS[1]:
        return None
    for kind, first, last in LABEL_RANGES.values():
        if first <= object_id <= last:
            return kind
    return "x"


def resource_id_class(resource_id: int) -> str:
    """The range a resource ID is in ("object", "reusable", "private"), or "" past them."""
    for code, _, first, last in RESOURCE_ID_RANGES:
        if first <= resource_id <= last:
            return code
    return ""


class BadId(ValueError):
    """Text that names no ID; its message is for the person who wrote it."""

    def __init__(self, text: object, what: str = "ID", maximum: int = MAX_ID) -> None:
        self.text, self.what, self.maximum = text, what, maximum
        article = "an" if what[0] in "AEIOU" else "a"
        super().__init__(
            f"“{shown(text)}” is not {article} {what}: {article} {what} is a whole number "
            f"from 0 to {maximum}."
        )


def shown(text: object, limit: int = 20) -> str:
    """Someone's text as a message may quote it: printable, whitespace folded, bounded."""
    text = str(text)
    printable = "".join(ch if ch.isprintable() else " " for ch in text[: limit * 4])
    folded = " ".join(printable.split())
    return folded[:limit] + ("…" if len(text.strip()) > limit else "")


def parse_id(text: object, what: str = "ID", maximum: int = MAX_ID) -> int:
    """A whole number from 0 to `maximum` written in ASCII digits, else BadId (int() would take
    "٥", "+5", " 5" and "5_0"); whitespace around it is dropped."""
    text = str(text if text is not None else "").strip()
    if text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID)):
        number = int(text)
        if number <= maximum:
            return number
    raise BadId(text, what, maximum)


def parse_object_id(text: object) -> int:
    return parse_id(text, "ObjectID")


def parse_resource_id(text: object) -> int:
    return parse_id(text, "resource ID")


def named_id(text: object) -> int | None:
    """The ID a search names outright ("3303", "5700"), else None."""
    try:
        return parse_id(text)
    except BadId:
        return None
