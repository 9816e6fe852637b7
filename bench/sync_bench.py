"""The sync against a Registry API on 127.0.0.1 that serves the snapshot with a network's latency.

Each sync is `manage.py sync_registry` in a process of its own, as in production, so its wall
time includes Django's start-up and its max RSS is its own (os.wait4).
"""

import math
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.fake_registry import FakeRegistry, items_from_clone
from tests.servers import PROJECT, PYTHON, manage, site_env

WORK = PROJECT / "bench" / "work"
# The phases, as the lines that `sync_registry -v 2` prints when each one starts.
PHASE_MARKS = (
    ("metadata", "reading the metadata"),
    ("fetch", "fetching definitions"),
    ("store", "storing"),
    ("exit", "stored"),
)


@dataclass
class SyncResult:
    name: str
    jobs: int
    latency: float
    definitions: int
    wall: float = 0.0
    requests: int = 0
    bodies: int = 0
    bytes: int = 0
    connections: int = 0
    max_rss_mb: float = 0.0
    exit_code: int = 0
    phases: dict = field(default_factory=dict)
    summary: str = ""

    @property
    def floor(self):
        """One metadata request, then the definitions in waves of `jobs`, each one latency."""
        return (1 + math.ceil(self.definitions / self.jobs)) * self.latency

    @property
    def ratio(self):
        return self.wall / self.floor if self.floor else 0.0


def definitions_in(snapshot):
    """How many versions have a definition to fetch (a link, shown)."""
    return sum(
        1
        for item in items_from_clone(snapshot)
        if item.get("ObjectLink") and str(item.get("ObjectLinkVisible", "")).strip() == "1"
    )


def fresh_database(name):
    """An empty, migrated SQLite database under bench/work/; returns its DATABASE_URL."""
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    manage(site_env(url), "migrate", "--noinput", "-v0")
    return url


def _counters(registry):
    if registry is None:
        return (0, 0, 0, 0)
    return (
        sum(registry.requests.values()),
        sum(registry.bodies_sent.values()),
        registry.bytes_sent,
        registry.connections,
    )


def _phases(stamped_lines, wall):
    """Seconds spent in each phase, from when each phase's line appeared."""
    starts = {"startup": 0.0}
    for name, mark in PHASE_MARKS:
        at = next((t for t, line in stamped_lines if mark in line), None)
        if at is not None:
            starts[name] = at
    names = list(starts)
    ends = [starts[n] for n in names[1:]] + [wall]
    return {name: round(end - starts[name], 3) for name, end in zip(names, ends, strict=True)}


def registry_env(registry):
    """The sync's settings for the registry on 127.0.0.1: its Common.xml and schemas too."""
    return {
        "REGISTRY_COMMON_URL": registry.file_url("Common.xml"),
        "REGISTRY_SCHEMA_URL": registry.file_url(""),
    }


def run_sync(registry, database_url, result, source=None, **env):
    """Run one sync process to its end and fill `result` with what it cost: from `registry`
    (a FakeRegistry), or from `source` (a clone's path) when given."""
    before = _counters(registry)
    if source is None:
        source, env = registry.base_url, {**registry_env(registry), **env}
    command = [PYTHON, "-u", "manage.py", "sync_registry", str(source)]
    command += ["--jobs", str(result.jobs), "-v", "2"]
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=PROJECT,
        env=site_env(database_url, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    stamped = [(time.monotonic() - started, line.rstrip("\n")) for line in process.stdout]
    _, status, usage = os.wait4(process.pid, 0)
    result.wall = time.monotonic() - started
    process.returncode = result.exit_code = os.waitstatus_to_exitcode(status)
    after = _counters(registry)
    result.requests, result.bodies, result.bytes, result.connections = (
        a - b for a, b in zip(after, before, strict=True)
    )
    result.max_rss_mb = usage.ru_maxrss / 1024
    result.phases = _phases(stamped, result.wall)
    result.summary = next((line for _, line in stamped if line.startswith("Synced")), "")
    if result.exit_code:
        result.summary = " | ".join(line for _, line in stamped[-3:])
    return result


def bench_sync(snapshot, latency, jobs_list=(1, 8, 16), resync_jobs=(8, 16), log=print):
    """Full syncs into empty databases, then re-syncs with nothing changed.

    Returns (results, the DATABASE_URL of a fully synced database for the site).
    """
    definitions = definitions_in(snapshot)
    results, synced_url = [], None
    with FakeRegistry(snapshot, latency=latency) as registry:
        for jobs in jobs_list:
            url = fresh_database(f"sync-jobs{jobs}")
            result = run_sync(registry, url, SyncResult("full", jobs, latency, definitions))
            log(f"  full sync, --jobs {jobs}: {result.wall:.2f} s ({result.ratio:.2f}x floor)")
            results.append(result)
            if jobs in resync_jobs:
                again = SyncResult("no change", jobs, latency, definitions)
                run_sync(registry, url, again)
                log(f"  re-sync,   --jobs {jobs}: {again.wall:.2f} s ({again.ratio:.2f}x floor)")
                results.append(again)
            if result.exit_code == 0:
                synced_url = url
    results += bench_quality_checks(snapshot, log)
    return results, synced_url


def bench_quality_checks(snapshot, log=print, rounds=3):
    """The definitions' quality checks' cost: full syncs from the snapshot as a clone (no
    network, so the checks are as large a share as they can be), with and without them; the
    median of `rounds` each, in fresh databases."""
    results = []
    for name, checks in (("clone, checks", "1"), ("clone, no checks", "0")):
        runs = []
        for number in range(rounds):
            url = fresh_database(f"quality-{checks}-{number}")
            result = SyncResult(name, 8, 0.0, definitions_in(snapshot))
            runs.append(
                run_sync(None, url, result, source=snapshot, REGISTRY_QUALITY_CHECKS=checks)
            )
        median = sorted(runs, key=lambda r: r.wall)[len(runs) // 2]
        log(f"  {name}: {median.wall:.2f} s (median of {rounds})")
        results.append(median)
    return results
