"""The sync lease: one sync at a time across hosts, and never stuck after a crash."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from objects.models import SyncLock, SyncRun
from objects.sync.lease import SyncAlreadyRunning, lease
from objects.sync.pipeline import sync_registry

pytestmark = pytest.mark.django_db(transaction=True)


def held_by(host, pid, heartbeat_age):
    now = timezone.now()
    run = SyncRun.objects.create(source="elsewhere", started=now, host=host, pid=pid)
    SyncLock.objects.update_or_create(
        name="sync",
        defaults={"run": run, "host": host, "pid": pid, "acquired": now,
                  "heartbeat": now - heartbeat_age},
    )  # fmt: skip
    return run


def test_a_live_sync_on_another_host_keeps_the_lease(fixture_registry):
    held_by("other-host", 4242, timedelta(seconds=5))
    with pytest.raises(SyncAlreadyRunning, match="process 4242 on other-host"):
        sync_registry(str(fixture_registry))
    assert SyncRun.objects.count() == 1  # the refused sync started no run


def test_a_silent_holder_loses_the_lease_and_its_run_is_failed(fixture_registry):
    old = held_by("other-host", 4242, lease() + timedelta(seconds=1))
    report = sync_registry(str(fixture_registry))
    assert report.run.outcome == "ok"
    old.refresh_from_db()
    assert old.outcome == "failed"
    assert "interrupted" in old.error
    lock = SyncLock.objects.get()
    assert lock.pid is None and lock.run is None  # released after the sync


def test_a_dead_process_on_this_host_loses_the_lease_at_once(fixture_registry):
    from objects.sync.lease import this_host

    held_by(this_host(), 2**22 + 12345, timedelta(seconds=1))  # no such pid
    assert sync_registry(str(fixture_registry)).run.outcome == "ok"


def test_progress_bar_on_a_terminal(fake_registry):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    sync_registry(fake_registry.base_url, progress_stream=screen)
    assert "] 8/8 definitions" in screen.getvalue()
    assert "[###" in screen.getvalue()
    plain = io.StringIO()
    sync_registry(fake_registry.base_url, progress_stream=plain)
    assert plain.getvalue() == ""
