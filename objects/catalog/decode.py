"""A payload decoded against the registry: each value with its resource's name, type and units,
read by that type, and the findings only the registry can make (an unknown object or resource,
a value not of its resource's type or outside its RangeEnumeration, a write to a resource that is
not writable, mandatory resources missing from a whole instance). The codecs themselves, which
know nothing of the registry, are in objects/lwm2m/.
"""

import base64
import math
import re
from dataclasses import dataclass, field
from itertools import pairwise

import cbor2
from django.urls import reverse

from objects.lwm2m import content_formats, device, link_format, lwm2m_json, ranges, senml, tlv
from objects.lwm2m import values as lv
from objects.lwm2m.payload import MAX_VALUES, Findings, parse_name_path, path_text
from objects.lwm2m.versions import BadVersion, parse_version
from objects.models import ObjectVersion, Resource

OPERATIONS = ("read", "write")
MAX_OBJECTS = 200
VERSION_PAIR_RE = re.compile(r"([0-9]{1,5})\s*[=@:]\s*([0-9]{1,6}\.[0-9]{1,6})")


@dataclass
class ResourceModel:
    resource_id: int
    name: str
    type: str
    units: str
    operations: str
    multiple: bool
    mandatory: bool
    range_enumeration: str


@dataclass
class ObjectModel:
    object_id: int
    ver: str
    name: str
    is_latest: bool
    resources: dict

    @property
    def url(self):
        if self.is_latest:
            return reverse("objects:object", args=[self.object_id])
        return reverse("objects:version", args=[self.object_id, self.ver])


def parse_versions(text, findings):
    """{object_id: "1.1"} from `3=1.1, 3303=1.0` (or @ or :), or from a registration's links
    (`</3>;ver=1.1,</3303/0>`)."""
    text = (text or "").strip()[:4000]
    if not text:
        return {}
    if "<" in text:
        # A registration as pasted (its request line too): the versions in force, ver= or the
        # default for its LwM2M version (objects/lwm2m/device.py).
        try:
            reading = device.read(text)
        except device.BadDevice:
            return {}
        return {a.object_id: a.version for a in reading.objects}
    pairs = VERSION_PAIR_RE.findall(text)
    if not pairs:
        findings.warning(f"versions {text[:40]!r} name none: write them as 3=1.1, 3303=1.0")
    out = {}
    for oid, ver in pairs:
        try:
            major, minor = parse_version(ver)
        except BadVersion:
            continue
        out[int(oid)] = f"{major}.{minor}"
    return out


def load_models(object_ids, versions, findings):
    """{object_id: ObjectModel}: the version `versions` names, else the latest, with its
    resources; an ObjectID the registry does not have is left out (with a warning)."""
    ids = sorted(set(object_ids))[:MAX_OBJECTS]
    rows = list(
        ObjectVersion.objects.filter(object_id__in=ids).only(
            "object_id", "ver", "ver_major", "ver_minor", "is_latest", "name", "status"
        )
    )
    chosen = {}
    for oid in ids:
        mine = [r for r in rows if r.object_id == oid]
        if not mine:
            continue
        wanted = versions.get(oid)
        pick = next((r for r in mine if wanted and r.ver == wanted), None)
        if wanted and pick is None:
            latest = next((r for r in mine if r.is_latest), mine[0])
            findings.warning(
                f"object {oid} has no version {wanted} in the registry: read with its version "
                f"{latest.ver}",
                (oid,),
            )
            pick = latest
        if pick is None:
            # The latest version, unless its definition could not be had (no resources): then
            # the newest one that could.
            newest_first = sorted(mine, key=lambda r: (r.is_latest, r.ver_major, r.ver_minor))
            usable = [r for r in newest_first if r.status == ObjectVersion.OK]
            pick = (usable or newest_first)[-1]
        chosen[oid] = pick
    models = {
        oid: ObjectModel(oid, row.ver, row.name, row.is_latest, {}) for oid, row in chosen.items()
    }
    by_pk = {row.pk: models[row.object_id] for row in chosen.values()}
    for res in Resource.objects.filter(object_version__in=list(by_pk)).only(
        "object_version_id", "resource_id", "name", "operations", "multiple_instances",
        "mandatory", "type", "range_enumeration", "units",
    ):  # fmt: skip
        by_pk[res.object_version_id].resources[res.resource_id] = ResourceModel(
            res.resource_id,
            res.name,
            lv.canonical_type(res.type),
            res.units,
            (res.operations or "").upper(),
            (res.multiple_instances or "").strip().lower() == "multiple",
            (res.mandatory or "").strip().lower() == "mandatory",
            res.range_enumeration,
        )
    return models


@dataclass
class Node:
    path: tuple
    value: object
    type: str = ""
    name: str = ""
    units: str = ""
    object_name: str = ""
    ver: str = ""
    offset: int | None = None
    multiple: bool = False
    known_object: bool = False
    known_resource: bool = False
    time: float | None = None
    bad: bool = False
    object_url: str = ""

    @property
    def resource_url(self):
        return f"{self.object_url}#resource-{self.path[2]}" if self.known_resource else ""

    @property
    def path_text(self):
        return path_text(self.path)

    @property
    def empty(self):
        return self.value is None and not self.bad and len(self.path) == 3 and self.multiple

    @property
    def object_id(self):
        return self.path[0]

    @property
    def resource_id(self):
        return self.path[2]

    @property
    def resource_instance(self):
        return self.path[3] if len(self.path) == 4 else None

    @property
    def json_value(self):
        return lv.json_value(self.type, self.value)

    def as_json(self):
        data = {
            "Path": self.path_text,
            "Name": self.name,
            "Type": self.type,
            "Value": self.json_value,
            "Units": self.units,
        }
        if self.time is not None:
            data["Time"] = self.time  # SenML/JSON t and bt, as the payload says them
        return data

    # For the page.
    @property
    def shown(self):
        if self.value is None:
            return ""
        if isinstance(self.value, bytes):
            return self.value.hex()
        if self.type == lv.BOOLEAN:
            return "true" if self.value else "false"
        return str(self.json_value)

    @property
    def iso(self):
        return lv.iso_time(self.value) if self.type == lv.TIME and self.value is not None else ""

    @property
    def opaque_text(self):
        return lv.printable_text(self.value) if isinstance(self.value, bytes) else ""


@dataclass
class DecodedPayload:
    format: object
    detected: bool = False
    request: tuple = ()
    nodes: list = field(default_factory=list)
    links: list | None = None
    announced: list = field(default_factory=list)
    root: str = "/"
    findings: Findings = field(default_factory=Findings)
    models: dict = field(default_factory=dict)
    tlv_rows: list = field(default_factory=list)

    @property
    def groups(self):
        """Nodes by object instance, then resource: [(instance path, [(resource, [nodes])])]."""
        out = {}
        for node in self.nodes:
            instance = out.setdefault(node.path[:2], {})
            instance.setdefault(node.path[2], []).append(node)
        return [(key, list(resources.items())) for key, resources in out.items()]

    def as_json(self):
        data = {
            "Format": self.format.name,
            "ContentFormat": self.format.number,
        }
        if self.links is not None:
            data["Links"] = [link.as_json() for link in self.links]
        else:
            # An empty multiple resource is shown on the page, but has no value to answer.
            data["Nodes"] = [node.as_json() for node in self.nodes if not node.empty]
        data["Findings"] = [finding.as_json() for finding in self.findings]
        return data


def decode(fmt, data, request=(), versions=None, operation="read", detected=False):
    """The DecodedPayload of decoding `data` (bytes) as `fmt` (a ContentFormat) for a request on
    `request` (a path tuple); `versions` {object_id: "1.1"} chooses object versions."""
    raws, links, findings = content_formats.decode(fmt, data, request)
    result = DecodedPayload(fmt, detected, request, findings=findings)
    if fmt.name == "tlv" and len(data) <= content_formats.MAX_PAYLOAD:
        result.tlv_rows = tlv.rows(tlv.decode(data)[0])
    versions = versions or {}
    if links is not None:
        result.links = links
        registration(result, versions)
        return result
    models = load_models([raw.path[0] for raw in raws] + list(request[:1]), versions, findings)
    result.models = models
    warned = set()
    for raw in raws:
        node = typed(raw, models, findings, warned)
        check(node, models, findings, operation)
        result.nodes.append(node)
    if operation == "read" and 1 <= len(request) <= 2 and not findings.has_errors:
        mandatory_present(result, models, findings)
    if len(request) >= 3 and not result.nodes and not findings.has_errors:
        empty_answer(request, models, findings)
    # In payload order: what is found at an offset where it is, the rest after.
    findings.sort(key=lambda f: (f.offset is None, f.offset or 0))
    return result


def empty_answer(request, models, findings):
    """A payload with no value for a resource: an empty multiple resource, else an error."""
    model = models.get(request[0])
    resource = model.resources.get(request[2]) if model else None
    if len(request) == 4:
        findings.error(f"no value for the resource instance {path_text(request)}", request)
    elif resource is not None and not resource.multiple:
        findings.error(
            f"{resource.name} is a single resource: a payload without its value", request
        )


def registration(result, versions):
    """The objects a registration announces, each with the registry's name and its version."""
    findings = result.findings
    links = result.links
    if device.links_kind(links) in ("discover", "bootstrap-discover"):
        # A Discover answer lists resources too: the objects are its /O and /O/I links.
        links = [lk for lk in links if lk.target.strip("/").count("/") < 2]
    result.root, announced = link_format.registration(links, findings)
    wanted = {oid: a.version for oid, a in announced.items() if a.version}
    wanted.update(versions)
    models = load_models(list(announced), wanted, Findings())
    result.models = models
    for oid, entry in sorted(announced.items()):
        model = models.get(oid)
        if model is None:
            findings.warning(f"object {oid} is not in the registry", (oid,), entry.offset)
        elif entry.version and entry.version != model.ver:
            findings.warning(
                f"object {oid} announced at version {entry.version}, which the registry does "
                f"not have (its versions are read with {model.ver})",
                (oid,),
                entry.offset,
            )
        result.announced.append((entry, model))


def typed(raw, models, findings, warned):
    """A RawValue read by its resource's type, into a Node."""
    path = raw.path
    model = models.get(path[0])
    resource = model.resources.get(path[2]) if model else None
    node = Node(path, None, offset=raw.offset, time=raw.time)
    node.multiple = len(path) == 4 or bool(raw.multiple)
    if model is None:
        if path[0] not in warned:
            warned.add(path[0])
            findings.warning(
                f"object {path[0]} is not in the registry: its values are read without types",
                (path[0],),
                raw.offset,
            )
    else:
        node.known_object = True
        node.object_name, node.ver = model.name, model.ver
        node.object_url = model.url
        if resource is None and path[:3] not in warned:
            warned.add(path[:3])
            findings.warning(
                f"resource {path[2]} is not defined by object {path[0]} ({model.name}, "
                f"version {model.ver})",
                path,
                raw.offset,
            )
    if raw.value is None and raw.kind == "bytes":
        # An empty Multiple Resource.
        if resource:
            node.known_resource = True
            node.name, node.type, node.units = resource.name, resource.type, resource.units
            if not resource.multiple:
                node.bad = True
                findings.error(
                    f"{resource.name} is a single resource: a payload without its value",
                    path,
                    raw.offset,
                )
        return node
    if resource is None:
        node.type, node.value = untyped(raw, findings)
        return node
    node.known_resource = True
    node.name, node.units = resource.name, resource.units
    node.type = resource.type
    if not resource.type:
        node.type, node.value = untyped(raw, findings)
        node.bad = True
        findings.error(
            f"resource {path[2]} ({resource.name}) is executable: it has no value", path, raw.offset
        )
        return node
    value, problem = read_as(raw, resource.type)
    if problem:
        node.bad = True
        findings.error(
            f"not a value of {resource.name} ({resource.type}): {problem}", path, raw.offset
        )
        _, node.value = untyped(raw, Findings())
        return node
    node.value = value
    if raw.kind == "bytes" and resource.type in (lv.INTEGER, lv.TIME) and len(raw.value) in (
        3, 5, 6, 7,
    ):  # fmt: skip
        findings.warning(f"{resource.type} in {len(raw.value)} bytes: TLV allows 1, 2, 4 or 8",
                         path, raw.offset)  # fmt: skip
    if raw.kind == "bytes" and lv.leshan_sign_extended(resource.type, raw.value):
        unsigned = int.from_bytes(raw.value, "big")
        findings.warning(
            f"{len(raw.value)}-byte Unsigned Integer with its high bit set: read as Leshan reads "
            f"(and writes) it, {value}; read unsigned it would be {unsigned}",
            path,
            raw.offset,
        )
    if resource.type == lv.CORELNK and isinstance(value, str):
        scratch = Findings()
        link_format.parse(value.encode("utf-8"), scratch)
        for finding in scratch:
            if finding.severity == "error":
                node.bad = True
                findings.error(f"not a CoRE link: {finding.message}", path, raw.offset)
                break
    return node


def untyped(raw, findings):
    """(type, value) of a value whose resource the registry does not define: as the format
    says it (TLV bytes are Opaque)."""
    kind, value = raw.kind, raw.value
    if kind in ("bytes", "opaque"):
        return lv.OPAQUE, bytes(value)
    if kind == "boolean":
        return lv.BOOLEAN, value
    if kind == "number":
        return (lv.FLOAT if isinstance(value, float) else lv.INTEGER), value
    if kind == "objlnk":
        link, problem = lv.parse_objlnk(value)
        return (lv.OBJLNK, link) if not problem else (lv.STRING, value)
    if kind == "time":
        return lv.TIME, value if isinstance(value, int) else None
    if kind in ("string", "text"):
        return lv.STRING, value
    return "", None


def read_as(raw, type_):
    """(value, problem) of a RawValue read as `type_`."""
    kind, value = raw.kind, raw.value
    if kind == "bytes":
        return lv.from_tlv(type_, value)
    if kind == "text":
        return lv.from_text(type_, value)
    if kind == "number":
        if type_ not in lv.NUMERIC:
            return None, f"a number ({value!r}) for a {type_}"
        return lv.from_number(type_, value)
    if kind == "boolean":
        if type_ != lv.BOOLEAN:
            return None, f"a boolean for a {type_}"
        return value, None
    if kind == "opaque":
        if type_ != lv.OPAQUE:
            return None, f"opaque bytes for a {type_}"
        return bytes(value), None
    if kind == "objlnk":
        if type_ != lv.OBJLNK:
            return None, f"an object link for a {type_}"
        return lv.parse_objlnk(value)
    if kind == "time":
        if type_ != lv.TIME:
            return None, f"a CBOR time for a {type_}"
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return None, "a CBOR time is a number of seconds or a date text"
        if isinstance(value, str):
            return lv.from_date_text(value)
        if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
            return None, f"{value!r} is no whole number of seconds"
        return lv.check_int_range(lv.TIME, int(value))
    if kind == "string":
        if type_ in (lv.STRING, lv.CORELNK):
            return value, None
        if type_ == lv.OPAQUE and raw.extra.get("base64"):
            return lv.from_base64(value)
        if type_ == lv.OBJLNK and raw.extra.get("base64"):
            return lv.parse_objlnk(value)
        if type_ == lv.OBJLNK and raw.extra.get("cbor"):
            return lv.parse_objlnk(value)
        return None, f"a string for a {type_}"
    return None, f"no value of type {type_} ({kind})"


def range_problem(resource, value):
    """Why `value` is outside the resource's RangeEnumeration, as the one range reader
    (objects/lwm2m/ranges.py) reads it; "" when it is inside or the text says no bounds."""
    if resource.type not in (*lv.NUMERIC, lv.STRING, lv.OPAQUE):
        return ""
    read = ranges.read(resource.range_enumeration, resource.type)
    return read.problem(value) if read else ""


def check(node, models, findings, operation):
    """The registry's checks of one decoded value."""
    model = models.get(node.path[0])
    resource = model.resources.get(node.path[2]) if model else None
    if resource is None:
        return
    if len(node.path) == 4 and not resource.multiple:
        findings.error(
            f"{resource.name} is a single resource: it has no instance {node.path[3]}",
            node.path,
            node.offset,
        )
    if not node.bad:
        problem = range_problem(resource, node.value)
        if problem:
            findings.warning(
                f"{resource.name}: {problem} (its RangeEnumeration)", node.path, node.offset
            )
    if (
        operation == "read"
        and resource.type
        and resource.operations
        and ("R" not in resource.operations)
    ):
        findings.warning(
            f"{resource.name} is not readable (operations {resource.operations}): no read "
            "answer holds it",
            node.path,
            node.offset,
        )
    if operation == "write" and "W" not in resource.operations:
        findings.error(
            f"{resource.name} is not writable (operations {resource.operations or 'none'})",
            node.path,
            node.offset,
        )


def mandatory_present(result, models, findings):
    """A whole instance read holds every mandatory readable resource of its object."""
    instances = {}
    for node in result.nodes:
        instances.setdefault(node.path[:2], set()).add(node.path[2])
    if len(result.request) == 2:
        instances.setdefault(tuple(result.request), set())
    for (oid, iid), present in sorted(instances.items()):
        model = models.get(oid)
        if model is None:
            continue
        missing = [
            r
            for rid, r in sorted(model.resources.items())
            if r.mandatory and "R" in r.operations and rid not in present
        ]
        for r in missing:
            findings.warning(
                f"mandatory resource {r.resource_id} ({r.name}) is missing from instance {iid}",
                (oid, iid, r.resource_id),
            )


# --- Encoding ---------------------------------------------------------------------------------


class EncodeError(ValueError):
    pass


def json_to_value(type_, value):
    """(value, problem) of a JSON value for a resource of `type_`: Opaque as hex, Objlnk as
    "O:I", Time as epoch seconds."""
    if type_ == lv.FLOAT and isinstance(value, str) and value in lv.JAVA_SPECIALS:
        return lv.JAVA_SPECIALS[value], None  # as a decode answers them
    if type_ in lv.NUMERIC:
        return lv.from_number(type_, value)
    if type_ == lv.BOOLEAN:
        return (value, None) if isinstance(value, bool) else (None, "Boolean is true or false")
    if type_ == lv.OBJLNK:
        return lv.parse_objlnk(value) if isinstance(value, str) else (None, 'Objlnk is "O:I"')
    if type_ == lv.OPAQUE:
        if not isinstance(value, str):
            return None, "Opaque is written in hex"
        try:
            return bytes.fromhex(value.replace(" ", "")), None
        except ValueError:
            return None, "Opaque is written in hex"
    if type_ in (lv.STRING, lv.CORELNK):
        return (value, None) if isinstance(value, str) else (None, f"{type_} is a string")
    return None, f"no value of type {type_ or 'none (executable)'}"


def guess_type(value):
    if isinstance(value, bool):
        return lv.BOOLEAN
    if isinstance(value, int):
        return lv.INTEGER
    if isinstance(value, float):
        return lv.FLOAT
    return lv.STRING


SENML_KEYS = {
    lv.INTEGER: "v", lv.UNSIGNED: "v", lv.FLOAT: "v", lv.TIME: "v", lv.BOOLEAN: "vb",
    lv.STRING: "vs", lv.CORELNK: "vs", lv.OPAQUE: "vd", lv.OBJLNK: "vlo",
}  # fmt: skip
JSON_KEYS = {
    lv.INTEGER: "v", lv.UNSIGNED: "v", lv.FLOAT: "v", lv.TIME: "v", lv.BOOLEAN: "bv",
    lv.STRING: "sv", lv.CORELNK: "sv", lv.OPAQUE: "sv", lv.OBJLNK: "ov",
}  # fmt: skip


def common_request(paths):
    """The deepest object instance (or object) every path is under."""
    first = paths[0]
    for depth in (2, 1):
        if all(p[:depth] == first[:depth] for p in paths):
            return first[:depth]
    return ()


def refuse_overlaps(paths):
    """EncodeError for a path given twice (/3/0/1 and 3/0/1) or a resource given both as one
    value and as instances (/3/0/7 and /3/0/7/0): a payload holds one of them, and writing
    one would drop the other unsaid. `paths` sorted, so a resource comes before its instances."""
    for before, path in pairwise(paths):
        if path == before:
            raise EncodeError(f"{path_text(path)} twice: a payload holds one value per path")
        if len(before) == 3 and path[:3] == before:
            raise EncodeError(
                f"{path_text(before)} and {path_text(path)}: a resource is one value or its "
                "instances, not both"
            )


def encode(fmt, request, values, versions, findings):
    """{"Format", "ContentFormat", "PayloadHex", "PayloadBase64", "Findings"} for a JSON of
    values {"/3303/0/5700": 23.5} encoded in `fmt` for a request on `request`."""
    if fmt.name == "link":
        raise EncodeError("the link format holds links, not values")
    if len(values) > MAX_VALUES:
        raise EncodeError(f"at most {MAX_VALUES} values")
    parsed = []
    for key, value in values.items():
        path = parse_name_path(key if key.startswith("/") else "/" + key)
        if path is None or len(path) < 3:
            raise EncodeError(f"{key[:40]!r} is not a resource path (/O/I/R or /O/I/R/RI)")
        if request and path[: len(request)] != tuple(request):
            raise EncodeError(f"{key[:40]} is not under the request path {path_text(request)}")
        parsed.append((path, value))
    parsed.sort(key=lambda pv: pv[0])
    refuse_overlaps([p for p, _ in parsed])
    if not request:
        request = common_request([p for p, _ in parsed])
    models = load_models([p[0] for p, _ in parsed], versions, findings)
    typed_values = []
    warned = set()
    for path, value in parsed:
        model = models.get(path[0])
        resource = model.resources.get(path[2]) if model else None
        if resource is None or not resource.type:
            type_ = guess_type(value)
            if resource is None and path[:3] not in warned:
                warned.add(path[:3])
                findings.warning(
                    f"resource {path_text(path[:3])} is not in the registry: written as {type_}",
                    path,
                )
            elif resource is not None:
                raise EncodeError(f"{path_text(path)} ({resource.name}) is executable: no value")
        else:
            type_ = resource.type
            if len(path) == 4 and not resource.multiple:
                findings.error(f"{resource.name} is a single resource: no instance {path[3]}", path)
        typed_value, problem = json_to_value(type_, value)
        if problem:
            raise EncodeError(f"{path_text(path)}: {problem}")
        if (
            fmt.name in ("senml-json", "lwm2m-json")
            and isinstance(typed_value, float)
            and not math.isfinite(typed_value)
        ):
            raise EncodeError(
                f"{path_text(path)}: {lv.java_special(typed_value)} is no JSON number, so "
                f"{fmt.title} cannot hold it (TLV, SenML CBOR, CBOR and plain text can)"
            )
        typed_values.append((path, type_, typed_value))
    if fmt.name == "tlv":
        if not request:
            raise EncodeError("TLV needs one object: give the request path")
        entries = [(p, lv.to_tlv(t, v), len(p) == 4) for p, t, v in typed_values]
        payload = tlv.encode_for(request, entries)
    elif fmt.name in ("senml-json", "senml-cbor"):
        entries = []
        for p, t, v in typed_values:
            if t == lv.OBJLNK:
                v = f"{v[0]}:{v[1]}"
            entries.append((p, SENML_KEYS[t], v))
        coder = senml.encode_json if fmt.name == "senml-json" else senml.encode_cbor
        payload = coder(request, entries)
    elif fmt.name == "lwm2m-json":
        entries = []
        for p, t, v in typed_values:
            if t == lv.OBJLNK:
                v = f"{v[0]}:{v[1]}"
            entries.append((p, JSON_KEYS[t], v))
        payload = lwm2m_json.encode(request, entries)
    else:
        if len(typed_values) != 1:
            raise EncodeError(f"{fmt.title} holds one value, not {len(typed_values)}")
        path, t, v = typed_values[0]
        if fmt.name == "text":
            payload = lv.to_text(t, v).encode("utf-8")
        elif fmt.name == "opaque":
            if t != lv.OPAQUE:
                raise EncodeError(f"the opaque format holds an Opaque value, not a {t}")
            payload = v
        else:
            if t == lv.TIME:
                item = cbor2.CBORTag(1, v)
            elif t == lv.OBJLNK:
                item = f"{v[0]}:{v[1]}"
            elif t == lv.FLOAT:
                item = float(v)
            else:
                item = v
            payload = cbor2.dumps(item)
    return {
        "Format": fmt.name,
        "ContentFormat": fmt.number,
        "Path": path_text(request) if request else "/",
        "PayloadHex": payload.hex(),
        "PayloadBase64": base64.b64encode(payload).decode("ascii"),
        "Findings": [f.as_json() for f in findings],
    }
