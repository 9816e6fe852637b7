"""Every value from upstream checked against the column it goes to, before the store.

One value that does not fit (too long, a NUL, a lone surrogate, an integer out of range)
aborts the store's whole transaction on PostgreSQL (DataError) or SQLite (OverflowError), and
every later sync the same way, so the data would stay stale for good. Checked here first, a
bad value costs only its own registry item (skipped with a warning) or its own definition
(marked invalid with the reason), and the rest syncs. The limits come from the models, so a
column and its check cannot drift apart.
"""

import re

from objects.lwm2m.fields import (
    COMMON_FIELDS,
    DEFINITION_FIELDS,
    ENTRY_TEXT_FIELDS,
    RESOURCE_FIELDS,
)
from objects.lwm2m.versions import BadVersion, strict_version
from objects.models import CommonResource, ObjectVersion, Resource

# C0 controls but tab, newline and carriage return; DEL; C1 controls; lone surrogates (which
# neither database can encode). The registry itself has none of them.
# C0 and C1 controls, lone surrogates, and U+FFFE and U+FFFF (no XML document may hold them).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Text columns have no length of their own; seven times the registry's longest description.
MAX_TEXT = 20_000
# Resources in one definition: the registry's largest object has 67.
MAX_RESOURCES = 1024
MAX_REASON = 1000


class BadValue(ValueError):
    """A value that cannot be stored; the message names the field and why."""


def max_length(model, name):
    return model._meta.get_field(name).max_length or MAX_TEXT


def check_text(label, value, limit):
    """The value itself if it fits a column of `limit` characters; else BadValue."""
    if not isinstance(value, str):
        raise BadValue(f"{label} is not text")
    match = CONTROL_RE.search(value)
    if match:
        raise BadValue(f"{label} holds the control character U+{ord(match.group()):04X}")
    if len(value) > limit:
        raise BadValue(f"{label} is {len(value):,} characters long, over {limit:,}")
    return value


def check_fields(obj, model, fields, prefix=""):
    """Check each named attribute of `obj` against the column of the same name in `model`."""
    for name, label in fields:
        check_text(f"{prefix}{label}", getattr(obj, name), max_length(model, name))


DEFINITION_ONLY_FIELDS = (("description1", "Description1"), ("urn", "ObjectURN"))


def check_entry(entry):
    """A registry item's values (metadata.Entry); raise BadValue naming the first misfit."""
    check_fields(entry, ObjectVersion, ENTRY_TEXT_FIELDS)


def check_definition_values(definition):
    """A parsed definition's values; raise BadValue naming the first misfit."""
    for name, label in (("lwm2m_version", "LWM2MVersion"), ("object_version", "ObjectVersion")):
        value = getattr(definition, name)
        if value:
            try:
                strict_version(value)
            except BadVersion as exc:
                raise BadValue(f"{label} {exc}") from None
    check_fields(definition, ObjectVersion, DEFINITION_FIELDS)
    for name, label in DEFINITION_ONLY_FIELDS:
        check_text(label, getattr(definition, name), MAX_TEXT)
    if len(definition.resources) > MAX_RESOURCES:
        raise BadValue(f"{len(definition.resources):,} resources, over {MAX_RESOURCES:,}")
    for resource in definition.resources:
        for key, column in RESOURCE_FIELDS:
            check_text(
                f"resource {resource['ID']}: {key}",
                resource[key],
                max_length(Resource, column),
            )


def check_common_resource(resource):
    """A Common.xml item's values (definitions.parse_common); raise BadValue at a misfit."""
    for key, column in COMMON_FIELDS:
        check_text(
            f"resource {resource['ID']}: {key}",
            resource[key],
            max_length(CommonResource, column),
        )


def header_value(value, limit):
    """A response header kept for the next conditional request, or "" when it cannot be
    stored or sent back (too long, not printable ASCII)."""
    value = (value or "").strip()
    if len(value) > limit or not value.isascii() or not value.isprintable():
        return ""
    return value


def clean_reason(text):
    """Our own message, which may quote upstream bytes, made storable: controls escaped."""
    text = CONTROL_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"
