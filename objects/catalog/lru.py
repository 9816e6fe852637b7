"""The one least-recently-used store of the site, bounded by entries and, when asked, by bytes,
safe across threads: every per-process cache is one (per_sync's memoized answers, the mirror's
whole answers, the answer store of registry_site/http_cache.py)."""

import sys
import threading
from collections import OrderedDict

# What an OrderedDict spends on one entry besides its key and value: a slot of its hash table
# and a node of its order (measured with tracemalloc on CPython 3.11: about 100 bytes).
ENTRY_OVERHEAD = 104


def footprint(value):
    """The bytes `value` holds in memory, its parts included: str, bytes, numbers, None, and
    tuples, lists, dicts and dataclass-like objects (with __dict__ or __slots__) of them.
    Each object is counted once."""
    seen, total, stack = set(), 0, [value]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, (str, bytes, bytearray, int, float, bool)) or item is None:
            continue
        if isinstance(item, (tuple, list, set, frozenset)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif hasattr(item, "__dict__"):
            stack.append(item.__dict__)
        else:
            stack.extend(getattr(item, name) for name in getattr(item, "__slots__", ()))
    return total


MISSING = object()


class BoundedLRU:
    """Values by key, the least recently used dropped past `max_entries` or, when `max_bytes`
    is given, past that many bytes of their footprint with their key's and the entry's; then a
    value over `max_bytes // 8` is never kept, so one value cannot empty the store. The bounds
    are callables, read at each put, so a setting changed by a test applies at once."""

    def __init__(self, max_entries, max_bytes=None):
        self.max_bytes, self.max_entries = max_bytes, max_entries
        self.lock = threading.Lock()
        self.entries = OrderedDict()  # key: (value, size)
        self.size = 0

    def __len__(self):
        return len(self.entries)

    def clear(self):
        with self.lock:
            self.entries, self.size = OrderedDict(), 0

    def values(self):
        """The values kept, least recently used first (a copy)."""
        with self.lock:
            return [value for value, _ in self.entries.values()]

    def get(self, key, default=None):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return default
            self.entries.move_to_end(key)
            return entry[0]

    def put(self, key, value):
        """Keep `value`; whether it was kept (False: too large for the budget)."""
        budget, most = self.max_bytes() if self.max_bytes else None, self.max_entries()
        size = 0 if budget is None else footprint(key) + footprint(value) + ENTRY_OVERHEAD
        if (budget is not None and size > budget // 8) or most < 1:
            return False
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self.entries[key] = (value, size)
            self.size += size
            while (budget is not None and self.size > budget) or len(self.entries) > most:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.size -= dropped
        return True
