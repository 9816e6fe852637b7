"""What changed between two versions of an object: its own fields and its resources."""

import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property
from html import escape  # what django.utils.html.escape calls, without its lazy wrapper's cost

from django.utils.safestring import mark_safe

OBJECT_FIELDS = (
    ("name", "Name"),
    ("urn", "URN"),
    ("owner", "Owner"),
    ("label_name", "Label"),
    ("lwm2m_version", "LwM2M version"),
    ("multiple_instances", "Instances"),
    ("mandatory", "Mandatory"),
    ("description", "Description"),
    ("description2", "Description 2"),
    ("spec_link", "Specification"),
    ("status", "Definition"),
)
RESOURCE_FIELDS = (
    ("name", "Name"),
    ("operations", "Operations"),
    ("multiple_instances", "Instances"),
    ("mandatory", "Mandatory"),
    ("type", "Type"),
    ("range_enumeration", "Range/Enumeration"),
    ("units", "Units"),
    ("description", "Description"),
)


SPLIT_RE = re.compile(r"(\s+)")
# Common starts and ends of token lists are compared this many at a time, as one list
# comparison in C.
CHUNK = 32

# Word marking is bounded per field and per compare page, because its text comes from the
# network and difflib.SequenceMatcher is cubic on repetitive text ("x x x ..." against
# "x y x y ..."). Rates measured on the 2-core dev VM (CPython 3.11.7) by timing
# SequenceMatcher on pairs of periodic word patterns ("x x ..." vs "x y x y ...", "w ..." vs
# "w v w v ...", ...) square and lopsided (1 to 100,000 tokens a side), and on random texts: a
# step of _matcher_steps() takes at most ~5 ns (0.1-1.2 ns on random text, 0.2-1.3 ns on the
# real registry's changed fields); a call on a few tokens takes 3-5 us. Splitting text into
# tokens and comparing them takes up to ~70 ns a character (on one-letter words).
MATCHER_CALL_STEPS = 1_500
# <= ~150 ms for one field. The costliest real field (object 3's description, 1.0 -> 1.2: 259 x
# 313 tokens once the common ends are cut off) is 27M steps and takes 4 ms.
FIELD_MATCHER_STEPS = 30_000_000
# <= ~200 ms for all the fields of one page.
PAGE_MATCHER_STEPS = 40_000_000
# <= ~40 ms of tokenizing for one page; the largest real definition is 33 KB.
PAGE_TOKENIZED_CHARS = 500_000


class Allowance:
    """Units of work left, taken whole or not at all."""

    def __init__(self, units):
        self.left = units

    def take(self, units):
        if units > self.left:
            return False
        self.left -= units
        return True


class MarkingBudget:
    """The word-marking work one compare page may do, so a hostile registry can't make the page
    slow however many fields it changes: SequenceMatcher steps (once spent, a field's differing
    middle is marked as a whole) and characters to split into tokens (once spent, a field is
    compared as plain characters, white space differences included)."""

    def __init__(self, steps=None, chars=None):
        self.steps = Allowance(PAGE_MATCHER_STEPS if steps is None else steps)
        self.chars = Allowance(PAGE_TOKENIZED_CHARS if chars is None else chars)


def _matcher_steps(n, m):
    """An upper bound on SequenceMatcher's work for n and m tokens: each of at most
    min(n, m) + 1 levels of find_longest_match looks at every pair of equal tokens, and at
    every token (which costs as much as ~40 pairs)."""
    return (min(n, m) + 1) * ((n + 1) * (m + 1) + 40 * (n + m)) + MATCHER_CALL_STEPS


def _same_start(a, b):
    """The length of the longest common start of two strings, found by halving: one C
    comparison a step, no Python loop over the characters of a hostile 2 MB field."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _at_token_edge(text, i):
    """Whether a token (a word or a white space) ends, or starts, at i."""
    return i == 0 or i == len(text) or text[i - 1].isspace() != text[i].isspace()


def _split_ends(before, after):
    """The lengths of the common start and of the common end of the two texts, cut back to
    whole tokens (a word or a white space) so that no word is marked in part."""
    start = _same_start(before, after)
    if not (_at_token_edge(before, start) and _at_token_edge(after, start)):
        common = before[:start]
        if common[-1].isspace():
            start = len(common.rstrip())
        else:
            start -= len(common.rsplit(None, 1)[-1])
    end = _same_start(before[start:][::-1], after[start:][::-1])
    if not (_at_token_edge(before, len(before) - end) and _at_token_edge(after, len(after) - end)):
        common = before[len(before) - end :]
        if common[0].isspace():
            end = len(common.lstrip())
        else:
            end -= len(common.split(None, 1)[0])
    return start, end


def _tokens(text):
    """The words and white spaces of text, alternating (words at even places, "" at an end that
    is white space), and a copy with each white space as one space, which is what is compared
    (white space differences are not changes). All in C, as is the trimming below: a Python
    loop over the tokens of a hostile 2 MB field would take a large share of the page's time."""
    tokens = SPLIT_RE.split(text)
    compared = tokens.copy()
    compared[1::2] = [" "] * (len(tokens) // 2)
    return tokens, compared


def _common_head(a, b, limit):
    """How many leading items a and b share, up to limit; compared a slice at a time, in C."""
    head = 0
    while head < limit:
        end = min(head + CHUNK, limit)
        if a[head:end] != b[head:end]:
            break
        head = end
    while head < limit and a[head] == b[head]:
        head += 1
    return head


def _common_tail(a, b, limit):
    """How many trailing items a and b share, up to limit; compared a slice at a time, in C."""
    n, m, tail = len(a), len(b), 0
    while tail < limit:
        end = min(tail + CHUNK, limit)
        if a[n - end : n - tail] != b[m - end : m - tail]:
            break
        tail = end
    while tail < limit and a[n - 1 - tail] == b[m - 1 - tail]:
        tail += 1
    return tail


def mark_words(before, after, budget=None):
    """Both texts as HTML with the words that differ in <del> and <ins>, so a one-word change
    in a long description is seen at a glance. Whitespace differences are not changes.

    The common start and end are cut off first (in linear time), so only the differing middle
    is diffed; when that is too costly for the field or for the page's budget, the whole middle
    is marked as one deletion and one insertion instead."""
    if budget is None:
        budget = MarkingBudget()
    # Escaping first changes no white space and keeps different words different, and then
    # each text is escaped in one call rather than piece by piece.
    before, after = escape(before), escape(after)
    start, end = _split_ends(before, after)
    old_middle, new_middle = before[start : len(before) - end], after[start : len(after) - end]
    if budget.chars.take(len(old_middle) + len(new_middle)):
        old_middle, new_middle = _mark_middle(old_middle, new_middle, budget)
    else:  # White space differences there show as changes, but only on a hostile page.
        old_middle, new_middle = _wrap("del", old_middle), _wrap("ins", new_middle)
    old = before[:start] + old_middle + before[len(before) - end :]
    new = after[:start] + new_middle + after[len(after) - end :]
    return mark_safe(old), mark_safe(new)


def _mark_middle(before, after, budget):
    """mark_words on the differing middle of two escaped texts, at a token's precision."""
    old_tokens, a = _tokens(before)
    new_tokens, b = _tokens(after)
    shorter = min(len(a), len(b))
    head = _common_head(a, b, shorter)
    tail = _common_tail(a, b, shorter - head)
    a_end, b_end = len(a) - tail, len(b) - tail
    old, new = ["".join(old_tokens[:head])], ["".join(new_tokens[:head])]
    n, m = a_end - head, b_end - head
    steps = _matcher_steps(n, m)
    if n and m and steps <= FIELD_MATCHER_STEPS and budget.steps.take(steps):
        matcher = difflib.SequenceMatcher(None, a[head:a_end], b[head:b_end], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            left = "".join(old_tokens[head + i1 : head + i2])
            right = "".join(new_tokens[head + j1 : head + j2])
            if op == "equal":
                old.append(left)
                new.append(right)
                continue
            old.append(_wrap("del", left))
            new.append(_wrap("ins", right))
    else:
        old.append(_wrap("del", "".join(old_tokens[head:a_end])))
        new.append(_wrap("ins", "".join(new_tokens[head:b_end])))
    old.append("".join(old_tokens[a_end:]))
    new.append("".join(new_tokens[b_end:]))
    return "".join(old), "".join(new)


def _wrap(tag, html):
    """The tag around the words only, the white space that borders them left outside."""
    words = html.strip()
    if not words:
        return html
    start = html.index(words)
    return f"{html[:start]}<{tag}>{words}</{tag}>{html[start + len(words) :]}"


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str
    # Shared by all the fields of one Comparison; None: a budget of its own.
    budget: MarkingBudget | None = field(default=None, repr=False, compare=False)

    @cached_property
    def marked(self):
        """Computed once, when the page first reads it (so it spends the budget once)."""
        return mark_words(self.old, self.new, self.budget)


@dataclass
class ResourceChange:
    resource_id: int
    name: str
    changes: list


@dataclass
class Comparison:
    object_changes: list = field(default_factory=list)
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: int = 0

    @property
    def identical(self):
        return not (self.object_changes or self.added or self.removed or self.changed)


def field_changes(old, new, fields, budget=None):
    """The fields whose text differs; whitespace-only differences (line wrapping) don't count.
    Their word marking shares budget (one page's MarkingBudget), or one of their own."""
    if budget is None:
        budget = MarkingBudget()
    changes = []
    for name, label in fields:
        before, after = str(getattr(old, name) or ""), str(getattr(new, name) or "")
        if before.split() != after.split():
            changes.append(FieldChange(name, label, before, after, budget))
    return changes


def compare_versions(old, new, old_resources, new_resources, budget=None):
    """Compare two versions given their resources (each a list of Resource-like objects).
    All the changed fields share one MarkingBudget, so the page's word marking is bounded."""
    if budget is None:
        budget = MarkingBudget()
    result = Comparison(object_changes=field_changes(old, new, OBJECT_FIELDS, budget))
    before = {r.resource_id: r for r in old_resources}
    after = {r.resource_id: r for r in new_resources}
    result.added = [after[rid] for rid in sorted(after.keys() - before.keys())]
    result.removed = [before[rid] for rid in sorted(before.keys() - after.keys())]
    for rid in sorted(before.keys() & after.keys()):
        changes = field_changes(before[rid], after[rid], RESOURCE_FIELDS, budget)
        if changes:
            result.changed.append(ResourceChange(rid, after[rid].name, changes))
        else:
            result.unchanged += 1
    return result
