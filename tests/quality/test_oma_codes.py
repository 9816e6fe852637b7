"""OMA's fault IDs decided offline (objects/quality/oma_codes.py): for every code a small
registry of ours that fails it and a near miss that passes, the lines and hints they carry, the
network codes said "not checked", and the inputs (folder, ZIP, one file against a registry)."""

import io
import zipfile

import pytest

from objects.quality import oma_codes, senml_units
from objects.quality.oma_codes import (
    CODES,
    check_common,
    check_ddf,
    check_object,
    check_registry,
    read_common,
    read_ddf,
)

HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<LWM2M xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:noNamespaceSchemaLocation="http://openmobilealliance.org/tech/profiles/{schema}">\n'
)


def resource(
    rid,
    name="Level",
    ops="R",
    instances="Single",
    mandatory="Optional",
    kind="Integer",
    range_="0..100",
    units="s",
    description="How full it is.",
    extra="",
):
    return (
        f'    <Item ID="{rid}">\n'
        f"      <Name>{name}</Name>\n"
        f"      <Operations>{ops}</Operations>\n"
        f"      <MultipleInstances>{instances}</MultipleInstances>\n"
        f"      <Mandatory>{mandatory}</Mandatory>\n"
        f"      <Type>{kind}</Type>\n"
        f"      <RangeEnumeration>{range_}</RangeEnumeration>\n"
        f"      <Units>{units}</Units>\n"
        f"      <Description>{description}</Description>{extra}\n"
        f"    </Item>\n"
    )


SENSOR = {
    "name": "Sensor Value",
    "ops": "R",
    "kind": "Float",
    "range_": "",
    "units": "",
    "description": "Last or Current Measured Value from the Sensor.",
}
RESOURCES = (
    resource(0)
    + resource(1, name="Reset", ops="E", kind="", range_="", units="", description="Resets it.")
    + resource(5700, **SENSOR)
)


def object_xml(
    ver="1.1",
    lwm2m="1.1",
    schema="LWM2M-v1_1.xsd",
    name="Tank",
    object_id=10300,
    urn=None,
    description1="A tank's level.",
    description2="",
    resources=RESOURCES,
    versions=None,
):
    urn = (
        urn
        if urn is not None
        else f"urn:oma:lwm2m:x:{object_id}" + (f":{ver}" if ver != "1.0" else "")
    )
    versions = (
        versions
        if versions is not None
        else (
            f"    <LWM2MVersion>{lwm2m}</LWM2MVersion>\n    <ObjectVersion>{ver}</ObjectVersion>\n"
        )
    )
    return (
        HEAD.format(schema=schema) + '  <Object ObjectType="MODefinition">\n'
        f"    <Name>{name}</Name>\n"
        f"    <Description1>{description1}</Description1>\n"
        f"    <ObjectID>{object_id}</ObjectID>\n"
        f"    <ObjectURN>{urn}</ObjectURN>\n"
        f"{versions}"
        "    <MultipleInstances>Multiple</MultipleInstances>\n"
        "    <Mandatory>Optional</Mandatory>\n"
        "    <Resources>\n"
        f"{resources}"
        "    </Resources>\n"
        f"    <Description2>{description2}</Description2>\n"
        "  </Object>\n"
        "</LWM2M>\n"
    )


def common_item(
    rid,
    name="Sensor Value",
    ops="R",
    kind="Float",
    range_="",
    units="",
    description="Last or Current Measured Value from the Sensor.",
    ts="",
    ts_link="0",
):
    return (
        f'    <Item ID="{rid}">\n'
        f"      <Name>{name}</Name>\n"
        f"      <Operations>{ops}</Operations>\n"
        f"      <Type>{kind}</Type>\n"
        f"      <RangeEnumeration>{range_}</RangeEnumeration>\n"
        f"      <Units>{units}</Units>\n"
        f"      <Description><![CDATA[{description}]]></Description>\n"
        f"      <TS>{ts}</TS>\n"
        f"      <TSLink>{ts_link}</TSLink>\n"
        f"    </Item>\n"
    )


def common_xml(items=None):
    items = (
        items
        if items is not None
        else (
            common_item(5700)
            + common_item(
                5750,
                name="Application Type",
                ops="RW",
                kind="String",
                description="The application type.",
            )
        )
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<LWM2M>\n'
        '  <Object ObjectType="CommonResources">\n  <Resources>\n'
        f"{items}  </Resources>\n  </Object>\n</LWM2M>\n"
    )


def ddf_item(
    object_id=10300,
    ver="1.1",
    name="Tank",
    description="A tank's level.",
    owner="Us",
    source="2",
    ddf=None,
    ddf_link="1",
    ts="",
    ts_link="0",
    urn=None,
    extra="",
):
    urn = (
        urn
        if urn is not None
        else f"urn:oma:lwm2m:x:{object_id}" + (f":{ver}" if ver != "1.0" else "")
    )
    ddf = ddf if ddf is not None else f"{object_id}.xml"
    return (
        "  <Item>\n"
        f"    <ObjectID>{object_id}</ObjectID>\n"
        f"    <URN>{urn}</URN>\n"
        f"    <Name>{name}</Name>\n"
        f"    <Description>{description}</Description>\n"
        f"    <Owner>{owner}</Owner>\n"
        f"    <Source>{source}</Source>\n"
        f"    <Ver>{ver}</Ver>\n"
        f"    <DDF>{ddf}</DDF>\n"
        "    <Vorto></Vorto>\n"
        f"    <DDFLink>{ddf_link}</DDFLink>\n"
        f"    <TS>{ts}</TS>\n"
        f"    <TSLink>{ts_link}</TSLink>{extra}\n"
        "  </Item>\n"
    )


FIRST = ddf_item(ver="1.0", ddf="version_history/10300-1_0.xml")
LATEST = ddf_item()


def ddf_xml(items=None):
    items = items if items is not None else FIRST + LATEST
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<DDFList>\n{items}</DDFList>\n'


def registry(**changes):
    """A registry of two versions of object 10300, every file as it should be; `changes` maps
    a path (dots for slashes and dashes: version_history/10300-1_0.xml is vh_1_0) to bytes or
    None (removed)."""
    old = object_xml(
        ver="1.0", lwm2m="1.0", schema="LWM2M.xsd", resources=resource(0) + resource(5700, **SENSOR)
    )
    latest = object_xml()
    files = {
        "DDF.xml": ddf_xml(),
        "Common.xml": common_xml(),
        "10300.xml": latest,
        "version_history/10300-1_0.xml": old,
        "version_history/10300-1_1.xml": latest,
    }
    aliases = {
        "latest": "10300.xml",
        "vh_1_0": "version_history/10300-1_0.xml",
        "vh_1_1": "version_history/10300-1_1.xml",
        "ddf": "DDF.xml",
        "common": "Common.xml",
    }
    for key, body in changes.items():
        path = aliases.get(key, key)
        if body is None:
            files.pop(path, None)
        else:
            files[path] = body
    return {path: body.encode() if isinstance(body, str) else body for path, body in files.items()}


def codes(files):
    """{(code, file, resource_id)} of the errors a registry has."""
    return {
        (f.oma_code, path, f.resource_id)
        for path, found in check_registry(files).items()
        for f in found
        if f.severity == "error"
    }


def errors(files):
    return [f for found in check_registry(files).values() for f in found if f.severity == "error"]


def latest_with(**kwargs):
    """The latest version changed, its version_history copy alike (so only the change shows)."""
    body = object_xml(**kwargs)
    return {"latest": body, "vh_1_1": body}


def test_the_base_registry_is_clean():
    assert errors(registry()) == []


BAD_RESOURCE = {
    "resources": resource(0)
    + resource(1, name="Reset", ops="E", kind="", range_="", units="", description="Resets.")
}

# (code, where, resource, the registry that fails it, a near miss that passes)
CASES = [
    ("021", "DDF.xml", None, {"ddf": "<DDFList><Item></DDFList>"}, {"ddf": ddf_xml()}),
    ("022", "Common.xml", None, {"common": "<LWM2M><Item ID='5700'>"}, {}),
    (
        "031",
        "DDF.xml",
        None,
        {"ddf": "<DDFList>\n</DDFList>\n", "latest": None, "vh_1_0": None, "vh_1_1": None},
        {},
    ),
    ("032", "Common.xml", None, {"common": "<LWM2M><Object/></LWM2M>\n"}, {}),
    (
        "041",
        "DDF.xml",
        None,
        {"ddf": ddf_xml(FIRST + ddf_item(extra="<Colour>red</Colour>"))},
        {"ddf": ddf_xml(FIRST + ddf_item(extra="<LicenseType>BSD-3</LicenseType>"))},
    ),
    ("041", "DDF.xml", None, {"ddf": ddf_xml(FIRST + ddf_item(extra="<TSLink>0</TSLink>"))}, {}),
    ("050", "10301.xml", None, {"10301.xml": object_xml(object_id=10301, ver="1.0")}, {}),
    (
        "050",
        "version_history/10300-1_2.xml",
        None,
        {"version_history/10300-1_2.xml": object_xml(ver="1.2")},
        {},
    ),
    ("200", "DDF.xml", None, {"ddf": ddf_xml(FIRST + FIRST + LATEST)}, {}),
    (
        "201",
        "DDF.xml",
        None,
        {
            "ddf": ddf_xml(FIRST + ddf_item(name="Tanks")),
            "latest": object_xml(name="Tanks"),
            "vh_1_1": object_xml(name="Tanks"),
        },
        {},
    ),
    (
        "202",
        "DDF.xml",
        None,
        {
            "ddf": ddf_xml(FIRST + ddf_item(description="Other.")),
            "latest": object_xml(description1="Other."),
            "vh_1_1": object_xml(description1="Other."),
        },
        {"ddf": ddf_xml(FIRST + ddf_item(description="A  tank's\n level."))},
    ),
    ("210", "DDF.xml", None, {"ddf": ddf_xml(FIRST + ddf_item(source="1"))}, {}),
    ("210", "DDF.xml", None, {"ddf": ddf_xml(FIRST + ddf_item(urn="urn:oma:lwm2m:x:10300"))}, {}),
    ("220", "DDF.xml", None, {"ddf": ddf_xml(FIRST + ddf_item(name=""))}, {}),
    ("230", "DDF.xml", None, {"ddf": ddf_xml(FIRST + ddf_item(description=" "))}, {}),
    ("240", "DDF.xml", None, {"ddf": ddf_xml(FIRST + ddf_item(owner=""))}, {}),
    ("250", "DDF.xml", None, {"ddf": ddf_xml(FIRST + ddf_item(source=""))}, {}),
    ("251", "DDF.xml", None, {"ddf": ddf_xml(FIRST + ddf_item(source="3"))}, {}),
    ("260", "DDF.xml", None, {"ddf": ddf_xml(FIRST + ddf_item(ver="1.10"))}, {}),
    ("270", "DDF.xml", None, {"latest": None}, {}),
    ("270", "DDF.xml", None, {"ddf": ddf_xml(FIRST + ddf_item(ddf="TBC"))}, {}),
    ("272", "10300.xml", None, {"latest": "<LWM2M><Object>\n"}, {}),
    ("273", "10300.xml", None, latest_with(resources=""), {}),
    ("274", "DDF.xml", None, {"vh_1_1": None}, {}),
    (
        "274",
        "version_history/10300-1_1.xml",
        None,
        {"vh_1_1": object_xml(description2="Changed.")},
        {},
    ),
    (
        "274",
        "DDF.xml",
        None,
        {"ddf": ddf_xml(FIRST + ddf_item(ddf="version_history/10300-1_1.xml")), "latest": None},
        {},
    ),
    (
        "274",
        "DDF.xml",
        None,
        dict(
            ddf=ddf_xml(ddf_item(ver="1.0", ddf="10300-old.xml") + LATEST),
            **{"10300-old.xml": object_xml(ver="1.0")},
        ),
        {},
    ),
    (
        "275",
        "version_history/10300-1.0.xml",
        None,
        {"version_history/10300-1.0.xml": object_xml(ver="1.0")},
        {},
    ),
    ("276", "DDF.xml", None, {"ddf": ddf_xml(LATEST), "vh_1_0": None}, {}),
    (
        "276",
        "DDF.xml",
        None,
        dict(
            ddf=ddf_xml(FIRST + ddf_item(ver="2.1")),
            latest=object_xml(ver="2.1"),
            vh_1_1=None,
            **{"version_history/10300-2_1.xml": object_xml(ver="2.1")},
        ),
        {},
    ),
    ("300", "DDF.xml", None, {"ddf": ddf_xml(FIRST + ddf_item(ddf_link=""))}, {}),
    ("301", "DDF.xml", None, {"ddf": ddf_xml(FIRST + ddf_item(ddf_link=" 1"))}, {}),
    ("320", "DDF.xml", None, {"ddf": ddf_xml(FIRST + ddf_item(ts_link=""))}, {}),
    ("321", "DDF.xml", None, {"ddf": ddf_xml(FIRST + ddf_item(ts_link="yes"))}, {}),
    ("400", "10300.xml", None, latest_with(object_id=10301, urn="urn:oma:lwm2m:x:10300:1.1"), {}),
    ("401", "10300.xml", None, latest_with(urn="urn:oma:lwm2m:x:10300"), {}),
    ("402", "10300.xml", None, latest_with(name="tank"), {}),
    ("403", "10300.xml", None, latest_with(lwm2m="1.3"), latest_with(lwm2m="1.2")),
    ("404", "10300.xml", None, latest_with(schema="LWM2M-v1_2.xsd"), {}),
    ("405", "10300.xml", None, latest_with(lwm2m="1.0"), latest_with(lwm2m="1.2")),
    ("405", "10300.xml", None, latest_with(schema="LWM2M.xsd"), {}),
    (
        "406",
        "10300.xml",
        None,
        {"latest": object_xml().rstrip("\n"), "vh_1_1": object_xml().rstrip("\n")},
        {},
    ),
    (
        "407",
        "10300.xml",
        None,
        {
            "latest": object_xml().replace("\n", "\r\n"),
            "vh_1_1": object_xml().replace("\n", "\r\n"),
        },
        {},
    ),
    (
        "408",
        "10300.xml",
        None,
        {"latest": object_xml().replace("\n", "\r"), "vh_1_1": object_xml().replace("\n", "\r")},
        {},
    ),
    ("410", "10300.xml", 0, latest_with(resources=resource(0, name=" ")), {}),
    (
        "411",
        "10300.xml",
        0,
        latest_with(resources=resource(0, ops="RE")),
        latest_with(resources=resource(0, ops="W")),
    ),
    (
        "412",
        "10300.xml",
        0,
        latest_with(resources=resource(0, kind="Int")),
        latest_with(resources=resource(0, kind="Unsigned Integer")),
    ),
    (
        "412",
        "10300.xml",
        0,
        latest_with(
            lwm2m="1.0", schema="LWM2M.xsd", resources=resource(0, kind="Unsigned Integer")
        ),
        latest_with(lwm2m="1.0", schema="LWM2M.xsd", resources=resource(0, kind="Integer")),
    ),
    (
        "413",
        "10300.xml",
        1,
        latest_with(resources=resource(1, ops="E", kind="String")),
        latest_with(resources=resource(1, ops="E", kind="")),
    ),
    (
        "413",
        "10300.xml",
        1,
        latest_with(resources=resource(1, ops="E", kind="", instances="Multiple")),
        {},
    ),
    ("414", "10300.xml", 0, latest_with(resources=resource(0, instances="Many")), {}),
    ("415", "10300.xml", 0, latest_with(resources=resource(0, mandatory="Yes")), {}),
    ("416", "10300.xml", 0, latest_with(resources=resource(0, description="")), {}),
    (
        "417",
        "10300.xml",
        0,
        latest_with(resources=resource(0, units="KB")),
        latest_with(resources=resource(0, units="KiB")),
    ),
    (
        "417",
        "10300.xml",
        0,
        latest_with(resources=resource(0, units="minute")),
        latest_with(resources=resource(0, units="min")),
    ),
    (
        "418",
        "10300.xml",
        0,
        latest_with(resources=resource(0, range_="0-100")),
        latest_with(resources=resource(0, range_="-128..127")),
    ),
    (
        "418",
        "10300.xml",
        0,
        latest_with(resources=resource(0, range_="1 to 5")),
        latest_with(resources=resource(0, range_="8-Bits")),
    ),
    (
        "420",
        "10300.xml",
        0,
        latest_with(resources=resource(0, description="It\u2019s full.")),
        latest_with(resources=resource(0, description="It's 5 \u00b0C.")),
    ),
    (
        "450",
        "10300.xml",
        5701,
        latest_with(resources=resource(5701, **SENSOR)),
        latest_with(resources=resource(26300, **SENSOR)),
    ),
    ("451", "10300.xml", 5700, latest_with(resources=RESOURCES + resource(5700, **SENSOR)), {}),
    (
        "460",
        "10300.xml",
        5700,
        latest_with(resources=resource(5700, **{**SENSOR, "name": "Value"})),
        {},
    ),
    (
        "461",
        "10300.xml",
        5700,
        latest_with(resources=resource(5700, **{**SENSOR, "ops": "RW"})),
        {},
    ),
    (
        "462",
        "10300.xml",
        5700,
        latest_with(resources=resource(5700, **{**SENSOR, "kind": "Integer"})),
        {},
    ),
    (
        "463",
        "10300.xml",
        5700,
        latest_with(resources=resource(5700, **{**SENSOR, "range_": "0..1"})),
        {},
    ),
    (
        "464",
        "10300.xml",
        5700,
        latest_with(resources=resource(5700, **{**SENSOR, "units": "Cel"})),
        {},
    ),
    (
        "465",
        "10300.xml",
        5700,
        latest_with(
            resources=resource(
                5700, **{**SENSOR, "description": "Last or current measured value from the sensor."}
            )
        ),
        latest_with(
            resources=resource(
                5700,
                **{**SENSOR, "description": "Last or Current\n\tMeasured Value from the Sensor. "},
            )
        ),
    ),
    ("500", "Common.xml", 5700, {"common": common_xml(common_item(5700) + common_item(5700))}, {}),
    (
        "501",
        "Common.xml",
        30000,
        {"common": common_xml(common_item(5700) + common_item(30000))},
        {},
    ),
    ("510", "Common.xml", 5700, {"common": common_xml(common_item(5700, name=""))}, {}),
    ("510", "Common.xml", 5700, {"common": common_xml(common_item(5700, description=""))}, {}),
    ("520", "Common.xml", 5700, {"common": common_xml(common_item(5700, ops="X"))}, {}),
    ("530", "Common.xml", 5700, {"common": common_xml(common_item(5700, kind="Double"))}, {}),
    (
        "531",
        "Common.xml",
        5700,
        {"common": common_xml(common_item(5700, ops="E"))},
        {"common": common_xml(common_item(5700, ops="E", kind=""))},
    ),
    ("541", "Common.xml", 5700, {"common": common_xml(common_item(5700, range_="0 - 5"))}, {}),
    (
        "551",
        "Common.xml",
        5700,
        {"common": common_xml(common_item(5700, units="Celsius"))},
        {"common": common_xml(common_item(5700, units="Cel"))},
    ),
    ("570", "Common.xml", 5700, {"common": common_xml(common_item(5700, description=" "))}, {}),
    ("590", "Common.xml", 5700, {"common": common_xml(common_item(5700, ts_link=""))}, {}),
    ("591", "Common.xml", 5700, {"common": common_xml(common_item(5700, ts_link="2"))}, {}),
    (
        "601",
        "Common.xml",
        5700,
        {"common": common_xml(common_item(5700, name="\u201cV\u201d"))},
        {},
    ),
    (
        "602",
        "Common.xml",
        5700,
        {"common": common_xml(common_item(5700, description="Sensor\u2019s value."))},
        {},
    ),
    ("603", "Common.xml", 5700, {"common": common_xml(common_item(5700, ts_link="\u20181"))}, {}),
    ("604", "Common.xml", 5700, {"common": common_xml(common_item(5700, ops="R\u2019"))}, {}),
    ("605", "Common.xml", 5700, {"common": common_xml(common_item(5700, ts="\u201cx\u201d"))}, {}),
    (
        "700",
        "10300.xml",
        None,
        {
            "latest": object_xml(description1="A tank\u2019s level."),
            "vh_1_1": object_xml(description1="A tank\u2019s level."),
            "ddf": ddf_xml(FIRST + ddf_item(description="A tank\u2019s level.")),
        },
        {},
    ),
    (
        "701",
        "10300.xml",
        None,
        latest_with(description1="A tank."),
        latest_with(description1="A tank's\n       level."),
    ),
    (
        "705",
        "10300.xml",
        None,
        latest_with(description2="\u201cNote\u201d"),
        latest_with(description2='"Note"'),
    ),
    ("800", "10300.xml", None, latest_with(versions="    <LWM2MVersion>1.1</LWM2MVersion>\n"), {}),
    (
        "800",
        "10300.xml",
        None,
        latest_with(
            versions="    <LWM2MVersion></LWM2MVersion>\n    <ObjectVersion>1.1</ObjectVersion>\n"
        ),
        {},
    ),
]


@pytest.mark.parametrize(
    ("code", "where", "rid", "bad", "good"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_each_code_fails_its_fixture_and_passes_the_near_miss(code, where, rid, bad, good):
    found = codes(registry(**bad))
    assert (code, where, rid) in found, sorted(found)
    assert not any(c == code for c, _, _ in codes(registry(**good)))


def test_every_offline_code_has_a_case():
    offline = {code for code, row in CODES.items() if row[3] == "offline"}
    assert offline - {case[0] for case in CASES} == set()


def test_the_line_is_the_line_of_the_element_in_the_file_it_concerns():
    files = registry(**latest_with(resources=resource(0, units="KB")))
    [unit] = [f for f in check_registry(files)["10300.xml"] if f.oma_code == "417"]
    assert files["10300.xml"].decode().splitlines()[unit.line - 1].strip() == "<Units>KB</Units>"
    assert unit.hint == "write a SenML unit: 'KB' is most likely 'KiB'"
    assert (unit.resolve_by, unit.element, unit.severity) == (
        "Submitter",
        "Resource Units",
        "error",
    )

    files = registry(ddf=ddf_xml(FIRST + ddf_item(source="7")))
    [source] = [f for f in check_registry(files)["DDF.xml"] if f.oma_code == "251"]
    assert files["DDF.xml"].decode().splitlines()[source.line - 1].strip() == "<Source>7</Source>"
    assert source.resolve_by == "Maintainer"


def test_a_copy_that_differs_is_reported_at_its_first_differing_line():
    changed = object_xml(description2="Changed.")
    files = registry(vh_1_1=changed)
    [copy] = [
        f for f in check_registry(files)["version_history/10300-1_1.xml"] if f.oma_code == "274"
    ]
    assert changed.splitlines()[copy.line - 1].strip() == "<Description2>Changed.</Description2>"


def test_hints_say_what_to_write():
    files = registry(**latest_with(resources=resource(5700, **{**SENSOR, "units": "Cel"})))
    [unit] = [f for f in check_registry(files)["10300.xml"] if f.oma_code == "464"]
    assert unit.hint == "write <Units></Units> as Common.xml does"
    files = registry(**latest_with(resources=resource(0, range_="0-100")))
    [span] = [f for f in check_registry(files)["10300.xml"] if f.oma_code == "418"]
    assert span.hint == "write '0..100'"
    files = registry(**latest_with(resources=resource(5700, **{**SENSOR, "description": "X"})))
    [text] = [f for f in check_registry(files)["10300.xml"] if f.oma_code == "465"]
    assert "Last or Current Measured Value from the Sensor." in text.hint


def test_line_end_codes_on_the_bytes():
    crlf = object_xml().replace("\n", "\r\n")
    found = {f.oma_code: f for f in check_object(crlf.encode())[0]}
    assert "407" in found and "408" not in found and "406" not in found
    assert found["407"].line == 1
    bare = object_xml().replace("\n", "\r")
    assert {"407", "408", "406"} <= {f.oma_code for f in check_object(bare.encode())[0]}
    no_final = object_xml().rstrip("\n")
    [end] = [f for f in check_object(no_final.encode())[0] if f.oma_code == "406"]
    assert end.line == no_final.count("\n") + 1
    assert not {"406", "407", "408"} & {f.oma_code for f in check_object(object_xml().encode())[0]}


def test_network_codes_are_said_not_checked_never_passed():
    files = registry(
        ddf=ddf_xml(FIRST + ddf_item(ts="http://example.com/ts.pdf")),
        common=common_xml(common_item(5700, ts="http://example.com/ts.pdf")),
    )
    found = [f for fs in check_registry(files).values() for f in fs]
    unchecked = {f.oma_code for f in found if f.severity == "not-checked"}
    assert {"001", "010", "023", "271", "310", "580", "581"} <= unchecked
    assert all(f.message.startswith("not checked") for f in found if f.severity == "not-checked")
    network = {code for code, row in CODES.items() if row[3] == "network"}
    assert not any(f.oma_code in network and f.severity == "error" for f in found)


def test_an_absolute_ddf_link_is_not_checked():
    files = registry(ddf=ddf_xml(FIRST + ddf_item(ddf="https://example.com/objects/tank.xml")))
    found = [f for fs in check_registry(files).values() for f in fs if f.oma_code == "270"]
    assert [f.severity for f in found] == ["not-checked"]


def test_units_come_from_iana_and_the_registrys_own_file():
    units = senml_units.bundled()
    for unit in ("Cel", "KiB", "min", "ms", "/100", "VAh", "NTU", "Ws", "ppt", "dBm", "%RH"):
        assert unit in units
    for unit in ("KB", "minute", "C°", "MB", "bps"):
        assert unit not in units
    assert units.meant("KB") == "KiB" and units.meant("minute") == "min"
    assert units.meant("CEL") == "Cel"
    oma = b"<units><registry><record><value>Pings</value></record></registry></units>"
    files = registry(**latest_with(resources=resource(0, units="Pings")))
    assert ("417", "10300.xml", 0) in codes(files)
    assert ("417", "10300.xml", 0) not in codes({**files, "LWM2M_senml_units.xml": oma})
    assert "Pings" in senml_units.with_registry_file(oma)


def test_a_units_file_that_is_no_xml_is_refused():
    with pytest.raises(senml_units.BadUnitsFile):
        senml_units.parse_oma_units(b"<units>")


def test_entities_are_not_expanded():
    evil = (
        object_xml()
        .replace(
            '<?xml version="1.0" encoding="utf-8"?>\n',
            '<?xml version="1.0"?>\n<!DOCTYPE LWM2M [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n',
        )
        .replace("<Name>Tank</Name>", "<Name>&e;</Name>")
    )
    found, parsed = check_object(evil.encode())
    assert "root:" not in parsed.name


def test_a_zip_is_a_registry_and_one_top_folder_may_wrap_it():
    files = registry(**latest_with(resources=resource(0, units="KB")))
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for path, body in files.items():
            archive.writestr(f"lwm2m-registry-prod/{path}", body)
    results = oma_codes.validate_body(data.getvalue(), name="r.zip")
    found = {(name, f.oma_code) for name, fs in results for f in fs if f.severity == "error"}
    assert found == {("r.zip:10300.xml", "417")}


def test_a_broken_zip_is_refused():
    with pytest.raises(oma_codes.BadValidatorInput):
        oma_codes.validate_body(b"PK\x03\x04broken", name="r.zip")


def test_one_file_against_a_registry_gets_its_entry_and_the_registry_codes_of_its_id():
    files = registry()
    reg = oma_codes.Registry.from_files(files)
    body = object_xml(name="Tanks", resources=resource(0, units="KB")).encode()
    results = dict(oma_codes.validate_object(body, reg, name="mine.xml"))
    mine = {(f.oma_code, f.resource_id) for f in results["mine.xml"]}
    assert {("402", None), ("417", 0)} <= mine
    # As if it were 10300.xml: its version_history copy now differs.
    assert {f.oma_code for f in results["version_history/10300-1_1.xml"]} == {"274"}


def test_a_file_alone_is_checked_without_a_registry():
    [(name, found)] = oma_codes.validate_body(
        object_xml(resources=resource(5701)).encode(), name="a.xml"
    )
    assert name == "a.xml"
    assert [f for f in found if f.severity == "error"] == []  # no Common.xml: 450 not decided


def test_common_and_ddf_checked_alone():
    assert check_common(common_xml().encode()) == []
    found, items = check_ddf(ddf_xml().encode())
    assert [f for f in found if f.severity == "error"] == [] and len(items) == 2
    assert set(read_common(common_xml().encode())) == {5700, 5750}
    assert [item.ver for item in read_ddf(ddf_xml().encode())[0]] == ["1.0", "1.1"]


def test_json_and_markdown():
    files = registry(**latest_with(resources=resource(0, units="KB")))
    results = sorted(check_registry(files).items())
    data = oma_codes.as_json(results)
    finding = next(
        f for entry in data["files"] for f in entry["findings"] if f["oma_code"] == "417"
    )
    assert list(finding) == [
        "oma_code",
        "element",
        "resource_id",
        "line",
        "severity",
        "resolve_by",
        "message",
        "hint",
    ]
    table = oma_codes.markdown_table(results)
    assert table.splitlines()[0] == "Error | Description | ObjID:RID | Resolve By"
    assert "417 | resource 0: 'KB' is not a SenML unit | 10300:0 | Submitter" in table
    assert oma_codes.has_error(results)


def test_a_ddf_xml_against_a_registry_is_checked_against_its_files():
    files = registry(vh_1_0=None)
    reg = oma_codes.Registry.from_files(files)
    results = dict(oma_codes.validate_body(files["DDF.xml"], reg, name="my/DDF.xml"))
    assert {f.oma_code for f in results["my/DDF.xml"] if f.severity == "error"} == {"270", "274"}
    alone = dict(oma_codes.validate_body(files["DDF.xml"], name="my/DDF.xml"))
    assert [f for f in alone["my/DDF.xml"] if f.severity == "error"] == []
