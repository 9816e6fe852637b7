"""A payload's values read against the registry's definitions, in plain Python: each value typed
by its resource, with the findings only the definitions can make (an unknown object or
resource, a value not of its resource's type or outside its RangeEnumeration, a write to a
resource that is not writable, mandatory resources missing from a whole instance). The models
come from objects/catalog/decode.py, which reads them from the database."""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, NotRequired, TypedDict, cast

from objects.lwm2m import link_format, ranges
from objects.lwm2m import values as lv
from objects.lwm2m.content_formats import ContentFormat
from objects.lwm2m.link_format import AnnouncedObject, Link, LinkJson
from objects.lwm2m.payload import FindingJson, Findings, IdPath, RawValue, path_text
from objects.lwm2m.registry_model import Models, ObjectModel, ResourceModel
from objects.lwm2m.tlv import Tlv

OPERATIONS = ("read", "write")
Operation = Literal["read", "write"]


class NodeJson(TypedDict):
    Path: str
    Name: str
    Type: str
    Value: lv.JsonScalar
    Units: str
    Time: NotRequired[float]


class DecodedJson(TypedDict):
    Format: str
    ContentFormat: int
    Links: NotRequired[list[LinkJson]]
    Nodes: NotRequired[list[NodeJson]]
    # Always there, last: NotRequired only because as_json adds it after Links or Nodes.
    Findings: NotRequired[list[FindingJson]]


@dataclass
class Node:
    path: IdPath
    value: lv.Value | None
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
    def resource_url(self) -> str:
        return f"{self.object_url}#resource-{self.path[2]}" if self.known_resource else ""

    @property
    def path_text(self) -> str:
        return path_text(self.path)

    @property
    def empty(self) -> bool:
        return self.value is None and not self.bad and len(self.path) == 3 and self.multiple

    @property
    def object_id(self) -> int:
        return self.path[0]

    @property
    def resource_id(self) -> int:
        return self.path[2]

    @property
    def resource_instance(self) -> int | None:
        return self.path[3] if len(self.path) == 4 else None

    @property
    def json_value(self) -> lv.JsonScalar:
        return lv.json_value(self.type, self.value)

    def as_json(self) -> NodeJson:
        data: NodeJson = {
            "Path": self.path_text,
            "Name": self.name,
            "Type": self.type,
            "Value": self.json_value,
            "Units": self.units,
        }
        if self.time is not None:
            data["Time"] = self.time  # SenML/JSON t and bt, as the payload says them
        return data


@dataclass
class DecodedPayload:
    format: ContentFormat
    detected: bool = False
    request: IdPath = ()
    nodes: list[Node] = field(default_factory=list)
    links: list[Link] | None = None
    # What a registration announces, each object with the version the registry reads it at.
    announced: list[tuple[AnnouncedObject, ObjectModel | None]] = field(default_factory=list)
    root: str = "/"
    findings: Findings = field(default_factory=Findings)
    models: Models = field(default_factory=dict)
    tlv_rows: list[tuple[int, Tlv]] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[IdPath, list[tuple[int, list[Node]]]]]:
        """Nodes by object instance, then resource: [(instance path, [(resource, [nodes])])]."""
        out: dict[IdPath, dict[int, list[Node]]] = {}
        for node in self.nodes:
            instance = out.setdefault(node.path[:2], {})
            instance.setdefault(node.path[2], []).append(node)
        return [(key, list(resources.items())) for key, resources in out.items()]

    def as_json(self) -> DecodedJson:
        data: DecodedJson = {
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


def type_values(
    result: DecodedPayload, raws: Iterable[RawValue], models: Models, operation: Operation
) -> DecodedPayload:
    """`result` (a DecodedPayload) with the decoded `raws` typed by `models` as its nodes, each
    checked against its resource; `operation` "read" or "write"."""
    findings, request = result.findings, result.request
    result.models = models
    warned: set[int | IdPath] = set()
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


def empty_answer(request: IdPath, models: Models, findings: Findings) -> None:
    """A payload with no value for a resource: an empty multiple resource, else an error."""
    model = models.get(request[0])
    resource = model.resources.get(request[2]) if model else None
    if len(request) == 4:
        findings.error(f"no value for the resource instance {path_text(request)}", request)
    elif resource is not None and not resource.multiple:
        findings.error(
            f"{resource.name} is a single resource: a payload without its value", request
        )


def typed(raw: RawValue, models: Models, findings: Findings, warned: set[int | IdPath]) -> Node:
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
            f"(and writes) it, {cast(int, value)}; read unsigned it would be {unsigned}",
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


def untyped(raw: RawValue, findings: Findings) -> tuple[str, lv.Value | None]:
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


def read_as(raw: RawValue, type_: str) -> lv.Read:
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


def range_problem(resource: ResourceModel, value: lv.Value | None) -> str:
    """Why `value` is outside the resource's RangeEnumeration, as the one range reader
    (objects/lwm2m/ranges.py) reads it; "" when it is inside or the text says no bounds."""
    if resource.type not in (*lv.NUMERIC, lv.STRING, lv.OPAQUE):
        return ""
    read = ranges.read(resource.range_enumeration, resource.type)
    return read.problem(value) if read else ""


def check(node: Node, models: Models, findings: Findings, operation: Operation) -> None:
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


def mandatory_present(result: DecodedPayload, models: Models, findings: Findings) -> None:
    """A whole instance read holds every mandatory readable resource of its object."""
    instances: dict[IdPath, set[int]] = {}
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
