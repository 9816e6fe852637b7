"""A device read against the registry: its registration's objects and versions, and the
decoder's checks of its payloads against those definitions."""

import pytest

from objects.catalog import decode
from objects.catalog.decode import ResourceModel

pytestmark = pytest.mark.django_db


def resource(type_, range_enumeration):
    return ResourceModel(1, "Thing", type_, "", "RW", False, False, range_enumeration)


@pytest.mark.parametrize(
    "type_, text, value, words",
    [
        ("Integer", "0-100", 150, "150 is outside 0-100"),
        ("Integer", "1;2;3", 4, "4 is not one of 1;2;3"),
        ("Unsigned Integer", "0: off\n1: on", 2, "2 is not one of 0: off 1: on"),
        ("String", "0..255", "x" * 256, "256 bytes long, outside 0..255"),
        ("Opaque", "6 bytes", b"1234567", "7 bytes long"),
        ("Float", "-40..85 °C", -41.5, "outside"),
        ("Integer", "<7 to >12.5", 99, ""),
        ("Boolean", "0..1", True, ""),
        ("Objlnk", "0..1", (3, 0), ""),
    ],
)
def test_the_decoder_reads_ranges_with_the_one_reader(type_, text, value, words):
    problem = decode.range_problem(resource(type_, text), value)
    assert (words in problem) if words else problem == ""
    assert bool(problem) == bool(words)
