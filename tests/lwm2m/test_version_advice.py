"""Version advice: minor when old clients and servers still work, major when they may not."""

import pytest

from objects.lwm2m.draft import RESOURCE_ATTRIBUTES, Draft, DraftResource, copy, from_xml
from objects.lwm2m.version_advice import (
    MAJOR,
    MINOR,
    NONE,
    RESOURCE_RULES,
    advise,
    next_version,
    summary,
)


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


# --- Exact advice on a small object ------------------------------------------------------------


def small():
    return Draft(
        name="Temperature",
        description1="A sensor.",
        object_id="3303",
        object_version="1.1",
        lwm2m_version="1.0",
        multiple_instances="Multiple",
        resources=[
            DraftResource(id="5700", name="Sensor Value", mandatory="Mandatory", type="Float"),
            DraftResource(id="5701", name="Sensor Units"),
        ],
    )


def changed(**changes):
    draft = copy(small())
    for where, value in changes.items():
        target, _, attribute = where.rpartition("__")
        setattr(draft.resources[int(target[1:])] if target else draft, attribute, value)
    return draft


@pytest.mark.parametrize(
    "draft, kind, version, reasons",
    [
        (changed(), NONE, "1.1", []),
        # Rewrapping or re-indenting text changes nothing.
        (changed(description1="  A\n sensor. "), NONE, "1.1", []),
        (changed(r0__description="", r1__units=""), NONE, "1.1", []),
        (changed(name="Temp"), MINOR, "1.2", ["the object's Name changed"]),
        (changed(lwm2m_version="1.1", description2="More."), MINOR, "1.2",
         ["the object's Description2 changed", "the object's LWM2MVersion changed"]),
        (changed(mandatory="Mandatory"), MAJOR, "2.0", ["the object's Mandatory changed"]),
        (changed(r0__units="Cel", r0__range_enumeration="-40..85"), MINOR, "1.2",
         ["resource 5700 (Sensor Value): its Range/Enumeration changed",
          "resource 5700 (Sensor Value): its Units changed"]),
        (changed(r1__name="Units", r1__type="Integer"), MAJOR, "2.0",
         ["resource 5701 (Units): its Type changed", "resource 5701 (Units): its Name changed"]),
        # An ID spelled with a leading zero or blanks is the same resource.
        (changed(r0__id=" 05700"), NONE, "1.1", []),
        # An ID changed: one resource removed, one added (optional: minor).
        (changed(r1__id="5750"), MAJOR, "2.0",
         ["resource 5701 (Sensor Units) is removed",
          "resource 5750 (Sensor Units) is added as an optional resource"]),
        (changed(r1__id="x", r1__name=" ", r1__mandatory=" Mandatory "), MAJOR, "2.0",
         ["resource x (no name) is added as a mandatory resource",
          "resource 5701 (Sensor Units) is removed"]),
    ],
)  # fmt: skip
def test_the_advice_and_its_reasons_major_first(draft, kind, version, reasons):
    advice = advise(small(), draft, (1, 1))
    assert (advice.kind, advice.base_version, advice.version) == (kind, "1.1", version)
    assert advice.reasons == reasons


def test_each_resource_against_the_base():
    draft = changed(r0__type="Integer", r0__units="Cel")
    draft.resources.insert(0, DraftResource(id="5601", name="Min"))  # in the draft's order
    advice = advise(small(), draft, (1, 1))
    assert [(r.id, r.name, r.status, r.kind) for r in advice.resources] == [
        ("5601", "Min", "added", MINOR),
        ("5700", "Sensor Value", "changed", MAJOR),
        ("5701", "Sensor Units", "same", NONE),
    ]
    assert [(f.label, f.old, f.new, f.kind) for f in advice.resources[1].fields] == [
        ("Type", "Float", "Integer", MAJOR), ("Units", "", "Cel", MINOR),
    ]  # fmt: skip
    assert [r.id for r in advice.changed] == ["5601", "5700"]
    assert advice.object_fields == []
    draft = changed(name="Temp")
    draft.resources.pop()
    advice = advise(small(), draft, (1, 1))
    assert [(f.label, f.old, f.new, f.kind) for f in advice.object_fields] == [
        ("Name", "Temperature", "Temp", MINOR)
    ]
    assert [(r.id, r.status, r.kind) for r in advice.changed] == [("5701", "removed", MAJOR)]


@pytest.mark.parametrize(
    "draft, base_version, latest, version",
    [
        (changed(name="T"), (1, 0), (1, 3), "1.4"),  # after the latest registered
        (changed(name="T"), (1, 1), (1, 0), "1.2"),  # an older latest: after the base
        (changed(name="T"), (1, 9), None, "1.10"),
        (changed(mandatory="Mandatory"), (1, 0), (2, 4), "3.0"),
        (changed(), (1, 0), (1, 3), "1.3"),
        (changed(), (1, 0), None, "1.0"),
    ],
)
def test_the_version_to_take(draft, base_version, latest, version):
    advice = advise(small(), draft, base_version, latest_version=latest)
    assert advice.version == version
    assert advice.base_version == f"{base_version[0]}.{base_version[1]}"


@pytest.mark.parametrize(
    "version, kind, after",
    [
        ((1, 9), MAJOR, "2.0"),
        ((1, 9), MINOR, "1.10"),
        ((1, 9), NONE, "1.9"),
        ((0, 0), MINOR, "0.1"),
    ],
)
def test_the_next_version(version, kind, after):
    assert next_version(version, kind) == after


@pytest.mark.parametrize(
    "draft, text",
    [
        (changed(), "No change against 1.1: nothing to publish."),
        (changed(name="T"),
         "A minor version, 1.2: the change keeps compatibility with 1.1; the object's Name "
         "changed."),
        (changed(name="T", description1="B."),
         "A minor version, 1.2: the change keeps compatibility with 1.1; the object's Name "
         "changed (and 1 more)."),
        (changed(name="T", mandatory="Mandatory", description1="B."),
         "A major version, 2.0: the change breaks compatibility with 1.1; the object's Mandatory "
         "changed (and 2 more)."),
    ],
)  # fmt: skip
def test_the_summary_sentence(draft, text):
    assert summary(advise(small(), draft, (1, 1))) == text
