"""Content formats by name and number, pasted payloads (text, hex, base64), detection, and the
single-value formats (text 0, opaque 42, CBOR 60)."""

import cbor2
import pytest

from objects.lwm2m import content_formats as cf
from objects.lwm2m.payload import MAX_PAYLOAD, Findings


def test_formats_by_name_and_number():
    assert cf.content_format("tlv").number == 11542
    assert cf.content_format(None, "112").name == "senml-cbor"
    assert cf.content_format("11543").name == "lwm2m-json"
    assert cf.content_format(None, None) is None
    with pytest.raises(cf.BadPayloadInput):
        cf.content_format("xml")
    with pytest.raises(cf.BadPayloadInput):
        cf.content_format(None, "9")


@pytest.mark.parametrize(
    "text, encoding, expected",
    [
        ("c1 09 64", "auto", (b"\xc1\x09\x64", "hex")),
        ("0xC1 0x09 0x64", "auto", (b"\xc1\x09\x64", "hex")),
        ("c1:09:64", "hex", (b"\xc1\x09\x64", "hex")),
        ("wQlk", "auto", (b"\xc1\x09\x64", "base64")),
        ("wQlk", "text", (b"wQlk", "text")),
        ("  </3/0>\n", "auto", (b"</3/0>", "text")),
        ("[1]", "auto", (b"[1]", "text")),
    ],
)
def test_pasted_payloads(text, encoding, expected):
    assert cf.read_input(text, encoding, None) == expected


def test_text_payloads_stay_text_for_a_textual_format():
    assert cf.read_input("1234", "auto", cf.BY_NAME["text"]) == (b"1234", "text")
    assert cf.read_input("1234", "auto", cf.BY_NAME["tlv"]) == (b"\x12\x34", "hex")


@pytest.mark.parametrize(
    "data, name",
    [
        (b"</1/0>,</3/0>", "link"),
        (b'[{"bn":"/3/0/1","v":1}]', "senml-json"),
        (b'{"e":[]}', "lwm2m-json"),
        (cbor2.dumps([{-2: "/3/0/1", 2: 1}]), "senml-cbor"),
        (bytes.fromhex("c10964"), "tlv"),
        (b"23.5", "text"),
        (b"\xff\xfe", "opaque"),
    ],
)
def test_detect(data, name):
    assert cf.detect(data).name == name


def test_single_values():
    findings = Findings()
    (raw,) = cf.single("text", b"23.5", (3303, 0, 5700), findings)
    assert (raw.kind, raw.value) == ("text", "23.5")
    (raw,) = cf.single("cbor", bytes.fromhex("c11a5182428f"), (3, 0, 13), findings)
    assert (raw.kind, raw.value) == ("time", 1367491215)
    (raw,) = cf.single("cbor", bytes.fromhex("f94de0"), (3303, 0, 5700), findings)
    assert (raw.kind, raw.value) == ("number", 23.5)
    (raw,) = cf.single("opaque", b"\x00", (3, 0, 99, 1), findings)
    assert (raw.kind, raw.value, raw.multiple) == ("opaque", b"\x00", True)
    assert findings == []
    assert (
        cf.single("text", b"1", (3, 0), findings) == [] and "resource's path" in findings[0].message
    )


@pytest.mark.parametrize(
    "data, offset",
    [(bytes.fromhex("1a0000"), 3), (bytes.fromhex("0101"), 1), (bytes.fromhex("ff"), 0)],
)
def test_bad_cbor_single_values(data, offset):
    findings = Findings()
    assert cf.single("cbor", data, (3, 0, 9), findings) == []
    assert findings.has_errors and findings[0].offset == offset


def test_every_decoder_refuses_a_payload_over_the_limit():
    for fmt in cf.FORMATS:
        values, links, findings = cf.decode(fmt, b"0" * (MAX_PAYLOAD + 1), (3, 0, 1))
        assert values == [] and not links and "limit" in findings[0].message


@pytest.mark.parametrize(
    "name, number, expected",
    [
        (" TLV ", None, "tlv"),
        ("40", None, "link"),
        ("000040", None, "link"),
        (None, 0, "text"),
        (None, " 42 ", "opaque"),
        (None, "", None),
        ("", "60", "cbor"),
        (None, "000040", "link"),
    ],
)
def test_a_format_by_name_or_number(name, number, expected):
    found = cf.content_format(name, number)
    assert (found.name if found else None) == expected


@pytest.mark.parametrize(
    "name, number, message",
    [
        ("xml", None, "unknown format 'xml': one of " + ", ".join(f.name for f in cf.FORMATS)),
        ("0000040", None, "unknown format '0000040'"),
        ("x" * 40, None, f"unknown format {'x' * 30!r}"),
        (None, "9", "unknown content format '9': one of 11542, 110, 112, 11543, 40, 0, 42, 60"),
        (None, "0000040", "unknown content format '0000040'"),
        (None, "9" * 30, f"unknown content format {'9' * 20!r}"),
    ],
)
def test_an_unknown_format_says_which_are_known(name, number, message):
    with pytest.raises(cf.BadPayloadInput) as raised:
        cf.content_format(name, number)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    "text, encoding, fmt, expected",
    [
        ("0XC1,09", "HEX", None, (b"\xc1\x09", "hex")),
        ("wQ", "base64", None, (b"\xc1", "base64")),
        ("wQl", "base64", None, (b"\xc1\x09", "base64")),
        ("wQ==", "base64", None, (b"\xc1", "base64")),
        ("-_8", "base64", None, (b"\xfb\xff", "base64")),
        ("wQ", None, None, (b"\xc1", "base64")),
        ("wQl", "auto", None, (b"\xc1\x09", "base64")),
        ("wQ lk", "base64", None, (b"\xc1\x09\x64", "base64")),
        ("0XC1 0X09", "auto", None, (b"\xc1\x09", "hex")),
        (" [1] ", "auto", None, (b"[1]", "text")),
        ("wQlkw", "auto", None, (b"wQlkw", "text")),
        ("wQ=", "auto", None, (b"wQ=", "text")),
        ("  12 \n", "auto", "text", (b"  12 \n", "text")),
        (" wQlk \n", "auto", "senml-json", (b"wQlk", "text")),
        (" {} ", "auto", None, (b"{}", "text")),
        ("", "auto", None, (b"", "text")),
    ],
)
def test_read_input(text, encoding, fmt, expected):
    assert cf.read_input(text, encoding, fmt and cf.BY_NAME[fmt]) == expected


@pytest.mark.parametrize(
    "text, encoding, message",
    [
        ("c10", "hex", "hex has an even number of digits"),
        ("zz", "hex", "not hex: only 0-9, a-f, spaces, colons and 0x"),
        ("w", "base64", "not base64"),
        ("wQ!lk", "base64", "not base64"),
        ("c109", "binary", "input is one of auto, text, hex, base64"),
    ],
)
def test_bad_input(text, encoding, message):
    with pytest.raises(cf.BadPayloadInput, match=f"^{message}$"):
        cf.read_input(text, encoding, None)


@pytest.mark.parametrize(
    "data, name",
    [
        (b"", "opaque"),
        (b" \n<", "link"),
        (cbor2.dumps([1, 2]), "tlv"),  # no SenML; read as TLV cut short, 0x82 a multiple resource
        (bytes.fromhex("c109"), "tlv"),  # a resource whose value was cut off
        (bytes.fromhex("c10964c1"), "tlv"),  # cut off in the header of the second TLV
        (bytes.fromhex("c1"), "opaque"),  # not even a whole TLV header
        (bytes.fromhex("4109"), "opaque"),  # a resource instance cannot come first
    ],
)
def test_detect_edges(data, name):
    assert cf.detect(data).name == name


def test_a_single_value_on_no_resource_says_so():
    findings = Findings()
    assert cf.single("text", b"1", (3, 0), findings) == []
    assert findings[0].message == (
        "a Plain text payload is one resource's value: give the resource's path, as in /3303/0/5700"
    )
    findings = Findings()
    assert cf.single("text", b"1\xff", (3, 0, 1), findings) == []
    assert [(f.severity, f.message, f.path, f.offset) for f in findings] == [
        ("error", "plain text is UTF-8: byte 1 is not", "/3/0/1", 1)
    ]
    (raw,) = cf.single("text", b"1", (3, 0, 1), Findings())
    assert (raw.path, raw.offset, raw.multiple) == ((3, 0, 1), 0, None)
    (raw,) = cf.single("text", b"1", (3, 0, 1, 2), Findings())
    assert raw.multiple is True
    (raw,) = cf.single("opaque", b"1", (3, 0, 1), Findings())
    assert (raw.offset, raw.multiple) == (0, None)
    (raw,) = cf.single("cbor", b"\x01", (3, 0, 1, 2), Findings())
    assert (raw.kind, raw.value, raw.offset, raw.multiple) == ("number", 1, 0, True)


@pytest.mark.parametrize(
    "item, kind, value, extra, found",
    [
        (cbor2.CBORTag(1, 1367491215), "time", 1367491215, {}, []),
        (cbor2.CBORTag(0, "2013-05-02T10:40:15Z"), "time", "2013-05-02T10:40:15Z", {}, []),
        (cbor2.CBORTag(1, 2**64), "other", None, {}, [("error", "a time past 64 bits")]),
        (cbor2.CBORTag(0, -(2**63) - 1), "other", None, {}, [("error", "a time past 64 bits")]),
        (
            cbor2.CBORTag(100, 5),
            "number",
            5,
            {},
            [("warning", "CBOR tag 100 is not one LwM2M uses: read its content")],
        ),
        (True, "boolean", True, {}, []),
        (2**64 - 1, "number", 2**64 - 1, {}, []),
        (
            2**64,
            "other",
            None,
            {},
            [("error", "an integer past 64 bits is no LwM2M value")],
        ),
        (1.5, "number", 1.5, {}, []),
        ("hi", "string", "hi", {"cbor": True}, []),
        (b"\x00", "opaque", b"\x00", {}, []),
        (None, "null", None, {}, []),
        ([1], "other", [1], {}, []),
    ],
)
def test_cbor_values(item, kind, value, extra, found):
    findings = Findings()
    raw = cf.cbor_value(item, (3, 0, 13), findings, True)
    assert (raw.path, raw.kind, raw.value, raw.offset, raw.multiple, raw.extra) == (
        (3, 0, 13),
        kind,
        value,
        0,
        True,
        extra,
    )
    assert [(f.severity, f.message) for f in findings] == found
    assert all((f.path, f.offset) == ("/3/0/13", 0) for f in findings)


def test_decode_gives_each_format_to_its_reader():
    values, links, findings = cf.decode(cf.BY_NAME["link"], b"</3/0>", ())
    assert (values, [link.target for link in links], findings) == ([], ["/3/0"], [])
    for name, data, value in [
        ("tlv", bytes.fromhex("c10964"), b"d"),
        ("senml-json", b'[{"n":"/3/0/9","v":100}]', 100),
        ("senml-cbor", cbor2.dumps([{0: "/3/0/9", 2: 100}]), 100),
        ("lwm2m-json", b'{"bn":"/3/0/","e":[{"n":"9","v":100}]}', 100),
        ("text", b"100", "100"),
    ]:
        values, links, findings = cf.decode(cf.BY_NAME[name], data, (3, 0, 9))
        assert links is None and findings == [], name
        assert [(v.path, v.value) for v in values] == [((3, 0, 9), value)], name
    senml_cbor = cbor2.dumps([{0: "/3/0/1", 2: 1}])
    for name, data in [
        ("senml-json", b'[{"n":"/3/0/1","v":1}]'),
        ("senml-cbor", senml_cbor),
        ("lwm2m-json", b'{"bn":"/3/0/","e":[{"n":"1","v":1}]}'),
    ]:
        values, _, findings = cf.decode(cf.BY_NAME[name], data, (3, 0, 9))
        assert values == [] and findings.has_errors, name
    values, _, findings = cf.decode(cf.BY_NAME["opaque"], b"0" * MAX_PAYLOAD, (3, 0, 1))
    assert findings == [] and values[0].value == b"0" * MAX_PAYLOAD
    _, _, findings = cf.decode(cf.BY_NAME["tlv"], b"0" * (MAX_PAYLOAD + 1), ())
    assert [(f.message, f.offset) for f in findings] == [
        ("the payload is over the 64 KB limit", MAX_PAYLOAD)
    ]
