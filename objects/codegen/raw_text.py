"""A definition's text fields exactly as written, for the targets that keep them so.

Nordic's lwm2m-types reads the XML with xml2js, which neither trims nor normalizes line ends:
its descriptions keep "\\r\\n" and indentation. An XML parser turns "\\r\\n" into "\\n", so a
carriage return in character data is first written as the reference &#13;, which survives.
"""

from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from objects.lwm2m.definitions import MAX_DEFINITION_BYTES, find_object, first_children, local_name

OBJECT_FIELDS = (
    "Name", "Description1", "Description2", "ObjectVersion", "LWM2MVersion", "ObjectURN",
)  # fmt: skip
RESOURCE_FIELDS = ("Name", "Type", "RangeEnumeration", "Units", "Description")

# {field: text as written, None when the element is missing}, of the object or of a resource.
RawTexts = dict[str, str | None]
# The object's texts and, by resource ID, each resource's.
RawFields = tuple[RawTexts, dict[int, RawTexts]]


def keep_carriage_returns(data: bytes) -> bytes:
    """Each CR in character data (outside tags, comments and CDATA) as &#13;."""
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        if data.startswith(b"<!--", i):
            end = data.find(b"-->", i)
            end = n if end < 0 else end + 3
        elif data.startswith(b"<![CDATA[", i):
            end = data.find(b"]]>", i)
            end = n if end < 0 else end + 3
        elif data[i : i + 1] == b"<":
            end = data.find(b">", i)
            end = n if end < 0 else end + 1
        else:
            end = data.find(b"<", i)
            end = n if end < 0 else end
            out += data[i:end].replace(b"\r", b"&#13;")
            i = end
            continue
        out += data[i:end]
        i = end
    return bytes(out)


def _raw(element: Element | None) -> str | None:
    return None if element is None else "".join(element.itertext())


def raw_fields(data: bytes | bytearray | memoryview | None) -> RawFields | None:
    """({field: text or None}, {resource ID: {field: text or None}}), or None when the bytes
    cannot be read this way (then the parsed, trimmed values stand)."""
    if not data or len(data) > MAX_DEFINITION_BYTES:
        return None
    data = bytes(data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        root: Element = SafeET.fromstring(keep_carriage_returns(data.lstrip()), forbid_dtd=True)
    except (DefusedXmlException, ParseError, ValueError):
        return None
    obj = find_object(root)
    if obj is None:
        return None
    fields = first_children(obj)
    object_values = {name: _raw(fields.get(name)) for name in OBJECT_FIELDS}
    resources: dict[int, RawTexts] = {}
    container = fields.get("Resources")
    for item in [] if container is None else container:
        if local_name(item.tag) != "Item":
            continue
        raw_id = (item.get("ID") or "").strip()
        if not (raw_id.isascii() and raw_id.isdigit() and len(raw_id) <= 5):
            continue
        values = first_children(item)
        texts = {name: _raw(values.get(name)) for name in RESOURCE_FIELDS}
        resources.setdefault(int(raw_id), texts)
    return object_values, resources
