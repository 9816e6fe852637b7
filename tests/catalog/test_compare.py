import random
import re
import time
from html import unescape
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils.html import escape

from objects.catalog.compare import FieldChange, MarkingBudget, compare_versions, mark_words
from objects.models import ObjectVersion
from tests.work import matcher_work

# Token pairs a compare may look at (tests/work.py): a field's word diff is capped at ~30M
# matcher steps and a page's at ~40M; uncapped, the cases below take billions.
FIELD_PAIRS = 30_000_000
PAGE_PAIRS = 45_000_000
# Wall-clock bounds only against a hang, generous for a busy CI machine: the work is counted.
GENEROUS = 30


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
    assert "name" not in fields
    assert not result.identical


def test_the_other_way_round_removes(synced):
    result = diff(3, "1.1", "1.0")
    assert [r.resource_id for r in result.removed] == [22]
    assert result.added == []


def test_a_version_against_itself_is_identical(synced):
    result = diff(10300, "1.10", "1.10")
    assert result.identical
    assert result.unchanged == 2


def test_line_wrapping_is_not_a_change(synced):
    old = ObjectVersion.objects.get(object_id=3304)
    new = ObjectVersion.objects.get(object_id=3304)
    new.description = old.description.replace(" ", "\n  ")
    assert compare_versions(old, new, [], []).identical


def test_changed_words_are_marked_and_escaped():
    from objects.catalog.compare import mark_words

    old, new = mark_words("Reboot the <device> now.", "Reboot  the <gateway>\nnow.")
    assert old == "Reboot the <del>&lt;device&gt;</del> now."
    assert new == "Reboot  the <ins>&lt;gateway&gt;</ins>\nnow."
    assert mark_words("a b", "a b c") == ("a b", "a b <ins>c</ins>")


def test_the_compare_page_marks_the_changed_words(client, synced):
    page = client.get("/objects/3/compare/1.0...1.1/").text
    assert "A model <ins>identifier (manufacturer specified string).</ins>" in page
    assert "A model <del>identifier.</del>" in page


# Word marking must stay fast on text crafted against difflib (cubic on repetitive words).

SENTENCES = [
    "The Device Object provides a range of device related information which can be queried "
    "by the LwM2M Server, and a device reboot and factory reset function.",
    "When the value is < 0 or > 100 the reading is invalid & the LwM2M Client reports "
    '"unavailable" instead of a stale value.',
    "The Current Time resource is synchronized with the Server when the Client registers, "
    "then kept by the local clock until the next registration update.",
    "Each instance of the Error Code resource reports one error; an empty list means that "
    "no error has occurred since the last Reset Error Code execution.",
    "Battery Level is a percentage of the remaining capacity, and Battery Status tells "
    "whether the battery is charging, charged, damaged or not installed.",
]
DESCRIPTION = " ".join(f"({i}) {s}" for i, s in enumerate(SENTENCES * 4))


def text_of(html):
    """The text a marked field shows, without the <del>/<ins> tags."""
    assert "<" not in re.sub(r"</?(del|ins)>", "", html)  # nothing else left unescaped
    return unescape(re.sub(r"</?(del|ins)>", "", html))


def test_a_one_word_change_in_a_long_description_is_that_word():
    words = DESCRIPTION.split(" ")
    middle = len(words) // 2
    changed = words.copy()
    changed[middle] = "rebooted"
    assert len(DESCRIPTION) > 2900
    assert words[middle] != "rebooted"
    old, new = mark_words(DESCRIPTION, " ".join(changed))
    head, tail = escape(" ".join(words[:middle]) + " "), escape(" " + " ".join(words[middle + 1 :]))
    assert old == f"{head}<del>{escape(words[middle])}</del>{tail}"
    assert new == f"{head}<ins>rebooted</ins>{tail}"


def random_words(seed, words=("on", "off"), count=2000):
    choose = random.Random(seed).choice
    return " ".join(choose(words) for _ in range(count))


CRAFTED = {
    "x against x y": ("x " * 2000, "x y " * 1000),
    "w against w v": ("w " * 2000, "w v " * 1000),
    "w v against v w": ("w v " * 1000, "v w " * 1000),
    "two random words": (random_words(1), random_words(2)),
    "different ends": ("start " + "x " * 2000 + "end", "begin " + "x y " * 1000 + "stop"),
    "markup": ("<b> " * 1000, "<b> &amp; " * 500),
    "just under the per-field cap": ("a " + "x " * 140 + "b", "c " + "x y " * 70 + "d"),
}


@pytest.mark.parametrize("name", CRAFTED)
def test_crafted_repetitive_text_is_marked_quickly_and_completely(name):
    before, after = CRAFTED[name]
    start = time.perf_counter()
    with matcher_work(FIELD_PAIRS):  # up to 211 s before the caps
        old, new = mark_words(before, after)
    assert time.perf_counter() - start < GENEROUS  # ~1 ms here
    assert (text_of(old), text_of(new)) == (before, after)


def test_a_field_under_the_cap_is_marked_word_by_word():
    old, new = mark_words(*CRAFTED["just under the per-field cap"])
    assert old.count("<del>x</del>") == 70
    assert new.count("<ins>y</ins>") == 70


def test_a_field_over_the_cap_is_marked_as_a_whole():
    before, after = "a " + "x " * 149 + "b", "c " + "x y " * 74 + "d"  # 301 x 299 tokens
    with matcher_work(0) as work:  # its own budget would pay for it: the cap doesn't
        old, new = mark_words(before, after)
    assert work["matchers"] == 0
    assert (old, new) == (f"<del>{before}</del>", f"<ins>{after}</ins>")


def test_over_budget_the_whole_middle_is_one_change():
    no_steps = MarkingBudget(steps=0)
    old, new = mark_words("Keep <a> b c & end.", "Keep x  y & end.", no_steps)
    assert old == "Keep <del>&lt;a&gt; b c</del> &amp; end."
    assert new == "Keep <ins>x  y</ins> &amp; end."
    old, new = mark_words("Keep  it: x b & end.", "Keep it:\nx a c & end.", no_steps)
    assert old == "Keep  it: x <del>b</del> &amp; end."
    assert new == "Keep it:\nx <ins>a c</ins> &amp; end."
    assert mark_words("a b c", "a b  c d", no_steps) == ("a b c", "a b  c <ins>d</ins>")


def test_over_budget_for_tokens_the_text_is_compared_by_characters():
    nothing = MarkingBudget(steps=0, chars=0)
    old, new = mark_words("Keep <a> b c & end.", "Keep x  y & end.", nothing)
    assert old == "Keep <del>&lt;a&gt; b c</del> &amp; end."
    assert new == "Keep <ins>x  y</ins> &amp; end."
    old, new = mark_words("Keep  it: abc & end.", "Keep it:\nabd & end.", nothing)
    assert old == "Keep  <del>it: abc</del> &amp; end."  # no word marked in part
    assert new == "Keep <ins>it:\nabd</ins> &amp; end."
    assert mark_words("Integer", "Unsigned Integer", nothing) == (
        "Integer",
        "<ins>Unsigned</ins> Integer",
    )


def crafted_resource(resource_id, middle):
    head, tail = DESCRIPTION[:1000], DESCRIPTION[-1000:]
    return SimpleNamespace(
        resource_id=resource_id,
        name=f"Resource {resource_id}",
        operations="R",
        multiple_instances="Single",
        mandatory="Optional",
        type="Integer",
        range_enumeration="",
        units="",
        description=f"{head} {middle} {tail}",
    )


def crafted_versions(resources=1000):
    """An object whose description and every resource's description and type changed, each
    around a repetitive middle cheap enough for one field but not for a thousand."""
    old, new = crafted_resource(0, "x " * 100), crafted_resource(0, "x y " * 50)
    olds = [crafted_resource(rid, "x " * 100) for rid in range(resources)]
    news = [crafted_resource(rid, "x y " * 50) for rid in range(resources)]
    for resource in news:
        resource.type = "Unsigned Integer"
    for version in (old, new):
        for name in ("urn", "owner", "label_name", "lwm2m_version", "description2"):
            setattr(version, name, "")
        version.spec_link, version.status = "", "final"
    return old, new, olds, news


def test_a_page_of_crafted_changes_shares_one_budget():
    start = time.perf_counter()
    with matcher_work(PAGE_PAIRS) as work:  # ~50 s without the budget
        diff = compare_versions(*crafted_versions())
        fields = diff.object_changes + [c for rc in diff.changed for c in rc.changes]
        marked = [c.marked for c in fields]  # in page order, as the template reads them
    assert time.perf_counter() - start < GENEROUS  # ~0.2 s here
    assert work["matchers"] < 1000  # the budget ran out long before the last field
    assert len(diff.changed) == 1000
    assert len(fields) == 2001
    descriptions = [m for c, m in zip(fields, marked, strict=True) if c.field == "description"]
    assert descriptions[0][1].count("<ins>y</ins>") == 50  # the first one word by word
    assert descriptions[-1][1].count("<ins>") == 1  # the last one as a whole
    for change, (old, new) in zip(fields, marked, strict=True):
        assert (text_of(old), text_of(new)) == (change.old, change.new)


def test_a_page_of_large_crafted_fields_tokenizes_a_bounded_amount():
    old, new, olds, news = crafted_versions()
    for resource in olds:
        resource.description = "Keep  it: " + "x " * 1000 + "end."
    for resource in news:
        resource.description = "Keep it: " + "x y " * 500 + "stop."
    start = time.perf_counter()
    with matcher_work(PAGE_PAIRS):
        diff = compare_versions(old, new, olds, news)
        marked = [c.marked for rc in diff.changed for c in rc.changes if c.field == "description"]
    assert time.perf_counter() - start < GENEROUS  # ~0.1 s here
    assert marked[0][0].startswith("Keep  it: x <del>x x")  # the first ones token by token
    assert marked[-1][0].startswith("Keep  <del>it: x x")  # the last ones by characters
    for (old_html, new_html), resource in zip(marked, news, strict=True):
        assert text_of(old_html) == olds[0].description
        assert text_of(new_html) == resource.description


def test_the_compare_page_renders_a_crafted_version_quickly():
    old, new, olds, news = crafted_versions()
    old.ver, old.pk, new.ver, new.pk = "1.0", 1, "2.0", 2
    start = time.perf_counter()
    with matcher_work(PAGE_PAIRS):  # ~50 s without the budget
        diff = compare_versions(old, new, olds, news)
        context = {"object_id": 3, "versions": [old, new], "old": old, "new": new, "diff": diff}
        page = render_to_string("objects/compare.html", context)
    assert time.perf_counter() - start < GENEROUS  # ~0.4 s here
    assert page.count("<ins>y</ins>") >= 50
    assert page.count("<ins>Unsigned</ins>") == 1000


def test_marked_is_computed_once():
    budget = MarkingBudget()
    change = FieldChange("description", "Description", "x " * 100, "x y " * 50, budget)
    first = change.marked
    left = budget.steps.left, budget.chars.left
    assert budget.steps.left < MarkingBudget().steps.left  # the first reading spent
    assert change.marked is first
    assert (budget.steps.left, budget.chars.left) == left
