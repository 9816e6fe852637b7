"""Version advice: minor when old clients and servers still work, major when they may not."""

import pytest

from objects.lwm2m.draft import RESOURCE_ATTRIBUTES, DraftResource, copy, from_xml
from objects.lwm2m.version_advice import MAJOR, MINOR, NONE, RESOURCE_RULES, advise, summary


@pytest.fixture
def base(fixture_registry):
    return from_xml((fixture_registry / "3303.xml").read_bytes())


def test_every_resource_field_has_a_rule():
    assert {a for a, _, _ in RESOURCE_RULES} == {a for _, a in RESOURCE_ATTRIBUTES}


def test_unchanged_is_no_new_version(base):
    advice = advise(base, copy(base), (1, 1))
    assert advice.kind == NONE and advice.version == "1.1" and advice.changed == []


def test_an_optional_resource_added_is_minor(base):
    draft = copy(base)
    draft.resources.append(DraftResource(id="5601", name="Min Measured Value", operations="RW"))
    advice = advise(base, draft, (1, 1))
    assert advice.kind == MINOR and advice.version == "1.2"
    assert [(r.id, r.status) for r in advice.changed] == [("5601", "added")]
    assert "5601" in summary(advice) and "minor version, 1.2" in summary(advice)


def test_rewording_is_minor_and_rewrapping_nothing(base):
    draft = copy(base)
    draft.resources[0].description = "  " + draft.resources[0].description.replace(" ", "\n ")
    assert advise(base, draft, (1, 1)).kind == NONE
    draft.resources[0].description = "Reworded."
    assert advise(base, draft, (1, 1)).kind == MINOR


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d.resources.append(DraftResource(id="9", name="X", mandatory="Mandatory")),
         "added as a mandatory"),
        (lambda d: d.resources.pop(0), "is removed"),
        (lambda d: setattr(d.resources[0], "id", "5702"), "is removed"),
        (lambda d: setattr(d.resources[0], "type", "Integer"), "Type changed"),
        (lambda d: setattr(d.resources[0], "operations", "RW"), "Operations changed"),
        (lambda d: setattr(d.resources[0], "multiple_instances", "Multiple"), "Instances"),
        (lambda d: setattr(d.resources[0], "mandatory", "Optional"), "Mandatory changed"),
        (lambda d: setattr(d, "multiple_instances", "Single"), "object's Instances"),
    ],
)  # fmt: skip
def test_what_breaks_compatibility_is_major(base, change, reason):
    draft = copy(base)
    change(draft)
    advice = advise(base, draft, (1, 1))
    assert advice.kind == MAJOR and advice.version == "2.0"
    assert any(reason in text for text in advice.reasons)


def test_the_version_follows_the_latest_registered(base):
    draft = copy(base)
    draft.description1 = "Reworded."
    assert advise(base, draft, (1, 0), latest_version=(1, 1)).version == "1.2"
