"""types.ts: TypeScript types in the shape of Nordic's @nordicsemiconductor/lwm2m-types 2.7.0.

An exported type per object named as the package names it (Temperature_3303): a Readonly
record of its resources keyed by ID (mandatory ones first, then by ID; optional ones with ?),
an array of them for a multiple-instance object, a type per resource (number, boolean or
string; an array when multiple), and the objectURN constant the JSON Schema is keyed by.
"""

import re
from collections.abc import Iterable
from typing import cast

from objects.codegen.escape import ts_comment, ts_string
from objects.codegen.json_schema import schema_resources, urn_key
from objects.codegen.model import CodegenObject
from objects.codegen.names import ts_type_name

_TS_TYPES = {
    "Integer": "number",
    "Float": "number",
    "Time": "number",
    "Unsigned Integer": "number",
    "Boolean": "boolean",
    "String": "string",
    "Opaque": "string",
    "Objlnk": "string",
    "Corelnk": "string",
}


# The irregular spaces lwm2m-types turns into plain ones (ESLint's no-irregular-whitespace).
_IRREGULAR_SPACES = re.compile(
    "[\u000b\u000c\u00a0\u0085\u1680\u180e\ufeff\u2000-\u200b\u2028\u2029\u202f\u205f\u3000]"
)


def doc_lines(text: str, width: int = 76) -> list[str]:
    """A description as the package puts it in a doc comment: each line of it cut into chunks,
    a word starting a new chunk when the chunk and the word exceed `width`."""
    lines: list[str] = []
    for line in _IRREGULAR_SPACES.sub(" ", text).split("\n"):
        chunks = [""]
        for word in line.split(" "):
            if len(chunks[-1]) + len(word) > width:
                chunks.append(word)
            else:
                chunks[-1] = f"{chunks[-1]} {word}".strip()
        lines.extend(chunks)
    return lines


def _doc(lines: Iterable[str], indent: str = "") -> list[str]:
    out = [f"{indent}/**"]
    for line in lines:
        text = ts_comment(line).rstrip()
        out.append(f"{indent} * {text}" if text else f"{indent} *")
    out.append(f"{indent} */")
    return out


def object_type_name(obj: CodegenObject) -> str:
    return ts_type_name(obj.object_id, obj.name)


def generate(obj: CodegenObject) -> str:
    type_name = object_type_name(obj)
    resources = schema_resources(obj)
    names: dict[int, str] = {}
    used = {type_name, "objectURN"}
    for resource in resources:
        name = ts_type_name(resource.id, resource.name)
        if name in used:
            name = f"{name}_resource"
        used.add(name)
        names[resource.id] = name
    out = _doc(
        [
            obj.name,
            "",
            *doc_lines(obj.raw_object("Description1", obj.description)),
            "",
            f"@see https://github.com/OpenMobileAlliance/lwm2m-registry/raw/prod/{obj.object_id}.xml",
            "",
            f"ID: {obj.object_id}",
            f"LWM2MVersion: {obj.lwm2m_version or '1.0'}",
            f"ObjectVersion: {obj.raw_version}",
            f"MultipleInstances: {'true' if obj.multiple else 'false'}",
            f"Mandatory: {'true' if obj.mandatory else 'false'}",
        ]
    )
    ordered = sorted(resources, key=lambda r: (not r.mandatory, r.id))
    indent = "\t\t" if obj.multiple else "\t"
    members = [f"{indent}'{r.id}'{'' if r.mandatory else '?'}: {names[r.id]}" for r in ordered]
    if obj.multiple:
        out.append(f"export type {type_name} = Readonly<")
        out.append("\tArray<{" if members else "\tArray<{}>")
        if members:
            out.extend(members)
            out.append("\t}>")
        out.append(">")
    else:
        out.append(
            f"export type {type_name} = Readonly<{{"
            if members
            else f"export type {type_name} = Readonly<{{}}>"
        )
        if members:
            out.extend(members)
            out.append("}>")
    for resource in ordered:  # the package emits them in the record's order
        description = obj.raw_resource(resource, "Description", resource.description) or ""
        lines = [resource.name, "", *doc_lines(description), ""]
        lines.append(f"ID: {resource.id}")
        lines.append(f"MultipleInstances: {'true' if resource.multiple else 'false'}")
        lines.append(f"Mandatory: {'true' if resource.mandatory else 'false'}")
        if resource.units:
            lines.append(f"Units: {resource.units}")
        out.extend(_doc(lines))
        # A str: schema_resources() keeps only the resources whose Type is one of TYPES.
        ts_type = _TS_TYPES[cast(str, obj.raw_resource(resource, "Type", resource.raw_type))]
        if resource.multiple:
            ts_type = f"Array<{ts_type}>"
        out.append(f"type {names[resource.id]} = {ts_type}")
    out.extend(
        _doc(
            [
                f"The objectURN for {obj.name}",
                "Used in the JSON schema for the LwM2M document definition as a key.",
            ]
        )
    )
    out.append(f"export const objectURN = {ts_string(urn_key(obj))}")
    return "\n".join(out) + "\n"
