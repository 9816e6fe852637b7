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
