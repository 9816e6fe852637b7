"""leshan.json: the object model as Leshan's demo server serializes it (ObjectModelSerDes and
ResourceModelSerDes): the same field names and values, resources in the file's order.

Leshan's DDF parser keeps each element's text as written (its XML parser only turns line ends
into "\\n") and null for an element the file lacks; so does this file when it has the bytes."""

import json
from typing import TypedDict

from objects.codegen.model import CodegenObject, CodegenResource

# Leshan's DDF parser reads these Type spellings exactly; anything else has no type ("none").
_LESHAN_TYPES = {
    "String": "string",
    "Integer": "integer",
    "Float": "float",
    "Boolean": "boolean",
    "Opaque": "opaque",
    "Time": "time",
    "Objlnk": "objlnk",
    "Unsigned Integer": "unsigned_integer",
    "Corelnk": "corelink",
}


class ResourceModel(TypedDict):
    """A resource as ResourceModelSerDes writes it (None for an element the file lacks)."""

    id: int
    name: str | None
    operations: str
    instancetype: str
    mandatory: bool
    type: str
    range: str | None
    units: str | None
    description: str | None


class ObjectModel(TypedDict):
    """An object as ObjectModelSerDes writes it."""

    id: int
    name: str | None
    instancetype: str
    mandatory: bool
    urn: str | None
    version: str
    lwm2mversion: str
    description: str | None
    description2: str | None
    resourcedefs: list[ResourceModel]


def _lines(text: str | None) -> str | None:
    return None if text is None else text.replace("\r\n", "\n").replace("\r", "\n")


def resource_model(obj: CodegenObject, resource: CodegenResource) -> ResourceModel:
    def raw(name: str, parsed: str) -> str | None:
        return _lines(obj.raw_resource(resource, name, parsed))

    return {
        "id": resource.id,
        "name": raw("Name", resource.name),
        "operations": resource.operations or "NONE",
        "instancetype": "multiple" if resource.multiple else "single",
        "mandatory": resource.mandatory,
        "type": _LESHAN_TYPES.get(raw("Type", resource.raw_type) or "", "none"),
        "range": raw("RangeEnumeration", resource.range),
        "units": raw("Units", resource.units),
        "description": raw("Description", resource.description),
    }


def object_model(obj: CodegenObject) -> ObjectModel:
    def raw(name: str, parsed: str) -> str | None:
        return _lines(obj.raw_object(name, parsed) if obj.raw is None else obj.raw[0].get(name))

    return {
        "id": obj.object_id,
        "name": raw("Name", obj.name),
        "instancetype": "multiple" if obj.multiple else "single",
        "mandatory": obj.mandatory,
        "urn": raw("ObjectURN", obj.urn),
        "version": raw("ObjectVersion", obj.raw_version) or "1.0",
        "lwm2mversion": raw("LWM2MVersion", obj.lwm2m_version) or "1.0",
        "description": raw("Description1", obj.description),
        "description2": raw("Description2", obj.description2),
        "resourcedefs": [resource_model(obj, r) for r in obj.resources],
    }


def generate(obj: CodegenObject) -> str:
    return json.dumps(object_model(obj), indent=2, ensure_ascii=False) + "\n"
