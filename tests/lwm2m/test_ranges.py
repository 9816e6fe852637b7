"""The one RangeEnumeration reader: bounds and enumerated values where the text says them,
"unreadable" where it does not, calibrated on every RangeEnumeration of the registry."""

import json
from collections import Counter
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from objects.lwm2m import ranges


@pytest.mark.parametrize(
    "text, type_, expected",
    [
        ("0..100", "Integer", (0, 100, None)),
        ("0-100", "Integer", (0, 100, None)),
        ("1-864000", "Integer", (1, 864000, None)),
        ("-40..85", "Float", (-40, 85, None)),
        ("-10-30", "Integer", (-10, 30, None)),
        ("1...15", "Integer", (1, 15, None)),
        ("0 to 100", "Integer", (0, 100, None)),
        ("[1:4]", "Integer", (1, 4, None)),
        ("0.000001..1.0", "Float", (0.000001, 1.0, None)),
        ("0..18446744073709551615", "Unsigned Integer", (0, 2**64 - 1, None)),
        ("-30..-120", "Integer", (-120, -30, None)),
        ("0,1,2", "Integer", (0, 2, [0, 1, 2])),
        ("1;2;3", "Integer", (1, 3, [1, 2, 3])),
        ("5, 10, 15, 20", "Integer", (5, 20, [5, 10, 15, 20])),
        ("0..247, 255", "Integer", (0, 255, None)),
        ("0; 3.8..20.5", "Float", (0, 20.5, None)),
        ("0: off, 1: on", "Integer", (0, 1, [0, 1])),
        ("0: CONFIGURED_ON\n\t\t1: FULL_ON\n\t\t2: RECALL", "Unsigned Integer", (0, 2, [0, 1, 2])),
        ("0..100 %", "Float", (0, 100, None)),
        ("-40..85 °C", "Float", (-40, 85, None)),
        ("255", "Integer", (None, 255, None)),
        # Lengths, for String and Opaque.
        ("0..255", "String", (0, 255, None)),
        ("1..64 Bytes", "String", (1, 64, None)),
        ("0-255 bytes", "String", (0, 255, None)),
        ("0 or 26 Bytes", "String", (0, 26, [0, 26])),
        ("16-32-48 bytes", "Opaque", (16, 48, [16, 32, 48])),
        ("16,32,48", "Opaque", (16, 48, [16, 32, 48])),
        ("6", "Opaque", (0, 6, None)),
        ("8 bit", "Opaque", (0, 1, None)),
    ],
)
def test_readable_ranges(text, type_, expected):
    read = ranges.read(text, type_)
    assert read.readable, read.note
    assert (read.min, read.max, read.as_json()["values"]) == expected
    assert read.of == ("length" if type_ in ("String", "Opaque") else "value")


@pytest.mark.parametrize(
    "text, type_, words",
    [
        ("The possible values are those listed in the LwM2M Core Specification", "String",
         "free text"),
        ("ON;OFF", "Float", "free text"),
        ("<7 to >12.5", "Integer", "free text"),
        ("2 Instances", "Integer", "free text"),
        ("8-Bits", "Integer", "a size in bits"),
        ("16-bit", "Integer", "a size in bits"),
        ("2 bytes", "Integer", "a size in bytes"),
        ("0..100 %", "String", "a length in '%'"),
        ("-5..5 bytes", "Opaque", "whole number of bytes"),
        ("0..1e999", "Float", "too large"),
        ("9" * 2001, "Integer", "too long"),
    ],
)  # fmt: skip
def test_unreadable_ranges_say_why(text, type_, words):
    read = ranges.read(text, type_)
    assert not read.readable
    assert words in read.note
    assert read.as_json()["min"] is None and read.as_json()["intervals"] is None


def test_an_empty_range_is_none():
    assert ranges.read("", "Integer") is None
    assert ranges.read(" \n\t", "String") is None
    assert ranges.read(None) is None


def test_the_json_shape():
    assert ranges.read("0..100", "Integer").as_json() == {
        "readable": True,
        "min": 0,
        "max": 100,
        "values": None,
        "of": "value",
        "units": "",
        "labels": None,
        "intervals": [[0, 100]],
        "note": "",
    }
    labelled = ranges.read("1: normal\n2: remote", "Integer").as_json()
    assert labelled["values"] == [1, 2] and labelled["labels"] == {"1": "normal", "2": "remote"}


@pytest.mark.parametrize(
    "text, type_, value, words",
    [
        ("0..100", "Integer", 101, "101 is outside 0..100"),
        ("0..100", "Integer", -1, "outside"),
        ("0..100", "Integer", 100, ""),
        ("0..100", "Float", 99.5, ""),
        ("-30..-120", "Integer", -50, ""),
        ("-30..-120", "Integer", -20, "outside"),
        ("0,1,2", "Integer", 3, "3 is not one of 0,1,2"),
        ("0,1,2", "Integer", 2, ""),
        ("0..247, 255", "Integer", 250, "outside"),
        ("0..247, 255", "Integer", 255, ""),
        ("255", "Integer", 256, "outside"),
        ("255", "Integer", -7, ""),
        ("1..64 bytes", "String", "", "0 bytes long"),
        ("1..64 bytes", "String", "é" * 33, "66 bytes long"),
        ("0..255 characters", "String", "é" * 33, ""),
        ("6", "Opaque", b"\x00" * 7, "7 bytes long"),
        ("16,32,48", "Opaque", b"\x00" * 32, ""),
        ("free text", "Integer", 10**9, ""),
        ("0..1", "Integer", True, ""),
    ],
)
def test_problem(text, type_, value, words):
    problem = ranges.read(text, type_).problem(value)
    assert (words in problem) if words else problem == ""
    assert bool(problem) == bool(words)


@given(st.text(max_size=80), st.sampled_from(["", "Integer", "Float", "String", "Opaque"]))
def test_any_text_reads_without_raising_and_answers_json(text, type_):
    read = ranges.read(text, type_)
    if read is not None:
        json.dumps(read.as_json(), allow_nan=False)
        read.problem(5)
        read.problem("x")


def snapshot_ranges(snapshot):
    """Counter of (RangeEnumeration text, Type) over every definition and Common.xml."""
    found = Counter()
    for path in sorted(snapshot.glob("*.xml")) + sorted(snapshot.glob("version_history/*.xml")):
        try:
            tree = ElementTree.parse(path)
        except ElementTree.ParseError:
            continue
        for item in tree.iter("Item"):
            if item.find("RangeEnumeration") is not None:
                found[(item.findtext("RangeEnumeration") or "",
                       (item.findtext("Type") or "").strip())] += 1  # fmt: skip
    return found


# Every RangeEnumeration of the snapshot that says no bounds, with why.
SNAPSHOT_UNREADABLE = {
    ("2 Instances", "Integer"),
    ("8-Bits", "Integer"),
    ("16-bit", "Integer"),
    ("8 bit", "Integer"),
    ("1 bytes", "Integer"),
    ("2 bytes", "Integer"),
    ("<7 to >12.5", "Integer"),
    ("ON;OFF", "Float"),
    ("The possible values are those listed in the LwM2M Core Specification", "String"),
    ("The possible values of Resource are listed in 5.3.1.1", "String"),
}


def test_calibrated_on_every_range_of_the_registry(snapshot):
    found = snapshot_ranges(snapshot)
    read = {key: ranges.read(*key) for key in found}
    texts = {key for key, r in read.items() if r is not None}
    assert len(texts) > 150
    unreadable = {key for key in texts if not read[key].readable}
    assert unreadable == SNAPSHOT_UNREADABLE
    # The common forms read as they say.
    assert (read[("0..100", "Integer")].min, read[("0..100", "Integer")].max) == (0, 100)
    assert read[("1..864000", "Integer")].max == 864000
    enumeration = next(r for (t, _), r in read.items() if t.startswith("0: CONFIGURED_ON"))
    assert enumeration.values == (0, 1, 2)
    for r in read.values():
        if r is not None and r.readable:
            assert r.max is not None and (r.min is None or r.min <= r.max)
            json.dumps(r.as_json(), allow_nan=False)


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r", "\u2028", "\n \n\t\n"])
def test_an_enumeration_one_a_line_whatever_ends_its_lines(end):
    read = ranges.read(f"{end}0: off{end}1: on{end}", "Integer")
    assert (read.values, read.labels, read.note) == ((0, 1), ((0, "off"), (1, "on")), "")


def test_one_labelled_value_is_an_enumeration_of_one():
    read = ranges.read("1: enabled", "Integer")
    assert (read.min, read.max, read.values, read.labels) == (1, 1, (1,), ((1, "enabled"),))
    assert read.problem(2) == "2 is not one of 1: enabled"
    assert read.problem(1) == ""


@pytest.mark.parametrize(
    "text, type_, expected",
    [
        # (min, max, values, units, note) of what a text says.
        ("0..100", "Integer", (0, 100, None, "", "")),
        ("0..255", "String", (0, 255, None, "bytes", "")),
        ("1..64 Bytes", "String", (1, 64, None, "bytes", "")),
        ("1..10 chars", "String", (1, 10, None, "characters", "")),
        ("0..255 characters", "String", (0, 255, None, "characters", "")),
        ("6", "Opaque", (0, 6, None, "bytes", "one number, read as the largest")),
        ("255", "Integer", (None, 255, None, "", "one number, read as the largest")),
        ("16..64 bits", "Opaque", (2, 8, None, "bytes", "bits read as bytes")),
        ("64 bits", "Opaque",
         (0, 8, None, "bytes", "bits read as bytes; one number, read as the largest")),
        ("64..16 bits", "Opaque", (2, 8, None, "bytes", "bits read as bytes; written high to low")),
        ("-30..-120", "Integer", (-120, -30, None, "", "written high to low")),
        ("0, 10..5", "Integer", (0, 10, None, "", "written high to low")),
        ("0,1,2", "Integer", (0, 2, (0, 1, 2), "", "")),
        # A point written as an interval is not written high to low.
        ("0..0, 5..10", "Integer", (0, 10, None, "", "")),
        # Short unit symbols and words of up to five letters are units; a longer word is one
        # only with a unit's sign in it.
        ("0..100 s", "Integer", (0, 100, None, "s", "")),
        ("1..24 hours", "Integer", (1, 24, None, "hours", "")),
        ("0..500 µmol.l", "Float", (0, 500, None, "µmol.l", "")),
        ("0..100 %RH", "Float", (0, 100, None, "%RH", "")),
        # Conjunctions are no units.
        ("0, 1 or", "Integer", (0, 1, (0, 1), "", "")),
        ("0, 1 and", "Integer", (0, 1, (0, 1), "", "")),
        # An enumeration one a line: a label may hold commas, slashes, "or" and "and".
        ("0: Read/Write, or both\n1: Read and Execute", "Integer", (0, 1, (0, 1), "", "")),
        # The longest text read.
        ("1" * 2000, "Integer",
         (None, int("1" * 2000), None, "", "one number, read as the largest")),
    ],
)  # fmt: skip
def test_what_a_range_says_and_how_it_was_read(text, type_, expected):
    read = ranges.read(text, type_)
    assert read.readable, read.note
    assert (read.min, read.max, read.values, read.units, read.note) == expected


def test_labels_keep_their_commas_and_words():
    read = ranges.read("0: Read/Write, or both\n1: Read and Execute", "Integer")
    assert read.labels == ((0, "Read/Write, or both"), (1, "Read and Execute"))


@pytest.mark.parametrize(
    "text, type_, note",
    [
        ("2 copies", "Integer", "free text: no bounds or values a program can read"),
        ("1..8 INDEXES", "Integer", "free text: no bounds or values a program can read"),
        ("ON;OFF", "Integer", "free text: no bounds or values a program can read"),
        # "to" with nothing after it says no upper bound.
        ("5 to", "Integer", "free text: no bounds or values a program can read"),
        # Several lines are a list, one item a line: a unit's word alone on one is no number.
        ("1..64\nbytes", "String", "free text: no bounds or values a program can read"),
        (",", "Integer", "no number"),
        ("or / and", "Integer", "no number"),
        ("0..12 bits", "Opaque", "a width in bits that is not whole bytes"),
        ("0..1.5", "String", "a length is a whole number of bytes"),
        ("0..10 abcdefghijklmnopqrstuvwxyz", "String", "a length in 'abcdefghijklmnopqrst'"),
        ("123456789012345678.5e999", "Float", "'123456789012345678.5' is too large"),
        ("1" * 2001, "Integer", "too long to be a range"),
    ],
)  # fmt: skip
def test_unreadable_ranges_say_why_word_for_word(text, type_, note):
    read = ranges.read(text, type_)
    assert (read.readable, read.note) == (False, note)


@pytest.mark.parametrize(
    "type_, of",
    [("String", "length"), (" opaque ", "length"), ("Integer", "value"), (None, "value")],
)
def test_an_unreadable_range_still_says_what_it_bounds(type_, of):
    assert ranges.read("free text", type_).of == of
    assert ranges.read("free text", type_).as_json()["of"] == of


@pytest.mark.parametrize(
    "text, number_json",
    [
        # An exponent writes a whole number; a decimal point keeps a float.
        ("1e3", "1000"),
        ("1E3", "1000"),
        ("1.5e1", "15"),
        ("2.5e0", "2.5"),
        ("2.0", "2.0"),
        ("1000", "1000"),
    ],
)
def test_numbers_keep_their_kind_in_json(text, number_json):
    assert json.dumps(ranges.read(text, "Float").as_json()["max"]) == number_json


@pytest.mark.parametrize(
    "text, type_, value, problem",
    [
        # A Boolean is no number, whatever the range.
        ("5..10", "Integer", True, ""),
        ("5..10", "Integer", False, ""),
        ("5..10", "Integer", None, ""),
        ("1..10 characters", "String", "é" * 10, ""),
        ("1..10 characters", "String", "é" * 11, "11 characters long, outside 1..10 characters"),
        ("1..10", "String", "é" * 6, "12 bytes long, outside 1..10"),
        ("1..10", "String", 5, ""),
        ("1..10", "Opaque", 11.5, ""),
        ("0,1,2", "Integer", 3, "3 is not one of 0,1,2"),
        ("0..100", "Integer", 101, "101 is outside 0..100"),
    ],
)
def test_problem_word_for_word(text, type_, value, problem):
    assert ranges.read(text, type_).problem(value) == problem
