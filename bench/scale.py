"""The scale round of `make bench` (issue 14): synthetic registries 10 and 100 times the real
one, each synced from a clone and served, with the real snapshot (1x) as the baseline row.

How a registry N times the snapshot is built (build_registry):
- every file of the snapshot is copied as it is (the 1x part), then every DDF.xml item is
  copied N-1 times, each copy of an object under a free ObjectID: the vendor range 10241-32768
  first, then the free IDs of 2048-10240, then 32769-42800 (IDs that the sync takes and that
  the quality checks give no ObjectID or URN error; never 1024-2047 or 42801 and up);
- a copy takes the Label and URN kind of the range it lands in (2 and `x`, or 1 and `ext`),
  and its files their new names (`<ID>.xml`, `version_history/<ID>-<M>_<m>.xml`); inside each
  definition `<ObjectID>` and `<ObjectURN>` name the new ID, everything else is byte for byte;
- owners: copy k of every object (k = 1 .. N-1) is owned by "<owner> k" for k up to 23 and
  by the owner itself after that, so the registry's 41 spellings become 41 x min(N, 24):
  410 at 10x and 984 at 100x, the counts issue 14 measured (placeholders' "TBD" included).
The text of DDF.xml is copied item by item (comments, odd values and all), only the rewritten
elements change. A built registry is kept under bench/work/ with a stamp of the snapshot's and
the generator's hash, and reused while both are unchanged.

What is measured per size: a full sync from the clone into an empty database and an unchanged
re-sync, each `manage.py sync_registry` in a process of its own (wall time, and its peak RSS
from os.wait4's ru_maxrss); the database's size; then the site as `make run` serves it
(Granian) loaded on the search fragment and on the home page, and the home page's weight as
sent compressed.
"""

import hashlib
import inspect
import os
import re
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench.load import measure
from bench.site_bench import HTMX, endpoint_path, median_round, weigh
from bench.sync_bench import WORK, SyncResult, fresh_database, run_sync
from objects.catalog.owners import group_owners
from tests.fake_registry import items_from_clone
from tests.servers import SiteServer

# The ranges copies are put in, in this order: (first, last, Label, URN kind).
COPY_RANGES = (
    (10241, 32768, "2", "x"),
    (2048, 10240, "1", "ext"),
    (32769, 42800, "2", "x"),
)
VARIED_COPIES = 23  # copies 1..23 of an object get "<owner> k"; later copies keep the owner
SYNC_JOBS = 8  # sync_registry's default
ITEM_RE = re.compile(rb"<Item\b[^>]*>.*?</Item>", re.S)
ID_RE = re.compile(rb"(<ObjectID>\s*)(\d+)(\s*</ObjectID>)")
URN_RE = re.compile(rb"(<(?:URN|ObjectURN)>\s*urn:oma:lwm2m:)[^:<\s]*:\d+")
SOURCE_RE = re.compile(rb"(<Source>)[^<]*(</Source>)")
OWNER_RE = re.compile(rb"(<Owner>)(.*?)(\s*</Owner>)", re.S)
DDF_RE = re.compile(rb"(<DDF>\s*)([^<]*?)(\s*</DDF>)")


def free_ids(taken):
    """The ObjectIDs copies may take, in COPY_RANGES order, each with its Label and kind."""
    for first, last, label, kind in COPY_RANGES:
        for object_id in range(first, last + 1):
            if object_id not in taken:
                yield object_id, label, kind


def copy_owner(owner, copy):
    """The owner (XML text, as DDF.xml spells it) of copy `copy` (1, 2, ...) of an object."""
    if copy > VARIED_COPIES or not owner.strip():
        return owner
    return owner.rstrip() + b" %d" % copy


def expected_owners(spellings, factor):
    """How many distinct owners a registry `factor` times one with `spellings` owners has."""
    return spellings * (1 + min(factor - 1, VARIED_COPIES))


def _new_path(path, old_id, new_id):
    """`3.xml` -> `20001.xml`, `version_history/3-1_0.xml` -> `version_history/20001-1_0.xml`."""
    folder, _, name = path.rpartition(b"/")
    match = re.fullmatch(rb"%d([-.].*)" % old_id, name)
    if not match:
        raise ValueError(f"unexpected definition path {path.decode(errors='replace')!r}")
    return (folder + b"/" if folder else b"") + b"%d" % new_id + match.group(1)


def _rewrite_urn(text, kind, new_id):
    return URN_RE.sub(lambda m: m.group(1) + kind.encode() + b":%d" % new_id, text, count=1)


def copy_definition(body, new_id, kind):
    """A definition's bytes with its ObjectID and ObjectURN naming `new_id`."""
    body, found = ID_RE.subn(lambda m: m.group(1) + b"%d" % new_id + m.group(3), body, count=1)
    if not found:
        raise ValueError("a definition without an <ObjectID> element")
    return _rewrite_urn(body, kind, new_id)


def copy_item(item, new_id, label, kind, copy, paths):
    """One DDF.xml item's text for a copy; `paths` collects (old path, new path) of its file."""
    old_id = int(ID_RE.search(item).group(2))
    item = ID_RE.sub(lambda m: m.group(1) + b"%d" % new_id + m.group(3), item)
    item = _rewrite_urn(item, kind, new_id)
    item = SOURCE_RE.sub(lambda m: m.group(1) + label.encode() + m.group(2), item)
    item = OWNER_RE.sub(lambda m: m.group(1) + copy_owner(m.group(2), copy) + m.group(3), item)

    def new_ddf(match):
        path = match.group(2)
        if not path:
            return match.group(0)
        new = _new_path(path, old_id, new_id)
        paths.append((path.decode(), new.decode()))
        return match.group(1) + new + match.group(3)

    return DDF_RE.sub(new_ddf, item)


def build_registry(snapshot, factor, out):
    """Write a registry `factor` times `snapshot` into the new folder `out` (see the module's
    docstring for the rule); returns {old ObjectID: [its copies' IDs]}."""
    snapshot, out = Path(snapshot), Path(out)
    shutil.copytree(snapshot, out)
    data = (snapshot / "DDF.xml").read_bytes()
    items = list(ITEM_RE.finditer(data))
    if not items:
        raise ValueError(f"{snapshot}/DDF.xml has no <Item>")
    head, tail = data[: items[0].start()], data[items[-1].end() :]
    # What separates items (their indentation), to keep the file's layout.
    gap = data[items[0].end() : items[1].start()] if len(items) > 1 else b"\n    "
    by_id = {}
    for match in items:
        by_id.setdefault(int(ID_RE.search(match.group(0)).group(2)), []).append(match.group(0))
    ids = free_ids(set(by_id))
    copies, blocks = {}, []  # blocks: (ObjectID, order, text)
    for order, match in enumerate(items):
        blocks.append((int(ID_RE.search(match.group(0)).group(2)), order, match.group(0)))
    for copy in range(1, factor):
        for old_id in sorted(by_id):
            try:
                new_id, label, kind = next(ids)
            except StopIteration:
                raise ValueError(f"no free ObjectID left for {factor}x") from None
            copies.setdefault(old_id, []).append(new_id)
            for order, item in enumerate(by_id[old_id]):
                paths = []
                blocks.append((new_id, order, copy_item(item, new_id, label, kind, copy, paths)))
                for old_path, new_path in paths:
                    target = out / new_path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    body = (snapshot / old_path).read_bytes()
                    target.write_bytes(copy_definition(body, new_id, kind))
    # Items grouped by ObjectID in ID order, each ID's versions in their order, as DDF.xml is.
    blocks.sort(key=lambda block: block[:2])
    (out / "DDF.xml").write_bytes(head + gap.join(text for _, _, text in blocks) + tail)
    return copies


def _tree_hash(folder, digest):
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())


def stamp(snapshot, factor):
    """What a built registry depends on: the snapshot's files and the generator's code."""
    digest = hashlib.sha256(f"{factor}x\0".encode())
    _tree_hash(snapshot, digest)
    for function in (free_ids, copy_owner, _new_path, _rewrite_urn, copy_definition, copy_item,
                     build_registry):  # fmt: skip
        digest.update(inspect.getsource(function).encode())
    digest.update(repr((COPY_RANGES, VARIED_COPIES)).encode())
    for pattern in (ITEM_RE, ID_RE, URN_RE, SOURCE_RE, OWNER_RE, DDF_RE):
        digest.update(pattern.pattern)
    return digest.hexdigest()


def scaled_registry(snapshot, factor, work=WORK, log=print):
    """The registry `factor` times `snapshot` as a clone's path (1: the snapshot itself), built
    under `work` or reused when its stamp matches; returns (path, seconds spent building)."""
    if factor == 1:
        return Path(snapshot), 0.0
    folder = Path(work) / f"registry-{factor}x"
    stamp_file = folder / "STAMP"
    wanted = stamp(snapshot, factor)
    if stamp_file.is_file() and stamp_file.read_text().strip() == wanted:
        log(f"  {factor}x: reusing {folder} (same snapshot and generator)")
        return folder, 0.0
    started = time.monotonic()
    building = folder.with_name(folder.name + ".building")
    for stale in (building, folder):
        if stale.exists():
            shutil.rmtree(stale)
    log(f"  {factor}x: building {folder} ...")
    build_registry(snapshot, factor, building)
    (building / "STAMP").write_text(wanted + "\n")  # the stamp last: a half-built one is rebuilt
    building.rename(folder)
    return folder, time.monotonic() - started


def owner_counts(clone):
    """(versions, distinct ObjectIDs, distinct owner spellings, owners once spellings are
    grouped as the site's facet groups them) of a clone's DDF.xml, owners' spaces collapsed as
    the sync collapses them. (No Django here: the bench process has no settings.)"""
    items = items_from_clone(clone)
    spellings = Counter(" ".join(item.get("Owner", "").split()) for item in items)
    groups = {group.key for group in group_owners(spellings).values()}
    versions = {(item["ObjectID"], item.get("Ver", "")) for item in items}
    return len(versions), len({item["ObjectID"] for item in items}), len(spellings), len(groups)


@dataclass
class ScaleRow:
    factor: int
    versions: int = 0
    object_ids: int = 0
    owners: int = 0
    owner_groups: int = 0
    build_s: float = 0.0  # 0: reused (or the snapshot itself)
    full: SyncResult = None
    again: SyncResult = None
    database_bytes: int = 0
    search: object = None  # LoadResult, the median round
    home: object = None
    home_page_sent: int = 0  # the page alone, as sent to a br/gzip client
    home_sent: int = 0  # the page and its assets
    home_encoding: str = ""
    problems: list = field(default_factory=list)

    @property
    def resync_ratio(self):
        if not (self.full and self.again and self.full.wall):
            return None
        return self.again.wall / self.full.wall


def database_bytes(database_url):
    path = database_url.removeprefix("sqlite:///")
    return sum(os.path.getsize(p) for p in (path, f"{path}-wal") if os.path.exists(p))


def warm_up(site, times, log):
    """Ask every measured URL a few times, long timeouts: the first answers of each worker
    build its per-sync caches, which at 100x takes seconds, before any load is timed."""
    for path, headers in (("/", {}), (endpoint_path("search fragment (htmx)"), HTMX)):
        started = time.monotonic()
        for _ in range(times):
            requests.get(site.url + path, headers=headers, timeout=300).raise_for_status()
        log(f"    warm-up {path}: {times} answers in {time.monotonic() - started:.1f} s")


def bench_site(row, database_url, options, wrk, log):
    site = SiteServer(database_url, workers=options.workers).prepare()
    with site:
        warm_up(site, 3 * options.workers, log)
        search_url = site.url + endpoint_path("search fragment (htmx)")
        runs = {"search": [], "home": []}
        for number in range(1, options.rounds + 1):
            for name, url, headers in (("search", search_url, HTMX), ("home", site.url + "/", {})):
                result = measure(f"{name} {row.factor}x", url, headers, options.connections,
                                 options.duration, wrk)  # fmt: skip
                runs[name].append(result)
                log(f"    round {number}, {name}: {result.rps:.0f} req/s, "
                    f"p99 {result.p99_ms:.1f} ms, {result.errors} errors")  # fmt: skip
        row.search, row.home = median_round(runs["search"]), median_round(runs["home"])
        weight = weigh(site.url, "/")
        row.home_sent = weight.sent
        _, row.home_encoding, row.home_page_sent = weight.parts[0]


def bench_size(snapshot, factor, options, wrk, log):
    row = ScaleRow(factor)
    clone, row.build_s = scaled_registry(snapshot, factor, log=log)
    row.versions, row.object_ids, row.owners, row.owner_groups = owner_counts(clone)
    log(f"  {factor}x: {row.versions:,} versions, {row.object_ids:,} ObjectIDs, "
        f"{row.owners} owners ({row.owner_groups} grouped)")  # fmt: skip
    url = fresh_database(f"scale-{factor}x")
    definitions = row.versions  # for SyncResult only; its floor is not used here
    row.full = run_sync(None, url, SyncResult("full", SYNC_JOBS, 0.0, definitions), source=clone)
    log(f"  {factor}x full sync: {row.full.wall:.1f} s, peak RSS {row.full.max_rss_mb:.0f} MB")
    if row.full.exit_code:
        row.problems.append(f"{factor}x: the full sync failed: {row.full.summary}")
        return row
    row.again = run_sync(None, url, SyncResult("no change", SYNC_JOBS, 0.0, definitions),
                         source=clone)  # fmt: skip
    log(f"  {factor}x re-sync: {row.again.wall:.1f} s, peak RSS {row.again.max_rss_mb:.0f} MB")
    if row.again.exit_code:
        row.problems.append(f"{factor}x: the unchanged re-sync failed: {row.again.summary}")
    row.database_bytes = database_bytes(url)
    log(f"  {factor}x database: {row.database_bytes / 2**20:.1f} MB")
    try:
        bench_site(row, url, options, wrk, log)
    except Exception as exc:
        row.problems.append(f"{factor}x: the site benchmark failed: {type(exc).__name__}: {exc}")
    return row


def bench_scale(snapshot, factors, options, wrk, log=print):
    """One row per size, 1x (the snapshot) first. `options` holds workers, connections,
    duration and rounds, as bench/run.py's arguments."""
    rows = []
    for factor in sorted({1, *factors}):
        log(f"Scale {factor}x")
        try:
            rows.append(bench_size(snapshot, factor, options, wrk, log))
        except Exception as exc:
            row = ScaleRow(factor)
            row.problems.append(f"{factor}x failed: {type(exc).__name__}: {exc}")
            rows.append(row)
            log(f"  {row.problems[-1]}")
    return rows
