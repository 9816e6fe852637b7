"""Identifiers made from registry names: exact names for C and for TypeScript, written by hand
from the rules each function states, and the line wrapping of the generated comments."""

import pytest

from objects.codegen.model import from_bytes
from objects.codegen.names import (
    c_identifier,
    member_name,
    object_prefix,
    rid_macro,
    ts_token,
    ts_type_name,
    unique,
    wrap,
)
from tests.codegen.test_generators import definition_xml


@pytest.mark.parametrize(
    ("text", "identifier"),
    [
        ("Sensor Value", "Sensor_Value"),
        ("  --Min--Measured  Value--  ", "Min_Measured_Value"),  # a run is one _, none at ends
        ("__x__", "x"),
        ("a\tb\nc", "a_b_c"),
        ("Énergie (kWh)", "nergie_kWh"),
        ("!!!", ""),
        ("", ""),
        ("0x", "zerox"),
        ("1 Wire", "one_Wire"),
        ("2nd", "twond"),
        ("3D Position", "threeD_Position"),
        ("4G", "fourG"),
        ("5G", "fiveG"),
        ("6LoWPAN", "sixLoWPAN"),
        ("7s", "sevens"),
        ("8 bit", "eight_bit"),
        ("9V", "nineV"),
        ("10", "one0"),  # only the first digit is spelled out
        ("-3D", "threeD"),  # the digit leads once the other characters are gone
        ("x3", "x3"),
    ],
)
def test_c_identifier(text, identifier):
    assert c_identifier(text) == identifier


def test_rid_macro_is_rid_and_the_upper_case_name():
    assert rid_macro("Min Measured Value") == "RID_MIN_MEASURED_VALUE"
    assert rid_macro("3D position") == "RID_3D_POSITION"  # behind RID_ a digit stays a digit
    assert rid_macro("x") == "RID_X"
    assert rid_macro("") == "RID"


def test_object_prefix_is_the_lower_case_name_or_the_id():
    assert object_prefix(from_bytes(definition_xml(items={}))) == "test_gadget"
    nameless = from_bytes(definition_xml(items={}).replace(b"Test Gadget", b"???"))
    assert object_prefix(nameless) == "object_33333"


# C keywords (C11 6.4.1, without the _Upper ones a name cannot become) and the macros of the
# standard headers the generated files include or may meet (stdbool, assert, errno, stddef,
# stdio, C11's stdalign, stdnoreturn, assert's static_assert, threads, complex).
C_WORDS = [
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
    "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
    "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
    "union", "unsigned", "void", "volatile", "while", "bool", "true", "false", "assert",
    "errno", "offsetof", "alignas", "alignof", "noreturn", "static_assert", "thread_local",
    "complex", "imaginary",
]  # fmt: skip


@pytest.mark.parametrize("word", C_WORDS)
def test_a_reserved_word_as_a_member_gets_the_resource_id(word):
    assert member_name(word.capitalize(), 12) == f"{word}_12"


def test_member_name():
    assert member_name("Min Measured Value", 5) == "min_measured_value"
    assert member_name("3D", 5) == "threed"
    assert member_name("Integer", 5) == "integer"  # a type name, not a keyword
    assert member_name("", 7) == "resource_7"
    assert member_name("***", 7) == "resource_7"


def test_unique_appends_the_id_then_underscores():
    assert unique([]) == []
    assert unique([("a", 1), ("b", 2)]) == ["a", "b"]
    assert unique([("a", 1), ("a", 2), ("a", 3)]) == ["a", "a_2", "a_3"]
    # a name taken both ways: the ID, then as many underscores as it takes
    assert unique([("a", 1), ("a_2", 5), ("a", 2)]) == ["a", "a_2", "a_2_"]
    assert unique([("a", 1), ("a_2", 5), ("a_2_", 6), ("a", 2)]) == ["a", "a_2", "a_2_", "a_2__"]


@pytest.mark.parametrize(
    ("name", "token"),
    [
        ("Sensor Value", "SensorValue"),  # spaces go
        ("Rock & Roll", "RockandRoll"),
        ("3D & Position (x)", "n3DandPosition_x"),
        ("3", "3"),  # a lone digit has nothing behind it: no n
        ("1\nx", "n1_x"),  # a line break behind the digit counts
        ("a--b", "a_b"),
        ("a-b", "a_b"),
        ("a__", "a"),
        ("Value (%)", "Value"),
        ("Énergie", "_nergie"),
    ],
)
def test_ts_token(name, token):
    assert ts_token(name) == token


def test_ts_type_name():
    assert ts_type_name(3303, "Temperature") == "Temperature_3303"
    assert ts_type_name(5700, "Sensor Value") == "SensorValue_5700"


def test_wrap_fills_lines_up_to_76_characters():
    a, b = "a" * 38, "b" * 37
    assert wrap(f"{a} {b}") == [f"{a} {b}"]  # 76 characters: one line
    assert wrap(f"{a} {b}b") == [a, f"{b}b"]  # 77: two
    assert wrap("x" * 90 + " y") == ["x" * 90, "y"]  # a longer word keeps its line


def test_wrap_keeps_paragraphs_and_joins_words_by_one_space():
    assert wrap("one  two\tthree\nfour\n\nfive") == ["one two three", "four", "", "five"]
    assert wrap("") == [""]
    assert wrap("aa bb cc dd", width=5) == ["aa bb", "cc dd"]
    assert wrap("aa bb cc", width=4) == ["aa", "bb", "cc"]
