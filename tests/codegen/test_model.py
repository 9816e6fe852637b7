"""The definition as the generators read it: typed fields from a parsed Definition (blanks
around the words ignored), one resource per ID, the raw texts when the bytes are given."""

import pytest

from objects.codegen.model import (
    CodegenResource,
    from_bytes,
    from_definition,
    version_numbers,
)
from objects.lwm2m.definitions import Definition
from tests.codegen.test_generators import definition_xml


def item(rid, name="R", operations="R", multiple="Single", mandatory="Optional", type_="Integer"):
    return {
        "ID": rid,
        "Name": name,
        "Operations": operations,
        "MultipleInstances": multiple,
        "Mandatory": mandatory,
        "Type": type_,
        "RangeEnumeration": f"range {rid}",
        "Units": f"units {rid}",
        "Description": f"about {rid}",
    }


def resource(operations):
    return CodegenResource(
        id=0, name="R", operations=operations, multiple=False, mandatory=False, raw_type="",
        type="", range="", units="", description="",
    )  # fmt: skip


def test_fields_of_the_object_with_blanks_around_them():
    definition = Definition(
        name="Gadget",
        description1="One",
        object_id=42,
        urn="urn:oma:lwm2m:x:42",
        lwm2m_version=" 1.1 ",
        object_version=" 2.3 ",
        multiple_instances=" Multiple\n",
        mandatory="\tMandatory ",
        description2="Two",
    )
    obj = from_definition(definition)
    assert (obj.object_id, obj.name, obj.urn) == (42, "Gadget", "urn:oma:lwm2m:x:42")
    assert (obj.version, obj.raw_version, obj.lwm2m_version) == ("2.3", " 2.3 ", "1.1")
    assert (obj.multiple, obj.mandatory) == (True, True)
    assert (obj.description, obj.description2) == ("One", "Two")
    assert obj.resources == () and obj.duplicates == () and obj.raw is None


def test_single_optional_and_a_missing_version():
    definition = Definition(object_id=1, multiple_instances="Single", mandatory="Optional")
    obj = from_definition(definition)
    assert (obj.multiple, obj.mandatory) == (False, False)
    assert (obj.version, obj.raw_version, obj.lwm2m_version) == ("1.0", "", "")
    blank = from_definition(Definition(object_id=1, object_version="  "))
    assert blank.version == "1.0"
    assert from_definition(Definition(object_id=0)).object_id == 0  # ID 0 is an ID


def test_a_definition_without_an_object_id_is_refused():
    with pytest.raises(ValueError, match="^the definition has no ObjectID$"):
        from_definition(Definition(name="x"))


def test_resources_keep_the_file_order_and_the_first_of_an_id():
    definition = Definition(object_id=1)
    definition.resources = [
        item(5, name="Five", operations=" RW ", multiple=" Multiple ", mandatory=" Mandatory "),
        item(2, name="Two", operations="", type_=" unsigned   INTEGER "),
        item(5, name="Again"),
        item(7, name="Seven", type_="Double"),
        item(2, name="Twice"),
    ]
    obj = from_definition(definition)
    assert [r.name for r in obj.resources] == ["Five", "Two", "Seven"]
    assert [r.name for r in obj.duplicates] == ["Again", "Twice"]
    assert [r.id for r in obj.sorted_resources] == [2, 5, 7]
    five, two, seven = obj.resources
    assert five == CodegenResource(
        id=5, name="Five", operations="RW", multiple=True, mandatory=True, raw_type="Integer",
        type="Integer", range="range 5", units="units 5", description="about 5",
    )  # fmt: skip
    assert (two.operations, two.multiple, two.mandatory) == ("", False, False)
    assert (two.raw_type, two.type) == (" unsigned   INTEGER ", "Unsigned Integer")
    assert (seven.raw_type, seven.type) == ("Double", "")  # outside the list: no type


@pytest.mark.parametrize(
    "written",
    ["String", "Integer", "Unsigned Integer", "Float", "Boolean", "Opaque", "Time", "Objlnk",
     "Corelnk"],
)  # fmt: skip
def test_each_type_of_the_schema_is_known_in_any_case(written):
    definition = Definition(object_id=1)
    definition.resources = [item(0, type_=written.upper()), item(1, type_=f" {written} ")]
    assert [r.type for r in from_definition(definition).resources] == [written, written]


@pytest.mark.parametrize(
    ("operations", "readable", "writable", "executable", "known", "has_value"),
    [
        ("R", True, False, False, True, True),
        ("W", False, True, False, True, True),
        ("RW", True, True, False, True, True),
        ("E", False, False, True, True, False),
        ("", False, False, False, False, True),
        ("RWE", True, True, True, False, True),
        ("RE", True, False, True, False, True),
        ("WR", True, True, False, False, True),
    ],
)
def test_what_the_operations_allow(operations, readable, writable, executable, known, has_value):
    r = resource(operations)
    assert (r.readable, r.writable, r.executable) == (readable, writable, executable)
    assert (r.known_operations, r.has_value) == (known, has_value)


def test_raw_texts_as_written_when_the_bytes_are_given():
    data = definition_xml(items={0: ("Level", "R", "Single", "Mandatory", "Integer", "", "")})
    data = data.replace(b"<Units></Units>", b"").replace(b"<Name>Level", b"<Name> Level ")
    obj = from_bytes(data)
    level = obj.resources[0]
    assert obj.raw is not None
    assert obj.raw_object("Name", "parsed") == "Test Gadget"
    assert obj.raw_object("Nothing", "parsed") == "parsed"  # not an object field: the parsed
    assert obj.raw_resource(level, "Name", "parsed") == " Level "
    assert obj.raw_resource(level, "Units", "parsed") is None  # the file has no element
    assert obj.raw_resource(level, "RangeEnumeration", "parsed") == ""
    other = CodegenResource(**{**level.__dict__, "id": 9})
    assert obj.raw_resource(other, "Name", "parsed") is None


def test_parsed_texts_without_the_bytes():
    definition = Definition(object_id=1, name="Gadget")
    definition.resources = [item(0)]
    obj = from_definition(definition)
    assert obj.raw_object("Name", "parsed") == "parsed"
    assert obj.raw_resource(obj.resources[0], "Units", "parsed") == "parsed"


@pytest.mark.parametrize(
    ("version", "numbers"),
    [
        ("1.1", (1, 1)),
        ("2.0", (2, 0)),
        ("2", (2, 0)),
        ("1.2.3", (1, 2)),
        ("", (1, 0)),
        ("x.y", (1, 0)),
        ("3.x", (3, 0)),
        ("x.4", (1, 4)),
        (" 1.1", (1, 1)),  # int() reads blanks; isdigit() does not: the major falls back
        ("255.255", (255, 255)),
        ("256.1000", (255, 255)),
        ("²", (1, 0)),  # a digit to isdigit() that int() refuses
        ("1.²", (1, 0)),
    ],
)
def test_version_numbers(version, numbers):
    assert version_numbers(version) == numbers
