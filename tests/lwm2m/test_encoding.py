"""Encoding a JSON of values in each content format: values typed by the registry's
definitions, and what no payload could hold refused with a clear error."""

import base64
import math

import pytest

from objects.lwm2m import encoding
from objects.lwm2m import values as lv
from objects.lwm2m.content_formats import BY_NAME
from objects.lwm2m.payload import MAX_VALUES, Findings
from objects.lwm2m.registry_model import ObjectModel, ResourceModel


def resource(rid, name, type_, multiple=False):
    return ResourceModel(rid, name, type_, "", "RW" if type_ else "E", multiple, False, "")


MODELS = {
    3303: ObjectModel(
        3303,
        "1.1",
        "Temperature",
        True,
        {
            5700: resource(5700, "Sensor Value", lv.FLOAT),
            5701: resource(5701, "Sensor Units", lv.STRING),
            5605: resource(5605, "Reset Min and Max Measured Values", ""),
        },
    ),
    3: ObjectModel(
        3,
        "1.0",
        "Device",
        True,
        {
            7: resource(7, "Power Source Voltage", lv.INTEGER, multiple=True),
            13: resource(13, "Current Time", lv.TIME),
            22: resource(22, "Opaque thing", lv.OPAQUE),
            23: resource(23, "Link", lv.OBJLNK),
            24: resource(24, "Flag", lv.BOOLEAN),
        },
    ),
}


@pytest.mark.parametrize(
    "type_, value, expected",
    [
        (lv.FLOAT, "Infinity", (math.inf, None)),
        (lv.FLOAT, 2, (2.0, None)),
        (lv.INTEGER, 5, (5, None)),
        (lv.INTEGER, "5", (None, "Integer expects a number")),
        (lv.BOOLEAN, True, (True, None)),
        (lv.BOOLEAN, 1, (None, "Boolean is true or false")),
        (lv.OBJLNK, "3:0", ((3, 0), None)),
        (lv.OBJLNK, 3, (None, 'Objlnk is "O:I"')),
        (lv.OPAQUE, "00 ff", (b"\x00\xff", None)),
        (lv.OPAQUE, "0 0f f", (b"\x00\xff", None)),
        (lv.OPAQUE, 255, (None, "Opaque is written in hex")),
        (lv.OPAQUE, "zz", (None, "Opaque is written in hex")),
        (lv.STRING, "a", ("a", None)),
        (lv.STRING, 1, (None, "String is a string")),
        (lv.CORELNK, "</3/0>", ("</3/0>", None)),
        (lv.CORELNK, None, (None, "Corelnk is a string")),
        ("", 1, (None, "no value of type none (executable)")),
        ("Vector", 1, (None, "no value of type Vector")),
    ],
)
def test_json_to_value(type_, value, expected):
    assert encoding.json_to_value(type_, value) == expected


@pytest.mark.parametrize(
    "value, type_",
    [(True, lv.BOOLEAN), (1, lv.INTEGER), (1.5, lv.FLOAT), ("x", lv.STRING), (None, lv.STRING)],
)
def test_a_value_with_no_definition_is_written_as_its_json_type(value, type_):
    assert encoding.guess_type(value) == type_


@pytest.mark.parametrize(
    "paths, request_path",
    [
        ([(3, 0, 1), (3, 0, 2, 0)], (3, 0)),
        ([(3, 0, 1), (3, 1, 1)], (3,)),
        ([(3, 0, 1), (4, 0, 1)], ()),
    ],
)
def test_the_request_path_is_the_deepest_one_all_values_are_under(paths, request_path):
    assert encoding.common_request(paths) == request_path


@pytest.mark.parametrize(
    "values, request_path, message",
    [
        ({str(i): 1 for i in range(MAX_VALUES + 1)}, (), f"at most {MAX_VALUES} values"),
        ({"/3/0": 1}, (), "'/3/0' is not a resource path (/O/I/R or /O/I/R/RI)"),
        ({"x" * 50: 1}, (), f"{'x' * 40!r} is not a resource path (/O/I/R or /O/I/R/RI)"),
        ({"/3/0/1": 1}, (3, 1), "/3/0/1 is not under the request path /3/1"),
        ({"/3/0/1": 1, "3/0/1": 2}, (), "/3/0/1 twice: a payload holds one value per path"),
        ({"/3/0/1": 1, "3/0/1": "x"}, (), "/3/0/1 twice: a payload holds one value per path"),
        (
            {"/3/0/7/0": 1, "/3/0/7": 2},
            (),
            "/3/0/7 and /3/0/7/0: a resource is one value or its instances, not both",
        ),
    ],
)
def test_values_no_payload_could_hold(values, request_path, message):
    with pytest.raises(encoding.EncodeError) as raised:
        encoding.parse_values(BY_NAME["tlv"], request_path, values)
    assert str(raised.value) == message


def test_values_are_sorted_and_the_request_found():
    parsed, request = encoding.parse_values(
        BY_NAME["senml-json"], (), {"3/0/7/1": 5, "/3/0/13": 0, "/3/0/7/0": 4}
    )
    assert parsed == [((3, 0, 7, 0), 4), ((3, 0, 7, 1), 5), ((3, 0, 13), 0)]
    assert request == (3, 0)
    assert encoding.parse_values(BY_NAME["tlv"], (3,), {"/3/0/13": 0})[1] == (3,)
    most = {f"/3/0/7/{i}": i for i in range(MAX_VALUES)}
    assert len(encoding.parse_values(BY_NAME["tlv"], (), most)[0]) == MAX_VALUES
    with pytest.raises(encoding.EncodeError, match="^the link format holds links, not values$"):
        encoding.parse_values(BY_NAME["link"], (), {"/3/0/13": 0})


def encode(fmt, values, request=()):
    findings = Findings()
    parsed, request = encoding.parse_values(BY_NAME[fmt], request, values)
    return encoding.encode_values(BY_NAME[fmt], request, parsed, MODELS, findings)


@pytest.mark.parametrize(
    "fmt, values, payload",
    [
        # Resource with Value (11), 16-bit ID (1), 8-bit length (01): E8, then 5700 and 8 bytes.
        ("tlv", {"/3303/0/5700": 23.5}, bytes.fromhex("e81644084037800000000000")),
        # A multiple resource (10) of two Resource Instances (01) of 1 byte each.
        ("tlv", {"/3/0/7/0": 4, "/3/0/7/1": 5}, bytes.fromhex("8607 410004 410105")),
        ("tlv", {"/3/0/23": "3:1", "/3/0/24": True}, bytes.fromhex("c417 00030001 c11801")),
        ("senml-json", {"/3303/0/5700": 23.5}, b'[{"bn":"/3303/0/","n":"5700","v":23.5}]'),
        (
            "senml-json",
            {"/3/0/22": "00ff", "/3/0/23": "3:1", "/3/0/24": False, "/3/0/13": 7},
            b'[{"bn":"/3/0/","n":"13","v":7},{"n":"22","vd":"AP8"},{"n":"23","vlo":"3:1"},'
            b'{"n":"24","vb":false}]',
        ),
        (
            "lwm2m-json",
            {"/3/0/22": "00ff", "/3/0/23": "3:1", "/3/0/24": False, "/3303/0/5701": "Cel"},
            b'{"bn":"/","e":[{"n":"3/0/22","sv":"AP8="},{"n":"3/0/23","ov":"3:1"},'
            b'{"n":"3/0/24","bv":false},{"n":"3303/0/5701","sv":"Cel"}]}',
        ),
        # SenML CBOR: an array of one map {-2: "/3303/0/", 0: "5700", 2: 23.5} (cbor2 writes
        # a float in 8 bytes, as any CBOR reader takes).
        (
            "senml-cbor",
            {"/3303/0/5700": 23.5},
            bytes.fromhex("81 a3 21 68 2f333330332f302f 00 64 35373030 02 fb4037800000000000"),
        ),
        ("text", {"/3303/0/5700": 23.5}, b"23.5"),
        ("text", {"/3/0/24": True}, b"1"),
        ("opaque", {"/3/0/22": "00ff"}, b"\x00\xff"),
        ("cbor", {"/3303/0/5700": 23.5}, bytes.fromhex("fb4037800000000000")),
        ("cbor", {"/3303/0/5700": 2}, bytes.fromhex("fb4000000000000000")),
        ("cbor", {"/3/0/13": 1367491215}, bytes.fromhex("c11a5182428f")),
        ("cbor", {"/3/0/23": "3:1"}, b"\x633:1"),
        ("cbor", {"/3/0/24": True}, b"\xf5"),
    ],
)
def test_payloads(fmt, values, payload):
    answer = encode(fmt, values)
    assert bytes.fromhex(answer["PayloadHex"]) == payload
    assert base64.b64decode(answer["PayloadBase64"]) == payload
    assert answer["Format"] == fmt and answer["ContentFormat"] == BY_NAME[fmt].number
    assert answer["Findings"] == []


def test_the_answer_names_the_request_path():
    assert encode("senml-json", {"/3/0/13": 1, "/3303/0/5700": 1.0})["Path"] == "/"
    assert encode("tlv", {"/3/0/13": 1})["Path"] == "/3/0"
    assert encode("tlv", {"/3/0/13": 1}, (3,))["Path"] == "/3"


def test_values_the_registry_does_not_define_are_written_with_a_warning():
    answer = encode("senml-json", {"/3303/0/9999/0": 1, "/3303/0/9999/1": True, "/9/0/1": "x"})
    assert answer["PayloadHex"] == (
        b'[{"bn":"/","n":"9/0/1","vs":"x"},{"n":"3303/0/9999/0","v":1},'
        b'{"n":"3303/0/9999/1","vb":true}]'.hex()
    )
    assert answer["Findings"] == [
        {
            "Severity": "warning",
            "Path": "/9/0/1",
            "Offset": None,
            "Message": "resource /9/0/1 is not in the registry: written as String",
        },
        {
            "Severity": "warning",
            "Path": "/3303/0/9999/0",
            "Offset": None,
            "Message": "resource /3303/0/9999 is not in the registry: written as Integer",
        },
    ]


def test_an_instance_of_a_single_resource_is_an_error_finding():
    answer = encode("senml-json", {"/3303/0/5700/1": 1.5})
    assert answer["Findings"] == [
        {
            "Severity": "error",
            "Path": "/3303/0/5700/1",
            "Offset": None,
            "Message": "Sensor Value is a single resource: no instance 1",
        }
    ]


@pytest.mark.parametrize("fmt", ["tlv", "senml-json", "lwm2m-json", "senml-cbor"])
def test_a_multiple_resource_without_an_instance_is_an_error_finding(fmt):
    """A device reads a multiple resource's value only as its instances: /3/0/7 alone would
    go out as a single value (a TLV Resource, a record without an instance) it cannot take."""
    answer = encode(fmt, {"/3/0/7": 4, "/3/0/13": 0})
    assert answer["Findings"] == [
        {
            "Severity": "error",
            "Path": "/3/0/7",
            "Offset": None,
            "Message": "Power Source Voltage is a multiple resource: give its instances "
            "(/3/0/7/0, ...)",
        }
    ]
    assert encode(fmt, {"/3/0/7/0": 4, "/3/0/13": 0})["Findings"] == []


@pytest.mark.parametrize(
    "fmt, values, request_path, message",
    [
        (
            "tlv",
            {"/3303/0/5605": 1},
            (),
            "/3303/0/5605 (Reset Min and Max Measured Values) is executable: no value",
        ),
        ("tlv", {"/3303/0/5700": "hot"}, (), "/3303/0/5700: Float expects a number"),
        (
            "senml-json",
            {"/3303/0/5700": "Infinity"},
            (),
            "/3303/0/5700: Infinity is no JSON number, so SenML JSON cannot hold it "
            "(TLV, SenML CBOR, CBOR and plain text can)",
        ),
        (
            "lwm2m-json",
            {"/3303/0/5700": "-Infinity"},
            (),
            "/3303/0/5700: -Infinity is no JSON number, so LwM2M JSON (1.0) cannot hold it "
            "(TLV, SenML CBOR, CBOR and plain text can)",
        ),
        ("tlv", {"/3/0/13": 1, "/4/0/1": 1}, (), "TLV needs one object: give the request path"),
        ("text", {"/3/0/13": 1, "/3/0/24": True}, (), "Plain text holds one value, not 2"),
        ("cbor", {"/3/0/13": 1, "/3/0/24": True}, (), "CBOR holds one value, not 2"),
        ("opaque", {"/3/0/13": 1}, (), "the opaque format holds an Opaque value, not a Time"),
    ],
)
def test_values_a_format_cannot_hold(fmt, values, request_path, message):
    with pytest.raises(encoding.EncodeError) as raised:
        encode(fmt, values, request_path)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "fmt, payload",
    [
        ("senml-cbor", bytes.fromhex("81 a3 21 68 2f333330332f302f 00 64 35373030 02 f97c00")),
        ("cbor", bytes.fromhex("f97c00")),
        ("text", b"Infinity"),
        ("tlv", bytes.fromhex("e8164408 7ff0000000000000")),
    ],
)
def test_an_infinite_float_where_a_format_holds_it(fmt, payload):
    assert bytes.fromhex(encode(fmt, {"/3303/0/5700": "Infinity"})["PayloadHex"]) == payload
