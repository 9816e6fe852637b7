"""Validate your own definition: the sync's quality checks on an uploaded file, and what this
registry knows of its ObjectID (taken, by whom, at which versions; what a new version changes;
whether the ID fits a Label's range). For /validate/ and `manage.py validate_definition`."""

import contextlib
from dataclasses import dataclass, field
from types import SimpleNamespace

from objects.catalog.compare import compare_versions
from objects.catalog.reads import read_resources
from objects.lwm2m.definitions import (
    InvalidDefinition,
    common_fields,
    parse_common,
    parse_definition,
    resource_fields,
)
from objects.lwm2m.ids import LABEL_NAMES, object_id_range
from objects.lwm2m.versions import BadVersion, parse_version, version_key
from objects.models import CommonResource, ObjectVersion, RegistryFile
from objects.quality.checks import (
    ERROR,
    SCHEMA_FILES,
    BadSchema,
    Context,
    Finding,
    check_definition,
    load_schema,
    verdict,
)

MAX_UPLOAD_BYTES = 1024 * 1024


def stored_context():
    """The quality checks' Context from what the last sync stored (schemas, Common.xml).

    Made for each validation, in the thread that validates: lxml's schema objects must not
    outlive or leave the thread that made them (and parsing the two schemas takes ~1 ms)."""
    schemas, problems = {}, {}
    files = {row.name: row for row in RegistryFile.objects.filter(name__in=SCHEMA_FILES.values())}
    for version, name in SCHEMA_FILES.items():
        row = files.get(name)
        if row is None or row.body is None:
            problems[version] = "no copy of it was synced"
            continue
        try:
            schemas[version] = load_schema(bytes(row.body))
        except BadSchema as exc:
            problems[version] = str(exc)
    common = {row.resource_id: row for row in CommonResource.objects.all()}
    return Context(schemas=schemas, schema_problems=problems, common=common)


def clone_context(root):
    """The Context from a registry clone's own files (the command's --registry)."""
    schemas, problems = {}, {}
    for version, name in SCHEMA_FILES.items():
        try:
            schemas[version] = load_schema((root / name).read_bytes())
        except (OSError, BadSchema) as exc:
            problems[version] = str(exc)
    common = {}
    with contextlib.suppress(OSError, InvalidDefinition):
        for item in parse_common((root / "Common.xml").read_bytes()).resources:
            common[item["ID"]] = CommonResource(**common_fields(item))
    return Context(schemas=schemas, schema_problems=problems, common=common)


@dataclass
class Report:
    findings: list
    definition: object = None
    # What the registry knows of the ObjectID.
    registered: list = field(default_factory=list)  # its versions, oldest first
    label_fit: str = ""
    range_text: str = ""
    compared_with: object = None
    comparison: object = None

    @property
    def verdict(self):
        return verdict(self.findings)

    @property
    def errors(self):
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def owner(self):
        return self.registered[-1].owner if self.registered else ""


def validate(body, context):
    """A Report for one definition's bytes; a definition that cannot be read has one finding."""
    if len(body) > MAX_UPLOAD_BYTES:
        return Report([Finding("xml", ERROR, f"the file is {len(body):,} bytes, over the "
                               f"{MAX_UPLOAD_BYTES:,}-byte limit")])  # fmt: skip
    try:
        definition = parse_definition(body, max_bytes=MAX_UPLOAD_BYTES)
    except InvalidDefinition as exc:
        return Report([Finding("xml", ERROR, f"not a definition: {exc}"[:1000])])
    report = Report(check_definition(body, context), definition=definition)
    if definition.object_id is None:
        return report
    report.registered = list(
        ObjectVersion.objects.defer("search_text")
        .filter(object_id=definition.object_id)
        .order_by("ver_major", "ver_minor")
    )
    label, report.range_text = object_id_range(definition.object_id)
    report.label_fit = LABEL_NAMES.get(label, "") if label is not None else ""
    if report.registered:
        compare_with_registry(report)
    return report


def compare_with_registry(report):
    """Against the registered version of the same number, else the latest: what changes."""
    definition = report.definition
    try:
        wanted = parse_version(definition.object_version or "1.0")
    except BadVersion:
        wanted = None
    same = next(
        (v for v in report.registered if (v.ver_major, v.ver_minor) == wanted), None
    )  # fmt: skip
    latest = max(report.registered, key=lambda v: version_key(v.ver))
    old = same or latest
    if old.status != ObjectVersion.OK:
        return
    uploaded = SimpleNamespace(
        name=definition.name,
        urn=definition.urn,
        owner=old.owner,
        label_name=old.label_name,
        lwm2m_version=definition.lwm2m_version or "1.0",
        multiple_instances=definition.multiple_instances,
        mandatory=definition.mandatory,
        description=definition.description1,
        description2=definition.description2,
        spec_link=old.spec_link,
        status=ObjectVersion.OK,
        ver=definition.object_version or "1.0",
    )
    resources = [SimpleNamespace(**resource_fields(item)) for item in definition.resources]
    report.compared_with = old
    report.comparison = compare_versions(old, uploaded, read_resources(old)[old.pk], resources)
