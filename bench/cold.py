"""The cold round's URLs, from the synced database: many distinct ones, so no answer is one
that a per-process cache already holds (one URL per endpoint only ever measures the cache)."""

import random
import re
import sqlite3
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from bench import peer
from objects.lwm2m.ids import LABELS

SEARCHES = 1000
SEED = 4  # the same searches in every run, for ours and the peer
WORD_RE = re.compile(r"[a-z]{3,}")
COMMON = frozenset({"the", "and", "for", "with", "from", "this", "that", "not", "are"})
NAMES_SQL = """
SELECT name, owner, label FROM objects_objectversion
UNION ALL
SELECT r.name, v.owner, v.label
FROM objects_resource r JOIN objects_objectversion v ON v.id = r.object_version_id
"""


@dataclass(frozen=True, order=True)
class Search:
    """One faceted search, as our htmx fragment asks it and as Datasette does."""

    words: str
    owner: str = ""
    label: int = -1  # -1: no label filter

    def ours(self):
        pairs = [("q", self.words)]
        pairs += [("owner", self.owner)] if self.owner else []
        pairs += [("label", LABELS[self.label])] if self.label >= 0 else []
        return "/?" + urlencode(pairs)

    def peer(self, fmt=""):
        label = self.label if self.label >= 0 else None
        return peer.search_path(self.words, self.owner or None, fmt, label=label)


def distinct_searches(db_path, count=SEARCHES, seed=SEED):
    """`count` searches from words of the object and resource names: single words and pairs
    of neighbours, each alone, with its object's owner, or with its label, in equal shares."""
    kinds = {}
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        for name, owner, label in db.execute(NAMES_SQL):
            words = [w for w in WORD_RE.findall(name.lower()) if w not in COMMON]
            for gram in [(w,) for w in words] + list(zip(words, words[1:], strict=False)):
                text = " ".join(gram)
                variants = [("alone", Search(text)), ("label", Search(text, label=label))]
                variants += [("owner", Search(text, owner=owner))] if owner.strip() else []
                for kind, search in variants:
                    kinds.setdefault((len(gram), kind), set()).add(search)
    rng = random.Random(seed)
    pools = []
    for key in sorted(kinds):
        pool = sorted(kinds[key])
        rng.shuffle(pool)
        pools.append(pool)
    chosen = []
    while len(chosen) < count and any(pools):
        chosen += [pool.pop() for pool in pools if pool][: count - len(chosen)]
    return chosen


def page_paths(db_path, seed=SEED):
    """Every object page and every version page, shuffled (the same order in every run)."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        versions = db.execute("SELECT object_id, ver FROM objects_objectversion").fetchall()
    paths = [f"/objects/{object_id}/" for object_id in sorted({oid for oid, _ in versions})]
    paths += [f"/objects/{object_id}/{quote(ver)}/" for object_id, ver in sorted(versions)]
    random.Random(seed).shuffle(paths)
    return paths
