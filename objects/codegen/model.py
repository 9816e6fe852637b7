"""A definition as the generators read it: typed fields, one resource per ID, in file order."""

from dataclasses import dataclass, field, replace
from typing import Literal, get_args

from objects.codegen.raw_text import RawFields, raw_fields
from objects.lwm2m.definitions import Definition, parse_definition

# The registry's data types, each spelled as the schema spells it.
DataType = Literal[
    "String",
    "Integer",
    "Unsigned Integer",
    "Float",
    "Boolean",
    "Opaque",
    "Time",
    "Objlnk",
    "Corelnk",
]
TYPES: tuple[DataType, ...] = get_args(DataType)
_TYPE_BY_KEY: dict[str, DataType] = {name.lower(): name for name in TYPES}
OPERATIONS: tuple[str, ...] = ("R", "W", "RW", "E")


@dataclass(frozen=True)
class CodegenResource:
    id: int
    name: str
    operations: str  # as written, blanks around it removed ("" when empty)
    multiple: bool
    mandatory: bool
    raw_type: str
    # One of TYPES, or "" when the file gives none or one outside the list.
    type: DataType | Literal[""]
    range: str
    units: str
    description: str

    @property
    def readable(self) -> bool:
        return "R" in self.operations

    @property
    def writable(self) -> bool:
        return "W" in self.operations

    @property
    def executable(self) -> bool:
        return "E" in self.operations

    @property
    def known_operations(self) -> bool:
        return self.operations in OPERATIONS

    @property
    def has_value(self) -> bool:
        """A resource with a value to keep: one that is read or written, or has no operation."""
        return not self.executable or self.readable or self.writable


@dataclass(frozen=True)
class CodegenObject:
    object_id: int
    name: str
    version: str  # "1.0" when the file gives none
    raw_version: str
    lwm2m_version: str
    urn: str
    multiple: bool
    mandatory: bool
    description: str
    description2: str
    resources: tuple[CodegenResource, ...]
    # Resources of the file left out because an earlier one has the same ID.
    duplicates: tuple[CodegenResource, ...] = field(default=())
    # The text fields exactly as written (raw_text.raw_fields), when the bytes were given.
    raw: RawFields | None = None

    def raw_object(self, name: str, parsed: str) -> str:
        """An object field as written, or `parsed` (its trimmed value) without the bytes."""
        if self.raw is None:
            return parsed
        value = self.raw[0].get(name)
        return parsed if value is None else value

    def raw_resource(self, resource: CodegenResource, name: str, parsed: str) -> str | None:
        """A resource field as written, or `parsed`; None when the file has no such element."""
        if self.raw is None:
            return parsed
        return self.raw[1].get(resource.id, {}).get(name)

    @property
    def sorted_resources(self) -> tuple[CodegenResource, ...]:
        return tuple(sorted(self.resources, key=lambda r: r.id))


def _type(raw: str) -> DataType | Literal[""]:
    return _TYPE_BY_KEY.get(" ".join(raw.split()).lower(), "")


def from_definition(definition: Definition) -> CodegenObject:
    """A CodegenObject from a parsed Definition; ValueError when it has no ObjectID."""
    if definition.object_id is None:
        raise ValueError("the definition has no ObjectID")
    resources: list[CodegenResource] = []
    duplicates: list[CodegenResource] = []
    seen: set[int] = set()
    for item in definition.resources:
        resource = CodegenResource(
            id=item["ID"],
            name=item["Name"],
            operations=item["Operations"].strip(),
            multiple=item["MultipleInstances"].strip() == "Multiple",
            mandatory=item["Mandatory"].strip() == "Mandatory",
            raw_type=item["Type"],
            type=_type(item["Type"]),
            range=item["RangeEnumeration"],
            units=item["Units"],
            description=item["Description"],
        )
        if resource.id in seen:
            duplicates.append(resource)
            continue
        seen.add(resource.id)
        resources.append(resource)
    version = definition.object_version.strip()
    return CodegenObject(
        object_id=definition.object_id,
        name=definition.name,
        version=version or "1.0",
        raw_version=definition.object_version,
        lwm2m_version=definition.lwm2m_version.strip(),
        urn=definition.urn,
        multiple=definition.multiple_instances.strip() == "Multiple",
        mandatory=definition.mandatory.strip() == "Mandatory",
        description=definition.description1,
        description2=definition.description2,
        resources=tuple(resources),
        duplicates=tuple(duplicates),
    )


def from_bytes(data: bytes | bytearray | memoryview) -> CodegenObject:
    """A CodegenObject from a definition's bytes (raises InvalidDefinition or ValueError)."""
    obj = from_definition(parse_definition(data))
    return replace(obj, raw=raw_fields(data))


def version_numbers(version: str) -> tuple[int, int]:
    """(major, minor) of a version such as "1.1"; (1, 0) when it is not one."""
    parts = version.split(".")
    try:
        major = int(parts[0]) if parts[0].isdigit() else 1
        minor = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    except ValueError:
        return 1, 0
    return min(major, 255), min(minor, 255)
