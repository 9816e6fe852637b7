"""The draft of /author/: names computed from the fields, XML in the registry's layout that
reads back as the same draft and passes the schema."""

import xml.etree.ElementTree as ET

import pytest
from lxml import etree

from objects.lwm2m.definitions import InvalidDefinition
from objects.lwm2m.draft import (
    DDF_ELEMENTS,
    OBJECT_ELEMENTS,
    RESOURCE_ELEMENTS,
    Draft,
    DraftResource,
    common_item,
    copy,
    ddf_item,
    draft_fields,
    from_xml,
    to_xml,
)


def sensor(**changes):
    draft = Draft(
        name="Acme Sensor",
        description1="A sensor of Acme's.",
        object_id="10488",
        object_version="1.0",
        lwm2m_version="1.1",
        resources=[
            DraftResource(id="5700", name="Sensor Value", type="Float", mandatory="Mandatory"),
            DraftResource(id="1", name="Reset", operations="E", type=""),
        ],
    )
    for key, value in changes.items():
        setattr(draft, key, value)
    return draft


@pytest.mark.parametrize(
    ("object_id", "version", "urn", "history"),
    [
        ("3303", "1.1", "urn:oma:lwm2m:ext:3303:1.1", "version_history/3303-1_1.xml"),
        ("5", "1.0", "urn:oma:lwm2m:oma:5", "version_history/5-1_0.xml"),
        ("10488", "1.0", "urn:oma:lwm2m:x:10488", "version_history/10488-1_0.xml"),
        ("42770", "2.10", "urn:oma:lwm2m:x:42770:2.10", "version_history/42770-2_10.xml"),
        ("12a", "1.0", "", ""),
        ("10488", "one", "", ""),
    ],
)
def test_urn_and_file_names_are_computed(object_id, version, urn, history):
    draft = sensor(object_id=object_id, object_version=version)
    assert draft.urn == urn
    assert draft.history_name == history
    assert draft.file_name == (f"{object_id}.xml" if object_id.isdigit() else "")


def test_a_registered_file_reads_back_the_same(fixture_registry):
    draft = from_xml((fixture_registry / "3303.xml").read_bytes())
    assert draft.object_id == "3303" and draft.resources[0].id == "5700"
    again = from_xml(to_xml(draft))
    assert again == draft


def test_xml_in_the_schemas_order_with_the_computed_urn():
    root = ET.fromstring(to_xml(sensor(object_version="1.2")))
    obj = root.find("Object")
    assert [child.tag for child in obj] == list(OBJECT_ELEMENTS)
    assert obj.findtext("ObjectURN") == "urn:oma:lwm2m:x:10488:1.2"
    item = obj.find("Resources/Item")
    assert item.get("ID") == "5700"
    assert [child.tag for child in item] == list(RESOURCE_ELEMENTS)


@pytest.mark.parametrize(("lwm2m", "schema"), [("1.0", "LWM2M.xsd"), ("1.1", "LWM2M-v1_1.xsd")])
def test_the_schema_of_the_lwm2m_version_accepts_it(fixture_registry, lwm2m, schema):
    body = to_xml(sensor(lwm2m_version=lwm2m))
    root = etree.fromstring(body)
    location = root.get("{http://www.w3.org/2001/XMLSchema-instance}noNamespaceSchemaLocation")
    assert location.endswith("/" + schema)
    xsd = etree.XMLSchema(etree.parse(str(fixture_registry / schema)))
    assert xsd.validate(root), xsd.error_log


def test_hostile_text_is_escaped_and_control_characters_dropped():
    draft = sensor(name='<b>&"x"</b>\x00\x1b', description2="]]> <!-- -->")
    draft.resources[0].id = '5700" evil="1'
    again = from_xml(to_xml(sensor(name='<b>&"x"</b>\x00\x1b', description2="]]> <!-- -->")))
    assert again.name == '<b>&"x"</b>' and again.description2 == "]]> <!-- -->"
    root = ET.fromstring(to_xml(draft))
    assert root.find("Object/Resources/Item").attrib == {"ID": '5700" evil="1'}


def test_the_ddf_item_in_the_index_order(fixture_registry):
    index = ET.parse(fixture_registry / "DDF.xml").getroot()
    registry_order = [child.tag for child in index.find("Item")]
    assert list(DDF_ELEMENTS) == registry_order
    item = ET.fromstring(ddf_item(sensor(object_version="1.1"), owner="Acme & Co"))
    assert [child.tag for child in item] == registry_order
    assert item.findtext("URN") == "urn:oma:lwm2m:x:10488:1.1"
    assert item.findtext("Source") == "2" and item.findtext("Ver") == "1.1"
    assert item.findtext("DDF") == "10488.xml" and item.findtext("Owner") == "Acme & Co"


def test_a_common_item_in_common_xmls_order(fixture_registry):
    common = ET.parse(fixture_registry / "Common.xml").getroot()
    registry_order = [child.tag for child in common.find("Object/Resources/Item")]
    item = ET.fromstring(common_item(DraftResource(id="6100", name="Flux"), "Acme"))
    assert [child.tag for child in item] == registry_order
    assert item.get("ID") == "6100" and item.findtext("Submitter") == "Acme"


def small(**changes):
    draft = Draft(
        name="Acme & Co",
        description1="d1",
        object_id=" 10488 ",
        resources=[DraftResource(id=" 1 ", name="Reset", operations="E", type="")],
    )
    for key, value in changes.items():
        setattr(draft, key, value)
    return draft


def test_the_xml_as_the_registry_writes_it():
    assert to_xml(small()).decode() == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<LWM2M xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:noNamespaceSchemaLocation="http://openmobilealliance.org/tech/profiles/'
        'LWM2M-v1_1.xsd">\n'
        '\t<Object ObjectType="MODefinition">\n'
        "\t\t<Name>Acme &amp; Co</Name>\n"
        "\t\t<Description1>d1</Description1>\n"
        "\t\t<ObjectID>10488</ObjectID>\n"
        "\t\t<ObjectURN>urn:oma:lwm2m:x:10488</ObjectURN>\n"
        "\t\t<LWM2MVersion>1.1</LWM2MVersion>\n"
        "\t\t<ObjectVersion>1.0</ObjectVersion>\n"
        "\t\t<MultipleInstances>Single</MultipleInstances>\n"
        "\t\t<Mandatory>Optional</Mandatory>\n"
        "\t\t<Resources>\n"
        '\t\t\t<Item ID="1">\n'
        "\t\t\t\t<Name>Reset</Name>\n"
        "\t\t\t\t<Operations>E</Operations>\n"
        "\t\t\t\t<MultipleInstances>Single</MultipleInstances>\n"
        "\t\t\t\t<Mandatory>Optional</Mandatory>\n"
        "\t\t\t\t<Type></Type>\n"
        "\t\t\t\t<RangeEnumeration></RangeEnumeration>\n"
        "\t\t\t\t<Units></Units>\n"
        "\t\t\t\t<Description></Description>\n"
        "\t\t\t</Item>\n"
        "\t\t</Resources>\n"
        "\t\t<Description2></Description2>\n"
        "\t</Object>\n"
        "</LWM2M>\n"
    )


@pytest.mark.parametrize(
    "lwm2m, schema",
    [
        (" 1.0 ", "LWM2M.xsd"),
        ("1.1", "LWM2M-v1_1.xsd"),
        ("1.2", "LWM2M-v1_1.xsd"),
        ("", "LWM2M-v1_1.xsd"),
    ],
)
def test_the_schema_a_version_names(lwm2m, schema):
    url = f"http://openmobilealliance.org/tech/profiles/{schema}"
    assert small(lwm2m_version=lwm2m).schema_url() == url
    assert f'xsi:noNamespaceSchemaLocation="{url}"'.encode() in to_xml(small(lwm2m_version=lwm2m))


@pytest.mark.parametrize(
    "text, kept",
    [
        ("a\tb\nc", "a\tb\nc"),
        ("a\x00b\x08c\x0bd\x1fe", "abcde"),
        ("\ud7ff\ue000\ufffd", "\ud7ff\ue000\ufffd"),
        ("x\ufffey\uffffz", "xyz"),
        ("\U0001f600\U0010ffff", "\U0001f600\U0010ffff"),
        (" ~\x7f\x80", " ~\x7f\x80"),
    ],
)
def test_what_xml_cannot_hold_is_dropped(text, kept):
    assert from_xml(to_xml(small(description2=text))).description2 == kept.strip()
    assert f"<Description2>{kept}</Description2>".encode() in to_xml(small(description2=text))


@pytest.mark.parametrize(
    "object_id, kind, test_range",
    [
        ("0", "oma", False), ("1023", "oma", False), ("2048", "ext", False),
        ("10241", "x", False), ("42768", "x", False), ("42769", "x", True), ("42800", "x", True),
        ("42801", "x", False), ("1024", "x", False), ("12a", "", False), ("", "", False),
    ],
)  # fmt: skip
def test_the_urn_kind_and_the_test_range(object_id, kind, test_range):
    draft = small(object_id=object_id)
    assert (draft.urn_kind, draft.in_test_range) == (kind, test_range)
    assert draft.number == (int(object_id) if kind else None)


@pytest.mark.parametrize(
    "resource_id, number, reusable",
    [("2047", 2047, False), ("2048", 2048, True), ("26240", 26240, True), ("26241", 26241, False),
     (" 5 ", 5, False), ("x", None, False)],
)  # fmt: skip
def test_a_resource_in_the_reusable_range(resource_id, number, reusable):
    resource = DraftResource(id=resource_id)
    assert (resource.number, resource.in_reusable_range) == (number, reusable)


@pytest.mark.parametrize(
    "version, parsed", [("1.0", (1, 0)), (" 2.10 ", (2, 10)), ("2", (2, 0)), ("one", None)]
)
def test_the_version_while_it_is_typed(version, parsed):
    assert small(object_version=version).version == parsed


def test_a_parsed_definition_as_a_draft():
    draft = from_xml(
        b"<Object><Name>N</Name><Description1>D1</Description1><ObjectID>7</ObjectID>"
        b"<MultipleInstances>Multiple</MultipleInstances><Mandatory>Mandatory</Mandatory>"
        b"<Resources><Item ID='3'><Name>R</Name><Type>Integer</Type></Item></Resources>"
        b"<Description2>D2</Description2></Object>"
    )
    assert draft == Draft(
        name="N", description1="D1", object_id="7", object_version="1.0",
        lwm2m_version="1.0", multiple_instances="Multiple", mandatory="Mandatory",
        description2="D2", resources=draft.resources,
    )  # fmt: skip
    again = from_xml(b"<Object><ObjectVersion>1.2</ObjectVersion>"
                     b"<LWM2MVersion>1.1</LWM2MVersion></Object>")  # fmt: skip
    assert (again.object_version, again.lwm2m_version) == ("1.2", "1.1")
    assert draft.resources == [
        DraftResource(id="3", name="R", operations="", multiple_instances="", mandatory="",
                      type="Integer")
    ]  # fmt: skip
    assert from_xml(b"<Object><Name>N</Name></Object>").object_id == ""
    with pytest.raises(InvalidDefinition, match=r"^over the size limit \(31 > 30 bytes\)$"):
        from_xml(b"<Object><Name>N</Name></Object>", max_bytes=30)


def test_a_copy_shares_no_resource():
    draft = small()
    again = copy(draft)
    again.resources[0].name = "Other"
    assert draft.resources[0].name == "Reset" and again == small(resources=again.resources)


def test_a_draft_s_own_text_fields():
    assert draft_fields() == [
        "name", "description1", "object_id", "object_version", "lwm2m_version",
        "multiple_instances", "mandatory", "description2",
    ]  # fmt: skip


def test_the_ddf_item_exactly():
    item = ddf_item(small(object_version="1.1"), owner="Acme", spec_link="https://x/ts")
    assert item == (
        "    <Item>\n"
        "        <ObjectID>10488</ObjectID>\n"
        "        <URN>urn:oma:lwm2m:x:10488:1.1</URN>\n"
        "        <Name>Acme &amp; Co</Name>\n"
        "        <Description>d1</Description>\n"
        "        <Owner>Acme</Owner>\n"
        "        <Source>2</Source>\n"
        "        <Ver>1.1</Ver>\n"
        "        <DDF>10488.xml</DDF>\n"
        "        <Vorto></Vorto>\n"
        "        <DDFLink>1</DDFLink>\n"
        "        <TS>https://x/ts</TS>\n"
        "        <TSLink>1</TSLink>\n"
        "    </Item>\n"
    )


@pytest.mark.parametrize(
    "object_id, version, source, ver, tslink",
    [("5", "1.0", "0", "1.0", "0"), ("3303", " 1.2", "1", "1.2", "0"),
     ("12a", "one", "", "one", "0")],
)  # fmt: skip
def test_the_ddf_item_s_source_and_version(object_id, version, source, ver, tslink):
    item = ET.fromstring(ddf_item(small(object_id=object_id, object_version=version), "o"))
    assert (item.findtext("Source"), item.findtext("Ver"), item.findtext("TSLink")) == (
        source, ver, tslink,
    )  # fmt: skip


def test_the_common_item_exactly():
    resource = DraftResource(id=' 6100" ', name="Flux", operations="RW", type="Float",
                             range_enumeration="0..1", units="Wb", description="<d>")  # fmt: skip
    assert common_item(resource, "Acme") == (
        '      <Item ID="6100&quot;">\n'
        "        <Name>Flux</Name>\n"
        "        <Operations>RW</Operations>\n"
        "        <Type>Float</Type>\n"
        "        <RangeEnumeration>0..1</RangeEnumeration>\n"
        "        <Units>Wb</Units>\n"
        "        <Submitter>Acme</Submitter>\n"
        "        <Description>&lt;d&gt;</Description>\n"
        "        <TS></TS>\n"
        "        <TSLink>0</TSLink>\n"
        "      </Item>\n"
    )
