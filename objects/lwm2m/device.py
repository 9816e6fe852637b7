"""What a client announces, read as a person pastes it from a log: a Register or Update request
(its URI with the query, then its CoRE link-format payload), a Bootstrap-Request, a Discover or
Bootstrap-Discover answer, or link format alone. Plain Python: the registry's side is
objects/catalog/device.py.

The version of an object without `ver=` (OMA-TS-LightweightM2M_Core 1.1.1 and 1.2, section
7.2.3): a core object is at the version the client's LwM2M release defines it in, any other
object at 1.0. The core versions are Eclipse Leshan's (LwM2mCoreObjectVersionRegistry, Leshan
issue 1434) for 1.0 and 1.1, where Leshan takes 1.1.1's Device 1.1 and Connectivity Monitoring
1.2 (1.1 of 2018 said 1.0 and 1.1: OMA_LwM2M_for_Developers issue 561); for 1.2, which Leshan 2
does not know, the 1.2 Core TS's appendix E.
"""

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import TypedDict, TypeGuard, cast
from urllib.parse import unquote

from objects.lwm2m import link_format
from objects.lwm2m.content_formats import BY_NUMBER
from objects.lwm2m.ids import MAX_ID
from objects.lwm2m.link_format import Attributes, Link
from objects.lwm2m.payload import Findings
from objects.lwm2m.versions import BadVersion, parse_version

LWM2M_VERSIONS = ("1.0", "1.1", "1.2")
DEFAULT_LWM2M = "1.0"
# {LwM2M version: {core ObjectID: the version in force without ver=}}.
CORE_VERSIONS = {
    "1.0": {0: "1.0", 1: "1.0", 2: "1.0", 3: "1.0", 4: "1.0", 5: "1.0", 6: "1.0", 7: "1.0"},
    "1.1": {0: "1.1", 1: "1.1", 2: "1.0", 3: "1.1", 4: "1.2", 5: "1.0", 6: "1.0", 7: "1.0",
            21: "1.0"},
    "1.2": {0: "1.2", 1: "1.2", 2: "1.1", 3: "1.2", 4: "1.3", 5: "1.1", 6: "1.0", 7: "1.0",
            21: "2.0"},
}  # fmt: skip
CORE_NOTES = {
    ("1.1", 3): "LwM2M 1.1 (2018) said 1.0, 1.1.1 says 1.1; Leshan reads 1.1",
    ("1.1", 4): "LwM2M 1.1 (2018) said 1.1, 1.1.1 says 1.2; Leshan reads 1.2",
}
KINDS = {
    "register": "Register request",
    "update": "Update request",
    "bootstrap-request": "Bootstrap-Request",
    "discover": "Discover answer",
    "bootstrap-discover": "Bootstrap-Discover answer",
    "links": "link format",
}
BINDINGS = {
    "U": "UDP",
    "T": "TCP",
    "S": "SMS",
    "N": "Non-IP",
    "M": "MQTT (1.2)",
    "H": "HTTP (1.2)",
    "Q": "queue mode (1.0; a parameter of its own from 1.1)",
}
# LwM2M 1.0's whole bindings; from 1.1 the letters a binding may hold.
BINDINGS_BY_VERSION: dict[str, Sequence[str]] = {
    "1.0": ("U", "UQ", "S", "SQ", "US", "UQS"),
    "1.1": "UTSN",
    "1.2": "UTSNMH",
}
PARAMETERS = {
    "ep": "Endpoint Client Name: who the client is; unique on the server",
    "lt": "Lifetime in seconds: the registration ends unless updated within it (default 86400)",
    "lwm2m": "the LwM2M version the client speaks (default 1.0)",
    "b": "Binding: the transports the client is reachable on",
    "sms": "the client's MSISDN, for the SMS binding",
    "Q": "Queue mode (1.1 and later): the client sleeps; the server queues its requests",
    "pct": "Preferred Content Format (Bootstrap-Request, 1.1 and later)",
    "et": "Endpoint Type (CoRE Resource Directory; not an LwM2M parameter)",
    "d": "Domain (CoRE Resource Directory; not an LwM2M parameter)",
}
# Where each kind may carry each parameter.
ALLOWED = {
    "register": ("ep", "lt", "lwm2m", "b", "sms", "Q"),
    "update": ("lt", "b", "sms", "Q"),
    "bootstrap-request": ("ep", "pct"),
}
REQUEST_RE = re.compile(
    r"(?:(?:coaps?|coap\+tcp|coaps\+tcp|https?)://[^/\s?]*)?(/(?:rd|bs)(?:/[^\s?,<]*)?)(\?[^\s<]*)?",
    re.I,
)
QUERY_ONLY_RE = re.compile(
    r"^\??[A-Za-z][A-Za-z0-9]*(=[^&\s]*)?(&[A-Za-z][A-Za-z0-9]*(=[^&\s]*)?)*$"
)
OPTION_RE = re.compile(r"Uri-(Path|Query)\s*[:=]\s*\"?([^\s\"]+)\"?", re.I)
MAX_TEXT = 64 * 1024
# (name, value or None when written without "=") of a request's query parameters.
QueryParams = list[tuple[str, str | None]]


class BadDevice(ValueError):
    """Input that names no request and holds no link; its message is for the person."""


@dataclass
class Parameter:
    name: str
    value: str | None
    meaning: str
    problem: str = ""


class DeviceWarningJson(TypedDict):
    link: str | None
    message: str


@dataclass
class DeviceWarning:
    link: str | None
    message: str

    def as_json(self) -> DeviceWarningJson:
        return {"link": self.link, "message": self.message}


@dataclass
class DeviceObject:
    """One object the input names: its instances and its version, and the rule that gave it."""

    object_id: int
    version: str = ""
    version_rule: str = "default"
    version_note: str = ""
    instances: list[int] = field(default_factory=list)
    link: str = ""
    attributes: Attributes = field(default_factory=dict)


@dataclass
class Reading:
    kind: str
    lwm2m: str
    lwm2m_source: str
    method: str = ""
    path: str = ""
    parameters: list[Parameter] = field(default_factory=list)
    # (number as written, its title or "unknown") of the root link's ct=.
    content_formats: list[tuple[str, str]] = field(default_factory=list)
    root: str = "/"
    objects: list[DeviceObject] = field(default_factory=list)
    warnings: list[DeviceWarning] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    @property
    def kind_name(self) -> str:
        return KINDS[self.kind]

    def warn(self, link: str | None, message: str) -> None:
        self.warnings.append(DeviceWarning(link, message))


def split_input(text: str | None, request_text: str | None = "") -> tuple[str, str, str, str]:
    """(method, path, query, link text) of what a person pasted: a request line or URI first,
    then the payload; `request_text` is the request's URI or query given apart."""
    text = (text or "")[:MAX_TEXT]
    request_text = (request_text or "").strip()[:4000]
    start = text.find("<")
    head, links = (text[:start], text[start:]) if start >= 0 else (text, "")
    method = path = query = ""
    source = request_text or head
    found = REQUEST_RE.search(source)
    if found:
        path, query = found.group(1), (found.group(2) or "")[1:]
        before = source[: found.start()].split()
        method = next((w.upper() for w in reversed(before) if w.upper() in ("POST", "PUT",
                       "GET", "DELETE")), "")  # fmt: skip
    elif OPTION_RE.search(source):
        # CoAP options one a line, as Wireshark and CoAP loggers print them.
        options = OPTION_RE.findall(source)
        path = "/" + "/".join(v for name, v in options if name.lower() == "path")
        query = "&".join(v for name, v in options if name.lower() == "query")
        path = "" if path == "/" else path
        said = re.search(r"\b(POST|PUT|GET|DELETE)\b", source)
        method = said.group(1) if said else ""
    elif "=" in source and QUERY_ONLY_RE.match(source.strip()):
        query = source.strip().lstrip("?")
    elif request_text:
        raise BadDevice("the request is a URI (/rd?ep=...) or its query (ep=...&lt=...)")
    elif not links:
        raise BadDevice("no request URI (/rd?ep=...) and no link (</3/0>) in what was pasted")
    return method, path, query, links.strip()


def parse_query(query: str) -> QueryParams:
    """[(name, value or None)] in order; a value percent-decoded."""
    out: QueryParams = []
    for part in query.split("&"):
        if not part:
            continue
        name, eq, value = part.partition("=")
        out.append((unquote(name), unquote(value) if eq else None))
    return out[:50]


def request_kind(method: str, path: str, query_names: Collection[str]) -> str:
    if path.lower().startswith("/bs"):
        return "bootstrap-request"
    if path.lower().startswith("/rd/") and len(path) > 4:
        return "update"
    if path or "ep" in query_names:
        return "register"
    return ""


def links_kind(links: Sequence[Link]) -> str:
    """A payload's kind from its links: Bootstrap-Discover (a root with lwm2m=, or uri= or
    ssid= on links), Discover (links to resources, or observe attributes), else a
    registration's list."""
    for link in links:
        if link.target == "/" and "lwm2m" in link.attributes:
            return "bootstrap-discover"
    if any("uri" in link.attributes for link in links):
        return "bootstrap-discover"
    for link in links:
        parts = link.target.strip("/").split("/")
        if len(parts) >= 3 and all(p.isdigit() for p in parts):
            return "discover"
        if set(link.attributes) & {"pmin", "pmax", "gt", "lt", "st", "dim", "epmin", "epmax"}:
            return "discover"
    return "links"


def normal_version(text: object) -> str:
    major, minor = parse_version(text)
    return f"{major}.{minor}"


def read(
    text: str | None,
    request_text: str | None = "",
    lwm2m: str | None = "",
    kind: str | None = "",
) -> Reading:
    """The Reading of a pasted request and payload (or a payload alone)."""
    method, path, query, link_text = split_input(text, request_text)
    params = parse_query(query)
    names = [name for name, _ in params]
    findings = Findings()
    links, _ = link_format.parse(link_text.encode("utf-8"), findings) if link_text else ([], None)
    found_kind = request_kind(method, path, names) or links_kind(links)
    if kind and kind in KINDS:
        found_kind = kind
    reading = Reading(found_kind, DEFAULT_LWM2M, "default", method, path, links=links)
    # The LwM2M version: the request's lwm2m=, a Bootstrap-Discover's root, or the one given.
    said = dict(params).get("lwm2m")
    if found_kind == "bootstrap-discover":
        said = next((lk.attributes.get("lwm2m") for lk in links if lk.target == "/"), said)
    given = (lwm2m or "").strip()
    for value, source in ((given, "given"), (said, "request")):
        if not value:
            continue
        try:
            version = normal_version(value)
        except BadVersion:
            reading.warn(None, f"lwm2m={str(value)[:20]!r} is not a version like 1.1")
            continue
        if source == "request" and reading.lwm2m_source == "given":
            # The version chosen wins over the request's; they should agree.
            if version != reading.lwm2m:
                reading.warn(None, f"the request says lwm2m={version}, not {reading.lwm2m}: "
                                   f"read as {reading.lwm2m}, as chosen")  # fmt: skip
            continue
        reading.lwm2m, reading.lwm2m_source = version, source
    if found_kind == "update" and reading.lwm2m_source == "default":
        reading.warn(None, "an Update does not say its LwM2M version: choose the one the client "
                           "registered with (1.0 is assumed)")  # fmt: skip
    if reading.lwm2m not in LWM2M_VERSIONS:
        reading.warn(None, f"LwM2M {reading.lwm2m} is not a released version (1.0, 1.1, 1.2)")
    explain_parameters(reading, params)
    for finding in findings:
        if finding.severity == "error":
            reading.warn(link_at(link_text, finding.offset or 0), f"malformed link: "
                                                                  f"{finding.message}")  # fmt: skip
    walk_links(reading, links)
    return reading


def link_at(text: str, offset: int) -> str:
    """The link written around a byte offset of the link text, as written (bounded)."""
    data = text.encode("utf-8")
    start = data.rfind(b"<", 0, offset + 1)
    start = 0 if start < 0 else start
    end = data.find(b",<", start + 1)
    end = len(data) if end < 0 else end
    fragment = data[start:end].decode("utf-8", "replace")
    return fragment if len(fragment) <= 80 else fragment[:79] + "…"


def explain_parameters(reading: Reading, params: QueryParams) -> None:
    seen: set[str] = set()
    allowed = ALLOWED.get(reading.kind)
    for name, value in params:
        meaning = PARAMETERS.get(name, "not a parameter LwM2M defines: servers ignore or refuse it")
        param = Parameter(name, value, meaning)
        if name in seen:
            param.problem = "given twice"
        elif allowed is not None and name in PARAMETERS and name not in allowed:
            param.problem = f"{article(reading.kind_name)} {reading.kind_name} does not carry it"
        elif name == "lt" and not ascii_digits(value):
            param.problem = "a whole number of seconds"
        elif name == "b":
            param.meaning += ": " + binding_text(value or "")
            param.problem = binding_problem(value or "", reading.lwm2m)
        elif name == "Q" and value is not None:
            param.problem = "Q takes no value"
        elif name == "Q" and reading.lwm2m == "1.0":
            param.problem = "LwM2M 1.0 has no Q parameter: queue mode is b=UQ"
        elif name == "ep" and not value:
            param.problem = "an empty endpoint name"
        elif name == "pct" and ascii_digits(value) and len(value) <= 6 and int(value) in BY_NUMBER:
            param.meaning += f": {BY_NUMBER[int(value)].title}"
        seen.add(name)
        reading.parameters.append(param)
        if param.problem:
            reading.warn(None, f"{name}: {param.problem}")
    if reading.kind == "register" and "ep" not in seen:
        reading.warn(None, "a Register request needs ep= (the endpoint name)")


# mutmut 3.8.1's trampoline would hide the TypeGuard from mypy: left unmutated.
def ascii_digits(value: str | None) -> TypeGuard[str]:  # pragma: no mutate block
    """A whole number in ASCII digits: str.isdigit() takes "²", which int() refuses."""
    return value is not None and value.isascii() and value.isdigit()


def binding_text(value: str) -> str:
    return ", ".join(BINDINGS.get(letter, f"{letter!r} unknown") for letter in value) or "none"


def binding_problem(value: str, lwm2m: str) -> str:
    known = BINDINGS_BY_VERSION.get(lwm2m)
    if not value:
        return "an empty binding"
    if lwm2m == "1.0":
        known = cast(Sequence[str], known)  # 1.0 is in BINDINGS_BY_VERSION
        return "" if value in known else f"LwM2M 1.0 bindings are {', '.join(known)}"
    if known and any(letter not in known for letter in value):
        extra = "; queue mode is the Q parameter" if "Q" in value else ""
        return f"LwM2M {lwm2m} binding letters are {', '.join(known)}{extra}"
    return ""


def walk_links(reading: Reading, links: Sequence[Link]) -> None:
    """The objects and instances the links name, the root link and its content formats, and
    the warnings servers trip on."""
    root_link = next((lk for lk in links if lk.attributes.get("rt") == "oma.lwm2m"), None)
    if root_link is None:
        root_link = next((lk for lk in links if lk.target == "/"), None)
    if root_link is not None:
        reading.root = root_link.target.rstrip("/") + "/"
        cts = root_link.attributes.get("ct") or ""
        for number in cts.split():
            fmt = BY_NUMBER.get(int(number)) if number.isdigit() and len(number) < 7 else None
            reading.content_formats.append((number, fmt.title if fmt else "unknown"))
    if root_link is None:
        alternate = next((lk for lk in links if not re.match(r"^/[0-9]", lk.target)), None)
        if alternate is not None and alternate.target != "/":
            first = "/" + alternate.target.strip("/").split("/")[0]
            message = f'an alternate path needs its root link <{first}>;rt="oma.lwm2m"'
            reading.warn(shown(alternate), f"{message} (LwM2M {reading.lwm2m})")
            reading.root = first + "/"
    announced: dict[int, DeviceObject] = {}
    object_links: dict[int, Link] = {}
    resource_level = reading.kind in ("discover", "bootstrap-discover")
    for link in links:
        if link is root_link:
            continue
        text = shown(link)
        target = link.target
        if target.rstrip("/") + "/" == reading.root:
            continue
        if not target.startswith(reading.root):
            if reading.root == "/":
                reading.warn(text, "not a path")
            else:
                reading.warn(text, f"not under the root path {reading.root}: an alternate path "
                                   "puts every object under it")  # fmt: skip
            continue
        parts = target[len(reading.root) :].strip("/").split("/")
        if parts == [""] or not all(p.isascii() and p.isdigit() and len(p) <= 5 for p in parts):
            if target != "/":
                reading.warn(text, "names no object (/O) or object instance (/O/I)")
            continue
        ids = [int(p) for p in parts]
        if any(i > MAX_ID for i in ids):
            reading.warn(text, f"an ID past {MAX_ID}")
            continue
        if len(parts) > 2 and not resource_level:
            reading.warn(text, "a registration names objects and instances, not resources")
            continue
        entry = announced.setdefault(ids[0], DeviceObject(ids[0], link=text))
        if len(ids) == 1:
            if ids[0] in object_links:
                reading.warn(text, f"object {ids[0]} announced twice")
            object_links[ids[0]] = link
            entry.attributes.update(link.attributes)
        elif len(ids) == 2:
            if ids[1] in entry.instances:
                reading.warn(text, f"instance {ids[0]}/{ids[1]} announced twice")
            else:
                entry.instances.append(ids[1])
        version = link.attributes.get("ver")
        if version is None:
            continue
        if len(ids) >= 2:
            where = f"</{ids[0]}>;ver={version}"
            reading.warn(text, f"ver= on an instance link: it belongs on the object's link "
                               f"{where} (Leshan refuses the registration)")  # fmt: skip
        try:
            spelled = normal_version(version)
        except BadVersion:
            reading.warn(text, f"ver={str(version)[:20]!r} is not a version like 1.1")
            continue
        if entry.version and entry.version != spelled:
            reading.warn(text, f"object {ids[0]} announced at versions {entry.version} and "
                               f"{spelled}")  # fmt: skip
            continue
        entry.version, entry.version_rule, entry.link = spelled, "ver", text
    for entry in announced.values():
        entry.instances.sort()
        if entry.version_rule == "ver":
            continue
        core = CORE_VERSIONS.get(reading.lwm2m, {})
        if entry.object_id in core:
            entry.version = core[entry.object_id]
            entry.version_note = CORE_NOTES.get(
                (reading.lwm2m, entry.object_id),
                f"core object: the version LwM2M {reading.lwm2m} defines it in",
            )
        else:
            entry.version = "1.0"
            entry.version_note = "no ver=: 1.0"
    reading.objects = sorted(announced.values(), key=lambda e: e.object_id)


def shown(link: Link) -> str:
    text = f"<{link.target}>"
    return text if len(text) <= 80 else text[:79] + "…"


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


# The versions a decode reads objects with (/decode/'s `versions`).
VERSION_PAIR_RE = re.compile(r"([0-9]{1,5})\s*[=@:]\s*([0-9]{1,6}\.[0-9]{1,6})")


def parse_versions(text: str | None, findings: Findings) -> dict[int, str]:
    """{object_id: "1.1"} from `3=1.1, 3303=1.0` (or @ or :), or from a registration's links
    (`</3>;ver=1.1,</3303/0>`)."""
    text = (text or "").strip()[:4000]
    if not text:
        return {}
    if "<" in text:
        # A registration as pasted (its request line too): the versions in force, ver= or the
        # default for its LwM2M version (read).
        try:
            reading = read(text)
        except BadDevice:
            return {}
        return {a.object_id: a.version for a in reading.objects}
    pairs = VERSION_PAIR_RE.findall(text)
    if not pairs:
        findings.warning(f"versions {text[:40]!r} name none: write them as 3=1.1, 3303=1.0")
    out: dict[int, str] = {}
    for oid, ver in pairs:
        try:
            major, minor = parse_version(ver)
        except BadVersion:
            continue
        out[int(oid)] = f"{major}.{minor}"
    return out
