"""What every payload format shares: the request path a person types, paths under it, and the
capped list of findings."""

import pytest

from objects.lwm2m import payload
from objects.lwm2m.payload import (
    MAX_FINDINGS,
    BadRequestPath,
    ByteOffsets,
    Findings,
    PayloadFinding,
)


@pytest.mark.parametrize(
    "text, ids",
    [
        (None, ()),
        ("", ()),
        (" / ", ()),
        ("/3303", (3303,)),
        ("3303/0/", (3303, 0)),
        (" /3/0/22/1 ", (3, 0, 22, 1)),
        ("/65535/65535/65535/65535", (65535, 65535, 65535, 65535)),
    ],
)
def test_request_paths(text, ids):
    assert payload.parse_request_path(text) == ids


@pytest.mark.parametrize(
    "text, message",
    [
        ("abc", "'abc' is not an LwM2M path: one to four IDs, as in /3303/0/5700"),
        ("//3", "'//3' is not an LwM2M path: one to four IDs, as in /3303/0/5700"),
        ("/1/2/3/4/5", "'/1/2/3/4/5' is not an LwM2M path: one to four IDs, as in /3303/0/5700"),
        ("/123456", "'/123456' is not an LwM2M path: one to four IDs, as in /3303/0/5700"),
        ("/1" * 25, f"'{'/1' * 20}' is not an LwM2M path: one to four IDs, as in /3303/0/5700"),
        ("/65536", "'/65536': an ID is past 65535"),
        ("/3/0/99999", "'/3/0/99999': an ID is past 65535"),
    ],
)
def test_a_bad_request_path_says_why(text, message):
    with pytest.raises(BadRequestPath) as raised:
        payload.parse_request_path(text)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "path, request_path, inside",
    [
        ((3, 0, 1), (), True),
        ((3, 0, 1), (3,), True),
        ((3, 0, 1), (3, 0, 1), True),
        ((3, 0, 1, 2), (3, 0, 1), True),
        ((3, 1, 1), (3, 0), False),
        ((3, 0), (3, 0, 1), False),
        ([3, 0, 1], [3, 0], True),
    ],
)
def test_within_the_request_path(path, request_path, inside):
    assert payload.within(path, request_path) is inside


def test_extend_keeps_the_cap_and_counts_what_it_leaves_out():
    findings = Findings()
    findings.extend(PayloadFinding("warning", f"w{i}") for i in range(MAX_FINDINGS + 2))
    assert len(findings) == MAX_FINDINGS + 1
    assert [f.message for f in findings[:2]] == ["w0", "w1"]
    assert findings[-1].message == f"2 more finding(s) left out: at most {MAX_FINDINGS} are listed"
    assert findings[-1].severity == "warning" and not findings.has_errors
    findings.extend([PayloadFinding("error", "e")])
    assert findings[-1].severity == "error" and findings.has_errors
    assert findings[-1].message.startswith("3 more finding(s)")


@pytest.mark.parametrize(
    "name, path",
    [
        ("/3/0/1", (3, 0, 1)),
        ("/3/0/1/", (3, 0, 1)),
        ("/3/0/6/1", (3, 0, 6, 1)),
        ("/1/2/3/4/5", None),
        ("13/0/1", None),
        ("/3/0/x", None),
        ("/3/0/65536", None),
        # IDs up to MAX_ID, as in a request path; an ID of six digits is none, even 000003.
        ("/65535/65535/65535/65535", (65535, 65535, 65535, 65535)),
        ("/000003/0/1", None),
    ],
)
def test_name_paths(name, path):
    assert payload.parse_name_path(name) == path


@pytest.mark.parametrize(
    "name, path, roots",
    [
        ("3/0/1", (3, 0, 1), set()),
        ("/lwm2m/3/0/1", (3, 0, 1), {"/lwm2m"}),
        ("/a/b/3/0/1", (3, 0, 1), {"/a/b"}),
        ("/lwm2m", None, set()),
        # At most 200 characters are read.
        ("/" + "a" * 193 + "/3/0/1", (3, 0, 1), {"/" + "a" * 193}),
        ("/" + "a" * 194 + "/3/0/1", None, set()),
    ],
)
def test_resolved_names_and_their_roots(name, path, roots):
    found = set()
    assert payload.resolve_name(name, found) == path
    assert found == roots


def test_byte_offsets_of_characters_asked_in_any_order():
    # "é" is 2 bytes in UTF-8, "€" 3, "😀" 4 (one character), "x" 1: characters 0 to 4 start at
    # bytes 0, 2, 5, 9, 10. Forward, the same again, back to the start, forward again.
    at = ByteOffsets("é€😀x")
    asked = [1, 3, 3, 4, 0, 2, 1]
    assert [at(char) for char in asked] == [2, 9, 9, 10, 0, 5, 2]
    # ASCII text: a character is a byte.
    assert ByteOffsets("abc")(2) == 2
