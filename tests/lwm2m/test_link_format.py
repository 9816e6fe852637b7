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
