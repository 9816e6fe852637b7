"""Request time for /author/: the free ObjectIDs of a class, Common.xml's reusable resources, a
registered version as a draft, the version advice against it, and the one function that
validates a draft (validate_draft), where every check the site has is gathered."""

import bisect
from dataclasses import dataclass

from objects.catalog.id_space import id_space

# The classes an author picks from (/ids/'s assignable ranges): code -> (first, last, what).
ID_CLASSES = {
    "oma": (0, 1023, "OMA"),
    "ext": (2048, 10240, "Standards body"),
    "x": (10241, 26240, "Company (registered)"),
    "x-private": (26241, 32768, "Company, private (reused without registration)"),
    "test": (42769, 42800, "Tests, never in production"),
}
MAX_FREE = 100


class BadRequest(ValueError):
    """A parameter that cannot be used; the message is for the person who sent it."""


@dataclass
class FreeIds:
    label: str
    first: int
    last: int
    what: str
    free: list
    # The registry's placeholders in the range: reserved, with no definition yet.
    reserved: list
    taken: int


def parse_count(text, default=5):
    text = str(text or "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_FREE:
        raise BadRequest(f"count is a whole number from 1 to {MAX_FREE}")
    return int(text)


def free_ids(run, label, count=5):
    """The first `count` IDs of a class that no registered object or placeholder holds."""
    if label not in ID_CLASSES:
        raise BadRequest(f"label is one of {', '.join(ID_CLASSES)}")
    first, last, what = ID_CLASSES[label]
    space = id_space(run)
    taken = sorted(i for i in space.versions if first <= i <= last)
    reserved = [
        i
        for i in taken
        if all(getattr(row, "list_status", "") == "placeholder" for row in space.versions[i])
    ]
    free = []
    candidate = first
    index = bisect.bisect_left(taken, candidate)
    while candidate <= last and len(free) < count:
        if index < len(taken) and taken[index] == candidate:
            index += 1
        else:
            free.append(candidate)
        candidate += 1
    return FreeIds(label, first, last, what, free, reserved, len(taken))
