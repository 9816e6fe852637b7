import pytest

from objects.lwm2m.versions import BadVersion, normalize_version, parse_version
from objects.sync.metadata import BadMetadata, normalize


def test_versions_compare_as_numbers():
    assert parse_version("1.10") > parse_version("1.9")
    assert normalize_version(" 1") == "1.0"
    with pytest.raises(BadVersion):
        parse_version("1.x")


def test_lenient_types():
    entries, warnings = normalize(
        [
            {"ObjectID": "3", "Version": "1.1", "Label": 0, "ObjectLinkVisible": True,
             "SpecLinkVisible": " 1", "Owner": "  Open  Mobile Alliance "},
        ]
    )  # fmt: skip
    (entry,) = entries
    assert (entry.object_id, entry.ver, entry.label) == (3, "1.1", 0)
    assert entry.object_link_visible
    assert entry.spec_link_visible
    assert entry.owner == "Open Mobile Alliance"
    assert warnings == []


def test_bad_items_are_skipped_and_duplicates_named():
    entries, warnings = normalize(
        [
            {"ObjectID": 3, "Ver": "1.0", "Name": "first"},
            {"Name": "no id"},
            "a string",
            {"ObjectID": 3, "Ver": "1.0", "Name": "second"},
        ]
    )
    assert [e.name for e in entries] == ["second"]
    assert len(warnings) == 3
    assert any("listed twice" in w for w in warnings)


@pytest.mark.parametrize("items", [{}, {"ObjectID": 3}, [], ["a", "b"], [{"Name": "x"}], None])
def test_wrong_shapes_are_errors_not_empty_registries(items):
    with pytest.raises(BadMetadata):
        normalize(items)


@pytest.mark.parametrize(
    "item, reason",
    [
        ({"ObjectID": "\u0663", "Ver": "1.0"}, "ObjectID is not a whole number"),
        ({"ObjectID": 99999999999999999999, "Ver": "1.0"}, "ObjectID is not a whole number"),
        ({"ObjectID": 3, "Ver": "1"}, "Ver is not a version like 1.0"),
        ({"ObjectID": 3, "Ver": "1.x"}, "Ver is not a version like 1.0"),
        ({"ObjectID": 3, "Ver": "\u0661.\u0660"}, "Ver is not a version like 1.0"),
        ({"ObjectID": 3, "Ver": "1.0", "Name": "N" * 256}, "Name is 256 characters long, over 255"),
        (
            {"ObjectID": 3, "Ver": "1.0", "Owner": "a\x00b"},
            "Owner holds the control character U+0000",
        ),
        ({"ObjectID": 3, "Ver": "1.0", "Description": "\ud800"}, "control character U+D800"),
        ({"ObjectID": 3, "Ver": "1.0", "SpecLink": "h" * 2001}, "SpecLink is 2,001 characters"),
    ],
)
def test_values_that_cannot_be_stored_skip_their_item(item, reason):
    """Stored as they are, these abort the store on PostgreSQL or SQLite, and every later sync."""
    entries, warnings = normalize([item, {"ObjectID": 4, "Ver": "1.0", "Name": "fine"}])
    assert [e.object_id for e in entries] == [4]
    assert len(warnings) == 1 and reason in warnings[0], warnings
