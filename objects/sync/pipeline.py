"""The sync: read a source's metadata, fetch every definition, write them as they come into a
new generation, and make it live at once (objects/sync/store.py)."""

import contextlib
import hashlib
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from objects.lwm2m.definitions import InvalidDefinition, parse_definition, resource_fields
from objects.lwm2m.versions import parse_version, strict_version
from objects.models import DefinitionBody, ObjectVersion, SyncRun, live_generation
from objects.quality import oma_codes
from objects.quality.checks import ERROR, WARNING, RuleFinding, verdict
from objects.quality.checks import check_definition as check_quality
from objects.sync.changes import compare_generations
from objects.sync.field_checks import BadValue, check_definition_values, clean_reason, header_value
from objects.sync.generations import new_generation
from objects.sync.lease import SyncLease
from objects.sync.registry_files import (
    COMMON,
    common_rows,
    quality_context,
    source_units,
    start_refresh,
)
from objects.sync.sources import SourceError, open_source
from objects.sync.store import (
    RESOURCE_COLUMNS,
    GenerationWriter,
    clear_leftovers,
    previous_definitions,
    swap,
)

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
    # The quality checks' findings (objects/quality/checks.py); None when not checked.
    findings: list | None = None
    sha256: str = ""
    # The live row to copy (store.Previous: same bytes, same entry and context): nothing parsed.
    copy_of: object = None
    # A 304 whose stored bytes must be parsed again (the context or the entry changed).
    needs_body: bool = False


@dataclass
class SyncReport:
    run: SyncRun
    warnings: list = field(default_factory=list)
    seconds: float = 0.0

    def summary(self):
        r = self.run
        return (
            f"Synced {r.versions} versions of {r.objects_count} objects from {r.source}: "
            f"definitions {r.definitions_ok} ok, {r.definitions_placeholder} "
            f"placeholder{'s' if r.definitions_placeholder != 1 else ''}, "
            f"{r.definitions_failed} missing, "
            f"{r.definitions_invalid} invalid; {r.resources} resources; "
            f"{r.common_resources} reusable resources in Common.xml; "
            f"{r.requests} requests, {r.definitions_downloaded} definitions downloaded, "
            f"{r.definitions_not_modified} not modified, {r.bytes_downloaded:,} bytes; "
            f"{'' if r.changed else 'nothing changed; '}{self.seconds:.1f} s"
        )


def check_fits_entry(entry, definition):
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


def fetch_one(source, entry, previous, parsed_with=""):
    """Fetch and parse one definition; every failure becomes a status with its reason.

    Bytes that hash as the live row's (or a 304 for them), built from the same entry and
    quality context (`parsed_with`), are not parsed: the outcome names the row to copy. A 304
    that must be parsed again says so (`needs_body`): its bytes are read by the sync's thread.
    """
    if not (entry.object_link and entry.object_link_visible):
        reason = HIDDEN if entry.object_link else NO_DEFINITION
        outcome = Outcome(entry, ObjectVersion.MISSING, reason)
        if previous and not previous.sha256 and previous.parsed_with == parsed_with:
            outcome.copy_of = previous  # the same placeholder as the live one
        return outcome
    etag = last_modified = ""
    if previous and previous.object_link == entry.object_link and previous.sha256:
        etag, last_modified = previous.etag, previous.last_modified
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
    if fetched.not_modified:
        outcome.sha256 = previous.sha256
    else:
        outcome.sha256 = hashlib.sha256(fetched.body).hexdigest()
    if previous and previous.sha256 == outcome.sha256 and previous.parsed_with == parsed_with:
        outcome.copy_of = previous
        return outcome
    if fetched.not_modified:
        outcome.needs_body = True
        return outcome
    return parse_outcome(outcome, fetched.body)


def parse_outcome(outcome, body):
    """Parse an outcome's bytes into its definition, or its status and reason."""
    try:
        definition = parse_definition(body)
    except InvalidDefinition as exc:
        outcome.status, outcome.reason = ObjectVersion.INVALID, clean_reason(exc)
        outcome.findings = [unreadable_finding(outcome.reason)]
        outcome.sha256 = ""
        return outcome  # not a definition: never stored, so never served as one
    except Exception as exc:  # a parser bug must not abort the other definitions
        outcome.status = ObjectVersion.INVALID
        outcome.reason = clean_reason(f"{type(exc).__name__}: {exc}")
        outcome.sha256 = ""
        return outcome
    # A definition, even one with values that cannot be stored: the copy shows what was served.
    outcome.body = body
    try:
        outcome.definition = check_fits_entry(outcome.entry, definition)
    except InvalidDefinition as exc:
        outcome.status, outcome.reason = ObjectVersion.INVALID, clean_reason(exc)
    return outcome


def unreadable_finding(reason):
    return RuleFinding("xml", ERROR, f"not a definition: {reason}"[:1000])


def check_outcome(outcome, context):
    """Add the quality findings to an outcome with a stored definition (never raises: a
    checker's bug is a finding, not a failed sync)."""
    if outcome.body is None or context is None:
        return
    try:
        outcome.findings = check_quality(outcome.body, context, outcome.entry)
    except Exception as exc:
        outcome.findings = [RuleFinding("xml", ERROR, f"not checked: {type(exc).__name__}")]
        return
    try:
        outcome.findings += oma_findings(outcome.body, context, outcome.entry)
    except Exception as exc:
        outcome.findings.append(
            RuleFinding("oma-codes", WARNING, f"OMA's codes not checked: {type(exc).__name__}")
        )


def oma_findings(body, context, entry):
    """OMA's fault IDs for one definition against its registry entry and Common.xml (the
    single-object codes, 400-402 and 701): oma_codes.OmaFinding, errors only."""
    item = oma_codes.DdfItem(
        fields={"ObjectID": str(entry.object_id), "URN": entry.urn, "Name": entry.name,
                "Description": entry.description, "Ver": entry.ver},
        lines={}, line=None, counts={},
    )  # fmt: skip
    found, _ = oma_codes.check_object(body, context.oma_common, item, context.units)
    return [f for f in found if f.severity == ERROR and f.oma_code]


def search_text(entry, definition):
    parts = [str(entry.object_id), entry.name, entry.urn, entry.owner, entry.description]
    if definition:
        parts += [definition.name, definition.description2]
        parts += [resource["Name"] for resource in definition.resources]
    return " ".join(" ".join(part.lower().split()) for part in parts if part)


# Bump when the parser or the checks change what they make of the same bytes.
PARSER_VERSION = "2"


def context_digest(files, units=None):
    """A hash of what a definition's row depends on besides its bytes and its entry: Common.xml,
    the schemas, the SenML units, whether the checks run, the parser's version."""
    digest = hashlib.sha256(f"{PARSER_VERSION} {settings.REGISTRY_QUALITY_CHECKS}".encode())
    if units is not None:
        digest.update(repr(sorted(units.kinds)).encode())
    for name in sorted(files):
        outcome = files[name]
        digest.update(f"{name} {outcome.file.sha256} {outcome.content is None}".encode())
    return digest.hexdigest()


def parsed_with(context, entry):
    return hashlib.sha256(f"{context} {entry!r}".encode()).hexdigest()


def latest_versions(entries):
    """{object ID: its latest version's key}, from the metadata (before any definition)."""
    latest = {}
    for entry in entries:
        key = parse_version(entry.ver)
        if entry.object_id not in latest or key > latest[entry.object_id]:
            latest[entry.object_id] = key
    return latest


def build_row(outcome, is_latest, parsed):
    """An ObjectVersion row (unsaved) and its resources' and findings' values (tuples)."""
    entry, definition = outcome.entry, outcome.definition
    major, minor = parse_version(entry.ver)
    row = ObjectVersion(
        object_id=entry.object_id,
        ver=entry.ver,
        ver_major=major,
        ver_minor=minor,
        is_latest=is_latest,
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
        generation=0,
    )
    findings, resources = [], []
    if outcome.findings is not None:
        own = [f for f in outcome.findings if isinstance(f, RuleFinding)]
        row.quality = verdict(own)
        findings = [(f.rule, f.severity, f.resource_id, f.message, "", None, "") for f in own]
        findings += [
            ("oma", f.severity, f.resource_id, f.message[:1000], f.oma_code, f.line, f.hint[:1000])
            for f in outcome.findings
            if isinstance(f, oma_codes.OmaFinding)
        ]
    if outcome.body is not None:
        row.definition_sha256 = outcome.sha256
    if outcome.body is not None or outcome.reason in (NO_DEFINITION, HIDDEN):
        row.parsed_with = parsed
    if definition:
        row.lwm2m_version = strict_version(definition.lwm2m_version or "1.0")
        row.multiple_instances = definition.multiple_instances
        row.mandatory = definition.mandatory
        row.description2 = definition.description2
        row.resource_count = len(definition.resources)
        resources = [
            tuple(resource_fields(item)[c] for c in RESOURCE_COLUMNS[1:])
            for item in definition.resources
        ]
    return row, resources, findings, outcome.body


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


class Interrupts:
    """A stop signal (SIGTERM: a stopped service, a timeout) unwinds the sync as an exception,
    so that its run is recorded as failed; but not while the main thread waits on the fetches:
    an exception raised there can leave a future's lock held, and the pool's threads, and the
    process's exit that joins them, would wait on it for ever. There the signal waits for the
    end of that wait, a fraction of a second."""

    def __init__(self):
        self.deferring = False
        self.pending = None

    def handler(self, signum, frame):
        if self.deferring:
            self.pending = signum
            return
        raise SystemExit(128 + signum)

    @contextlib.contextmanager
    def deferred(self):
        self.deferring = True
        try:
            yield
        finally:
            self.deferring = False
            signum, self.pending = self.pending, None
            if signum is not None:
                raise SystemExit(128 + signum)


interrupts = Interrupts()
# The longest a deferred stop signal waits (the fetches are waited for in steps this long).
WAIT_STEP = 0.2


def fetch_all(
    source, entries, jobs, progress_stream=None, deadline=None, context=None, run_progress=None,
    previous=None, digest="",
):  # fmt: skip
    """Every entry's Outcome as it comes (a generator), its definition checked against
    `context` (quality.Context) when given; SourceError when the fetches outlast `deadline`.

    A few fetches per worker are in flight at a time, and each outcome is handed on and
    forgotten: memory holds no more than that, whatever the registry's size.
    """
    previous = previous or {}
    to_fetch = [e for e in entries if e.object_link and e.object_link_visible]
    progress = Progress(progress_stream, len(to_fetch), run_progress)
    if run_progress:
        run_progress.phase("fetching definitions", total=len(to_fetch))
    for entry in entries:
        if not (entry.object_link and entry.object_link_visible):
            key = (entry.object_id, entry.ver)
            yield fetch_one(source, entry, previous.get(key), parsed_with(digest, entry))
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="fetch")
    waiting, pending = iter(to_fetch), set()
    try:
        while True:
            while len(pending) < 4 * max(1, jobs):
                entry = next(waiting, None)
                if entry is None:
                    break
                key = (entry.object_id, entry.ver)
                pending.add(
                    pool.submit(
                        fetch_one, source, entry, previous.get(key), parsed_with(digest, entry)
                    )
                )
            if not pending:
                break
            done = set()
            while not done and (deadline is None or time.monotonic() < deadline):
                step = WAIT_STEP if deadline is None else deadline - time.monotonic()
                with interrupts.deferred():
                    done, pending = wait(
                        pending, timeout=max(0.0, min(step, WAIT_STEP)), return_when=FIRST_COMPLETED
                    )
            if not done:
                raise SourceError(
                    f"the definitions took longer than the sync's deadline "
                    f"(REGISTRY_SYNC_DEADLINE, {settings.REGISTRY_SYNC_DEADLINE:g} s): "
                    f"{progress.done} of {len(to_fetch)} fetched"
                )
            for future in done:
                outcome = future.result()
                if outcome.needs_body:  # a 304 to parse again: its bytes from the store
                    parse_outcome(outcome, DefinitionBody.bytes_of(outcome.sha256))
                # Here, one at a time while the other fetches wait on the network: lxml's
                # schema objects are not to be shared between threads.
                if outcome.copy_of is None:
                    check_outcome(outcome, context)
                progress.step()
                yield outcome
    finally:
        # Interrupted (SIGTERM, Ctrl-C): the fetches not yet started are dropped, not waited for.
        pool.shutdown(wait=True, cancel_futures=True)


BATCH = 200


def store_outcomes(outcomes, writer, latest, digest, counts, live_count):
    """Write the outcomes to the new generation, BATCH versions a transaction: new rows as
    they come; the unchanged (a small tuple each) copied from the live rows at the end, unless
    every version is the live one unchanged: then nothing is written. Returns whether it was
    so; the counts are summed as they go."""
    built, copies, same = [], [], True
    for outcome in outcomes:
        entry = outcome.entry
        is_latest = latest[entry.object_id] == parse_version(entry.ver)
        counts["versions"] += 1
        counts["definitions_downloaded"] += bool(outcome.downloaded)
        counts["definitions_not_modified"] += outcome.not_modified
        counts["requests"] += outcome.requests
        counts["bytes_downloaded"] += outcome.downloaded
        live = outcome.copy_of
        if live is not None:
            values = (
                is_latest,
                header_value(outcome.etag, 255),
                header_value(outcome.last_modified, 64),
            )
            copies.append((live.pk, values))
            writer.copied(live)
            same = same and values == (live.is_latest, live.etag, live.last_modified)
        else:
            same = False
            built.append(build_row(outcome, is_latest, parsed_with(digest, entry)))
            if len(built) >= BATCH:
                writer.write(built)
                built = []
    writer.write(built)
    if same and counts["versions"] == live_count:
        return True
    for start in range(0, len(copies), BATCH):
        writer.write((), [
            (pk, dict(zip(("is_latest", "etag", "last_modified"), values, strict=True)))
            for pk, values in copies[start : start + BATCH]
        ])  # fmt: skip
    return False


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
        source = generation = None
        try:
            # What a failed or killed sync left (the lease says none is writing now).
            clear_leftovers()
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
            units = source_units(source)
            context = quality_context(files, units) if settings.REGISTRY_QUALITY_CHECKS else None
            digest = context_digest(files, units)
            log(
                f"Common.xml: {len(common)} reusable resources; schemas: "
                f"{', '.join(sorted(context.schemas)) if context else 'not checked'}"
            )
            warnings = warnings + [w for outcome in files.values() for w in outcome.warnings]
            run.warnings = "\n".join(clean_reason(w) for w in warnings[:1000])
            live, generation = live_generation(), new_generation()
            writer = GenerationWriter(generation)
            counts = dict.fromkeys(
                ("versions", "definitions_downloaded", "definitions_not_modified", "requests",
                 "bytes_downloaded"), 0,
            )  # fmt: skip
            previous = previous_definitions()
            outcomes = fetch_all(
                source, entries, jobs, progress_stream, deadline, context, progress,
                previous=previous, digest=digest,
            )  # fmt: skip
            same = store_outcomes(
                outcomes, writer, latest_versions(entries), digest, counts, len(previous)
            )
            del previous
            statuses = writer.statuses
            counts.update(
                objects_count=len({entry.object_id for entry in entries}),
                definitions_ok=statuses[ObjectVersion.OK],
                definitions_missing=statuses[ObjectVersion.MISSING],
                definitions_placeholder=sum(not entry.object_link for entry in entries),
                definitions_invalid=statuses[ObjectVersion.INVALID],
                resources=writer.resources,
                common_resources=len(common),
            )
            counts["requests"] += source.metadata_requests + sum(f.requests for f in files.values())
            counts["bytes_downloaded"] += metadata_bytes + sum(f.downloaded for f in files.values())
            log(f"stored {counts['versions']} versions and {counts['resources']} resources")
            progress.phase("comparing")
            changes = [] if same else compare_generations(live, generation, run)
            progress.phase("storing")
            swap(
                run, generation, writer, counts, changes, log=log,
                files=[f.file for f in files.values()], common=common, same=same,
            )  # fmt: skip
            log("stored")
        except BaseException as exc:
            reason = clean_reason(_reason(exc))
            run.outcome = SyncRun.FAILED
            run.finished = timezone.now()
            run.error = reason
            run.save(update_fields=["outcome", "finished", "error", "warnings", "phase"])
            if generation is not None and isinstance(exc, Exception):
                # Its partial generation is not kept (the next sync clears it otherwise).
                with contextlib.suppress(Exception):
                    clear_leftovers()
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
