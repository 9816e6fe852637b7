"""OMA's LwM2M validator, offline: its numbered fault IDs (../shared/oma-validation-codes.tsv,
docs/validator.md) decided on an object file, a Common.xml, a DDF.xml or a whole registry
folder, each finding with the line of the file it concerns and a hint saying how to fix it.

Plain Python (no Django): the command, the API, /validate/ and the sync call it alike. Input is
untrusted: lxml with entities, DTDs and the network off, no huge trees, sizes bounded.
"""

import contextlib
import re
from dataclasses import asdict, dataclass, field

from lxml import etree

from objects.quality import senml_units

MAX_FILE_BYTES = 1024 * 1024
ERROR, NOT_CHECKED = "error", "not-checked"
SUBMITTER, MAINTAINER = "Submitter", "Maintainer"
XSI_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}noNamespaceSchemaLocation"
SCHEMA_FOR = {"1.0": "LWM2M.xsd", "1.1": "LWM2M-v1_1.xsd", "1.2": "LWM2M-v1_1.xsd"}
LWM2M_VERSIONS = ("1.0", "1.1", "1.2")
OPERATIONS = ("", "R", "W", "RW", "E")
TYPES_1_0 = ("", "String", "Integer", "Float", "Boolean", "Opaque", "Time", "Objlnk")
TYPES = TYPES_1_0 + ("Unsigned Integer", "Corelnk")
INSTANCES = ("Single", "Multiple")
MANDATORY = ("Mandatory", "Optional")
REUSABLE = (2048, 26240)
SOURCE_KINDS = {"0": ("oma", 0, 1023), "1": ("ext", 2048, 10240), "2": ("x", 10241, 42800)}
DDF_CHILDREN = (
    "ObjectID",
    "URN",
    "Name",
    "Description",
    "Owner",
    "Source",
    "Ver",
    "DDF",
    "Vorto",
    "DDFLink",
    "TS",
    "TSLink",
    "LicenseType",
    "LWM2M",
)
UNITS_FILE = "LWM2M_senml_units.xml"
NOT_OBJECT_FILES = {"DDF.xml", "Common.xml", UNITS_FILE}

# code: (resolve by, element, what it checks in our words, how it is decided)
# "offline": decided here; "network": needs the Registry API or a web server, never decided here.
CODES = {
    "001": (MAINTAINER, "Registry API", "the Registry API answers for the object", "network"),
    "010": (MAINTAINER, "DDF.xml vs API", "the API lists as many objects as DDF.xml", "network"),
    "021": (MAINTAINER, "DDF.xml", "DDF.xml is well-formed XML", "offline"),
    "022": (MAINTAINER, "Common.xml", "Common.xml is well-formed XML", "offline"),
    "023": (MAINTAINER, "Registry API", "the API answers application/json", "network"),
    "031": (MAINTAINER, "DDF.xml", "DDF.xml lists at least one object", "offline"),
    "032": (MAINTAINER, "Common.xml", "Common.xml holds at least one resource", "offline"),
    "041": (MAINTAINER, "DDF.xml", "DDF.xml holds only the elements it defines", "offline"),
    "050": (MAINTAINER, "Repository", "every object file is listed in DDF.xml", "offline"),
    "200": (MAINTAINER, "DDF ObjectID", "no two DDF items share ObjectID and Ver", "offline"),
    "201": (MAINTAINER, "DDF Name", "one Name across the versions of an ObjectID", "offline"),
    "202": (MAINTAINER, "DDF Description", "one Description across versions", "offline"),
    "210": (MAINTAINER, "DDF URN", "URN agrees with ObjectID, Source and Ver", "offline"),
    "220": (MAINTAINER, "DDF Name", "the DDF item has a Name", "offline"),
    "230": (MAINTAINER, "DDF Description", "the DDF item has a Description", "offline"),
    "240": (MAINTAINER, "DDF Owner", "the DDF item has an Owner", "offline"),
    "250": (MAINTAINER, "DDF Source", "the DDF item has a Source", "offline"),
    "251": (MAINTAINER, "DDF Source", "Source is 0, 1 or 2", "offline"),
    "260": (MAINTAINER, "DDF Ver", "Ver is written digit.digit", "offline"),
    "270": (SUBMITTER, "DDF DDF", "the object the item links to exists", "offline"),
    "271": (MAINTAINER, "DDF DDF", "the linked object is served as text/xml", "network"),
    "272": (SUBMITTER, "DDF DDF", "the linked object is valid XML", "offline"),
    "273": (SUBMITTER, "DDF DDF", "the linked object has resources", "offline"),
    "274": (MAINTAINER, "version_history", "each version has its identical copy", "offline"),
    "275": (MAINTAINER, "version_history", "no version is kept twice", "offline"),
    "276": (MAINTAINER, "version_history", "no gap in the version chain", "offline"),
    "290": (MAINTAINER, "DDF Vorto", "the Vorto link answers", "network"),
    "300": (MAINTAINER, "DDF DDFLink", "the item has a DDFLink", "offline"),
    "301": (MAINTAINER, "DDF DDFLink", "DDFLink is 0 or 1", "offline"),
    "310": (MAINTAINER, "DDF TS", "the TS link answers", "network"),
    "320": (MAINTAINER, "DDF TSLink", "the item has a TSLink", "offline"),
    "321": (MAINTAINER, "DDF TSLink", "TSLink is 0 or 1", "offline"),
    "400": (SUBMITTER, "ObjectID", "ObjectID as DDF.xml lists it", "offline"),
    "401": (SUBMITTER, "ObjectURN", "ObjectURN as DDF.xml lists it", "offline"),
    "402": (SUBMITTER, "Name", "object Name as DDF.xml lists it", "offline"),
    "403": (SUBMITTER, "LWM2MVersion", "LWM2MVersion is an LwM2M version", "offline"),
    "404": (SUBMITTER, "xsi:noNamespaceSchemaLocation", "an existing schema", "offline"),
    "405": (SUBMITTER, "xsi:noNamespaceSchemaLocation", "the LWM2MVersion's schema", "offline"),
    "406": (SUBMITTER, "end of line", "the file ends with a line feed", "offline"),
    "407": (SUBMITTER, "end of line", "no carriage return (CR) in the file", "offline"),
    "408": (SUBMITTER, "end of line", "lines end with a line feed (LF)", "offline"),
    "410": (SUBMITTER, "Resource Name", "every resource has a Name", "offline"),
    "411": (SUBMITTER, "Resource Operations", "Operations R, W, RW, E or empty", "offline"),
    "412": (SUBMITTER, "Resource Type", "a Type of the object's LwM2M version", "offline"),
    "413": (SUBMITTER, "Resource Type", "executable: no Type, single instance", "offline"),
    "414": (SUBMITTER, "MultipleInstances", "Single or Multiple", "offline"),
    "415": (SUBMITTER, "Mandatory", "Mandatory or Optional", "offline"),
    "416": (SUBMITTER, "Resource Description", "every resource has a Description", "offline"),
    "417": (SUBMITTER, "Resource Units", "Units is a SenML unit", "offline"),
    "418": (SUBMITTER, "Resource RangeEnumeration", "ranges written a..b", "offline"),
    "420": (SUBMITTER, "Resource Description", "no smart quotes or bad characters", "offline"),
    "450": (SUBMITTER, "Reusable resource", "the reusable resource is in Common.xml", "offline"),
    "451": (SUBMITTER, "Reusable resource", "a reusable resource included once", "offline"),
    "460": (SUBMITTER, "Reusable resource Name", "Name as in Common.xml", "offline"),
    "461": (SUBMITTER, "Reusable resource Operations", "Operations as in Common.xml", "offline"),
    "462": (SUBMITTER, "Reusable resource Type", "Type as in Common.xml", "offline"),
    "463": (
        SUBMITTER,
        "Reusable resource RangeEnumeration",
        "RangeEnumeration as in Common.xml",
        "offline",
    ),
    "464": (SUBMITTER, "Reusable resource Units", "Units as in Common.xml", "offline"),
    "465": (SUBMITTER, "Reusable resource Description", "Description as in Common.xml", "offline"),
    "500": (MAINTAINER, "Common.xml ID", "each reusable resource ID once", "offline"),
    "501": (MAINTAINER, "Common.xml ID", "IDs in 2048..26240", "offline"),
    "510": (MAINTAINER, "Common.xml Name", "a Name (and a Description)", "offline"),
    "520": (SUBMITTER, "Common.xml Operations", "Operations R, W, RW, E or empty", "offline"),
    "530": (SUBMITTER, "Common.xml Type", "a Type the TS allows", "offline"),
    "531": (SUBMITTER, "Common.xml Type", "an executable resource has no Type", "offline"),
    "541": (SUBMITTER, "Common.xml RangeEnumeration", "ranges written a..b", "offline"),
    "551": (SUBMITTER, "Common.xml Units", "Units is a SenML unit", "offline"),
    "570": (SUBMITTER, "Common.xml Description", "every resource has a Description", "offline"),
    "580": (MAINTAINER, "Common.xml TS", "the TS link answers", "network"),
    "581": (MAINTAINER, "Common.xml TS", "the TS link is no HTML page", "network"),
    "590": (MAINTAINER, "Common.xml TSLink", "a TSLink", "offline"),
    "591": (MAINTAINER, "Common.xml TSLink", "TSLink is 0 or 1", "offline"),
    "601": (SUBMITTER, "Common.xml Name", "no smart quotes or bad characters", "offline"),
    "602": (SUBMITTER, "Common.xml Description", "no smart quotes or bad characters", "offline"),
    "603": (SUBMITTER, "Common.xml TSLink", "no smart quotes or bad characters", "offline"),
    "604": (SUBMITTER, "Common.xml Operations", "no smart quotes or bad characters", "offline"),
    "605": (SUBMITTER, "Common.xml TS", "no smart quotes or bad characters", "offline"),
    "700": (SUBMITTER, "Description1", "no smart quotes or bad characters", "offline"),
    "701": (MAINTAINER, "Description1", "Description1 as DDF.xml's Description", "offline"),
    "705": (SUBMITTER, "Description2", "no smart quotes or bad characters", "offline"),
    "800": (SUBMITTER, "LWM2MVersion / ObjectVersion", "both present and set", "offline"),
}
NETWORK_CODES = tuple(code for code, row in CODES.items() if row[3] == "network")


@dataclass
class OmaFinding:
    """One fault: `oma_code` the three digits of OMA's fault ID (None: a rule of ours)."""

    oma_code: str | None
    element: str
    resource_id: int | None
    line: int | None
    severity: str
    resolve_by: str
    message: str
    hint: str = ""
    file: str = field(default="", compare=False)
    object_id: int | None = field(default=None, compare=False)

    def as_json(self):
        data = asdict(self)
        del data["file"], data["object_id"]
        return data

    @property
    def where(self):
        """OMA's ObjID:RID column."""
        if self.object_id is None:
            return "" if self.resource_id is None else str(self.resource_id)
        if self.resource_id is None:
            return str(self.object_id)
        return f"{self.object_id}:{self.resource_id}"


def finding(code, line, message, hint="", resource_id=None, element=None, **extra):
    resolve_by, default_element, _, _ = CODES[code]
    return OmaFinding(
        oma_code=code,
        element=element or default_element,
        resource_id=resource_id,
        line=line,
        severity=ERROR,
        resolve_by=resolve_by,
        message=message,
        hint=hint,
        **extra,
    )


def not_checked(code, line=None, why="it needs the network", **extra):
    resolve_by, element, what, _ = CODES[code]
    return OmaFinding(
        oma_code=code,
        element=element,
        resource_id=None,
        line=line,
        severity=NOT_CHECKED,
        resolve_by=resolve_by,
        message=f"not checked ({what}): {why}",
        **extra,
    )


# --- reading ---------------------------------------------------------------------------------


class UnreadableFile(ValueError):
    """Bytes that are no well-formed XML; `line` where the parser stopped."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.line = line


def parse(body):
    """The root element of untrusted bytes (comments and processing instructions dropped)."""
    if len(body) > MAX_FILE_BYTES:
        raise UnreadableFile(f"the file is {len(body):,} bytes, over {MAX_FILE_BYTES:,}", 1)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(bytes(body), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno and exc.lineno > 0 else 1
        raise UnreadableFile(f"not well-formed XML: {exc.msg}"[:500], line) from None
    if root is None:
        raise UnreadableFile("no XML element", 1)
    if root.getroottree().docinfo.doctype:
        raise UnreadableFile("a DOCTYPE (DTD) is not allowed in a registry file", 1)
    return root


def text_of(element):
    return "" if element is None else "".join(element.itertext())


def child(parent, name):
    return None if parent is None else parent.find(name)


def value(parent, name):
    """A child's text, blanks around it dropped ("" when absent)."""
    return text_of(child(parent, name)).strip()


def first_children(element):
    """{tag: the first child of that tag}: one pass instead of a find() per field."""
    kids = {}
    for sub in element:
        if isinstance(sub.tag, str):
            kids.setdefault(sub.tag, sub)
    return kids


def line_of(element, fallback=None):
    return element.sourceline if element is not None and element.sourceline else fallback


def squeeze(text):
    """Text with every blank, tab and line break removed (OMA compares descriptions so)."""
    return "".join(text.split())


def collapse(text):
    return " ".join(text.split())


def int_or_none(raw):
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else None


# --- characters, ranges, units -----------------------------------------------------------------

SMART = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
}
MOJIBAKE = re.compile("\u00e2\u20ac|\u00c3[\u0080-\u00bf]")


# Any character bad_characters() would name: most texts have none, and are passed at C speed.
SUSPECT = re.compile(
    "[\u2018-\u201f\u2032\u2033\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff]"
    "|\u00e2\u20ac|\u00c3[\u0080-\u00bf]"
)


def bad_characters(text):
    """[(offset, character, what)] of the characters OMA's validator rejects: smart quotes, the
    replacement character, control characters and text decoded with the wrong encoding."""
    if not SUSPECT.search(text):
        return []
    found = []
    for offset, char in enumerate(text):
        code = ord(char)
        if char in SMART:
            found.append((offset, char, "a smart quote"))
        elif char == "\ufffd":
            found.append((offset, char, "the replacement character (a decoding accident)"))
        elif (code < 32 and char not in "\t\n\r") or 0x7F <= code <= 0x9F:
            found.append((offset, char, "a control character"))
        elif 0xE000 <= code <= 0xF8FF:
            found.append((offset, char, "a private-use character"))
    for match in MOJIBAKE.finditer(text):
        found.append((match.start(), match.group(), "text decoded with the wrong encoding"))
    return sorted(found)


def check_characters(code, element, what, **extra):
    text = text_of(element)
    found = bad_characters(text)
    if not found:
        return []
    offset, char, kind = found[0]
    line = line_of(element, 1) + text[:offset].count("\n")
    chars = ", ".join(sorted({f"U+{ord(c[0]):04X} {c!r}" for _, c, _ in found}))
    fixed = "".join(SMART.get(c, c) for c in text.strip())
    hint = (
        "write plain ASCII quotes (' and \")"
        if kind == "a smart quote"
        else ("delete the character or write it as plain text")
    )
    if any(k == "a smart quote" for _, _, k in found) and len(fixed) <= 200:
        hint += f": {fixed!r}"
    message = f"{what} holds {len(found)} character(s) OMA's validator rejects ({kind}: {chars})"
    return [finding(code, line, message[:500], hint[:500], **extra)]


NUMBER = r"[-+]?\d+(?:\.\d+)?"
DASH_RANGE = re.compile(rf"(?<![\w.])({NUMBER})\s*[-\u2013\u2014~]\s*({NUMBER})(?![\w.])")
TO_RANGE = re.compile(rf"(?<![\w.])({NUMBER})\s*(?:to|TO|To)\s+[<>]?\s*({NUMBER})")


def range_problem(text):
    """(what is wrong, the range as it should be) when a range is written with '-' or 'to'
    instead of '..', or None. A leading minus sign is no range: "-128..127" is fine."""
    if not text:
        return None
    for pattern, word in ((DASH_RANGE, "'-'"), (TO_RANGE, "'to'")):
        match = pattern.search(text)
        if match:
            low, high = match.groups()
            fixed = text[: match.start()] + f"{low}..{high}" + text[match.end() :]
            return word, fixed
    return None


def unit_hint(unit, units):
    meant = units.meant(unit)
    if meant:
        return f"write a SenML unit: {unit!r} is most likely {meant!r}"
    return (
        "write a unit of the IANA SenML units registry (or leave Units empty); "
        "a unit it lacks must be registered with IANA or OMA first"
    )


# --- object files ------------------------------------------------------------------------------


@dataclass
class DdfItem:
    """One <Item> of DDF.xml: its children's texts (raw) and lines."""

    fields: dict
    lines: dict
    line: int
    counts: dict

    def get(self, name):
        return (self.fields.get(name) or "").strip()

    @property
    def object_id(self):
        return int_or_none(self.fields.get("ObjectID"))

    @property
    def ver(self):
        return self.get("Ver")


@dataclass
class Parsed:
    """What an object file says of itself (None when unreadable)."""

    object_id: int | None = None
    version: str = ""
    lwm2m_version: str = ""
    name: str = ""
    urn: str = ""
    resources: int = 0


def described_version(obj, root):
    """The LwM2M version the file is judged by: LWM2MVersion, else its schema, else 1.0."""
    declared = value(obj, "LWM2MVersion")
    if declared:
        return declared
    location = (root.get(XSI_LOCATION) or "").strip()
    return "1.1" if location.endswith("LWM2M-v1_1.xsd") else "1.0"


def check_line_ends(body, object_id=None):
    findings = []
    if not body.endswith(b"\n"):
        last = body.count(b"\n") + 1
        findings.append(
            finding(
                "406",
                last,
                "the file does not end with a line feed (LF)",
                "end the last line with a line feed",
                object_id=object_id,
            )
        )
    if b"\r" in body:
        first = body[: body.index(b"\r")].count(b"\n") + 1
        findings.append(
            finding(
                "407",
                first,
                "the file holds carriage returns (CR): Windows line ends",
                "save the file with Unix (LF) line ends",
                object_id=object_id,
            )
        )
    bare = re.search(rb"\r(?!\n)", body)
    lines = body.count(b"\n")
    if bare or (lines < 3 and body.count(b"<Item") > 1):
        first = body[: bare.start()].count(b"\n") + 1 if bare else 1
        findings.append(
            finding(
                "408",
                first,
                "line feeds (LF) are missing: lines end with CR alone or "
                "the file is written on one line",
                "one element a line, each line ended with LF",
                object_id=object_id,
            )
        )
    return findings


def check_schema_reference(root, obj, object_id):
    location = (root.get(XSI_LOCATION) or "").strip()
    line = line_of(root, 1)
    name = location.rsplit("/", 1)[-1]
    if name not in ("LWM2M.xsd", "LWM2M-v1_1.xsd") or (
        "://" in location and "openmobilealliance.org/tech/profiles/" not in location
    ):
        shown = location[:200] or "nothing"
        return [
            finding(
                "404",
                line,
                f"xsi:noNamespaceSchemaLocation names {shown}, no LwM2M schema",
                "declare http://openmobilealliance.org/tech/profiles/LWM2M.xsd (LwM2M 1.0) "
                "or .../LWM2M-v1_1.xsd (LwM2M 1.1 and 1.2)",
                object_id=object_id,
            )
        ]
    declared = value(obj, "LWM2MVersion")
    wanted = SCHEMA_FOR.get(declared)
    if wanted and name != wanted:
        return [
            finding(
                "405",
                line,
                f"LWM2MVersion {declared} needs {wanted}, the file declares {name}",
                f"declare http://openmobilealliance.org/tech/profiles/{wanted} "
                f"(or set LWM2MVersion to the version the schema is for)",
                object_id=object_id,
            )
        ]
    return []


def check_object_fields(obj, root, object_id):
    findings = []
    for name in ("LWM2MVersion", "ObjectVersion"):
        element = child(obj, name)
        if element is None or not text_of(element).strip():
            state = "missing" if element is None else "empty"
            hint = (
                "add <LWM2MVersion>1.0</LWM2MVersion> (or 1.1, 1.2) after <ObjectURN>"
                if name == "LWM2MVersion"
                else "add <ObjectVersion>1.0</ObjectVersion> (the version DDF.xml lists)"
            )
            findings.append(
                finding(
                    "800",
                    line_of(element, line_of(child(obj, "ObjectURN"), line_of(obj))),
                    f"{name} {state}",
                    hint,
                    element=name,
                    object_id=object_id,
                )
            )
    declared = value(obj, "LWM2MVersion")
    if declared and declared not in LWM2M_VERSIONS:
        findings.append(
            finding(
                "403",
                line_of(child(obj, "LWM2MVersion")),
                f"LWM2MVersion {declared[:40]!r} is no LwM2M version",
                "write 1.0, 1.1 or 1.2 (the enabler's major.minor)",
                object_id=object_id,
            )
        )
    for name, allowed, code in (
        ("MultipleInstances", INSTANCES, "414"),
        ("Mandatory", MANDATORY, "415"),
    ):
        element = child(obj, name)
        text = value(obj, name)
        if element is not None and text not in allowed:
            findings.append(
                finding(
                    code,
                    line_of(element),
                    f"the object's {name} is {text[:40]!r}",
                    f"write {' or '.join(allowed)}",
                    element=f"Object {name}",
                    object_id=object_id,
                )
            )
    findings += check_characters(
        "700", child(obj, "Description1"), "Description1", object_id=object_id
    )
    findings += check_characters(
        "705", child(obj, "Description2"), "Description2", object_id=object_id
    )
    return findings


def check_resource(item, rid, lwm2m_version, units, object_id):
    findings = []
    where = f"resource {rid}"
    line = line_of(item)
    extra = {"resource_id": rid, "object_id": object_id}
    kids = first_children(item)

    def at(name):
        return line_of(kids.get(name), line)

    name = text_of(kids.get("Name")).strip()
    operations = text_of(kids.get("Operations")).strip()
    kind = text_of(kids.get("Type")).strip()
    instances = text_of(kids.get("MultipleInstances")).strip()
    if not name:
        findings.append(finding("410", at("Name"), f"{where} has no Name", "name it", **extra))
    if operations not in OPERATIONS:
        findings.append(
            finding(
                "411",
                at("Operations"),
                f"{where}: Operations {operations[:40]!r} is not allowed",
                "write R, W, RW or E",
                **extra,
            )
        )
    allowed = TYPES_1_0 if lwm2m_version == "1.0" else TYPES
    if kind not in allowed:
        if kind in TYPES:
            message = f"{where}: Type {kind} does not exist in LwM2M 1.0"
            hint = (
                f"declare LWM2MVersion 1.1 and the LWM2M-v1_1.xsd schema, or use "
                f"{'Integer' if kind == 'Unsigned Integer' else 'String'}"
            )
        else:
            message = f"{where}: Type {kind[:40]!r} is not an LwM2M type"
            hint = "write one of " + ", ".join(t for t in allowed if t)
        findings.append(finding("412", at("Type"), message, hint, **extra))
    if operations == "E" and kind:
        findings.append(
            finding(
                "413",
                at("Type"),
                f"{where} is executable (E) yet has the Type {kind[:40]}",
                "leave <Type></Type> empty for an executable resource",
                **extra,
            )
        )
    if operations == "E" and instances == "Multiple":
        findings.append(
            finding(
                "413",
                at("MultipleInstances"),
                f"{where} is executable (E) yet Multiple",
                "an executable resource is Single",
                element="Resource MultipleInstances",
                **extra,
            )
        )
    for tag, allowed_values, code in (
        ("MultipleInstances", INSTANCES, "414"),
        ("Mandatory", MANDATORY, "415"),
    ):
        text = text_of(kids.get(tag)).strip()
        if text not in allowed_values:
            findings.append(
                finding(
                    code,
                    at(tag),
                    f"{where}: {tag} is {text[:40]!r}",
                    f"write {' or '.join(allowed_values)}",
                    **extra,
                )
            )
    if not text_of(kids.get("Description")).strip():
        findings.append(
            finding(
                "416",
                at("Description"),
                f"{where} has no Description",
                "say what the resource holds and how it behaves",
                **extra,
            )
        )
    unit = text_of(kids.get("Units")).strip()
    if unit and unit not in units:
        findings.append(
            finding(
                "417",
                at("Units"),
                f"{where}: {unit[:40]!r} is not a SenML unit",
                unit_hint(unit, units),
                **extra,
            )
        )
    problem = range_problem(text_of(kids.get("RangeEnumeration")).strip())
    if problem:
        word, fixed = problem
        findings.append(
            finding(
                "418",
                at("RangeEnumeration"),
                f"{where}: the range is written with {word} instead of '..'",
                f"write {fixed[:200]!r}",
                **extra,
            )
        )
    findings += check_characters("420", kids.get("Description"), f"{where}'s Description", **extra)
    return findings


COMMON_FIELDS = (
    ("460", "Name", collapse),
    ("461", "Operations", str.strip),
    ("462", "Type", str.strip),
    ("463", "RangeEnumeration", str.strip),
    ("464", "Units", str.strip),
    ("465", "Description", squeeze),
)


def check_reusable(item, rid, common, object_id):
    """460-465: a reusable resource's copy against Common.xml's."""
    findings = []
    kids = first_children(item)
    for code, name, normal in COMMON_FIELDS:
        mine, theirs = text_of(kids.get(name)), common.get(name, "")
        if normal(mine) == normal(theirs):
            continue
        shown = theirs.strip()
        if name == "Description":
            message = f"resource {rid}: Description differs from Common.xml's"
            hint = "copy Common.xml's Description word for word"
            if len(shown) <= 300:
                hint += f": {shown!r}"
        else:
            message = (
                f"resource {rid}: {name} {mine.strip()[:60]!r}, Common.xml says {shown[:60]!r}"
            )
            hint = f"write <{name}>{shown[:200]}</{name}> as Common.xml does"
        findings.append(
            finding(
                code,
                line_of(kids.get(name), line_of(item)),
                message,
                hint,
                resource_id=rid,
                object_id=object_id,
            )
        )
    return findings


def check_entry(obj, entry, object_id):
    """400-402 and 701: the file against its DDF.xml item."""
    findings = []
    if entry.object_id is not None and object_id is not None and object_id != entry.object_id:
        findings.append(
            finding(
                "400",
                line_of(child(obj, "ObjectID"), line_of(obj)),
                f"ObjectID {object_id}, DDF.xml lists {entry.object_id}",
                f"write <ObjectID>{entry.object_id}</ObjectID> or correct DDF.xml",
                object_id=object_id,
            )
        )
    urn = value(obj, "ObjectURN")
    if entry.get("URN") != urn:
        findings.append(
            finding(
                "401",
                line_of(child(obj, "ObjectURN"), line_of(obj)),
                f"ObjectURN {urn[:100]!r}, DDF.xml lists {entry.get('URN')[:100]!r}",
                f"write <ObjectURN>{entry.get('URN')[:100]}</ObjectURN> or correct DDF.xml",
                object_id=object_id,
            )
        )
    name = value(obj, "Name")
    if entry.get("Name") != name:
        findings.append(
            finding(
                "402",
                line_of(child(obj, "Name"), line_of(obj)),
                f"Name {name[:100]!r}, DDF.xml lists {entry.get('Name')[:100]!r}",
                f"write <Name>{entry.get('Name')[:100]}</Name> or correct DDF.xml",
                object_id=object_id,
            )
        )
    description = text_of(child(obj, "Description1"))
    if squeeze(description) != squeeze(entry.fields.get("Description") or ""):
        findings.append(
            finding(
                "701",
                line_of(child(obj, "Description1"), line_of(obj)),
                "Description1 differs from DDF.xml's Description",
                "make DDF.xml's Description the object's Description1, word for word",
                object_id=object_id,
            )
        )
    return findings


def check_object(body, common=None, entry=None, units=None, name=""):
    """([findings], Parsed) of one object file's bytes. `common` Common.xml's resources by ID
    (None: reusable resources not checked), `entry` its DdfItem (None: 400-402 and 701 not
    checked), `units` the SenML units (default: the bundled lists)."""
    units = units or senml_units.bundled()
    body = bytes(body)
    parsed = Parsed()
    try:
        root = parse(body)
    except UnreadableFile as exc:
        return check_line_ends(body) + [
            finding(
                "272",
                exc.line,
                f"the object is unreadable: {exc}",
                "fix the XML where the parser stopped",
            )
        ], parsed
    obj = root.find("Object") if root.tag == "LWM2M" else None
    if obj is None:
        return [
            finding(
                "272",
                line_of(root, 1),
                "no <LWM2M><Object> element: not an object definition",
                "start from an object of the registry",
            )
        ], parsed
    object_id = int_or_none(value(obj, "ObjectID"))
    parsed = Parsed(
        object_id=object_id,
        version=value(obj, "ObjectVersion"),
        lwm2m_version=value(obj, "LWM2MVersion"),
        name=value(obj, "Name"),
        urn=value(obj, "ObjectURN"),
    )
    findings = check_line_ends(body, object_id)
    findings += check_schema_reference(root, obj, object_id)
    findings += check_object_fields(obj, root, object_id)
    lwm2m_version = described_version(obj, root)
    items = obj.findall("Resources/Item")
    parsed.resources = len(items)
    seen = set()
    for item in items:
        rid = int_or_none(item.get("ID"))
        if rid is None:
            continue
        findings += check_resource(item, rid, lwm2m_version, units, object_id)
        reusable = REUSABLE[0] <= rid <= REUSABLE[1]
        if reusable and rid in seen:
            findings.append(
                finding(
                    "451",
                    line_of(item),
                    f"reusable resource {rid} is included twice",
                    "keep one <Item> for it",
                    resource_id=rid,
                    object_id=object_id,
                )
            )
        seen.add(rid)
        if common is None or not reusable:
            continue
        if rid not in common:
            findings.append(
                finding(
                    "450",
                    line_of(item),
                    f"resource {rid} is in the reusable range "
                    f"{REUSABLE[0]}..{REUSABLE[1]} but Common.xml has no such resource",
                    "register it in Common.xml first, or give it an ID under 2048 (or a "
                    "private one, 26241..32768)",
                    resource_id=rid,
                    object_id=object_id,
                )
            )
            continue
        findings += check_reusable(item, rid, common[rid], object_id)
    if entry is not None:
        findings += check_entry(obj, entry, object_id)
    for one in findings:
        one.file = name
    return findings, parsed


# --- Common.xml -------------------------------------------------------------------------------


def read_common(body):
    """Common.xml's resources {ID: {child: text}} (raises UnreadableFile)."""
    root = parse(bytes(body))
    resources = {}
    for item in root.iter("Item"):
        rid = int_or_none(item.get("ID"))
        if rid is None or rid in resources:
            continue
        resources[rid] = {
            name: text_of(child(item, name))
            for name in (
                "Name",
                "Operations",
                "Type",
                "RangeEnumeration",
                "Units",
                "Description",
            )
        }
    return resources


def check_common(body, units=None, name="Common.xml"):
    """500-605 on a Common.xml's bytes."""
    units = units or senml_units.bundled()
    try:
        root = parse(bytes(body))
    except UnreadableFile as exc:
        return [
            finding(
                "022",
                exc.line,
                f"Common.xml is unreadable: {exc}",
                "fix the XML where the parser stopped",
                file=name,
            )
        ]
    items = list(root.iter("Item"))
    if not items:
        return [
            finding(
                "032",
                line_of(root, 1),
                "Common.xml holds no reusable resource",
                "restore its <Item> elements",
                file=name,
            )
        ]
    findings, seen, links = [], {}, 0
    for item in items:
        raw = item.get("ID") or ""
        rid = int_or_none(raw)
        line = line_of(item)
        extra = {"resource_id": rid, "file": name}

        def at(tag, item=item, line=line):
            return line_of(child(item, tag), line)

        if rid is None:
            findings.append(
                finding(
                    "501",
                    line,
                    f"ID {raw[:20]!r} is no number",
                    "give it its registered ID",
                    **extra,
                )
            )
            continue
        if rid in seen:
            findings.append(
                finding(
                    "500",
                    line,
                    f"resource {rid} is defined twice (first on line {seen[rid]})",
                    "keep one; a new resource takes a new ID",
                    **extra,
                )
            )
        seen.setdefault(rid, line)
        if not REUSABLE[0] <= rid <= REUSABLE[1]:
            findings.append(
                finding(
                    "501",
                    line,
                    f"resource {rid} is outside 2048..26240",
                    "reusable resources take IDs 2048..26240",
                    **extra,
                )
            )
        where = f"resource {rid}"
        if not value(item, "Name"):
            findings.append(finding("510", at("Name"), f"{where} has no Name", "name it", **extra))
        if not value(item, "Description"):
            # OMA's tool reports an empty Description as 510 ("Incorrect Description") too.
            findings.append(
                finding(
                    "510",
                    at("Description"),
                    f"{where} has no Description",
                    "describe it (a reserved resource says so)",
                    **extra,
                )
            )
            findings.append(
                finding(
                    "570",
                    at("Description"),
                    f"{where} has no Description",
                    "describe it (a reserved resource says so)",
                    **extra,
                )
            )
        operations, kind = value(item, "Operations"), value(item, "Type")
        if operations not in OPERATIONS:
            findings.append(
                finding(
                    "520",
                    at("Operations"),
                    f"{where}: Operations {operations[:40]!r} is not allowed",
                    "write R, W, RW or E",
                    **extra,
                )
            )
        if kind not in TYPES:
            findings.append(
                finding(
                    "530",
                    at("Type"),
                    f"{where}: Type {kind[:40]!r} is not an LwM2M type",
                    "write one of " + ", ".join(t for t in TYPES if t),
                    **extra,
                )
            )
        if operations == "E" and kind:
            findings.append(
                finding(
                    "531",
                    at("Type"),
                    f"{where} is executable yet has the Type {kind[:40]}",
                    "leave <Type></Type> empty",
                    **extra,
                )
            )
        problem = range_problem(value(item, "RangeEnumeration"))
        if problem:
            findings.append(
                finding(
                    "541",
                    at("RangeEnumeration"),
                    f"{where}: the range is written with {problem[0]} instead of '..'",
                    f"write {problem[1][:200]!r}",
                    **extra,
                )
            )
        unit = value(item, "Units")
        if unit and unit not in units:
            findings.append(
                finding(
                    "551",
                    at("Units"),
                    f"{where}: {unit[:40]!r} is not a SenML unit",
                    unit_hint(unit, units),
                    **extra,
                )
            )
        ts_link = child(item, "TSLink")
        if ts_link is not None or child(item, "TS") is not None:
            link = text_of(ts_link)
            if not link.strip():
                findings.append(
                    finding(
                        "590",
                        at("TSLink"),
                        f"{where}: TSLink is empty",
                        "write 0 (hide the TS link) or 1 (show it)",
                        **extra,
                    )
                )
            elif link.strip() not in ("0", "1"):
                findings.append(
                    finding(
                        "591",
                        at("TSLink"),
                        f"{where}: TSLink {link[:20]!r} is not 0 or 1",
                        "write 0 or 1",
                        **extra,
                    )
                )
        if value(item, "TS"):
            links += 1
        for code, tag in (
            ("601", "Name"),
            ("602", "Description"),
            ("603", "TSLink"),
            ("604", "Operations"),
            ("605", "TS"),
        ):
            findings += check_characters(code, child(item, tag), f"{where}'s {tag}", **extra)
    if links:
        for code in ("580", "581"):
            findings.append(
                not_checked(code, why=f"{links} TS link(s) need the network", file=name)
            )
    return findings


# --- DDF.xml ----------------------------------------------------------------------------------


def read_ddf(body):
    """([DdfItem], root) of DDF.xml's bytes (raises UnreadableFile)."""
    root = parse(bytes(body))
    items = []
    for element in root.findall("Item"):
        fields, lines, counts = {}, {}, {}
        for sub in element:
            if not isinstance(sub.tag, str):
                continue
            counts[sub.tag] = counts.get(sub.tag, 0) + 1
            fields.setdefault(sub.tag, text_of(sub))
            lines.setdefault(sub.tag, sub.sourceline)
        items.append(DdfItem(fields=fields, lines=lines, line=element.sourceline, counts=counts))
    return items, root


def version_key(ver):
    match = re.fullmatch(r"(\d+)\.(\d+)", ver.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def check_ddf(body, name="DDF.xml"):
    """021-041 and 200-321 on DDF.xml's bytes alone: ([findings], [DdfItem])."""
    try:
        items, root = read_ddf(body)
    except UnreadableFile as exc:
        return [
            finding(
                "021",
                exc.line,
                f"DDF.xml is unreadable: {exc}",
                "fix the XML where the parser stopped",
                file=name,
            )
        ], []
    findings = []

    def add(code, line, message, hint="", object_id=None, element=None):
        findings.append(
            finding(code, line, message, hint, element=element, file=name, object_id=object_id)
        )

    if root.tag != "DDFList":
        add(
            "041",
            line_of(root, 1),
            f"the root element is <{str(root.tag)[:40]}>, not <DDFList>",
            "DDF.xml is a <DDFList> of <Item>",
        )
    if not items:
        add("031", line_of(root, 1), "DDF.xml lists no object", "restore its <Item> elements")
    for element in root:
        if isinstance(element.tag, str) and element.tag != "Item":
            add(
                "041",
                element.sourceline,
                f"<{element.tag[:40]}> has no place in <DDFList>",
                "remove it",
            )
        if (element.tail or "").strip():
            add("041", element.sourceline, "text between the items", "remove it")
    by_key, by_id = {}, {}
    for item in items:
        oid = item.object_id
        for tag, count in item.counts.items():
            if tag not in DDF_CHILDREN:
                add(
                    "041",
                    item.lines[tag],
                    f"<{tag[:40]}> has no place in a DDF item",
                    "remove it",
                    oid,
                )
            elif count > 1:
                add(
                    "041",
                    item.lines[tag],
                    f"<{tag}> is given {count} times in one item",
                    "keep one",
                    oid,
                )
        ver = item.ver
        if oid is not None:
            key = (oid, ver)
            if key in by_key:
                add(
                    "200",
                    item.line,
                    f"ObjectID {oid} version {ver[:20]} is listed twice (first "
                    f"on line {by_key[key].line})",
                    "remove one of the items",
                    oid,
                )
            by_key.setdefault(key, item)
            by_id.setdefault(oid, []).append(item)
        for tag, code in (
            ("Name", "220"),
            ("Description", "230"),
            ("Owner", "240"),
            ("Source", "250"),
        ):
            if not item.get(tag):
                add(
                    code,
                    item.lines.get(tag, item.line),
                    f"{tag} is empty",
                    f"fill in the {tag}",
                    oid,
                )
        source = item.get("Source")
        if source and source not in SOURCE_KINDS:
            add(
                "251",
                item.lines["Source"],
                f"Source {source[:20]!r} is not 0, 1 or 2",
                "0: OMA, 1: a standards body, 2: a company",
                oid,
            )
        if not re.fullmatch(r"\d\.\d", ver):
            add(
                "260",
                item.lines.get("Ver", item.line),
                f"Ver {ver[:20]!r} is not digit.digit",
                "write the version as 1.0, 1.1, 2.0...",
                oid,
            )
        problem = urn_problem(item)
        if problem:
            add("210", item.lines.get("URN", item.line), problem[0], problem[1], oid)
        for tag, empty, wrong in (("DDFLink", "300", "301"), ("TSLink", "320", "321")):
            raw = item.fields.get(tag)
            line = item.lines.get(tag, item.line)
            if raw is None or not raw.strip():
                add(empty, line, f"{tag} is empty", "write 0 (hidden) or 1 (shown)", oid)
            elif raw not in ("0", "1"):
                add(
                    wrong,
                    line,
                    f"{tag} {raw[:20]!r} is not 0 or 1",
                    f"write <{tag}>{raw.strip()[:1]}</{tag}>"
                    if raw.strip() in ("0", "1")
                    else "write 0 or 1",
                    oid,
                )
    for oid, group in by_id.items():
        for code, tag in (("201", "Name"), ("202", "Description")):
            first = group[0]
            for item in group[1:]:
                if collapse(item.get(tag)) != collapse(first.get(tag)):
                    add(
                        code,
                        item.lines.get(tag, item.line),
                        f"object {oid}: the {tag} of "
                        f"version {item.ver[:20]} differs from version {first.ver[:20]}'s",
                        f"one {tag} for every version of the object",
                        oid,
                    )
    for code in ("001", "010", "023", "271"):
        findings.append(not_checked(code, why="it needs the Registry API or the web", file=name))
    for code, tag in (("290", "Vorto"), ("310", "TS")):
        linked = sum(1 for item in items if item.get(tag))
        if linked:
            findings.append(
                not_checked(code, why=f"{linked} {tag} link(s) need the network", file=name)
            )
    return findings, items


def urn_problem(item):
    """(message, hint) when an item's URN disagrees with its ObjectID, Source or Ver."""
    oid, source, ver, urn = item.object_id, item.get("Source"), item.ver, item.get("URN")
    if oid is None:
        return ("ObjectID is no number", "write the ObjectID")
    kind = SOURCE_KINDS.get(source)
    if kind and not kind[1] <= oid <= kind[2]:
        return (
            f"ObjectID {oid} is outside Source {source}'s range {kind[1]}..{kind[2]}",
            "Source 0: 0..1023, 1: 2048..10240, 2: 10241..42800",
        )
    expected = f"urn:oma:lwm2m:{kind[0] if kind else '?'}:{oid}"
    if ver and ver != "1.0":
        expected += f":{ver}"
    if kind and urn != expected:
        return (
            f"URN {urn[:100]!r}, the ObjectID, Source and Ver make {expected}",
            f"write <URN>{expected}</URN>",
        )
    return None


# --- a registry folder ------------------------------------------------------------------------

HISTORY_NAME = re.compile(r"version_history/(\d+)-(\d+)[_.](\d+)([^/]*)\.xml")
LATEST_NAME = re.compile(r"(\d+)\.xml")


def copy_name(oid, ver):
    major, minor = ver.split(".")
    return f"version_history/{oid}-{major}_{minor}.xml"


def first_difference(one, other):
    """The 1-based line of `one` where it first departs from `other`."""
    mine, theirs = one.split(b"\n"), other.split(b"\n")
    for number, (a, b) in enumerate(zip(mine, theirs, strict=False), 1):
        if a != b:
            return number
    return min(len(mine), len(theirs)) + 1 if len(mine) != len(theirs) else 1


def local_path(link, files):
    """The registry path a DDF link names (a relative path, or a URL into the repository)."""
    link = link.strip()
    if "://" not in link:
        return link.lstrip("./").lstrip("/")
    for marker in ("/version_history/",):
        if marker in link:
            return "version_history/" + link.rsplit(marker, 1)[1]
    tail = link.rsplit("/", 1)[-1]
    return tail if tail in files else None


def check_registry(files, units=None, only_object=None):
    """{path: [findings]} for a registry laid out as the repository: `files` maps each
    relative path to its bytes. `only_object`: check only what concerns that ObjectID."""
    if units is None:
        units = senml_units.bundled()
        if UNITS_FILE in files:
            with contextlib.suppress(senml_units.BadUnitsFile):
                units = senml_units.with_registry_file(files[UNITS_FILE])
    results = {}

    def put(path, found):
        results.setdefault(path, []).extend(found)

    common = None
    if "Common.xml" in files:
        if only_object is None:
            put("Common.xml", check_common(files["Common.xml"], units))
        try:
            common = read_common(files["Common.xml"])
        except UnreadableFile:
            common = None
    if "DDF.xml" not in files:
        put(
            "DDF.xml",
            [
                finding(
                    "021",
                    None,
                    "the folder has no DDF.xml",
                    "a registry lists its objects in DDF.xml",
                    file="DDF.xml",
                )
            ],
        )
        return results
    ddf_findings, items = check_ddf(files["DDF.xml"])
    keep = (lambda f: f.object_id == only_object) if only_object is not None else (lambda f: True)
    put("DDF.xml", [f for f in ddf_findings if keep(f)])
    groups = {}
    for item in items:
        if item.object_id is not None:
            groups.setdefault(item.object_id, []).append(item)
    referenced = set()
    for oid, group in groups.items():
        if only_object is not None and oid != only_object:
            for item in group:
                path = local_path(item.get("DDF"), files) if item.get("DDF") else None
                referenced.add(path)
            continue
        put("DDF.xml", check_group(oid, group, files, common, units, results, referenced))
    for one in check_history(files, groups, only_object):
        put(one.file, [one])
    for path in sorted(files):
        if path in NOT_OBJECT_FILES or not path.endswith(".xml") or path in referenced:
            continue
        history = HISTORY_NAME.fullmatch(path)
        latest = LATEST_NAME.fullmatch(path)
        if not history and not latest:
            continue
        oid = int((history or latest).group(1))
        if only_object is not None and oid != only_object:
            continue
        if (
            history
            and any(
                item.ver == f"{int(history.group(2))}.{int(history.group(3))}" and item.get("DDF")
                for item in groups.get(oid, [])
            )
            and not history.group(4)
        ):
            continue
        if latest or not history.group(4):
            found, _ = check_object(files[path], common, None, units, name=path)
            put(path, found)
        put(
            path,
            [
                finding(
                    "050",
                    1,
                    f"no DDF.xml item links to {path}",
                    "add its <Item> to DDF.xml (ObjectID, Ver and the DDF path), or "
                    "remove the file",
                    element=path,
                    file=path,
                    object_id=oid,
                )
            ],
        )
    return {path: found for path, found in results.items() if found or path in files}


def check_group(oid, group, files, common, units, results, referenced):
    """270-276 and the object checks for the DDF items of one ObjectID."""
    findings = []
    versions = [(version_key(item.ver), item) for item in group if version_key(item.ver)]
    latest = max(versions, key=lambda pair: pair[0])[1] if versions else group[-1]
    for item in group:
        link = item.get("DDF")
        line = item.lines.get("DDF", item.line)
        if not link:
            continue
        path = local_path(link, files)
        if path is None:
            findings.append(
                not_checked(
                    "270",
                    line,
                    why=f"{link[:100]} is outside the folder",
                    file="DDF.xml",
                    object_id=oid,
                )
            )
            continue
        referenced.add(path)
        if path not in files:
            findings.append(
                finding(
                    "270",
                    line,
                    f"object {oid} version {item.ver[:20]}: {link[:100]} is not in the registry",
                    "add the file or correct the DDF path",
                    file="DDF.xml",
                    object_id=oid,
                )
            )
        else:
            found, parsed = check_object(files[path], common, item, units, name=path)
            if parsed.object_id is not None and parsed.resources == 0:
                found.append(
                    finding(
                        "273",
                        line_of_text(files[path], b"<Resources"),
                        f"object {oid} has no resource",
                        "define its resources",
                        file=path,
                        object_id=oid,
                    )
                )
            results.setdefault(path, []).extend(found)
        if version_key(item.ver) is None:
            continue
        copy = copy_name(oid, item.ver)
        if item is latest:
            if path != f"{oid}.xml":
                findings.append(
                    finding(
                        "274",
                        line,
                        f"object {oid}: the latest version "
                        f"{item.ver} must live in {oid}.xml, not {link[:100]}",
                        f"point the DDF path at {oid}.xml",
                        file="DDF.xml",
                        object_id=oid,
                    )
                )
            if copy not in files:
                findings.append(
                    finding(
                        "274",
                        line,
                        f"object {oid} version {item.ver}: {copy} is missing",
                        f"add a copy of {oid}.xml as {copy}",
                        file="DDF.xml",
                        object_id=oid,
                    )
                )
            elif path in files and files[path] != files[copy]:
                results.setdefault(copy, []).append(
                    finding(
                        "274",
                        first_difference(files[copy], files[path]),
                        f"{copy} differs from {path}",
                        f"make {copy} an identical copy of {path}",
                        file=copy,
                        object_id=oid,
                    )
                )
        else:
            if not path.startswith("version_history/"):
                findings.append(
                    finding(
                        "274",
                        line,
                        f"object {oid}: version {item.ver} is not "
                        f"the latest and must live under version_history/",
                        f"point the DDF path at {copy}",
                        file="DDF.xml",
                        object_id=oid,
                    )
                )
            elif copy not in files:
                findings.append(
                    finding(
                        "274",
                        line,
                        f"object {oid} version {item.ver}: {copy} is missing",
                        f"add {copy}",
                        file="DDF.xml",
                        object_id=oid,
                    )
                )
    present = {version_key(item.ver) for item in group if version_key(item.ver)}
    if present:
        top = max(present)
        needed = {(top[0], minor) for minor in range(top[1] + 1)}
        needed |= {(major, 0) for major in range(1, top[0])}
        missing = sorted(needed - present)
        if missing:
            shown = ", ".join(f"{a}.{b}" for a, b in missing)
            findings.append(
                finding(
                    "276",
                    latest.lines.get("Ver", latest.line),
                    f"object {oid}: version {top[0]}.{top[1]} is listed but "
                    f"{shown} {'is' if len(missing) == 1 else 'are'} not",
                    "list every earlier version in DDF.xml, each with its version_history copy",
                    file="DDF.xml",
                    object_id=oid,
                )
            )
    return findings


def check_history(files, groups, only_object):
    """275: a version kept twice under version_history/ (said of each file but the one with
    the canonical name)."""
    findings, kept = [], {}
    for path in sorted(files):
        match = HISTORY_NAME.fullmatch(path)
        if not match:
            continue
        oid = int(match.group(1))
        if only_object is None or oid == only_object:
            kept.setdefault((oid, int(match.group(2)), int(match.group(3))), []).append(path)
    for (oid, major, minor), paths in kept.items():
        if len(paths) < 2:
            continue
        canonical = copy_name(oid, f"{major}.{minor}")
        first = canonical if canonical in paths else paths[0]
        for path in paths:
            if path == first:
                continue
            findings.append(
                finding(
                    "275",
                    1,
                    f"object {oid} version {major}.{minor} is kept twice: {first} and {path}",
                    f"keep only {canonical}",
                    file=path,
                    object_id=oid,
                )
            )
    return findings


def line_of_text(body, needle):
    index = body.find(needle)
    return body[:index].count(b"\n") + 1 if index >= 0 else 1


# --- the entry points -------------------------------------------------------------------------


def kind_of(body):
    """ "ddf", "common", "units", "object" or "" by the file's root element."""
    head = bytes(body[:4096])
    for marker, kind in (
        (b"<DDFList", "ddf"),
        (b'ObjectType="CommonResources"', "common"),
        (b"<units", "units"),
        (b"<LWM2M", "object"),
    ):
        if marker in head:
            return kind
    return ""


def entry_for(items, path, parsed):
    """The DDF item for an object file: the one linking to its registry path, else the one of
    its ObjectID and version (1.0 when it says none), else the one linking to a file of its
    name, else the latest of its ObjectID."""
    if parsed.object_id is None:
        return None
    links = [(item, item.get("DDF").lstrip("./")) for item in items if item.get("DDF")]
    for item, link in links:
        if path and link == path:
            return item
    same = [item for item in items if item.object_id == parsed.object_id]
    version = parsed.version or "1.0"
    for item in same:
        if item.ver == version:
            return item
    base = (path or "").rsplit("/", 1)[-1]
    for item, link in links:
        if base and link.rsplit("/", 1)[-1] == base and item.object_id == parsed.object_id:
            return item
    return same[-1] if same else None


MAX_FILES = 5000
MAX_TOTAL_BYTES = 256 * 1024 * 1024


class BadValidatorInput(ValueError):
    """An input that cannot be checked at all (no such file, a broken ZIP); says why."""


def wanted_path(path):
    """Whether a registry path is one the validator reads (top-level XML, version_history)."""
    parts = path.split("/")
    if not path.endswith(".xml"):
        return False
    return len(parts) == 1 or (len(parts) == 2 and parts[0] == "version_history")


def read_folder(root):
    """{relative path: bytes} of a registry folder's files (pathlib.Path `root`)."""
    files, total = {}, 0
    candidates = list(root.glob("*.xml")) + list(root.glob("version_history/*.xml"))
    for path in sorted(candidates)[:MAX_FILES]:
        if not path.is_file() or path.is_symlink():
            continue
        size = path.stat().st_size
        if size > MAX_FILE_BYTES or total + size > MAX_TOTAL_BYTES:
            continue
        total += size
        files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def read_zip(data):
    """{relative path: bytes} of a ZIP laid out as the registry (one top folder may wrap it)."""
    import io
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
        infos = [i for i in archive.infolist() if not i.is_dir()][: MAX_FILES * 2]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadValidatorInput(f"not a readable ZIP: {exc}") from None
    names = [i.filename.replace("\\", "/") for i in infos]
    prefix = ""
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1 and all("/" in name for name in names):
        candidate = next(iter(tops)) + "/"
        if not any(n == candidate + "DDF.xml" for n in names) or True:
            prefix = candidate if not any(n.startswith("version_history/") for n in names) else ""
    files, total = {}, 0
    for info, name in zip(infos, names, strict=True):
        if prefix and name.startswith(prefix):
            name = name[len(prefix) :]
        if ".." in name.split("/") or name.startswith("/") or not wanted_path(name):
            continue
        if info.file_size > MAX_FILE_BYTES or total + info.file_size > MAX_TOTAL_BYTES:
            continue
        try:
            with archive.open(info) as handle:
                body = handle.read(MAX_FILE_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
            raise BadValidatorInput(f"cannot read {name[:100]} in the ZIP: {exc}") from None
        if len(body) > MAX_FILE_BYTES:
            continue
        total += len(body)
        files[name] = body
        if len(files) >= MAX_FILES:
            break
    return files


@dataclass
class Registry:
    """What files are checked against: a registry's files, DDF items, Common.xml, units."""

    files: dict
    items: list
    common: dict | None
    units: object
    root: object = None  # the folder it was read from, if any

    @classmethod
    def from_files(cls, files, root=None):
        items = []
        if "DDF.xml" in files:
            try:
                items, _ = read_ddf(files["DDF.xml"])
            except UnreadableFile:
                items = []
        common = None
        if "Common.xml" in files:
            try:
                common = read_common(files["Common.xml"])
            except UnreadableFile:
                common = None
        units = senml_units.bundled()
        if UNITS_FILE in files:
            with contextlib.suppress(senml_units.BadUnitsFile):
                units = senml_units.with_registry_file(files[UNITS_FILE])
        return cls(files=files, items=items, common=common, units=units, root=root)


def validate_object(body, registry=None, name="", path=None):
    """[(file, [findings])] for one object file, checked against `registry` (or nothing) and,
    when the registry has DDF.xml, with the registry-wide codes that concern its ObjectID as
    they would be were the file at its place (`path`, else its DDF path, else <ID>.xml)."""
    body = bytes(body)
    if registry is None:
        found, _ = check_object(body, name=name)
        return [(name, found)]
    _, parsed = check_object(body, name=name)
    if path is None and parsed.object_id is not None:
        entry = entry_for(registry.items, name, parsed)
        link = entry.get("DDF") if entry is not None else ""
        path = local_path(link, registry.files) if link else f"{parsed.object_id}.xml"
    entry = entry_for(registry.items, path or name, parsed)
    found, parsed = check_object(body, registry.common, entry, registry.units, name=name)
    results = [(name, found)]
    if parsed.object_id is None or "DDF.xml" not in registry.files or not path:
        return results
    files = dict(registry.files)
    files[path] = body
    related = check_registry(files, registry.units, only_object=parsed.object_id)
    for where, more in related.items():
        extra = [f for f in more if f.oma_code and f.oma_code[0] in "0123"]
        if where == path:
            results[0][1].extend(extra)
        elif extra:
            results.append((where, extra))
    return results


def validate_body(body, registry=None, name=""):
    """[(file, [findings])] for one file's bytes of any kind (object, Common.xml, DDF.xml, ZIP)."""
    body = bytes(body)
    if body[:4] == b"PK\x03\x04":
        files = read_zip(body)
        return [
            (f"{name}:{path}" if name else path, found)
            for path, found in sorted(check_registry(files).items())
        ]
    kind = kind_of(body)
    units = registry.units if registry is not None else None
    if kind == "ddf":
        if registry is None or not registry.files:
            found, _ = check_ddf(body, name=name)
            return [(name, found)]
        # Against the registry's files: its items against them, the version chains, the copies.
        related = check_registry({**registry.files, "DDF.xml": body}, registry.units)
        results = [(name, related.pop("DDF.xml", []))]
        for path, found in sorted(related.items()):
            kept = [f for f in found if f.oma_code and f.oma_code[0] in "0123"]
            if kept:
                results.append((path, kept))
        return results
    if kind == "common":
        return [(name, check_common(body, units, name=name))]
    if kind == "units":
        try:
            senml_units.parse_oma_units(body)
        except senml_units.BadUnitsFile as exc:
            return [(name, [OmaFinding(None, UNITS_FILE, None, 1, ERROR, MAINTAINER, str(exc))])]
        return [(name, [])]
    return validate_object(body, registry, name=name)


def validate_paths(paths, registry_root=None):
    """[(file, [findings])] for files, folders and ZIPs on disk, against a registry folder."""
    from pathlib import Path

    registry = None
    if registry_root is not None:
        root = Path(registry_root)
        if not (root / "DDF.xml").is_file():
            raise BadValidatorInput(f"{registry_root} is not a registry folder: it has no DDF.xml")
        registry = Registry.from_files(read_folder(root), root=root)
    results = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = read_folder(path)
            if not files:
                raise BadValidatorInput(f"{raw}: no XML file in it")
            for rel, found in sorted(check_registry(files).items()):
                results.append((str(path / rel), found))
            continue
        try:
            with open(path, "rb") as handle:
                body = handle.read(MAX_TOTAL_BYTES + 1)
        except OSError as exc:
            raise BadValidatorInput(f"{raw}: {exc.strerror or exc}") from None
        where = None
        if registry is not None and registry.root is not None:
            try:
                where = path.resolve().relative_to(registry.root.resolve()).as_posix()
            except ValueError:
                where = None
        if where is not None and body[:4] != b"PK\x03\x04" and kind_of(body) == "object":
            found = validate_object(body, registry, name=str(raw), path=where)
            results.extend(
                (str(registry.root / rel) if rel != str(raw) else rel, f) for rel, f in found
            )
            continue
        found = validate_body(body, registry, name=str(raw))
        if registry is not None and registry.root is not None:
            found = [
                (rel if rel == str(raw) or ":" in rel else str(registry.root / rel), f)
                for rel, f in found
            ]
        results.extend(found)
    return results


def as_json(results):
    """The JSON the command and the API answer."""
    return {
        "files": [
            {"file": name, "findings": [f.as_json() for f in found]} for name, found in results
        ]
    }


def has_error(results):
    return any(f.severity == ERROR for _, found in results for f in found)


def markdown_table(results):
    """The table OMA staff paste into a pull request (Error, Description, ObjID:RID,
    Resolve By)."""
    rows = ["Error | Description | ObjID:RID | Resolve By", "-- | -- | -- | --"]
    for _, found in results:
        for f in sorted(found, key=lambda f: (f.oma_code or "999", f.line or 0)):
            if f.oma_code is None or f.severity != ERROR:
                continue
            message = f.message.replace("|", "\\|").replace("\n", " ")
            rows.append(f"{f.oma_code} | {message} | {f.where} | {f.resolve_by}")
    return "\n".join(rows) + "\n"
