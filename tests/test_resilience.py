"""The sync under real faults: killed mid-way, read during a sync, run twice at once."""

import json
import signal
import threading
import time

import pytest
import requests

from tests.external_db import ExternalDatabase
from tests.fake_registry import FakeRegistry, items_from_clone
from tests.servers import SiteServer, SyncProcess, manage, site_env

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
    return {
        "versions": database.query(
            "SELECT object_id, ver, name, object_link, definition_sha256 FROM objects_objectversion"
            " ORDER BY object_id, ver_major, ver_minor"
        ),
        "resources": database.query("SELECT count(*) FROM objects_resource")[0][0],
    }


def served(database):
    """What the site, served for real, shows of the data: the API's list and two pages."""
    with SiteServer(database.url, workers=1).prepare() as site:
        items = requests.get(site.url + "/api/lwm2m/v1/Object", timeout=10).json()
        home = requests.get(site.url + "/", timeout=10)
        page = requests.get(site.url + "/objects/3303/", timeout=10)
    assert home.status_code == page.status_code == 200
    return len(items), "<strong>6</strong> objects" in home.text, "Sensor Value" in page.text


def runs(database):
    return database.query("SELECT outcome, error FROM objects_syncrun ORDER BY id")


def write_big_clone(folder, objects=1500, resources=60):
    """A registry clone large enough that storing it takes a while."""
    (folder / "version_history").mkdir(parents=True)
    items = []
    for n in range(objects):
        object_id = 20000 + n
        items.append(
            f"<Item><ObjectID>{object_id}</ObjectID><URN>urn:oma:lwm2m:x:{object_id}</URN>"
            f"<Name>Big {n}</Name><Description>Generated.</Description><Owner>Bulk Co</Owner>"
            f"<Source>2</Source><Ver>1.0</Ver><DDF>{object_id}.xml</DDF><DDFLink>1</DDFLink>"
            "<TS></TS><TSLink>0</TSLink><Vorto></Vorto></Item>"
        )
        rows = "".join(
            f'<Item ID="{r}"><Name>Resource {r}</Name><Operations>R</Operations>'
            "<MultipleInstances>Single</MultipleInstances><Mandatory>Optional</Mandatory>"
            f"<Type>Integer</Type><RangeEnumeration/><Units/><Description>{'x' * 200}"
            "</Description></Item>"
            for r in range(resources)
        )
        (folder / f"{object_id}.xml").write_text(
            f"<LWM2M><Object><Name>Big {n}</Name><ObjectID>{object_id}</ObjectID>"
            f"<Resources>{rows}</Resources></Object></LWM2M>"
        )
    (folder / "DDF.xml").write_text("<DDFList>" + "".join(items) + "</DDFList>")
    return folder


def test_killed_while_fetching_keeps_the_previous_data(external, fixture_registry):
    before = snapshot_of(external)
    with FakeRegistry(fixture_registry, latency=0.3) as registry:
        sync = SyncProcess(external.env, registry.base_url, "--jobs", "1")
        sync.wait_for("fetching definitions")
        while not any(path.startswith("/files/") for path in registry.requests):
            time.sleep(0.05)
        sync.kill()
    assert sync.process.returncode == -signal.SIGKILL
    assert snapshot_of(external) == before
    assert runs(external)[-1][0] == "running"  # nobody could record it yet
    assert served(external) == (9, True, True)

    again = manage(external.env, "sync_registry", str(fixture_registry), check=False)
    assert again.returncode == 0, again.stderr
    outcomes = runs(external)
    assert outcomes[-2][0] == "failed" and "interrupted" in outcomes[-2][1]
    assert outcomes[-1] == ("ok", "")


def test_killed_while_storing_keeps_the_previous_data(external, tmp_path, fixture_registry):
    before = snapshot_of(external)
    big = write_big_clone(tmp_path / "big")
    sync = SyncProcess(external.env, big)
    sync.wait_for("storing", timeout=120)
    time.sleep(0.3)
    sync.kill()
    assert "stored" not in sync.lines and not any(line.startswith("Synced") for line in sync.lines)
    assert snapshot_of(external) == before
    assert served(external) == (9, True, True)
    again = manage(external.env, "sync_registry", str(fixture_registry), check=False)
    assert again.returncode == 0, again.stderr
    assert runs(external)[-2][0] == "failed"


def test_sigterm_is_recorded_at_once(external, fixture_registry):
    with FakeRegistry(fixture_registry, latency=0.3) as registry:
        sync = SyncProcess(external.env, registry.base_url, "--jobs", "1")
        sync.wait_for("fetching definitions")
        while not any(path.startswith("/files/") for path in registry.requests):
            time.sleep(0.05)
        sync.process.terminate()
        assert sync.wait() != 0
        fetched = sum(n for path, n in registry.requests.items() if path.startswith("/files/"))
        assert fetched < 8  # the definitions not yet asked for were dropped
    assert runs(external)[-1][0] == "failed" and "interrupted" in runs(external)[-1][1]


def test_two_syncs_at_once(external, fixture_registry):
    with FakeRegistry(fixture_registry, latency=0.2) as registry:
        first = SyncProcess(external.env, registry.base_url, "--jobs", "1")
        first.wait_for("fetching definitions")
        second = SyncProcess(external.env, registry.base_url)
        assert second.wait() == 2
        assert "another sync is running" in second.output
        assert first.wait() == 0, first.output
    assert [outcome for outcome, _ in runs(external)] == ["ok", "ok"]


def test_readers_see_old_or_new_data_never_a_mix(external, fixture_registry):
    """A client reads the site during a whole sync: zero errors, each answer old or new."""
    items = items_from_clone(fixture_registry)
    for item in items:
        item["Name"] += " (renamed)"
    with SiteServer(external.url, workers=2).prepare() as site:
        api = site.url + "/api/lwm2m/v1/Object"
        old = requests.get(api, timeout=10).text
        answers, stop = [], threading.Event()

        def read():
            with requests.Session() as session:
                while not stop.is_set() and len(answers) < 20000:
                    response = session.get(api, timeout=10)
                    answers.append((response.status_code, response.text))

        reader = threading.Thread(target=read)
        reader.start()
        with FakeRegistry(fixture_registry, latency=0.05) as registry:
            registry.items = items
            sync = SyncProcess(external.env, registry.base_url, "--jobs", "2")
            assert sync.wait() == 0, sync.output
        time.sleep(0.3)
        stop.set()
        reader.join()
        new = requests.get(api, timeout=10).text
    assert old != new and all("(renamed)" in i["Name"] for i in json.loads(new))
    assert len(answers) > 10
    assert {status for status, _ in answers} == {200}
    assert {body for _, body in answers} <= {old, new}
