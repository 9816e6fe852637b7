from objects.compare import compare_versions
from objects.models import ObjectVersion


def diff(object_id, a, b):
    old = ObjectVersion.objects.get(object_id=object_id, ver=a)
    new = ObjectVersion.objects.get(object_id=object_id, ver=b)
    return compare_versions(old, new, list(old.resources.all()), list(new.resources.all()))


def test_device_1_0_to_1_1(synced):
    result = diff(3, "1.0", "1.1")
    assert [r.resource_id for r in result.added] == [22]
    assert result.removed == []
    changed = {c.resource_id: {f.field: (f.old, f.new) for f in c.changes} for c in result.changed}
    assert changed == {
        1: {"description": ("A model identifier.",
                            "A model identifier (manufacturer specified string).")},
        9: {"type": ("Integer", "Unsigned Integer"), "units": ("/100", "%")},
    }  # fmt: skip
    assert result.unchanged == 2
    fields = {c.field: (c.old, c.new) for c in result.object_changes}
    assert fields["urn"] == ("urn:oma:lwm2m:oma:3", "urn:oma:lwm2m:oma:3:1.1")
    assert fields["lwm2m_version"] == ("1.0", "1.1")
    assert fields["description2"] == ("", "Device object, version 1.1.")
    assert "name" not in fields and not result.identical


def test_the_other_way_round_removes(synced):
    result = diff(3, "1.1", "1.0")
    assert [r.resource_id for r in result.removed] == [22] and result.added == []


def test_a_version_against_itself_is_identical(synced):
    result = diff(10300, "1.10", "1.10")
    assert result.identical and result.unchanged == 2


def test_line_wrapping_is_not_a_change(synced):
    old = ObjectVersion.objects.get(object_id=3304)
    new = ObjectVersion.objects.get(object_id=3304)
    new.description = old.description.replace(" ", "\n  ")
    assert compare_versions(old, new, [], []).identical


def test_changed_words_are_marked_and_escaped():
    from objects.compare import mark_words

    old, new = mark_words("Reboot the <device> now.", "Reboot  the <gateway>\nnow.")
    assert old == "Reboot the <del>&lt;device&gt;</del> now."
    assert new == "Reboot  the <ins>&lt;gateway&gt;</ins>\nnow."
    assert mark_words("a b", "a b c") == ("a b", "a b <ins>c</ins>")


def test_the_compare_page_marks_the_changed_words(client, synced):
    page = client.get("/objects/3/compare/1.0...1.1/").text
    assert "A model <ins>identifier (manufacturer specified string).</ins>" in page
    assert "A model <del>identifier.</del>" in page
