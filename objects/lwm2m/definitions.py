"""A parser for object definitions (the XML that an ObjectLink points at).

Definitions come from the network, so they are parsed as untrusted input: no DTD at all
(so no entity expansion and no external entity), a bounded size, and tolerance for the
ways real files depart from the schema (byte-order marks, child order, missing elements,
CDATA, another encoding).
"""

from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from objects.lwm2m.fields import COMMON_FIELDS, RESOURCE_FIELDS
from objects.lwm2m.ids import MAX_ID, BadId, parse_id

MAX_DEFINITION_BYTES = 2 * 1024 * 1024
# A parsed <Item>: its "ID" (an int) and each field's text, by element name.
ParsedItem = dict[str, Any]
# (element, column) pairs: fields.RESOURCE_FIELDS or fields.COMMON_FIELDS.
FieldMap = tuple[tuple[str, str], ...]


class InvalidDefinition(ValueError):
    """The bytes are not a usable object definition; the message says why."""


@dataclass
class Definition:
    name: str = ""
    description1: str = ""
    object_id: int | None = None
    urn: str = ""
    lwm2m_version: str = ""
    object_version: str = ""
    multiple_instances: str = ""
    mandatory: str = ""
    description2: str = ""
    resources: list[ParsedItem] = field(default_factory=list)


def local_name(tag: object) -> str:
    """An element's name without its namespace: {urn:x}Object is Object."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def first_children(element: Element) -> dict[str, Element]:
    """Each child by its name, the first one winning when a name repeats."""
    found: dict[str, Element] = {}
    for child in element:
        found.setdefault(local_name(child.tag), child)
    return found


def find_object(root: Element) -> Element | None:
    """The <Object> element: the root itself or the first under it (iter() starts at the root)."""
    return next((el for el in root.iter() if local_name(el.tag) == "Object"), None)


def _text(element: Element | None) -> str:
    if element is None:
        return ""
    return "".join(element.itertext()).strip()


def _number(raw: str, what: str) -> int:
    try:
        return parse_id(raw, what)
    except BadId:
        raise InvalidDefinition(
            f"{what} is not a whole number from 0 to {MAX_ID}: {raw[:40]!r}"
        ) from None


def _parse_xml(data: bytes) -> Element:
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise InvalidDefinition(
            f"refused: {type(exc).__name__} (DTDs and entities are not allowed)"
        )
    except (ParseError, LookupError) as exc:
        # LookupError: the declaration names an encoding Python does not know.
        raise InvalidDefinition(f"not well-formed XML: {exc}") from None


def _parse_file(data: bytes | bytearray | memoryview | None, max_bytes: int) -> Element:
    """The root element of a registry XML file, read as untrusted input."""
    if data is None or len(data) == 0:
        raise InvalidDefinition("empty file")
    if len(data) > max_bytes:
        raise InvalidDefinition(f"over the size limit ({len(data)} > {max_bytes} bytes)")
    data = bytes(data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    data = data.lstrip()
    try:
        return _parse_xml(data)
    except InvalidDefinition as error:
        # Some files say nothing of their encoding yet are not UTF-8: read them as Latin-1.
        head = data[:200].lower()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            if b"encoding=" in head and b"utf-8" not in head:
                raise error from None  # not the UnicodeDecodeError being handled
            return _parse_xml(data.decode("cp1252", errors="replace").encode("utf-8"))
        raise


def _object_element(root: Element) -> Element:
    obj = find_object(root)
    if obj is None:
        raise InvalidDefinition(f"no <Object> element (root is <{local_name(root.tag)}>)")
    return obj


def _resource_items(obj: Element) -> list[Element]:
    resources = first_children(obj).get("Resources", ())
    return [item for item in resources if local_name(item.tag) == "Item"]


def _resource(item: Element, fields: FieldMap) -> ParsedItem:
    resource_id = _number((item.get("ID") or "").strip(), "a resource ID")
    values = first_children(item)
    resource: ParsedItem = {"ID": resource_id}
    for name, _ in fields:
        resource[name] = _text(values.get(name))
    return resource


def resource_fields(item: ParsedItem) -> dict[str, Any]:
    """A parsed resource's values under the names of the Resource model's fields."""
    return {"resource_id": item["ID"], **{column: item[key] for key, column in RESOURCE_FIELDS}}


def parse_definition(
    data: bytes | bytearray | memoryview | None, max_bytes: int = MAX_DEFINITION_BYTES
) -> Definition:
    obj = _object_element(_parse_file(data, max_bytes))
    fields = first_children(obj)
    definition = Definition(
        name=_text(fields.get("Name")),
        description1=_text(fields.get("Description1")),
        urn=_text(fields.get("ObjectURN")),
        lwm2m_version=_text(fields.get("LWM2MVersion")),
        object_version=_text(fields.get("ObjectVersion")),
        multiple_instances=_text(fields.get("MultipleInstances")),
        mandatory=_text(fields.get("Mandatory")),
        description2=_text(fields.get("Description2")),
    )
    raw_id = _text(fields.get("ObjectID"))
    if raw_id:
        definition.object_id = _number(raw_id, "ObjectID")
    definition.resources = [_resource(item, RESOURCE_FIELDS) for item in _resource_items(obj)]
    return definition


@dataclass
class CommonResources:
    resources: list[ParsedItem] = field(default_factory=list)
    # Items skipped, one line each: a bad ID, an ID given twice.
    warnings: list[str] = field(default_factory=list)


def common_fields(item: ParsedItem) -> dict[str, Any]:
    """A Common.xml item's values under the names of the CommonResource model's fields."""
    return {"resource_id": item["ID"], **{column: item[key] for key, column in COMMON_FIELDS}}


def parse_common(
    data: bytes | bytearray | memoryview | None, max_bytes: int = MAX_DEFINITION_BYTES
) -> CommonResources:
    """The registry's reusable resources (Common.xml); InvalidDefinition when the file is not
    one. A bad item costs only itself: it is skipped with a warning, and of an ID given twice
    the first is kept (the registry's own rule for repeated elements)."""
    obj = _object_element(_parse_file(data, max_bytes))
    parsed = CommonResources()
    seen = set()
    for item in _resource_items(obj):
        try:
            resource = _resource(item, COMMON_FIELDS)
        except InvalidDefinition as exc:
            parsed.warnings.append(f"Common.xml: an item skipped: {exc}")
            continue
        if resource["ID"] in seen:
            parsed.warnings.append(
                f"Common.xml: resource {resource['ID']} is given twice; the first is kept"
            )
            continue
        seen.add(resource["ID"])
        parsed.resources.append(resource)
    if not parsed.resources:
        raise InvalidDefinition("no reusable resource in it")
    return parsed
