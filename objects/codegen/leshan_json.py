"""leshan.json: the object model as Leshan's demo server serializes it (ObjectModelSerDes and
ResourceModelSerDes): the same field names and values, resources in the file's order."""

import json

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


def resource_model(resource):
    return {
        "id": resource.id,
        "name": resource.name,
        "operations": resource.operations or "NONE",
        "instancetype": "multiple" if resource.multiple else "single",
        "mandatory": resource.mandatory,
        "type": _LESHAN_TYPES.get(resource.raw_type, "none"),
        "range": resource.range,
        "units": resource.units,
        "description": resource.description,
    }


def object_model(obj):
    return {
        "id": obj.object_id,
        "name": obj.name,
        "instancetype": "multiple" if obj.multiple else "single",
        "mandatory": obj.mandatory,
        "urn": obj.urn,
        "version": obj.raw_version.strip() or "1.0",
        "lwm2mversion": obj.lwm2m_version or "1.0",
        "description": obj.description,
        "description2": obj.description2,
        "resourcedefs": [resource_model(r) for r in obj.resources],
    }


def generate(obj):
    return json.dumps(object_model(obj), indent=2, ensure_ascii=False) + "\n"
