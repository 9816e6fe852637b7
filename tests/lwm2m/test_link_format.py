"""The CoRE Link Format (RFC 6690) of registrations: quoted values, the root path, strict
syntax with offsets."""

import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from objects.lwm2m import link_format
from objects.lwm2m.payload import Findings

REGISTRATION = b'</>;rt="oma.lwm2m";ct="60 110 112 11542",</1/0>,</3/0>;ver=1.1,</3303/0>,</3303/1>'


def test_a_registration():
    links, findings = link_format.parse(REGISTRATION)
    assert findings == []
    assert [link.as_json() for link in links] == [
        {"Path": "/", "Attributes": {"rt": "oma.lwm2m", "ct": "60 110 112 11542"}},
        {"Path": "/1/0", "Attributes": {}},
        {"Path": "/3/0", "Attributes": {"ver": "1.1"}},
        {"Path": "/3303/0", "Attributes": {}},
        {"Path": "/3303/1", "Attributes": {}},
    ]
    root, objects = link_format.registration(links, findings)
    assert root == "/" and findings == []
    assert objects[3].version == "1.1" and objects[3303].instances == [0, 1]
    assert objects[3303].version == "" and objects[1].instances == [0]


def test_an_alternate_root_path():
    links, findings = link_format.parse(b'</lwm2m>;rt="oma.lwm2m",</lwm2m/3/0>,</lwm2m/4>,</5/0>')
    root, objects = link_format.registration(links, findings)
    assert root == "/lwm2m/" and sorted(objects) == [3, 4]
    assert "not under the root path" in findings[0].message


def test_quoted_values_hold_commas_semicolons_and_escaped_quotes():
    links, findings = link_format.parse(b'</3/0>;title="a,b;c\\"d";obs,</4>')
    assert findings == []
    assert links[0].attributes == {"title": 'a,b;c"d', "obs": None}
    assert links[1].target == "/4"
    assert link_format.parse(link_format.serialize(links).encode())[0] == links


@pytest.mark.parametrize(
    "text, offset, words",
    [
        ("</3/0", 0, "no '>'"),
        ("3/0>", 0, "starts with '<'"),
        ("</3/0>, </4>", 7, "starts with '<'"),
        ("</3/0>;", 7, "no parameter name"),
        ("</3/0>,", 7, "no link after it"),
        ("</3/0>x", 6, "after a link"),
        ("</a b>", 1, "not a URI path"),
        ("<3/0>", 1, "not a URI path"),
        ('</3/0>;title="abc', 13, "no end"),
        ('</3/0>;ver="1.1"', 11, "no quotes"),
        ("</3/0>;ver=one", 11, "not a value ver takes"),
        ("</3/0>;ct=0x1", 10, "not a value ct takes"),
        ("</3/0>;pmin=-1", 12, "not a value pmin takes"),
        ("</3/0>;ver", 10, "needs a value"),
        ("</3/0>;rt=A", 10, "not a value rt takes"),
        ("</3/0>;ver=1.1;ver=1.2", 22, "twice"),
    ],
)
def test_malformed_links_are_errors_at_their_offset(text, offset, words):
    links, findings = link_format.parse(text.encode())
    assert findings.has_errors
    assert words in findings[0].message and findings[0].offset == offset


def test_registration_findings():
    findings = Findings()
    links, _ = link_format.parse(b"</3/0>;ver=1.1,</3/1>;ver=1.0,</3/0>,</x/y>,</70000>")
    root, objects = link_format.registration(links, findings)
    messages = " | ".join(f.message for f in findings)
    assert "versions 1.1 and 1.0" in messages and "twice" in messages
    assert "names no object" in messages and "past 65535" in messages


def test_a_long_list_stops_at_the_limit():
    links, findings = link_format.parse(b",".join([b"</3/0>"] * 6000))
    assert len(links) == 5000 and "more than 5000" in findings[-1].message


@seed(26)
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='</>;=",\\ 0123abcrtvex.é\n', max_size=80))
def test_any_text_parses_without_an_exception(text):
    links, findings = link_format.parse(text.encode())
    size = len(text.encode())
    assert all(f.offset is None or 0 <= f.offset <= size for f in findings)
    link_format.registration(links, Findings())
    if not findings:
        assert link_format.parse(link_format.serialize(links).encode())[0] == links


@pytest.mark.parametrize(
    "data, message, offset, kept",
    [
        (b"</\xff>", "link format is UTF-8 text: byte 2 is not", 2, 0),
        (b"</3/0>,", "a comma with no link after it", 7, 1),
        (b"</3/0", "a link's '<' with no '>'", 0, 0),
        (b"<>", "not a URI path starting with '/': ''", 1, 0),
        (b"</3/0>;", "a ';' with no parameter name after it", 7, 0),
        (b"</3/0>;ver=", "the parameter 'ver' has '=' and no value", 11, 0),
        (b"</3/0>;title=,</4>", "the parameter 'title' has '=' and no value", 13, 0),
        (b'</3/0>;title="ab\\', "the quoted value of 'title' has no end", 13, 0),
        (b'</3/0>;title="ab\\"', "the quoted value of 'title' has no end", 13, 0),
        (b"</3/0>;ver=one", "ver='one' is not a value ver takes", 11, 0),
        (b"</3/0>;ver=1.1;ver=1.2", "the parameter 'ver' twice in one link", 22, 0),
        (b"</1/0>,</3/0>;ver=1.1;ver=1.2", "the parameter 'ver' twice in one link", 29, 1),
    ],
)
def test_a_malformed_link_is_one_error_and_is_not_kept(data, message, offset, kept):
    """The parse stops at the first fault: the links before it are kept, the faulty one is not."""
    links, findings = link_format.parse(data)
    assert [(f.severity, f.message, f.offset) for f in findings] == [("error", message, offset)]
    assert len(links) == kept


def test_long_values_are_cut_in_messages():
    _, findings = link_format.parse(b"<" + b"a" * 70 + b">")
    assert findings[0].message == f"not a URI path starting with '/': {'a' * 60!r}"
    _, findings = link_format.parse(b"</3/0>;ver=" + b"x" * 50)
    assert findings[0].message == f"ver={'x' * 40!r} is not a value ver takes"


def test_links_keep_their_offsets_and_findings_go_to_the_list_given():
    given = Findings()
    given.warning("from before")
    links, findings = link_format.parse(b"</3/0>,</4>;ct=40,</5>", given)
    assert findings is given and [f.message for f in given] == ["from before"]
    assert [link.offset for link in links] == [0, 7, 18]
    links, findings = link_format.parse(b",".join([b"</3/0>"] * 5001))
    assert len(links) == 5000 and findings[-1].offset == 5000 * 7


def test_serialize_quotes_only_what_is_no_token():
    links = [
        link_format.Link("/3/0", {"ver": "1.1", "obs": None, "if": "a b"}),
        link_format.Link("/4", {"title": 'say "hi" a\\b'}),
    ]
    text = link_format.serialize(links)
    assert text == '</3/0>;ver=1.1;obs;if="a b",</4>;title="say \\"hi\\" a\\\\b"'
    assert link_format.parse(text.encode())[0] == [
        link_format.Link("/3/0", {"ver": "1.1", "obs": None, "if": "a b"}, 0),
        link_format.Link("/4", {"title": 'say "hi" a\\b'}, 28),
    ]


def registered(data):
    links, findings = link_format.parse(data)
    assert findings == []
    root, objects = link_format.registration(links, findings)
    found = [(f.severity, f.message, f.path, f.offset) for f in findings]
    return root, {i: (o.version, o.instances, o.offset) for i, o in objects.items()}, found


@pytest.mark.parametrize(
    "data, root, objects, found",
    [
        (
            b'</lwm2m>;rt="oma.lwm2m",</5/0>,</lwm2m/3/0>,</lwm2m/4>',
            "/lwm2m/",
            {3: ("", [0], 31), 4: ("", [], 44)},
            [("warning", "'/5/0' is not under the root path /lwm2m/", "/5/0", 24)],
        ),
        (b'</lwm2m>;rt="oma.lwm2m",</>,</lwm2m/3/0>', "/lwm2m/", {3: ("", [0], 28)}, []),
        (b"</>,</3/0/>,</65535/0>", "/", {3: ("", [0], 4), 65535: ("", [0], 12)}, []),
        (
            b"</3/0/1>,</123456>,</3/0X>",
            "/",
            {},
            [
                ("warning", f"{t!r} names no object (/O) or object instance (/O/I)", t, at)
                for t, at in (("/3/0/1", 0), ("/123456", 9), ("/3/0X", 19))
            ],
        ),
        (
            b"</70000>,</3/0>",
            "/",
            {3: ("", [0], 9)},
            [("error", "'/70000': an ID is past 65535", "/70000", 0)],
        ),
        (
            b"</3/0>;ver=1.1,</3/1>;ver=1.0,</3/0>,</4/0>;ver=1234567.0,</4/1>;ver=01.2",
            "/",
            {3: ("1.1", [0, 1], 0), 4: ("1.2", [0, 1], 37)},
            [
                ("warning", "object 3 announced at versions 1.1 and 1.0", "/3/1", 15),
                ("warning", "instance /3/0 twice", "/3/0", 30),
                ("error", "ver='1234567.0' is not a version like 1.1", "/4/0", 37),
            ],
        ),
    ],
)
def test_registration_objects_and_findings(data, root, objects, found):
    assert registered(data) == (root, objects, found)


def test_registration_cuts_long_targets_in_messages():
    long = "/" + "a" * 70
    _, _, found = registered(f'</r>;rt="oma.lwm2m",<{long}>'.encode())
    assert found[0][1] == f"{long[:60]!r} is not under the root path /r/"
    _, _, found = registered(f"<{long}>".encode())
    assert found[0][1] == f"{long[:60]!r} names no object (/O) or object instance (/O/I)"
    root = "/" + "r" * 60
    _, _, found = registered(f'<{root}>;rt="oma.lwm2m",<{root}/70000>'.encode())
    assert found[0][1] == f"{(root + '/70000')[:60]!r}: an ID is past 65535"
    _, _, found = registered(b"</5>;ver=" + b"1" * 21 + b".0")
    assert found[0][1] == f"ver={'1' * 20!r} is not a version like 1.1"
