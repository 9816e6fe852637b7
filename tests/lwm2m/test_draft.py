"""The draft of /author/: names computed from the fields, XML in the registry's layout that
reads back as the same draft and passes the schema."""

import xml.etree.ElementTree as ET

import pytest
from lxml import etree

from objects.lwm2m.draft import (
    DDF_ELEMENTS,
    OBJECT_ELEMENTS,
    RESOURCE_ELEMENTS,
    Draft,
    DraftResource,
    common_item,
    ddf_item,
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
