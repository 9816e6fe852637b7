"""A definition's text fields exactly as written: carriage returns kept through the XML parser,
the first element of a name, None for a missing one, None for bytes that cannot be read."""

import pytest

from objects.codegen.raw_text import keep_carriage_returns, raw_fields
from objects.lwm2m.definitions import MAX_DEFINITION_BYTES


@pytest.mark.parametrize(
    ("data", "kept"),
    [
        (b"", b""),
        (b"x\r", b"x&#13;"),
        (b"<a>x\ry\r\n</a>\r", b"<a>x&#13;y&#13;\n</a>&#13;"),
        (b'<a\r b="1\r">x</a>', b'<a\r b="1\r">x</a>'),  # inside a tag: not character data
        (b"<a\r>x\r</a\r>", b"<a\r>x&#13;</a\r>"),  # up to the tag's last byte
        (b"x\r<a\r>y</a\r>", b"x&#13;<a\r>y</a\r>"),  # character data ends at the next tag
        (b"<!-- \r -->\r", b"<!-- \r -->&#13;"),
        (b"<!--a-->\r<b>\r</b>", b"<!--a-->&#13;<b>&#13;</b>"),
        (b"<a><![CDATA[\r<]]>\r</a>", b"<a><![CDATA[\r<]]>&#13;</a>"),
        (b"<!-- \r", b"<!-- \r"),  # unterminated: the rest is the comment
        (b"<![CDATA[\r", b"<![CDATA[\r"),
        (b"<a \r", b"<a \r"),
        # A ">" inside a comment or a CDATA section does not end it, as it would a tag.
        (b"<!-- > \r -->\r", b"<!-- > \r -->&#13;"),
        (b"<a><![CDATA[ > \r ]]>\r</a>", b"<a><![CDATA[ > \r ]]>&#13;</a>"),
        # Each comment or section ends at its own first end, not at an earlier or a later one.
        (b"a --> b\r<!--\r-->", b"a --> b&#13;<!--\r-->"),
        (b"<!-- a -->\r<!-- b -->", b"<!-- a -->&#13;<!-- b -->"),
        (b"<a>]]>\r<![CDATA[\r]]></a>", b"<a>]]>&#13;<![CDATA[\r]]></a>"),
        (b"<a><![CDATA[x]]>\r<![CDATA[y]]></a>", b"<a><![CDATA[x]]>&#13;<![CDATA[y]]></a>"),
    ],
)
def test_keep_carriage_returns(data, kept):
    assert keep_carriage_returns(data) == kept


def xml(resources=b"", extra=b""):
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n<LWM2M><Object ObjectType="MODefinition">'
        b"<Name> Gadget\r\n</Name><Description1>a<b>c</b>d</Description1><ObjectID>9</ObjectID>"
        b"<ObjectVersion>1.1</ObjectVersion>" + extra + b"<Name>second</Name>"
        b"<Resources>" + resources + b"</Resources></Object></LWM2M>"
    )


def item(rid, name):
    return b'<Item ID="' + rid + b'"><Name>' + name + b"</Name><Units></Units></Item>"


def test_object_fields_as_written():
    objects, resources = raw_fields(xml())
    assert objects == {
        "Name": " Gadget\r\n",  # the first of two, CR and blanks kept
        "Description1": "acd",  # the text of child elements too
        "Description2": None,
        "ObjectVersion": "1.1",
        "LWM2MVersion": None,
        "ObjectURN": None,
    }
    assert resources == {}


def test_resource_fields_and_which_items_count():
    items = [
        item(b" 5 ", b"Five\r"),
        item(b"5", b"Five again"),  # the first of an ID wins
        item(b"x", b"Bad"),
        item(b"123456", b"Too long"),
        item(b"12345", b"Long"),
        item("\u0663".encode(), b"Arabic three"),
        b"<Item><Name>No ID</Name></Item>",
        b'<Thing ID="6"><Name>Not an item</Name></Thing>',
        b'<Item ID="0"/>',
    ]
    _, resources = raw_fields(xml(b"".join(items)))
    assert resources == {
        5: {"Name": "Five\r", "Type": None, "RangeEnumeration": None, "Units": "",
            "Description": None},
        12345: {"Name": "Long", "Type": None, "RangeEnumeration": None, "Units": "",
                "Description": None},
        0: dict.fromkeys(("Name", "Type", "RangeEnumeration", "Units", "Description")),
    }  # fmt: skip


def test_a_byte_order_mark_blanks_and_namespaces():
    data = b"\xef\xbb\xbf\n  " + xml(item(b"1", b"One"))
    assert raw_fields(data)[1][1]["Name"] == "One"
    assert raw_fields(b"\xef\xbb\xbf" + xml(item(b"1", b"One")))[1][1]["Name"] == "One"
    spaced = xml(item(b"1", b"One")).replace(b"<LWM2M>", b'<m:LWM2M xmlns:m="urn:x">')
    spaced = spaced.replace(b"</LWM2M>", b"</m:LWM2M>").replace(b"<Object ", b"<m:Object ")
    spaced = spaced.replace(b"</Object>", b"</m:Object>")
    assert raw_fields(spaced)[0]["ObjectVersion"] == "1.1"
    bare = (
        b'<Object><Name>Root</Name><Resources><Item ID="2"><Name>Two</Name></Item>'
        b"</Resources></Object>"
    )
    objects, resources = raw_fields(bytearray(bare))
    assert objects["Name"] == "Root" and resources[2]["Name"] == "Two"
    assert raw_fields(memoryview(bare))[0]["Name"] == "Root"


def test_no_resources_element():
    data = xml().replace(b"<Resources></Resources>", b"")
    assert raw_fields(data) == (raw_fields(xml())[0], {})


@pytest.mark.parametrize(
    "data",
    [
        None,
        b"",
        b"<LWM2M><Object>",
        b"<LWM2M><Thing/></LWM2M>",
        b'<!DOCTYPE x [<!ENTITY e "x">]><Object><Name>&e;</Name></Object>',
        b"<!DOCTYPE Object><Object><Name>x</Name></Object>",  # any DTD, even without entities
        b"\xff\xfe<\x00",
    ],
)
def test_bytes_that_cannot_be_read_give_none(data):
    assert raw_fields(data) is None


def test_the_size_limit():
    data = xml(item(b"1", b"One"))
    padded = data + b" " * (MAX_DEFINITION_BYTES - len(data))
    assert raw_fields(padded)[1][1]["Name"] == "One"
    assert raw_fields(padded + b" ") is None
