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

from objects.models import SyncLock, SyncRun

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
    # A process that ended but that its parent has not yet waited for (a zombie) still
    # answers signal 0: on Linux its state says so.
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def holder_gone(lock, now):
    if not lock.pid:
        return True
    if lock.heartbeat is None or now - lock.heartbeat > lease():
        return True
    return lock.host == this_host() and not _process_alive(lock.pid)


def fail_abandoned_runs(now, keep_own=True):
    """Runs left 'running' by a sync that died are failed, with the reason."""
    for run in SyncRun.objects.filter(outcome=SyncRun.RUNNING):
        if keep_own and run.pid == os.getpid() and run.host == this_host():
            continue
        run.outcome = SyncRun.FAILED
        run.finished = now
        run.error = (
            run.error
            or f"interrupted: the sync process {run.pid} on {run.host} stopped before finishing"
        )
        run.save(update_fields=["outcome", "finished", "error"])


def reap_abandoned():
    """Fail the runs of a sync that died (its process gone, or silent past the lease) and free
    its lease, for the pages that show the runs; a live sync is left alone."""
    now = timezone.now()
    with transaction.atomic():
        lock = SyncLock.objects.select_for_update().filter(name=LOCK_NAME).first()
        if lock is not None and lock.pid and not holder_gone(lock, now):
            return
        if not SyncRun.objects.filter(outcome=SyncRun.RUNNING).exists():
            return
        fail_abandoned_runs(now, keep_own=False)
        if lock is not None and lock.pid:
            lock.pid, lock.host, lock.run, lock.heartbeat = None, "", None, None
            lock.save()


def current_run():
    """The run holding the lease, or None."""
    lock = SyncLock.objects.select_related("run").filter(name=LOCK_NAME).first()
    return lock.run if lock is not None and lock.pid else None


class SyncLease:
    """Hold the sync lease for the life of a `with` block, heartbeating in a thread.

    Taking the lease records the new run, in the same transaction, so a run exists only
    for a sync that really started. With `adopt` (a run's pk), the lease that a web request
    took for this process (reserve(), /sync/) is taken over instead, and that run goes on.
    """

    def __init__(self, source, adopt=None):
        self.source = source
        self.adopt = adopt
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
            if self.adopt is not None:
                return self._adopt(lock, now)
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

    def _adopt(self, lock, now):
        if lock.run_id != self.adopt or lock.heartbeat is None or now - lock.heartbeat > lease():
            raise SyncAlreadyRunning(f"run {self.adopt} is not waiting for this process")
        self.run = lock.run
        self.run.host, self.run.pid = self.host, self.pid
        self.run.save(update_fields=["host", "pid"])
        lock.host, lock.pid, lock.heartbeat = self.host, self.pid, now
        lock.save()

    def reserve(self):
        """Take the lease and record the run for a sync process about to start (which adopts
        them): the run exists, and a second request finds the lease held, from this moment."""
        self.acquire()
        return self.run

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
