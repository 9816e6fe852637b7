"""The sync's part for Common.xml, the registry's reusable resources.

Common.xml is one file beside hundreds of definitions: a sync that cannot fetch or read it
keeps the copy it had (and says why on the file's row), and never fails for it.
"""

import hashlib
from dataclasses import dataclass, field

from django.utils import timezone

from .definitions import InvalidDefinition, parse_common
from .field_checks import BadValue, check_common_resource, clean_reason, header_value
from .models import CommonResource, RegistryFile

# What the public pages say when the last sync could not use the file it found.
NOT_SET = "no location is set for it (REGISTRY_COMMON_URL)"
NOT_FETCHED = "it could not be fetched"
NOT_READABLE = "it could not be read as a list of reusable resources"


@dataclass
class CommonOutcome:
    file: RegistryFile
    resources: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    requests: int = 0
    downloaded: int = 0
    not_modified: bool = False


def kept_common():
    return RegistryFile.objects.filter(name=RegistryFile.COMMON).first()


def fetch_common(source, kept):
    """The Common.xml to store (the new one, else `kept`, the stored row) and its resources."""
    row = RegistryFile(name=RegistryFile.COMMON)
    if kept is not None and kept.body is not None:
        for name in ("url", "body", "sha256", "etag", "last_modified", "fetched"):
            setattr(row, name, getattr(kept, name))
    outcome = CommonOutcome(file=row)
    fetched = source.common(etag=row.etag, last_modified=row.last_modified)
    if fetched is None:
        row.problem = NOT_SET
    elif fetched.error:
        outcome.requests = fetched.requests
        row.problem, row.problem_detail = NOT_FETCHED, clean_reason(fetched.error)
    else:
        outcome.requests, outcome.downloaded = fetched.requests, fetched.downloaded
        outcome.not_modified = fetched.not_modified
        body = bytes(row.body) if fetched.not_modified else fetched.body
        try:
            parsed = parse_common(body)
        except InvalidDefinition as exc:
            row.problem, row.problem_detail = NOT_READABLE, clean_reason(exc)
        else:
            if not fetched.not_modified:
                row.body, row.fetched = body, timezone.now()
                row.sha256 = hashlib.sha256(body).hexdigest()
            row.url = source.common_url
            row.etag = header_value(fetched.etag, 255)
            row.last_modified = header_value(fetched.last_modified, 64)
            outcome.resources, outcome.warnings = _storable(parsed.resources, parsed.warnings)
            return outcome
    if row.problem != NOT_SET:
        outcome.warnings.append(f"Common.xml: {row.problem}: {row.problem_detail}")
    if row.body is not None:
        # The copy kept parsed when it was stored; it is read again, as the same code would.
        try:
            parsed = parse_common(row.body)
        except InvalidDefinition:
            return outcome
        outcome.resources, _ = _storable(parsed.resources, [])
    return outcome


def _storable(resources, warnings):
    kept, warnings = [], list(warnings)
    for resource in resources:
        try:
            check_common_resource(resource)
        except BadValue as exc:
            warnings.append(f"Common.xml: resource {resource['ID']} skipped: {exc}")
        else:
            kept.append(resource)
    return kept, warnings


def common_rows(outcome):
    return [
        CommonResource(
            resource_id=item["ID"],
            name=item["Name"],
            operations=item["Operations"],
            type=item["Type"],
            range_enumeration=item["RangeEnumeration"],
            units=item["Units"],
            submitter=item["Submitter"],
            description=item["Description"],
            spec_link=item["TS"],
        )
        for item in outcome.resources
    ]
