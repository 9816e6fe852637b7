"""OMA's fault IDs over the whole registry snapshot: the counts per code held, so a change in
any code's semantics shows here (each count is explained in docs/validator.md)."""

from collections import Counter

from objects.quality import oma_codes


def snapshot_findings(snapshot):
    files = oma_codes.read_folder(snapshot)
    assert len(files) == 754  # DDF.xml, Common.xml, the units file, 327 + 424 definitions
    return oma_codes.check_registry(files)


def test_counts_per_code(snapshot):
    results = snapshot_findings(snapshot)
    errors = Counter(
        f.oma_code for found in results.values() for f in found if f.severity == "error"
    )
    assert dict(errors) == {
        "041": 1,
        "201": 1,
        "202": 9,
        "210": 1,
        "301": 1,
        "405": 4,
        "413": 2,
        "417": 1,
        "418": 22,
        "420": 63,
        "462": 1,
        "701": 5,
        "705": 2,
        "800": 11,
    }
    unchecked = Counter(
        f.oma_code for found in results.values() for f in found if f.severity == "not-checked"
    )
    assert set(unchecked) == {"001", "010", "023", "271", "310", "580", "581"}


def test_which_definitions_carry_the_rare_codes(snapshot):
    results = snapshot_findings(snapshot)

    def where(code):
        return sorted(
            (path, f.resource_id)
            for path, found in results.items()
            for f in found
            if f.oma_code == code and f.severity == "error"
        )

    assert where("405") == [
        ("20.xml", None),
        ("23.xml", None),
        ("509.xml", None),
        ("510.xml", None),
    ]
    assert where("413") == [("version_history/10260-1_0.xml", 3), ("version_history/15-1_0.xml", 6)]
    assert where("417") == [("version_history/3-1_0.xml", 10)]
    assert where("462") == [("version_history/3380-1_0.xml", 6038)]
    assert where("465") == []
    assert [path for path, _ in where("418") if "/" not in path] == ["10308.xml"]
    assert {path for path, _ in where("800")} == {
        "version_history/0-1_0.xml",
        "version_history/1-1_0.xml",
        "version_history/12-1_0.xml",
        "version_history/15-1_0.xml",
        "version_history/3-1_0.xml",
        "version_history/4-1_1.xml",
    }
    assert set(where("041")) == {("DDF.xml", None)}
