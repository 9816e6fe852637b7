"""Decoded values read against the registry's definitions, in plain Python: types, and the
findings only the definitions can make, each message word for word (models written here, so
these run with the package's fast tests; tests/catalog/test_decode.py reads the database's)."""

import pytest

from objects.lwm2m import typed_payload as tp
from objects.lwm2m.content_formats import FORMATS
from objects.lwm2m.payload import Findings, PayloadFinding, RawValue
from objects.lwm2m.registry_model import ObjectModel, ResourceModel

TLV, SENML = FORMATS[0], FORMATS[1]


def resource(rid, name, type_, operations="R", multiple=False, mandatory=False, range_=""):
    return ResourceModel(rid, name, type_, "", operations, multiple, mandatory, range_)


MODELS = {
    3: ObjectModel(3, "1.1", "Device", True, {
        0: resource(0, "Manufacturer", "String"),
        4: resource(4, "Reboot", "", "E", mandatory=True),
        6: resource(6, "Available Power Sources", "Integer", multiple=True, range_="0..7"),
        9: resource(9, "Battery Level", "Integer", range_="0..100"),
        11: resource(11, "Error Code", "Integer", multiple=True, mandatory=True, range_="0..32"),
        13: resource(13, "Current Time", "Time", "RW"),
        16: resource(16, "Supported Binding and Modes", "String", mandatory=True),
        17: resource(17, "Device Type", "String", range_="1..4"),
        21: resource(21, "Memory Total", "Unsigned Integer"),
        22: resource(22, "ExtDevInfo", "Objlnk", multiple=True),
        23: resource(23, "Links", "Corelnk"),
        24: resource(24, "Key", "Opaque", "W"),
        25: resource(25, "Flag", "Boolean", "RW"),
        26: resource(26, "Ratio", "Float"),
        # Operations left empty, as object 20's resource 4016 in the registry.
        27: resource(27, "Spare", "String", ""),
    }, url="/objects/3/"),
}  # fmt: skip


def decode(raws, request=(3, 0), operation="read", fmt=SENML):
    result = tp.DecodedPayload(fmt, request=request)
    return tp.type_values(result, raws, MODELS, operation)


def findings(result):
    return [(f.severity, f.message, f.path, f.offset) for f in result.findings]


def test_a_value_takes_its_resource_name_type_and_page():
    result = decode([RawValue((3, 0, 9), "number", 80, 5)], request=(3, 0, 9))
    (node,) = result.nodes
    assert (node.name, node.type, node.value, node.object_name, node.ver) == (
        "Battery Level", "Integer", 80, "Device", "1.1"
    )  # fmt: skip
    assert (node.known_object, node.known_resource, node.bad, node.multiple) == (
        True, True, False, False
    )  # fmt: skip
    assert (node.resource_url, node.path_text, node.object_id, node.resource_id) == (
        "/objects/3/#resource-9", "/3/0/9", 3, 9
    )  # fmt: skip
    assert node.resource_instance is None and findings(result) == []
    assert result.as_json() == {
        "Format": "senml-json",
        "ContentFormat": 110,
        "Nodes": [{"Path": "/3/0/9", "Name": "Battery Level", "Type": "Integer", "Value": 80,
                   "Units": ""}],
        "Findings": [],
    }  # fmt: skip


@pytest.mark.parametrize(
    "raw, expected",
    [
        # (kind, value) as a format says it, read by the resource's type.
        (RawValue((3, 0, 9), "bytes", b"\x50"), ("Integer", 80)),
        (RawValue((3, 0, 9), "text", "80"), ("Integer", 80)),
        (RawValue((3, 0, 26), "number", 1), ("Float", 1.0)),
        (RawValue((3, 0, 25), "boolean", True), ("Boolean", True)),
        (RawValue((3, 0, 24), "opaque", bytearray(b"\x01")), ("Opaque", b"\x01")),
        (RawValue((3, 0, 24), "string", "AAH/", extra={"base64": True}),
         ("Opaque", b"\x00\x01\xff")),
        (RawValue((3, 0, 22, 0), "objlnk", "3303:0"), ("Objlnk", (3303, 0))),
        (RawValue((3, 0, 22, 0), "string", "3303:1", extra={"base64": True}),
         ("Objlnk", (3303, 1))),
        (RawValue((3, 0, 22, 0), "string", "3303:2", extra={"cbor": True}),
         ("Objlnk", (3303, 2))),
        (RawValue((3, 0, 13), "time", 1700000000.0), ("Time", 1700000000)),
        (RawValue((3, 0, 13), "time", "2023-11-14T22:13:20Z"), ("Time", 1700000000)),
        (RawValue((3, 0, 0), "string", "ACME"), ("String", "ACME")),
        (RawValue((3, 0, 23), "string", "</3/0>"), ("Corelnk", "</3/0>")),
    ],
)  # fmt: skip
def test_values_read_by_their_resource_type(raw, expected):
    result = decode([raw], operation="write" if raw.path[2] in (13, 24, 25) else "read",
                    request=raw.path)  # fmt: skip
    (node,) = result.nodes
    assert (node.type, node.value) == expected
    assert type(node.value) is type(expected[1])
    assert not node.bad


@pytest.mark.parametrize(
    "raw, problem",
    [
        (RawValue((3, 0, 9), "number", 1.5), "Integer expects a whole number, not 1.5"),
        (RawValue((3, 0, 0), "number", 7), "a number (7) for a String"),
        (RawValue((3, 0, 9), "boolean", True), "a boolean for a Integer"),
        (RawValue((3, 0, 9), "opaque", b"\x01"), "opaque bytes for a Integer"),
        (RawValue((3, 0, 9), "objlnk", "1:2"), "an object link for a Integer"),
        (RawValue((3, 0, 9), "time", 5), "a CBOR time for a Integer"),
        (RawValue((3, 0, 13), "time", True), "a CBOR time is a number of seconds or a date text"),
        (RawValue((3, 0, 13), "time", [1]), "a CBOR time is a number of seconds or a date text"),
        (RawValue((3, 0, 13), "time", 1.5), "1.5 is no whole number of seconds"),
        (RawValue((3, 0, 13), "time", float("inf")), "inf is no whole number of seconds"),
        (RawValue((3, 0, 13), "time", 2**63),
         "9223372036854775808 is outside the range of Time "
         "(-9223372036854775808 to 9223372036854775807)"),
        (RawValue((3, 0, 9), "string", "80"), "a string for a Integer"),
        (RawValue((3, 0, 24), "string", "AAH/"), "a string for a Opaque"),
        (RawValue((3, 0, 22, 0), "string", "1:2"), "a string for a Objlnk"),
        (RawValue((3, 0, 9), "nonsense", 1), "no value of type Integer (nonsense)"),
        (RawValue((3, 0, 9), "bytes", b"\x00\x01\x02\x03\x04\x05\x06\x07\x08"),
         "Integer is 1, 2, 4 or 8 bytes in TLV, not 9"),
        (RawValue((3, 0, 9), "text", "x"), None),
    ],
)  # fmt: skip
def test_a_value_not_of_its_type_is_an_error_that_says_why(raw, problem):
    result = decode([RawValue(raw.path, raw.kind, raw.value, 4, extra=raw.extra)],
                    operation="write", request=raw.path)  # fmt: skip
    (node,) = result.nodes
    assert node.bad
    errors = [f for f in findings(result) if f[0] == "error"]
    name, type_ = MODELS[3].resources[raw.path[2]].name, MODELS[3].resources[raw.path[2]].type
    prefix = f"not a value of {name} ({type_}): "
    assert errors[0][1].startswith(prefix) and errors[0][2:] == (tp.path_text(raw.path), 4)
    if problem is not None:
        assert errors[0][1] == prefix + problem


@pytest.mark.parametrize(
    "raw, expected",
    [
        (RawValue((3, 0, 99), "bytes", b"\x01"), ("Opaque", b"\x01")),
        (RawValue((3, 0, 99), "opaque", bytearray(b"\x02")), ("Opaque", b"\x02")),
        (RawValue((3, 0, 99), "boolean", False), ("Boolean", False)),
        (RawValue((3, 0, 99), "number", 2.5), ("Float", 2.5)),
        (RawValue((3, 0, 99), "number", 2), ("Integer", 2)),
        (RawValue((3, 0, 99), "objlnk", "1:2"), ("Objlnk", (1, 2))),
        (RawValue((3, 0, 99), "objlnk", "1-2"), ("String", "1-2")),
        (RawValue((3, 0, 99), "time", 5), ("Time", 5)),
        (RawValue((3, 0, 99), "time", "2023"), ("Time", None)),
        (RawValue((3, 0, 99), "string", "s"), ("String", "s")),
        (RawValue((3, 0, 99), "text", "t"), ("String", "t")),
        (RawValue((3, 0, 99), "nonsense", 1), ("", None)),
    ],
)
def test_a_value_of_no_defined_resource_is_read_as_its_format_says(raw, expected):
    result = decode([RawValue(raw.path, raw.kind, raw.value, 2)], request=(3, 0, 99))
    (node,) = result.nodes
    assert (node.type, node.value) == expected
    assert (node.known_object, node.known_resource, node.resource_url) == (True, False, "")
    assert findings(result) == [
        ("warning", "resource 99 is not defined by object 3 (Device, version 1.1)", "/3/0/99", 2)
    ]


def test_unknown_objects_and_resources_are_warned_of_once():
    # Once per object, once per resource of an instance (its resource instances too).
    raws = [RawValue((4242, 0, 1), "number", 1, 0), RawValue((4242, 1, 2), "number", 2, 3),
            RawValue((3, 0, 99), "number", 1, 6), RawValue((3, 1, 99), "number", 1, 9),
            RawValue((3, 0, 99), "number", 1, 12), RawValue((3, 0, 98, 0), "number", 1, 15),
            RawValue((3, 0, 98, 1), "number", 1, 18)]  # fmt: skip
    result = decode(raws, request=())
    assert findings(result) == [
        ("warning", "object 4242 is not in the registry: its values are read without types",
         "/4242", 0),
        ("warning", "resource 99 is not defined by object 3 (Device, version 1.1)", "/3/0/99", 6),
        ("warning", "resource 99 is not defined by object 3 (Device, version 1.1)", "/3/1/99", 9),
        ("warning", "resource 98 is not defined by object 3 (Device, version 1.1)", "/3/0/98/0",
         15),
    ]  # fmt: skip
    assert [n.known_object for n in result.nodes] == [False, False, True, True, True, True, True]


def test_an_executable_resource_has_no_value():
    result = decode([RawValue((3, 0, 4), "number", 1, 7)], operation="write", request=(3, 0, 4))
    (node,) = result.nodes
    assert (node.bad, node.type, node.value) == (True, "Integer", 1)
    assert findings(result) == [
        ("error", "resource 4 (Reboot) is executable: it has no value", "/3/0/4", 7),
        ("error", "Reboot is not writable (operations E)", "/3/0/4", 7),
    ]


def test_empty_multiple_and_single_resources():
    # TLV's empty Multiple Resource: a resource with no instances.
    result = decode([RawValue((3, 0, 6), "bytes", None, 0, multiple=True)], request=(3, 0, 6))
    (node,) = result.nodes
    assert node.empty and not node.bad and node.multiple
    assert (node.name, node.type, node.known_resource) == ("Available Power Sources", "Integer",
                                                            True)  # fmt: skip
    assert findings(result) == [] and result.as_json()["Nodes"] == []
    result = decode([RawValue((3, 0, 9), "bytes", None, 3)], request=(3, 0, 9))
    assert result.nodes[0].bad and not result.nodes[0].empty
    assert findings(result) == [
        ("error", "Battery Level is a single resource: a payload without its value", "/3/0/9", 3)
    ]
    result = decode([RawValue((3, 0, 99), "bytes", None, 3)], request=(3, 0, 99))
    assert not result.nodes[0].known_resource and result.nodes[0].value is None


@pytest.mark.parametrize(
    "request_path, expected",
    [
        ((3, 0, 9), [("error", "Battery Level is a single resource: a payload without its value",
                      "/3/0/9", None)]),
        ((3, 0, 6), []),
        ((3, 0, 6, 1), [("error", "no value for the resource instance /3/0/6/1", "/3/0/6/1",
                         None)]),
        ((3, 0, 99), []),
        ((4242, 0, 1), []),
    ],
)  # fmt: skip
def test_an_answer_without_values(request_path, expected):
    assert findings(decode([], request=request_path)) == expected


def test_tlv_sizes_leshan_reads_are_warned_of():
    result = decode([RawValue((3, 0, 9), "bytes", b"\x00\x00\x50", 1)], request=(3, 0, 9))
    assert result.nodes[0].value == 80
    assert findings(result) == [
        ("warning", "Integer in 3 bytes: TLV allows 1, 2, 4 or 8", "/3/0/9", 1)
    ]
    result = decode([RawValue((3, 0, 21), "bytes", b"\xff", 1)], request=(3, 0, 21))
    assert result.nodes[0].value == 2**64 - 1
    assert findings(result) == [
        ("warning", "1-byte Unsigned Integer with its high bit set: read as Leshan reads (and "
         "writes) it, 18446744073709551615; read unsigned it would be 255", "/3/0/21", 1)
    ]  # fmt: skip
    result = decode([RawValue((3, 0, 21), "bytes", b"\x7f", 1)], request=(3, 0, 21))
    assert findings(result) == []


@pytest.mark.parametrize("rid", [9, 13])
@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 6, 7, 8])
def test_integer_and_time_sizes_tlv_does_not_allow_are_warned_of(rid, size):
    # TLV writes an Integer or a Time in 1, 2, 4 or 8 bytes; Leshan reads the sizes between too.
    raw = RawValue((3, 0, rid), "bytes", bytes(size - 1) + b"\x50", 1)
    result = decode([raw], request=raw.path)
    assert result.nodes[0].value == 80 and not result.nodes[0].bad
    type_ = MODELS[3].resources[rid].type
    assert findings(result) == (
        [] if size in (1, 2, 4, 8)
        else [("warning", f"{type_} in {size} bytes: TLV allows 1, 2, 4 or 8", f"/3/0/{rid}", 1)]
    )  # fmt: skip


def test_a_corelnk_value_is_parsed_as_link_format():
    result = decode([RawValue((3, 0, 23), "string", "</3/0>;;,3/0", 2)], request=(3, 0, 23))
    assert result.nodes[0].bad
    # The first error only.
    assert findings(result) == [
        ("error", "not a CoRE link: a ';' with no parameter name after it", "/3/0/23", 2)
    ]
    result = decode([RawValue((3, 0, 23), "string", "</3/0>,</3/1>", 2)], request=(3, 0, 23))
    assert not result.nodes[0].bad and findings(result) == []


@pytest.mark.parametrize(
    "raw, expected",
    [
        (RawValue((3, 0, 9), "number", 101, 1),
         [("warning", "Battery Level: 101 is outside 0..100 (its RangeEnumeration)", "/3/0/9", 1)]),
        (RawValue((3, 0, 9), "number", 100, 1), []),
        (RawValue((3, 0, 17), "string", "abcde", 1),
         [("warning", "Device Type: 5 bytes long, outside 1..4 (its RangeEnumeration)",
           "/3/0/17", 1)]),
        (RawValue((3, 0, 11, 0), "number", 33, 1),
         [("warning", "Error Code: 33 is outside 0..32 (its RangeEnumeration)", "/3/0/11/0", 1)]),
        # A bad value is not held to the range.
        (RawValue((3, 0, 9), "number", 101.5, 1),
         [("error", "not a value of Battery Level (Integer): Integer expects a whole number, "
           "not 101.5", "/3/0/9", 1)]),
    ],
)  # fmt: skip
def test_values_outside_their_range(raw, expected):
    assert findings(decode([raw], request=raw.path)) == expected


def test_an_instance_of_a_single_resource_is_an_error():
    result = decode([RawValue((3, 0, 9, 2), "number", 1, 0)], request=(3, 0, 9))
    assert result.nodes[0].multiple and result.nodes[0].resource_instance == 2
    assert findings(result) == [
        ("error", "Battery Level is a single resource: it has no instance 2", "/3/0/9/2", 0)
    ]


@pytest.mark.parametrize(
    "rid, operation, expected",
    [
        (24, "read", [("warning", "Key is not readable (operations W): no read answer holds it",
                       "/3/0/24", 0)]),
        (25, "read", []),
        (9, "write", [("error", "Battery Level is not writable (operations R)", "/3/0/9", 0)]),
        (25, "write", []),
        (27, "read", []),
        (27, "write", [("error", "Spare is not writable (operations none)", "/3/0/27", 0)]),
    ],
)  # fmt: skip
def test_operations(rid, operation, expected):
    kind, value = {24: ("opaque", b"\x01"), 25: ("boolean", True), 9: ("number", 1),
                   27: ("string", "s")}[rid]  # fmt: skip
    result = decode([RawValue((3, 0, rid), kind, value, 0)], (3, 0, rid), operation)
    assert findings(result) == expected


def test_a_whole_instance_read_holds_every_mandatory_readable_resource():
    raws = [RawValue((3, 0, 16), "string", "U", 0)]
    result = decode(raws, request=(3, 0))
    # Reboot (4) is mandatory but not readable; Error Code (11) is missing.
    assert findings(result) == [
        ("warning", "mandatory resource 11 (Error Code) is missing from instance 0", "/3/0/11",
         None)
    ]  # fmt: skip
    result = decode([], request=(3, 1))
    assert [f[1] for f in findings(result)] == [
        "mandatory resource 11 (Error Code) is missing from instance 1",
        "mandatory resource 16 (Supported Binding and Modes) is missing from instance 1",
    ]
    # Every instance of an object read, and none when the object is unknown or it is a write.
    raws = [RawValue((3, 2, 11, 0), "number", 0, 0), RawValue((3, 5, 16), "string", "U", 9)]
    assert [f[2] for f in findings(decode(raws, request=(3,)))] == ["/3/2/16", "/3/5/11"]
    assert findings(decode(raws[1:], request=(3, 5), operation="write")) == [
        ("error", "Supported Binding and Modes is not writable (operations R)", "/3/5/16", 9)
    ]
    assert findings(decode([], request=(4242, 0))) == []


def test_groups_and_findings_in_payload_order():
    raws = [
        RawValue((3, 0, 6, 0), "number", 1, 20),
        RawValue((3, 0, 9), "number", 101, 10),
        RawValue((3, 0, 6, 1), "number", 9, 30),
        RawValue((3, 1, 9), "number", 5, 40),
    ]
    result = decode(raws, request=())
    assert [(key, [(rid, [n.path for n in nodes]) for rid, nodes in resources])
            for key, resources in result.groups] == [
        ((3, 0), [(6, [(3, 0, 6, 0), (3, 0, 6, 1)]), (9, [(3, 0, 9)])]),
        ((3, 1), [(9, [(3, 1, 9)])]),
    ]  # fmt: skip
    assert [f[3] for f in findings(result)] == [10, 30]


def test_times_and_links_in_json():
    node = tp.Node((3, 0, 13), 5, type="Time", time=1.5)
    assert node.as_json() == {"Path": "/3/0/13", "Name": "", "Type": "Time", "Value": 5,
                              "Units": "", "Time": 1.5}  # fmt: skip
    assert "Time" not in tp.Node((3, 0, 13), 5, type="Time").as_json()
    result = tp.DecodedPayload(FORMATS[4], links=[])
    assert result.as_json() == {"Format": "link", "ContentFormat": 40, "Links": [],
                                "Findings": []}  # fmt: skip


def test_a_value_keeps_the_time_its_payload_gives_it():
    # SenML's t (and bt), LwM2M JSON's t (and bt): the node's Time in the answer.
    raws = [RawValue((3, 0, 9), "number", 80, 2, time=1700000000.5),
            RawValue((3, 0, 99), "number", 1, 9, time=-5.0)]  # fmt: skip
    result = decode(raws, request=(3, 0, 9))
    assert [node.time for node in result.nodes] == [1700000000.5, -5.0]
    assert [node["Time"] for node in result.as_json()["Nodes"]] == [1700000000.5, -5.0]


def test_findings_come_out_in_payload_order_whatever_order_they_were_made_in():
    # The decoder's findings come first, then the registry's: the answer lists them by offset,
    # those with no offset last (in the order they were made).
    result = tp.DecodedPayload(SENML, request=(3, 0))
    result.findings.extend([PayloadFinding("warning", "decoder at 1", None, 1),
                            PayloadFinding("warning", "decoder at 7", None, 7),
                            PayloadFinding("warning", "decoder, no offset")])  # fmt: skip
    raws = [RawValue((3, 0, 99), "number", 1, 0), RawValue((3, 0, 9), "number", 101, 3),
            RawValue((3, 0, 16), "string", "U", 9)]  # fmt: skip
    tp.type_values(result, raws, MODELS, "read")
    assert [(f.message, f.offset) for f in result.findings] == [
        ("resource 99 is not defined by object 3 (Device, version 1.1)", 0),
        ("decoder at 1", 1),
        ("Battery Level: 101 is outside 0..100 (its RangeEnumeration)", 3),
        ("decoder at 7", 7),
        ("decoder, no offset", None),
        ("mandatory resource 11 (Error Code) is missing from instance 0", None),
    ]


def test_an_unknown_object_does_not_stop_the_mandatory_check_of_the_next():
    # The decoders keep only values under the request, but the check goes by every instance it
    # is given: one of an object the registry does not define is skipped, not the rest.
    result = tp.DecodedPayload(SENML, request=(3,))
    result.nodes = [tp.Node((1, 0, 1), 5), tp.Node((3, 0, 16), "U")]
    found = Findings()
    tp.mandatory_present(result, MODELS, found)
    assert [(f.message, f.path) for f in found] == [
        ("mandatory resource 11 (Error Code) is missing from instance 0", "/3/0/11")
    ]
