"""The scale round's registry generator (bench/scale.py): a registry N times the fixture one is
a valid registry, read back as the sync reads a clone."""

import re
import shutil
from collections import Counter

from bench.load import LoadResult
from bench.report import scale_goals
from bench.scale import COPY_RANGES, VARIED_COPIES, ScaleRow, copy_owner, scaled_registry
from bench.sync_bench import SyncResult
from objects.lwm2m.definitions import parse_definition
from objects.lwm2m.ids import object_id_range
from objects.sync.sources import RegistryClone


def read_back(clone):
    entries, warnings, _ = RegistryClone(clone).metadata()
    return entries, warnings


def test_a_registry_three_times_the_fixture_reads_back_as_three_times_its_versions(
    fixture_registry, tmp_path
):
    original, _ = read_back(fixture_registry)
    clone, _ = scaled_registry(fixture_registry, 3, work=tmp_path, log=lambda line: None)
    entries, warnings = read_back(clone)

    assert warnings == []
    assert len(entries) == 3 * len(original) == 27
    assert len({(e.object_id, e.ver) for e in entries}) == 27
    ids = Counter(e.object_id for e in entries)
    original_ids = {e.object_id for e in original}
    assert len(ids) == 3 * len(original_ids)
    # Each object's versions copied whole: every copy has as many versions as its original.
    versions = Counter(e.object_id for e in original).values()
    assert sorted(ids.values()) == sorted(list(versions) * 3)
    originals = {(e.object_id, e.ver): e for e in original}
    for entry in entries:
        if (entry.object_id, entry.ver) in originals:
            assert originals[entry.object_id, entry.ver].local_path == entry.local_path
            continue
        # A copy: in a range for copies, with that range's Label and URN kind, its file named
        # for its ID, and the definition inside naming the same ID and URN.
        first, last, label, kind = next(r for r in COPY_RANGES if r[0] <= entry.object_id <= r[1])
        assert entry.object_id not in original_ids
        assert entry.label == int(label)
        assert object_id_range(entry.object_id)[0] == int(label)
        assert re.fullmatch(rf"urn:oma:lwm2m:{kind}:{entry.object_id}(:\d+\.\d+)?", entry.urn)
        if not entry.local_path:
            continue  # a placeholder, copied as one
        assert re.fullmatch(rf"(version_history/)?{entry.object_id}[-.].*xml", entry.local_path)
        fetched = RegistryClone(clone).definition(entry)
        assert fetched.error == ""
        definition = parse_definition(fetched.body)
        assert definition.object_id == entry.object_id
        assert definition.urn == entry.urn


def test_copies_vary_their_owners_by_the_documented_rule(fixture_registry, tmp_path):
    original, _ = read_back(fixture_registry)
    spellings = {e.owner for e in original}
    clone, _ = scaled_registry(fixture_registry, 3, work=tmp_path, log=lambda line: None)
    entries, _ = read_back(clone)

    owners = {e.owner for e in entries}
    assert len(spellings) == 4
    assert len(owners) == 3 * len(spellings) == 12
    assert owners == spellings | {f"{o} {k}" for o in spellings for k in (1, 2)}
    # Past VARIED_COPIES, a copy keeps its owner: 41 spellings make 410 at 10x and 984 at 100x.
    assert copy_owner(b"OMA", VARIED_COPIES) == b"OMA %d" % VARIED_COPIES
    assert copy_owner(b"OMA", VARIED_COPIES + 1) == b"OMA"
    assert 41 * (1 + min(10 - 1, VARIED_COPIES)) == 410
    assert 41 * (1 + min(100 - 1, VARIED_COPIES)) == 984


def test_a_built_registry_is_reused_until_its_source_changes(fixture_registry, tmp_path):
    source = tmp_path / "source"
    shutil.copytree(fixture_registry, source)
    work = tmp_path / "work"
    quiet = {"work": work, "log": lambda line: None}

    clone, built = scaled_registry(source, 2, **quiet)
    assert built > 0
    again, reused = scaled_registry(source, 2, **quiet)
    assert (again, reused) == (clone, 0.0)

    index = source / "DDF.xml"
    index.write_text(index.read_text().replace("<Name>Device</Name>", "<Name>Devices</Name>"))
    clone, rebuilt = scaled_registry(source, 2, **quiet)
    assert rebuilt > 0
    names = {e.name for e in read_back(clone)[0]}
    assert "Devices" in names
    assert "Device" not in names


def test_the_scale_goals_are_checked_at_100x_and_unmeasured_ones_not_met():
    def row(factor, rss, full, again, rps, p99, sent):
        found = ScaleRow(factor, owners=984, home_page_sent=sent // 2, home_sent=sent)
        found.full = SyncResult("full", 8, 0.0, 1, wall=full, max_rss_mb=rss)
        found.again = SyncResult("no change", 8, 0.0, 1, wall=again, max_rss_mb=rss)
        found.search = LoadResult("search", "", rps=rps, p99_ms=p99, status=200)
        found.home = LoadResult("home", "", rps=rps, status=200)
        return found

    good = row(100, rss=250, full=40.0, again=8.0, rps=200, p99=150, sent=50 * 1024)
    assert [g.met for g in scale_goals([row(1, 60, 1, 1, 9, 9, 1), good], 16)] == [True] * 4
    bad = row(100, rss=350, full=40.0, again=12.0, rps=140, p99=150, sent=70 * 1024)
    assert [g.met for g in scale_goals([bad], 16)] == [False] * 4
    slow = row(100, rss=250, full=40.0, again=8.0, rps=200, p99=250, sent=50 * 1024)
    assert [g.met for g in scale_goals([slow], 16)] == [True, True, False, True]

    unmeasured = scale_goals([row(10, 60, 1.0, 0.1, 999, 1, 1024)], 16)
    assert [g.met for g in unmeasured] == [False] * 4
    assert all("not measured at 100x (largest size run: 10x)" in g.detail for g in unmeasured)
