"""schema.json for small definitions of our own, whole, in the rules of Nordic's lwm2m-types
2.7.0 (its published schema is compared in test_generators' snapshot tests), and the numbers
of ranges read as JavaScript's unary + reads them."""

import json
import math

import pytest

from objects.codegen import generate
from objects.codegen.json_schema import (
    CORELNK_NOTE,
    OBJLNK_PATTERN,
    TIME_NOTE,
    document,
    js_number,
    parse_range,
    urn_key,
)
from objects.codegen.model import from_bytes, from_definition
from objects.lwm2m.definitions import Definition
from tests.codegen.test_generators import definition_xml


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("", 0),
        ("   ", 0),
        (" 12 ", 12),
        ("-7", -7),
        ("+7", 7),
        ("0x1F", 31),
        ("0X1f", 31),
        ("0o17", 15),
        ("0O17", 15),
        ("0b101", 5),
        ("0B11", 3),
        ("Infinity", math.inf),
        ("+Infinity", math.inf),
        ("-Infinity", -math.inf),
        ("1e3", 1000),
        ("1E+2", 100),
        ("2e-1", 0.2),
        ("1.5", 1.5),
        (".5", 0.5),
        ("5.", 5),
        ("1e20", 10**20),
        ("0x", None),
        ("-0x10", None),
        ("0b2", None),
        ("0o8", None),
        ("infinity", None),
        ("1_000", None),
        ("abc", None),
        ("1..2", None),
        ("12abc", None),
    ],
)
def test_js_number(text, number):
    value = js_number(text)
    assert value == number
    assert type(value) is type(number)  # a whole number is an int, as JSON writes it


def test_a_whole_number_from_1e21_on_stays_a_float():
    # JavaScript writes 1e21 and larger in exponent form; JSON keeps it so.
    assert js_number("1e21") == 1e21 and isinstance(js_number("1e21"), float)
    assert js_number("-1e21") == -1e21 and isinstance(js_number("-1e21"), float)
    assert js_number("-1e20") == -(10**20) and isinstance(js_number("-1e20"), int)


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("0..100", (0, 100)),
        ("  -5..5 ", (-5, 5)),
        ("1..1", (1, 1)),
        ("10..1", None),
        ("5", None),
        ("", None),
        ("a..5", None),
        ("5..b", None),
        ("1..2..3", (1, 2)),
        ("..5", (0, 5)),
        ("0..0x10", (0, 16)),
        ("0..Infinity", (0, math.inf)),
    ],
)
def test_parse_range(text, bounds):
    assert parse_range(text) == bounds


ITEMS = {
    # ID: (Name, Operations, MultipleInstances, Mandatory, Type, RangeEnumeration, Units)
    0: ("Level", "R", "Single", "Mandatory", "Integer", "0..100", "%"),
    1: ("Count", "R", "Single", "Mandatory", "Unsigned Integer", "1..Infinity", ""),
    2: ("Ratio", "R", "Single", "Optional", "Float", "0..1", "/"),
    3: ("On", "RW", "Single", "Optional", "Boolean", "", ""),
    4: ("Peer", "RW", "Multiple", "Optional", "Objlnk", "", ""),
    5: ("Label", "RW", "Single", "Optional", "String", "0..16", ""),
    6: ("Blob", "W", "Single", "Optional", "Opaque", "4..x", ""),
    7: ("When", "R", "Single", "Optional", "Time", "", "s"),
    8: ("Link", "R", "Single", "Optional", "Corelnk", "", ""),
    9: ("Links", "R", "Multiple", "Mandatory", "Corelnk", "", ""),
    10: ("Go", "E", "Single", "Optional", "String", "", ""),
    11: ("Reset", "E", "Single", "Mandatory", "", "", ""),
    12: ("Spaced", "R", "Single", "Mandatory", " Integer ", "", ""),
    13: ("Huge", "R", "Single", "Optional", "Integer", "-Infinity..0", ""),
}


def about(name):
    return f"About {name}. */ stays */ in the comment"


def test_the_schema_of_a_single_instance_object():
    obj = from_bytes(definition_xml(items=ITEMS, version="1.0", multiple="Single"))
    schema = json.loads(generate("schema.json", obj))
    assert schema == {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "title": "LwM2M JSON Schema",
        "description": "JSON schema for expressing LwM2M resources as JSON",
        "properties": {
            "33333@1.1": {
                "type": "object",
                "$id": "https://github.com/OpenMobileAlliance/lwm2m-registry/raw/prod/33333.xml",
                "title": "Test Gadget",
                "description": "A gadget /* for tests */. LWM2MVersion: 1.1 ObjectVersion: 1.0"
                " MultipleInstances: false Mandatory: false",
                "additionalProperties": False,
                "properties": {
                    "0": {
                        "type": "integer", "minimum": 0, "maximum": 100, "title": "Level",
                        "description": about("Level") + " Units: %.",
                    },
                    "1": {
                        "type": "integer", "minimum": 1, "maximum": None, "title": "Count",
                        "description": about("Count"),
                    },
                    "2": {
                        "type": "number", "title": "Ratio",
                        "description": about("Ratio") + " Units: /.",
                    },
                    "3": {
                        "type": "integer", "minimum": 0, "maximum": 1, "title": "On",
                        "description": about("On"),
                    },
                    "4": {
                        "type": "array", "minItems": 1,
                        "items": {"type": "string", "pattern": OBJLNK_PATTERN},
                        "title": "Peer", "description": about("Peer"),
                    },
                    "5": {
                        "type": "string", "minLength": 0, "maxLength": 16, "title": "Label",
                        "description": about("Label"),
                    },
                    "6": {"type": "string", "title": "Blob", "description": about("Blob")},
                    "7": {
                        "type": "integer", "unixTimestamp": True, "title": "When",
                        "description": f"{about('When')} {TIME_NOTE} Units: s.",
                    },
                    "8": {
                        "type": "string", "pattern": '^</[^>]+>(;[^=]+="[^"]+")*$',
                        "description": about("Link"), "title": "Link",
                    },
                    "9": {
                        "type": "array", "minItems": 1,
                        "items": {
                            "type": "string", "pattern": '^</[^>]+>(;[^=]+="[^"]+")*$',
                            "description": CORELNK_NOTE,
                        },
                        "title": "Links", "description": about("Links"),
                    },
                    "10": {"type": "string", "title": "Go", "description": about("Go")},
                    "13": {
                        "type": "integer", "minimum": None, "maximum": 0, "title": "Huge",
                        "description": about("Huge"),
                    },
                },
                "required": ["0", "1", "9"],
            }
        },
    }  # fmt: skip


def test_a_multiple_instance_object_is_an_array_of_its_instances():
    items = {3: ("On", "RW", "Single", "Optional", "Boolean", "", "")}
    obj = from_bytes(definition_xml(items=items, version="1.2"))
    entry = json.loads(generate("schema.json", obj))["properties"]["33333:1.2@1.1"]
    description = (
        "A gadget /* for tests */. LWM2MVersion: 1.1 ObjectVersion: 1.2"
        " MultipleInstances: true Mandatory: false"
    )
    assert {k: v for k, v in entry.items() if k != "items"} == {
        "type": "array",
        "minItems": 1,
        "title": "Test Gadget",
        "description": description,
    }
    assert entry["items"]["description"] == description
    assert "required" not in entry["items"]  # no mandatory resource
    assert list(entry["items"]["properties"]) == ["3"]


def test_the_document_keys_objects_by_urn_in_id_order():
    def obj(object_id, version, lwm2m):
        data = definition_xml(items={}, version=version, object_id=object_id)
        return from_bytes(data.replace(b">1.1</LWM2MVersion>", f">{lwm2m}</LWM2MVersion>".encode()))

    objects = [
        obj(3303, "1.1", "1.0"),
        obj(3, "1.2", "1.1"),
        obj(24, "1.0", "1.2"),
        obj(6, "1.0", ""),
    ]
    assert list(document(objects)["properties"]) == ["3:1.2@1.1", "6", "24@1.2", "3303:1.1"]
    assert [urn_key(o) for o in objects] == ["3303:1.1", "3:1.2@1.1", "24@1.2", "6"]


def test_the_schema_keeps_text_as_written():
    data = definition_xml(items={0: ("Level", "R", "Single", "Optional", "Integer", "", "")})
    data = data.replace(b"<Name>Level</Name>", b"<Name> Level\r\n</Name>")
    data = data.replace(b"<Name>Test Gadget</Name>", b"<Name> Test Gadget </Name>")
    data = data.replace(b"About Level.", b"\r\n  About Level.")
    entry = json.loads(generate("schema.json", from_bytes(data)))["properties"]["33333:1.1@1.1"]
    level = entry["items"]["properties"]["0"]
    assert entry["title"] == "Test Gadget"
    assert level["title"] == "Level"
    assert level["description"] == about("Level")
    assert entry["description"].startswith("A gadget")


def test_text_is_written_as_utf_8_not_escaped():
    data = definition_xml(items={}).replace(b"Test Gadget", "Énergie ✓".encode())
    assert '      "title": "Énergie ✓",\n' in generate("schema.json", from_bytes(data))


def test_the_key_takes_the_versions_as_written():
    # xml2js keeps blanks around a value: so does the package's key.
    data = definition_xml(items={}, version=" 1.1 ")
    assert urn_key(from_bytes(data)) == "33333: 1.1 @1.1"
    assert urn_key(from_bytes(data.replace(b">1.1</LWM2M", b">1.2 </LWM2M"))) == "33333: 1.1 @1.2 "
    parsed = from_definition(Definition(object_id=5, object_version="1.1", lwm2m_version="1.1"))
    assert urn_key(parsed) == "5:1.1@1.1"
    assert urn_key(from_definition(Definition(object_id=5, object_version="1.0"))) == "5"


def test_a_fractional_bound_stays_a_number():
    items = {0: ("Level", "R", "Single", "Optional", "Integer", "-0.5..1.5", "")}
    schema = json.loads(generate("schema.json", from_bytes(definition_xml(items=items))))
    level = schema["properties"]["33333:1.1@1.1"]["items"]["properties"]["0"]
    assert (level["minimum"], level["maximum"]) == (-0.5, 1.5)


def test_the_whole_file_of_a_mandatory_single_instance_object():
    # Two-space indents, as the package's schema.json is written, and Mandatory: true.
    items = {0: ("Level", "R", "Single", "Mandatory", "Integer", "0..100", "%")}
    data = definition_xml(items=items, version="1.0", multiple="Single").replace(
        b"<Mandatory>Optional</Mandatory><Resources>",
        b"<Mandatory>Mandatory</Mandatory><Resources>",
    )
    assert generate("schema.json", from_bytes(data)) == (
        "{\n"
        '  "$schema": "http://json-schema.org/draft-07/schema#",\n'
        '  "type": "object",\n'
        '  "title": "LwM2M JSON Schema",\n'
        '  "description": "JSON schema for expressing LwM2M resources as JSON",\n'
        '  "properties": {\n'
        '    "33333@1.1": {\n'
        '      "type": "object",\n'
        '      "$id": "https://github.com/OpenMobileAlliance/lwm2m-registry/raw/prod/33333.xml",\n'
        '      "title": "Test Gadget",\n'
        '      "description": "A gadget /* for tests */. LWM2MVersion: 1.1 ObjectVersion: 1.0'
        ' MultipleInstances: false Mandatory: true",\n'
        '      "additionalProperties": false,\n'
        '      "properties": {\n'
        '        "0": {\n'
        '          "type": "integer",\n'
        '          "minimum": 0,\n'
        '          "maximum": 100,\n'
        '          "title": "Level",\n'
        '          "description": "About Level. */ stays */ in the comment Units: %."\n'
        "        }\n"
        "      },\n"
        '      "required": [\n'
        '        "0"\n'
        "      ]\n"
        "    }\n"
        "  }\n"
        "}\n"
    )


def test_the_object_description_takes_its_fields_as_written():
    # xml2js keeps blanks and "\r\n" in every field the description is made of; the parsed
    # (trimmed, "\n"-only) values must not stand in for them.
    data = definition_xml(items={}, version=" 1.2 ")
    data = data.replace(b"<Name>Test Gadget</Name>", b"<Name>Test\r\nGadget </Name>")
    data = data.replace(b">A gadget /* for tests */.<", b">\r\n  A gadget.\r\n<")
    data = data.replace(b">1.1</LWM2MVersion>", b"> 1.1 </LWM2MVersion>")
    entry = json.loads(generate("schema.json", from_bytes(data)))["properties"]
    entry = entry["33333: 1.2 @ 1.1 "]
    assert entry["title"] == "Test\r\nGadget"
    assert entry["description"] == (
        "A gadget.\r\n LWM2MVersion:  1.1  ObjectVersion:  1.2  MultipleInstances: true"
        " Mandatory: false"
    )


def test_an_empty_lwm2m_version_reads_as_1_0():
    data = definition_xml(items={}).replace(b">1.1</LWM2MVersion>", b"></LWM2MVersion>")
    entry = json.loads(generate("schema.json", from_bytes(data)))["properties"]["33333:1.1"]
    assert entry["description"] == (
        "A gadget /* for tests */. LWM2MVersion: 1.0 ObjectVersion: 1.1"
        " MultipleInstances: true Mandatory: false"
    )


def test_a_resource_with_an_empty_name_and_description_has_empty_texts():
    items = {0: ("", "R", "Single", "Optional", "Integer", "", "")}
    data = definition_xml(items=items, multiple="Single")
    data = data.replace(b"<Description>About . */ stays */ in the comment</Description>", b"")
    schema = json.loads(generate("schema.json", from_bytes(data)))
    level = schema["properties"]["33333:1.1@1.1"]["properties"]["0"]
    assert level == {"type": "integer", "title": "", "description": ""}
