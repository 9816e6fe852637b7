"""A device read against the registry: each object its registration (or Discover answer)
names, with what the registry has of it (its versions, the latest, a placeholder, deprecated;
or, for an ID it does not have, the ID's range and who holds that range). The reading itself
(query parameters, versions in force, warnings) is objects/lwm2m/device.py.
"""

import base64
import io
import json
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from objects.catalog.id_space import id_space
from objects.catalog.list_rows import list_status
from objects.catalog.reads import definition_body
from objects.lwm2m import device as lwm2m_device
from objects.lwm2m.ids import object_id_range
from objects.lwm2m.versions import version_key
from objects.models import Finding, ObjectVersion
from objects.quality.compatibility import leshan

MAX_OBJECTS = 200
# Who holds an ID the registry does not have, by its range (objects/lwm2m/ids.py).
HOLDERS = {
    "OMA": "OMA's range: no OMA object has this ID",
    "reserved": "reserved: no object may have it",
    "external standards bodies": "standards bodies' range: not registered by any",
    "vendors, registered": "companies' registered range: not registered by any",
    "vendors, private (reused without registration)": (
        "private: any company may use it unregistered"
    ),
    "reserved for companies, not published": "a company's, never published",
    "tests, never in production": "tests only, never in production",
}


@dataclass
class DeviceObject:
    announced: object  # lwm2m.device.DeviceObject
    name: str | None
    registered: bool
    versions: list
    latest: str
    placeholder: bool
    deprecated: bool
    owner: str
    range_text: str
    holder: str

    @property
    def object_id(self):
        return self.announced.object_id

    @property
    def version(self):
        return self.announced.version

    @property
    def has_version(self):
        return self.version in self.versions

    @property
    def url(self):
        return reverse("objects:object", args=[self.object_id]) if self.registered else ""

    @property
    def version_url(self):
        if not self.has_version:
            return ""
        if self.version == self.latest:
            return self.url
        return reverse("objects:version", args=[self.object_id, self.version])

    def as_json(self):
        a = self.announced
        data = {
            "id": a.object_id,
            "name": self.name,
            "version": a.version,
            "version_rule": a.version_rule,
            "instances": list(a.instances),
            "registered": self.registered,
            "version_note": a.version_note,
        }
        if self.registered:
            data["registry"] = {
                "versions": self.versions,
                "latest": self.latest,
                "has_version": self.has_version,
                "placeholder": self.placeholder,
                "deprecated": self.deprecated,
                "owner": self.owner,
            }
        else:
            data["registry"] = {"range": self.range_text, "holder": self.holder}
        return data


@dataclass
class Device:
    reading: object  # lwm2m.device.Reading
    objects: list

    @property
    def warnings(self):
        return self.reading.warnings

    @property
    def selection(self):
        """(ObjectID, version) of the registered objects at a version the registry has."""
        return [(o.object_id, o.version) for o in self.objects if o.has_version]

    @property
    def selection_url(self):
        """The object list with exactly these objects selected."""
        ids = sorted({oid for oid, _ in self.selection})
        if not ids:
            return ""
        return reverse("objects:list") + "?" + urlencode({"id": ",".join(map(str, ids))})

    @property
    def versions_text(self):
        """The decoder's versions parameter: 3=1.1, 3303=1.0."""
        return ", ".join(f"{o.object_id}={o.version}" for o in self.objects)

    @property
    def code_url(self):
        if not self.selection:
            return ""
        ids = ",".join(str(oid) for oid in sorted({oid for oid, _ in self.selection}))
        return reverse("objects:code_zip") + "?" + urlencode({"id": ids})

    def as_json(self):
        r = self.reading
        return {
            "lwm2m": r.lwm2m,
            "objects": [o.as_json() for o in self.objects],
            "warnings": [w.as_json() for w in r.warnings],
            "kind": r.kind,
            "lwm2m_source": r.lwm2m_source,
            "parameters": [
                {"name": p.name, "value": p.value, "meaning": p.meaning, "problem": p.problem}
                for p in r.parameters
            ],
            "content_formats": [
                {"ct": int(n) if n.isdigit() else n, "name": name} for n, name in r.content_formats
            ],  # fmt: skip
            "root": r.root,
        }


def read_device(run, text, request_text="", lwm2m="", kind=""):
    """The Device a pasted request or payload announces, read against the last sync."""
    reading = lwm2m_device.read(text, request_text, lwm2m, kind)
    space = id_space(run)
    objects = []
    for announced in reading.objects[:MAX_OBJECTS]:
        objects.append(registry_side(space, announced, reading))
    if len(reading.objects) > MAX_OBJECTS:
        reading.warn(None, f"more than {MAX_OBJECTS} objects: the first {MAX_OBJECTS} are read")
    return Device(reading, objects)


def registry_side(space, announced, reading):
    oid = announced.object_id
    rows = sorted(space.versions.get(oid, []), key=lambda r: version_key(r.ver))
    _, range_text = object_id_range(oid)
    holder = HOLDERS.get(range_text.split(": ", 1)[-1], "")
    if not rows:
        return DeviceObject(announced, None, False, [], "", False, False, "", range_text, holder)
    latest = next((r for r in rows if r.is_latest), rows[-1])
    in_force = next((r for r in rows if r.ver == announced.version), None)
    shown_row = in_force or latest
    versions = [r.ver for r in rows]
    placeholder = all(list_status(r) == "placeholder" for r in rows)
    deprecated = "deprecat" in (shown_row.description or "").lower()
    if in_force is None:
        reading.warn(
            announced.link,
            f"object {oid} at version {announced.version} ({announced.version_rule}): the "
            f"registry has {', '.join(versions)}",
        )
    elif list_status(in_force) == "placeholder":
        reading.warn(announced.link, f"object {oid} is a placeholder in the registry: no "
                                     "definition for a server to load")  # fmt: skip
    return DeviceObject(
        announced,
        shown_row.name,
        True,
        versions,
        latest.ver,
        placeholder,
        deprecated,
        latest.owner,
        range_text,
        holder,
    )


# --- The models a server needs ---------------------------------------------------------------

LAYOUTS = {
    "folder": "a folder of definition files (Leshan's -m models folder, Wakaama)",
    "emqx": "EMQX's lwm2m_xml folder",
    "thingsboard": "ThingsBoard's LwM2M models (Resources library), with the API bodies",
}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _safe_name(text):
    return re.sub(r"[^A-Za-z0-9]+", "_", text or "").strip("_")[:60] or "Object"


def model_files(device, layout):
    """[(path, bytes)] of the definitions of the device's objects at their versions in force,
    the registry's own bytes, named as `layout` wants; a MISSING.txt says what has none."""
    wanted = {}
    for obj in device.objects:
        wanted.setdefault(obj.object_id, obj.version)
    rows = ObjectVersion.objects.defer("search_text").filter(object_id__in=list(wanted))
    found = {
        (row.object_id, row.ver): row
        for row in rows
        if wanted.get(row.object_id) == row.ver and row.definition_sha256
    }
    errors = {}  # our rules' errors: Leshan's loader knows none of OMA's codes
    for finding in Finding.objects.filter(
        object_version__in=list(found.values()), severity=Finding.ERROR, oma_code=""
    ).order_by("pk"):
        errors.setdefault(finding.object_version_id, []).append(finding)
    files, missing, bodies, notes = [], [], [], []
    for oid, ver in wanted.items():
        row = found.get((oid, ver))
        body = definition_body(row) if row is not None else None
        if body is None:
            missing.append(f"{oid} version {ver}")
            continue
        loads = leshan(row.lwm2m_version, errors.get(row.pk, []))
        verdict = (
            "Leshan's strict loader loads it"
            if loads["ok"]
            else (f"Leshan's strict loader refuses it: {loads['reason']}")
        )
        notes.append(f"{oid} {row.name} version {ver} (LwM2M {row.lwm2m_version or '1.0'}): "
                     f"{verdict}")  # fmt: skip
        major, _, minor = ver.partition(".")
        if layout == "emqx":
            path = f"lwm2m_xml/{_safe_name(row.name)}-{oid}-v{major}_{minor}.xml"
        elif layout == "thingsboard":
            path = f"thingsboard/{oid}_{ver}.xml"
            bodies.append({
                "title": f"{row.name} ({oid} v{ver})"[:200],
                "resourceType": "LWM2M_MODEL",
                "fileName": f"{oid}_{ver}.xml",
                "data": base64.b64encode(body).decode("ascii"),
            })  # fmt: skip
        else:
            path = f"models/{oid}-{major}_{minor}.xml"
        files.append((path, body))
    if layout == "thingsboard" and bodies:
        text = json.dumps(bodies, indent=2, ensure_ascii=False) + "\n"
        files.append(("thingsboard/resources.json", text.encode("utf-8")))
    if missing:
        text = "No stored definition in the registry for: " + ", ".join(missing) + "\n"
        files.append(("MISSING.txt", text.encode("utf-8")))
    if notes:
        text = (
            f"The registry's own definition files, {LAYOUTS[layout]}.\n\n" + "\n".join(notes) + "\n"
        )
        files.append(("README.txt", text.encode("utf-8")))
    return files


def zip_of(files):
    """A zip of [(path, bytes)], the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files:
            info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
