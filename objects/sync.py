"""The sync: read a source's metadata, fetch every definition, and store it all at once."""

import hashlib
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from .definitions import InvalidDefinition, parse_definition, resource_fields
from .field_checks import BadValue, check_definition_values, clean_reason, header_value
from .locking import SyncLease
from .models import Finding, ObjectVersion, Resource, SyncRun
from .quality import ERROR, verdict
from .quality import Finding as QualityFinding
from .quality import check_definition as check_quality
from .registry_files import COMMON, common_rows, quality_context, start_refresh
from .sources import SourceError, open_source
from .store import previous_definitions, replace_all
from .versions import parse_version, strict_version

# What the public pages say of a version without a definition. A fetch's own error (which
# host, which port, refused or timed out) is kept for the admin only: shown to everyone, it
# would tell open ports from closed ones.
NO_DEFINITION = "reserved by the registry, no definition published"
HIDDEN = "the registry hides this version's definition"
NOT_FETCHED = "the definition could not be fetched"


class SyncFailed(Exception):
    """The sync did not change the data; the message says why, in one line."""

    def __init__(self, message, run=None):
        super().__init__(message)
        self.run = run


@dataclass
class Outcome:
    entry: object
    status: str
    reason: str = ""
    # The whole story, for the admin: which URL, what went wrong.
    detail: str = ""
    body: bytes | None = None
    etag: str = ""
    last_modified: str = ""
    definition: object = None
    downloaded: int = 0
    not_modified: bool = False
    requests: int = 0
    # The quality checks' findings (objects/quality.py); None when not checked.
    findings: list | None = None


@dataclass
class SyncReport:
    run: SyncRun
    warnings: list = field(default_factory=list)
    seconds: float = 0.0

    def summary(self):
        r = self.run
        return (
            f"Synced {r.versions} versions of {r.objects_count} objects from {r.source}: "
            f"definitions {r.definitions_ok} ok, {r.definitions_missing} missing, "
            f"{r.definitions_invalid} invalid; {r.resources} resources; "
            f"{r.common_resources} reusable resources in Common.xml; "
            f"{r.requests} requests, {r.definitions_downloaded} definitions downloaded, "
            f"{r.definitions_not_modified} not modified, {r.bytes_downloaded:,} bytes; "
            f"{'' if r.changed else 'nothing changed; '}{self.seconds:.1f} s"
        )


def check_definition(entry, definition):
    """Check a parsed definition against its metadata and its columns; raise InvalidDefinition."""
    if definition.object_id is not None and definition.object_id != entry.object_id:
        raise InvalidDefinition(
            f"the definition is of object {definition.object_id}, "
            f"the registry says {entry.object_id}"
        )
    try:
        check_definition_values(definition)
    except BadValue as exc:
        raise InvalidDefinition(str(exc)) from None
    return definition


def fetch_one(source, entry, previous):
    """Fetch and parse one definition; every failure becomes a status with its reason."""
    if not entry.object_link:
        return Outcome(entry, ObjectVersion.MISSING, NO_DEFINITION)
    if not entry.object_link_visible:
        return Outcome(entry, ObjectVersion.MISSING, HIDDEN)
    etag = last_modified = ""
    old_body = None
    if previous and previous[0] == entry.object_link and previous[3]:
        _, etag, last_modified, old_body = previous
    fetched = source.definition(entry, etag=etag, last_modified=last_modified)
    outcome = Outcome(
        entry,
        ObjectVersion.OK,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        downloaded=fetched.downloaded,
        not_modified=fetched.not_modified,
        requests=fetched.requests,
    )
    if fetched.error:
        outcome.status, outcome.reason = ObjectVersion.MISSING, NOT_FETCHED
        outcome.detail = clean_reason(fetched.error)
        return outcome
    body = bytes(old_body) if fetched.not_modified else fetched.body
    try:
        definition = parse_definition(body)
    except InvalidDefinition as exc:
        outcome.status, outcome.reason = ObjectVersion.INVALID, clean_reason(exc)
        outcome.findings = [UNREADABLE(outcome.reason)]
        return outcome  # not a definition: never stored, so never served as one
    except Exception as exc:  # a parser bug must not abort the other definitions
        outcome.status = ObjectVersion.INVALID
        outcome.reason = clean_reason(f"{type(exc).__name__}: {exc}")
        return outcome
    # A definition, even one with values that cannot be stored: the copy shows what was served.
    outcome.body = body
    try:
        outcome.definition = check_definition(entry, definition)
    except InvalidDefinition as exc:
        outcome.status, outcome.reason = ObjectVersion.INVALID, clean_reason(exc)
    return outcome


def UNREADABLE(reason):  # noqa: N802 - a Finding's maker, named like one
    return QualityFinding("xml", ERROR, f"not a definition: {reason}"[:1000])


def check_outcome(outcome, context):
    """Add the quality findings to an outcome with a stored definition (never raises: a
    checker's bug is a finding, not a failed sync)."""
    if outcome.body is None or context is None:
        return
    try:
        outcome.findings = check_quality(outcome.body, context, outcome.entry)
    except Exception as exc:
        outcome.findings = [QualityFinding("xml", ERROR, f"not checked: {type(exc).__name__}")]


def search_text(entry, definition):
    parts = [str(entry.object_id), entry.name, entry.urn, entry.owner, entry.description]
    if definition:
        parts += [definition.name, definition.description2]
        parts += [resource["Name"] for resource in definition.resources]
    return " ".join(" ".join(part.lower().split()) for part in parts if part)


def build_rows(outcomes):
    """ObjectVersion rows (with is_latest), their Resource and Finding rows, not yet saved."""
    latest = {}
    for outcome in outcomes:
        entry = outcome.entry
        key = parse_version(entry.ver)
        if entry.object_id not in latest or key > latest[entry.object_id]:
            latest[entry.object_id] = key
    versions, resources, findings = [], {}, {}
    for outcome in sorted(outcomes, key=lambda o: (o.entry.object_id, parse_version(o.entry.ver))):
        entry, definition = outcome.entry, outcome.definition
        major, minor = parse_version(entry.ver)
        row = ObjectVersion(
            object_id=entry.object_id,
            ver=entry.ver,
            ver_major=major,
            ver_minor=minor,
            is_latest=latest[entry.object_id] == (major, minor),
            urn=entry.urn,
            name=entry.name or (definition.name if definition else ""),
            description=entry.description,
            owner=entry.owner,
            label=entry.label,
            object_link=entry.object_link,
            object_link_visible=entry.object_link_visible,
            spec_link=entry.spec_link,
            spec_link_visible=entry.spec_link_visible,
            vorto_link=entry.vorto_link,
            status=outcome.status,
            status_reason=outcome.reason,
            status_detail=outcome.detail,
            etag=header_value(outcome.etag, 255),
            last_modified=header_value(outcome.last_modified, 64),
            search_text=search_text(entry, definition),
        )
        if outcome.findings is not None:
            row.quality = verdict(outcome.findings)
            findings[(entry.object_id, entry.ver)] = [
                Finding(
                    rule=f.rule, severity=f.severity, resource_id=f.resource_id, message=f.message
                )
                for f in outcome.findings
            ]
        if outcome.body is not None:
            row.definition = outcome.body
            row.definition_sha256 = hashlib.sha256(outcome.body).hexdigest()
        if definition:
            row.lwm2m_version = strict_version(definition.lwm2m_version or "1.0")
            row.multiple_instances = definition.multiple_instances
            row.mandatory = definition.mandatory
            row.description2 = definition.description2
            row.resource_count = len(definition.resources)
            resources[(entry.object_id, entry.ver)] = [
                Resource(**resource_fields(item)) for item in definition.resources
            ]
        versions.append(row)
    return versions, resources, findings


class RunProgress:
    """The run's phase and count, written to its row for the /sync/ page: a phase at once,
    counts at most every `interval` seconds (one small UPDATE each)."""

    def __init__(self, run, interval=0.25):
        self.run, self.interval = run, interval
        self._last = 0.0

    def phase(self, name, total=None):
        """A new phase; with `total`, the count it makes starts at 0 of it."""
        if total is None:
            self._write(phase=name)
        else:
            self._write(phase=name, done=0, total=total)

    def count(self, done, total, force=False):
        now = time.monotonic()
        if force or now - self._last >= self.interval:
            self._write(done=done, total=total)

    def _write(self, **values):
        self._last = time.monotonic()
        for name, value in values.items():
            setattr(self.run, name, value)
        SyncRun.objects.filter(pk=self.run.pk).update(**values)


class Progress:
    """A progress bar on a terminal, nothing elsewhere; and the run's count (RunProgress)."""

    def __init__(self, stream, total, run_progress=None):
        self.stream, self.total, self.done = stream, total, 0
        self.enabled = bool(stream) and hasattr(stream, "isatty") and stream.isatty() and total
        self.run_progress = run_progress
        self._last = 0.0

    def step(self):
        self.done += 1
        if self.run_progress:
            self.run_progress.count(self.done, self.total, force=self.done == self.total)
        now = time.monotonic()
        if self.enabled and (now - self._last > 0.1 or self.done == self.total):
            self._last = now
            width = 30
            filled = int(width * self.done / self.total)
            self.stream.write(
                f"\r  [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} definitions"
            )
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


def fetch_all(
    source, entries, jobs, progress_stream=None, deadline=None, context=None, run_progress=None
):
    """Every entry's Outcome, its definition checked against `context` (quality.Context) when
    given; SourceError when the fetches outlast `deadline` (monotonic)."""
    previous = previous_definitions()
    to_fetch = [e for e in entries if e.object_link and e.object_link_visible]
    progress = Progress(progress_stream, len(to_fetch), run_progress)
    if run_progress:
        run_progress.phase("fetching definitions", total=len(to_fetch))
    outcomes = [
        fetch_one(source, e, None) for e in entries if not (e.object_link and e.object_link_visible)
    ]
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="fetch")
    try:
        futures = [
            pool.submit(fetch_one, source, e, previous.get((e.object_id, e.ver))) for e in to_fetch
        ]
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            for future in as_completed(futures, timeout=left):
                outcome = future.result()
                # Here, one at a time while the other fetches wait on the network: lxml's
                # schema objects are not to be shared between threads.
                check_outcome(outcome, context)
                outcomes.append(outcome)
                progress.step()
        except FuturesTimeout:
            raise SourceError(
                f"the definitions took longer than the sync's deadline "
                f"(REGISTRY_SYNC_DEADLINE, {settings.REGISTRY_SYNC_DEADLINE:g} s): "
                f"{progress.done} of {len(to_fetch)} fetched"
            ) from None
    finally:
        # Interrupted (SIGTERM, Ctrl-C): the fetches not yet started are dropped, not waited for.
        pool.shutdown(wait=True, cancel_futures=True)
    return outcomes


def sync_registry(spec, jobs=8, progress_stream=None, log=None, adopt=None):
    """Run one sync from `spec`; return a SyncReport or raise SyncFailed / SyncAlreadyRunning.

    `log`, when given, is called with a line at each phase (the command's -v 2). `adopt` is
    the pk of a run reserved for this process (by /sync/'s "Sync now").
    """
    log = log or (lambda line: None)
    started = time.monotonic()
    with SyncLease(str(spec), adopt=adopt) as lease:
        run = lease.run
        progress = RunProgress(run)
        source = None
        try:
            progress.phase("reading the metadata")
            deadline = time.monotonic() + settings.REGISTRY_SYNC_DEADLINE
            source = open_source(spec, jobs=jobs)
            source.sync_deadline = deadline
            log(f"run {run.pk}: reading the metadata from {source}")
            read_files = start_refresh(source)  # Common.xml and the schemas, meanwhile
            entries, warnings, metadata_bytes = source.metadata()
            log(
                f"metadata: {len(entries)} versions, {len(warnings)} warnings; fetching definitions"
            )
            progress.phase("reading Common.xml and the schemas")
            files = read_files()
            common = common_rows(files[COMMON])
            context = quality_context(files) if settings.REGISTRY_QUALITY_CHECKS else None
            log(
                f"Common.xml: {len(common)} reusable resources; schemas: "
                f"{', '.join(sorted(context.schemas)) if context else 'not checked'}"
            )
            warnings = warnings + [w for outcome in files.values() for w in outcome.warnings]
            run.warnings = "\n".join(clean_reason(w) for w in warnings[:1000])
            outcomes = fetch_all(
                source, entries, jobs, progress_stream, deadline, context, progress
            )
            versions, resources, findings = build_rows(outcomes)
            counts = {
                "versions": len(versions),
                "objects_count": len({v.object_id for v in versions}),
                "definitions_ok": sum(o.status == ObjectVersion.OK for o in outcomes),
                "definitions_missing": sum(o.status == ObjectVersion.MISSING for o in outcomes),
                "definitions_invalid": sum(o.status == ObjectVersion.INVALID for o in outcomes),
                "definitions_downloaded": sum(1 for o in outcomes if o.downloaded),
                "definitions_not_modified": sum(o.not_modified for o in outcomes),
                "resources": sum(len(r) for r in resources.values()),
                "common_resources": len(common),
                "requests": source.metadata_requests
                + sum(f.requests for f in files.values())
                + sum(o.requests for o in outcomes),
                "bytes_downloaded": metadata_bytes
                + sum(f.downloaded for f in files.values())
                + sum(o.downloaded for o in outcomes),
            }
            log(f"storing {counts['versions']} versions and {counts['resources']} resources")
            progress.phase("storing")
            replace_all(
                run, versions, resources, counts, log=log, findings=findings,
                files=[f.file for f in files.values()], common=common,
            )  # fmt: skip
            log("stored")
        except BaseException as exc:
            reason = clean_reason(_reason(exc))
            run.outcome = SyncRun.FAILED
            run.finished = timezone.now()
            run.error = reason
            run.save(update_fields=["outcome", "finished", "error", "warnings", "phase"])
            if isinstance(exc, Exception):
                raise SyncFailed(reason, run) from exc
            raise
        finally:
            if source is not None:
                source.close()
    return SyncReport(run=run, warnings=warnings, seconds=time.monotonic() - started)


def _reason(exc):
    if isinstance(exc, SourceError):
        return str(exc)
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted (SIGINT)"
    if isinstance(exc, SystemExit):
        return "interrupted (the process was asked to stop)"
    return f"{type(exc).__name__}: {exc}"
