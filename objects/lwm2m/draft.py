"""A definition being written (/author/): its fields as the author typed them, the names the
registry derives from them (URN, file names; computed, never typed), and the XML in the
registry's layout. Plain Python: what the site knows of Common.xml and the registry is added
at request time (objects/catalog/author.py).

Values are kept as typed (an ObjectID of "12a" stays "12a") so a draft with mistakes is still a
draft: the XML carries them and the validator names them.
"""

import re
from dataclasses import dataclass, field, fields, replace
from xml.sax.saxutils import escape

from objects.lwm2m.definitions import Definition, parse_definition
from objects.lwm2m.ids import RESOURCE_ID_RANGES, TEST_OBJECT_IDS, BadId, parse_id, urn_kind
from objects.lwm2m.versions import BadVersion, parse_version

SCHEMA_URLS = {
    "1.0": "http://openmobilealliance.org/tech/profiles/LWM2M.xsd",
    "1.1": "http://openmobilealliance.org/tech/profiles/LWM2M-v1_1.xsd",
}
LWM2M_VERSIONS = ("1.0", "1.1", "1.2")
INSTANCES = ("Single", "Multiple")
MANDATORY = ("Mandatory", "Optional")
OPERATIONS = ("R", "W", "RW", "E", "")
TYPES = (
    "String", "Integer", "Unsigned Integer", "Float", "Boolean", "Opaque", "Time", "Objlnk",
    "Corelnk", "",
)  # fmt: skip
# The units RFC 8428 (SenML) registers and the registry's objects use most, as suggestions.
SENML_UNITS = (
    "m", "kg", "g", "s", "A", "K", "cd", "mol", "Hz", "rad", "sr", "N", "Pa", "J", "W", "C", "V",
    "F", "Ohm", "S", "Wb", "T", "H", "Cel", "lm", "lx", "Bq", "Gy", "Sv", "kat", "m2", "m3",
    "l", "m/s", "m/s2", "m3/s", "l/s", "W/m2", "cd/m2", "bit", "bit/s", "lat", "lon", "pH",
    "dB", "dBW", "count", "/", "%RH", "%EL", "EL", "1/s", "1/min", "beat/min", "beats", "S/m",
    "B", "VA", "VAs", "var", "vars", "J/m", "kg/m3", "deg", "NTU", "ms", "min", "h", "mA",
    "kW", "kWh", "Wh", "mV", "dBm", "ppm", "ppb", "%", "hPa", "mm", "cm", "km", "km/h",
)  # fmt: skip
# The elements of an object and of a resource, in the schema's order (LWM2M-v1_1.xsd).
OBJECT_ELEMENTS = (
    "Name", "Description1", "ObjectID", "ObjectURN", "LWM2MVersion", "ObjectVersion",
    "MultipleInstances", "Mandatory", "Resources", "Description2",
)  # fmt: skip
RESOURCE_ELEMENTS = (
    "Name", "Operations", "MultipleInstances", "Mandatory", "Type", "RangeEnumeration", "Units",
    "Description",
)  # fmt: skip
# What XML 1.0 cannot hold: dropped from the author's text rather than written broken.
NOT_XML_RE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REUSABLE = next((first, last) for code, _, first, last in RESOURCE_ID_RANGES if code == "reusable")


@dataclass
class DraftResource:
    id: str = ""
    name: str = ""
    operations: str = "R"
    multiple_instances: str = "Single"
    mandatory: str = "Optional"
    type: str = "String"
    range_enumeration: str = ""
    units: str = ""
    description: str = ""
    # Brought in from Common.xml: its fields are Common.xml's, not the author's to edit.
    reusable: bool = False

    @property
    def number(self) -> int | None:
        return _number(self.id)

    @property
    def in_reusable_range(self) -> bool:
        number = self.number
        return number is not None and REUSABLE[0] <= number <= REUSABLE[1]


# (element, attribute) of a resource's text fields, in the schema's order.
RESOURCE_ATTRIBUTES = (
    ("Name", "name"), ("Operations", "operations"), ("MultipleInstances", "multiple_instances"),
    ("Mandatory", "mandatory"), ("Type", "type"), ("RangeEnumeration", "range_enumeration"),
    ("Units", "units"), ("Description", "description"),
)  # fmt: skip


@dataclass
class Draft:
    name: str = ""
    description1: str = ""
    object_id: str = ""
    object_version: str = "1.0"
    lwm2m_version: str = "1.1"
    multiple_instances: str = "Single"
    mandatory: str = "Optional"
    description2: str = ""
    resources: list[DraftResource] = field(default_factory=list)

    @property
    def number(self) -> int | None:
        """The ObjectID as a number, or None while it is not one."""
        return _number(self.object_id)

    @property
    def version(self) -> tuple[int, int] | None:
        """(major, minor) of the ObjectVersion, or None while it is not one."""
        try:
            return parse_version(self.object_version)
        except BadVersion:
            return None

    @property
    def urn_kind(self) -> str:
        """oma, ext or x from the ObjectID's range (x in the test range, which any may use)."""
        number = self.number
        return "" if number is None else (urn_kind(number) or "x")

    @property
    def urn(self) -> str:
        """urn:oma:lwm2m:KIND:ID, with :VER past 1.0; "" until the ID and version are numbers."""
        number, version = self.number, self.version
        if number is None or version is None:
            return ""
        urn = f"urn:oma:lwm2m:{self.urn_kind}:{number}"
        return urn if version == (1, 0) else f"{urn}:{version[0]}.{version[1]}"

    @property
    def file_name(self) -> str:
        """The latest version's file in the registry: <ID>.xml."""
        number = self.number
        return "" if number is None else f"{number}.xml"

    @property
    def history_name(self) -> str:
        """Every version's copy: version_history/<ID>-<X>_<Y>.xml."""
        number, version = self.number, self.version
        if number is None or version is None:
            return ""
        return f"version_history/{number}-{version[0]}_{version[1]}.xml"

    @property
    def in_test_range(self) -> bool:
        number = self.number
        return number is not None and TEST_OBJECT_IDS[0] <= number <= TEST_OBJECT_IDS[1]

    def schema_url(self) -> str:
        return SCHEMA_URLS["1.0" if self.lwm2m_version.strip() == "1.0" else "1.1"]


def _number(text: str) -> int | None:
    try:
        return parse_id(text)
    except BadId:
        return None


def _clean(text: object) -> str:
    return NOT_XML_RE.sub("", str(text))


def _element(tag: str, text: object, indent: str) -> str:
    return f"{indent}<{tag}>{escape(_clean(text))}</{tag}>\n"


def to_xml(draft: Draft) -> bytes:
    """The definition as the registry writes one: its XML declaration, <LWM2M> naming the schema
    of its LWM2MVersion, the elements in the schema's order, tab indented; the URN computed."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<LWM2M xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:noNamespaceSchemaLocation="{draft.schema_url()}">\n',
        '\t<Object ObjectType="MODefinition">\n',
    ]
    values = {
        "Name": draft.name, "Description1": draft.description1,
        "ObjectID": draft.object_id.strip(), "ObjectURN": draft.urn,
        "LWM2MVersion": draft.lwm2m_version.strip(),
        "ObjectVersion": draft.object_version.strip(),
        "MultipleInstances": draft.multiple_instances, "Mandatory": draft.mandatory,
        "Description2": draft.description2,
    }  # fmt: skip
    for tag in OBJECT_ELEMENTS:
        if tag != "Resources":
            lines.append(_element(tag, values[tag], "\t\t"))
            continue
        lines.append("\t\t<Resources>\n")
        for resource in draft.resources:
            rid = escape(_clean(resource.id.strip()), {'"': "&quot;"})
            lines.append(f'\t\t\t<Item ID="{rid}">\n')
            for tag_of_resource, attribute in RESOURCE_ATTRIBUTES:
                lines.append(_element(tag_of_resource, getattr(resource, attribute), "\t\t\t\t"))
            lines.append("\t\t\t</Item>\n")
        lines.append("\t\t</Resources>\n")
    lines += ["\t</Object>\n", "</LWM2M>\n"]
    return "".join(lines).encode("utf-8")


def from_definition(definition: Definition) -> Draft:
    """A Draft of a parsed Definition (objects/lwm2m/definitions.py); the URN is recomputed."""
    resources = [
        DraftResource(
            id=str(item["ID"]), **{attribute: item[tag] for tag, attribute in RESOURCE_ATTRIBUTES}
        )
        for item in definition.resources
    ]
    return Draft(
        name=definition.name,
        description1=definition.description1,
        object_id="" if definition.object_id is None else str(definition.object_id),
        object_version=definition.object_version or "1.0",
        lwm2m_version=definition.lwm2m_version or "1.0",
        multiple_instances=definition.multiple_instances,
        mandatory=definition.mandatory,
        description2=definition.description2,
        resources=resources,
    )


def from_xml(data: bytes | bytearray | memoryview | None, max_bytes: int | None = None) -> Draft:
    """A Draft of a definition's bytes (InvalidDefinition when they are none)."""
    definition = parse_definition(data) if max_bytes is None else parse_definition(data, max_bytes)
    return from_definition(definition)


def copy(draft: Draft) -> Draft:
    return replace(draft, resources=[replace(r) for r in draft.resources])


def draft_fields() -> list[str]:
    """The names of a Draft's own text fields (not its resources), in declaration order."""
    return [f.name for f in fields(Draft) if f.name != "resources"]


# The DDF.xml <Item>'s elements in the index's order (the registry's DDF.xml).
DDF_ELEMENTS = (
    "ObjectID", "URN", "Name", "Description", "Owner", "Source", "Ver", "DDF", "Vorto",
    "DDFLink", "TS", "TSLink",
)  # fmt: skip
# A Common.xml <Item>'s elements in Common.xml's order.
COMMON_ELEMENTS = (
    "Name", "Operations", "Type", "RangeEnumeration", "Units", "Submitter", "Description", "TS",
    "TSLink",
)  # fmt: skip
LABEL_OF_KIND = {"oma": 0, "ext": 1, "x": 2}


def ddf_item(draft: Draft, owner: str, spec_link: str = "") -> str:
    """The <Item> to add to DDF.xml for this version, as the latest of its ObjectID (DDF names
    <ID>.xml; the previous latest's item then names its version_history copy)."""
    version = draft.version
    values = {
        "ObjectID": draft.object_id.strip(), "URN": draft.urn, "Name": draft.name,
        "Description": draft.description1, "Owner": owner,
        "Source": str(LABEL_OF_KIND.get(draft.urn_kind, "")),
        "Ver": f"{version[0]}.{version[1]}" if version else draft.object_version,
        "DDF": draft.file_name, "Vorto": "", "DDFLink": "1", "TS": spec_link,
        "TSLink": "1" if spec_link else "0",
    }  # fmt: skip
    body = "".join(_element(tag, values[tag], "        ") for tag in DDF_ELEMENTS)
    return f"    <Item>\n{body}    </Item>\n"


def common_item(resource: DraftResource, submitter: str) -> str:
    """A Common.xml <Item> for a new reusable resource (its ID in 2048-26240)."""
    values = {
        "Name": resource.name, "Operations": resource.operations, "Type": resource.type,
        "RangeEnumeration": resource.range_enumeration, "Units": resource.units,
        "Submitter": submitter, "Description": resource.description, "TS": "", "TSLink": "0",
    }  # fmt: skip
    rid = escape(_clean(resource.id.strip()), {'"': "&quot;"})
    body = "".join(_element(tag, values[tag], "        ") for tag in COMMON_ELEMENTS)
    return f'      <Item ID="{rid}">\n{body}      </Item>\n'
