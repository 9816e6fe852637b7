"""leshan.json for small definitions of our own, whole: the fields of Leshan's
ObjectModelSerDes and ResourceModelSerDes, text as written (line ends as "\\n") with the
bytes, the parsed text without them."""

import json

from objects.codegen import generate
from objects.codegen.leshan_json import object_model
from objects.codegen.model import from_bytes, from_definition
from objects.lwm2m.definitions import Definition
from tests.codegen.test_generators import definition_xml
from tests.codegen.test_model import item

TYPES = {
    "String": "string",
    "Integer": "integer",
    "Float": "float",
    "Boolean": "boolean",
    "Opaque": "opaque",
    "Time": "time",
    "Objlnk": "objlnk",
    "Unsigned Integer": "unsigned_integer",
    "Corelnk": "corelink",
    "": "none",
    " Integer ": "none",  # Leshan reads the spelling exactly
    "integer": "none",
    "Double": "none",
}


def test_the_model_of_each_type():
    items = {
        rid: (f"R{rid}", "RW", "Single", "Optional", written, "", "")
        for rid, written in enumerate(TYPES)
    }
    model = json.loads(generate("leshan.json", from_bytes(definition_xml(items=items))))
    assert [r["type"] for r in model["resourcedefs"]] == list(TYPES.values())


def test_the_whole_model_as_written():
    items = {
        5: ("Level", "R", "Multiple", "Mandatory", "Integer", "0..100", "%"),
        2: ("Secret", "", "Single", "Optional", "Opaque", "", ""),
    }
    data = definition_xml(items=items, multiple="Single")
    data = data.replace(b"<Name>Level</Name>", b"<Name> Level\r\n</Name>")
    data = data.replace(b"About Secret.", b"About\r Secret.")
    data = data.replace(b"<Mandatory>Optional</Mandatory><Resources>", b"<Mandatory>Mandatory"
                        b"</Mandatory><Resources>")  # fmt: skip
    text = generate("leshan.json", from_bytes(data))
    assert text.endswith("}\n")
    assert text.startswith('{\n  "id": 33333,\n  "name": "Test Gadget",\n')  # indented by 2
    assert json.loads(text) == {
        "id": 33333,
        "name": "Test Gadget",
        "instancetype": "single",
        "mandatory": True,
        "urn": "urn:oma:lwm2m:x:33333:1.1",
        "version": "1.1",
        "lwm2mversion": "1.1",
        "description": "A gadget /* for tests */.",
        "description2": "",
        "resourcedefs": [
            {
                "id": 5, "name": " Level\n", "operations": "R", "instancetype": "multiple",
                "mandatory": True, "type": "integer", "range": "0..100", "units": "%",
                "description": "About Level. */ stays */ in the comment",
            },
            {
                "id": 2, "name": "Secret", "operations": "NONE", "instancetype": "single",
                "mandatory": False, "type": "opaque", "range": "", "units": "",
                "description": "About\n Secret. */ stays */ in the comment",
            },
        ],
    }  # fmt: skip


def test_missing_object_elements_are_null_and_versions_fall_back():
    data = definition_xml(items={}, version="1.0")
    for element in (b"ObjectVersion", b"LWM2MVersion", b"Description2", b"ObjectURN"):
        start = data.index(b"<" + element + b">")
        end = data.index(b"</" + element + b">") + len(element) + 3
        data = data[:start] + data[end:]
    model = object_model(from_bytes(data))
    assert (model["version"], model["lwm2mversion"]) == ("1.0", "1.0")
    assert (model["urn"], model["description2"]) == (None, None)
    assert model["resourcedefs"] == []
    assert model["instancetype"] == "multiple" and model["mandatory"] is False


def test_without_the_bytes_the_parsed_text_stands():
    definition = Definition(
        object_id=7,
        name="Parsed",
        description1="One\r\nTwo\rThree",
        urn="urn:x",
        object_version="1.3",
        lwm2m_version="1.2",
        multiple_instances="Multiple",
    )
    definition.resources = [item(0, name="Zero", type_="Time")]
    model = object_model(from_definition(definition))
    assert {k: v for k, v in model.items() if k != "resourcedefs"} == {
        "id": 7, "name": "Parsed", "instancetype": "multiple", "mandatory": False,
        "urn": "urn:x", "version": "1.3", "lwm2mversion": "1.2",
        "description": "One\nTwo\nThree", "description2": "",
    }  # fmt: skip
    assert model["resourcedefs"] == [
        {
            "id": 0, "name": "Zero", "operations": "R", "instancetype": "single",
            "mandatory": False, "type": "time", "range": "range 0", "units": "units 0",
            "description": "about 0",
        }
    ]  # fmt: skip
    fallback = object_model(from_definition(Definition(object_id=7)))
    assert (fallback["version"], fallback["lwm2mversion"]) == ("1.0", "1.0")


def test_text_is_written_as_utf_8_not_escaped():
    data = definition_xml(items={}).replace(b"Test Gadget", "Énergie ✓".encode())
    assert '  "name": "Énergie ✓",\n' in generate("leshan.json", from_bytes(data))
