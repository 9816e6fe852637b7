"""What a process keeps per sync, in one place: every per-process cache of answers that change
only with the data (the list's rows and index, the resource index, the ID space, the pages'
parts, the mirror's whole answers, the templates' fragments) registers here and is dropped here.

The key is the live generation (objects/models.py) of the run a request read, with the run
itself (a sync that changed no row still records what it could not fetch): a newer key drops
every cache at once. An answer computed for an older key than the one kept (a request that read
the run just before a swap) is served but never kept.
"""

import threading
from functools import wraps

from django.core.cache import caches

from objects.catalog.lru import MISSING, BoundedLRU
from objects.models import live_generation

# The Django cache alias of the templates' {% cache %} fragments (registry_site/settings.py).
FRAGMENTS = "per_sync"


def key_of(run):
    """(live generation, end, row) of a run, in the order syncs happen. SyncRun.last_successful
    annotates the generation and a sync sets it on its run; any other run is told it here."""
    generation = getattr(run, "generation", None)
    if generation is None:
        generation = live_generation()
    return (generation, run.finished, run.pk)


class PerSync:
    def __init__(self):
        self.lock = threading.RLock()
        self.key = None
        self.caches = []

    def register(self, cache):
        """Keep `cache` (anything with clear()) per sync: it is cleared with every other."""
        with self.lock:
            self.caches.append(cache)
        return cache

    def admit(self, run):
        """Move on to the run's key (dropping every cache when it is newer); whether answers
        for it may be kept (False: it is older than the one kept)."""
        key = key_of(run)
        with self.lock:
            if self.key is not None and key < self.key:
                return False
            if key != self.key:
                self._clear()
                self.key = key
            return True

    def keeps(self, run):
        """Whether the run's key is the one kept now (to store an answer built for it)."""
        with self.lock:
            return key_of(run) == self.key

    def forget(self):
        """Drop everything: for data changed outside a sync (the tests' fixture, hand edits)."""
        with self.lock:
            self._clear()
            self.key = None

    def _clear(self):
        for cache in self.caches:
            cache.clear()
        caches[FRAGMENTS].clear()


kept = PerSync()


def per_sync(maxsize=256):
    """Memoize `func(run, *args)` for the run's key (no run: not kept)."""

    def decorator(func):
        store = kept.register(BoundedLRU(lambda: maxsize))

        @wraps(func)
        def wrapper(run, *args):
            if run is None or not kept.admit(run):
                return func(run, *args)
            value = store.get(args, MISSING)
            if value is not MISSING:
                return value
            value = func(run, *args)
            with kept.lock:
                if kept.keeps(run):
                    store.put(args, value)
            return value

        return wrapper

    return decorator
