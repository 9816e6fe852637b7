"""Start a sync from the browser (/sync/'s "Sync now"): in a process of its own, never inside
the web worker, surviving the request, under the same lease as every other sync.

The request takes the lease and records the run itself, then starts `manage.py sync_registry
--adopt-run`, which takes them over: from the moment the button is pressed, a second press
(from any server) finds the lease held and is shown the run instead of starting another.
"""

import os
import subprocess
import sys
import threading

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from objects.models import SyncLock, SyncRun
from objects.sync.lease import SyncAlreadyRunning, SyncLease, current_run, this_host

MANAGE = settings.BASE_DIR / "manage.py"


def start_sync(source=None):
    """(the run, True) when a sync was started; (the running one, False) when one runs."""
    source = source or settings.REGISTRY_SOURCE
    lease = SyncLease(source)
    try:
        run = lease.reserve()
    except SyncAlreadyRunning:
        return current_run(), False
    command = [
        sys.executable,
        str(MANAGE),
        "sync_registry",
        str(source),
        "--adopt-run",
        str(run.pk),
    ]
    try:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a signal to the web worker's group does not reach it
            close_fds=True,
        )
    except OSError as exc:
        run.outcome, run.finished = SyncRun.FAILED, timezone.now()
        run.error = f"the sync process could not be started: {exc.strerror or exc}"
        run.save(update_fields=["outcome", "finished", "error"])
        SyncLock.objects.filter(run=run).update(pid=None, host="", run=None, heartbeat=None)
        return run, False
    # Reaped when it ends, so no zombie stays behind this worker (which may end first: the
    # process then belongs to init, which reaps it); one that ends before it took the run over
    # fails it at once, rather than leave it "running" for the whole lease.
    threading.Thread(
        target=watch, args=(process, run.pk), name=f"sync-{run.pk}", daemon=True
    ).start()
    return run, True


def watch(process, run_pk):
    status = process.wait()
    try:
        abandon_unadopted(run_pk, status)
    finally:
        connections.close_all()


def abandon_unadopted(run_pk, status, reserver=None):
    """Fail the run and free the lease when the lease still names the process that reserved
    them (this one): its sync process ended without adopting them."""
    reserver = reserver or (this_host(), os.getpid())
    with transaction.atomic():
        lock = SyncLock.objects.select_for_update().filter(run_id=run_pk).first()
        if lock is None or (lock.host, lock.pid) != reserver:
            return False  # adopted (the sync's own process holds it), or already freed
        SyncRun.objects.filter(pk=run_pk, outcome=SyncRun.RUNNING).update(
            outcome=SyncRun.FAILED,
            finished=timezone.now(),
            error=f"the sync process ended (status {status}) before it took over its run",
        )
        lock.pid, lock.host, lock.run, lock.heartbeat = None, "", None, None
        lock.save()
        return True
