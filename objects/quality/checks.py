"""Quality checks of a definition, as Eclipse Leshan's strict loader and the OMA's validation
judge it, plus what this registry knows (its metadata, Common.xml, the ID ranges).

Leshan's strict loader (ObjectLoader with DefaultDDFFileValidatorFactory and
DefaultObjectModelValidator) picks the schema by the declared xsi:noNamespaceSchemaLocation,
validates the file against it, and then checks its model rules; every such rejection is an
error here, under the rule that explains it. What Leshan does not reject (a copy that departs
from Common.xml, a definition that disagrees with its registry entry, a Label outside its ID
range) is a warning.

Input is untrusted: a definition reaches these checks only once defusedxml has accepted it (no
DTD, no entity), and lxml parses it again with entities, DTDs and the network off. A schema
from upstream is refused when it would make lxml read anything else (xs:include, xs:import).
"""

import re
from dataclasses import dataclass

from lxml import etree

from objects.lwm2m.fields import COMMON_CHECKED
from objects.lwm2m.ids import (
    LABEL_RANGES,
    LAST_OBJECT_ID,
    LAST_RESOURCE_ID,
    RESERVED_OBJECT_IDS,
    urn_kind,
)

ERROR, WARNING = "error", "warning"
XSI_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}noNamespaceSchemaLocation"
XSD = "{http://www.w3.org/2001/XMLSchema}"
SCHEMA_FILES = {"1.0": "LWM2M.xsd", "1.1": "LWM2M-v1_1.xsd"}
LWM2M_1_0_TYPES = {"", "String", "Integer", "Float", "Boolean", "Opaque", "Time", "Objlnk"}
VERSION_RE = re.compile(r"^[0-9]+\.[0-9]+$")
MAX_SCHEMA_MESSAGES = 10
# (rule, what it checks), in the order the quality page lists them.
RULES = (
    ("xml", "well-formed XML, an object definition"),
    ("schema-location", "xsi:noNamespaceSchemaLocation names the schema of the LWM2MVersion"),
    ("schema", "valid against the LwM2M XML Schema"),
    ("object-type", '<Object ObjectType="MODefinition">'),
    ("object-name", "the object has a name"),
    ("object-id", f"ObjectID in 0-{LAST_OBJECT_ID}, outside the reserved ranges"),
    ("version", "ObjectVersion and LWM2MVersion written major.minor"),
    ("urn", "ObjectURN urn:oma:lwm2m:{oma|ext|x}:ID[:VER] matching the object"),
    ("resources", "at least one resource"),
    ("resource-duplicate", "no resource ID given twice"),
    ("resource-name", "every resource has a name"),
    ("resource-id", f"resource IDs in 0-{LAST_RESOURCE_ID}"),
    ("resource-type", "executable resources have no type, every other one has one"),
    ("resource-type-version", "a LwM2M 1.0 object uses only LwM2M 1.0 types"),
    ("registry-entry", "ObjectID, version, URN and name as the registry lists them"),
    ("common", "reusable resources as Common.xml defines them"),
    ("label-range", "the Label fits the ObjectID's range"),
)
RULE_NAMES = dict(RULES)


@dataclass(frozen=True)
class RuleFinding:
    rule: str
    severity: str
    message: str
    resource_id: int | None = None


class BadSchema(ValueError):
    """A schema file that cannot be used; the message says why."""


def safe_parser():
    """lxml reading untrusted bytes: no entity, no DTD, no network, no huge tree."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def load_schema(body):
    """An lxml XMLSchema from upstream bytes, refusing anything that reads other files."""
    try:
        root = etree.fromstring(bytes(body), safe_parser())
    except etree.XMLSyntaxError as exc:
        raise BadSchema(f"not well-formed XML: {exc}") from None
    if root.tag != f"{XSD}schema":
        raise BadSchema("not an XML Schema")
    for tag in ("include", "import", "redefine", "override"):
        if root.find(f".//{XSD}{tag}") is not None:
            raise BadSchema(f"refused: it would read another file (xs:{tag})")
    try:
        return etree.XMLSchema(root)
    except etree.XMLSchemaParseError as exc:
        raise BadSchema(f"not a usable schema: {exc}") from None


@dataclass
class Context:
    """What a definition is checked against: the schemas (by LwM2M version, None with the
    reason when not had), Common.xml's resources by ID."""

    schemas: dict
    schema_problems: dict
    common: dict
    # For OMA's fault IDs (objects/quality/oma_codes.py): Common.xml's resources as its text
    # says them ({ID: {child: text}}, None when not had) and the SenML units.
    oma_common: dict | None = None
    units: object = None


def _text(element, name):
    child = element.find(name)
    return "" if child is None else "".join(child.itertext()).strip()


def _schema_version(location):
    if location.endswith("LWM2M-v1_1.xsd"):
        return "1.1"
    if location.endswith("LWM2M.xsd"):
        return "1.0"
    return None


def check_schema_location(root, lwm2m_version):
    location = (root.get(XSI_LOCATION) or "").strip()
    if not location:
        return [
            RuleFinding(
                "schema-location",
                ERROR,
                "the <LWM2M> element declares no schema (xsi:noNamespaceSchemaLocation)",
            )
        ]
    declared = _schema_version(location)
    if declared is None:
        return [
            RuleFinding(
                "schema-location",
                ERROR,
                f"the declared schema {location[:200]} is neither LWM2M.xsd nor LWM2M-v1_1.xsd",
            )
        ]
    wanted = "1.0" if lwm2m_version == "1.0" else "1.1"
    if declared != wanted:
        return [
            RuleFinding(
                "schema-location",
                ERROR,
                f"LWM2MVersion {lwm2m_version} needs {SCHEMA_FILES[wanted]}, "
                f"but the file declares {SCHEMA_FILES[declared]}",
            )
        ]
    return []


def check_schema(root, lwm2m_version, context):
    wanted = "1.0" if lwm2m_version == "1.0" else "1.1"
    schema = context.schemas.get(wanted)
    if schema is None:
        reason = context.schema_problems.get(wanted, "it is not available")
        return [RuleFinding("schema", WARNING, f"not checked: {SCHEMA_FILES[wanted]}: {reason}")]
    if schema.validate(root):
        return []
    findings = []
    for error in list(schema.error_log)[:MAX_SCHEMA_MESSAGES]:
        message = f"line {error.line}: {error.message}" if error.line else error.message
        findings.append(RuleFinding("schema", ERROR, f"{SCHEMA_FILES[wanted]}, {message}"[:1000]))
    return findings


def check_urn(urn, object_id, version):
    if not urn.startswith("urn:oma:lwm2m:"):
        return f"ObjectURN {urn[:100]!r} does not start with urn:oma:lwm2m:"
    parts = urn.split(":")
    if len(parts) not in (5, 6):
        return f"ObjectURN {urn[:100]} has {len(parts)} parts, not 5 or 6"
    if parts[4] != str(object_id):
        return f"ObjectURN {urn[:100]} names object {parts[4][:20]}, not {object_id}"
    kind = urn_kind(object_id)
    if kind is not None and parts[3] != kind:
        return f"ObjectURN {urn[:100]} is of kind {parts[3][:20]}; ObjectID {object_id} is {kind}"
    if len(parts) == 6 and parts[5] != version:
        return f"ObjectURN {urn[:100]} says version {parts[5][:20]}, the object {version}"
    if len(parts) == 5 and version != "1.0":
        return f"ObjectURN {urn[:100]} has no version part, as only version 1.0 may"
    return None


def check_object(obj, object_id, version, lwm2m_version):
    findings = []
    if obj.get("ObjectType") != "MODefinition":
        findings.append(
            RuleFinding("object-type", ERROR, '<Object> has no ObjectType="MODefinition"')
        )
    if not _text(obj, "Name"):
        findings.append(RuleFinding("object-name", ERROR, "the object has no name"))
    if object_id is not None:
        if object_id > LAST_OBJECT_ID:
            message = f"ObjectID {object_id} is over {LAST_OBJECT_ID}"
            findings.append(RuleFinding("object-id", ERROR, message))
        for first, last in RESERVED_OBJECT_IDS:
            if first <= object_id <= last:
                findings.append(
                    RuleFinding(
                        "object-id",
                        ERROR,
                        f"ObjectID {object_id} is in the reserved range {first}-{last}",
                    )
                )
    for label, value in (("ObjectVersion", version), ("LWM2MVersion", lwm2m_version)):
        if not VERSION_RE.match(value):
            findings.append(
                RuleFinding("version", ERROR, f"{label} {value[:40]!r} is not major.minor")
            )
    if object_id is not None:
        problem = check_urn(_text(obj, "ObjectURN"), object_id, version)
        if problem:
            findings.append(RuleFinding("urn", ERROR, problem))
    return findings


def _resource_id(item):
    raw = (item.get("ID") or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else None


def check_resources(obj, lwm2m_version, common):
    findings = []
    resources = obj.find("Resources")
    items = [] if resources is None else resources.findall("Item")
    if not items:
        return [RuleFinding("resources", ERROR, "the object has no resource")]
    seen = set()
    for item in items:
        rid = _resource_id(item)
        if rid is None:
            findings.append(RuleFinding("resource-id", ERROR, "a resource ID is not a number"))
            continue
        if rid in seen:
            findings.append(
                RuleFinding(
                    "resource-duplicate", ERROR, f"resource {rid} is defined more than once", rid
                )
            )
        seen.add(rid)
        name, operations, kind = (_text(item, n) for n in ("Name", "Operations", "Type"))
        if not name:
            findings.append(RuleFinding("resource-name", ERROR, f"resource {rid} has no name", rid))
        if rid > LAST_RESOURCE_ID:
            over = f"resource ID {rid} is over {LAST_RESOURCE_ID}"
            findings.append(RuleFinding("resource-id", ERROR, over, rid))
        executable = "E" in operations
        if executable and kind:
            findings.append(
                RuleFinding(
                    "resource-type",
                    ERROR,
                    f"resource {rid} is executable yet has the type {kind[:40]}",
                    rid,
                )
            )
        elif not executable and not kind:
            findings.append(
                RuleFinding(
                    "resource-type", ERROR, f"resource {rid} is not executable and has no type", rid
                )
            )
        if lwm2m_version == "1.0" and kind not in LWM2M_1_0_TYPES:
            findings.append(
                RuleFinding(
                    "resource-type-version",
                    ERROR,
                    f"resource {rid} has the type {kind[:40]}, which LwM2M 1.0 does not have",
                    rid,
                )
            )
        if rid in common:
            findings += check_common(rid, item, common[rid])
    return findings


def check_common(rid, item, common):
    differing = [
        label
        for label, attribute in COMMON_CHECKED
        if " ".join(_text(item, label).split()) != " ".join(getattr(common, attribute).split())
    ]
    if not differing:
        return []
    fields = ", ".join(label.lower() for label in differing)
    return [
        RuleFinding("common", WARNING, f"resource {rid} departs from Common.xml in {fields}", rid)
    ]


def check_entry(obj, entry, object_id, version):
    findings = []
    if object_id is not None and object_id != entry.object_id:
        findings.append(
            RuleFinding(
                "registry-entry",
                ERROR,
                f"the file defines object {object_id}, the registry lists it as {entry.object_id}",
            )
        )
    if version != entry.ver:
        findings.append(
            RuleFinding(
                "registry-entry",
                WARNING,
                f"ObjectVersion {version[:20]}, the registry lists version {entry.ver}",
            )
        )
    urn = _text(obj, "ObjectURN")
    if entry.urn and urn != entry.urn:
        findings.append(
            RuleFinding(
                "registry-entry",
                WARNING,
                f"ObjectURN {urn[:100]}, the registry lists {entry.urn[:100]}",
            )
        )
    name = _text(obj, "Name")
    if entry.name and " ".join(name.split()) != " ".join(entry.name.split()):
        findings.append(
            RuleFinding(
                "registry-entry",
                WARNING,
                f"name {name[:100]!r}, the registry lists {entry.name[:100]!r}",
            )
        )
    label = LABEL_RANGES.get(entry.label)
    if label and not (label[1] <= entry.object_id <= label[2]):
        findings.append(
            RuleFinding(
                "label-range",
                WARNING,
                f"the Label says {label[0]} "
                f"({label[1]}-{label[2]}), but the ObjectID is "
                f"{entry.object_id}",
            )
        )
    return findings


def check_definition(body, context, entry=None):
    """Every finding for a definition's bytes (already accepted by defusedxml)."""
    try:
        root = etree.fromstring(bytes(body), safe_parser())
    except etree.XMLSyntaxError as exc:
        return [RuleFinding("xml", ERROR, f"not well-formed XML: {exc}"[:1000])]
    obj = root if root.tag == "Object" else root.find("Object")
    if obj is None:
        return [RuleFinding("xml", ERROR, "no <Object> element under <LWM2M>")]
    raw_id = _text(obj, "ObjectID")
    object_id = int(raw_id) if raw_id.isascii() and raw_id.isdigit() and len(raw_id) <= 6 else None
    version = _text(obj, "ObjectVersion") or "1.0"
    lwm2m_version = _text(obj, "LWM2MVersion") or "1.0"
    findings = check_schema_location(root, lwm2m_version)
    findings += check_schema(root, lwm2m_version, context)
    findings += check_object(obj, object_id, version, lwm2m_version)
    findings += check_resources(obj, lwm2m_version, context.common)
    if entry is not None:
        findings += check_entry(obj, entry, object_id, version)
    return findings


def verdict(findings):
    """ "error", "warning" or "clean": the worst a definition's findings say."""
    severities = {finding.severity for finding in findings}
    return ERROR if ERROR in severities else WARNING if WARNING in severities else "clean"
