"""The site as `make run` serves it (Granian, 3 workers) under load, then the fair comparison
with the peer: one process each on the same core, warm (one URL) and cold (distinct URLs)."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin

from bench import cold, peer
from bench.load import fetch, measure, measure_pass, pinning
from bench.report import HEALTH
from bench.sync_bench import WORK
from tests.servers import SiteServer

SEARCH_WORDS, SEARCH_OWNER = "sensor", "IPSO Alliance"
OBJECT_ID = 3416  # the object with the most resources in the snapshot
RESOURCE_WORDS = "sensor"
RESOURCE_ID = 5518  # Timestamp: a reusable resource that many objects define
HTMX = {"HX-Request": "true"}
ASSET_RELS = {"stylesheet", "icon", "modulepreload", "preload", "manifest"}
COMPRESSED = {"Accept-Encoding": "br, gzip"}


def endpoints():
    """(name, path, headers) of what the site is loaded on."""
    search = urlencode({"q": SEARCH_WORDS, "owner": SEARCH_OWNER})
    resource_search = urlencode({"q": RESOURCE_WORDS})
    return [
        ("home page", "/", {}),
        ("search fragment (htmx)", f"/?{search}", HTMX),
        (f"object page {OBJECT_ID}", f"/objects/{OBJECT_ID}/", {}),
        ("mirror API: full list", "/api/lwm2m/v1/Object", {}),
        ("mirror API: one object", f"/api/lwm2m/v1/Object?ObjectID={OBJECT_ID}", {}),
        ("resource list", "/resources/", {}),
        ("resource search fragment (htmx)", f"/resources/?{resource_search}", HTMX),
        (f"resource page {RESOURCE_ID}", f"/resources/{RESOURCE_ID}/", {}),
    ]


def endpoint_path(name):
    """The path of the endpoint called `name` in endpoints()."""
    return next(path for endpoint, path, _ in endpoints() if endpoint == name)


class Assets(HTMLParser):
    """The CSS, JS and icons a page makes the browser fetch."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "link" and attrs.get("href") and set(rel) & ASSET_RELS:
            self.urls.append(attrs["href"])


@dataclass
class Weight:
    name: str
    raw: int = 0
    sent: int = 0
    parts: list = field(default_factory=list)  # (url, encoding, bytes sent)


def weigh(base, path, headers=None, with_assets=True):
    """Bytes as sent to a browser that accepts br/gzip: the page and, if asked, its assets."""
    status, sent_headers, sent = fetch(base + path, {**COMPRESSED, **(headers or {})})
    _, _, plain = fetch(base + path, headers)
    weight = Weight(path, raw=len(plain), sent=len(sent))
    weight.parts.append((path, sent_headers.get("Content-Encoding", "identity"), len(sent)))
    if not with_assets or status != 200:
        return weight
    parser = Assets()
    parser.feed(plain.decode("utf-8", "replace"))
    for url in dict.fromkeys(parser.urls):
        if re.match(r"^(https?:)?//", url) and not url.startswith(base):
            weight.parts.append((url, "external, not counted", 0))
            continue
        _, asset_headers, asset = fetch(urljoin(base + path, url), COMPRESSED)
        _, _, asset_plain = fetch(urljoin(base + path, url))
        weight.raw += len(asset_plain)
        weight.sent += len(asset)
        weight.parts.append((url, asset_headers.get("Content-Encoding", "identity"), len(asset)))
    return weight


def median_round(results):
    """Of one endpoint's rounds, the one with the median requests/s (noise on a shared box)."""
    ordered = sorted(results, key=lambda result: result.rps)
    chosen = ordered[len(ordered) // 2]
    chosen.rounds = [round(result.rps) for result in results]
    chosen.errors = sum(result.errors for result in results)  # errors count in every round
    return chosen


@dataclass(eq=False)
class Target:
    """What one server is loaded on in the fair setting: one URL warm, many URLs cold."""

    load: str
    server: str
    restart: Callable  # a fresh process, its caches empty
    base: str
    warm: str
    cold: list | None  # None: measured warm only
    headers: dict = field(default_factory=dict)

    @property
    def name(self):
        return f"{self.server}, {self.load}"


@dataclass
class FairRow:
    """One server on one load, warm and cold, in the fair setting."""

    load: str
    server: str
    warm: object = None  # LoadResult, the median round
    cold: object = None


@dataclass
class Fair:
    rows: list
    pinned: bool
    pin_note: str
    warm_note: str
    searches: int
    pages: int


def bench_make_run(database_url, options, wrk, log=print):
    """Our site as `make run` serves it: `options.workers` workers, unpinned, one URL each.

    Returns (the median round of each endpoint, the page weights). `options` holds workers,
    connections, duration and rounds.
    """
    site = SiteServer(database_url, workers=options.workers).prepare()
    with site:
        ours = [(name, site.url + path, headers) for name, path, headers in endpoints()]
        runs = {name: [] for name, _, _ in ours}
        for number in range(1, options.rounds + 1):
            for name, url, headers in ours:
                result = measure(name, url, headers, options.connections, options.duration, wrk)
                runs[name].append(result)
                log(f"  round {number}, {name}: {result.rps:.0f} req/s, p99 {result.p99_ms:.1f} ms")
        search = urlencode({"q": SEARCH_WORDS, "owner": SEARCH_OWNER})
        weights = [
            weigh(site.url, "/"),
            weigh(site.url, f"/?{search}", HTMX, with_assets=False),
        ]
    return [median_round(runs[name]) for name, _, _ in ours], weights


def bench_fair(database_url, site_db_path, options, wrk, log=print):
    """Ours with one worker and Datasette, both on core 1, loaded from core 0, in rounds.

    Each round loads one URL per row (warm), then, each server restarted just before, one pass
    over the distinct URLs (cold): searches made from the registry's names, and every object
    and version page.
    """
    datasette = peer.ensure_datasette(log)
    database = site_db_path.parent / "peer.db"
    log(f"  peer database: {peer.build_database(site_db_path, database)} object versions")
    pin = pinning()
    log(f"  fair setting: one process each, {pin.note}")
    searches = cold.distinct_searches(site_db_path)
    pages = cold.page_paths(site_db_path)
    site = SiteServer(database_url, workers=1, command_prefix=pin.server)
    with site, peer.Datasette(datasette, database, command_prefix=pin.server) as other:

        def restart_site():
            site.stop()
            site.start()

        words = (SEARCH_WORDS, SEARCH_OWNER)
        targets = [
            Target("faceted search", "our site (htmx fragment)", restart_site, site.url,
                   endpoint_path("search fragment (htmx)"), [s.ours() for s in searches], HTMX),
            Target("faceted search", "Datasette (JSON)", other.restart, other.url,
                   peer.search_path(*words, ".json"), [s.peer(".json") for s in searches]),
            Target("faceted search", "Datasette (HTML)", other.restart, other.url,
                   peer.search_path(*words), [s.peer() for s in searches]),
            Target("object and version pages", "our site", restart_site, site.url,
                   f"/objects/{OBJECT_ID}/", pages),
            # The stack's own floor: the cheapest answer through every middleware and a query.
            Target(HEALTH, "our site", restart_site, site.url, "/healthz", None),
        ]  # fmt: skip
        warm, colds = {t: [] for t in targets}, {t: [] for t in targets}
        load = (options.connections, options.duration, wrk, pin)
        for number in range(1, options.rounds + 1):
            for t in targets:
                result = measure(t.name, t.base + t.warm, t.headers, *load)
                warm[t].append(result)
                log(f"  round {number}, warm, {t.name}: {result.rps:.0f} req/s")
            for index, t in enumerate(targets):
                if t.cold is None:
                    continue
                t.restart()
                script = WORK / f"cold-{index}.lua"
                result = measure_pass(t.name, t.base, t.cold, t.headers, *load, script)
                colds[t].append(result)
                done = f"{result.requests} of {len(t.cold)} URLs"
                log(f"  round {number}, cold, {t.name}: {done}, {result.rps:.0f} req/s")
    fair = [
        FairRow(
            t.load, t.server, median_round(warm[t]), median_round(colds[t]) if colds[t] else None
        )
        for t in targets
    ]
    warm_note = (
        f"the search {SEARCH_WORDS!r} by {SEARCH_OWNER}; /objects/{OBJECT_ID}/, the object "
        "with the most resources"
    )
    return Fair(fair, bool(pin.server), pin.note, warm_note, len(searches), len(pages))
