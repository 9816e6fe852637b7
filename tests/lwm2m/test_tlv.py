"""OMA TLV (11542): the specification's examples decode to their values and encode back to the
same bytes; a malformed TLV is an error finding at its byte offset, in bounded time."""

import time

import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from objects.lwm2m import link_format, tlv
from objects.lwm2m import values as lv
from objects.lwm2m.payload import Findings

# OMA-TS-LightweightM2M_Core 1.1, 7.4.3.2: a read of the Device object's instance, /3/0.
DEVICE = bytes.fromhex(
    "C800144F70656E204D6F62696C6520416C6C69616E6365"
    "C801164C69676874776569676874204D324D20436C69656E74"
    "C80209333435303030313233"
    "C303312E30"
    "8606410001410105"
    "880708420ED842011388".replace("420ED8", "42000ED8")
    + "87084100"
    "7D42010384"
    "C10964"
    "C10A0F"
    "830B410000"
    "C40D5182428F"
    "C60E2B30323A3030"
    "C11055"
)
# 7.4.3.2 too: a read of the Access Control object, /2, two Object Instances (0 and 2).
ACCESS_CONTROL = bytes.fromhex(
    "080 00E C10001 C10100 8302417F07 C1037F"
    "080212 C10003 C10100 8702417F07 61013601 C1037F".replace(" ", "").replace("0800E", "08000E")
)


def decoded(data, request):
    tlvs, findings = tlv.decode(data)
    assert findings == []
    more = Findings()
    values = tlv.values(tlvs, request, more)
    assert more == []
    return {v.path: v.value for v in values}


def test_the_device_example_decodes_to_the_specification_s_values():
    values = decoded(DEVICE, (3, 0))
    assert lv.from_tlv(lv.STRING, values[(3, 0, 0)]) == ("Open Mobile Alliance", None)
    assert lv.from_tlv(lv.STRING, values[(3, 0, 1)]) == ("Lightweight M2M Client", None)
    assert lv.from_tlv(lv.STRING, values[(3, 0, 2)]) == ("345000123", None)
    assert lv.from_tlv(lv.INTEGER, values[(3, 0, 6, 0)]) == (1, None)
    assert lv.from_tlv(lv.INTEGER, values[(3, 0, 6, 1)]) == (5, None)
    assert lv.from_tlv(lv.INTEGER, values[(3, 0, 7, 0)]) == (3800, None)
    assert lv.from_tlv(lv.INTEGER, values[(3, 0, 7, 1)]) == (5000, None)
    assert lv.from_tlv(lv.INTEGER, values[(3, 0, 8, 1)]) == (900, None)
    assert lv.from_tlv(lv.INTEGER, values[(3, 0, 9)]) == (100, None)
    assert lv.from_tlv(lv.INTEGER, values[(3, 0, 11, 0)]) == (0, None)
    assert lv.from_tlv(lv.TIME, values[(3, 0, 13)]) == (1367491215, None)
    assert lv.from_tlv(lv.STRING, values[(3, 0, 14)]) == ("+02:00", None)
    assert lv.from_tlv(lv.STRING, values[(3, 0, 16)]) == ("U", None)
    assert len(values) == 16


def test_the_access_control_example_has_two_instances_and_a_16_bit_identifier():
    values = decoded(ACCESS_CONTROL, (2,))
    assert sorted({p[1] for p in values}) == [0, 2]
    assert values[(2, 2, 2, 310)] == b"\x01"  # 0x61: a Resource Instance, 16-bit ID 0x0136
    assert lv.from_tlv(lv.INTEGER, values[(2, 0, 3)]) == (127, None)


@pytest.mark.parametrize("example", [DEVICE, ACCESS_CONTROL])
def test_the_examples_encode_back_to_their_bytes(example):
    tlvs, _ = tlv.decode(example)
    assert tlv.encode(tlvs) == example


def test_a_resource_read_and_an_instance_wrapper_are_read_as_leshan_reads_them():
    single = bytes.fromhex("C10964")
    assert decoded(single, (3, 0, 9)) == {(3, 0, 9): b"\x64"}
    wrapped = bytes.fromhex("0300C10964")  # an Object Instance around it, tolerated
    assert decoded(wrapped, (3, 0, 9)) == {(3, 0, 9): b"\x64"}
    instances = bytes.fromhex("410001410105")
    assert decoded(instances, (3, 0, 6)) == {(3, 0, 6, 0): b"\x01", (3, 0, 6, 1): b"\x05"}
    assert decoded(bytes.fromhex("410105"), (3, 0, 6, 1)) == {(3, 0, 6, 1): b"\x05"}


def test_lengths_of_8_16_and_24_bits():
    for size in (7, 8, 255, 256, 65535, 65536):
        data = tlv.encode([tlv.Tlv(tlv.RESOURCE, 300, value=b"x" * size)])
        tlvs, findings = tlv.decode(data)
        assert findings == [] and tlvs[0].value == b"x" * size and tlvs[0].identifier == 300


@pytest.mark.parametrize(
    "hex_, offset, words",
    [
        ("C8", 0, "identifier"),  # the identifier missing
        ("C800", 0, "length needs 1"),  # an 8-bit length missing
        ("D000", 0, "length needs 2"),
        ("C800144F70", 0, "past the end"),  # length 20, 2 bytes there
        ("C10964C800144F70", 3, "past the end"),  # the second TLV
        ("080006C10964", 0, "past the end"),  # an instance longer than the payload
        ("0300C20964", 2, "past the end"),  # a child longer than its instance
        ("880703420001", 3, "past the end"),  # 2 bytes in a 3-byte container
    ],
)
def test_a_truncated_tlv_is_an_error_at_its_offset(hex_, offset, words):
    tlvs, findings = tlv.decode(bytes.fromhex(hex_))
    errors = [f for f in findings if f.severity == "error"]
    assert len(errors) == 1 and errors[0].offset == offset and words in errors[0].message


def test_what_came_before_an_error_is_kept():
    tlvs, findings = tlv.decode(bytes.fromhex("C10964C800144F70"))
    assert [t.identifier for t in tlvs] == [9] and findings.has_errors


def test_structure_errors_for_a_request():
    tlvs, _ = tlv.decode(bytes.fromhex("410001"))  # a Resource Instance directly in /3/0
    findings = Findings()
    tlv.values(tlvs, (3, 0), findings)
    assert findings.has_errors and findings[0].offset == 0
    tlvs, _ = tlv.decode(bytes.fromhex("C10964C10965"))  # resource 9 twice
    findings = Findings()
    tlv.values(tlvs, (3, 0), findings)
    assert "twice" in findings[0].message and findings[0].offset == 3
    tlvs, _ = tlv.decode(bytes.fromhex("0301C10964"))  # instance 1 in the answer to /3/0
    findings = Findings()
    tlv.values(tlvs, (3, 0), findings)
    assert findings.has_errors
    findings = Findings()
    tlv.values(tlvs, (), findings)
    assert "request path" in findings[0].message


def test_nesting_deeper_than_tlv_allows_is_an_error():
    inner = tlv.Tlv(tlv.OBJECT_INSTANCE, 0, children=[])
    for _ in range(3):
        inner = tlv.Tlv(tlv.OBJECT_INSTANCE, 0, children=[inner])
    tlvs, findings = tlv.decode(tlv.encode([inner]))
    assert findings.has_errors and "3 at most" in findings[0].message


def test_a_huge_payload_stops_at_the_count_limit_in_bounded_time():
    data = bytes.fromhex("C10001") * 20000
    start = time.monotonic()
    tlvs, findings = tlv.decode(data, max_nodes=5000)
    assert time.monotonic() - start < 2
    assert len(tlvs) == 5000 and "more than 5000" in findings[-1].message
    assert findings[-1].offset == 5000 * 3


@seed(26)
@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_decode_without_an_exception(data):
    tlvs, findings = tlv.decode(data)
    for finding in findings:
        assert finding.offset is None or 0 <= finding.offset <= len(data)
    tlv.values(tlvs, (3, 0), Findings())
    if not findings:
        # What decodes without a finding encodes back to itself, or a shorter spelling of it.
        again, more = tlv.decode(tlv.encode(tlvs))
        assert more == [] and tlv.encode(again) == tlv.encode(tlvs)


def test_leshan_s_own_vectors():
    # From Leshan's LwM2mNodeDecoderTest: the spec's objects 65 and 66 (object links, a 16-bit
    # value), the Server object, and object 3442 whose resource holds a CoRE link list.
    obj65 = bytes.fromhex(
        "88000C440000420000440100420001C8010D38363133383030373535353030C40212345678"
    )
    values = decoded(obj65, (65, 0))
    assert lv.from_tlv(lv.OBJLNK, values[(65, 0, 0, 0)]) == ((66, 0), None)
    assert lv.from_tlv(lv.OBJLNK, values[(65, 0, 0, 1)]) == ((66, 1), None)
    assert lv.from_tlv(lv.STRING, values[(65, 0, 1)]) == ("8613800755500", None)
    assert lv.from_tlv(lv.INTEGER, values[(65, 0, 2)]) == (305419896, None)
    server = decoded(bytes.fromhex("08000FC10001C40100015180C10601C10755"), (1,))
    assert lv.from_tlv(lv.INTEGER, server[(1, 0, 1)]) == (86400, None)
    assert lv.from_tlv(lv.BOOLEAN, server[(1, 0, 6)]) == (True, None)
    obj3442 = bytes.fromhex(
        "080072c8b46f3c2f3e3b72743d226f6d612e6c776d326d223b63743d223630203131302031313220313534"
        "322031353433203131353432203131353433222c3c2f313e3b7665723d312e312c3c2f312f303e2c3c2f32"
        "3e2c3c2f333e3b7665723d312e312c3c2f332f303e2c3c2f333434322f303e"
    )
    text, problem = lv.from_tlv(lv.CORELNK, decoded(obj3442, (3442, 0))[(3442, 0, 180)])
    links, findings = link_format.parse(text.encode())
    assert problem is None and findings == [] and len(links) == 7
    assert links[0].attributes == {"rt": "oma.lwm2m", "ct": "60 110 112 1542 1543 11542 11543"}


def test_three_levels_are_read_and_a_container_on_the_third_is_an_error():
    # Object Instance > Multiple Resource > Resource Instance: the deepest TLV allows.
    three = tlv.Tlv(tlv.OBJECT_INSTANCE, 0, children=[
        tlv.Tlv(tlv.MULTIPLE_RESOURCE, 6, children=[tlv.Tlv(tlv.RESOURCE_INSTANCE, 0, b"\x01")])
    ])  # fmt: skip
    tlvs, findings = tlv.decode(tlv.encode([three]))
    assert findings == [] and tlvs[0].children[0].children[0].value == b"\x01"
    # A Multiple Resource inside one, on the third level: an error at its own offset.
    four = tlv.Tlv(tlv.OBJECT_INSTANCE, 0, children=[
        tlv.Tlv(tlv.MULTIPLE_RESOURCE, 6, children=[tlv.Tlv(tlv.MULTIPLE_RESOURCE, 7)])
    ])  # fmt: skip
    data = tlv.encode([four])
    tlvs, findings = tlv.decode(data)
    assert [f.severity for f in findings] == ["error"] and "3 at most" in findings[0].message
    assert data[findings[0].offset :] == bytes.fromhex("8007")


def test_identifiers_up_to_255_take_one_byte():
    for identifier, hex_ in ((255, "c1ff01"), (256, "e1010001"), (65535, "e1ffff01")):
        data = tlv.encode([tlv.Tlv(tlv.RESOURCE, identifier, value=b"\x01")])
        assert data.hex() == hex_
        tlvs, findings = tlv.decode(data)
        assert findings == [] and tlvs[0].identifier == identifier


@pytest.mark.parametrize(
    "hex_, findings",
    [
        ("C8", [("error", "truncated TLV: its identifier needs 1 byte(s), 0 left")]),
        ("E800", [("error", "truncated TLV: its identifier needs 2 byte(s), 1 left")]),
        ("C800", [("error", "truncated TLV: its length needs 1 byte(s), 0 left")]),
        ("D000", [("error", "truncated TLV: its length needs 2 byte(s), 0 left")]),
        ("D800", [("error", "truncated TLV: its length needs 3 byte(s), 0 left")]),
        # 0xC8: a Resource, 8-bit ID 0, an 8-bit length: 20, 2 bytes there, 18 missing.
        ("C800144F70", [("error", "Resource with Value 0: its length 20 goes past the end of "
                                  "its container by 18 byte(s)")]),
        ("080006C10964", [("error", "Object Instance 0: its length 6 goes past the end of its "
                                    "container by 3 byte(s)")]),
        ("8600", [("error", "Multiple Resource 0: its length 6 goes past the end of its "
                            "container by 6 byte(s)")]),
        # 0xC9: a length field and bits 2-0 set too (1): said, and the field's 100 is the length.
        ("C90164", [("warning", "the type byte's bits 2-0 should be 0 when the length has its "
                                "own field"),
                    ("error", "Resource with Value 1: its length 100 goes past the end of its "
                              "container by 100 byte(s)")]),
    ],
)  # fmt: skip
def test_a_malformed_tlv_s_exact_findings(hex_, findings):
    tlvs, found = tlv.decode(bytes.fromhex(hex_))
    assert tlvs == []
    assert [(f.severity, f.message, f.path, f.offset) for f in found] == [
        (severity, message, None, 0) for severity, message in findings
    ]


@pytest.mark.parametrize(
    "hex_, request_, values, findings",
    [
        ("410001", (3, 0), [], [("error", "expected a Resource TLV in an object instance, found "
                                          "a Resource Instance", "/3/0/0", 0)]),
        ("C10964C10965", (3, 0), [((3, 0, 9), b"d", 2, False), ((3, 0, 9), b"e", 5, False)],
         [("error", "Resource 9 twice in one instance", "/3/0/9", 3)]),
        ("0301C10964", (3, 0), [((3, 0, 9), b"d", 4, False)],
         [("error", "Object Instance 1 in the answer to /3/0", "/3/0", 0)]),
        ("C10964", (3,), [((3, 0, 9), b"d", 2, False)],
         [("warning", "Resources at the top of an object's answer: read as instance 0", "/3",
           None)]),
        ("410001", (3,), [], [("error", "expected an Object Instance TLV, found a Resource "
                                        "Instance", "/3", 0)]),
        ("0300C109640301C10965", (3,), [((3, 0, 9), b"d", 4, False), ((3, 1, 9), b"e", 9, False)],
         []),
        ("0300C109640300C10965", (3,), [((3, 0, 9), b"d", 4, False), ((3, 0, 9), b"e", 9, False)],
         [("error", "Object Instance 0 twice", "/3", 5)]),
        ("C10964", (3, 0, 8), [((3, 0, 9), b"d", 2, False)],
         [("error", "Resource 9 in the answer to /3/0/8", "/3/0/8", 0)]),
        ("", (3, 0, 6), [((3, 0, 6), None, 0, True)], []),  # an empty Multiple Resource
        ("8006", (3, 0), [((3, 0, 6), None, 0, True)], []),
        ("410001C10105", (3, 0, 6), [((3, 0, 6, 0), b"\x01", 2, True)],
         [("error", "expected a Resource Instance TLV, found a Resource with Value", "/3/0/6/1",
           3)]),
        ("410001410005", (3, 0, 6), [((3, 0, 6, 0), b"\x01", 2, True),
                                     ((3, 0, 6, 0), b"\x05", 5, True)],
         [("error", "Resource Instance 0 twice", "/3/0/6/0", 3)]),
        ("8606410001C10105", (3, 0), [((3, 0, 6, 0), b"\x01", 4, True)],
         [("error", "expected a Resource Instance TLV, found a Resource with Value", "/3/0/6/1",
           5)]),
        ("410105", (3, 0, 6, 1), [((3, 0, 6, 1), b"\x05", 2, True)], []),
        ("410205", (3, 0, 6, 1), [],
         [("error", "Resource Instance 2 in the answer to /3/0/6/1", "/3/0/6/1", 0)]),
        ("C10105", (3, 0, 6, 1), [],
         [("error", "expected a Resource Instance TLV, found a Resource with Value", "/3/0/6/1",
           0)]),
        ("410105410205", (3, 0, 6, 1), [((3, 0, 6, 1), b"\x05", 2, True)],
         [("error", "the answer to a resource instance is one Resource Instance TLV, not 2",
           "/3/0/6/1", None)]),
        ("0301C10964", (3, 0, 9), [((3, 0, 9), b"d", 4, False)],
         [("error", "Object Instance 1 in the answer to /3/0/9", "/3/0/9", 0)]),
        ("", (3,), [], []),  # an object without instances
        # A TLV of the wrong kind is skipped: what follows it is still read.
        ("410001C10964", (3, 0), [((3, 0, 9), b"d", 5, False)],
         [("error", "expected a Resource TLV in an object instance, found a Resource Instance",
           "/3/0/0", 0)]),
        ("C10105410001", (3, 0, 6), [((3, 0, 6, 0), b"\x01", 5, True)],
         [("error", "expected a Resource Instance TLV, found a Resource with Value", "/3/0/6/1",
           0)]),
        ("4100010300C10964", (3,), [((3, 0, 9), b"d", 7, False)],
         [("error", "expected an Object Instance TLV, found a Resource Instance", "/3", 0)]),
        ("C10964", (), [],
         [("error", "TLV needs the request path (at least the object, as in /3303)", None,
           None)]),
    ],
)  # fmt: skip
def test_the_values_of_a_request_with_their_offsets_and_findings(hex_, request_, values, findings):
    tlvs, found = tlv.decode(bytes.fromhex(hex_))
    assert found == []
    more = Findings()
    out = tlv.values(tlvs, request_, more)
    assert [(v.path, v.value, v.offset, v.multiple) for v in out] == values
    assert [(f.severity, f.message, f.path, f.offset) for f in more] == findings


def test_a_tlv_s_shown_value_and_length():
    assert tlv.Tlv(tlv.RESOURCE, 1, value=b"x" * 64).value_hex == " ".join(["78"] * 64)
    assert tlv.Tlv(tlv.RESOURCE, 1, value=b"x" * 65).value_hex == " ".join(["78"] * 64) + " …"
    assert tlv.Tlv(tlv.RESOURCE, 1, value=b"").value_hex == ""
    assert tlv.Tlv(tlv.RESOURCE, 1, value=b"xy").length == 2
    assert tlv.Tlv(tlv.MULTIPLE_RESOURCE, 1).length is None
    assert tlv.Tlv(tlv.MULTIPLE_RESOURCE, 1).kind_name == "Multiple Resource"


def test_rows_are_depth_first_and_bounded():
    tlvs, _ = tlv.decode(ACCESS_CONTROL)
    rows = tlv.rows(tlvs)
    assert [(depth, t.kind, t.identifier) for depth, t in rows[:4]] == [
        (0, tlv.OBJECT_INSTANCE, 0), (1, tlv.RESOURCE, 0), (1, tlv.RESOURCE, 1),
        (1, tlv.MULTIPLE_RESOURCE, 2),
    ]  # fmt: skip
    assert rows[4] == (2, tlvs[0].children[2].children[0])
    assert len(tlv.rows(tlvs, limit=3)) == 3
    assert tlv.rows(tlvs, depth=1)[0][0] == 1


def test_encoding_for_a_request_path_keeps_what_answers_it():
    entries = [((3, 0, 1), b"\x01"), ((3, 0, 6, 0), b"\x02"),
               ((3, 0, 6, 1), b"\x03"), ((3, 1, 1), b"\x04")]  # fmt: skip
    assert tlv.encode_for((3, 0, 6, 1), entries).hex() == "410103"
    assert tlv.encode_for((3, 0, 6), entries).hex() == "8606410002410103"
    assert tlv.encode_for((3, 0, 1), entries).hex() == "c10101"
    assert tlv.encode_for((3, 1), entries).hex() == "c10104"
    # Instance 0 holds 11 bytes: an 8-bit length field (0x08), then 0x0b.
    assert tlv.encode_for((3,), entries).hex() == "08000bc101018606410002410103" + "0301c10104"
    assert tlv.encode_for((3, 2), entries) == b""
    with pytest.raises(ValueError, match=r"^/3/0 is not a resource path$"):
        tlv.from_paths([((3, 0), b"")])


@pytest.mark.parametrize(
    "size, head",
    [
        (7, "E7012C"),  # the length in the type byte's bits 2-0
        (8, "E8012C08"),  # 8 bits
        (255, "E8012CFF"),
        (256, "F0012C0100"),  # 16 bits
        (65535, "F0012CFFFF"),
        (65536, "F8012C010000"),  # 24 bits
    ],
)
def test_a_length_takes_the_shortest_field(size, head):
    # Resource with Value 300 (a 16-bit identifier): 11 1 LL lll, the ID, the length, the value.
    data = tlv.encode([tlv.Tlv(tlv.RESOURCE, 300, value=b"x" * size)])
    assert data == bytes.fromhex(head) + b"x" * size


def test_a_value_of_16_mib_is_refused():
    with pytest.raises(ValueError, match=r"^a TLV value is at most 16 MiB$"):
        tlv.encode([tlv.Tlv(tlv.RESOURCE, 1, value=bytes(1 << 24))])
    assert (
        len(tlv.encode([tlv.Tlv(tlv.RESOURCE, 1, value=bytes((1 << 24) - 1))])) == 5 + (1 << 24) - 1
    )


@pytest.mark.parametrize(
    "hex_, length_bytes",
    [("C80500", 1), ("D0050000", 2), ("D805000000", 3)],
)
def test_an_empty_value_with_a_length_field_of_its_own(hex_, length_bytes):
    # A zero length may be written in 8, 16 or 24 bits: the field ends the payload.
    tlvs, findings = tlv.decode(bytes.fromhex(hex_))
    assert findings == []
    assert [(t.kind, t.identifier, t.value, t.value_offset) for t in tlvs] == [
        (tlv.RESOURCE, 5, b"", 2 + length_bytes)
    ]
    assert tlv.encode(tlvs).hex() == "c005"  # written back in the shortest form


def test_an_error_inside_a_container_keeps_it_and_what_came_before():
    # Object Instance 0 (5 bytes): Resource 9 = 0x64, then 0xC8 0x00, whose length is missing.
    tlvs, findings = tlv.decode(bytes.fromhex("080005C10964C800"))
    assert [(f.severity, f.message, f.offset) for f in findings] == [
        ("error", "truncated TLV: its length needs 1 byte(s), 0 left", 6)
    ]
    assert [(t.kind, t.identifier) for t in tlvs] == [(tlv.OBJECT_INSTANCE, 0)]
    assert [(c.kind, c.identifier, c.value) for c in tlvs[0].children] == [(tlv.RESOURCE, 9, b"d")]


def test_the_count_limit_counts_containers_and_keeps_them():
    tlvs, findings = tlv.decode(bytes.fromhex("0300C10964"), max_nodes=1)
    assert [(f.message, f.offset) for f in findings] == [
        ("more than 1 TLVs: the decode stops here", 2)
    ]
    assert [(t.identifier, t.children) for t in tlvs] == [(0, [])]
    tlvs, findings = tlv.decode(bytes.fromhex("0300C10964"), max_nodes=2)
    assert findings == [] and tlvs[0].children[0].value == b"d"


def test_a_container_on_the_third_level_is_named_exactly():
    # Object Instance > Multiple Resource > Multiple Resource (holding Resource Instance 0):
    # the inner one would open a fourth level.
    data = bytes.fromhex("0600 8406 8207 4000")
    tlvs, findings = tlv.decode(data)
    assert [(f.severity, f.message, f.offset) for f in findings] == [
        ("error", "Multiple Resource nested 4 levels deep: TLV has 3 at most", 4)
    ]
    assert [(c.identifier, c.children) for c in tlvs[0].children] == [(6, [])]


def test_rows_stop_at_2000_by_default():
    tlvs = [tlv.Tlv(tlv.RESOURCE, i, b"") for i in range(2001)]
    rows = tlv.rows(tlvs)
    assert len(rows) == 2000 and rows[-1] == (0, tlvs[1999])
