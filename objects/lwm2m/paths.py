"""LwM2M paths as engineers copy them from device logs and server consoles.

`/3303` names an object, `3303/5700` one of its resources, `/3303/0/5700` a resource of
instance 0 and `/3303/0/5700/1` one instance of a multiple resource. A search is read as a path
when it starts with a slash, or with digits and a slash; such a search whose parts are not IDs
is a BadPath with a message that says why, not a silent empty result.
"""

import re
from dataclasses import dataclass

from objects.lwm2m.ids import MAX_ID, BadId, parse_id

PATH_LIKE = re.compile(r"^(?:/|[0-9]+/)")


class BadPath(ValueError):
    """Written as a path, but not one: the message says which part is wrong."""


@dataclass(frozen=True)
class LwM2MPath:
    object_id: int
    resource_id: int | None = None
    instance: int | None = None
    resource_instance: int | None = None

    def __str__(self) -> str:
        parts = [self.object_id, self.instance, self.resource_id, self.resource_instance]
        if self.instance is None and self.resource_id is not None:
            parts = [self.object_id, self.resource_id]
        return "/" + "/".join(str(part) for part in parts if part is not None)


def parse_path(text: str | None) -> LwM2MPath | None:
    """The LwM2MPath a search names, None when it is not written as a path; BadPath."""
    text = (text or "").strip()
    if not PATH_LIKE.match(text):
        return None
    parts = text.strip("/").split("/")
    shown = text if len(text) <= 60 else text[:59] + "…"
    if len(parts) > 4 or not all(parts):
        raise BadPath(
            f"“{shown}” is not an LwM2M path: it has one to four IDs, as in /3303/0/5700/1"
        )
    numbers = []
    for part in parts:
        try:
            numbers.append(parse_id(part))
        except BadId:
            raise BadPath(
                f"“{shown}” is not an LwM2M path: “{part[:20]}” is not an ID from 0 to {MAX_ID}"
            ) from None
    if len(numbers) == 1:
        return LwM2MPath(numbers[0])
    if len(numbers) == 2:
        return LwM2MPath(numbers[0], resource_id=numbers[1])
    return LwM2MPath(
        numbers[0],
        resource_id=numbers[2],
        instance=numbers[1],
        resource_instance=numbers[3] if len(numbers) == 4 else None,
    )
