"""SenML JSON (110) and SenML CBOR (112) as LwM2M uses them: names resolved against base
names, one value key per record, malformed packs as findings with byte offsets."""

import json
import time

import cbor2
import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from objects.lwm2m import senml
from objects.lwm2m.payload import MAX_FINDINGS, MAX_VALUES

# OMA-TS-LightweightM2M_Core 1.1, 7.4.4: a read of /3/0 in SenML JSON.
DEVICE_JSON = b"""[{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},
{"n":"1","vs":"Lightweight M2M Client"},{"n":"2","vs":"345000123"},{"n":"3","vs":"1.0"},
{"n":"6/0","v":1},{"n":"6/1","v":5},{"n":"7/0","v":3800},{"n":"7/1","v":5000},
{"n":"8/0","v":125},{"n":"8/1","v":900},{"n":"9","v":100},{"n":"10","v":15},
{"n":"11/0","v":0},{"n":"13","v":1367491215},{"n":"14","vs":"+02:00"},{"n":"16","vs":"U"}]"""


def values(decoded):
    out, findings = decoded
    assert findings == []
    return {v.path: (v.kind, v.value) for v in out}


def test_the_device_example_resolves_every_name():
    got = values(senml.decode_json(DEVICE_JSON, (3, 0)))
    assert got[(3, 0, 0)] == ("string", "Open Mobile Alliance")
    assert got[(3, 0, 6, 1)] == ("number", 5)
    assert got[(3, 0, 13)] == ("number", 1367491215)
    assert got[(3, 0, 16)] == ("string", "U")
    assert len(got) == 16


def test_the_device_example_in_cbor_has_the_same_values():
    records = [
        {senml.CBOR_KEYS[k]: v for k, v in record.items()} for record in json.loads(DEVICE_JSON)
    ]
    assert values(senml.decode_cbor(cbor2.dumps(records), (3, 0))) == values(
        senml.decode_json(DEVICE_JSON, (3, 0))
    )


def test_a_hand_written_cbor_record():
    # [{-2: "/3303/0/", 0: "5700", 2: 23.5 (a half-precision float)}]
    data = bytes.fromhex("81a321682f333330332f302f00643537303002f94de0")
    assert values(senml.decode_cbor(data)) == {(3303, 0, 5700): ("number", 23.5)}


def test_every_value_key():
    pack = [
        {"bn": "/3/0/", "n": "1", "vs": "x"},
        {"n": "2", "vb": True},
        {"n": "3", "vd": "AAH_"},  # base64url, no padding
        {"n": "4/0", "vlo": "3303:1"},
        {"n": "5", "v": -1.5},
    ]
    got = values(senml.decode_json(json.dumps(pack).encode()))
    assert got == {
        (3, 0, 1): ("string", "x"),
        (3, 0, 2): ("boolean", True),
        (3, 0, 3): ("opaque", b"\x00\x01\xff"),
        (3, 0, 4, 0): ("objlnk", "3303:1"),
        (3, 0, 5): ("number", -1.5),
    }


def test_a_base_name_holds_until_the_next_one():
    pack = [
        {"bn": "/3/0/", "n": "1", "v": 1},
        {"n": "2", "v": 2},
        {"bn": "/4/0/", "n": "1", "v": 3},
    ]
    assert sorted(values(senml.decode_json(json.dumps(pack).encode()))) == [
        (3, 0, 1), (3, 0, 2), (4, 0, 1)
    ]  # fmt: skip


@pytest.mark.parametrize(
    "pack, words, index",
    [
        ([{"bn": "/3/0/", "n": "x", "v": 1}], "not an LwM2M path", 0),
        ([{"n": "1", "v": 1}], "3 or 4 IDs", 0),  # "1" alone is an object's path
        ([{"bn": "/3/0/", "n": "1"}], "without a value", 0),
        ([{"bn": "/3/0/", "n": "1", "v": 1, "vs": "x"}], "two values", 0),
        ([{"bn": "/3/0/1", "v": "1"}], "v is a number", 0),
        ([{"bn": "/3/0/1", "vd": "AA*/"}], "base64url", 0),
        ([{"bn": "/3/0/1", "v": 1}, {"bn": "/3/0/1", "v": 2}], "twice", 1),
        ([{"bn": "/3/0/", "n": "1", "v": 1, "x_": 1}], "must be understood", 0),
        ([{"bn": "/3/0", "v": 1}], "3 or 4 IDs", 0),
        ([{"bn": 5, "v": 1}], "bn", 0),
        ([{"bn": "/4/0/1", "v": 1}], "outside the request path", 0),
        (["x"], "record is a JSON object", 0),
    ],
)
def test_bad_records_are_errors_at_their_offset(pack, words, index):
    text = json.dumps(pack)
    out, findings = senml.decode_json(text.encode(), (3, 0))
    errors = [f for f in findings if f.severity == "error"]
    assert errors and words in errors[0].message
    offsets = senml.record_offsets(text, len(pack))
    assert errors[0].offset == offsets[index]
    assert text[errors[0].offset] in '{"'


def test_an_unknown_field_is_a_warning_and_the_value_is_kept():
    out, findings = senml.decode_json(b'[{"bn":"/3/0/1","v":1,"foo":2}]')
    assert [v.path for v in out] == [(3, 0, 1)]
    assert findings[0].severity == "warning" and "foo" in findings[0].message


@pytest.mark.parametrize(
    "data, offset",
    [
        (b'[{"bn":"/3/0/1","v":1}', 22),  # truncated: the end
        (b'[{"bn":"/3/0/1","v":1},]', 23),
        (b'[{"bn":"/3/0/1","v":NaN}]', 20),
        (b'{"bn":"/3/0/1"}', 0),  # not an array
        (b"\xff[]", 0),
        (b'[{"bn":"/3/0/1","bn":"/3/0/2","v":1}]', 0),  # a key twice
    ],
)
def test_malformed_json_is_an_error_with_an_offset(data, offset):
    out, findings = senml.decode_json(data)
    assert out == [] and findings.has_errors and findings[0].offset == offset


def test_deep_nesting_is_refused_before_json_reads_it():
    data = b"[" * 100000 + b"]" * 100000
    start = time.monotonic()
    out, findings = senml.decode_json(data)
    assert time.monotonic() - start < 2
    assert findings.has_errors and "nested" in findings[0].message and findings[0].offset == 16


@pytest.mark.parametrize(
    "hex_, offset, words",
    [
        ("", 0, "empty"),
        ("a0", 0, "array"),  # a map, not an array
        ("82a10001", 4, "truncated"),  # 2 records announced, the second missing
        ("81a3216a2f33", 6, "truncated"),  # a text string cut short
        ("81a10001ff", 4, "after"),  # a byte after the array
        ("9fa10001", 4, "no end"),  # an indefinite array without its end
        ("8101", 1, "map"),
        ("9b00000000ffffffff", 9, "truncated"),  # 4 billion records announced
    ],
)
def test_malformed_cbor_is_an_error_with_an_offset(hex_, offset, words):
    out, findings = senml.decode_cbor(bytes.fromhex(hex_))
    errors = [f for f in findings if f.severity == "error"]
    assert errors and errors[0].offset == offset and words in errors[0].message


def test_cbor_tags_stay_tags_and_deep_nesting_stops():
    # A regular expression (tag 35) is never compiled; a date (tag 1) is not a datetime.
    pack = [{-2: "/3/0/1", 3: cbor2.CBORTag(35, "(a+)+$")}]
    out, findings = senml.decode_cbor(cbor2.dumps(pack))
    assert "vs is a string" in findings[0].message
    deep = bytes.fromhex("81a1-2".replace("-2", "21")) + b"\x81" * 10000
    out, findings = senml.decode_cbor(deep)
    assert findings.has_errors


def test_encode_and_decode_back():
    entries = [((3303, 0, 5700), "v", 23.5), ((3303, 0, 5701), "vs", "Cel"),
               ((3303, 0, 9, 1), "vd", b"\x00\xff"), ((3303, 0, 10), "vlo", "3:0"),
               ((3303, 0, 11), "vb", False)]  # fmt: skip
    for encode, decode in ((senml.encode_json, senml.decode_json),
                           (senml.encode_cbor, senml.decode_cbor)):  # fmt: skip
        out, findings = decode(encode((3303, 0), entries), (3303, 0))
        assert findings == []
        assert [(v.path, v.value) for v in out] == [(p, v) for p, _, v in entries]
    assert json.loads(senml.encode_json((3303, 0), entries[:2])) == [
        {"bn": "/3303/0/", "n": "5700", "v": 23.5}, {"n": "5701", "vs": "Cel"}
    ]  # fmt: skip


@seed(26)
@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=120))
def test_any_bytes_as_senml_cbor_decode_without_an_exception(data):
    out, findings = senml.decode_cbor(data)
    assert all(f.offset is None or 0 <= f.offset <= len(data) for f in findings)


KEYS = st.sampled_from(["bn", "n", "v", "vs", "vd", "vb", "vlo", "t", "x"])
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)


@given(
    st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
        max_leaves=12,
    )
)
@seed(26)
@settings(max_examples=200, deadline=None)
def test_any_json_as_senml_decodes_without_an_exception(value):
    for data in (json.dumps(value).encode(), json.dumps([value]).encode()):
        senml.decode_json(data)
        senml.decode_cbor(cbor2.dumps([value]))


def test_a_notification_s_history_has_one_value_per_time():
    pack = [{"bn": "/3303/0/5700", "bt": 1700000000, "v": 1}, {"t": 10, "v": 2}]
    out, findings = senml.decode_json(json.dumps(pack).encode())
    assert findings == [] and [(v.time, v.value) for v in out] == [(1700000000, 1), (1700000010, 2)]


def test_numbers_no_lwm2m_type_holds_are_errors_not_crashes():
    big = 10**5000  # a CBOR bignum Python would not even write in decimal
    for record in (
        {-2: "/3/0/1", 2: big},
        {-2: "/3/0/1", -3: big, 2: 1},
        {-2: "/3/0/1", 6: -big, 2: 1},
    ):
        out, findings = senml.decode_cbor(cbor2.dumps([record]))
        assert (
            findings.has_errors
            and "64 bits" in findings[0].message
            or "number" in findings[0].message
        )


def test_a_client_s_alternate_root_path_is_read_without_it():
    out, findings = senml.decode_json(b'[{"bn":"/lwm2m/3/0/","n":"0","vs":"x"}]', (3, 0))
    assert [v.path for v in out] == [(3, 0, 0)]
    assert findings[0].severity == "warning" and "/lwm2m" in findings[0].message


def test_decimal_fractions_are_numbers():
    # t as a decimal fraction (tag 4: 1700000000.5 = 17000000005 * 10**-1), v as a bigfloat.
    pack = [{-2: "/3/0/1", 6: cbor2.CBORTag(4, [-1, 17000000005]), 2: cbor2.CBORTag(5, [-1, 3])}]
    out, findings = senml.decode_cbor(cbor2.dumps(pack))
    assert findings == [] and (out[0].time, out[0].value) == (1700000000.5, 1.5)
    out, findings = senml.decode_cbor(cbor2.dumps([{-2: "/3/0/1", 2: cbor2.CBORTag(4, [9999, 1])}]))
    assert findings.has_errors


@pytest.mark.parametrize(
    "tag, content, number",
    [
        (4, [2, 3], 300.0),  # a decimal fraction (RFC 8949, 3.4.4): 3 * 10**2
        (4, [-2, 5], 0.05),  # 5 * 10**-2
        (4, [-1, 3], 0.3),  # the float nearest 3/10, not 3 * 0.1 (0.30000000000000004)
        (4, [0, 7], 7.0),
        (5, [3, 5], 40.0),  # a bigfloat: 5 * 2**3
        (5, [-2, 1], 0.25),  # 1 * 2**-2
        (4, [400, 0], 0.0),  # exponents of 400 either way are read...
        (4, [-400, 1], 0.0),  # ...1e-400 is below a float's least: 0.0
        (4, [0, 2**64 - 1], 18446744073709551615.0),  # a mantissa within 64 bits
        (4, [0, -(2**63)], -9223372036854775808.0),
        (2, b"\x01\x00", 256),  # a bignum (3.4.3): its bytes big-endian
        (2, b"", 0),
        (3, b"\x01\x00", -257),  # a negative bignum: -1 - n
        (3, b"", -1),
    ],
)
def test_a_number_tag_is_the_number_it_stands_for(tag, content, number):
    data = cbor2.dumps([{-2: "/3/0/1", 2: cbor2.CBORTag(tag, content)}])
    out, findings = senml.decode_cbor(data)
    assert findings == [] and [v.value for v in out] == [number]
    assert type(out[0].value) is type(number)


@pytest.mark.parametrize(
    "tag, content",
    [
        (4, [401, 0]),  # an exponent past 400 is not read, even of a zero
        (5, [-401, 0]),
        (4, [308, 2]),  # 2e308 is past a float's range
        (4, [True, 3]),  # exponent and mantissa are integers, not booleans
        (5, [1, True]),
        (4, [1, 2, 3]),  # [exponent, mantissa]: two items
        (5, [1]),
        (4, "12"),
        (5, [0.5, 1]),
        (4, [0, 2**64]),  # a mantissa past 64 bits
        (5, [0, -(2**63) - 1]),
    ],
)
def test_a_fraction_that_is_no_number_stays_a_tag(tag, content):
    data = cbor2.dumps([{-2: "/3/0/1", 2: cbor2.CBORTag(tag, content)}])
    out, findings = senml.decode_cbor(data)
    assert out == []
    assert [(f.severity, f.message, f.path, f.offset) for f in findings] == [
        ("error", "v is a number", "/3/0/1", 1)
    ]


@pytest.mark.parametrize(
    "label, name",
    [
        (cbor2.CBORTag(1, 5), "CBORTag(1, 5)"),  # a date stays its tag, not a datetime
        (cbor2.CBORTag(35, "a+"), "CBORTag(35, 'a+')"),  # a regular expression, never compiled
        (cbor2.CBORTag(4, (1, 2)), "20.0"),  # a decimal fraction is its number
        (cbor2.CBORTag(5, (-1, 3)), "1.5"),
        (cbor2.CBORTag(4, (401, 0)), "CBORTag(4, (401, 0))"),
        (cbor2.CBORTag(5, (True, 3)), "CBORTag(5, (True, 3))"),
        (cbor2.CBORTag(2, b"\x01\x00"), "256"),
        (cbor2.CBORTag(3, b"\x01\x00"), "-257"),
    ],
)
def test_a_tagged_map_label_is_named_by_what_its_tag_means(label, name):
    out, findings = senml.decode_cbor(cbor2.dumps([{label: 1, -2: "/3/0/1", 2: 5}]))
    assert [v.value for v in out] == [5]
    assert [(f.severity, f.message, f.offset) for f in findings] == [
        ("warning", f"unknown SenML field {name!r}, ignored", 1)
    ]


@pytest.mark.parametrize("tag, content, offset", [(2, "ab", 14), (3, [1], 13)])
def test_a_bignum_of_no_byte_string_is_an_error(tag, content, offset):
    data = cbor2.dumps([{-2: "/3/0/1", 2: cbor2.CBORTag(tag, content)}])
    out, findings = senml.decode_cbor(data)
    assert out == [] and len(findings) == 1 and findings[0].offset == offset == len(data) - 1
    assert findings[0].message.startswith("not CBOR: ")
    assert findings[0].message.endswith("(a bignum's content is a byte string)")


def test_a_lone_surrogate_is_an_error_at_its_offset():
    # "\ud800" is JSON, but no Unicode text: no answer could write it back in UTF-8.
    data = b'[{"bn":"/3/0/0","vs":"ab\\ud800"}]'
    out, findings = senml.decode_json(data)
    assert out == [] and findings.has_errors
    assert "surrogate" in findings[0].message and findings[0].offset == data.index(b"\\ud800")
    low_alone = b'[{"bn":"/3/0/0","vs":"\\udc00\\ud83d\\ude00"}]'
    assert senml.decode_json(low_alone)[1][0].offset == low_alone.index(b"\\udc00")
    # A pair is one character; an escaped backslash before "ud800" is text, not an escape.
    for text, value in (('"\\ud83d\\ude00"', "\U0001f600"), ('"\\\\ud800"', "\\ud800")):
        out, findings = senml.decode_json(f'[{{"bn":"/3/0/0","vs":{text}}}]'.encode())
        assert findings == [] and out[0].value == value


def test_a_cbor_label_python_cannot_write_in_decimal_is_a_warning():
    # A bignum label of more than 4,300 digits: repr() of it raises ValueError.
    pack = [{cbor2.CBORTag(2, b"\xff" * 1800): 1, -2: "/3/0/1", 2: 5}]
    out, findings = senml.decode_cbor(cbor2.dumps(pack))
    assert [v.value for v in out] == [5]
    assert [f.severity for f in findings] == ["warning"] and "too large" in findings[0].message


@pytest.mark.parametrize(
    "fields, words",
    [
        ('"bt":1e308,"t":1e308', "add up past"),  # each a number, their sum infinite
        ('"t":"yesterday"', "t (time) is a finite number"),
        ('"bt":1e400', "bt (base time) is a finite"),  # json.loads reads it as inf
        ('"t":-1e400', "t (time) is a finite"),
        (f'"t":{"9" * 4000}', "t (time) is a finite"),
    ],
)
def test_a_time_no_json_answer_could_write_is_an_error(fields, words):
    text = f'[{{"bn":"/3/0/13",{fields},"v":1}}]'
    record = {senml.CBOR_KEYS[k]: v for k, v in json.loads(text)[0].items()}
    for data, decode in ((text.encode(), senml.decode_json),
                         (cbor2.dumps([record]), senml.decode_cbor)):  # fmt: skip
        out, findings = decode(data)
        assert words in findings[0].message and findings[0].severity == "error"
        assert [(v.value, v.time) for v in out] == [(1, None)]  # the value kept, without a time


def test_junk_records_stop_at_the_record_limit_with_capped_findings():
    # 64 KB of records that are no records: the decode stops past 5,000 of them, and the
    # findings stop at MAX_FINDINGS with one last finding that counts the rest.
    data = ("[" + ",".join(["1"] * 32767) + "]").encode()
    start = time.monotonic()
    out, findings = senml.decode_json(data)
    assert time.monotonic() - start < 5
    assert out == [] and len(findings) == MAX_FINDINGS + 1
    assert findings[-1].message.startswith(f"{MAX_VALUES + 1 - MAX_FINDINGS} more finding")
    # 5,000 records and the one that stops the decode, not one finding per record of 32,767.
    assert findings[-1].severity == "error"  # what it counts holds errors
    cbor = bytes.fromhex("9b") + (32767).to_bytes(8, "big") + b"\x01" * 32767
    out, findings = senml.decode_cbor(cbor)
    assert len(findings) == MAX_FINDINGS + 1 and "more finding" in findings[-1].message


def test_the_decode_stops_past_5000_records_and_not_at_5000():
    pack = [{"bn": f"/3/0/{i}", "v": 1} for i in range(MAX_VALUES + 1)]
    as_json = json.dumps(pack).encode()
    as_cbor = cbor2.dumps([record_in_cbor(record) for record in pack])
    for data, decode in ((as_json, senml.decode_json), (as_cbor, senml.decode_cbor)):
        out, findings = decode(data)
        assert len(out) == MAX_VALUES
        assert [f.message for f in findings] == [
            f"more than {MAX_VALUES} records: the decode stops"
        ]
    out, findings = senml.decode_json(json.dumps(pack[:MAX_VALUES]).encode())
    assert len(out) == MAX_VALUES and findings == []


def record_in_cbor(record):
    return {senml.CBOR_KEYS[key]: value for key, value in record.items()}


def test_a_negative_bignum_is_minus_one_minus_its_content():
    # RFC 8949, 3.4.3: tag 3 over n is -1 - n.
    pack = [
        {-2: "/3/0/1", 2: cbor2.CBORTag(3, b"\x05")},
        {-2: "/3/0/2", 2: cbor2.CBORTag(2, b"\x05")},
    ]
    out, findings = senml.decode_cbor(cbor2.dumps(pack))
    assert findings == [] and [v.value for v in out] == [-6, 5]
    lowest = [{-2: "/3/0/1", 2: cbor2.CBORTag(3, (2**63 - 1).to_bytes(8, "big"))}]
    assert [v.value for v in senml.decode_cbor(cbor2.dumps(lowest))[0]] == [-(2**63)]


@pytest.mark.parametrize(
    "number, ok",
    [(2**64 - 1, True), (2**64, False), (-(2**63), True), (-(2**63) - 1, False)],
)
def test_the_64_bit_bounds_of_a_value(number, ok):
    # Unsigned Integer reaches 2**64 - 1, Integer -2**63: just past them no LwM2M type holds it.
    as_json = json.dumps([{"bn": "/3/0/9", "v": number}]).encode()
    as_cbor = cbor2.dumps([{-2: "/3/0/9", 2: number}])
    for data, decode in ((as_json, senml.decode_json), (as_cbor, senml.decode_cbor)):
        out, findings = decode(data)
        if ok:
            assert findings == [] and out[0].value == number
        else:
            assert out == [] and "past 64 bits" in findings[0].message


def test_json_encoding_refuses_what_json_cannot_write():
    with pytest.raises(ValueError):
        senml.encode_json((3303, 0), [((3303, 0, 5700), "v", float("inf"))])
    assert senml.encode_cbor((3303, 0), [((3303, 0, 5700), "v", float("inf"))])


@pytest.mark.parametrize(
    "vd, data, spelled",
    [
        ("AA==", b"\x00", "base64url with padding"),
        ("AA+/", b"\x00\x0f\xbf", "standard base64"),
        ("AQID/w==", b"\x01\x02\x03\xff", "standard base64 with padding"),
    ],
)
def test_padded_or_standard_base64_is_read_with_a_warning(vd, data, spelled):
    """As Wakaama writes vd: read, and said."""
    out, findings = senml.decode_json(json.dumps([{"bn": "/3/0/1", "vd": vd}]).encode(), (3, 0))
    assert out[0].value == data
    assert [(f.severity, f.message.split(",")[0]) for f in findings] == [
        ("warning", f"vd in {spelled}")
    ]


# Each record after a good first one ({"bn":"/3/0/0","vs":"x"}, 26 bytes with "[" and ","):
# the finding names the record's path and its byte offset, 26; a value kept has that offset.
@pytest.mark.parametrize(
    "record, finding, kept",
    [
        ('{"bn":"/3/0/1","v":"1"}', ("error", "v is a number", "/3/0/1"), False),
        ('{"bn":"/3/0/1","v":18446744073709551616}',
         ("error", "v is an integer past 64 bits", "/3/0/1"), False),
        ('{"bn":"/3/0/2","vb":1}', ("error", "vb is true or false", "/3/0/2"), False),
        ('{"bn":"/3/0/3","vs":1}', ("error", "vs is a string", "/3/0/3"), False),
        ('{"bn":"/3/0/4","vlo":1}', ("error", "vlo is a string O:I", "/3/0/4"), False),
        ('{"bn":"/3/0/5","vd":1}', ("error", "vd is a base64url string", "/3/0/5"), False),
        ('{"bn":"/3/0/5","vd":"*"}', ("error", "vd is base64url without padding (RFC 8428): "
                                     "not base64url without padding: '*'", "/3/0/5"), False),
        ('{"bn":"/3/0/5","vd":"AA=="}', ("warning", "vd in base64url with padding, not base64url "
         "without padding (RFC 8428): read as written (Wakaama writes it so)", "/3/0/5"), True),
        ('{"bn":"/3/0/5","t":"x","v":1}',
         ("error", "t (time) is a finite number of seconds within 64 bits", "/3/0/5"), True),
        ('{"bn":"/3/0/5","bt":1e308,"t":1e308,"v":1}',
         ("error", "t and bt (base time) add up past a Float's range", "/3/0/5"), True),
    ],
)  # fmt: skip
def test_a_bad_value_s_finding_names_its_path_and_offset(record, finding, kept):
    data = ('[{"bn":"/3/0/0","vs":"x"},' + record + "]").encode()
    assert data[26:27] == b"{"
    out, findings = senml.decode_json(data)
    assert [(f.severity, f.message, f.path, f.offset) for f in findings] == [(*finding, 26)]
    assert [v.offset for v in out] == ([1, 26] if kept else [1])


@pytest.mark.parametrize(
    "kind, record, value",
    [
        ("number", {2: 1}, 1),
        ("boolean", {4: True}, True),
        ("string", {3: "x"}, "x"),
        ("objlnk", {"vlo": "3:0"}, "3:0"),
        ("opaque", {8: b"\x00"}, b"\x00"),
    ],
)
def test_each_value_has_its_record_s_offset(kind, record, value):
    # The second record starts after the array's header (1 byte) and the first record.
    first = {-2: "/3/0/", 0: "0", 3: "x"}
    data = cbor2.dumps([first, {0: "1", **record}])
    out, findings = senml.decode_cbor(data)
    assert findings == []
    assert [(v.kind, v.value, v.offset) for v in out][1] == (
        kind, value, 1 + len(cbor2.dumps(first))
    )  # fmt: skip


def test_a_value_of_the_wrong_cbor_type_names_its_path_and_offset():
    data = cbor2.dumps([{-2: "/3/0/", 0: "0", 3: "x"}, {0: "9", 8: "AA"}])
    out, findings = senml.decode_cbor(data)
    assert [(f.message, f.path, f.offset) for f in findings] == [
        ("vd is a byte string in SenML CBOR", "/3/0/9", data.index(b"\xa2", 1))
    ]


@pytest.mark.parametrize(
    "data, message, offset",
    [
        (b"\xff", "SenML JSON is UTF-8 text: byte 0 is not", 0),
        (b"{}", "SenML JSON is an array of records", 0),
        (b"[ 1]", "a SenML record is a JSON object", 2),
        (b'[{"bn":"/3/0/1","v":NaN}]', "not JSON: NaN is not JSON", 20),
        # The finding names the first 20 characters of a duplicated key, no more.
        ('[{"bn":"/3/0/1","K":1,"K":2}]'.replace("K", "k" * 25).encode(),
         "not SenML JSON: the key 'kkkkkkkkkkkkkkkkkkkk' twice in one object", 0),
    ],
)  # fmt: skip
def test_a_malformed_json_pack_s_exact_finding(data, message, offset):
    out, findings = senml.decode_json(data)
    assert out == []
    assert [(f.severity, f.message, f.offset) for f in findings] == [("error", message, offset)]


@pytest.mark.parametrize(
    "hex_, message, offset",
    [
        ("", "an empty payload is no SenML CBOR", 0),
        ("a0", "SenML CBOR is an array of records: the first byte is no array", 0),
        ("98", "truncated CBOR: the array's length", 0),
        ("9900", "truncated CBOR: the array's length", 0),
        ("9c", "not CBOR: a reserved length in the first byte", 0),
        ("9f", "truncated CBOR: the array has no end (0xff)", 1),
        # 0x1c: an integer's reserved length (RFC 8949, 3.1): the byte is where it is wrong.
        ("81a1001c", "not CBOR: error decoding unsigned integer: unknown unsigned integer "
                     "subtype 0x1c", 3),
        ("81a16161", "not CBOR: truncated: premature end of stream (expected to read at least "
                     "1 bytes, got 0 instead)", 4),
    ],
)  # fmt: skip
def test_a_malformed_cbor_pack_s_exact_finding(hex_, message, offset):
    out, findings = senml.decode_cbor(bytes.fromhex(hex_))
    assert out == []
    assert [(f.severity, f.message, f.offset) for f in findings] == [("error", message, offset)]


@pytest.mark.parametrize("length", ["9801", "990001", "9a00000001", "9b0000000000000001"])
def test_an_array_length_in_1_2_4_or_8_bytes(length):
    # RFC 8949, 3: additional information 24-27 says the count follows in 1, 2, 4 or 8 bytes.
    data = bytes.fromhex(length) + cbor2.dumps({-2: "/3/0/1", 2: 7})
    out, findings = senml.decode_cbor(data)
    assert findings == [] and [(v.path, v.value, v.offset) for v in out] == [
        ((3, 0, 1), 7, len(length) // 2)
    ]


def test_the_record_limit_s_finding_is_at_the_first_record_past_it():
    pack = [{"bn": f"/3/0/{i}", "v": 1} for i in range(MAX_VALUES + 1)]
    as_json = json.dumps(pack).encode()
    out, findings = senml.decode_json(as_json)
    assert findings[0].offset == as_json.rindex(b"{")
    as_cbor = cbor2.dumps([record_in_cbor(record) for record in pack])
    out, findings = senml.decode_cbor(as_cbor)
    last = cbor2.dumps(record_in_cbor(pack[-1]))
    assert findings[0].offset == len(as_cbor) - len(last)


def test_bytes_after_one_cbor_item_are_counted():
    findings = senml.Findings()
    assert senml.read_cbor_item(b"\x01\x02\x03", findings) == (1, False)
    assert [(f.message, f.offset) for f in findings] == [("2 byte(s) after the CBOR data item", 1)]
    findings = senml.Findings()
    assert senml.read_cbor_item(b"\x19\x01", findings) == (None, False)
    assert [(f.message, f.offset) for f in findings] == [
        ("not CBOR: truncated: premature end of stream (expected to read at least 2 bytes, "
         "got 1 instead)", 2)
    ]  # fmt: skip


@pytest.mark.parametrize(
    "escapes, at",
    [
        ("\\ud800\\udc00", None),  # U+10000: the lowest pair
        ("\\udbff\\udfff", None),  # U+10FFFF: the highest pair
        ("\\ue000", None),  # past the surrogates: a character of its own
        ("\\ud83d\\ude00\\ud800", 12),  # a pair, then a high one alone
        ("\\udbff", 0),
        ("\\udc00\\udc00", 0),  # two low halves are no pair
        ("\\ud800\\ue000", 0),  # a high half before a character that is no low half
        ("\\ud800\\u0041", 0),
        ("\\ud800\\n", 0),
    ],
)
def test_which_escapes_are_lone_surrogates(escapes, at):
    """RFC 8259, 7: a pair is a high half (D800-DBFF) right before a low one (DC00-DFFF)."""
    text = f'"{escapes}"'
    assert senml.lone_surrogate(text) == (None if at is None else at + 1)


def test_records_without_a_request_are_named_from_the_root():
    entries = [((3, 0, 1), "v", 1)]
    assert json.loads(senml.encode_json((), entries)) == [{"bn": "/", "n": "3/0/1", "v": 1}]


def test_senml_json_is_written_compact_in_utf_8():
    entries = [((3, 0, 1), "vs", "é")]
    assert senml.encode_json((3, 0), entries) == '[{"bn":"/3/0/","n":"1","vs":"é"}]'.encode()


@pytest.mark.parametrize(
    "vd, data",
    [
        ("AA==", b"\x00"),
        ("-_8", b"\xfb\xff"),  # base64url, unpadded: the strict reader takes it
        ("+/8=", b"\xfb\xff"),  # the same bytes in standard base64, padded
        ("+/8", b"\xfb\xff"),
        ("A=A=", None),  # a padding that is not at the end
        ("A", None),  # one character is no byte
        ("A===", None),
    ],
)
def test_lenient_base64_reads_either_alphabet(vd, data):
    assert senml.lenient_base64(vd)[0] == data


def test_an_unknown_cbor_text_label_is_named_as_in_json():
    # RFC 8428, 4.4: a label ending in "_" must be understood, in SenML CBOR as in JSON.
    for label, severity, message in (
        ("foo_", "error", "the field 'foo_' must be understood (RFC 8428, 4.4) and is not"),
        ("foo", "warning", "unknown SenML field 'foo', ignored"),
        (99, "warning", "unknown SenML field '99', ignored"),
        ("v", "warning", "unknown SenML field \"'v'\", ignored"),  # v's label is 2
    ):
        out, findings = senml.decode_cbor(cbor2.dumps([{-2: "/3/0/1", label: 1, 2: 5}]))
        assert [(f.severity, f.message, f.offset) for f in findings] == [(severity, message, 1)]
        assert [v.value for v in out] == [5]


# A bad record first (at byte 1), a good one after it: the finding names the bad record's path
# (when it has one) and offset, and the decode goes on to the next record.
@pytest.mark.parametrize(
    "record, finding",
    [
        ('{"bn":5,"v":1}', ("error", "bn (base name) is a string", None)),
        ('{"n":5,"v":1}', ("error", "n (name) is a string", None)),
        ('{"v":1}', ("error", "a record with neither a name nor a base name", None)),
        ('{"n":"/3/x","v":1}',
         ("error", "the name '/3/x' (base name and name) is not an LwM2M path", None)),
        ('{"n":"/3/0/1"}', ("error", "a record without a value (v, vs, vb, vd or vlo)", "/3/0/1")),
        ('{"n":"/3/0/1","v":1,"vs":"x"}', ("error", "a record with two values (v, vs)", "/3/0/1")),
        ('{"n":"/3/0","v":1}',
         ("error", "a value belongs to a resource: its path has 3 or 4 IDs", "/3/0")),
        ('{"n":"/4/0/1","v":1}', ("error", "outside the request path /3/0", "/4/0/1")),
        ('{"n":"2","v":1}', ("error", "the same path twice (at the same time)", "/3/0/2")),
        ('{"bt":"x","n":"/3/0/1","v":1}',
         ("error", "bt (base time) is a finite number of seconds within 64 bits", None)),
        ('{"bv":1,"n":"/3/0/1","v":1}', ("warning", "bv is not used by LwM2M: ignored", None)),
        ('{"bs":1,"n":"/3/0/1","v":1}', ("warning", "bs is not used by LwM2M: ignored", None)),
        ('{"bu":"m","n":"/3/0/1","v":1}', ("warning", "bu is not used by LwM2M: ignored", None)),
        ('{"n":"/3/0/1","v":1,"%s":1}' % ("x" * 40),
         ("warning", f"unknown SenML field {'x' * 30!r}, ignored", None)),
        ('{"n":"/3/0/1","v":1,"%s_":1}' % ("x" * 40),
         ("error", f"the field {'x' * 30!r} must be understood (RFC 8428, 4.4) and is not", None)),
    ],
)  # fmt: skip
def test_a_bad_record_s_exact_finding_and_the_next_record_read(record, finding):
    data = ("[" + record + ',{"bn":"/3/0/","n":"2","v":2}]').encode()
    if record == '{"n":"2","v":1}':  # the same path twice: the good one comes first
        data = ('[{"bn":"/3/0/","n":"2","v":2},' + record + "]").encode()
    out, findings = senml.decode_json(data, (3, 0))
    offset = data.index(record.encode())
    assert [(f.severity, f.message, f.path, f.offset) for f in findings] == [(*finding, offset)]
    assert (3, 0, 2) in [v.path for v in out]


def test_a_long_name_is_cut_in_its_finding():
    name = "/x" * 40
    out, findings = senml.decode_json(json.dumps([{"bn": name, "v": 1}]).encode())
    assert (
        findings[0].message == f"the name {name[:60]!r} (base name and name) is not an LwM2M path"
    )
    root = "/" + "a" * 70
    out, findings = senml.decode_json(json.dumps([{"bn": root + "/3/0/1", "v": 1}]).encode())
    assert [f.message for f in findings] == [
        f"names under the root path {root[:60]}: read without it"
    ]


def test_only_a_resource_instance_s_value_is_multiple():
    pack = [{"bn": "/3/0/", "n": "1", "v": 1}, {"n": "6/0", "v": 1}]
    out, findings = senml.decode_json(json.dumps(pack).encode())
    assert findings == [] and [v.multiple for v in out] == [None, True]


def test_a_record_s_name_without_a_base_name_is_read_alone():
    out, findings = senml.decode_json(b'[{"n":"/3/0/1","v":1}]')
    assert findings == [] and [v.path for v in out] == [(3, 0, 1)]


def test_the_value_limit_s_finding_is_at_the_record_past_it():
    # Records of two values each, resolved: the 5,001st value's record stops the decode there.
    pack = [{"bn": f"/3/0/{i}", "v": 1} for i in range(MAX_VALUES)] + [{"bn": "/3/1/0", "v": 1}]
    records = [(record, i) for i, record in enumerate(pack)]
    findings = senml.Findings()
    out = senml.resolve(records, findings, (), cbor=False)
    assert len(out) == MAX_VALUES
    assert [(f.message, f.offset) for f in findings] == [
        (f"more than {MAX_VALUES} values: the decode stops", MAX_VALUES)
    ]


@pytest.mark.parametrize(
    "text, limit, at",
    [
        ("[[]]", 1, 1),
        ("[][[[", 2, 4),  # a closed array gives its level back
        ('["[[["]', 1, None),  # brackets in a string are text
        ('["\\"[["]', 1, None),  # an escaped quote does not end the string
        ('["\\\\", [[]]', 2, 8),  # an escaped backslash does not escape the quote after it
    ],
)
def test_json_depth_counts_brackets_outside_strings(text, limit, at):
    assert senml.json_depth(text, limit) == at


@pytest.mark.parametrize(
    "data, message, offset",
    [
        (b"NaN", "not JSON: NaN is not JSON", 0),
        (b'["\\ud800"]', "SenML JSON holds \\ud800, a lone UTF-16 surrogate: no Unicode text", 2),
        (b"[" + b"9" * 5000 + b"]",
         "not SenML JSON: a number of more than 4300 digits, which no LwM2M type holds", 0),
    ],
)  # fmt: skip
def test_load_json_s_exact_findings(data, message, offset):
    findings = senml.Findings()
    assert senml.load_json(data, findings, "SenML JSON")[1] is None
    assert [(f.message, f.offset) for f in findings] == [(message, offset)]


# --- Exact findings the decoders give (the mutation audit's survivors) ------------------------

RECORD_1 = cbor2.dumps({-2: "/3/0/1", 2: 5})  # 11 bytes: bn "/3/0/1", v 5


@pytest.mark.parametrize(
    "data, message, offset",
    [
        # The count announced, and the records there: the payload ends where the next would be.
        (b"\x82" + RECORD_1, "truncated CBOR: the array announces 2 records, 1 are there", 12),
        (b"\x81" + RECORD_1 + b"\x00\x00", "2 byte(s) after the SenML CBOR array", 12),
        # An indefinite array's end (0xff) ends it as a count does.
        (b"\x9f" + RECORD_1 + b"\xff\x00\x00", "2 byte(s) after the SenML CBOR array", 13),
        (b"\x82\x01" + RECORD_1, "a SenML record is a CBOR map", 1),
        (cbor2.dumps([{-2: "/3/0/1", 2: cbor2.CBORTag(2, "ab")}]),
         "not CBOR: error decoding semantic tag 2 (a bignum's content is a byte string)", 14),
    ],
)  # fmt: skip
def test_a_cbor_pack_s_exact_finding_and_the_values_before_it(data, message, offset):
    out, findings = senml.decode_cbor(data)
    assert [(f.severity, f.message, f.offset) for f in findings] == [("error", message, offset)]
    assert [v.value for v in out] == ([5] if data.count(RECORD_1) else [])


def test_an_indefinite_array_ends_at_its_break_byte():
    data = b"\x9f" + RECORD_1 + cbor2.dumps({-2: "/3/0/2", 2: 6}) + b"\xff"
    out, findings = senml.decode_cbor(data)
    assert findings == [] and [(v.path, v.value, v.offset) for v in out] == [
        ((3, 0, 1), 5, 1), ((3, 0, 2), 6, 12)
    ]  # fmt: skip


def test_a_record_nested_past_16_levels_is_refused_where_it_passes_them():
    # The record's map is level 1, so 15 arrays in one of its values are read, 16 are not: the
    # 16th array is at byte 29 (the array's header, the map's, bn, v, the label 99, 15 arrays).
    head = b"\x81\xa3" + cbor2.dumps(-2) + cbor2.dumps("/3/0/1") + b"\x02\x05" + b"\x18\x63"
    out, findings = senml.decode_cbor(head + b"\x81" * 15 + b"\x00")
    assert [f.message for f in findings] == ["unknown SenML field '99', ignored"]
    out, findings = senml.decode_cbor(head + b"\x81" * 16 + b"\x00")
    assert out == [] and [(f.message, f.offset) for f in findings] == [
        ("not CBOR: maximum container nesting depth (16) exceeded", 29)
    ]


def test_a_cbor_label_that_is_a_float_is_no_integer_label():
    # 2.0 equals 2 in Python, but a CBOR float label is not v's label 2.
    out, findings = senml.decode_cbor(cbor2.dumps([{-2: "/3/0/1", 2.0: 5}]))
    assert out == []
    assert [(f.severity, f.message) for f in findings] == [
        ("warning", "unknown SenML field '2.0', ignored"),
        ("error", "a record without a value (v, vs, vb, vd or vlo)"),
    ]


@pytest.mark.parametrize("label", [False, True])
def test_a_cbor_label_that_is_a_bool_is_no_integer_label(label):
    # CBOR's false and true are simple values, not labels 0 (n) and 1 (u).
    out, findings = senml.decode_cbor(cbor2.dumps([{-2: "/3/0/1", label: "x", 2: 5}]))
    assert [(v.path, v.value) for v in out] == [((3, 0, 1), 5)]
    assert [(f.severity, f.message, f.offset) for f in findings] == [
        ("warning", f"unknown SenML field '{label}', ignored", 1)
    ]


@pytest.mark.parametrize(
    "label, name",
    [
        (10**29, "1" + "0" * 29),  # 30 characters: whole
        (10**30, "1" + "0" * 28 + "…"),  # 31: cut
        # Cut at 30 this would end in "_", as a field that must be understood: it is none.
        (("a" * 27 + "_b",), "('" + "a" * 27 + "…"),
    ],
)
def test_a_long_cbor_label_is_cut_with_an_ellipsis(label, name):
    out, findings = senml.decode_cbor(cbor2.dumps([{-2: "/3/0/1", label: 1, 2: 5}]))
    assert [v.value for v in out] == [5]
    assert [(f.severity, f.message) for f in findings] == [
        ("warning", f"unknown SenML field {name!r}, ignored")
    ]


def test_a_label_python_cannot_write_is_named_so():
    pack = [{cbor2.CBORTag(2, b"\xff" * 1800): 1, -2: "/3/0/1", 2: 5}]
    out, findings = senml.decode_cbor(cbor2.dumps(pack))
    assert [f.message for f in findings] == [
        "unknown SenML field 'a label too large to write', ignored"
    ]


def test_cbor_messages_are_bounded_and_name_their_cause():
    assert senml.cbor_message(cbor2.CBORDecodeError("x" * 200)) == "x" * 160
    assert senml.cbor_message(cbor2.CBORDecodeEOF("y" * 200)) == "truncated: " + "y" * 140
    error = cbor2.CBORDecodeError("error decoding text string")
    error.__cause__ = ValueError("bad")
    assert senml.cbor_message(error) == "error decoding text string (bad)"


def test_the_reader_reads_nothing_for_a_read_of_0_bytes():
    # As a file does: cbor2 may ask for an empty string's 0 bytes.
    reader = senml.Reader(b"abc")
    assert reader.read(0) == b"" and reader.pos == 0
    assert reader.read(2) == b"ab" and reader.read() == b"c" and reader.pos == 3


@pytest.mark.parametrize(
    "text, at",
    [
        ("XYZ", None),  # letters open no level
        ("[X[", 2),  # nor close one
        ("[{", 1),
        ("[}[", None),
    ],
)
def test_only_brackets_and_braces_nest(text, at):
    assert senml.json_depth(text, 1) == at


@pytest.mark.parametrize(
    "data, message, offset",
    [
        # The first constant is where the payload stops being JSON.
        (b'[{"bn":"/3/0/1","v":NaN},{"bn":"/3/0/2","v":NaN}]', "not JSON: NaN is not JSON", 20),
        # Not the same letters in a string before it, an escaped quote included.
        (b'[{"bn":"/3/0/1","vs":"NaN"},{"bn":"/3/0/2","v":NaN}]', "not JSON: NaN is not JSON",
         47),
        # A byte offset (é is 2 bytes), past a string whose escaped quote does not end it.
        ('[{"vs":"\\"-Infinity é"},{"v":-Infinity}]'.encode(),
         "not JSON: -Infinity is not JSON", 30),
        (b'[{"vs":"-Infinity Infinity"},{"v":Infinity}]', "not JSON: Infinity is not JSON", 34),
        # A finding's message is cut at 120 characters: here 20 escapes of 6 make it longer.
        ('[{"K":1,"K":2}]'.replace("K", "\\u200b" * 20).encode(),
         "not SenML JSON: the key '" + "\\u200b" * 18 + "\\u2", 0),
    ],
)  # fmt: skip
def test_load_json_s_exact_findings_for_constants_and_long_messages(data, message, offset):
    findings = senml.Findings()
    assert senml.load_json(data, findings, "SenML JSON")[1] is None
    assert [(f.message, f.offset) for f in findings] == [(message, offset)]


def test_a_constant_s_offset_is_0_when_there_is_none_outside_strings():
    assert senml.constant_offset('[1, "NaN"]', "NaN") == 0
    assert senml.constant_offset('[1, "NaN", NaN]', "NaN") == 11


def test_record_offsets_skip_brackets_in_strings():
    data = b'[{"bn":"/3/0/1","vs":"a[b"},5]'
    out, findings = senml.decode_json(data)
    assert [(f.message, f.offset) for f in findings] == [
        ("a SenML record is a JSON object", data.index(b"5"))
    ]
    assert [v.value for v in out] == ["a[b"]


def test_a_record_after_a_duplicate_path_is_read():
    data = b'[{"bn":"/3/0/","n":"1","v":1},{"n":"1","v":2},{"n":"2","v":3}]'
    out, findings = senml.decode_json(data)
    assert [(v.path, v.value) for v in out] == [((3, 0, 1), 1), ((3, 0, 2), 3)]
    assert [(f.message, f.path, f.offset) for f in findings] == [
        ("the same path twice (at the same time)", "/3/0/1", data.index(b'{"n":"1"'))
    ]


@pytest.mark.parametrize(
    "vd, data",
    [
        ("==", None),  # padding alone
        ("AAAA===", None),  # padding is two "=" at most
        ("XQ==", b"]"),  # an X is no character of the standard alphabet only
    ],
)
def test_what_lenient_base64_refuses_and_reads(vd, data):
    assert senml.lenient_base64(vd) == ((data, "base64url with padding") if data else (None, ""))
