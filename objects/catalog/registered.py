"""What this registry knows of an uploaded definition's ObjectID: taken, by whom, at which
versions; whether the ID fits a Label's range; what it changes against the registered version
(/validate/, after objects/quality/upload.py's checks)."""

from types import SimpleNamespace

from objects.catalog.compare import compare_versions
from objects.catalog.reads import read_resources
from objects.lwm2m.definitions import resource_fields
from objects.lwm2m.ids import LABEL_NAMES, object_id_range
from objects.lwm2m.versions import BadVersion, parse_version, version_key
from objects.models import ObjectVersion


def add_registry_knowledge(report):
    """Fill the report's registered versions, range, Label fit and comparison."""
    definition = report.definition
    if definition is None or definition.object_id is None:
        return report
    report.registered = list(
        ObjectVersion.objects.defer("search_text")
        .filter(object_id=definition.object_id)
        .order_by("ver_major", "ver_minor")
    )
    label, report.range_text = object_id_range(definition.object_id)
    report.label_fit = LABEL_NAMES.get(label, "") if label is not None else ""
    if report.registered:
        compare_with_registry(report)
    return report


def compare_with_registry(report):
    """Against the registered version of the same number, else the latest: what changes."""
    definition = report.definition
    try:
        wanted = parse_version(definition.object_version or "1.0")
    except BadVersion:
        wanted = None
    same = next(
        (v for v in report.registered if (v.ver_major, v.ver_minor) == wanted), None
    )  # fmt: skip
    latest = max(report.registered, key=lambda v: version_key(v.ver))
    old = same or latest
    if old.status != ObjectVersion.OK:
        return
    uploaded = SimpleNamespace(
        name=definition.name,
        urn=definition.urn,
        owner=old.owner,
        label_name=old.label_name,
        lwm2m_version=definition.lwm2m_version or "1.0",
        multiple_instances=definition.multiple_instances,
        mandatory=definition.mandatory,
        description=definition.description1,
        description2=definition.description2,
        spec_link=old.spec_link,
        status=ObjectVersion.OK,
        ver=definition.object_version or "1.0",
    )
    resources = [SimpleNamespace(**resource_fields(item)) for item in definition.resources]
    report.compared_with = old
    report.comparison = compare_versions(old, uploaded, read_resources(old)[old.pk], resources)
