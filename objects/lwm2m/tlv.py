"""OMA TLV, content format 11542 (OMA-TS-LightweightM2M_Core 1.1, section 7.4.3).

Each TLV is a type byte (bits 7-6: 00 Object Instance, 01 Resource Instance, 10 Multiple
Resource, 11 Resource with Value; bit 5: a 16-bit identifier; bits 4-3: the length in 0, 1, 2
or 3 further bytes, 0 meaning bits 2-0 hold it), the identifier, the length, then the value or
the nested TLVs. The value bytes carry no type: the resource's type (the registry's) says how
to read them, which objects/lwm2m/typed_payload.py does.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

from objects.lwm2m.payload import MAX_VALUES, Findings, IdPath, RawValue

OBJECT_INSTANCE, RESOURCE_INSTANCE, MULTIPLE_RESOURCE, RESOURCE = 0, 1, 2, 3
KIND_NAMES = {
    OBJECT_INSTANCE: "Object Instance",
    RESOURCE_INSTANCE: "Resource Instance",
    MULTIPLE_RESOURCE: "Multiple Resource",
    RESOURCE: "Resource with Value",
}
# An Object Instance holds Resources, which hold Resource Instances: three levels at most.
MAX_LEVELS = 3
# (path, value bytes) of a value to encode: see from_paths.
TlvEntry = tuple[IdPath, bytes]


@dataclass
class Tlv:
    kind: int
    identifier: int
    value: bytes | None = None
    children: list["Tlv"] = field(default_factory=list)
    offset: int = 0  # of its type byte
    value_offset: int = 0

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]

    @property
    def length(self) -> int | None:
        return len(self.value) if self.value is not None else None

    @property
    def value_hex(self) -> str:
        return (
            self.value[:64].hex(" ") + (" …" if len(self.value) > 64 else "") if self.value else ""
        )


class _Stop(Exception):
    pass


def decode(data: bytes, max_nodes: int = MAX_VALUES) -> tuple[list[Tlv], Findings]:
    """(the TLVs, findings). A malformed TLV is an error finding at its offset, and the decode
    stops there: what came before it is kept."""
    findings = Findings()
    count = [0]
    try:
        tlvs = _decode_range(memoryview(bytes(data)), 0, len(data), 1, findings, count, max_nodes)
    except _Stop as stop:
        tlvs = stop.args[0] if stop.args else []
    return tlvs, findings


def _decode_range(
    data: memoryview,
    start: int,
    end: int,
    level: int,
    findings: Findings,
    count: list[int],
    max_nodes: int,
) -> list[Tlv]:
    tlvs: list[Tlv] = []
    pos = start
    while pos < end:
        offset = pos
        count[0] += 1
        if count[0] > max_nodes:
            findings.error(f"more than {max_nodes} TLVs: the decode stops here", offset=offset)
            raise _Stop(tlvs)
        type_byte = data[pos]
        pos += 1
        kind = type_byte >> 6
        id_size = 2 if type_byte & 0b0010_0000 else 1
        length_size = (type_byte >> 3) & 0b11
        if pos + id_size > end:
            findings.error(
                f"truncated TLV: its identifier needs {id_size} byte(s), {end - pos} left",
                offset=offset,
            )
            raise _Stop(tlvs)
        identifier = int.from_bytes(data[pos : pos + id_size], "big")
        pos += id_size
        if length_size == 0:
            length = type_byte & 0b111
        else:
            if pos + length_size > end:
                findings.error(
                    f"truncated TLV: its length needs {length_size} byte(s), {end - pos} left",
                    offset=offset,
                )
                raise _Stop(tlvs)
            length = int.from_bytes(data[pos : pos + length_size], "big")
            pos += length_size
            if length_size and type_byte & 0b111:
                findings.warning(
                    "the type byte's bits 2-0 should be 0 when the length has its own field",
                    offset=offset,
                )
        if pos + length > end:
            findings.error(
                f"{KIND_NAMES[kind]} {identifier}: its length {length} goes past the end of "
                f"its container by {pos + length - end} byte(s)",
                offset=offset,
            )
            raise _Stop(tlvs)
        tlv = Tlv(kind, identifier, offset=offset, value_offset=pos)
        if kind in (RESOURCE, RESOURCE_INSTANCE):
            tlv.value = bytes(data[pos : pos + length])
        else:
            if level >= MAX_LEVELS:
                findings.error(
                    f"{KIND_NAMES[kind]} nested {level + 1} levels deep: TLV has 3 at most",
                    offset=offset,
                )
                raise _Stop(tlvs)
            try:
                tlv.children = _decode_range(
                    data, pos, pos + length, level + 1, findings, count, max_nodes
                )
            except _Stop as stop:
                tlv.children = stop.args[0] if stop.args else []
                tlvs.append(tlv)
                raise _Stop(tlvs) from None
        tlvs.append(tlv)
        pos += length
    return tlvs


def encode(tlvs: Iterable[Tlv]) -> bytes:
    """TLVs as bytes: the shortest identifier and length fields, as Leshan writes them."""
    out = bytearray()
    for tlv in tlvs:
        # A value to encode has its bytes (from_paths): None is only a decoded one's.
        body = (
            cast(bytes, tlv.value)
            if tlv.kind in (RESOURCE, RESOURCE_INSTANCE)
            else encode(tlv.children)
        )
        length = len(body)
        if length >= 1 << 24:
            raise ValueError("a TLV value is at most 16 MiB")
        type_byte = tlv.kind << 6
        wide = tlv.identifier > 0xFF  # an identifier up to 255 takes one byte
        if wide:
            type_byte |= 0b0010_0000
        if length < 8:
            type_byte |= length
            length_bytes = b""
        elif length < 1 << 8:
            type_byte |= 0b0000_1000
            length_bytes = length.to_bytes(1, "big")
        elif length < 1 << 16:
            type_byte |= 0b0001_0000
            length_bytes = length.to_bytes(2, "big")
        else:
            type_byte |= 0b0001_1000
            length_bytes = length.to_bytes(3, "big")
        out.append(type_byte)
        out += tlv.identifier.to_bytes(2 if wide else 1, "big")
        out += length_bytes
        out += body
    return bytes(out)


def rows(tlvs: list[Tlv], depth: int = 0, limit: int = 2000) -> list[tuple[int, Tlv]]:
    """The TLV tree as rows for a table, depth first: (depth, TLV), at most `limit`."""
    out: list[tuple[int, Tlv]] = []
    stack = [(depth, t) for t in reversed(tlvs)]
    while stack and len(out) < limit:
        level, node = stack.pop()
        out.append((level, node))
        stack.extend((level + 1, child) for child in reversed(node.children))
    return out


# --- From TLVs to the values of a request path ----------------------------------------------


def values(tlvs: list[Tlv], request: IdPath, findings: Findings) -> list[RawValue]:
    """The resource values the TLVs hold for a request on `request` (a path tuple), as Leshan's
    node decoder reads them: an object's answer is Object Instance TLVs (or the Resources of
    instance 0), an instance's its Resources, a resource's one Resource or its Resource
    Instances, a resource instance's one Resource Instance."""
    out: list[RawValue] = []
    depth = len(request)
    if depth == 0:
        findings.error("TLV needs the request path (at least the object, as in /3303)")
        return out
    if depth == 1:
        if tlvs and tlvs[0].kind in (RESOURCE, MULTIPLE_RESOURCE):
            _instance(tlvs, (request[0], 0), out, findings)
            findings.warning(
                "Resources at the top of an object's answer: read as instance 0", request
            )
            return out
        seen = set()
        for tlv in tlvs:
            if tlv.kind != OBJECT_INSTANCE:
                findings.error(
                    f"expected an Object Instance TLV, found a {tlv.kind_name}",
                    request,
                    tlv.offset,
                )
                continue
            if tlv.identifier in seen:
                findings.error(f"Object Instance {tlv.identifier} twice", request, tlv.offset)
            seen.add(tlv.identifier)
            _instance(tlv.children, (request[0], tlv.identifier), out, findings)
        return out
    if depth == 2:
        if len(tlvs) == 1 and tlvs[0].kind == OBJECT_INSTANCE:
            if tlvs[0].identifier != request[1]:
                findings.error(
                    f"Object Instance {tlvs[0].identifier} in the answer to {fmt(request)}",
                    request,
                    tlvs[0].offset,
                )
            tlvs = tlvs[0].children
        _instance(tlvs, request[:2], out, findings)
        return out
    if len(tlvs) == 1 and tlvs[0].kind == OBJECT_INSTANCE:
        if tlvs[0].identifier != request[1]:
            findings.error(
                f"Object Instance {tlvs[0].identifier} in the answer to {fmt(request)}",
                request,
                tlvs[0].offset,
            )
        tlvs = tlvs[0].children
    if depth == 3:
        if len(tlvs) == 1 and tlvs[0].kind in (RESOURCE, MULTIPLE_RESOURCE):
            if tlvs[0].identifier != request[2]:
                findings.error(
                    f"Resource {tlvs[0].identifier} in the answer to {fmt(request)}",
                    request,
                    tlvs[0].offset,
                )
            _resource(tlvs[0], request[:2], out, findings)
        elif not tlvs:
            # Nothing: an empty Multiple Resource, or for a single resource an error (the
            # registry says which).
            out.append(RawValue(request[:3], "bytes", None, 0, multiple=True))
        else:
            _resource_instances(tlvs, request[:3], out, findings)
        return out
    if len(tlvs) != 1:
        findings.error(
            f"the answer to a resource instance is one Resource Instance TLV, not {len(tlvs)}",
            request,
        )
    for tlv in tlvs[:1]:
        if tlv.kind != RESOURCE_INSTANCE:
            findings.error(
                f"expected a Resource Instance TLV, found a {tlv.kind_name}", request, tlv.offset
            )
        elif tlv.identifier != request[3]:
            findings.error(
                f"Resource Instance {tlv.identifier} in the answer to {fmt(request)}",
                request,
                tlv.offset,
            )
        else:
            out.append(RawValue(request, "bytes", tlv.value, tlv.value_offset, multiple=True))
    return out


def fmt(path: Sequence[int]) -> str:
    return "/" + "/".join(map(str, path))


def _instance(
    tlvs: list[Tlv], instance_path: IdPath, out: list[RawValue], findings: Findings
) -> None:
    seen = set()
    for tlv in tlvs:
        if tlv.kind not in (RESOURCE, MULTIPLE_RESOURCE):
            findings.error(
                f"expected a Resource TLV in an object instance, found a {tlv.kind_name}",
                (*instance_path, tlv.identifier),
                tlv.offset,
            )
            continue
        if tlv.identifier in seen:
            findings.error(
                f"Resource {tlv.identifier} twice in one instance",
                (*instance_path, tlv.identifier),
                tlv.offset,
            )
        seen.add(tlv.identifier)
        _resource(tlv, instance_path, out, findings)


def _resource(tlv: Tlv, instance_path: IdPath, out: list[RawValue], findings: Findings) -> None:
    path = (*instance_path, tlv.identifier)
    if tlv.kind == RESOURCE:
        out.append(RawValue(path, "bytes", tlv.value, tlv.value_offset, multiple=False))
    else:
        _resource_instances(tlv.children, path, out, findings, in_multiple=True)
        if not tlv.children:
            out.append(RawValue(path, "bytes", None, tlv.offset, multiple=True))


def _resource_instances(
    tlvs: list[Tlv],
    path: IdPath,
    out: list[RawValue],
    findings: Findings,
    in_multiple: bool = False,
) -> None:
    seen = set()
    for tlv in tlvs:
        if tlv.kind != RESOURCE_INSTANCE:
            findings.error(
                f"expected a Resource Instance TLV, found a {tlv.kind_name}",
                (*path, tlv.identifier),
                tlv.offset,
            )
            continue
        if tlv.identifier in seen:
            findings.error(
                f"Resource Instance {tlv.identifier} twice", (*path, tlv.identifier), tlv.offset
            )
        seen.add(tlv.identifier)
        out.append(
            RawValue((*path, tlv.identifier), "bytes", tlv.value, tlv.value_offset, multiple=True)
        )


def from_paths(entries: Iterable[TlvEntry]) -> list[Tlv]:
    """TLVs for (path, value bytes) entries under one request: Object Instances around
    Resources around Resource Instances, in the order given. A path of four IDs is a Resource
    Instance, which makes its resource a Multiple Resource."""
    instances: dict[int, dict[int, Tlv]] = {}
    for path, data in entries:
        if len(path) < 3:
            raise ValueError(f"{fmt(path)} is not a resource path")
        instance = instances.setdefault(path[1], {})
        if len(path) == 3:
            instance[path[2]] = Tlv(RESOURCE, path[2], value=data)
        else:
            holder = instance.get(path[2])
            if holder is None or holder.kind != MULTIPLE_RESOURCE:
                holder = instance[path[2]] = Tlv(MULTIPLE_RESOURCE, path[2])
            holder.children.append(Tlv(RESOURCE_INSTANCE, path[3], value=data))
    return [
        Tlv(OBJECT_INSTANCE, iid, children=list(resources.values()))
        for iid, resources in instances.items()
    ]


def encode_for(request: Sequence[int], entries: Iterable[TlvEntry]) -> bytes:
    """The TLV payload that answers (or writes) `request` with these values: the Object
    Instances for an object, the Resources for an instance, the Resource (or its Resource
    Instances) for a resource, the Resource Instance for a resource instance."""
    tlvs = from_paths(entries)
    if len(request) >= 2:
        tlvs = [t for t in tlvs if t.identifier == request[1]]
        tlvs = tlvs[0].children if tlvs else []
    if len(request) >= 3:
        tlvs = [t for t in tlvs if t.identifier == request[2]]
    if len(request) == 4:
        tlvs = [c for t in tlvs for c in t.children if c.identifier == request[3]]
    return encode(tlvs)
