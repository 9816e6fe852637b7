"""The sync's part for the registry's files besides the definitions: Common.xml (the reusable
resources) and the two object schemas (LWM2M.xsd, LWM2M-v1_1.xsd), which the quality checks
validate each definition against.

Each is one file beside hundreds of definitions: a sync that cannot fetch or read one keeps the
copy it had (and says why on the file's row), and never fails for it.
"""

import contextlib
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.utils import timezone

from objects.lwm2m.definitions import InvalidDefinition, common_fields, parse_common
from objects.models import CommonResource, RegistryFile
from objects.quality import oma_codes, senml_units
from objects.quality.checks import SCHEMA_FILES, BadSchema, Context, load_schema
from objects.sync.field_checks import BadValue, check_common_resource, clean_reason, header_value

COMMON = RegistryFile.COMMON
# The registry's own SenML units (OMA fault IDs 417, 551): optional, the project keeps a copy.
UNITS = oma_codes.UNITS_FILE
# What the public pages say when the last sync could not use the file it found.
NOT_SET = "no location is set for it"
NOT_FETCHED = "it could not be fetched"
NOT_READABLE = "it could not be read"


@dataclass
class FileOutcome:
    file: RegistryFile
    # What the file's bytes were read as (Common.xml's resources, a schema), or None.
    content: object = None
    warnings: list = field(default_factory=list)
    requests: int = 0
    downloaded: int = 0


def read_common(body):
    parsed = parse_common(body)
    resources, warnings = [], list(parsed.warnings)
    for resource in parsed.resources:
        try:
            check_common_resource(resource)
        except BadValue as exc:
            warnings.append(f"Common.xml: resource {resource['ID']} skipped: {exc}")
        else:
            resources.append(resource)
    return resources, warnings


def read_schema(body):
    return load_schema(body), []


READERS = {COMMON: read_common, **dict.fromkeys(SCHEMA_FILES.values(), read_schema)}


def fetch(source, name, kept):
    """Fetch the file `name` (conditionally, against `kept`, the stored row); no reading here:
    this runs in a thread of its own, and lxml's objects must stay in the thread that made
    them (libxml2 keeps per-thread dictionaries: a schema made in a thread that then ends
    frees memory it still points at)."""
    etag = kept.etag if kept is not None and kept.body is not None else ""
    modified = kept.last_modified if kept is not None and kept.body is not None else ""
    return source.registry_file(name, etag=etag, last_modified=modified)


def refresh(source, name, kept, fetched):
    """The file to store (the new one, else `kept`) and its content, read in this thread."""
    read = READERS[name]
    row = RegistryFile(name=name)
    if kept is not None and kept.body is not None:
        for attribute in ("url", "body", "sha256", "etag", "last_modified", "fetched"):
            setattr(row, attribute, getattr(kept, attribute))
    outcome = FileOutcome(file=row)
    if fetched is None:
        row.problem = NOT_SET
    elif fetched.error:
        outcome.requests = fetched.requests
        row.problem, row.problem_detail = NOT_FETCHED, clean_reason(fetched.error)
    else:
        outcome.requests, outcome.downloaded = fetched.requests, fetched.downloaded
        body = bytes(row.body) if fetched.not_modified else fetched.body
        try:
            outcome.content, outcome.warnings = read(body)
        except (InvalidDefinition, BadSchema) as exc:
            row.problem, row.problem_detail = NOT_READABLE, clean_reason(exc)
        else:
            if not fetched.not_modified:
                row.body, row.fetched = body, timezone.now()
                row.sha256 = hashlib.sha256(body).hexdigest()
            row.url = source.file_url(name)
            row.etag = header_value(fetched.etag, 255)
            row.last_modified = header_value(fetched.last_modified, 64)
            return outcome
    if row.problem != NOT_SET:
        outcome.warnings.append(f"{name}: {row.problem}: {row.problem_detail}")
    if row.body is not None:
        # The copy kept was read when it was stored; it is read again, as the same code would.
        with contextlib.suppress(InvalidDefinition, BadSchema):
            outcome.content, _ = read(row.body)
    return outcome


def start_refresh(source):
    """Start fetching Common.xml and the schemas side by side, in threads of their own (while
    the sync reads the metadata); return the function that waits for them and reads them, to
    be called in the sync's own thread: {name: FileOutcome}."""
    kept = {row.name: row for row in RegistryFile.objects.filter(name__in=list(READERS))}
    pool = ThreadPoolExecutor(max_workers=len(READERS), thread_name_prefix="files")
    fetches = {name: pool.submit(fetch, source, name, kept.get(name)) for name in READERS}
    pool.shutdown(wait=False)

    def read_all():
        return {
            name: refresh(source, name, kept.get(name), fetches[name].result()) for name in READERS
        }

    return read_all


def quality_context(files, units=None):
    """What the quality checks need from the files: the schemas, Common.xml's resources."""
    schemas, problems = {}, {}
    for version, name in SCHEMA_FILES.items():
        outcome = files[name]
        if outcome.content is not None:
            schemas[version] = outcome.content
        else:
            problems[version] = outcome.file.problem_detail or outcome.file.problem
    common = {row.resource_id: row for row in common_rows(files[COMMON])}
    return Context(
        schemas=schemas,
        schema_problems=problems,
        common=common,
        oma_common=oma_common(files[COMMON]),
        units=units or senml_units.bundled(),
    )


def oma_common(outcome):
    """Common.xml's resources as OMA's validator reads them, or None when there is none."""
    body = outcome.file.body if outcome is not None else None
    if body is None or outcome.content is None:
        return None
    try:
        return oma_codes.read_common(bytes(body))
    except oma_codes.UnreadableFile:
        return None


def source_units(source):
    """The SenML units for OMA's codes: the project's lists, plus a clone's own
    LWM2M_senml_units.xml when it has one (a source over HTTP uses the project's copy)."""
    units = senml_units.bundled()
    root = getattr(source, "root", None)
    if root is None:
        return units
    fetched = source.read_file(UNITS)
    if fetched.body is None:
        return units
    with contextlib.suppress(senml_units.BadUnitsFile):
        return senml_units.with_registry_file(fetched.body)
    return units


def common_rows(outcome):
    return [CommonResource(**common_fields(item)) for item in outcome.content or ()]
