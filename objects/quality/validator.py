"""The validator behind `manage.py validate_definition`, POST /api/v1/validate/ and /validate/:
OMA's fault IDs (objects/quality/oma_codes.py) plus our own rules that OMA has no code for
(objects/quality/checks.py, without an oma_code), against a registry folder or what the last
sync stored."""

from pathlib import Path

from django.db import DatabaseError

from objects.lwm2m.definitions import parse_definition
from objects.models import ObjectVersion, RegistryFile
from objects.quality import oma_codes
from objects.quality.checks import Context, check_definition
from objects.quality.upload import MAX_UPLOAD_BYTES, clone_context, finding_lines, stored_context

# Our rules that an OMA code already says (their findings would be said twice).
SAID_BY_OMA = {"xml", "schema-location", "common", "registry-entry", "resource-name",
               "resource-type-version"}  # fmt: skip


def own_findings(body, context, name):
    """Our own rules' findings on an object file, as oma_codes.OmaFinding without a code."""
    body = bytes(body)
    try:
        parse_definition(body, max_bytes=MAX_UPLOAD_BYTES)  # defusedxml first: no DTD, no entity
        found = check_definition(body, context)
    except ValueError:
        return []
    lines = finding_lines(body, found)
    result = []
    for one, line in zip(found, lines, strict=True):
        if one.rule in SAID_BY_OMA:
            continue
        if one.rule == "resource-type" and "executable yet" in one.message:
            continue  # OMA's 413
        result.append(
            oma_codes.OmaFinding(
                oma_code=None,
                element=one.rule,
                resource_id=one.resource_id,
                line=line,
                severity=one.severity,
                resolve_by=oma_codes.SUBMITTER,
                message=one.message,
                file=name,
            )
        )
    return result


def stored_registry():
    """An oma_codes.Registry from what the last sync stored: Common.xml, the units file, and a
    DDF item for each version listed."""
    files = {
        row.name: bytes(row.body)
        for row in RegistryFile.objects.filter(name__in=["Common.xml", oma_codes.UNITS_FILE])
        if row.body is not None
    }
    registry = oma_codes.Registry.from_files(files)
    items = []
    for version in ObjectVersion.objects.defer("search_text").order_by(
        "object_id", "ver_major", "ver_minor"
    ):
        fields = {
            "ObjectID": str(version.object_id),
            "URN": version.urn,
            "Name": version.name,
            "Description": version.description,
            "Ver": version.ver,
        }
        items.append(oma_codes.DdfItem(fields=fields, lines={}, line=None, counts={}))
    registry.items = items
    return registry


def validate_paths(paths, registry_dir=None, note=None):
    """[(file, [findings])] for the command: files, folders and ZIPs, OMA's codes and ours.
    Without `registry_dir`, against what the last sync stored; a database that has none (not
    migrated, not reachable) leaves Common.xml and the registry entries out, said to `note`."""
    if registry_dir is not None:
        results = oma_codes.validate_paths(paths, registry_dir)
        context = clone_context(Path(registry_dir))
    else:
        try:
            registry, context = stored_registry(), stored_context()
        except DatabaseError as exc:
            if note:
                note(f"no synced registry to check against ({str(exc)[:200]}): give --registry")
            registry = None
            context = Context(schemas={}, schema_problems={}, common={})
        results = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                results += oma_codes.validate_paths([raw])
                continue
            try:
                body = path.read_bytes()
            except OSError as exc:
                raise oma_codes.BadValidatorInput(f"{raw}: {exc.strerror or exc}") from None
            results += oma_codes.validate_body(body, registry, name=str(raw))
    for name, found in results:
        path = Path(name)
        if not path.is_file() or path.suffix != ".xml":
            continue
        body = path.read_bytes()
        if oma_codes.kind_of(body) == "object":
            found += own_findings(body, context, name)
    return results


def validate_upload(named_bodies):
    """[(file, [findings])] for uploaded files (name, bytes): each a file of any kind or a ZIP,
    against what the last sync stored (a ZIP laid out as the registry is checked as one)."""
    registry = stored_registry()
    context = stored_context()
    results = []
    for name, body in named_bodies:
        found = oma_codes.validate_body(body, registry, name=name)
        if bytes(body[:4]) != b"PK\x03\x04" and oma_codes.kind_of(body) == "object":
            found[0][1].extend(own_findings(body, context, name))
        results += found
    return results
