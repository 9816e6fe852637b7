"""types.ts for small definitions of our own, whole, in the shape of Nordic's lwm2m-types
2.7.0 (its published 3303 is compared in test_generators' snapshot test), and the package's
cutting of descriptions into doc-comment lines."""

import pytest

from objects.codegen import generate
from objects.codegen.model import from_bytes, from_definition
from objects.codegen.typescript import doc_lines
from objects.lwm2m.definitions import Definition
from tests.codegen.test_generators import definition_xml
from tests.codegen.test_model import item

ITEMS = {
    # ID: (Name, Operations, MultipleInstances, Mandatory, Type, RangeEnumeration, Units)
    4: ("On", "RW", "Single", "Optional", "Boolean", "", ""),
    1: ("Label", "RW", "Single", "Optional", "String", "", ""),
    2: ("Peers", "RW", "Multiple", "Mandatory", "Objlnk", "", ""),
    3: ("Reset", "E", "Single", "Optional", "", "", ""),
    0: ("Level", "R", "Single", "Mandatory", "Integer", "0..100", "%"),
}


def resource_doc(name, rid, multiple, mandatory, units=None):
    return [
        "/**",
        f" * {name}",
        " *",
        f" * About {name}. * / stays * / in the comment",
        " *",
        f" * ID: {rid}",
        f" * MultipleInstances: {multiple}",
        f" * Mandatory: {mandatory}",
        *([f" * Units: {units}"] if units else []),
        " */",
    ]


def object_doc(version, multiple):
    return [
        "/**",
        " * Test Gadget",
        " *",
        " * A gadget / * for tests * /.",
        " *",
        " * @see https://github.com/OpenMobileAlliance/lwm2m-registry/raw/prod/33333.xml",
        " *",
        " * ID: 33333",
        " * LWM2MVersion: 1.1",
        f" * ObjectVersion: {version}",
        f" * MultipleInstances: {multiple}",
        " * Mandatory: false",
        " */",
    ]


URN_DOC = [
    "/**",
    " * The objectURN for Test Gadget",
    " * Used in the JSON schema for the LwM2M document definition as a key.",
    " */",
]


def test_the_types_of_a_single_instance_object():
    obj = from_bytes(definition_xml(items=ITEMS, version="1.0", multiple="Single"))
    assert generate("types.ts", obj).split("\n") == [
        *object_doc("1.0", "false"),
        "export type TestGadget_33333 = Readonly<{",
        "\t'0': Level_0",
        "\t'2': Peers_2",
        "\t'1'?: Label_1",
        "\t'4'?: On_4",
        "}>",
        *resource_doc("Level", 0, "false", "true", units="%"),
        "type Level_0 = number",
        *resource_doc("Peers", 2, "true", "true"),
        "type Peers_2 = Array<string>",
        *resource_doc("Label", 1, "false", "false"),
        "type Label_1 = string",
        *resource_doc("On", 4, "false", "false"),
        "type On_4 = boolean",
        *URN_DOC,
        "export const objectURN = '33333@1.1'",
        "",
    ]


def test_the_types_of_a_multiple_instance_object():
    items = {7: ("When", "R", "Single", "Optional", "Time", "", "s")}
    obj = from_bytes(definition_xml(items=items, version="1.2"))
    assert generate("types.ts", obj).split("\n") == [
        *object_doc("1.2", "true"),
        "export type TestGadget_33333 = Readonly<",
        "\tArray<{",
        "\t\t'7'?: When_7",
        "\t}>",
        ">",
        *resource_doc("When", 7, "false", "false", units="s"),
        "type When_7 = number",
        *URN_DOC,
        "export const objectURN = '33333:1.2@1.1'",
        "",
    ]


@pytest.mark.parametrize(
    ("multiple", "declaration"),
    [
        ("Single", ["export type TestGadget_33333 = Readonly<{}>"]),
        ("Multiple", ["export type TestGadget_33333 = Readonly<", "\tArray<{}>", ">"]),
    ],
)
def test_an_object_without_typed_resources(multiple, declaration):
    items = {3: ("Reset", "E", "Single", "Optional", "", "", "")}
    obj = from_bytes(definition_xml(items=items, version="1.0", multiple=multiple))
    lines = generate("types.ts", obj).split("\n")
    start = lines.index(" */") + 1
    assert lines[start : start + len(declaration) + 1] == [*declaration, "/**"]


def test_a_resource_type_named_as_the_object_gets_a_suffix():
    items = {
        33333: ("Test Gadget", "R", "Single", "Mandatory", "Float", "", ""),
        1: ("Float", "R", "Multiple", "Mandatory", "Float", "", ""),
    }
    text = generate("types.ts", from_bytes(definition_xml(items=items, multiple="Single")))
    assert "\t'33333': TestGadget_33333_resource\n" in text
    assert "\ntype TestGadget_33333_resource = number\n" in text
    assert "\ntype Float_1 = Array<number>\n" in text
    assert "\nexport type TestGadget_33333 = Readonly<{\n" in text


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("", [""]),
        ("one two", ["one two"]),
        ("one  two ", ["one two"]),  # empty words add nothing
        ("tab\tkept", ["tab\tkept"]),  # only spaces part words
        ("one\ntwo\n", ["one", "two", ""]),
        ("a\u00a0b\u2000c\u200bd\u3000e\ufefff\x0bg\x0ch\u2028i", ["a b c d e f g h i"]),
        ("x" * 70 + " " + "y" * 6, ["x" * 70 + " " + "y" * 6]),  # 76 without the space: fits
        ("x" * 70 + " " + "y" * 7, ["x" * 70, "y" * 7]),
    ],
)
def test_doc_lines(text, lines):
    assert doc_lines(text) == lines


def test_doc_lines_of_another_width():
    assert doc_lines("aa bb cc", width=4) == ["aa bb", "cc"]
    assert doc_lines("aa bb cc", width=3) == ["aa", "bb", "cc"]


def test_no_doc_line_ends_in_a_blank():
    definition = Definition(object_id=5, name="Gadget", object_version="1.1 \t")
    text = generate("types.ts", from_definition(definition))
    assert "\n * ObjectVersion: 1.1\n" in text
    assert not any(line != line.rstrip() for line in text.splitlines())


def test_the_object_doc_takes_description1_as_written_and_lwm2m_1_0_when_none():
    # xml2js keeps the blank lines around a description: so does the package's comment.
    data = definition_xml(items={}).replace(
        b"A gadget /* for tests */.", b"\n  Line one\r\n  two\n"
    )
    data = data.replace(b"<LWM2MVersion>1.1</LWM2MVersion>", b"")
    lines = generate("types.ts", from_bytes(data)).split("\n")
    assert lines[1:9] == [
        " * Test Gadget",
        " *",
        " *",
        " * Line one",
        " * two",
        " *",
        " *",
        " * @see https://github.com/OpenMobileAlliance/lwm2m-registry/raw/prod/33333.xml",
    ]
    assert " * LWM2MVersion: 1.0" in lines


def test_a_mandatory_object_says_so_in_its_doc():
    data = definition_xml(items={}).replace(
        b"<Mandatory>Optional</Mandatory><Resources>",
        b"<Mandatory>Mandatory</Mandatory><Resources>",
    )
    obj = from_bytes(data)
    assert obj.mandatory
    lines = generate("types.ts", obj).split("\n")
    assert lines[: lines.index(" */") + 1] == [
        *object_doc("1.1", "true")[:-2],
        " * Mandatory: true",
        " */",
    ]


def test_a_parsed_definition_gives_each_resource_its_description():
    # Without the file's bytes (from_definition), the parsed texts stand.
    definition = Definition(object_id=5, name="Gadget", object_version="1.0")
    definition.resources = [item(0, name="Level")]
    lines = generate("types.ts", from_definition(definition)).split("\n")
    start = lines.index(" * Level") - 1
    assert lines[start : start + 11] == [
        "/**",
        " * Level",
        " *",
        " * about 0",
        " *",
        " * ID: 0",
        " * MultipleInstances: false",
        " * Mandatory: false",
        " * Units: units 0",
        " */",
        "type Level_0 = number",
    ]


def test_a_resource_without_a_description_gets_an_empty_one():
    items = {0: ("Level", "R", "Single", "Mandatory", "Integer", "", "")}
    data = definition_xml(items=items).replace(
        b"<Description>About Level. */ stays */ in the comment</Description>", b""
    )
    lines = generate("types.ts", from_bytes(data)).split("\n")
    start = lines.index(" * Level") - 1
    assert lines[start : start + 10] == [
        "/**",
        " * Level",
        " *",
        " *",
        " *",
        " * ID: 0",
        " * MultipleInstances: false",
        " * Mandatory: true",
        " */",
        "type Level_0 = number",
    ]
