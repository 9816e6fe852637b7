"""The site as in production (gunicorn, production settings, whitenoise) under load; the peer."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin

from bench import peer
from bench.load import fetch, measure
from tests.servers import SiteServer

SEARCH_WORDS, SEARCH_OWNER = "sensor", "IPSO Alliance"
OBJECT_ID = 3416  # the object with the most resources in the snapshot
HTMX = {"HX-Request": "true"}
ASSET_RELS = {"stylesheet", "icon", "modulepreload", "preload", "manifest"}
COMPRESSED = {"Accept-Encoding": "br, gzip"}


def endpoints():
    """(name, path, headers) of what the site is loaded on."""
    search = urlencode({"q": SEARCH_WORDS, "owner": SEARCH_OWNER})
    return [
        ("home page", "/", {}),
        ("search fragment (htmx)", f"/?{search}", HTMX),
        (f"object page {OBJECT_ID}", f"/objects/{OBJECT_ID}/", {}),
        ("mirror API: full list", "/api/lwm2m/v1/Object", {}),
        ("mirror API: one object", f"/api/lwm2m/v1/Object?ObjectID={OBJECT_ID}", {}),
    ]


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


def peer_targets(peer_url):
    return [
        (name, peer_url + peer.search_path(SEARCH_WORDS, SEARCH_OWNER, fmt), {})
        for name, fmt in (("Datasette search (JSON)", ".json"), ("Datasette search (HTML)", ""))
    ]


def bench_web(database_url, site_db_path, options, wrk, log=print):
    """Our site and the peer, loaded in interleaved rounds; returns (ours, peer's, weights).

    `options` holds workers, connections, duration and rounds.
    """
    datasette = peer.ensure_datasette(log)
    database = site_db_path.parent / "peer.db"
    log(f"  peer database: {peer.build_database(site_db_path, database)} object versions")
    site = SiteServer(database_url, workers=options.workers).prepare()
    with site, peer.Datasette(datasette, database) as other:
        ours = [(name, site.url + path, headers) for name, path, headers in endpoints()]
        theirs = peer_targets(other.url)
        runs = {name: [] for name, _, _ in ours + theirs}
        for number in range(1, options.rounds + 1):
            for name, url, headers in ours + theirs:
                result = measure(name, url, headers, options.connections, options.duration, wrk)
                runs[name].append(result)
                log(f"  round {number}, {name}: {result.rps:.0f} req/s, p99 {result.p99_ms:.1f} ms")
        search = urlencode({"q": SEARCH_WORDS, "owner": SEARCH_OWNER})
        weights = [
            weigh(site.url, "/"),
            weigh(site.url, f"/?{search}", HTMX, with_assets=False),
        ]
    chosen = {name: median_round(results) for name, results in runs.items()}
    return (
        [chosen[name] for name, _, _ in ours],
        [chosen[name] for name, _, _ in theirs],
        weights,
    )
