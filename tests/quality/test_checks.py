"""The quality checks: each rule on a crafted definition, the schemas from the source (kept,
or "not checked" when none can be had), and the whole snapshot judged as Leshan judges it."""

import re
from collections import Counter
from types import SimpleNamespace

import pytest

from objects.lwm2m.definitions import parse_common, parse_definition
from objects.models import Finding, ObjectVersion, RegistryFile
from objects.quality.checks import (
    SCHEMA_FILES,
    BadSchema,
    Context,
    check_definition,
    load_schema,
    verdict,
)
from objects.quality.compatibility import leshan
from objects.sync.metadata import Entry
from objects.sync.pipeline import sync_registry
from objects.sync.sources import RegistryClone

LOCATION = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation='
V1_0 = f'{LOCATION}"http://openmobilealliance.org/tech/profiles/LWM2M.xsd"'
V1_1 = f'{LOCATION}"http://openmobilealliance.org/tech/profiles/LWM2M-v1_1.xsd"'


def item(rid, name="Value", operations="R", kind="Float", units="", description="A value."):
    return (
        f'<Item ID="{rid}"><Name>{name}</Name><Operations>{operations}</Operations>'
        "<MultipleInstances>Single</MultipleInstances><Mandatory>Optional</Mandatory>"
        f"<Type>{kind}</Type><RangeEnumeration></RangeEnumeration><Units>{units}</Units>"
        f"<Description>{description}</Description></Item>"
    )


def definition(
    object_id=10250,
    name="Gauge",
    urn=None,
    lwm2m="1.0",
    version="1.0",
    items=None,
    schema=V1_0,
    object_type="MODefinition",
):
    urn = (
        urn
        if urn is not None
        else f"urn:oma:lwm2m:x:{object_id}" + (f":{version}" if version != "1.0" else "")
    )
    items = items if items is not None else [item(1)]
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><LWM2M {schema}>'
        f'<Object ObjectType="{object_type}"><Name>{name}</Name><Description1>D</Description1>'
        f"<ObjectID>{object_id}</ObjectID><ObjectURN>{urn}</ObjectURN>"
        f"<LWM2MVersion>{lwm2m}</LWM2MVersion><ObjectVersion>{version}</ObjectVersion>"
        "<MultipleInstances>Single</MultipleInstances><Mandatory>Optional</Mandatory>"
        f"<Resources>{''.join(items)}</Resources><Description2></Description2></Object></LWM2M>"
    ).encode()


@pytest.fixture(scope="module")
def context(fixture_registry_path):
    schemas = {
        v: load_schema((fixture_registry_path / f).read_bytes()) for v, f in SCHEMA_FILES.items()
    }
    common = {
        r["ID"]: SimpleNamespace(
            name=r["Name"], type=r["Type"], units=r["Units"], description=r["Description"]
        )
        for r in parse_common((fixture_registry_path / "Common.xml").read_bytes()).resources
    }
    return Context(schemas=schemas, schema_problems={}, common=common)


@pytest.fixture(scope="module")
def fixture_registry_path():
    from tests.conftest import FIXTURE_REGISTRY

    return FIXTURE_REGISTRY


def rules(findings, severity="error"):
    return sorted({f.rule for f in findings if f.severity == severity})


def test_a_good_definition_is_clean(context):
    findings = check_definition(definition(), context)
    assert findings == []
    assert verdict(findings) == "clean"


@pytest.mark.parametrize(
    "changes, rule, words",
    [
        ({"schema": ""}, "schema-location", "declares no schema"),
        ({"schema": f'{LOCATION}"http://x/DDF1.xsd"'}, "schema-location", "neither"),
        ({"lwm2m": "1.1"}, "schema-location", "LWM2MVersion 1.1 needs LWM2M-v1_1.xsd"),
        ({"lwm2m": "1.2"}, "schema-location", "LWM2MVersion 1.2 needs LWM2M-v1_1.xsd"),
        ({"object_type": "Other"}, "object-type", "MODefinition"),
        ({"name": ""}, "object-name", "no name"),
        ({"object_id": 1500, "urn": "urn:oma:lwm2m:x:1500"}, "object-id", "reserved range 1024"),
        ({"object_id": 50000, "urn": "urn:oma:lwm2m:x:50000"}, "object-id", "42801-65534"),
        ({"version": "1.x", "urn": "urn:oma:lwm2m:x:10250:1.x"}, "version", "not major.minor"),
        ({"urn": "urn:oma:lwm2m:ext:10250"}, "urn", "is of kind ext; ObjectID 10250 is x"),
        ({"urn": "urn:oma:lwm2m:x:10251"}, "urn", "names object 10251"),
        ({"urn": "urn:oma:lwm2m:x:10250:1.1"}, "urn", "says version 1.1, the object 1.0"),
        ({"urn": "urn:oma:lwm2m:x"}, "urn", "not 5 or 6"),
        ({"items": []}, "resources", "no resource"),
        ({"items": [item(1), item(1)]}, "resource-duplicate", "resource 1 is defined more"),
        ({"items": [item(1, name="")]}, "resource-name", "resource 1 has no name"),
        ({"items": [item(40000)]}, "resource-id", "over 32768"),
        ({"items": [item(1, operations="E")]}, "resource-type", "executable yet has the type"),
        ({"items": [item(1, kind="")]}, "resource-type", "not executable and has no type"),
        ({"items": [item(1, kind="Corelnk")]}, "resource-type-version", "LwM2M 1.0 does not"),
    ],
)
def test_each_rule(context, changes, rule, words):
    findings = check_definition(definition(**changes), context)
    assert rule in rules(findings), findings
    assert any(words in f.message for f in findings if f.rule == rule), findings
    assert verdict(findings) == "error"


def test_the_urn_for_a_new_version_is_checked_both_ways(context):
    good = definition(version="1.1", urn="urn:oma:lwm2m:x:10250:1.1")
    assert rules(check_definition(good, context)) == []
    missing = check_definition(definition(version="1.1", urn="urn:oma:lwm2m:x:10250"), context)
    assert "no version part" in " ".join(f.message for f in missing)


def test_schema_errors_say_where(context):
    body = definition().replace(b"<Description1>D</Description1>", b"")
    (finding,) = [f for f in check_definition(body, context) if f.rule == "schema"]
    assert finding.message.startswith("LWM2M.xsd, line 1: Element 'ObjectID'")


def test_an_lwm2m_1_1_definition_uses_the_1_1_schema_and_types(context):
    body = definition(lwm2m="1.1", schema=V1_1, items=[item(1, kind="Unsigned Integer")])
    assert check_definition(body, context) == []


def test_warnings_common_xml_registry_entry_and_label(context):
    body = definition(
        object_id=3303,
        urn="urn:oma:lwm2m:ext:3303",
        items=[item(5700, name="Sensor Value", units="Cel", description="Last or Current "
                    "Measured Value from the Sensor.")],
    )  # fmt: skip
    entry = Entry(object_id=3303, ver="1.1", urn="urn:oma:lwm2m:ext:3303:1.1", name="Temp",
                  label=2)  # fmt: skip
    findings = check_definition(body, context, entry)
    assert verdict(findings) == "warning"
    assert rules(findings) == []
    messages = [(f.rule, f.resource_id, f.message) for f in findings]
    assert ("common", 5700, "resource 5700 departs from Common.xml in units") in messages
    assert ("registry-entry", None, "ObjectVersion 1.0, the registry lists version 1.1") in messages
    assert ("registry-entry", None, "name 'Gauge', the registry lists 'Temp'") in messages
    assert rules(findings, "warning") == ["common", "label-range", "registry-entry"]


def test_a_schema_that_cannot_be_had_is_not_checked_never_clean(context):
    bare = Context(schemas={}, schema_problems={"1.0": "it could not be fetched"}, common={})
    findings = check_definition(definition(), bare)
    assert [(f.rule, f.severity) for f in findings] == [("schema", "warning")]
    assert findings[0].message == "not checked: LWM2M.xsd: it could not be fetched"
    assert verdict(findings) == "warning"


@pytest.mark.parametrize(
    "body, message",
    [
        (b"<schema/>", "not an XML Schema"),
        (b"<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'><xs:include "
         b"schemaLocation='/etc/passwd'/></xs:schema>", "xs:include"),
        (b"<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'><xs:import "
         b"schemaLocation='http://169.254.169.254/'/></xs:schema>", "xs:import"),
        (b"<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'><xs:element/></xs:schema>",
         "not a usable schema"),
        (b"<<", "not well-formed"),
    ],
)  # fmt: skip
def test_schemas_that_are_refused(body, message):
    with pytest.raises(BadSchema, match=message):
        load_schema(body)


@pytest.mark.django_db
def test_the_sync_stores_findings_and_verdicts(fixture_registry):
    sync_registry(str(fixture_registry))
    assert ObjectVersion.objects.get(object_id=3304).quality == "warning"
    assert ObjectVersion.objects.get(object_id=3303, ver="1.1").quality == "error"
    assert ObjectVersion.objects.get(object_id=3, ver="1.0").quality == "clean"
    assert ObjectVersion.objects.get(object_id=2048).quality == ""  # a placeholder: unchecked
    found = Finding.objects.filter(object_version__object_id=3303, object_version__ver="1.1")
    assert {(f.rule, f.severity) for f in found if not f.oma_code} == {
        ("schema-location", "error"), ("schema", "error"), ("common", "warning")
    }  # fmt: skip
    # OMA's fault IDs beside them, which leave the verdict to our rules: 3304's stays a warning.
    assert {(f.oma_code, f.resource_id, f.line) for f in found if f.oma_code} == {
        ("404", None, 3), ("465", 5750, 39), ("800", None, 8)
    }  # fmt: skip
    codes = Finding.objects.filter(object_version__object_id=3304).values_list("oma_code", "line")
    assert set(codes) == {("", None), ("464", 20)}
    assert RegistryFile.objects.get(name="LWM2M.xsd").url.endswith("/prod/LWM2M.xsd")


@pytest.mark.django_db
def test_without_schemas_the_schema_rule_says_not_checked(fake_registry, settings):
    settings.REGISTRY_SCHEMA_URL = ""
    sync_registry(fake_registry.base_url)
    assert not ObjectVersion.objects.filter(quality="clean").exists()
    finding = Finding.objects.filter(rule="schema").first()
    assert finding.severity == "warning"
    assert finding.message.startswith("not checked:")
    assert "no location is set" in finding.message


def test_a_valid_1_2_definition_has_no_error_and_leshan_cannot_load_it(context):
    """OMA's 1.2 objects declare LWM2M-v1_1.xsd, the schema the registry uses for 1.1 and 1.2:
    no defect. That Leshan knows only 1.0 and 1.1 is said apart, as its compatibility."""
    findings = check_definition(definition(lwm2m="1.2", schema=V1_1), context)
    assert findings == []
    assert leshan("1.2", findings) == {
        "ok": False,
        "reason": "LwM2M 1.2: Leshan's loader knows LwM2M 1.0 and 1.1 only",
    }
    assert leshan("1.1", findings) == {"ok": True, "reason": ""}
    assert leshan("", findings)["ok"]  # no LWM2MVersion: 1.0
    broken = check_definition(definition(name=""), context)
    assert leshan("1.0", broken) == {"ok": False, "reason": "it has errors: the object has no name"}


@pytest.mark.django_db
def test_a_refused_schema_keeps_the_copy(fake_registry, settings):
    sync_registry(fake_registry.base_url)
    fake_registry.set_file("LWM2M.xsd", b"<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'>"
                           b"<xs:include schemaLocation='/etc/passwd'/></xs:schema>")  # fmt: skip
    run = sync_registry(fake_registry.base_url).run
    assert "LWM2M.xsd: it could not be read: refused" in run.warnings
    assert ObjectVersion.objects.get(object_id=3, ver="1.0").quality == "clean"


@pytest.mark.slow
@pytest.mark.snapshot
def test_the_snapshot_judged_as_leshan_judges_it(snapshot):
    """Leshan's strict loader rejects 30 of the 424 definitions (../shared/REGISTRY.md): each
    carries an error here, and no other definition does."""
    schemas = {v: load_schema((snapshot / f).read_bytes()) for v, f in SCHEMA_FILES.items()}
    common = {
        r["ID"]: SimpleNamespace(
            name=r["Name"], type=r["Type"], units=r["Units"], description=r["Description"]
        )
        for r in parse_common((snapshot / "Common.xml").read_bytes()).resources
    }
    context = Context(schemas=schemas, schema_problems={}, common=common)
    entries, _, _ = RegistryClone(snapshot).metadata()
    verdicts, by_rule, rejected, only_leshan = Counter(), Counter(), 0, []
    for entry in entries:
        if entry.local_path:
            body = (snapshot / entry.local_path).read_bytes()
            findings = check_definition(body, context, entry)
            verdicts[verdict(findings)] += 1
            by_rule.update({(f.rule, f.severity) for f in findings})
            loads = leshan(parse_definition(body).lwm2m_version, findings)
            rejected += not loads["ok"]
            if not loads["ok"] and verdict(findings) != "error":
                only_leshan.append((entry.object_id, entry.ver))
    assert sum(verdicts.values()) == 424
    # Leshan's 30: an error here, or a valid LwM2M 1.2 definition it cannot load.
    assert rejected == 30
    assert sorted(only_leshan) == [
        (1, "1.2"), (24, "1.0"), (25, "1.0"), (26, "1.0"), (27, "1.0"),
    ]  # fmt: skip
    assert verdicts["error"] == 30 - len(only_leshan)
    assert by_rule[("schema", "error")] == 19
    assert by_rule[("schema-location", "error")] == 4
    assert by_rule[("resource-type", "error")] == 2


# -- the ID ranges at their edges (../shared/REGISTRY.md), through the checks themselves --------


@pytest.mark.parametrize(
    "object_id, kind, reserved",
    [(1023, "oma", None), (1024, "x", "1024-2047"), (2047, "x", "1024-2047"), (2048, "ext", None),
     (42800, "x", None), (42801, "x", "42801-65534"), (65534, "x", "42801-65534")],
)  # fmt: skip
def test_the_reserved_object_id_ranges_start_and_end_where_the_registry_says(
    context, object_id, kind, reserved
):
    findings = check_definition(definition(object_id, urn=f"urn:oma:lwm2m:{kind}:{object_id}"),
                                context)  # fmt: skip
    reserved_findings = [f.message for f in findings if f.rule == "object-id"]
    if reserved:
        assert reserved_findings == [f"ObjectID {object_id} is in the reserved range {reserved}"]
    else:
        assert reserved_findings == [] and verdict(findings) == "clean", findings


@pytest.mark.parametrize(
    "object_id, right, wrong",
    [(0, "oma", "x"), (1023, "oma", "x"), (1024, "x", "oma"), (2047, "x", "ext"),
     (2048, "ext", "x"), (10240, "ext", "x"), (10241, "x", "ext"), (42768, "x", "ext"),
     (42801, "x", "oma")],
)  # fmt: skip
def test_the_urn_kind_changes_at_10240_and_10241(context, object_id, right, wrong):
    good = check_definition(definition(object_id, urn=f"urn:oma:lwm2m:{right}:{object_id}"),
                            context)  # fmt: skip
    assert [f for f in good if f.rule == "urn"] == [], good
    bad = check_definition(definition(object_id, urn=f"urn:oma:lwm2m:{wrong}:{object_id}"),
                           context)  # fmt: skip
    assert [f.message for f in bad if f.rule == "urn"] == [
        f"ObjectURN urn:oma:lwm2m:{wrong}:{object_id} is of kind {wrong}; "
        f"ObjectID {object_id} is {right}"
    ]


@pytest.mark.parametrize("object_id", [42769, 42800])
def test_the_test_range_ends_at_42800_and_its_urn_kind_is_not_checked(context, object_id):
    for kind in ("oma", "ext", "x"):
        body = definition(object_id, urn=f"urn:oma:lwm2m:{kind}:{object_id}")
        assert verdict(check_definition(body, context)) == "clean"


def test_42801_is_reserved_and_its_urn_kind_is_checked_again(context):
    findings = check_definition(definition(42801, urn="urn:oma:lwm2m:oma:42801"), context)
    assert "urn" in rules(findings)
    assert "object-id" in rules(findings)


@pytest.mark.parametrize("rid, error", [(0, False), (32768, False), (32769, True)])
def test_resource_ids_end_at_32768(context, rid, error):
    findings = check_definition(definition(items=[item(rid)]), context)
    messages = [f.message for f in findings if f.rule == "resource-id"]
    assert messages == ([f"resource ID {rid} is over 32768"] if error else []), findings


@pytest.mark.parametrize(
    "label, object_id, warned",
    [(0, 1023, False), (1, 2048, False), (1, 10240, False), (1, 10241, True), (2, 10240, True),
     (2, 10241, False), (2, 42800, False)],
)  # fmt: skip
def test_a_label_outside_its_range_is_warned_at_the_edges(context, label, object_id, warned):
    kind = {1023: "oma", 2048: "ext", 10240: "ext"}.get(object_id, "x")
    urn = f"urn:oma:lwm2m:{kind}:{object_id}"
    body = definition(object_id, urn=urn)
    entry = Entry(object_id=object_id, ver="1.0", urn=urn, name="Gauge", label=label)
    assert ("label-range" in rules(check_definition(body, context, entry), "warning")) is warned


@pytest.mark.parametrize(
    "object_id, label, words",
    [(1023, "OMA", "0-1023: OMA"), (1024, None, "1024-2047: reserved"),
     (2047, None, "1024-2047: reserved"), (2048, "Standards body", "2048-10240: external"),
     (10240, "Standards body", "2048-10240"), (10241, "Company", "10241-26240: vendors, regis"),
     (26240, "Company", "10241-26240"), (26241, "Company", "26241-32768: vendors, private"),
     (32768, "Company", "26241-32768"), (32769, None, "32769-42768: reserved for companies"),
     (42768, None, "32769-42768"), (42769, None, "42769-42800: tests"),
     (42800, None, "42769-42800: tests"), (42801, None, "42801-65534: reserved"),
     (65534, None, "42801-65534: reserved"), (65535, None, "past 65534")],
)  # fmt: skip
def test_the_upload_page_names_the_range_at_each_edge(client, db, object_id, label, words):
    """Through the validate page (wherever the ranges live): its "Its range" line."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = definition(object_id, urn=f"urn:oma:lwm2m:x:{object_id}")
    upload = SimpleUploadedFile("object.xml", body, "text/xml")
    response = client.post("/validate/", {"file": upload})
    line = re.search(r"<li>Its range: (.*?)\.</li>", response.text)
    assert line, response.text[:2000]
    assert words in line.group(1), line.group(1)
    if label is None:
        assert "(Label:" not in line.group(1)
    else:
        assert line.group(1).endswith(f"(Label: {label})")
