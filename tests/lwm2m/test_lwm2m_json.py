"""The LwM2M 1.0 JSON format (11543): the specification's example, round trips, bad entries."""

import json

import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from objects.lwm2m import lwm2m_json, senml
from objects.lwm2m.payload import MAX_FINDINGS, MAX_VALUES

# OMA-TS-LightweightM2M 1.0, 6.4.4: a read of /3/0 (part of it).
DEVICE = b"""{"bn":"/3/0/","e":[{"n":"0","sv":"Open Mobile Alliance"},{"n":"1","sv":"Lightweight M2M
 Client"},{"n":"6/0","v":1},{"n":"6/1","v":5},{"n":"13","v":1367491215},{"n":"22/0","ov":"3303:0"},
{"n":"99","bv":true}]}""".replace(b"M2M\n Client", b"M2M Client")


def test_the_device_example():
    out, findings = lwm2m_json.decode(DEVICE, (3, 0))
    assert findings == []
    got = {v.path: (v.kind, v.value) for v in out}
    assert got == {
        (3, 0, 0): ("string", "Open Mobile Alliance"),
        (3, 0, 1): ("string", "Lightweight M2M Client"),
        (3, 0, 6, 0): ("number", 1),
        (3, 0, 6, 1): ("number", 5),
        (3, 0, 13): ("number", 1367491215),
        (3, 0, 22, 0): ("objlnk", "3303:0"),
        (3, 0, 99): ("boolean", True),
    }
    assert DEVICE[out[2].offset : out[2].offset + 8] == b'{"n":"6/'


def test_without_bn_the_request_path_is_the_base_name():
    out, findings = lwm2m_json.decode(b'{"e":[{"n":"5700","v":1.5}]}', (3303, 0))
    assert findings == [] and out[0].path == (3303, 0, 5700)


def test_round_trip():
    entries = [((3, 0, 0), "sv", "x"), ((3, 0, 6, 0), "v", 1), ((3, 0, 7), "bv", False),
               ((3, 0, 8), "ov", "1:2")]  # fmt: skip
    data = lwm2m_json.encode((3, 0), entries)
    assert json.loads(data)["bn"] == "/3/0/"
    out, findings = lwm2m_json.decode(data, (3, 0))
    assert findings == [] and [(v.path, v.value) for v in out] == [(p, v) for p, _, v in entries]


@pytest.mark.parametrize(
    "data, words",
    [
        (b"[]", "is an object"),
        (b'{"bn":"/3/0/"}', 'array "e"'),
        (b'{"bn":"/3/0/","e":[{"n":"x","v":1}]}', "not a resource path"),
        (b'{"bn":"/3/0/","e":[{"n":"1"}]}', "exactly one value"),
        (b'{"bn":"/3/0/","e":[{"n":"1","v":"1"}]}', "wrong JSON type"),
        (b'{"bn":"/3/0/","e":[{"n":"1","v":1},{"n":"1","v":2}]}', "twice"),
        (b'{"bn":"/4/0/","e":[{"n":"1","v":1}]}', "outside the request path"),
        (b'{"bn":"/3/0/","e":[{"n":"1","v":1}', "not JSON"),
    ],
)
def test_bad_payloads_are_errors(data, words):
    out, findings = lwm2m_json.decode(data, (3, 0))
    errors = [f for f in findings if f.severity == "error"]
    assert errors and words in errors[0].message and errors[0].offset is not None


def test_names_as_leshan_reads_them():
    # A base name without its leading slash, cut in the middle of an ID (Leshan's own tests).
    data = b'{"bn":"3/0/1","e":[{"n":"1/0","v":0},{"n":"1/1","v":7}]}'
    out, findings = lwm2m_json.decode(data, (3, 0, 11))
    assert findings == [] and [(v.path, v.value) for v in out] == [
        ((3, 0, 11, 0), 0),
        ((3, 0, 11, 1), 7),
    ]
    out, findings = lwm2m_json.decode(b'{"bn":"/","e":[{"n":"3/0/0","sv":"x"}]}', (3, 0))
    assert findings == [] and out[0].path == (3, 0, 0)


@seed(26)
@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=80) | st.text(alphabet='{}[]":,0123/bnesvtx ', max_size=80).map(str.encode)
)
def test_any_bytes_decode_without_an_exception(data):
    out, findings = lwm2m_json.decode(data, (3, 0))
    assert all(f.offset is None or 0 <= f.offset <= len(data) for f in findings)


def test_the_base_time_is_added_to_each_time():
    data = b'{"bn":"/3/0/","bt":1700000000,"e":[{"n":"13","v":1,"t":5},{"n":"14","sv":"x"}]}'
    out, findings = lwm2m_json.decode(data, (3, 0))
    assert findings == [] and [v.time for v in out] == [1700000005, 1700000000]
    out, findings = lwm2m_json.decode(b'{"bn":"/3/0/","e":[{"n":"13","v":1,"t":-5}]}', (3, 0))
    assert findings == [] and out[0].time == -5


@pytest.mark.parametrize(
    "fields, words",
    [
        ('"bt":1e400', "bt (base time) is a finite"),  # read by json.loads as inf
        ('"bt":1e308,"e":[{"n":"13","v":1,"t":1e308}]', "add up past"),
        (f'"bt":{"9" * 4300},"e":[{{"n":"13","v":1,"t":{"9" * 4300}}}]', "bt (base time)"),
        ('"e":[{"n":"13","v":1,"t":-1e400}]', "t (time) is a finite"),
        ('"e":[{"n":"13","v":1,"t":"yesterday"}]', "t (time) is a finite"),  # not time 0
    ],
)
def test_a_time_no_json_answer_could_write_is_an_error(fields, words):
    if '"e"' not in fields:
        fields += ',"e":[{"n":"13","v":1}]'
    out, findings = lwm2m_json.decode(f'{{"bn":"/3/0/",{fields}}}'.encode(), (3, 0))
    errors = [f.message for f in findings if f.severity == "error"]
    assert any(words in m for m in errors), errors
    assert [(v.value, v.time) for v in out] == [(1, None)]  # the value kept, without a time


def test_opaque_values_are_base64_strings():
    # LwM2M 1.0 JSON has no opaque key: an Opaque resource's value is base64 in sv, which the
    # value carries so that the registry's type reads it as bytes (SenML's vs is only text).
    out, findings = lwm2m_json.decode(b'{"bn":"/3/0/","e":[{"n":"0","sv":"AAH/"}]}', (3, 0))
    assert findings == [] and out[0].kind == "string" and out[0].extra.get("base64") is True
    out, _ = senml.decode_json(b'[{"bn":"/3/0/0","vs":"AAH/"}]')
    assert not out[0].extra.get("base64")
    data = lwm2m_json.encode((3, 0), [((3, 0, 0), "sv", b"\x00\x01\xff")])
    assert json.loads(data)["e"] == [{"n": "0", "sv": "AAH/"}]


def test_junk_entries_stop_at_the_value_limit_with_capped_findings():
    data = ('{"e":[' + ",".join(["1"] * 30000) + "]}").encode()
    out, findings = lwm2m_json.decode(data, (3, 0))
    assert out == [] and len(findings) == MAX_FINDINGS + 1
    assert findings[-1].message.startswith(f"{MAX_VALUES + 1 - MAX_FINDINGS} more finding")


def test_encoding_refuses_what_json_cannot_write():
    with pytest.raises(ValueError):
        lwm2m_json.encode((3303, 0), [((3303, 0, 5700), "v", float("nan"))])


def test_a_lone_surrogate_is_an_error():
    data = b'{"bn":"/3/0/","e":[{"n":"0","sv":"\\udfff"}]}'
    out, findings = lwm2m_json.decode(data, (3, 0))
    assert out == [] and "surrogate" in findings[0].message
    assert findings[0].offset == data.index(b"\\udfff")


@pytest.mark.parametrize(
    "data, findings",
    [
        (b"[]", [("error", 'LwM2M JSON is an object: {"bn": ..., "e": [...]}', None, 0)]),
        (b'{"bn":5,"e":[]}', [("error", "bn (base name) is a string", None, 0)]),
        (b'{"bn":"/3/0/","e":{}}',
         [("error", 'LwM2M JSON holds its values in an array "e"', None, 0)]),
        (b'{"bn":"/3/0/","x":1,"e":[]}', [("warning", "unknown field 'x', ignored", None, 0)]),
        (b'{"bn":"/3/0/","bt":"x","e":[]}',
         [("error", "bt (base time) is a finite number of seconds within 64 bits", None, 0)]),
        # Entries start at byte 19, after '{"bn":"/3/0/","e":['.
        (b'{"bn":"/3/0/","e":[1]}', [("error", "an entry of e is a JSON object", None, 19)]),
        (b'{"bn":"/3/0/","e":[{"n":5,"v":1}]}', [("error", "n (name) is a string", None, 19)]),
        (b'{"bn":"/3/0/","e":[{"n":"1","v":1,"y":2}]}',
         [("warning", "unknown field 'y', ignored", None, 19)]),
        (b'{"bn":"/3/0/","e":[{"n":"x","v":1}]}',
         [("error", "the name '/3/0/x' (base name and name) is not a resource path", None, 19)]),
        (b'{"bn":"/3/0","e":[{"n":"","v":1}]}',
         [("error", "the name '/3/0' (base name and name) is not a resource path", None, 18)]),
        (b'{"bn":"/4/0/","e":[{"n":"1","v":1}]}',
         [("error", "outside the request path /3/0", "/4/0/1", 19)]),
        (b'{"bn":"/3/0/","e":[{"n":"1"}]}',
         [("error", "an entry has exactly one value: v, sv, bv or ov", "/3/0/1", 19)]),
        (b'{"bn":"/3/0/","e":[{"n":"1","v":1,"sv":"x"}]}',
         [("error", "an entry has exactly one value: v, sv, bv or ov", "/3/0/1", 19)]),
        (b'{"bn":"/3/0/","e":[{"n":"1","v":"x"}]}',
         [("error", "v has the wrong JSON type", "/3/0/1", 19)]),
        (b'{"bn":"/3/0/","e":[{"n":"1","v":true}]}',
         [("error", "v has the wrong JSON type", "/3/0/1", 19)]),
        (b'{"bn":"/3/0/","e":[{"n":"1","sv":1}]}',
         [("error", "sv has the wrong JSON type", "/3/0/1", 19)]),
        (b'{"bn":"/3/0/","e":[{"n":"1","bv":1}]}',
         [("error", "bv has the wrong JSON type", "/3/0/1", 19)]),
        (b'{"bn":"/3/0/","e":[{"n":"1","ov":1}]}',
         [("error", "ov has the wrong JSON type", "/3/0/1", 19)]),
        (b'{"bn":"/3/0/","e":[{"n":"1","v":18446744073709551616}]}',
         [("error", "v is an integer past 64 bits", "/3/0/1", 19)]),
        (b'{"bn":"/3/0/","e":[{"n":"1","v":1,"t":"x"}]}',
         [("error", "t (time) is a finite number of seconds within 64 bits", "/3/0/1", 19)]),
        (b'{"bn":"/3/0/","e":[{"n":"1","v":1},{"n":"1","v":2}]}',
         [("error", "the same path twice (at the same time)", "/3/0/1", 35)]),
    ],
)  # fmt: skip
def test_a_bad_payload_s_exact_findings(data, findings):
    out, found = lwm2m_json.decode(data, (3, 0))
    assert [(f.severity, f.message, f.path, f.offset) for f in found] == findings


def test_the_decode_goes_on_past_a_bad_entry():
    data = b'{"bn":"/3/0/","e":[1,{"n":5,"v":1},{"n":"x","v":1},{"n":"1"},{"n":"2","v":2}]}'
    out, findings = lwm2m_json.decode(data, (3, 0))
    assert len(findings) == 4
    assert [(v.path, v.value, v.offset) for v in out] == [((3, 0, 2), 2, data.index(b'{"n":"2"'))]


def test_each_value_s_kind_time_and_multiple():
    data = b'{"bn":"/3/0/","bt":10,"e":[{"n":"1","v":1,"t":5},{"n":"6/0","bv":true},' + (
        b'{"n":"2","sv":"x"},{"n":"3","ov":"1:2"}]}'
    )
    out, findings = lwm2m_json.decode(data, (3, 0))
    assert findings == []
    assert [(v.path, v.kind, v.time, v.multiple) for v in out] == [
        ((3, 0, 1), "number", 15, None),
        ((3, 0, 6, 0), "boolean", 10, True),
        ((3, 0, 2), "string", 10, None),
        ((3, 0, 3), "objlnk", 10, None),
    ]
    assert all(v.extra == {"base64": True} for v in out)


def test_the_value_limit_s_finding_is_at_the_entry_past_it():
    entries = ",".join(f'{{"n":"{i}","v":1}}' for i in range(MAX_VALUES + 1))
    data = ('{"bn":"/3/0/","e":[' + entries + "]}").encode()
    out, findings = lwm2m_json.decode(data, (3, 0))
    assert len(out) == MAX_VALUES
    assert [(f.message, f.offset) for f in findings] == [
        (f"more than {MAX_VALUES} values: the decode stops", data.rindex(b"{"))
    ]


def test_encoding_without_a_request_names_from_the_root():
    data = lwm2m_json.encode((), [((3, 0, 1), "sv", "é")])
    assert data == '{"bn":"/","e":[{"n":"3/0/1","sv":"é"}]}'.encode()


def test_offsets_follow_the_e_key_not_an_e_value():
    data = b'{"bn":"/3/0/","e":[{"n":"0","sv":"e"}]}'
    out, findings = lwm2m_json.decode(data, (3, 0))
    assert findings == [] and out[0].offset == data.index(b'{"n"')


def test_without_bn_or_request_the_names_are_whole_paths():
    out, findings = lwm2m_json.decode(b'{"e":[{"n":"3/0/1","v":1}]}', ())
    assert findings == [] and [(v.path, v.value) for v in out] == [((3, 0, 1), 1)]


def test_unknown_fields_are_quoted_to_30_characters():
    data = (b'{"bn":"/3/0/","' + b"k" * 40 + b'":1,"e":[{"n":"0","sv":"x","' + b"q" * 40
            + b'":1}]}')  # fmt: skip
    out, findings = lwm2m_json.decode(data, (3, 0))
    assert [(f.severity, f.message, f.offset) for f in findings] == [
        ("warning", f"unknown field '{'k' * 30}', ignored", 0),
        ("warning", f"unknown field '{'q' * 30}', ignored", data.index(b'{"n"')),
    ]


def test_a_payload_that_is_not_utf8_names_the_format():
    out, findings = lwm2m_json.decode(b'{"bn":"\xff"}', (3, 0))
    assert out == [] and [(f.message, f.offset) for f in findings] == [
        ("LwM2M JSON is UTF-8 text: byte 7 is not", 7)
    ]


def test_an_entry_without_n_is_the_base_name():
    out, findings = lwm2m_json.decode(b'{"bn":"/3/0/1","e":[{"v":7}]}', (3, 0))
    assert findings == [] and [(v.path, v.value) for v in out] == [((3, 0, 1), 7)]


@pytest.mark.parametrize(
    "bad",
    [
        '{"n":"x","v":1}',
        '{"n":"1"}',
        '{"n":"1","v":"1"}',
        '{"n":"2","v":5}',  # the same path twice
        '{"n":"1","v":18446744073709551616}',
        '{"n":5,"v":1}',
        "1",
    ],
)
def test_a_bad_entry_leaves_the_next_ones_read(bad):
    data = f'{{"bn":"/3/0/","e":[{{"n":"2","v":5}},{bad},{{"n":"3","v":6}}]}}'.encode()
    out, findings = lwm2m_json.decode(data, (3, 0))
    assert [(v.path, v.value) for v in out] == [((3, 0, 2), 5), ((3, 0, 3), 6)]
    assert [f.severity for f in findings] == ["error"]


def test_long_names_and_roots_are_quoted_to_60_characters():
    name = "/3/0/" + "x" * 70
    out, findings = lwm2m_json.decode(f'{{"bn":"","e":[{{"n":"{name}","v":1}}]}}'.encode(), ())
    assert findings[0].message == (
        f"the name {name[:60]!r} (base name and name) is not a resource path"
    )
    root = "/" + "r" * 70
    data = f'{{"bn":"{root}/3/0/","e":[{{"n":"1","v":1}}]}}'.encode()
    out, findings = lwm2m_json.decode(data, ())
    assert [v.path for v in out] == [(3, 0, 1)]
    assert [f.message for f in findings] == [
        f"names under the root path {root[:60]}: read without it"
    ]


def test_an_entry_outside_the_request_is_refused_and_the_next_one_read():
    data = b'{"bn":"/","e":[{"n":"4/0/1","v":1},{"n":"3/0/2","v":2}]}'
    out, findings = lwm2m_json.decode(data, (3, 0))
    assert [(f.message, f.path) for f in findings] == [("outside the request path /3/0", "/4/0/1")]
    assert [(v.path, v.value) for v in out] == [((3, 0, 2), 2)]
