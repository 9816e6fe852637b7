"""Values by LwM2M data type (Core 1.1, 7.4 and appendix C): TLV widths, text, numbers."""

import math

import pytest

from objects.lwm2m import values as lv
from objects.lwm2m.payload import too_big


@pytest.mark.parametrize(
    "type_, hex_, value",
    [
        (lv.INTEGER, "7f", 127),
        (lv.INTEGER, "80", -128),
        (lv.INTEGER, "ff38", -200),
        (lv.INTEGER, "00000100", 256),
        (lv.INTEGER, "8000000000000000", -(2**63)),
        (lv.UNSIGNED, "ff", 2**64 - 1),  # Leshan writes 2**64 - 1 so (its long is -1)
        (lv.UNSIGNED, "8000000000000000", 2**63),
        (lv.UNSIGNED, "00c8", 200),  # as Leshan writes it
        (lv.UNSIGNED, "ffffffffffffffff", 2**64 - 1),
        (lv.FLOAT, "41bc0000", 23.5),
        (lv.FLOAT, "4037800000000000", 23.5),
        (lv.BOOLEAN, "01", True),
        (lv.BOOLEAN, "00", False),
        (lv.TIME, "5182428f", 1367491215),
        (lv.OBJLNK, "0d0e0000", (3342, 0)),
        (lv.OBJLNK, "ffffffff", (65535, 65535)),
        (lv.STRING, "c3a9", "é"),
        (lv.OPAQUE, "0001ff", b"\x00\x01\xff"),
    ],
)
def test_tlv_values(type_, hex_, value):
    assert lv.from_tlv(type_, bytes.fromhex(hex_)) == (value, None)


@pytest.mark.parametrize(
    "type_, hex_",
    [
        (lv.INTEGER, ""),
        (lv.INTEGER, "000000000000000000"),  # 9 bytes
        (lv.FLOAT, "000000"),
        (lv.FLOAT, ""),
        (lv.BOOLEAN, "02"),
        (lv.BOOLEAN, "0001"),
        (lv.OBJLNK, "000000"),
        (lv.STRING, "ff"),  # not UTF-8
        (lv.UNSIGNED, ""),
    ],
)
def test_tlv_values_of_the_wrong_size_or_content_are_problems(type_, hex_):
    value, problem = lv.from_tlv(type_, bytes.fromhex(hex_))
    assert value is None and problem


@pytest.mark.parametrize(
    "type_, value",
    [
        (lv.INTEGER, 0), (lv.INTEGER, -129), (lv.INTEGER, 2**31), (lv.INTEGER, -(2**63)),
        (lv.UNSIGNED, 255), (lv.UNSIGNED, 2**63), (lv.UNSIGNED, 2**64 - 1),
        (lv.FLOAT, 23.5), (lv.FLOAT, -1e300), (lv.BOOLEAN, True), (lv.TIME, 1700000000),
        (lv.OBJLNK, (3303, 65535)), (lv.STRING, "Cel ✓"), (lv.OPAQUE, b"\x00\xff"),
    ],
)  # fmt: skip
def test_tlv_round_trip(type_, value):
    data = lv.to_tlv(type_, value)
    assert len(data) in (1, 2, 4, 8) or type_ in (lv.STRING, lv.OPAQUE)
    assert lv.from_tlv(type_, data) == (value, None)


def test_integers_take_the_shortest_width():
    assert lv.to_tlv(lv.INTEGER, 127).hex() == "7f"
    assert lv.to_tlv(lv.INTEGER, 128).hex() == "0080"
    assert lv.to_tlv(lv.INTEGER, -32769).hex() == "ffff7fff"
    assert lv.to_tlv(lv.UNSIGNED, 200).hex() == "00c8"


@pytest.mark.parametrize(
    "type_, text, value",
    [
        (lv.INTEGER, "-12", -12), (lv.UNSIGNED, "18446744073709551615", 2**64 - 1),
        (lv.FLOAT, "23.5", 23.5), (lv.FLOAT, "1.0E10", 1e10), (lv.BOOLEAN, "1", True),
        (lv.TIME, "1367491215", 1367491215), (lv.OBJLNK, "3:0", (3, 0)),
        (lv.OPAQUE, "AAH/", b"\x00\x01\xff"), (lv.STRING, " x ", " x "),
    ],
)  # fmt: skip
def test_text_values(type_, text, value):
    assert lv.from_text(type_, text) == (value, None)
    assert lv.from_text(type_, lv.to_text(type_, value)) == (value, None)


@pytest.mark.parametrize(
    "type_, text",
    [
        (lv.INTEGER, "1.5"), (lv.INTEGER, "9223372036854775808"), (lv.UNSIGNED, "-1"),
        (lv.FLOAT, "abc"), (lv.FLOAT, "1e999"), (lv.BOOLEAN, "true"), (lv.OBJLNK, "3"),
        (lv.OBJLNK, "70000:0"), (lv.OPAQUE, "A"),
    ],
)  # fmt: skip
def test_bad_text_values(type_, text):
    value, problem = lv.from_text(type_, text)
    assert value is None and problem


def test_numbers_by_type():
    assert lv.from_number(lv.FLOAT, 5) == (5.0, None)
    assert lv.from_number(lv.INTEGER, 5.0) == (5, None)
    assert lv.from_number(lv.INTEGER, 5.5)[1]
    assert lv.from_number(lv.UNSIGNED, -1)[1]
    assert lv.from_number(lv.INTEGER, True)[1]


def test_json_values():
    assert lv.json_value(lv.OPAQUE, b"\xab\x01") == "ab01"
    assert lv.json_value(lv.OBJLNK, (3, 1)) == "3:1"
    assert lv.json_value(lv.FLOAT, math.nan) == "NaN"
    assert lv.json_value(lv.FLOAT, -math.inf) == "-Infinity"
    assert lv.from_text(lv.FLOAT, "-Infinity") == (-math.inf, None)
    assert lv.to_text(lv.FLOAT, math.inf) == "Infinity"
    assert lv.iso_time(1367491215) == "2013-05-02T10:40:15Z"
    assert lv.printable_text(b"abc") == "abc" and lv.printable_text(b"\x00") == ""


def test_dates_of_cbor_tag_0():
    assert lv.from_date_text("2013-05-02T10:40:15Z") == (1367491215, None)
    assert lv.from_date_text("2013-05-02T12:40:15+02:00") == (1367491215, None)
    assert lv.from_date_text("2013-05-02T10:40:15")[1]  # no time zone
    assert lv.from_date_text("yesterday")[1]


@pytest.mark.parametrize(
    "type_, number",
    [(lv.UNSIGNED, 2**64), (lv.UNSIGNED, -1), (lv.INTEGER, 2**63), (lv.INTEGER, -(2**63) - 1)],
)
def test_just_past_64_bits_is_out_of_range(type_, number):
    assert lv.from_number(type_, number)[1] and lv.from_text(type_, str(number))[1]
    assert lv.from_number(type_, number - 1 if number > 0 else number + 1)[1] is None


def test_unsigned_integers_past_2_63_are_8_bytes_unsigned():
    assert lv.to_tlv(lv.UNSIGNED, 2**64 - 1).hex() == "ffffffffffffffff"
    assert lv.to_tlv(lv.UNSIGNED, 2**63).hex() == "8000000000000000"
    assert lv.to_tlv(lv.UNSIGNED, 2**63 - 1).hex() == "7fffffffffffffff"
    assert lv.from_tlv(lv.UNSIGNED, bytes.fromhex("8000000000000001")) == (2**63 + 1, None)
    assert not lv.leshan_sign_extended(lv.UNSIGNED, bytes.fromhex("8000000000000001"))
    assert lv.leshan_sign_extended(lv.UNSIGNED, bytes.fromhex("80"))


def test_the_64_bits_no_type_passes():
    assert not too_big(2**64 - 1) and too_big(2**64)
    assert not too_big(-(2**63)) and too_big(-(2**63) - 1)


@pytest.mark.parametrize(
    "type_, hex_, problem",
    [
        (lv.INTEGER, "", "Integer is 1, 2, 4 or 8 bytes in TLV, not 0"),
        (lv.TIME, "00" * 9, "Time is 1, 2, 4 or 8 bytes in TLV, not 9"),
        (lv.UNSIGNED, "", "Unsigned Integer is 1, 2, 4 or 8 bytes in TLV, not 0"),
        (lv.UNSIGNED, "00" * 9, "Unsigned Integer is 1, 2, 4 or 8 bytes in TLV, not 9"),
        (lv.FLOAT, "00", "Float is 4 or 8 bytes in TLV, not 1"),
        (lv.BOOLEAN, "0000", "Boolean is 1 byte in TLV, not 2"),
        (lv.BOOLEAN, "02", "Boolean is 0 or 1, not 2"),
        (lv.OBJLNK, "000000", "Objlnk is 4 bytes in TLV, not 3"),
        (lv.STRING, "41ff", "not UTF-8 text (byte 1)"),
    ],
)
def test_a_tlv_value_s_exact_problem(type_, hex_, problem):
    assert lv.from_tlv(type_, bytes.fromhex(hex_)) == (None, problem)


@pytest.mark.parametrize(
    "type_, text, problem",
    [
        (lv.INTEGER, "x", "'x' is not a whole number"),
        (lv.INTEGER, "9223372036854775808",
         "9223372036854775808 is outside the range of Integer (-9223372036854775808 to "
         "9223372036854775807)"),
        (lv.UNSIGNED, "-1",
         "-1 is outside the range of Unsigned Integer (0 to 18446744073709551615)"),
        (lv.FLOAT, "1e999", "'1e999' is out of a Float's range"),
        (lv.FLOAT, "x", "'x' is not a number"),
        (lv.BOOLEAN, "2", "Boolean is 0 or 1 in text, not '2'"),
        (lv.OBJLNK, "65536:0", "Objlnk is written O:I with two IDs up to 65535, not '65536:0'"),
        (lv.OBJLNK, "1:65536", "Objlnk is written O:I with two IDs up to 65535, not '1:65536'"),
        (lv.OPAQUE, "A", "not base64: 'A'"),
        (lv.OPAQUE, "AAA", "base64 with its padding is a multiple of 4 characters: 'AAA'"),
    ],
)  # fmt: skip
def test_a_text_value_s_exact_problem(type_, text, problem):
    assert lv.from_text(type_, text) == (None, problem)


def test_a_huge_number_is_named_by_its_bits():
    assert lv.check_int_range(lv.INTEGER, 2**300) == (
        None,
        "a 301-bit number is outside the range of Integer (-9223372036854775808 to "
        "9223372036854775807)",
    )


@pytest.mark.parametrize(
    "type_, number, read",
    [
        (lv.INTEGER, True, (None, "Integer expects a number")),
        (lv.FLOAT, 10**400, (None, "the number is out of a Float's range")),
        (lv.INTEGER, 1.5, (None, "Integer expects a whole number, not 1.5")),
        (lv.UNSIGNED, float("inf"), (None, "Unsigned Integer expects a whole number, not inf")),
        (lv.STRING, 1, (None, "a number is not a value of type String")),
        (lv.TIME, 2.0, (2, None)),
    ],
)
def test_numbers_read_by_type_exactly(type_, number, read):
    assert lv.from_number(type_, number) == read


def test_display_helpers():
    assert lv.canonical_type("  unsigned   INTEGER ") == lv.UNSIGNED
    assert lv.canonical_type(None) == "" and lv.canonical_type("Decimal") == ""
    assert lv.iso_time(0) == "1970-01-01T00:00:00Z" and lv.iso_time(1e20) == ""
    assert lv.printable_text(b"a\tb\r\n") == "a\tb\r\n"
    assert [lv.printable_text(b) for b in (b"\x00", b"", b"\xff")] == ["", "", ""]
    assert lv.from_date_text("x" * 41) == (None, "not an RFC 3339 date")
    assert lv.from_date_text("2013-05-02T10:40:15") == (
        None, "an RFC 3339 date has its time zone: '2013-05-02T10:40:15'"
    )  # fmt: skip
    assert lv.from_date_text("bad") == (None, "not an RFC 3339 date: 'bad'")


def test_values_written_as_text_and_tlv():
    assert [lv.to_text(lv.FLOAT, x) for x in (float("nan"), float("-inf"), float("inf"))] == [
        "NaN", "-Infinity", "Infinity"
    ]  # fmt: skip
    assert lv.to_text(lv.OBJLNK, (1, 2)) == "1:2" and lv.to_text(lv.OPAQUE, b"\x00") == "AA=="
    assert lv.to_text(lv.BOOLEAN, False) == "0" and lv.to_text(lv.BOOLEAN, True) == "1"
    assert lv.to_tlv(lv.OBJLNK, (1, 2)).hex() == "00010002"
    assert lv.to_tlv(lv.STRING, "é").hex() == "c3a9"
    assert lv.to_tlv(lv.FLOAT, 1).hex() == "3ff0000000000000"
    assert [lv.to_tlv(lv.BOOLEAN, b).hex() for b in (True, False)] == ["01", "00"]
    assert lv.json_value(lv.STRING, (1, 2)) == "1:2" and lv.json_value(lv.INTEGER, None) is None
    assert lv.json_value(lv.FLOAT, float("nan")) == "NaN"
    assert lv.base64url(b"\xfb\xff") == "-_8"
    assert lv.from_base64("A", url=True, padding=False) == (
        None, "not base64url without padding: 'A'"
    )  # fmt: skip


@pytest.mark.parametrize(
    "data, differs", [(b"\x80", True), (b"\x7f", False), (b"\x80" + bytes(7), False), (b"", False)]
)
def test_which_unsigned_values_leshan_reads_sign_extended(data, differs):
    assert lv.leshan_sign_extended(lv.UNSIGNED, data) is differs
    assert lv.leshan_sign_extended(lv.INTEGER, data) is False


@pytest.mark.parametrize(
    "text, read",
    [
        ("3303:0", ((3303, 0), None)),
        # 65535 is an ID too: 65535:65535 is the null link (no object instance).
        ("65535:65535", ((65535, 65535), None)),
        ("65536:0", (None, "Objlnk is written O:I with two IDs up to 65535, not '65536:0'")),
        ("0:65536", (None, "Objlnk is written O:I with two IDs up to 65535, not '0:65536'")),
        ("1" * 50, (None, f"Objlnk is written O:I with two IDs up to 65535, not '{'1' * 40}'")),
        (None, (None, "Objlnk is written O:I with two IDs up to 65535, not 'None'")),
    ],
)
def test_objlnk_text_exactly(text, read):
    assert lv.parse_objlnk(text) == read


def test_base64url_drops_only_its_padding():
    assert lv.base64url(b"\x00\x00\x17") == "AAAX"
    assert lv.base64url(b"\xff") == "_w"
    assert lv.base64url(b"\xfb\xff") == "-_8"


def test_date_texts_are_quoted_up_to_their_bound():
    assert lv.from_date_text("x" * 40) == (None, f"not an RFC 3339 date: '{'x' * 40}'")
    assert lv.from_date_text("x" * 41) == (None, "not an RFC 3339 date")
    assert lv.from_date_text("2013-05-02T10:40:15") == (
        None,
        "an RFC 3339 date has its time zone: '2013-05-02T10:40:15'",
    )


def test_iso_time_is_utc_whatever_the_server_s_zone(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "JST-9")  # POSIX: 9 hours east, no tzdata needed
    time.tzset()
    try:
        assert lv.iso_time(1367491215) == "2013-05-02T10:40:15Z"
        assert lv.iso_time(0) == "1970-01-01T00:00:00Z"
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(
    "type_, text, read",
    [
        (lv.INTEGER, "1" * 50, (None, f"'{'1' * 40}' is not a whole number")),
        (lv.FLOAT, "x" * 50, (None, f"'{'x' * 40}' is not a number")),
        (lv.FLOAT, "1" * 45 + "e999", (None, f"'{'1' * 40}' is out of a Float's range")),
        (lv.BOOLEAN, "2" * 50, (None, f"Boolean is 0 or 1 in text, not '{'2' * 40}'")),
        (lv.BOOLEAN, "0", (False, None)),
        (lv.BOOLEAN, "1", (True, None)),
    ],
)
def test_text_values_quote_at_most_40_characters(type_, text, read):
    assert lv.from_text(type_, text) == read


def test_tlv_integers_of_3_5_6_7_bytes_are_read_signed_as_leshan_does():
    assert lv.from_tlv(lv.INTEGER, b"\x00\x00\x50") == (80, None)
    assert lv.from_tlv(lv.INTEGER, b"\xff\xff\xff") == (-1, None)
    assert lv.from_tlv(lv.TIME, b"\x80\x00\x00\x00\x00") == (-(2**39), None)


def test_numbers_are_named_by_their_bits_from_200_bits():
    outside = " is outside the range of Integer (-9223372036854775808 to 9223372036854775807)"
    assert lv.check_int_range(lv.INTEGER, 2**199) == (None, "a 200-bit number" + outside)
    assert lv.check_int_range(lv.INTEGER, 2**198) == (None, str(2**198) + outside)


@pytest.mark.parametrize(
    "text, url, padding, read",
    [
        ("YQ==", False, True, (b"a", None)),
        ("YWJj", False, True, (b"abc", None)),
        ("YQ", True, False, (b"a", None)),
        ("YWJj", True, False, (b"abc", None)),
        ("-_8", True, False, (b"\xfb\xff", None)),
        ("AAAAA", False, True, (None, "not base64: 'AAAAA'")),
        ("!" * 50, False, True, (None, f"not base64: '{'!' * 40}'")),
        ("YQ==", True, False, (None, "not base64url without padding: 'YQ=='")),
        ("A" * 50, False, True,
         (None, f"base64 with its padding is a multiple of 4 characters: '{'A' * 40}'")),
    ],
)  # fmt: skip
def test_base64_exactly(text, url, padding, read):
    assert lv.from_base64(text, url=url, padding=padding) == read
