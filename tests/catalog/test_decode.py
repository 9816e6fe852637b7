"""Payloads decoded against the fixture registry: names, types, units and the registry's
findings (unknown object or resource, wrong type, RangeEnumeration, not writable, mandatory
missing), and encoding back."""

import json
import math

import pytest

from objects.catalog import decode
from objects.lwm2m import content_formats as cf
from objects.lwm2m import device, encoding, registry_model, tlv, typed_payload
from objects.lwm2m import values as lv
from objects.lwm2m.payload import Findings
from objects.templatetags import payloads

pytestmark = pytest.mark.django_db


def run(fmt, data, request=(), versions=None, operation="read"):
    if isinstance(data, str):
        data = data.encode()
    return decode.decode(cf.BY_NAME[fmt], data, request, versions or {}, operation)


def tlv_instance(*resources):
    return tlv.encode([tlv.Tlv(tlv.RESOURCE, rid, value=value) for rid, value in resources])


def messages(result, severity=None):
    return [f.message for f in result.findings if severity in (None, f.severity)]


def test_names_types_units_from_the_registry(synced):
    data = tlv_instance((5700, lv.to_tlv(lv.FLOAT, 23.5)), (5701, b"Cel"))
    result = run("tlv", data, (3303, 0))
    assert [n.as_json() for n in result.nodes] == [
        {"Path": "/3303/0/5700", "Name": "Sensor Value", "Type": "Float", "Value": 23.5,
         "Units": ""},
        {"Path": "/3303/0/5701", "Name": "Sensor Units", "Type": "String", "Value": "Cel",
         "Units": ""},
    ]  # fmt: skip
    assert result.findings == []
    pressure = run("senml-json", '[{"bn":"/10241/0/1","v":101.3}]', (10241, 0, 1))
    assert pressure.nodes[0].as_json()["Units"] == "kPa"
    assert pressure.nodes[0].resource_url == "/objects/10241/#resource-1"


def test_every_type_in_json(synced):
    pack = [
        {"bn": "/3/0/", "n": "0", "vs": "ACME"},
        {"n": "9", "v": 80},
        {"n": "22/0", "vlo": "3303:1"},
        {"n": "22/1", "vlo": "3304:0"},
    ]
    result = run("senml-json", json.dumps(pack), (3, 0))
    assert [(n.path_text, n.type, n.json_value) for n in result.nodes] == [
        ("/3/0/0", "String", "ACME"),
        ("/3/0/9", "Unsigned Integer", 80),
        ("/3/0/22/0", "Objlnk", "3303:1"),
        ("/3/0/22/1", "Objlnk", "3304:0"),
    ]
    assert [key for key, _ in result.groups[0][1]] == [0, 9, 22]  # instances grouped
    assert len(result.groups[0][1][2][1]) == 2


def test_an_unknown_object_and_an_unknown_resource_are_warnings(synced):
    result = run("senml-json", '[{"bn":"/9999/0/1","v":1},{"bn":"/3303/0/77","vd":"AQ"}]')
    assert [(n.path_text, n.type, n.json_value) for n in result.nodes] == [
        ("/9999/0/1", "Integer", 1),
        ("/3303/0/77", "Opaque", "01"),
    ]
    assert [f.severity for f in result.findings] == ["warning", "warning"]
    assert "9999 is not in the registry" in result.findings[0].message
    assert "resource 77 is not defined by object 3303" in result.findings[1].message
    # An unknown resource in TLV has no type: Opaque, as Leshan reads it.
    result = run("tlv", tlv_instance((77, b"\x01\x02")), (3303, 0))
    assert result.nodes[0].json_value == "0102" and result.nodes[0].type == "Opaque"


@pytest.mark.parametrize(
    "fmt, payload, asked, words",
    [
        ("senml-json", '[{"bn":"/3303/0/5700","vs":"hot"}]', (), "a string for a Float"),
        ("senml-json", '[{"bn":"/3/0/9","v":-1}]', (), "outside the range of Unsigned"),
        ("senml-json", '[{"bn":"/3/0/9","v":1.5}]', (), "whole number"),
        ("senml-json", '[{"bn":"/3/0/0","vb":true}]', (), "a boolean for a String"),
        ("senml-json", '[{"bn":"/3/0/22/0","vlo":"3303"}]', (), "O:I"),
        ("senml-json", '[{"bn":"/3/0/4","vs":""}]', (), "executable"),
        ("tlv", "e21644abcd", (3303, 0, 5700), "Float is 4 or 8 bytes"),
        ("text", "abc", (3303, 0, 5700), "not a number"),
        ("cbor", "63616263", (3303, 0, 5700), "a string for a Float"),
        ("opaque", "x", (3303, 0, 5700), "opaque bytes for a Float"),
    ],
)
def test_a_value_not_of_its_resource_s_type_is_an_error(synced, fmt, payload, asked, words):
    data = bytes.fromhex(payload) if fmt in ("tlv", "cbor") else payload.encode()
    result = run(fmt, data, asked)
    errors = messages(result, "error")
    assert any(words in m for m in errors), errors
    assert result.findings[0].offset is not None or fmt in ("text", "opaque", "cbor")


def test_a_single_resource_with_instances_is_an_error(synced):
    result = run("senml-json", '[{"bn":"/3303/0/5700/0","v":1.5}]')
    assert any("single resource" in m for m in messages(result, "error"))


def test_range_enumeration(synced):
    result = run("senml-json", '[{"bn":"/3/0/9","v":101}]')
    assert messages(result) == ["Battery Level: 101 is outside 0..100 (its RangeEnumeration)"]
    assert result.findings[0].severity == "warning"
    assert run("senml-json", '[{"bn":"/3/0/9","v":100}]').findings == []
    result = run("senml-json", '[{"bn":"/10241/0/2","v":1000.5}]')
    assert "outside 0..1000" in messages(result)[0]


def test_a_write_to_a_resource_that_is_not_writable(synced):
    payload = '[{"bn":"/3303/0/","n":"5750","vs":"x"},{"n":"5700","v":1}]'
    result = run("senml-json", payload, (3303, 0), operation="write")
    assert messages(result, "error") == ["Sensor Value is not writable (operations R)"]
    assert result.findings[0].path == "/3303/0/5700"
    assert run("senml-json", payload, (3303, 0)).findings == []  # a read answer


def test_mandatory_resources_missing_from_a_whole_instance(synced):
    result = run("senml-json", '[{"bn":"/3303/0/","n":"5701","vs":"Cel"}]', (3303, 0))
    assert messages(result) == ["mandatory resource 5700 (Sensor Value) is missing from instance 0"]
    # Reboot (4) is mandatory but executable: no read answer holds it.
    result = run("senml-json", '[{"bn":"/3/0/0","vs":"ACME"}]', (3, 0))
    assert result.findings == []
    # A single resource's read is no whole instance.
    result = run("senml-json", '[{"bn":"/3303/0/5701","vs":"Cel"}]', (3303, 0, 5701))
    assert result.findings == []


def test_the_object_versions_in_use(synced):
    data = tlv_instance((9, b"\xff"))
    newer = run("tlv", data, (3, 0))  # 1.1: Unsigned Integer, read as Leshan reads it
    assert newer.nodes[0].json_value == 2**64 - 1
    assert "read unsigned it would be 255" in messages(newer)[0]
    assert run("tlv", tlv_instance((9, b"\x00\xff")), (3, 0)).nodes[0].json_value == 255
    older = run("tlv", data, (3, 0), versions={3: "1.0"})
    assert older.nodes[0].type == "Integer" and older.nodes[0].json_value == -1
    assert older.nodes[0].object_url == "/objects/3/1.0/"
    missing = run("tlv", data, (3, 0), versions={3: "2.5"})
    assert any("no version 2.5" in m for m in messages(missing)) and missing.nodes[0].ver == "1.1"
    findings = Findings()
    assert device.parse_versions("3=1.0, 3303@1.1", findings) == {3: "1.0", 3303: "1.1"}
    # A registration's versions in force: ver=, else the default (1.0 for LwM2M 1.0).
    assert device.parse_versions("</3>;ver=1.0,</3303/0>", findings) == {3: "1.0", 3303: "1.0"}


def test_a_registration_lists_its_objects(synced):
    result = run("link", '</>;rt="oma.lwm2m",</3/0>;ver=1.0,</3303/0>,</3303/1>,</9999/0>')
    assert result.as_json()["Links"][1] == {"Path": "/3/0", "Attributes": {"ver": "1.0"}}
    announced = {entry.object_id: (entry.version, entry.instances, model and model.ver)
                 for entry, model in result.announced}  # fmt: skip
    assert announced == {3: ("1.0", [0], "1.0"), 3303: ("", [0, 1], "1.1"), 9999: ("", [0], None)}
    assert messages(result) == ["object 9999 is not in the registry"]
    result = run("link", "</3/0>;ver=1.7")
    assert "announced at version 1.7" in messages(result)[0]


def test_time_and_opaque_on_the_page():
    node = typed_payload.Node((3, 0, 13), 1367491215, type=lv.TIME)
    assert payloads.iso_time(node) == "2013-05-02T10:40:15Z" and node.json_value == 1367491215
    node = typed_payload.Node((3, 0, 99), b"hi", type=lv.OPAQUE)
    assert payloads.shown(node) == "6869" and payloads.opaque_text(node) == "hi"
    assert payloads.shown(typed_payload.Node((3, 0, 1), False, type=lv.BOOLEAN)) == "false"


def test_encode_in_every_format_and_decode_back(synced):
    values = {"/3/0/0": "ACME", "/3/0/9": 80, "/3/0/22/0": "3303:1"}
    for fmt in ("tlv", "senml-json", "senml-cbor", "lwm2m-json"):
        answer = decode.encode(cf.BY_NAME[fmt], (3, 0), values, {}, Findings())
        assert answer["Findings"] == []
        result = run(fmt, bytes.fromhex(answer["PayloadHex"]), (3, 0))
        assert {n.path_text: n.json_value for n in result.nodes} == values, fmt
    answer = decode.encode(cf.BY_NAME["tlv"], (3303, 0), {"/3303/0/5700": 23.5}, {}, Findings())
    assert answer["PayloadHex"] == "e816440840378000" + "00000000"
    for fmt, hex_ in (("text", "3234"), ("cbor", "1818"), ("opaque", None)):
        if hex_ is None:
            with pytest.raises(encoding.EncodeError):
                decode.encode(cf.BY_NAME[fmt], (3, 0, 9), {"/3/0/9": 24}, {}, Findings())
            continue
        answer = decode.encode(cf.BY_NAME[fmt], (3, 0, 9), {"/3/0/9": 24}, {}, Findings())
        assert answer["PayloadHex"] == hex_


@pytest.mark.parametrize(
    "values, words",
    [
        ({"/3/0": 1}, "not a resource path"),
        ({"/3/0/9": "x"}, "expects a number"),
        ({"/3/0/4": 1}, "executable"),
        ({"/3/0/22/0": "x"}, "O:I"),
        ({"/4/0/1": 1}, "not under the request path"),
    ],
)
def test_encode_refuses_what_it_cannot_write(synced, values, words):
    with pytest.raises(encoding.EncodeError, match=words):
        decode.encode(cf.BY_NAME["tlv"], (3, 0), values, {}, Findings())


@pytest.mark.parametrize("fmt", ["tlv", "senml-json", "senml-cbor", "lwm2m-json"])
@pytest.mark.parametrize(
    "values, words",
    [
        ({"/3303/0/5700": 1, "3303/0/5700": 2}, "/3303/0/5700 twice"),
        ({"/3/0/7/0": 1, "/3/0/7/00": 2}, "/3/0/7/0 twice"),
        ({"/3/0/7": 1, "/3/0/7/0": 2}, "one value or its instances"),
        ({"/3/0/7/1": 1, "/3/0/7": 2, "/3/0/8": 3}, "one value or its instances"),
    ],
)
def test_encode_refuses_a_path_twice_or_a_resource_both_ways(synced, fmt, values, words):
    # Either would be written as one of them, the other dropped unsaid (TLV keeps the last).
    with pytest.raises(encoding.EncodeError, match=words):
        decode.encode(cf.BY_NAME[fmt], (), values, {}, Findings())


def test_encode_refuses_nan_and_infinity_where_json_has_no_number(synced):
    for value in (math.inf, -math.inf, math.nan, "Infinity", "NaN"):
        for fmt in ("senml-json", "lwm2m-json"):
            with pytest.raises(encoding.EncodeError, match="no JSON number"):
                decode.encode(cf.BY_NAME[fmt], (), {"/3303/0/5700": value}, {}, Findings())
    # Formats that have them write them: a decode's "Infinity" encodes back.
    answer = decode.encode(cf.BY_NAME["tlv"], (), {"/3303/0/5700": "-Infinity"}, {}, Findings())
    assert answer["PayloadHex"] == "e8164408fff0000000000000"
    answer = decode.encode(cf.BY_NAME["senml-cbor"], (), {"/3303/0/5700": math.nan}, {}, Findings())
    assert math.isnan(run("senml-cbor", bytes.fromhex(answer["PayloadHex"])).nodes[0].value)


def test_byte_ranges_count_utf8_bytes_not_characters():
    text = registry_model.ResourceModel(1, "Name", lv.STRING, "", "RW", False, False, "4 bytes")
    assert typed_payload.range_problem(text, "éé") == ""  # 4 bytes
    assert (
        typed_payload.range_problem(text, "ééé") == "6 bytes long, outside 4 bytes"
    )  # 3 characters
    between = registry_model.ResourceModel(
        1, "Name", lv.OPAQUE, "", "RW", False, False, "2-3 bytes"
    )
    assert [typed_payload.range_problem(between, b"x" * n) != "" for n in (1, 2, 3, 4)] == [
        True, False, False, True,
    ]  # fmt: skip
    assert typed_payload.range_problem(between, "é") == "" and typed_payload.range_problem(
        between, "éé"
    )


def test_an_empty_tlv_is_an_empty_multiple_resource_but_no_single_one(synced):
    result = run("tlv", b"", (3, 0, 22))
    assert result.findings == [] and result.nodes[0].empty  # shown on the page
    assert result.as_json()["Nodes"] == []  # no value to answer
    result = run("tlv", b"", (3, 0, 9))
    assert messages(result, "error") == [
        "Battery Level is a single resource: a payload without its value"
    ]


def test_an_empty_answer_to_a_single_resource_or_an_instance_is_an_error(synced):
    for fmt, empty in (("senml-json", "[]"), ("senml-cbor", b"\x80"), ("lwm2m-json", '{"e":[]}')):
        assert messages(run(fmt, empty, (3, 0, 9)), "error") == [
            "Battery Level is a single resource: a payload without its value"
        ]
        assert run(fmt, empty, (3, 0, 22)).findings == []  # an empty multiple resource
        assert messages(run(fmt, empty, (3, 0, 22, 1)), "error")


def test_cbor_times_tagged_1_or_0(synced):
    import cbor2

    for item in (cbor2.CBORTag(1, 1367491215), cbor2.CBORTag(0, "2013-05-02T10:40:15Z")):
        result = run("cbor", cbor2.dumps(item), (3303, 0, 5700))
        assert "a CBOR time for a Float" in messages(result, "error")[0]


def test_a_time_read_from_each_kind():
    from objects.lwm2m.payload import RawValue

    path = (3, 0, 13)
    cases = [
        (RawValue(path, "time", 1367491215), (1367491215, None)),
        (RawValue(path, "time", "2013-05-02T10:40:15Z"), (1367491215, None)),
        (RawValue(path, "number", 1.638435e9), (1638435000, None)),
        (RawValue(path, "text", "1367491215"), (1367491215, None)),
        (RawValue(path, "bytes", bytes.fromhex("5182428f")), (1367491215, None)),
    ]
    for raw, expected in cases:
        assert typed_payload.read_as(raw, lv.TIME) == expected
    assert typed_payload.read_as(RawValue(path, "time", 1.5), lv.TIME)[1]
