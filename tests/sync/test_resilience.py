"""The sync under real faults: killed mid-way, read during a sync, run twice at once."""

import signal
import threading
import time
from datetime import datetime

import pytest
import requests

from objects.models import live_condition
from objects.sync.pipeline import Interrupts
from tests.external_db import ExternalDatabase
from tests.fake_registry import FakeRegistry
from tests.servers import SiteServer, SyncProcess, manage, site_env, wait_until

pytestmark = pytest.mark.slow


@pytest.fixture
def external(tmp_path, fixture_registry):
    """A database of its own, migrated and synced from the fixture registry by a process."""
    database = ExternalDatabase(tmp_path)
    env = site_env(database.url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "sync_registry", str(fixture_registry))
    database.env = env
    yield database
    database.drop()


def snapshot_of(database):
    """The live generation's data (a killed sync may leave rows of its own, never live)."""
    return {
        "versions": database.query(
            "SELECT object_id, ver, name, object_link, definition_sha256 FROM objects_objectversion"
            f" WHERE {live_condition('objects_objectversion')}"
            " ORDER BY object_id, ver_major, ver_minor"
        ),
        "resources": database.query(
            f"SELECT count(*) FROM objects_resource WHERE {live_condition('objects_resource')}"
        )[0][0],
    }


def served(database):
    """What the site, served for real, shows of the data: the API's list and two pages."""
    with SiteServer(database.url, workers=1).prepare() as site:
        items = requests.get(site.url + "/api/lwm2m/v1/Object", timeout=10).json()
        home = requests.get(site.url + "/", timeout=10)
        page = requests.get(site.url + "/objects/3303/", timeout=10)
    assert home.status_code == page.status_code == 200
    # The list leaves the placeholder (2048) out: 5 of the 6 objects.
    return len(items), "<strong>5</strong> objects" in home.text, "Sensor Value" in page.text


def runs(database):
    return database.query("SELECT outcome, error FROM objects_syncrun ORDER BY id")


def fetching_started(registry):
    return lambda: any(path.startswith("/files/") for path in registry.requests)


MARKER = "in the store's transaction"


def test_killed_while_fetching_keeps_the_previous_data(external, fixture_registry):
    before = snapshot_of(external)
    with FakeRegistry(fixture_registry, latency=0.3) as registry:
        sync = SyncProcess(external.env, registry.base_url, "--jobs", "1")
        sync.wait_for("fetching definitions")
        wait_until(fetching_started(registry), what="the first definition request")
        sync.kill()
    assert sync.process.returncode == -signal.SIGKILL
    assert snapshot_of(external) == before
    assert runs(external)[-1][0] == "running"  # nobody could record it yet
    assert served(external) == (9, True, True)

    again = manage(external.env, "sync_registry", str(fixture_registry), check=False)
    assert again.returncode == 0, again.stderr
    outcomes = runs(external)
    assert outcomes[-2][0] == "failed"
    assert "interrupted" in outcomes[-2][1]
    assert outcomes[-1] == ("ok", "")


def test_killed_while_storing_keeps_the_previous_data(external, renamed_registry, fixture_registry):
    """Killed inside the store's transaction (its marker line is written there, and the store
    holds the transaction open for a while after it): the old data stays whole. Without the
    transaction, the old rows are gone by the time of the marker and this fails."""
    before = snapshot_of(external)
    sync = SyncProcess(external.env, renamed_registry, pause=5)
    sync.wait_for(MARKER, timeout=120)
    sync.kill()
    assert not any(line.startswith("Synced") for line in sync.lines)
    assert snapshot_of(external) == before
    assert served(external) == (9, True, True)
    again = manage(external.env, "sync_registry", str(fixture_registry), check=False)
    assert again.returncode == 0, again.stderr
    assert runs(external)[-2][0] == "failed"


def stored_extras(database):
    """What the store's transaction writes besides the objects: the changes list, the stored
    Common.xml and schemas (their files) and the live reusable resources."""
    return {
        "changes": database.query("SELECT * FROM objects_change ORDER BY id"),
        "files": database.query(
            "SELECT name, sha256, body, etag, problem FROM objects_registryfile ORDER BY name"
        ),
        "common": database.query(
            "SELECT resource_id, name, description FROM objects_commonresource"
            f" WHERE {live_condition('objects_commonresource')} ORDER BY resource_id"
        ),
    }


@pytest.fixture
def reworked_registry(renamed_registry):
    """The renamed registry with a Common.xml and both schemas of its own: a sync of it changes
    the changes list, every stored file and the reusable resources."""
    common = renamed_registry / "Common.xml"
    common.write_text(
        common.read_text().replace("LWM2M Object versioning label.", "Reworded label.", 1)
    )
    for name in ("LWM2M.xsd", "LWM2M-v1_1.xsd"):
        schema = renamed_registry / name
        schema.write_text(schema.read_text().replace("</xs:schema>", "<!-- v2 --></xs:schema>"))
    return renamed_registry


def test_killed_inside_the_swap_keeps_the_changes_files_and_common(external, reworked_registry):
    """Killed inside the store's final transaction: not only the objects but the changes list,
    the stored Common.xml and schemas and the reusable resources stay as they were. Were the
    transaction not atomic, the files and changes written before the marker would be kept."""
    before = stored_extras(external)
    assert before["changes"]
    assert len(before["files"]) == 3
    assert before["common"]
    sync = SyncProcess(external.env, reworked_registry, pause=5)
    sync.wait_for(MARKER, timeout=120)
    sync.kill()
    assert stored_extras(external) == before
    # The same sync, let finish, changes each of them: what was compared could change.
    again = manage(external.env, "sync_registry", str(reworked_registry), check=False)
    assert again.returncode == 0, again.stderr
    after = stored_extras(external)
    for part in ("changes", "files", "common"):
        assert after[part] != before[part], part
    assert len(after["changes"]) > len(before["changes"])


def test_sigterm_is_recorded_at_once(external, fixture_registry):
    with FakeRegistry(fixture_registry, latency=0.3) as registry:
        sync = SyncProcess(external.env, registry.base_url, "--jobs", "1")
        sync.wait_for("fetching definitions")
        wait_until(fetching_started(registry), what="the first definition request")
        sync.process.terminate()
        assert sync.wait() != 0
        fetched = sum(n for path, n in registry.requests.items() if path.startswith("/files/"))
        assert fetched < 8  # the definitions not yet asked for were dropped
    assert runs(external)[-1][0] == "failed"
    assert "interrupted" in runs(external)[-1][1]


def test_two_syncs_at_once(external, fixture_registry):
    with FakeRegistry(fixture_registry, latency=0.2) as registry:
        first = SyncProcess(external.env, registry.base_url, "--jobs", "1")
        first.wait_for("fetching definitions")
        second = SyncProcess(external.env, registry.base_url)
        assert second.wait() == 2
        assert "another sync is running" in second.output
        assert first.wait() == 0, first.output
    assert [outcome for outcome, _ in runs(external)] == ["ok", "ok"]


READ = ["/api/lwm2m/v1/Object?ObjectID=3", "/api/v1/objects/3303/1.1/", "/objects/3303/"]


def test_readers_see_old_or_new_data_never_a_mix(external, renamed_registry):
    """Clients read pages that query the database on every request while a sync stores new
    data, its transaction held open on purpose: every answer is the old page or the new one,
    never an error, an empty answer or a mix. Without the store's transaction, the readers see
    the tables empty during the pause and this fails."""
    pause = 1.5
    with SiteServer(external.url, workers=2).prepare() as site:
        old = {path: requests.get(site.url + path, timeout=10).text for path in READ}
        answers, stop = [], threading.Event()

        def read():
            with requests.Session() as session:
                while not stop.is_set() and len(answers) < 20000:
                    for path in READ:
                        response = session.get(site.url + path, timeout=10)
                        answers.append(
                            (time.monotonic(), path, response.status_code, response.text)
                        )

        readers = [threading.Thread(target=read) for _ in range(2)]
        for reader in readers:
            reader.start()
        try:
            sync = SyncProcess(external.env, renamed_registry, pause=pause)
            assert sync.wait() == 0, sync.output
        finally:
            stop.set()
            for reader in readers:
                reader.join(30)
        new = {path: requests.get(site.url + path, timeout=10).text for path in READ}
    assert all(old[path] != new[path] and "(renamed)" in new[path] for path in READ)
    storing = sync.line_time(MARKER)
    assert sync.line_time("Synced") - storing >= pause, "the swap was not held open"
    during = [a for a in answers if storing <= a[0] <= storing + pause]
    assert len(during) >= 3, "no reader answered while the store held its transaction"
    assert {status for _, _, status, _ in answers} == {200}
    for _, path, _, body in answers:
        assert body in (old[path], new[path]), path


class GatedRegistry(FakeRegistry):
    """A registry whose definitions are not answered until the gate opens: a sync against it
    stays running, however fast or slow the machine, until the test lets it finish."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.gate = threading.Event()
        self.held = 0  # definition requests waiting at the gate

    def handle(self, request):
        if request.path.startswith("/files/"):
            self.held += 1
            self.gate.wait(120)
        super().handle(request)


def test_the_lease_beats_during_a_long_sync_and_keeps_a_second_one_out(external, fixture_registry):
    """With a lease of 2 s, a sync held running (its definitions not answered) beats on; a
    second sync started once the lease would have run out many times over is still refused.
    Without the heartbeat, it takes over. No fixed sleep: the first sync cannot end before the
    test opens the gate, and the wait is for the lease's time to have passed, at least."""
    lease = 2
    env = dict(external.env, SYNC_LEASE_SECONDS=str(lease), SYNC_HEARTBEAT_SECONDS="0.25")
    with GatedRegistry(fixture_registry) as registry:
        first = SyncProcess(env, registry.base_url, "--jobs", "1")
        try:
            first.wait_for("fetching definitions")
            wait_until(lambda: registry.held, what="the first definition request")
            beats = set()
            started = time.monotonic()

            def beat():
                (heartbeat,) = external.query("SELECT heartbeat FROM objects_synclock")[0]
                beats.add(heartbeat if isinstance(heartbeat, datetime) else str(heartbeat))
                return len(beats) >= 4 and time.monotonic() - started > 2 * lease

            wait_until(beat, timeout=60, what="four heartbeats over twice the lease")
            assert first.process.poll() is None  # still running: held at the gate
            # A clone needs no answer from the gated registry: were the lease taken over, this
            # sync would finish at once (status 0).
            second = SyncProcess(env, fixture_registry)
            assert second.wait() == 2, second.output
            assert "another sync is running" in second.output
        finally:
            registry.gate.set()
        assert first.wait() == 0, first.output
    assert [outcome for outcome, _ in runs(external)] == ["ok", "ok"]


def test_a_stop_signal_waits_for_the_end_of_a_wait_on_the_fetches():
    """SIGTERM unwinds the sync at once, except inside the wait on the thread pool (an
    exception there can leave a future's lock held and the pool's threads stuck): there it is
    raised when the wait is over."""
    stops = Interrupts()
    with pytest.raises(SystemExit) as outside:
        stops.handler(signal.SIGTERM, None)
    assert outside.value.code == 128 + signal.SIGTERM
    with pytest.raises(SystemExit) as deferred, stops.deferred():
        stops.handler(signal.SIGTERM, None)  # returns: the wait goes on
        reached_the_end_of_the_wait = True
    assert reached_the_end_of_the_wait
    assert deferred.value.code == 128 + signal.SIGTERM
    with stops.deferred():
        pass  # no signal: nothing raised
