"""Heavy answers: the ZIPs of code and of definitions, seconds of CPU and tens of MB each to
build for the whole registry. Three rules keep them from stalling the site:

- Their store key (registry_site/http_cache.py) holds only what the answer depends on: a junk
  query parameter, a page number or a page size is no new build.
- One build per key at a time: a request that finds the same answer being built waits for it
  (up to BUILD_WAIT seconds) and is served that build's answer (single-flight).
- At most HEAVY_BUILDS builds per process at once; a request that cannot start one within
  HEAVY_WAIT seconds gets a 503 with Retry-After. The server's front runs these paths on
  threads of their own (HEAVY_THREADS, registry_site/front.py), so /healthz and the light pages
  always have THREADS threads, whatever the heavy answers do.
"""

import threading
import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse

from objects.catalog.list_params import DEFAULT_PER, ListParams

# What a 503 asks a client to wait, in seconds: about one build of the whole registry's code.
RETRY_AFTER = 5
# How long a request waits for the same answer's build under way, in seconds: it holds one of
# the front's heavy threads, no CPU, and gets the answer without building it again.
BUILD_WAIT = 60


def list_query(query):
    """The list parameters that choose a selection; its page and page size choose nothing."""
    pairs = ListParams.from_query(query).pairs(page=1, per=DEFAULT_PER)
    # Without any status, an export lists every status: a status given is not the same query
    # as the defaults left out (objects/views/lists.py, matching_rows).
    return pairs + ([("status-given", "1")] if "status" in query else [])


def code_zip_query(query):
    target = query.get("target", "all")
    if "id" in query:  # the view reads the IDs as given, in their order
        return [("target", target), ("id", ",".join(query.getlist("id")))]
    return [("target", target), *list_query(query)]


# Each heavy path and the query its answer depends on.
HEAVY = {"/code.zip": code_zip_query, "/export.zip": list_query}
HEAVY_PATHS = tuple(HEAVY)


def canonical_path(request):
    """The path and the query the answer depends on, for a heavy answer; else the full path."""
    canonical = HEAVY.get(request.path)
    if canonical is None:
        return request.get_full_path()
    return f"{request.path}?{urlencode(canonical(request.GET))}"


def is_heavy(request):
    return request.path in HEAVY


class Busy(Exception):
    """No build could start within HEAVY_WAIT seconds."""


def busy():
    text = f"The server is building other downloads; try again in {RETRY_AFTER} s.\n"
    response = HttpResponse(text, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class Flight:
    """A build under way: its end, and the answer it shares with those who waited for it."""

    def __init__(self):
        self.ended = threading.Event()
        self.answer = None


class Builds:
    """The heavy builds of a process: at most HEAVY_BUILDS at once, one per key."""

    def __init__(self, slots=None):
        self.lock = threading.Lock()
        self.flights = {}  # key: its Flight
        self.slots = threading.BoundedSemaphore(slots or settings.HEAVY_BUILDS)

    def run(self, key, build, stored=lambda: None, shared=lambda built: None):
        """build()'s answer; or, for a key (None: not shared) whose build another request
        started, the answer that build shared (shared(its answer)) or, failing that, what
        stored() finds once it ends. Busy past HEAVY_WAIT seconds without a build slot, or
        BUILD_WAIT without the same key's build ending."""
        start = time.monotonic()
        deadline, flight_deadline = start + settings.HEAVY_WAIT, start + BUILD_WAIT
        while True:
            with self.lock:
                flight = self.flights.get(key) if key is not None else None
            if flight is not None:
                if not flight.ended.wait(max(0.0, flight_deadline - time.monotonic())):
                    raise Busy
                answer = flight.answer if flight.answer is not None else stored()
                if answer is not None:
                    return answer
                continue  # it shared no answer (an error): build it, or wait for the next
            if not self.slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
                raise Busy
            own = None
            try:
                with self.lock:
                    if key is not None and key in self.flights:
                        continue  # another took this key while this waited for a slot
                    if key is not None:
                        own = self.flights[key] = Flight()
                answer = stored() if key is not None else None  # built while this waited
                if answer is not None:
                    return answer
                built = build()
                if own is not None:
                    own.answer = shared(built)
                return built
            finally:
                if own is not None:
                    with self.lock:
                        del self.flights[key]
                    own.ended.set()
                self.slots.release()


builds = None
builds_lock = threading.Lock()


def process_builds():
    """The process's Builds, made on first use (HEAVY_BUILDS is read from the settings)."""
    global builds
    with builds_lock:
        if builds is None:
            builds = Builds()
        return builds
