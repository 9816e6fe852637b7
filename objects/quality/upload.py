"""Validate your own definition: the sync's quality checks on an uploaded file, with the schemas
and Common.xml of the last sync or of a registry clone. For /validate/ and `manage.py
validate_definition` (what the registry knows of its ObjectID: objects/catalog/registered.py)."""

import contextlib
import re
from dataclasses import dataclass, field

from lxml import etree

from objects.lwm2m.definitions import (
    InvalidDefinition,
    common_fields,
    parse_common,
    parse_definition,
)
from objects.models import CommonResource, RegistryFile
from objects.quality.checks import (
    ERROR,
    SCHEMA_FILES,
    BadSchema,
    Context,
    RuleFinding,
    check_definition,
    load_schema,
    safe_parser,
    verdict,
)
from objects.quality.compatibility import leshan

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
    lines: list = field(default_factory=list)  # each finding's line in the file, or None
    # What the registry knows of the ObjectID (objects/catalog/registered.py).
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
    def located(self):
        """[(finding, its line in the file or None)], in the findings' order."""
        return list(zip(self.findings, self.lines or [None] * len(self.findings), strict=True))

    @property
    def compatibility(self):
        """Which tools can load it (objects/quality/compatibility.py)."""
        lwm2m_version = self.definition.lwm2m_version if self.definition else ""
        return {"leshan": leshan(lwm2m_version, self.findings)}

    @property
    def owner(self):
        return self.registered[-1].owner if self.registered else ""


def validate(body, context):
    """A Report for one definition's bytes; a definition that cannot be read has one finding."""
    if len(body) > MAX_UPLOAD_BYTES:
        return Report([RuleFinding("xml", ERROR, f"the file is {len(body):,} bytes, over the "
                               f"{MAX_UPLOAD_BYTES:,}-byte limit")])  # fmt: skip
    try:
        definition = parse_definition(body, max_bytes=MAX_UPLOAD_BYTES)
    except InvalidDefinition as exc:
        return Report([RuleFinding("xml", ERROR, f"not a definition: {exc}"[:1000])])
    findings = check_definition(body, context)
    return Report(findings, definition=definition, lines=finding_lines(body, findings))


SCHEMA_LINE = re.compile(r"\bline (\d+):")
# The element an object-level rule is about, where its line is read.
RULE_ELEMENTS = {
    "object-type": "Object", "object-name": "Name", "object-id": "ObjectID",
    "version": "ObjectVersion", "urn": "ObjectURN", "resources": "Resources",
    "registry-entry": "Name", "label-range": "ObjectID",
}  # fmt: skip


def finding_lines(body, findings):
    """Each finding's line in the file (None where none is known): a schema finding's from its
    message, a resource's from its <Item>, an object-level rule's from the element it is about."""
    items, elements = {}, {}
    with contextlib.suppress(etree.XMLSyntaxError, ValueError):
        root = etree.fromstring(body, safe_parser())
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            tag = etree.QName(element).localname
            elements.setdefault(tag, element.sourceline)
            raw = (element.get("ID") or "").strip()
            if tag == "Item" and raw.isascii() and raw.isdigit():
                items.setdefault(int(raw), element.sourceline)
    lines = []
    for finding in findings:
        match = SCHEMA_LINE.search(finding.message) if finding.rule == "schema" else None
        if match:
            lines.append(int(match.group(1)))
        elif finding.resource_id is not None:
            lines.append(items.get(finding.resource_id))
        elif finding.rule == "schema-location":
            lines.append(elements.get("LWM2M"))
        else:
            lines.append(elements.get(RULE_ELEMENTS.get(finding.rule, "")))
    return lines
