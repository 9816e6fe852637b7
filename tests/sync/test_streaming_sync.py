"""The sync streams (issue 14): definitions written in batches into a new generation swapped in
at the end, unchanged definitions never parsed again, the bytes stored once by hash."""

import gc
import hashlib
import shutil
import tracemalloc

import pytest

from bench.scale import scaled_registry
from objects.catalog import reads
from objects.models import DefinitionBody, Finding, ObjectVersion, Resource, live_generation
from objects.sync import pipeline, store
from objects.sync.pipeline import SyncFailed, sync_registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def parses(monkeypatch):
    """The definitions parsed by the sync, by object ID (a counting wrapper of the parser)."""
    seen = []
    real = pipeline.parse_definition

    def counting(body, *args, **kwargs):
        definition = real(body, *args, **kwargs)
        seen.append(definition.object_id)
        return definition

    monkeypatch.setattr(pipeline, "parse_definition", counting)
    return seen


@pytest.fixture
def clone(tmp_path, fixture_registry):
    folder = tmp_path / "clone"
    shutil.copytree(fixture_registry, folder)
    return folder


def live_rows():
    return sorted(
        ObjectVersion.objects.values_list("object_id", "ver", "name", "definition_sha256", "etag")
    )


def every_row_count():
    return {
        model.__name__: model.all_generations.count()
        for model in (ObjectVersion, Resource, Finding)
    }


def live_row_count():
    return {model.__name__: model.objects.count() for model in (ObjectVersion, Resource, Finding)}


def test_an_unchanged_resync_parses_nothing_and_stores_nothing_new(parses, fixture_registry):
    first = sync_registry(str(fixture_registry)).run
    assert len(parses) == 8
    assert first.changed
    rows, bodies, generation = live_rows(), DefinitionBody.objects.count(), live_generation()
    parses.clear()
    second = sync_registry(str(fixture_registry)).run
    assert parses == []
    assert not second.changed
    assert second.fingerprint == first.fingerprint
    assert (second.versions, second.definitions_ok, second.resources) == (9, 8, first.resources)
    assert live_rows() == rows
    assert live_generation() == generation
    assert DefinitionBody.objects.count() == bodies == 8
    assert every_row_count() == live_row_count()  # the copy made was dropped


def test_a_changed_definition_is_the_only_one_parsed_again(parses, clone):
    sync_registry(str(clone))
    path = clone / "3303.xml"
    path.write_bytes(path.read_bytes().replace(b"</LWM2M>", b"<!-- edited --></LWM2M>"))
    parses.clear()
    run = sync_registry(str(clone)).run
    assert parses == [3303]
    assert run.changed
    assert run.definitions_ok == 8
    assert ObjectVersion.objects.count() == 9
    assert every_row_count() == live_row_count()  # the old generation is gone


def test_a_changed_common_xml_checks_every_definition_again(parses, clone):
    sync_registry(str(clone))
    common = clone / "Common.xml"
    common.write_bytes(common.read_bytes().replace(b"</LWM2M>", b"<!-- edited --></LWM2M>"))
    parses.clear()
    sync_registry(str(clone))
    assert len(parses) == 8


def test_a_304_is_not_parsed_unless_the_context_changed(parses, fake_registry):
    sync_registry(fake_registry.base_url)
    parses.clear()
    run = sync_registry(fake_registry.base_url).run
    assert run.definitions_not_modified == 8
    assert parses == []
    common = fake_registry.file_bytes("Common.xml")
    fake_registry.set_file("Common.xml", common.replace(b"</LWM2M>", b"<!-- new --></LWM2M>"))
    run = sync_registry(fake_registry.base_url).run
    # Every definition answered 304 and was parsed again from the bytes kept in the table.
    assert run.definitions_not_modified == 8
    assert len(parses) == 8
    assert run.definitions_ok == 8
    assert Resource.objects.count() == run.resources > 0


def test_a_sync_that_fails_midway_leaves_the_live_data_and_its_pages(
    client, clone, monkeypatch, renamed_registry
):
    sync_registry(str(clone))
    rows, page = live_rows(), client.get("/objects/3303/").content
    monkeypatch.setattr(pipeline, "BATCH", 2)
    written = []
    real_write = store.GenerationWriter.write

    def failing_write(self, built, copies=()):
        real_write(self, built, copies)
        written.append(len(built) + len(copies))
        if len(written) == 2:
            raise RuntimeError("the disk is full")

    monkeypatch.setattr(store.GenerationWriter, "write", failing_write)
    with pytest.raises(SyncFailed, match="the disk is full"):
        sync_registry(str(renamed_registry))
    assert written == [2, 2]  # rows of the new generation were written before it failed
    assert live_rows() == rows
    assert client.get("/objects/3303/").content == page
    assert every_row_count() == live_row_count()  # its partial generation deleted


def test_the_next_sync_clears_what_a_killed_one_left(clone, monkeypatch, renamed_registry):
    sync_registry(str(clone))
    rows = live_rows()

    def killed(*args):
        raise KeyboardInterrupt  # as a signal would: no cleanup, its rows stay behind

    monkeypatch.setattr(pipeline, "compare_generations", killed)
    with pytest.raises(KeyboardInterrupt):
        sync_registry(str(renamed_registry))
    assert live_rows() == rows
    assert every_row_count()["ObjectVersion"] == 2 * 9  # a whole generation left behind
    monkeypatch.undo()
    at_first_batch = []
    real_write = store.GenerationWriter.write

    def watched_write(self, built, copies=()):
        at_first_batch.append(ObjectVersion.all_generations.count())
        real_write(self, built, copies)

    monkeypatch.setattr(store.GenerationWriter, "write", watched_write)
    run = sync_registry(str(clone)).run
    assert at_first_batch[0] == 9  # cleared before it wrote anything
    assert not run.changed
    assert live_rows() == rows
    assert every_row_count() == live_row_count()


def test_readers_see_the_old_generation_until_the_swap(clone, monkeypatch, renamed_registry):
    sync_registry(str(clone))
    rows = live_rows()
    monkeypatch.setattr(pipeline, "BATCH", 3)
    seen = []
    real_write = store.GenerationWriter.write

    def watched_write(self, built, copies=()):
        real_write(self, built, copies)
        seen.append((live_rows(), ObjectVersion.all_generations.count()))

    monkeypatch.setattr(store.GenerationWriter, "write", watched_write)
    sync_registry(str(renamed_registry))
    assert [written for _, written in seen] == [12, 15, 18, 18]  # 9 live, 3 new a batch
    assert all(during == rows for during, _ in seen)
    after = live_rows()
    assert after != rows
    assert all(name.endswith("(renamed)") for _, _, name, _, _ in after)


def test_identical_bytes_are_stored_once_and_removed_versions_bodies_deleted(clone):
    sync_registry(str(clone))
    shas = dict(ObjectVersion.objects.values_list("ver", "definition_sha256").filter(object_id=3))
    shutil.copyfile(clone / "3.xml", clone / "version_history" / "3-1_0.xml")
    sync_registry(str(clone))
    both = ObjectVersion.objects.filter(object_id=3).values_list("definition_sha256", flat=True)
    assert len(set(both)) == 1
    assert shas["1.0"] != shas["1.1"]
    stored = set(DefinitionBody.objects.values_list("sha256", flat=True))
    assert shas["1.1"] in stored and shas["1.0"] not in stored  # nobody names it any more
    assert stored == set(ObjectVersion.objects.exclude(definition_sha256="").values_list(
        "definition_sha256", flat=True
    ))  # fmt: skip
    assert (
        reads.definition_body(ObjectVersion.objects.get(object_id=3, ver="1.0"))
        == (clone / "3.xml").read_bytes()
    )

    index = clone / "DDF.xml"
    text = index.read_text()
    start = text.index("<Item>", text.index("<ObjectID>10241</ObjectID>") - 40)
    end = text.index("</Item>", start) + len("</Item>")
    gone = ObjectVersion.objects.get(object_id=10241).definition_sha256
    index.write_text(text[:start] + text[end:])
    sync_registry(str(clone))
    assert not ObjectVersion.objects.filter(object_id=10241).exists()
    assert not DefinitionBody.objects.filter(sha256=gone).exists()


def sync_peak(clone, monkeypatch):
    """The sync's peak memory (tracemalloc) once the metadata is read: the registry's index,
    parsed whole and kept as entries, is not what this measures."""
    real_open = pipeline.open_source

    def measured_source(*args, **kwargs):
        source = real_open(*args, **kwargs)
        real_metadata = source.metadata

        def metadata():
            result = real_metadata()
            tracemalloc.reset_peak()
            return result

        source.metadata = metadata
        return source

    monkeypatch.setattr(pipeline, "open_source", measured_source)
    gc.collect()
    tracemalloc.start()
    try:
        sync_registry(str(clone), jobs=2)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_the_registry(
    fixture_registry, tmp_path, monkeypatch, settings
):
    """A sync of a registry 4 times larger peaks at about the same memory past its metadata
    (the entries, ~1 kB a version, are kept): the versions are written a batch at a time,
    never all held. Measured: 0.67 MB for 144 versions, 1.13 MB for 576; the all-in-memory
    sync it replaced, 1.67 MB and 5.34 MB (8.5 kB more a version): this test failed it."""
    monkeypatch.setattr(pipeline, "BATCH", 20, raising=False)
    # Not measured here: the lease's heartbeat, which on the tests' shared in-memory SQLite
    # fails while the sync writes (table locked) once a sync outlasts it, and whose traceback
    # pytest keeps (~0.7 MB of source lines) inside the measured window.
    settings.SYNC_HEARTBEAT_SECONDS = 3600
    small, _ = scaled_registry(fixture_registry, 16, work=tmp_path, log=lambda line: None)
    large, _ = scaled_registry(fixture_registry, 64, work=tmp_path, log=lambda line: None)
    small_peak = sync_peak(small, monkeypatch)
    assert ObjectVersion.objects.count() == 16 * 9
    ObjectVersion.all_generations.all().delete()
    large_peak = sync_peak(large, monkeypatch)
    assert ObjectVersion.objects.count() == 64 * 9
    assert large_peak - small_peak < (64 - 16) * 9 * 2500, (small_peak, large_peak)


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_stored_bodies_to_their_table():
    """Bodies stored in the version rows before 0009 move to DefinitionBody, once per hash."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("objects", "0008_changes")], [("objects", "0010_generations_rows")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    version = old_apps.get_model("objects", "ObjectVersion")
    body = b"<LWM2M><Object><ObjectID>3</ObjectID></Object></LWM2M>"
    sha = hashlib.sha256(body).hexdigest()
    for ver, minor in (("1.0", 0), ("1.1", 1)):
        version.objects.create(
            object_id=3, ver=ver, ver_major=1, ver_minor=minor, definition=body,
            definition_sha256=sha,
        )  # fmt: skip
    version.objects.create(object_id=4, ver="1.0", ver_major=1, ver_minor=0)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    assert list(DefinitionBody.objects.values_list("sha256", flat=True)) == [sha]
    moved = ObjectVersion.objects.filter(object_id=3)
    assert [reads.definition_body(v) for v in moved] == [body, body]
    assert ObjectVersion.objects.count() == 3
    assert live_generation() == 0
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("objects"))
