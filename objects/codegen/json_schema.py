"""schema.json: a JSON Schema in the shape of Nordic's @nordicsemiconductor/lwm2m-types 2.7.0.

The document has one property per object, keyed by the object's URN in that package's form
("3303:1.1": the ObjectID, then :ObjectVersion unless 1.0, then @LWM2MVersion unless 1.0). The
rules are the package's: resources without a Type are left out (executable ones with a Type
stay, as there); Integer and Unsigned Integer take a numeric range as minimum and maximum,
String and Opaque as minLength and maxLength; Boolean is an integer 0 or 1; Objlnk and Corelnk
strings carry the package's patterns; Time is an integer marked unixTimestamp; multiple
instances make an array of at least one item; mandatory resources are required.
"""

import json
import math
import re
from collections.abc import Iterable
from typing import Literal, NotRequired, TypedDict

from objects.codegen.model import TYPES, CodegenObject, CodegenResource

SCHEMA_DRAFT = "http://json-schema.org/draft-07/schema#"
REGISTRY_RAW = "https://github.com/OpenMobileAlliance/lwm2m-registry/raw/prod"
TIME_NOTE = (
    "Unix Time. A signed integer representing the number of seconds since Jan 1 st, 1970 in the"
    " UTC time zone."
)
OBJLNK_PATTERN = "^dd:dd$"
CORELNK_PATTERN = '^</[^>]+>(;[^=]+="[^"]+")*$'
# The package gives a Corelnk value this description; a single resource's own replaces it, the
# items of a multiple-instance one keep it.
CORELNK_NOTE = "RFC 6690 link, see https://www.rfc-editor.org/rfc/rfc6690.html"

_JS_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")

# A bound as JSON writes it: a whole number when it is one, None for an infinite one.
Bound = int | float | None


class ResourceSchema(TypedDict, total=False):
    """The schema of one resource's value (or, when multiple, of the array of them)."""

    type: Literal["number", "integer", "string", "array"]
    minimum: Bound
    maximum: Bound
    minLength: Bound
    maxLength: Bound
    pattern: str
    unixTimestamp: bool
    minItems: int
    items: "ResourceSchema"
    title: str
    description: str


# The schema of one instance: a JSON object of its resources ("$id" is no Python name).
ObjectSchema = TypedDict(
    "ObjectSchema",
    {
        "type": Literal["object"],
        "$id": str,
        "title": str,
        "description": str,
        "additionalProperties": bool,
        "properties": dict[str, ResourceSchema],
        "required": NotRequired[list[str]],
    },
)


class InstancesSchema(TypedDict):
    """The schema of a multiple-instance object: an array of its instances."""

    type: Literal["array"]
    minItems: int
    title: str
    description: str
    items: ObjectSchema


Document = TypedDict(
    "Document",
    {
        "$schema": str,
        "type": Literal["object"],
        "title": str,
        "description": str,
        "properties": dict[str, ObjectSchema | InstancesSchema],
    },
)


def js_number(text: str) -> int | float | None:
    """What JavaScript's unary + makes of a string (the package parses ranges with it); None
    for NaN."""
    text = text.strip()
    if text == "":
        return 0
    if re.fullmatch(r"0[xX][0-9a-fA-F]+", text):
        return int(text, 16)
    if re.fullmatch(r"0[oO][0-7]+", text):
        return int(text, 8)
    if re.fullmatch(r"0[bB][01]+", text):
        return int(text, 2)
    if text in ("Infinity", "+Infinity"):
        return math.inf
    if text == "-Infinity":
        return -math.inf
    if not _JS_DECIMAL.match(text):
        return None
    value = float(text)
    if value.is_integer() and abs(value) < 1e21:
        return int(value)
    return value


def parse_range(text: str) -> tuple[int | float, int | float] | None:
    """{min, max} from "a..b" as the package reads it, or None."""
    parts = text.strip().split("..")
    if len(parts) < 2:
        return None
    low, high = js_number(parts[0]), js_number(parts[1])
    if low is None or high is None or low > high:
        return None
    return low, high


def _json_number(value: int | float) -> Bound:
    return None if isinstance(value, float) and math.isinf(value) else value


def urn_key(obj: CodegenObject) -> str:
    """The document's key for an object: 3303:1.1, 3:1.2@1.1, 24@1.2, 6."""
    key = str(obj.object_id)
    version = obj.raw_object("ObjectVersion", obj.raw_version)
    if version != "1.0":
        key += f":{version}"
    lwm2m = obj.raw_object("LWM2MVersion", obj.lwm2m_version) or "1.0"
    if lwm2m != "1.0":
        key += f"@{lwm2m}"
    return key


def schema_resources(obj: CodegenObject) -> list[CodegenResource]:
    """The resources the package keeps: those whose Type is one of the registry's."""
    return [r for r in obj.sorted_resources if obj.raw_resource(r, "Type", r.raw_type) in TYPES]


def resource_schema(obj: CodegenObject, resource: CodegenResource) -> ResourceSchema:
    t = obj.raw_resource(resource, "Type", resource.raw_type)
    rng = obj.raw_resource(resource, "RangeEnumeration", resource.range) or ""
    units = obj.raw_resource(resource, "Units", resource.units)
    name = obj.raw_resource(resource, "Name", resource.name) or ""
    description = [(obj.raw_resource(resource, "Description", resource.description) or "").strip()]
    if t == "Float":
        prop: ResourceSchema = {"type": "number"}
    elif t in ("Integer", "Unsigned Integer"):
        prop = {"type": "integer"}
        bounds = parse_range(rng)
        if bounds:
            prop["minimum"] = _json_number(bounds[0])
            prop["maximum"] = _json_number(bounds[1])
    elif t == "Boolean":
        prop = {"type": "integer", "minimum": 0, "maximum": 1}
    elif t == "Objlnk":
        prop = {"type": "string", "pattern": OBJLNK_PATTERN}
    elif t in ("String", "Opaque"):
        prop = {"type": "string"}
        bounds = parse_range(rng)
        if bounds:
            prop["minLength"] = _json_number(bounds[0])
            prop["maxLength"] = _json_number(bounds[1])
    elif t == "Time":
        prop = {"type": "integer", "unixTimestamp": True}
        description.append(TIME_NOTE)
    else:  # Corelnk
        prop = {"type": "string", "pattern": CORELNK_PATTERN, "description": CORELNK_NOTE}
    if resource.multiple:
        prop = {"type": "array", "minItems": 1, "items": prop}
    prop["title"] = name.strip()
    if units:
        description.append(f"Units: {units}.")
    prop["description"] = " ".join(description)
    return prop


def object_schema(obj: CodegenObject) -> ObjectSchema | InstancesSchema:
    """The schema of one object: an object of resources, or an array of them."""
    lwm2m = obj.raw_object("LWM2MVersion", obj.lwm2m_version) or "1.0"
    title = obj.raw_object("Name", obj.name).strip()
    description = " ".join(
        [
            obj.raw_object("Description1", obj.description),
            f"LWM2MVersion: {lwm2m}",
            f"ObjectVersion: {obj.raw_object('ObjectVersion', obj.raw_version)}",
            f"MultipleInstances: {'true' if obj.multiple else 'false'}",
            f"Mandatory: {'true' if obj.mandatory else 'false'}",
        ]
    ).strip()
    schema: ObjectSchema = {
        "type": "object",
        "$id": f"{REGISTRY_RAW}/{obj.object_id}.xml",
        "title": title,
        "description": description,
        "additionalProperties": False,
        "properties": {},
    }
    required: list[str] = []
    for resource in schema_resources(obj):
        schema["properties"][str(resource.id)] = resource_schema(obj, resource)
        if resource.mandatory:
            required.append(str(resource.id))
    if required:
        schema["required"] = required
    if obj.multiple:
        return {
            "type": "array",
            "minItems": 1,
            "title": title,
            "description": description,
            "items": schema,
        }
    return schema


def document(objects: Iterable[CodegenObject]) -> Document:
    """A schema document with one property per object, in ObjectID order."""
    properties: dict[str, ObjectSchema | InstancesSchema] = {}
    for obj in sorted(objects, key=lambda o: o.object_id):
        properties[urn_key(obj)] = object_schema(obj)
    return {
        "$schema": SCHEMA_DRAFT,
        "type": "object",
        "title": "LwM2M JSON Schema",
        "description": "JSON schema for expressing LwM2M resources as JSON",
        "properties": properties,
    }


def dumps(value: Document) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def generate(obj: CodegenObject) -> str:
    return dumps(document([obj]))
