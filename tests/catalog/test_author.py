"""validate_draft, the one function every check of a draft goes through, and where its findings
point in the editor."""

import pytest

from objects.catalog.author import locate, validate_draft
from objects.lwm2m.draft import Draft, DraftResource, to_xml

pytestmark = pytest.mark.django_db


def meter(*resources):
    return Draft(name="Acme Meter", description1="A meter.", object_id="10488",
                 resources=list(resources))  # fmt: skip


def test_a_clean_draft_has_no_finding(synced):
    draft = meter(DraftResource(id="0", name="Level", type="Integer", description="Level."))
    assert validate_draft(to_xml(draft)) == []


def test_schema_model_registry_and_sdk_findings_with_their_fields(synced):
    draft = meter(
        DraftResource(id="0", name="Level", type="Integer", description="Level."),
        DraftResource(id="1", name="", operations="E", type="Float", description="Go."),
        DraftResource(id="6100", name="Flux", type="Float", description="Flux."),
        DraftResource(id="2", name="Odd", type="Integer", description="x", operations="RWX"),
    )
    xml = to_xml(draft)
    found = {(f.source, f.finding.rule, f.field) for f in locate(validate_draft(xml), draft, xml)}
    assert ("OMA 410", "oma-410", "r1-name") in found  # no Name
    assert ("OMA 413", "oma-413", "r1-type") in found  # an executable with a Type
    assert ("OMA 411", "oma-411", "r3-operations") in found  # RWX
    assert ("Registry", "common-missing", "r2-id") in found
    assert ("Schema", "schema", "r3-operations") in found
    assert any(source == "Anjay" and field == "r3-operations" for source, _, field in found)


def test_what_is_no_definition_is_one_finding(synced):
    findings = validate_draft(b"<nope")
    assert [f.rule for f in findings] == ["xml"]


def test_leshans_loader_knows_lwm2m_1_0_and_1_1_only(synced):
    draft = meter(DraftResource(id="0", name="Level", type="Integer", description="Level."))
    draft.lwm2m_version = "1.2"
    xml = to_xml(draft)
    found = [(f.source, f.message, f.field) for f in locate(validate_draft(xml), draft, xml)]
    assert found == [
        ("Leshan loader", "Leshan: LwM2M 1.2: Leshan's loader knows LwM2M 1.0 and 1.1 only",
         "f-lwm2m_version")
    ]  # fmt: skip
