"""The LwM2M ID space (../shared/REGISTRY.md's ObjectID and resource-ID tables) and the one
parser of an ID a person wrote, with the message it gives them."""

import pytest

from objects.lwm2m import ids


@pytest.mark.parametrize(
    "object_id, label, text",
    [
        (0, 0, "0-1023: OMA"),
        (1023, 0, "0-1023: OMA"),
        (1024, None, "1024-2047: reserved"),
        (2047, None, "1024-2047: reserved"),
        (2048, 1, "2048-10240: external standards bodies"),
        (10240, 1, "2048-10240: external standards bodies"),
        (10241, 2, "10241-26240: vendors, registered"),
        (26240, 2, "10241-26240: vendors, registered"),
        (26241, 2, "26241-32768: vendors, private (reused without registration)"),
        (32768, 2, "26241-32768: vendors, private (reused without registration)"),
        (32769, None, "32769-42768: reserved for companies, not published"),
        (42768, None, "32769-42768: reserved for companies, not published"),
        (42769, None, "42769-42800: tests, never in production"),
        (42800, None, "42769-42800: tests, never in production"),
        (42801, None, "42801-65534: reserved"),
        (65534, None, "42801-65534: reserved"),
        (65535, None, "past 65534: no ObjectID"),
    ],
)
def test_object_id_ranges_at_both_ends(object_id, label, text):
    assert ids.object_id_range(object_id) == (label, text)


@pytest.mark.parametrize(
    "object_id, kind",
    [
        (0, "oma"),
        (1023, "oma"),
        (2048, "ext"),
        (10240, "ext"),
        (10241, "x"),
        (42768, "x"),
        # The test range: any kind may be used there.
        (42769, None),
        (42800, None),
        # In no Label's span (reserved): a definition there is reported as reserved, and its
        # URN is still held to the vendors' kind.
        (1024, "x"),
        (2047, "x"),
        (42801, "x"),
        (65534, "x"),
    ],
)
def test_urn_kind_follows_the_label_ranges(object_id, kind):
    assert ids.urn_kind(object_id) == kind


@pytest.mark.parametrize(
    "resource_id, code",
    [
        (0, "object"),
        (2047, "object"),
        (2048, "reusable"),
        (26240, "reusable"),
        (26241, "private"),
        (32768, "private"),
        (32769, ""),
        (65535, ""),
    ],
)
def test_resource_id_classes_at_both_ends(resource_id, code):
    assert ids.resource_id_class(resource_id) == code


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0", 0),
        ("3303", 3303),
        (" 5700\n", 5700),
        ("00042", 42),
        ("65535", 65535),
        (5700, 5700),
    ],
)
def test_parse_id_takes_ascii_digits_up_to_the_largest_id(text, expected):
    assert ids.parse_id(text) == expected
    assert ids.named_id(text) == expected


@pytest.mark.parametrize(
    "parse, text, message",
    [
        (ids.parse_id, "65536", "“65536” is not an ID: an ID is a whole number from 0 to 65535."),
        (ids.parse_id, "٥", "“٥” is not an ID: an ID is a whole number from 0 to 65535."),
        (ids.parse_id, "+5", "“+5” is not an ID: an ID is a whole number from 0 to 65535."),
        (ids.parse_id, None, "“” is not an ID: an ID is a whole number from 0 to 65535."),
        (ids.parse_id, "  ", "“” is not an ID: an ID is a whole number from 0 to 65535."),
        (ids.parse_object_id, "abc",
         "“abc” is not an ObjectID: an ObjectID is a whole number from 0 to 65535."),
        (ids.parse_resource_id, "5700x",
         "“5700x” is not a resource ID: a resource ID is a whole number from 0 to 65535."),
        (ids.parse_resource_id, "1e3",
         "“1e3” is not a resource ID: a resource ID is a whole number from 0 to 65535."),
    ],
)  # fmt: skip
def test_a_bad_id_says_what_was_written_and_what_is_wanted(parse, text, message):
    with pytest.raises(ids.BadId) as raised:
        parse(text)
    assert str(raised.value) == message
    assert ids.named_id(text) is None


def test_the_message_names_the_maximum_asked_for():
    with pytest.raises(ids.BadId) as raised:
        ids.parse_id("256", "Label", maximum=255)
    assert str(raised.value) == "“256” is not a Label: a Label is a whole number from 0 to 255."
    assert (raised.value.text, raised.value.what, raised.value.maximum) == ("256", "Label", 255)
    assert ids.parse_id("255", "Label", maximum=255) == 255


def test_the_message_quotes_at_most_twenty_characters():
    with pytest.raises(ids.BadId) as raised:
        ids.parse_object_id("x" * 30)
    assert str(raised.value).startswith("“" + "x" * 20 + "…” is not an ObjectID")


@pytest.mark.parametrize(
    "text, limit, expected",
    [
        ("3303", 20, "3303"),
        ("x" * 20, 20, "x" * 20),
        ("x" * 21, 20, "x" * 20 + "…"),
        ("  padded  ", 6, "padded"),
        # Controls are spaces, and whitespace folds to one space.
        ("a\x00b\tc\n\nd", 20, "a b c d"),
        ("one  two\u2028three", 20, "one two three"),
        ("a long name for an object", 10, "a long nam…"),
        (None, 20, "None"),
        (3303, 20, "3303"),
        # A huge paste costs no more than its first 4 × limit characters.
        ("a" + " " * 79 + "b" * 10**6, 20, "a…"),
    ],
)
def test_shown_makes_text_safe_to_quote(text, limit, expected):
    assert ids.shown(text, limit) == expected


def test_shown_quotes_twenty_characters_by_default():
    assert ids.shown("y" * 20) == "y" * 20
    assert ids.shown("y" * 25) == "y" * 20 + "…"
