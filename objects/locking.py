"""One sync at a time, across every server that shares the database.

The lock is a lease row: the holder writes its host, pid and a heartbeat. Another sync may
take the lease over only when the holder is gone: its process is dead (same host) or its
heartbeat is older than the lease (any host). A killed sync never leaves the lock stuck.
"""

import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from .models import SyncLock, SyncRun

LOCK_NAME = "sync"


def lease():
    """How long a holder may stay silent before another sync may take the lease over."""
    return timedelta(seconds=settings.SYNC_LEASE_SECONDS)


class SyncAlreadyRunning(Exception):
    pass


def this_host():
    return socket.gethostname()


def _process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder_gone(lock, now):
    if not lock.pid:
        return True
    if lock.heartbeat is None or now - lock.heartbeat > lease():
        return True
    return lock.host == this_host() and not _process_alive(lock.pid)


def fail_abandoned_runs(now):
    """Runs left 'running' by a sync that died are failed, with the reason."""
    for run in SyncRun.objects.filter(outcome=SyncRun.RUNNING):
        if run.pid == os.getpid() and run.host == this_host():
            continue
        run.outcome = SyncRun.FAILED
        run.finished = now
        run.error = (
            run.error
            or f"interrupted: the sync process {run.pid} on {run.host} stopped before finishing"
        )
        run.save(update_fields=["outcome", "finished", "error"])


class SyncLease:
    """Hold the sync lease for the life of a `with` block, heartbeating in a thread.

    Taking the lease records the new run, in the same transaction, so a run exists only
    for a sync that really started.
    """

    def __init__(self, source):
        self.source = source
        self.run = None
        self.host = this_host()
        self.pid = os.getpid()
        self._stop = threading.Event()
        self._thread = None

    def acquire(self):
        now = timezone.now()
        try:
            with transaction.atomic():
                SyncLock.objects.get_or_create(name=LOCK_NAME)
        except IntegrityError:
            pass  # the very first two syncs at once: the other one made the row
        with transaction.atomic():
            lock = SyncLock.objects.select_for_update().get(name=LOCK_NAME)
            if not holder_gone(lock, now):
                raise SyncAlreadyRunning(
                    f"another sync is running (process {lock.pid} on {lock.host}, "
                    f"since {lock.acquired:%Y-%m-%d %H:%M:%S} UTC)"
                )
            fail_abandoned_runs(now)
            self.run = SyncRun.objects.create(
                source=self.source, started=now, host=self.host, pid=self.pid
            )
            lock.run = self.run
            lock.host, lock.pid = self.host, self.pid
            lock.acquired = lock.heartbeat = now
            lock.save()

    def _beat(self):
        try:
            while not self._stop.wait(settings.SYNC_HEARTBEAT_SECONDS):
                SyncLock.objects.filter(name=LOCK_NAME, pid=self.pid, host=self.host).update(
                    heartbeat=timezone.now()
                )
        finally:
            connections.close_all()

    def release(self):
        self._stop.set()
        if self._thread:
            self._thread.join()
        SyncLock.objects.filter(name=LOCK_NAME, pid=self.pid, host=self.host).update(
            pid=None, host="", run=None, heartbeat=None
        )

    def __enter__(self):
        self.acquire()
        self._thread = threading.Thread(target=self._beat, name="sync-heartbeat", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.release()
        return False
