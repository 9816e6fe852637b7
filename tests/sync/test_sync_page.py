"""/sync/: staff only, "Sync now" under the lease, the progress fragment, and the footer's
note of a failed sync. Starting a real process is in test_sync_page_served.py; here the start
itself (a process of its own) is replaced where a test only asks who may press the button."""

import threading

import pytest
from django.contrib.auth.models import User
from django.test import Client

from objects.models import SyncLock, SyncRun
from objects.sync import launcher as sync_launcher
from objects.sync.lease import SyncLease
from objects.sync.pipeline import SyncFailed, sync_registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    user = User.objects.create_user("staff", password="pw-for-tests-only", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member(db):
    user = User.objects.create_user("member", password="pw-for-tests-only")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def started(monkeypatch):
    """The processes start_sync would start, not started."""
    commands = []

    class Process:
        def __init__(self, command, **kwargs):
            commands.append(command)

        def wait(self):
            threading.Event().wait()  # runs for as long as the test: never ends unadopted

    monkeypatch.setattr(sync_launcher.subprocess, "Popen", Process)
    return commands


def test_anonymous_users_are_sent_to_log_in_and_start_nothing(client, started):
    page = client.get("/sync/")
    assert page.status_code == 302
    assert page["Location"] == "/accounts/login/?next=/sync/"
    press = client.post("/sync/now")
    assert press.status_code == 302
    assert press["Location"].startswith("/accounts/login/")
    assert started == []
    assert not SyncRun.objects.exists()


def test_other_users_get_a_403_and_start_nothing(member, started):
    assert member.get("/sync/").status_code == 403
    assert member.post("/sync/now").status_code == 403
    assert started == []
    assert not SyncRun.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(started):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(User.objects.create_user("s", password="x-x-x-x", is_staff=True))
    assert strict.post("/sync/now").status_code == 403
    assert started == []
    assert not SyncRun.objects.exists()
    assert strict.get("/sync/now").status_code == 405


def test_sync_now_reserves_the_run_and_starts_one_process(staff, started, settings):
    settings.REGISTRY_SOURCE = "/srv/lwm2m-registry"
    response = staff.post("/sync/now")
    assert response.status_code == 302
    assert response["Location"] == "/sync/"
    run = SyncRun.objects.get()
    assert run.outcome == SyncRun.RUNNING
    assert run.source == "/srv/lwm2m-registry"
    (command,) = started
    assert command[2:] == ["sync_registry", "/srv/lwm2m-registry", "--adopt-run", str(run.pk)]
    # Pressed again while it runs: no second process, the running run is shown.
    again = staff.post("/sync/now", follow=True)
    assert len(started) == 1
    assert SyncRun.objects.count() == 1
    assert f"A sync is already running (run {run.pk})" in again.text
    assert f"Run {run.pk} running" in again.text
    assert 'hx-trigger="every 1s"' in again.text


def test_the_adopting_process_takes_the_run_over(staff, started, fixture_registry, settings):
    settings.REGISTRY_SOURCE = str(fixture_registry)
    staff.post("/sync/now")
    run = SyncRun.objects.get()
    report = sync_registry(str(fixture_registry), adopt=run.pk)
    assert report.run.pk == run.pk
    run.refresh_from_db()
    assert run.outcome == SyncRun.OK
    assert run.versions == 9
    assert (run.phase, run.done, run.total) == ("storing", 8, 8)
    page = staff.get("/sync/")
    assert "hx-trigger" not in page.text.split('id="sync-state"')[1].split(">")[0]
    assert f'id="run-{run.pk}" class="run-ok"' in page.text


def test_a_run_that_nobody_adopts_cannot_be_adopted_twice(fixture_registry):
    lease = SyncLease("x")
    run = lease.reserve()
    sync_registry(str(fixture_registry), adopt=run.pk)
    with pytest.raises(Exception, match="not waiting"):
        sync_registry(str(fixture_registry), adopt=run.pk)


def test_the_progress_fragment(staff, started):
    staff.post("/sync/now")
    run = SyncRun.objects.get()
    SyncRun.objects.filter(pk=run.pk).update(phase="fetching definitions", done=120, total=424)
    fragment = staff.get("/sync/", HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.text
    assert fragment["Vary"].startswith("HX-Request")
    assert "fetching definitions" in fragment.text
    assert '<strong class="done">120</strong> of <span class="total">424</span>' in fragment.text


def test_a_failed_sync_shows_its_reason_to_staff_everywhere(staff, client, tmp_path):
    with pytest.raises(SyncFailed):
        sync_registry(str(tmp_path))  # a folder with no DDF.xml
    page = staff.get("/sync/")
    assert "run-failed" in page.text
    assert "is not a registry clone" in page.text
    home = staff.get("/objects/3/")  # any page: a 404 here, with the footer all the same
    assert "The last sync (run" in home.text
    assert "is not a registry clone" in home.text
    assert "The last sync (run" not in client.get("/").text  # not to visitors


def test_a_process_that_cannot_start_fails_its_run(staff, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sync_launcher.subprocess, "Popen", refuse)
    page = staff.post("/sync/now", follow=True)
    run = SyncRun.objects.get()
    assert run.outcome == SyncRun.FAILED
    assert "could not be started" in run.error
    assert "The sync could not start" in page.text
    # The lease is free again: the next press starts.
    assert SyncLease("x").reserve() is not None


def test_the_footer_says_when_the_data_was_synced(client, synced):
    assert "Data last changed by the sync of" in client.get("/objects/3/").text


def test_a_process_that_ends_before_adopting_its_run_fails_it_at_once(db, fixture_registry):
    """Sync now reserved the lease and the run; its process died before taking them over: the
    launcher's watcher fails the run and frees the lease at once, not a lease later."""
    run = SyncLease(str(fixture_registry)).reserve()
    assert sync_launcher.abandon_unadopted(run.pk, -9)
    run.refresh_from_db()
    assert run.outcome == SyncRun.FAILED
    assert "ended (status -9) before it took over its run" in run.error
    assert not SyncLock.objects.filter(run=run).exists()
    assert sync_registry(str(fixture_registry)).run.outcome == SyncRun.OK  # the lease is free


def test_an_adopted_run_is_left_to_its_process(db, fixture_registry):
    run = SyncLease(str(fixture_registry)).reserve()
    SyncLock.objects.filter(run=run).update(pid=999_999)  # the sync process took it over
    assert not sync_launcher.abandon_unadopted(run.pk, 0)
    run.refresh_from_db()
    assert run.outcome == SyncRun.RUNNING
