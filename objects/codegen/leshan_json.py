"""leshan.json: the object model as Leshan's demo server serializes it (ObjectModelSerDes and
ResourceModelSerDes): the same field names and values, resources in the file's order.

Leshan's DDF parser keeps each element's text as written (its XML parser only turns line ends
into "\\n") and null for an element the file lacks; so does this file when it has the bytes."""

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


def _lines(text):
    return None if text is None else text.replace("\r\n", "\n").replace("\r", "\n")


def resource_model(obj, resource):
    def raw(name, parsed):
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


def object_model(obj):
    def raw(name, parsed):
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


def generate(obj):
    return json.dumps(object_model(obj), indent=2, ensure_ascii=False) + "\n"
