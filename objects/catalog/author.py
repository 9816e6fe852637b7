"""Request time for /author/: the free ObjectIDs of a class, Common.xml's reusable resources, a
registered version as a draft, the version advice against it, and the one function that
validates a draft (validate_draft), where every check the site has is gathered."""

import bisect
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from objects.catalog.id_space import id_space
from objects.catalog.per_sync import per_sync
from objects.catalog.reads import definition_body
from objects.codegen import FILES, generate, saved_name
from objects.codegen import from_definition as codegen_object
from objects.codegen.bundle import zip_bytes
from objects.codegen.compatibility import TARGETS, resource_gaps
from objects.codegen.compatibility import compatibility as codegen_compatibility
from objects.lwm2m.definitions import InvalidDefinition, parse_definition
from objects.lwm2m.draft import (
    LABEL_OF_KIND,
    OBJECT_ELEMENTS,
    RESOURCE_ATTRIBUTES,
    REUSABLE,
    Draft,
    DraftResource,
    common_item,
    ddf_item,
    draft_fields,
    from_xml,
    to_xml,
)
from objects.lwm2m.ids import BadId, named_id, parse_object_id, shown
from objects.lwm2m.version_advice import advise
from objects.lwm2m.version_advice import summary as advice_summary
from objects.lwm2m.versions import BadVersion, parse_version
from objects.models import CommonResource, ObjectVersion, SharedDraft
from objects.quality import oma_codes
from objects.quality.checks import ERROR, WARNING, RuleFinding
from objects.quality.upload import stored_context, validate
from objects.quality.validator import SAID_BY_OMA, stored_registry

# The classes an author picks from (/ids/'s assignable ranges): code -> (first, last, what).
ID_CLASSES = {
    "oma": (0, 1023, "OMA"),
    "ext": (2048, 10240, "Standards body"),
    "x": (10241, 26240, "Company (registered)"),
    "x-private": (26241, 32768, "Company, private (reused without registration)"),
    "test": (42769, 42800, "Tests, never in production"),
}
MAX_FREE = 100


class BadDraft(ValueError):
    """A parameter that cannot be used; the message is for the person who sent it."""


@dataclass
class FreeIds:
    label: str
    first: int
    last: int
    what: str
    free: list
    # The registry's placeholders in the range: reserved, with no definition yet.
    reserved: list
    taken: int


def parse_count(text, default=5):
    text = str(text or "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_FREE:
        raise BadDraft(f"count is a whole number from 1 to {MAX_FREE}")
    return int(text)


def free_ids(run, label, count=5):
    """The first `count` IDs of a class that no registered object or placeholder holds."""
    if label not in ID_CLASSES:
        raise BadDraft(f"label is one of {', '.join(ID_CLASSES)}")
    first, last, what = ID_CLASSES[label]
    space = id_space(run)
    taken = sorted(i for i in space.versions if first <= i <= last)
    reserved = [
        i
        for i in taken
        if all(getattr(row, "list_status", "") == "placeholder" for row in space.versions[i])
    ]
    free = []
    candidate = first
    index = bisect.bisect_left(taken, candidate)
    while candidate <= last and len(free) < count:
        if index < len(taken) and taken[index] == candidate:
            index += 1
        else:
            free.append(candidate)
        candidate += 1
    return FreeIds(label, first, last, what, free, reserved, len(taken))


# ---- Common.xml's reusable resources -------------------------------------------------------


@per_sync(maxsize=1)
def common_resources(run):
    """{resource ID: CommonResource} of the last sync's Common.xml."""
    return {row.resource_id: row for row in CommonResource.objects.all()}


def reusable_resource(common, row):
    """A DraftResource copied from Common.xml, locked: its fields are the registry's."""
    return DraftResource(
        id=str(row.resource_id),
        name=row.name,
        operations=row.operations,
        multiple_instances="Single",
        mandatory="Optional",
        type=row.type,
        range_enumeration=row.range_enumeration,
        units=row.units,
        description=" ".join(row.description.split()),
        reusable=True,
    )


def lock_reusable(draft, common):
    """Each resource marked reusable takes Common.xml's fields again (a form's values for them
    are not the author's to change); one whose ID Common.xml no longer has is unmarked."""
    for index, resource in enumerate(draft.resources):
        if not resource.reusable:
            continue
        row = common.get(resource.number)
        if row is None:
            resource.reusable = False
            continue
        locked = reusable_resource(common, row)
        locked.multiple_instances = resource.multiple_instances
        locked.mandatory = resource.mandatory
        draft.resources[index] = locked
    return draft


def mark_reusable(draft, common):
    """A draft read from a file: a resource that is Common.xml's own (same ID and name) is
    marked reusable, so it is shown locked."""
    for resource in draft.resources:
        row = common.get(resource.number)
        if row is not None and " ".join(resource.name.split()) == " ".join(row.name.split()):
            resource.reusable = True
    return lock_reusable(draft, common)


def find_reusable(common, query):
    """(CommonResource or None, message): by ID, or by name (whole, then a unique part)."""
    text = " ".join(str(query).split())[:100]
    if not text:
        return None, "Give a reusable resource's ID or name (Common.xml)."
    number = named_id(text)
    if number is not None:
        row = common.get(number)
        if row is not None:
            return row, ""
        if REUSABLE[0] <= number <= REUSABLE[1]:
            return None, (
                f"Resource ID {number} is in the reusable range ({REUSABLE[0]}-{REUSABLE[1]}) "
                "but is not in Common.xml: register it there first (the kit adds it to "
                "Common-items.xml), or choose another ID."
            )
        return None, (
            f"Resource ID {number} is not a reusable resource "
            f"(Common.xml lists {REUSABLE[0]}-{REUSABLE[1]})."
        )
    lowered = text.lower()
    exact = [row for row in common.values() if row.name.lower() == lowered]
    if exact:
        return exact[0], ""
    partial = [row for row in common.values() if lowered in row.name.lower()]
    if len(partial) == 1:
        return partial[0], ""
    if partial:
        names = ", ".join(f"{row.resource_id} {row.name}" for row in partial[:6])
        more = "…" if len(partial) > 6 else ""
        return None, f"“{shown(text, 40)}” names several reusable resources: {names}{more}."
    return None, f"No reusable resource in Common.xml is named “{shown(text, 40)}”."


# ---- A registered version as the start of a draft ------------------------------------------


@dataclass
class Base:
    """The registered version a draft started from, with the latest version of its ID."""

    object_id: int
    version: tuple
    latest: tuple
    draft: Draft
    name: str = ""
    owner: str = ""

    @property
    def text(self):
        return f"{self.object_id}/{self.version[0]}.{self.version[1]}"


def parse_base(text):
    """(ObjectID, (major, minor)) of "3303/1.1" or "3303" (None for the version: the latest)."""
    text = str(text or "").strip().strip("/")
    object_text, _, version_text = text.partition("/")
    try:
        object_id = parse_object_id(object_text)
        version = parse_version(version_text) if version_text else None
    except (BadId, BadVersion):
        raise BadDraft(
            f"“{shown(text, 40)}” names no registered version: write it as 3303/1.1"
        ) from None
    return object_id, version


def registered_base(text, common):
    """The Base that `text` ("3303/1.1") names, else BadDraft saying why."""
    object_id, version = parse_base(text)
    rows = list(
        ObjectVersion.objects.defer("search_text")
        .filter(object_id=object_id)
        .order_by("ver_major", "ver_minor")
    )
    if not rows:
        raise BadDraft(f"Object {object_id} is not registered.")
    latest = rows[-1]
    row = latest if version is None else next(
        (r for r in rows if (r.ver_major, r.ver_minor) == version), None
    )  # fmt: skip
    if row is None:
        versions = ", ".join(r.ver for r in rows)
        raise BadDraft(f"Object {object_id} has no version {version[0]}.{version[1]} "
                         f"(it has {versions}).")  # fmt: skip
    body = definition_body(row)
    if body is None:
        raise BadDraft(f"Object {object_id} version {row.ver} has no definition to start from.")
    try:
        draft = from_xml(body)
    except InvalidDefinition as exc:
        raise BadDraft(f"Object {object_id} version {row.ver} cannot be read: {exc}") from None
    draft.object_version = row.ver
    mark_reusable(draft, common)
    return Base(
        object_id,
        (row.ver_major, row.ver_minor),
        (latest.ver_major, latest.ver_minor),
        draft,
        row.name,
        row.owner,
    )


# ---- The editor's form ---------------------------------------------------------------------

# A draft has at most this many resources here (the registry's largest object has 67); its
# form then stays under Django's DATA_UPLOAD_MAX_NUMBER_FIELDS.
MAX_RESOURCES = 90
MAX_FIELD = 20_000
OBJECT_FORM_FIELDS = draft_fields()
RESOURCE_FORM_FIELDS = ["id", *(attribute for _, attribute in RESOURCE_ATTRIBUTES)]


def _value(post, name):
    return str(post.get(name, ""))[:MAX_FIELD]


@dataclass
class Editor:
    """What the editor's form holds: the draft, the version it started from, whether the author
    set the ObjectVersion themselves, who submits it, and what the last action said."""

    draft: Draft
    base_text: str = ""
    override: bool = False
    owner: str = ""
    id_class: str = ""
    message: str = ""
    focus: str = ""


def editor_from_post(post, common):
    """The Editor a form post describes (resources r0-..., r1-..., in the form's order)."""
    draft = Draft(**{name: _value(post, name) for name in OBJECT_FORM_FIELDS})
    for index in range(MAX_RESOURCES):
        prefix = f"r{index}-"
        if f"{prefix}id" not in post:
            break
        resource = DraftResource(
            **{name: _value(post, prefix + name) for name in RESOURCE_FORM_FIELDS},
            reusable=post.get(prefix + "reusable") == "1",
        )
        draft.resources.append(resource)
    lock_reusable(draft, common)
    return Editor(
        draft=draft,
        base_text=_value(post, "base")[:40],
        override=post.get("override") == "1",
        owner=_value(post, "owner")[:200],
        id_class=_value(post, "id_class")[:20],
    )


def _next_local_id(draft):
    """The next resource ID of the object's own range (0-2047) the draft does not use."""
    used = {r.number for r in draft.resources}
    return next((str(i) for i in range(2048) if i not in used), "")


def apply_action(editor, action, post, common):
    """Change the editor as a button asks: add, remove, move, reuse, use an ID."""
    draft = editor.draft
    verb, _, argument = str(action).partition(":")
    index = int(argument) if argument.isascii() and argument.isdigit() else -1
    count = len(draft.resources)
    if verb == "add":
        if count >= MAX_RESOURCES:
            editor.message = f"A draft has at most {MAX_RESOURCES} resources here."
            return editor
        draft.resources.append(DraftResource(id=_next_local_id(draft)))
        editor.focus = f"r{count}-name"
    elif verb == "reuse":
        row, message = find_reusable(common, post.get("reuse", ""))
        if row is None:
            editor.message, editor.focus = message, "reuse"
        elif any(r.number == row.resource_id for r in draft.resources):
            editor.message = f"Resource {row.resource_id} ({row.name}) is in the draft already."
            editor.focus = "reuse"
        elif count >= MAX_RESOURCES:
            editor.message = f"A draft has at most {MAX_RESOURCES} resources here."
        else:
            draft.resources.append(reusable_resource(common, row))
            editor.message = f"Added {row.resource_id} {row.name} from Common.xml, locked."
            editor.focus = f"r{count}-mandatory"
    elif verb == "remove" and 0 <= index < count:
        removed = draft.resources.pop(index)
        editor.message = f"Removed resource {removed.id} {removed.name}".strip() + "."
        editor.focus = "add-resource"
    elif verb in ("up", "down") and 0 <= index < count:
        other = index - 1 if verb == "up" else index + 1
        if 0 <= other < count:
            resources = draft.resources
            resources[index], resources[other] = resources[other], resources[index]
            index = other
        editor.focus = f"r{index}-{verb}"
    elif verb == "use-id" and index >= 0:
        draft.object_id = str(index)
        editor.focus = "f-object_id"
    return editor


# ---- Validation ----------------------------------------------------------------------------


def validate_draft(xml_bytes, context=None):
    """Every finding for a definition's bytes: the schema and model rules (quality/checks.py),
    Common.xml (reused copies, IDs in the reusable range it does not list) and what each SDK's
    code generator cannot express. One function, so further checks plug in here."""
    context = stored_context() if context is None else context
    report = validate(xml_bytes, context)
    definition = report.definition
    if definition is None:  # no definition to check: why, once
        return list(report.findings)
    findings = [f for f in report.findings if f.rule not in SAID_BY_OMA]
    findings += oma_findings(xml_bytes)
    loads = report.compatibility["leshan"]
    if not loads["ok"] and not report.errors:  # its errors are said above
        findings.append(RuleFinding("sdk-leshan-loader", WARNING, f"Leshan: {loads['reason']}"))
    for item in definition.resources:
        rid = item["ID"]
        if REUSABLE[0] <= rid <= REUSABLE[1] and rid not in context.common:
            findings.append(
                RuleFinding(
                    "common-missing",
                    WARNING,
                    f"resource {rid} is in the reusable range ({REUSABLE[0]}-{REUSABLE[1]}) but "
                    "not in Common.xml: it must be registered there (the kit's Common-items.xml)",
                    rid,
                )
            )
    try:
        obj = codegen_object(definition)
    except ValueError:  # no ObjectID: the checks above say so
        return findings
    if obj is not None:
        for target in TARGETS:
            for resource in obj.resources:
                for gap in resource_gaps(obj, target, resource):
                    findings.append(RuleFinding(f"sdk-{target}", WARNING, f"{target}: {gap}",
                                            resource.id))  # fmt: skip
    return findings


def oma_findings(xml_bytes):
    """OMA's validator fault IDs for the draft (objects/quality/oma_codes.py), against the
    synced Common.xml and SenML units; a new draft has no DDF.xml entry yet, so the codes that
    compare with one are the kit's (its SUBMISSION.md). Each says its line, so locate() puts
    it on its field."""
    registry = stored_registry()
    found, _ = oma_codes.check_object(xml_bytes, registry.common, None, registry.units)
    return [
        RuleFinding(
            f"oma-{f.oma_code}",
            ERROR if f.severity == ERROR else WARNING,
            f"line {f.line}: OMA {f.oma_code}: {f.message}" + (f" {f.hint}" if f.hint else ""),
            f.resource_id,
        )
        for f in found
        if f.oma_code and f.severity != oma_codes.NOT_CHECKED
    ]


# Where a finding of a rule points, when it is about the object (field ids of the editor).
RULE_FIELDS = {
    "object-name": "f-name", "object-id": "f-object_id", "urn": "f-object_id",
    "version": "f-object_version", "resources": "add-resource",
    "schema-location": "f-lwm2m_version", "xml": "f-name", "id-request": "f-description1",
    "version-advice": "f-object_version", "sdk-leshan-loader": "f-lwm2m_version",
}  # fmt: skip
# Where a finding about one resource points, by rule (the resource's row is r<index>-).
RESOURCE_RULE_FIELDS = {
    "resource-id": "id", "resource-duplicate": "id", "resource-name": "name",
    "resource-type": "type", "resource-type-version": "type", "common": "name",
    "common-missing": "id",
}  # fmt: skip
SDK_FIELDS = (("Type", "type"), ("Operations", "operations"), ("executable", "operations"),
              ("Name", "name"), ("Description", "description"))  # fmt: skip
SDK_NAMES = {"anjay": "Anjay", "wakaama": "Wakaama", "zephyr": "Zephyr",
             "nordic": "Nordic lwm2m-types", "leshan": "Leshan model",
             "leshan-loader": "Leshan loader"}  # fmt: skip
REGISTRY_RULES = {"common", "common-missing", "registry-entry", "label-range", "id-request",
                  "version-advice"}  # fmt: skip
SCHEMA_LINE_RE = re.compile(r"\bline (\d+):")
ELEMENT_RE = re.compile(r"^\s*<([A-Za-z0-9]+)[ >]")


def line_fields(xml_bytes):
    """Each line's field id in the XML to_xml writes (one element a line): {line: field id}."""
    found, row = {}, -1
    elements = dict(zip(OBJECT_ELEMENTS, OBJECT_FORM_FIELDS_BY_ELEMENT, strict=True))
    resource_fields = dict(RESOURCE_ATTRIBUTES)
    for number, line in enumerate(xml_bytes.decode("utf-8", "replace").splitlines(), 1):
        match = ELEMENT_RE.match(line)
        if not match:
            continue
        tag = match.group(1)
        if tag == "Item":
            row += 1
            found[number] = f"r{row}-id"
        elif row >= 0 and "</Resources>" not in line and tag in resource_fields:
            found[number] = f"r{row}-{resource_fields[tag]}"
        elif tag == "Resources":
            row = -1 if "</Resources>" in line else row
        elif tag in elements:
            row = -1 if tag == "Description2" else row
            found[number] = elements[tag]
    return found


# The editor's field of each object element (the URN is computed from the ObjectID).
OBJECT_FORM_FIELDS_BY_ELEMENT = (
    "f-name", "f-description1", "f-object_id", "f-object_id", "f-lwm2m_version",
    "f-object_version", "f-multiple_instances", "f-mandatory", "add-resource", "f-description2",
)  # fmt: skip


@dataclass
class Located:
    """A finding with the editor's field it is about ("" when none)."""

    finding: RuleFinding
    field: str

    @property
    def severity(self):
        return self.finding.severity

    @property
    def message(self):
        return self.finding.message

    @property
    def source(self):
        """Who says so: the schema, OMA's validator (its fault ID), the model rules (Leshan's
        strict loader), the registry's own rules, or an SDK's code generator."""
        rule = self.finding.rule
        if rule.startswith("sdk-"):
            return SDK_NAMES.get(rule[4:], rule[4:])
        if rule.startswith("oma-"):
            return f"OMA {rule[4:]}"
        if rule.startswith("schema") or rule == "xml":
            return "Schema"
        return "Registry" if rule in REGISTRY_RULES else "Model"


def locate(findings, draft, xml_bytes):
    """Each finding with the field it points at: a schema message by its line, a resource's by
    its rule, the object's by its element."""
    lines = line_fields(xml_bytes)
    rows = {}
    for index, resource in enumerate(draft.resources):
        rows.setdefault(resource.number, index)
    located = []
    for finding in findings:
        target = ""
        by_line = finding.rule == "schema" or finding.rule.startswith("oma-")
        match = SCHEMA_LINE_RE.search(finding.message) if by_line else None
        if match:
            target = lines.get(int(match.group(1)), "")
        elif finding.resource_id is not None and finding.resource_id in rows:
            row = rows[finding.resource_id]
            part = RESOURCE_RULE_FIELDS.get(finding.rule, "")
            if finding.rule.startswith("sdk-"):
                part = next((f for word, f in SDK_FIELDS if word in finding.message), "name")
                if "no Name or no Description" in finding.message:
                    part = "name" if not draft.resources[row].name.strip() else "description"
            target = f"r{row}-{part or 'name'}"
        else:
            target = RULE_FIELDS.get(finding.rule, "")
        located.append(Located(finding, target))
    return located


# ---- What the editor shows of a draft ------------------------------------------------------

# The registry's ID-request issue takes a description of at most this many characters.
ID_REQUEST_DESCRIPTION = 134


@dataclass
class Analysis:
    editor: Editor
    xml: bytes
    findings: list  # Located
    base: Base | None
    advice: object  # version_advice.Advice, or None without a base
    compatibility: dict  # {target: {"ok", "reason"}}
    free: FreeIds | None
    common_count: int = 0

    @property
    def errors(self):
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self):
        return [f for f in self.findings if f.severity != ERROR]

    @property
    def ready(self):
        return not self.findings


def follow_advice(editor, base):
    """The ObjectVersion follows the advice unless the author set it (override), and then a
    finding says it differs. Returns (advice, extra findings)."""
    draft = editor.draft
    advice = advise(base.draft, draft, base.version, base.latest)
    extra = []
    if not editor.override:
        draft.object_version = advice.version
    elif " ".join(draft.object_version.split()) != advice.version:
        extra.append(
            RuleFinding(
                "version-advice",
                WARNING,
                f"ObjectVersion {shown(draft.object_version, 20)} is not the advised "
                f"{advice.version}: {advice_summary(advice)}",
            )
        )
    if advice.kind == "none" and base.version == base.latest:
        extra.append(
            RuleFinding(
                "version-advice",
                WARNING,
                f"nothing changed against {base.text}: there is no new version to submit yet",
            )
        )
    return advice, extra


def registered_start(object_id):
    """ "3303" when the ObjectID's latest version has a definition to compare with, else ""."""
    if object_id is None:
        return ""
    latest = (
        ObjectVersion.objects.defer("search_text")
        .filter(object_id=object_id)
        .order_by("-ver_major", "-ver_minor")
        .first()
    )
    ok = latest is not None and latest.status == ObjectVersion.OK
    return str(object_id) if ok else ""


def analyse(editor, run, common):
    """Everything the page shows of the editor's draft, the base read from the registry. A
    draft of a registered ObjectID that did not start from it (a file, a blank form) is
    compared with its latest version, its own ObjectVersion kept."""
    base = None
    extra = []
    base_text = editor.base_text
    if not base_text:
        base_text = registered_start(editor.draft.number)
        if base_text:
            editor.override = True
    if base_text:
        try:
            base = registered_base(base_text, common)
        except BadDraft as exc:
            extra.append(RuleFinding("version-advice", WARNING, f"no version advice: {exc}"))
    advice = None
    if base is not None and editor.draft.number == base.object_id:
        advice, more = follow_advice(editor, base)
        extra += more
    draft = editor.draft
    if len(draft.description1) > ID_REQUEST_DESCRIPTION and (base is None):
        extra.append(
            RuleFinding(
                "id-request",
                WARNING,
                f"the ID request takes a description of at most {ID_REQUEST_DESCRIPTION} "
                f"characters; Description1 has {len(draft.description1)}: SUBMISSION.md "
                "cuts it, so write a shorter one there",
            )
        )
    xml = to_xml(draft)
    findings = extra + validate_draft(xml)
    compatibility = {}
    try:
        compatibility = codegen_compatibility(parse_definition(xml))
    except (InvalidDefinition, ValueError):
        compatibility = {}
    label = editor.id_class if editor.id_class in ID_CLASSES else class_of(draft.number)
    editor.id_class = label
    return Analysis(
        editor=editor,
        xml=xml,
        findings=locate(findings, draft, xml),
        base=base,
        advice=advice,
        compatibility=compatibility,
        free=free_ids(run, label, 5),
        common_count=len(common),
    )


def class_of(object_id):
    """The ID class an ObjectID is in (x when none is known)."""
    if object_id is not None:
        for code, (first, last, _) in ID_CLASSES.items():
            if first <= object_id <= last:
                return code
    return "x"


# ---- Shared drafts -------------------------------------------------------------------------

# A shared draft's size (its XML and its editor's state as JSON).
MAX_DRAFT_BYTES = 256 * 1024


# Drafts one client address may share in an hour, and the days a draft is kept without use.
DRAFTS_PER_HOUR = 20
EXPIRY_DAYS = 90
# A shared draft's last use is written again at most this often (opening it is a read).
USE_RESOLUTION = timedelta(days=1)


class DraftLimit(Exception):
    """A limit of shared drafts was met; the message says which, `status` the HTTP answer."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


def client_key(address):
    """The sharer's address as kept: a keyed hash, enough to count, not to tell who."""
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, str(address).encode(), hashlib.sha256).hexdigest()


def draft_json(editor):
    draft = editor.draft
    return json.dumps(
        {
            "draft": {name: getattr(draft, name) for name in OBJECT_FORM_FIELDS},
            "resources": [
                {name: getattr(r, name) for name in (*RESOURCE_FORM_FIELDS, "reusable")}
                for r in draft.resources
            ],
            "base": editor.base_text,
            "override": editor.override,
            "owner": editor.owner,
        },
        ensure_ascii=False,
    )


def editor_from_json(text, common):
    data = json.loads(text)
    draft = Draft(**{name: str(data["draft"].get(name, "")) for name in OBJECT_FORM_FIELDS})
    for row in data["resources"][:MAX_RESOURCES]:
        fields_of_row = {name: str(row.get(name, "")) for name in RESOURCE_FORM_FIELDS}
        draft.resources.append(DraftResource(**fields_of_row, reusable=bool(row.get("reusable"))))
    lock_reusable(draft, common)
    return Editor(
        draft=draft,
        base_text=str(data.get("base", ""))[:40],
        override=bool(data.get("override")),
        owner=str(data.get("owner", ""))[:200],
    )


def share_draft(editor, address, now=None):
    """Store the draft under a new unguessable key and return the key; DraftLimit when it is
    too large or its client has shared too many this hour. Drafts unused for EXPIRY_DAYS go."""
    now = now or timezone.now()
    body = draft_json(editor)
    size = len(body.encode("utf-8"))
    if size > MAX_DRAFT_BYTES:
        raise DraftLimit(
            f"This draft is {size:,} bytes; a shared draft is at most {MAX_DRAFT_BYTES:,}. "
            "Download the submission kit instead, or share a smaller draft.",
            413,
        )
    client = client_key(address)
    hour_ago = now - timedelta(hours=1)
    recent = SharedDraft.objects.filter(client=client, created__gt=hour_ago)
    if recent.count() >= DRAFTS_PER_HOUR:
        oldest = recent.order_by("created").values_list("created", flat=True).first()
        minutes = max(1, int((oldest + timedelta(hours=1) - now).total_seconds() // 60) + 1)
        raise DraftLimit(
            f"You have shared {DRAFTS_PER_HOUR} drafts in the last hour, the limit: share again "
            f"in {minutes} minute{'s' if minutes != 1 else ''}. Your draft is still here.",
            429,
        )
    SharedDraft.objects.filter(used__lt=now - timedelta(days=EXPIRY_DAYS)).delete()
    key = secrets.token_urlsafe(24)
    SharedDraft.objects.create(key=key, body=body, client=client, created=now, used=now)
    return key


def open_draft(key, common, now=None):
    """The Editor of a shared draft; DraftLimit (404, or 410 once expired) when there is none."""
    now = now or timezone.now()
    row = SharedDraft.objects.filter(key=str(key)[:64]).first()
    if row is None:
        raise DraftLimit(
            "No shared draft has this link: it was mistyped, or the draft was removed "
            f"after {EXPIRY_DAYS} days without use.",
            404,
        )
    if row.used < now - timedelta(days=EXPIRY_DAYS):
        row.delete()
        raise DraftLimit(
            f"This shared draft expired: it was not opened for {EXPIRY_DAYS} days, and is removed.",
            410,
        )
    if now - row.used > USE_RESOLUTION:
        SharedDraft.objects.filter(pk=row.pk).update(used=now)
    try:
        return editor_from_json(row.body, common)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise DraftLimit("This shared draft cannot be read.", 404) from None


# ---- The submission kit --------------------------------------------------------------------

REGISTRY_REPOSITORY = "https://github.com/OpenMobileAlliance/lwm2m-registry"
LICENCE = "BSD-3-Clause"


@dataclass
class Kit:
    name: str
    files: list  # [(path, text)]

    @property
    def data(self):
        return zip_bytes(self.files)


def new_reusable(draft, common):
    """The draft's resources in the reusable range that Common.xml does not list."""
    return [r for r in draft.resources if r.in_reusable_range and r.number not in common]


def build_kit(analysis, owner, common):
    """The files a submission needs, named as the registry names them (BadDraft when the
    draft has no ObjectID or version to name them by)."""
    draft = analysis.editor.draft
    if not draft.file_name or not draft.history_name:
        raise BadDraft("The kit needs an ObjectID (a number) and an ObjectVersion (like 1.0).")
    owner = " ".join(str(owner or "").split()) or (analysis.base.owner if analysis.base else "")
    text = analysis.xml.decode("utf-8")
    files = [
        (draft.file_name, text),
        (draft.history_name, text),
        ("DDF-item.xml", XML_HEAD + ddf_item(draft, owner or "TBD")),
    ]
    added = new_reusable(draft, common)
    if added:
        items = "".join(common_item(r, owner or "TBD") for r in added)
        files.append(
            ("Common-items.xml", f"{XML_HEAD}{COMMON_NOTE}<Resources>\n{items}</Resources>\n")
        )
    try:
        obj = codegen_object(parse_definition(analysis.xml))
    except (InvalidDefinition, ValueError):
        obj = None
    if obj is not None:
        # A C object's files by their saved names (its .c includes lwm2m_<ID>_anjay.h...).
        for name in FILES:
            files.append((f"code/{saved_name(name, obj.object_id)}", generate(name, obj)))
    files.append(("SUBMISSION.md", submission_text(analysis, owner, added)))
    version = draft.version
    return Kit(f"{draft.number}-{version[0]}_{version[1]}-submission-kit.zip", files)


XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
COMMON_NOTE = "<!-- Add each <Item> to Common.xml's <Resources>, in resource ID order. -->\n"


def id_request(analysis, owner):
    """The registry's ObjectID request, filled in: class, range, licence, a short description."""
    draft = analysis.editor.draft
    code = class_of(draft.number)
    first, last, what = ID_CLASSES[code]
    description = " ".join(draft.description1.split())
    if len(description) > ID_REQUEST_DESCRIPTION:
        description = description[: ID_REQUEST_DESCRIPTION - 1].rstrip() + "…"
    return "\n".join([
        f"- **Object name:** {draft.name}",
        f"- **ObjectID requested:** {draft.number}",
        f"- **Class:** {what} (Label {LABEL_OF_KIND.get(draft.urn_kind, '')}, "
        f"URN urn:oma:lwm2m:{draft.urn_kind}:)",
        f"- **Range:** {first}-{last}",
        f"- **Organisation:** {owner or '(your organisation)'}",
        f"- **Licence:** {LICENCE}",
        f"- **Description ({len(description)} of at most {ID_REQUEST_DESCRIPTION} characters):** "
        f"{description}",
    ])  # fmt: skip


def submission_text(analysis, owner, added):
    """SUBMISSION.md: the registry's contribution steps in order, the ID request filled in,
    and the validator's report."""
    draft = analysis.editor.draft
    number, version = draft.number, draft.version
    ver = f"{version[0]}.{version[1]}"
    base = analysis.base
    new_object = base is None or base.object_id != number
    steps = []
    if new_object and class_of(number) in ("oma", "ext", "x"):
        steps.append(
            "Request the ObjectID: open an issue in the registry with its ID-request template "
            "and the text below (section *ID request*). Wait for the ID to be assigned."
        )
    steps += [
        f"Fork {REGISTRY_REPOSITORY} and branch from `prod`.",
        f"Copy `{draft.file_name}` to the repository's root (it replaces the latest version) "
        f"and `{draft.history_name}` to `version_history/`.",
    ]
    if new_object:
        steps.append(
            f"Add the `<Item>` of `DDF-item.xml` to `DDF.xml`, in ObjectID order (after the "
            f"items of the IDs below {number})."
        )
    else:
        previous = f"version_history/{number}-{base.latest[0]}_{base.latest[1]}.xml"
        steps.insert(
            -1,
            f"Keep the version it replaces: if `{previous}` is missing, copy the current "
            f"`{draft.file_name}` there first.",
        )
        steps.append(
            f"In `DDF.xml`, change the `<DDF>` of object {number}'s latest item "
            f"from `{draft.file_name}` to `{previous}`, then add "
            f"the `<Item>` of `DDF-item.xml` after it (the last item of an ID is its latest)."
        )
    if added:
        ids = ", ".join(r.id for r in added)
        steps.append(
            f"Add the items of `Common-items.xml` ({ids}) to `Common.xml`: reusable resources "
            "are registered there before an object may use them."
        )
    steps += [
        "Check the files again (this site's /validate/ or the registry's own checks): the "
        "report below must be empty.",
        f"Commit, push and open a pull request against `prod`, titled "
        f"“{'Add' if new_object else 'Update'} object {number} {draft.name} version {ver}”.",
    ]
    lines = [
        f"# Submitting {draft.name or 'the object'}: object {number} version {ver}",
        "",
        f"URN `{draft.urn}`, LwM2M {draft.lwm2m_version}, files `{draft.file_name}` and "
        f"`{draft.history_name}`.",
        "",
        "## Steps",
        "",
        *[f"{i}. {step}" for i, step in enumerate(steps, 1)],
        "",
    ]
    if analysis.advice is not None:
        advice = analysis.advice
        lines += ["## Version", "", advice_summary(advice), ""]
        lines += [f"- {reason}" for reason in advice.reasons] + [""]
    if new_object:
        lines += ["## ID request", "", id_request(analysis, owner), ""]
    lines += ["## Validator report", ""]
    if analysis.findings:
        lines += [f"- {f.severity}: {f.source}: {f.message}" for f in analysis.findings]
    else:
        lines.append("Empty: no finding. The object is ready to submit.")
    lines += [
        "",
        "## What the kit holds",
        "",
        f"- `{draft.file_name}`, `{draft.history_name}`: the definition.",
        "- `DDF-item.xml`: the index item.",
        *(["- `Common-items.xml`: new reusable resources."] if added else []),
        "- `code/`: generated code (Anjay, Wakaama, Zephyr, C IDs, TypeScript, JSON Schema, "
        "Leshan's model).",
        "",
    ]
    return "\n".join(lines)
