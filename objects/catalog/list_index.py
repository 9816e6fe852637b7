"""The object list's index: a bitmap per word, facet value and resource ID over the list's rows,
built once per sync, so that a search, its filters and every facet count are a few bitwise
operations in C, however large the registry grows (see bench/RESULTS.md's scale round).

Row i is bit i of a Python int; the rows are in (ObjectID, version) order, the list's default
order. A word matches the rows where it begins a word (as PostgreSQL's prefix search does), so
"humid" finds Humidity and "3303" finds 3303 and 33030.
"""

import re
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from itertools import islice

TOKEN_RE = re.compile(r"[^\W_]+")
NONZERO = re.compile(rb"[^\x00]")
# A word's rows are kept as a bitmap when it is on more than one row in this many, else as a list
# of row numbers (a bitmap costs n/8 bytes whatever it holds; a list 4 bytes a row).
SPARSE = 256
# Only the first words of a long search weigh in its ranking (each may split the rows in three).
RANKED_WORDS = 6
CACHED_PREFIXES = 512
FACETS = ("label", "owner", "lwm2m", "quality", "status")


def to_mask(indices, n):
    data = bytearray((n + 7) // 8)
    for i in indices:
        data[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(data, "little")


def bits(mask):
    """The set bits of `mask`, lowest first (runs of zero bytes are skipped in C)."""
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    for match in NONZERO.finditer(data):
        base, byte = match.start() * 8, data[match.start()]
        while byte:
            low = byte & -byte
            yield base + low.bit_length() - 1
            byte ^= low


def tokens(text):
    return TOKEN_RE.findall(text.lower())


class TokenIndex:
    """Words -> rows, answering "the rows with a word that begins with this"."""

    def __init__(self, postings, n):
        self.n = n
        self.vocabulary = sorted(postings)
        self.rows = {
            token: to_mask(found, n) if len(found) * SPARSE > n else array("I", found)
            for token, found in postings.items()
        }
        self._prefixes = {}

    def prefix(self, word):
        mask = self._prefixes.get(word)
        if mask is None:
            lo = bisect_left(self.vocabulary, word)
            hi = bisect_left(self.vocabulary, word + "\U0010ffff", lo)
            mask, sparse = 0, []
            for token in self.vocabulary[lo:hi]:
                found = self.rows[token]
                if isinstance(found, int):
                    mask |= found
                else:
                    sparse.extend(found)
            if sparse:
                mask |= to_mask(sparse, self.n)
            if len(self._prefixes) >= CACHED_PREFIXES:
                self._prefixes.clear()
            self._prefixes[word] = mask
        return mask


class ListIndex:
    """Everything the list asks of its rows, as bitmaps; see the module's docstring."""

    def __init__(self, rows, facet_values):
        """`facet_values(row)` gives a row's value for each of FACETS, as a dict."""
        self.rows = rows
        n = self.n = len(rows)
        text, names, others = defaultdict(list), defaultdict(list), defaultdict(list)
        facets = {name: defaultdict(list) for name in FACETS}
        latest, resources, exact_names = [], defaultdict(list), defaultdict(list)
        self.object_rows = {}
        for i, row in enumerate(rows):
            for token in set(TOKEN_RE.findall(row.search_text)):
                text[token].append(i)
            for token in set(tokens(row.name)):
                names[token].append(i)
            for token in set(tokens(f"{row.owner} {row.urn}")):
                others[token].append(i)
            for name, value in facet_values(row).items():
                facets[name][value].append(i)
            if row.is_latest:
                latest.append(i)
            for resource_id in row.resources:
                resources[resource_id].append(i)
            exact_names[" ".join(row.name.lower().split())].append(i)
            first, _ = self.object_rows.get(row.object_id, (i, i))
            self.object_rows[row.object_id] = (first, i)
        self.all = (1 << n) - 1
        self.latest = to_mask(latest, n)
        self.text = TokenIndex(text, n)
        self.names = TokenIndex(names, n)
        self.others = TokenIndex(others, n)
        self.facets = {
            name: {value: to_mask(found, n) for value, found in values.items()}
            for name, values in facets.items()
        }
        self.resources = {rid: to_mask(found, n) for rid, found in resources.items()}
        self.exact_names = {name: array("I", found) for name, found in exact_names.items()}
        self._ranks = {}
        # Facet counts of the unfiltered list, by (every version?, statuses): once per sync.
        self.unfiltered = {}

    def object_mask(self, object_id):
        if object_id not in self.object_rows:
            return 0
        first, last = self.object_rows[object_id]
        return (1 << (last + 1)) - (1 << first)

    def objects_mask(self, object_ids):
        mask = 0
        for object_id in object_ids:
            mask |= self.object_mask(object_id)
        return mask

    def values_mask(self, name, values):
        mask = 0
        for value in values:
            mask |= self.facets[name].get(value, 0)
        return mask

    def rank(self, key):
        """Each row's place in the rows sorted by `key(row)`, computed once per sort."""
        if key not in self._ranks:
            order = sorted(range(self.n), key=lambda i: key(self.rows[i]))
            ranks = array("I", bytes(4 * self.n))
            for place, i in enumerate(order):
                ranks[i] = place
            self._ranks[key] = ranks
        return self._ranks[key]

    def matching(self, words, named):
        """The rows with every word (each word's every part begins a word of theirs), or named
        outright (`named`: a bitmap); None when the words hold nothing to match (punctuation)."""
        parts = [token for word in words for token in TOKEN_RE.findall(word)]
        if not parts:
            return None
        mask = self.all
        for part in dict.fromkeys(parts):
            mask &= self.text.prefix(part)
            if not mask:
                break
        return mask | named

    def ranked(self, mask, words, exact_id, resource_id, q):
        """The rows of `mask` in tiers of relevance, best first: an exact ObjectID or URN, then
        the objects that define the resource ID asked for, then the name equal to the search,
        then per word a match in the name, then in the owner or URN, then anywhere."""
        tiers = {0: mask}

        def split(hits, bonus, otherwise=0):
            nonlocal tiers
            new = defaultdict(int)
            for score, rows in tiers.items():
                if rows & hits:
                    new[score + bonus] |= rows & hits
                if rows & ~hits:
                    new[score + otherwise] |= rows & ~hits
            tiers = new

        exact = self.object_mask(exact_id) if exact_id is not None else 0
        split(exact, 1000)
        if resource_id is not None:
            split(self.resources.get(resource_id, 0) & ~exact, 500)
        same_name = self.exact_names.get(" ".join(q.lower().split()))
        if same_name:
            split(to_mask(same_name, self.n), 100)
        parts = [token for word in words for token in TOKEN_RE.findall(word)]
        for part in list(dict.fromkeys(parts))[:RANKED_WORDS]:
            in_name = self.names.prefix(part)
            in_other = self.others.prefix(part) & ~in_name
            split(in_name, 20)
            split(in_other, 5)
            split(~in_name & ~in_other, 1)
        return [tiers[score] for score in sorted(tiers, reverse=True)]


class OrderedRows(Sequence):
    """The matching rows in the order asked for, read lazily: a page reads only its rows.

    `tiers` are bitmaps read one after the other, each in row order; with `rank`, the rows are
    sorted by it instead (sorted once, on first read).
    """

    def __init__(self, index, tiers, rank=None):
        self.index, self.tiers, self.rank = index, [t for t in tiers if t], rank
        self.length = sum(t.bit_count() for t in self.tiers)
        self._sorted = None

    def __len__(self):
        return self.length

    def _positions(self, start, stop):
        if self.rank is not None:
            if self._sorted is None:
                found = [i for tier in self.tiers for i in bits(tier)]
                self._sorted = sorted(found, key=self.rank.__getitem__)
            return self._sorted[start:stop]
        found = []
        for tier in self.tiers:
            size = tier.bit_count()
            if start >= size:
                start, stop = start - size, stop - size
                continue
            found += islice(bits(tier), start, stop)
            start, stop = 0, stop - size
            if stop <= 0:
                break
        return found

    def __getitem__(self, item):
        if isinstance(item, slice):
            start, stop, step = item.indices(self.length)
            rows = [self.index.rows[i] for i in self._positions(start, stop)]
            return rows[::step] if step != 1 else rows
        if item < 0:
            item += self.length
        if not 0 <= item < self.length:
            raise IndexError(item)
        return self.index.rows[self._positions(item, item + 1)[0]]

    def __iter__(self):
        chunk = 500
        for start in range(0, self.length, chunk):
            yield from self[start : start + chunk]
