"""Owner names as one engineer would name them: the registry spells some owners several ways
("Huawei", "Huawei Technologies", "Huawei Technologies Co., Ltd."), and a filter by one of them
should find them all. The data keeps the registry's spelling; only the list's facet and filter
group them.

Two spellings are one owner when they differ only in letter case, spacing, punctuation or a
trailing company suffix, or, for names of eight letters or more, by one letter ("CloudMind",
"CoudMinds" and "CloudMinds") -- never by a digit, so "Acme 7" and "Acme 8" stay apart.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from objects.catalog.list_index import TOKEN_RE

# Legal forms and the words companies append to their name, compared after punctuation is gone.
COMPANY_SUFFIXES = frozenset((
    "ab", "ag", "bv", "co", "company", "corp", "corporation", "gmbh", "group", "inc",
    "incorporated", "kk", "limited", "llc", "ltd", "nv", "oy", "plc", "pty", "sa", "sarl", "sas",
    "services", "spa", "srl", "technologies", "technology",
))  # fmt: skip
MIN_FUZZY = 8


def owner_key(name):
    """The comparison key of an owner's name: "huawei" for every spelling of Huawei."""
    words = TOKEN_RE.findall(str(name).casefold())
    while len(words) > 1 and words[-1] in COMPANY_SUFFIXES:
        words.pop()
    return " ".join(words)


def _deletions(key):
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


def _one_letter_apart(a, b):
    """True when `a` and `b` differ by one inserted, deleted or replaced letter (not digit)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        return len(diff) == 1 and not (diff[0][0].isdigit() or diff[0][1].isdigit())
    short, long_ = sorted((a, b), key=len)
    for i, ch in enumerate(long_):
        if long_[:i] + long_[i + 1 :] == short:
            return not ch.isdigit()
    return False


@dataclass
class OwnerGroup:
    """One owner and the registry's spellings of it, the most used first."""

    key: str
    name: str
    spellings: list = field(default_factory=list)

    @property
    def other_spellings(self):
        return [spelling for spelling in self.spellings if spelling != self.name]


def group_owners(counts):
    """{spelling: OwnerGroup} for a Counter of spellings (how many versions use each).

    A key folds into the key of a more used one at one letter from it; each group is named by
    its most used spelling.
    """
    by_key = defaultdict(Counter)
    for spelling, count in counts.items():
        if spelling:
            by_key[owner_key(spelling)][spelling] += count
    weight = {key: sum(spellings.values()) for key, spellings in by_key.items()}
    # Fuzzy pairs, found through shared one-letter deletions rather than by comparing all pairs.
    neighbours = defaultdict(set)
    for key in by_key:
        if len(key) >= MIN_FUZZY - 1:
            for variant in _deletions(key) | {key}:
                neighbours[variant].add(key)
    parent = {}
    for key in sorted(by_key, key=lambda k: (-weight[k], k)):
        if len(key) < MIN_FUZZY - 1:
            continue
        for variant in _deletions(key) | {key}:
            for other in neighbours.get(variant, ()):
                if key in parent or other == key or other in parent:
                    continue
                if max(len(key), len(other)) >= MIN_FUZZY and _one_letter_apart(key, other):
                    # The less used joins the more used (in weight order, never a member).
                    big, small = sorted((key, other), key=lambda k: (-weight[k], k))
                    parent[small] = big
    merged = defaultdict(Counter)
    for key, spellings in by_key.items():
        merged[parent.get(key, key)].update(spellings)
    groups = {}
    for key, spellings in merged.items():
        ordered = [s for s, _ in sorted(spellings.items(), key=lambda item: (-item[1], item[0]))]
        group = OwnerGroup(key=key, name=ordered[0], spellings=ordered)
        for spelling in ordered:
            groups[spelling] = group
    return groups
