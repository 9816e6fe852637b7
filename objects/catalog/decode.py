"""A payload decoded against the registry: the object versions it names read from the database
(load_models), then typed and checked by their definitions (objects/lwm2m/typed_payload.py) or,
for values to write, encoded (objects/lwm2m/encoding.py). The codecs themselves, which know
nothing of the registry, are in objects/lwm2m/ too; this module is what needs the database.
"""

from django.urls import reverse

from objects.lwm2m import content_formats, device, link_format, tlv
from objects.lwm2m import values as lv
from objects.lwm2m.encoding import encode_values, parse_values
from objects.lwm2m.payload import Findings
from objects.lwm2m.registry_model import ObjectModel, ResourceModel
from objects.lwm2m.typed_payload import DecodedPayload, type_values
from objects.models import ObjectVersion, Resource

MAX_OBJECTS = 200


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
        oid: ObjectModel(oid, row.ver, row.name, row.is_latest, {}, object_url(row))
        for oid, row in chosen.items()
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


def object_url(row):
    """The page of an object version: the object's own for its latest."""
    if row.is_latest:
        return reverse("objects:object", args=[row.object_id])
    return reverse("objects:version", args=[row.object_id, row.ver])


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
    return type_values(result, raws, models, operation)


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


def encode(fmt, request, values, versions, findings):
    """{"Format", "ContentFormat", "Path", "PayloadHex", "PayloadBase64", "Findings"} for a JSON
    of values {"/3303/0/5700": 23.5} encoded in `fmt` for a request on `request`, each typed by
    the version `versions` names (else the latest) of its object."""
    parsed, request = parse_values(fmt, request, values)
    models = load_models([p[0] for p, _ in parsed], versions, findings)
    return encode_values(fmt, request, parsed, models, findings)
