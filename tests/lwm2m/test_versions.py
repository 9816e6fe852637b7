"""Object versions: read as (major, minor) numbers, so 1.10 comes after 1.9; upstream data's
versions are exactly N.N."""

import pytest

from objects.lwm2m.versions import (
    BadVersion,
    normalize_version,
    parse_version,
    strict_version,
    version_key,
)


@pytest.mark.parametrize(
    "text, version",
    [
        ("1.0", (1, 0)), ("1.10", (1, 10)), ("2", (2, 0)), (" 1.1 ", (1, 1)), ("\t3.2\n", (3, 2)),
        ("01.02", (1, 2)), ("999999.999999", (999999, 999999)), (1, (1, 0)), ("0.0", (0, 0)),
    ],
)  # fmt: skip
def test_a_version_is_two_numbers(text, version):
    assert parse_version(text) == version


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "not a version: ''"),
        (None, "not a version: 'None'"),
        ("1.", "not a version: '1.'"),
        (".1", "not a version: '.1'"),
        ("1.0.1", "not a version: '1.0.1'"),
        ("1000000.0", "not a version: '1000000.0'"),  # at most 6 digits each
        ("1.1000000", "not a version: '1.1000000'"),
        ("١.٠", "not a version: '١.٠'"),  # digits of another script
        ("v1.0", "not a version: 'v1.0'"),
        ("x" * 50, f"not a version: {'x' * 40!r}"),
    ],
)
def test_what_is_no_version(text, message):
    with pytest.raises(BadVersion) as raised:
        parse_version(text)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "text, spelled",
    [("1.0", "1.0"), (" 1.10 ", "1.10"), ("01.02", "1.2"), ("999999.0", "999999.0")],
)
def test_an_upstream_version_is_canonically_spelled(text, spelled):
    assert strict_version(text) == spelled


@pytest.mark.parametrize("text", ["1", "1.", "1.0.0", "1000000.0", "a.b", "", None, "1 .0"])
def test_an_upstream_version_is_exactly_n_dot_n(text):
    with pytest.raises(BadVersion) as raised:
        strict_version(text)
    assert str(raised.value) == f"is not a version like 1.0: {str(text)[:40]!r}"


def test_the_message_quotes_at_most_40_characters():
    with pytest.raises(BadVersion, match=r"^is not a version like 1\.0: '9{40}'$"):
        strict_version("9" * 41)


def test_versions_sort_as_numbers_and_bad_ones_last():
    texts = ["1.10", "junk", "1.9", "2", "1.0", ""]
    assert sorted(texts, key=version_key) == ["1.0", "1.9", "1.10", "2", "junk", ""]
    assert version_key("1.10") == (0, 1, 10) and version_key("junk") == (1, 0, 0)


@pytest.mark.parametrize("text, spelled", [(" 1.0", "1.0"), ("1", "1.0"), ("2.10 ", "2.10")])
def test_a_version_s_canonical_spelling(text, spelled):
    assert normalize_version(text) == spelled
