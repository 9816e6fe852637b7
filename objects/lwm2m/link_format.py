"""The CoRE Link Format (RFC 6690), content format 40: a registration's or a discovery's list,
`</>;rt="oma.lwm2m";ct=110,</1/0>,</3/0>;ver=1.1,</3303/0>`.

    Link       = link-value *("," link-value)
    link-value = "<" URI-Reference ">" *(";" link-param)
    link-param = parmname ["=" (ptoken / quoted-string)]

A quoted string may hold commas, semicolons and escaped quotes (\\"). A registration's link
with rt="oma.lwm2m" names the client's root path (OMA-TS-LightweightM2M_Transport 1.1, 6.2.1):
the objects are the links under it.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypedDict

from objects.lwm2m.ids import MAX_ID
from objects.lwm2m.payload import MAX_VALUES, ByteOffsets, Findings
from objects.lwm2m.versions import BadVersion, parse_version

PARMNAME_RE = re.compile(r"[A-Za-z0-9!#$&+\-.^_`|~]+")
# RFC 3986 path-absolute: "/" and pchar (unreserved, pct-encoded, sub-delims, ":", "@").
TARGET_RE = re.compile(r"^/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$")
CARDINAL = r"(?:0|[1-9][0-9]*)"
RELATION = r"[a-z][a-z0-9.\-]*"
DECIMAL = r"-?[0-9]+(?:\.[0-9]+)?"
# Known attributes and the values they take, as (unquoted form, quoted form): None refuses
# that form (RFC 6690 section 3, OMA-TS-LightweightM2M_Core 1.1 section 5.1.2 and 6.2.1).
ATTRIBUTE_RULES = {
    "ver": (r"[0-9]+\.[0-9]+", None),
    "lwm2m": (r"[0-9]+\.[0-9]+", r"[0-9]+\.[0-9]+"),
    "ct": (CARDINAL, rf"{CARDINAL}(?: {CARDINAL})*"),
    "rt": (RELATION, rf"{RELATION}(?: {RELATION})*"),
    "pmin": (r"[0-9]+", None),
    "pmax": (r"[0-9]+", None),
    "epmin": (r"[0-9]+", None),
    "epmax": (r"[0-9]+", None),
    "ssid": (r"[0-9]+", None),
    "dim": (r"[0-9]+", None),
    "gt": (DECIMAL, None),
    "lt": (DECIMAL, None),
    "st": (DECIMAL, None),
}
PTOKEN_RE = re.compile(r"[!#$%&'()*+\-./0-9:<=>?@A-Z\[\]^_`a-z{|}~]+")
# A link's parameters by name: a value, or None for a parameter written without one (`;obs`).
Attributes = dict[str, str | None]


class LinkJson(TypedDict):
    Path: str
    Attributes: Attributes


@dataclass
class Link:
    target: str
    attributes: Attributes = field(default_factory=dict)
    offset: int = 0

    def as_json(self) -> LinkJson:
        return {"Path": self.target, "Attributes": self.attributes}


def parse(data: bytes, findings: Findings | None = None) -> tuple[list[Link], Findings]:
    """(links, findings) of a link-format payload; a malformed link is an error finding at its
    byte offset, and parsing stops there."""
    findings = findings if findings is not None else Findings()
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as e:
        findings.error(f"link format is UTF-8 text: byte {e.start} is not", offset=e.start)
        return [], findings
    links: list[Link] = []
    pos, end = 0, len(text)

    at = ByteOffsets(text)

    if not text:
        return links, findings
    while True:
        if pos >= end:
            findings.error("a comma with no link after it", offset=at(pos))
            break
        if len(links) >= MAX_VALUES:
            findings.error(f"more than {MAX_VALUES} links: the parse stops", offset=at(pos))
            break
        start = pos
        if text[pos] != "<":
            findings.error(f"a link starts with '<', not {text[pos]!r}", offset=at(pos))
            break
        close = text.find(">", pos + 1)
        if close < 0:
            findings.error("a link's '<' with no '>'", offset=at(pos))
            break
        target = text[pos + 1 : close]
        if not TARGET_RE.match(target):
            findings.error(f"not a URI path starting with '/': {target[:60]!r}", offset=at(pos + 1))
            break
        link = Link(target, offset=at(start))
        pos = close + 1
        bad = False
        while pos < end and text[pos] == ";":
            pos += 1
            match = PARMNAME_RE.match(text, pos)
            if not match:
                findings.error("a ';' with no parameter name after it", offset=at(pos))
                bad = True
                break
            name = match.group()
            pos = match.end()
            value: str | None = None
            quoted = False
            value_at = pos + 1 if pos < end and text[pos] == "=" else pos
            if pos < end and text[pos] == "=":
                pos += 1
                quoted = pos < end and text[pos] == '"'
                if quoted:
                    value, pos = _quoted(text, pos)
                    if value is None:
                        findings.error(
                            f"the quoted value of {name!r} has no end", offset=at(value_at)
                        )
                        bad = True
                        break
                else:
                    match = PTOKEN_RE.match(text, pos)
                    # A ptoken stops at ',' and ';' (they are not in it).
                    value = match.group() if match else ""
                    if value and ("," in value or ";" in value):
                        value = re.split(r"[,;]", value)[0]
                    pos += len(value)
                    if not value:
                        findings.error(
                            f"the parameter {name!r} has '=' and no value", offset=at(pos)
                        )
                        bad = True
                        break
            problem = attribute_problem(name, value, quoted)
            if problem:
                findings.error(problem, offset=at(value_at))
                bad = True
                break
            if name in link.attributes:
                # Leshan refuses it too: one value per attribute.
                findings.error(f"the parameter {name!r} twice in one link", offset=at(pos))
                bad = True
                break
            link.attributes[name] = value
        if bad:
            break
        links.append(link)
        if pos >= end:
            break
        if text[pos] != ",":
            findings.error(f"after a link, ',' or ';' and not {text[pos]!r}", offset=at(pos))
            break
        pos += 1
    return links, findings


def attribute_problem(name: str, value: str | None, quoted: bool) -> str:
    """Why a known attribute's value is not one it takes, "" when it is (or is unknown)."""
    rule = ATTRIBUTE_RULES.get(name)
    if rule is None:
        return ""
    if value is None:
        return f"the attribute {name} needs a value"
    pattern = rule[1] if quoted else rule[0]
    if pattern is None:
        return f"the attribute {name} takes no quotes"
    if not re.fullmatch(pattern, value):
        return f"{name}={value[:40]!r} is not a value {name} takes"
    return ""


def _quoted(text: str, pos: int) -> tuple[str | None, int]:
    """(the value, the position after it) of the quoted string at `pos`, (None, end) when it
    has no closing quote."""
    out: list[str] = []
    i = pos + 1
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if char == '"':
            return "".join(out), i + 1
        out.append(char)
        i += 1
    return None, len(text)


@dataclass
class AnnouncedObject:
    """An object a registration announces: its instances and the version it says (ver=)."""

    object_id: int
    version: str = ""
    instances: list[int] = field(default_factory=list)
    offset: int = 0


def registration(
    links: Sequence[Link], findings: Findings
) -> tuple[str, dict[int, AnnouncedObject]]:
    """(root path, {object_id: AnnouncedObject}) of a registration's links: the root is the
    target of the link with rt="oma.lwm2m" (default "/"), and each link under it names an
    object (/O) or an object instance (/O/I); a version is ver= (LwM2M 1.1) on either."""
    root = "/"
    for link in links:
        if link.attributes.get("rt") == "oma.lwm2m":
            root = link.target if link.target.endswith("/") else link.target + "/"
    objects: dict[int, AnnouncedObject] = {}
    for link in links:
        target = link.target
        if link.attributes.get("rt") == "oma.lwm2m" or target in ("/", root):
            continue
        if not target.startswith(root):
            findings.warning(f"{target[:60]!r} is not under the root path {root}", target,
                             link.offset)  # fmt: skip
            continue
        parts = target[len(root) :].strip("/").split("/")
        if not (1 <= len(parts) <= 2) or not all(p.isascii() and p.isdigit() and len(p) <= 5
                                                  for p in parts):  # fmt: skip
            findings.warning(
                f"{target[:60]!r} names no object (/O) or object instance (/O/I)",
                target,
                link.offset,
            )
            continue
        ids = [int(p) for p in parts]
        if any(i > MAX_ID for i in ids):
            findings.error(f"{target[:60]!r}: an ID is past {MAX_ID}", target, link.offset)
            continue
        entry = objects.setdefault(ids[0], AnnouncedObject(ids[0], offset=link.offset))
        if len(ids) == 2:
            if ids[1] in entry.instances:
                findings.warning(f"instance {target} twice", target, link.offset)
            else:
                entry.instances.append(ids[1])
        version = link.attributes.get("ver")
        if version is not None:
            try:
                major, minor = parse_version(version or "")
            except BadVersion:
                findings.error(f"ver={str(version)[:20]!r} is not a version like 1.1", target,
                               link.offset)  # fmt: skip
                continue
            spelled = f"{major}.{minor}"
            if entry.version and entry.version != spelled:
                findings.warning(
                    f"object {ids[0]} announced at versions {entry.version} and {spelled}",
                    target,
                    link.offset,
                )
            entry.version = entry.version or spelled
    return root, objects


def serialize(links: Iterable[Link]) -> str:
    """Links as link-format text; values that are not plain tokens are quoted."""
    parts = []
    for link in links:
        text = f"<{link.target}>"
        for name, value in link.attributes.items():
            if value is None:
                text += f";{name}"
            elif PTOKEN_RE.fullmatch(value) and "," not in value and ";" not in value:
                text += f";{name}={value}"
            else:
                escaped = value.replace("\\", "\\\\").replace('"', '\\"')
                text += f';{name}="{escaped}"'
        parts.append(text)
    return ",".join(parts)
