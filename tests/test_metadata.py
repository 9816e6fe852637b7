import pytest

from objects.metadata import BadMetadata, normalize
from objects.versions import BadVersion, normalize_version, parse_version


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
    assert entry.object_link_visible and entry.spec_link_visible
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
