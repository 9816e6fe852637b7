"""The mirror's whole answer: built once per sync and origin, kept gzipped, served as kept to
a client that takes gzip and decompressed in a stream to the others, with an ETag and 304s;
the answers of a bounded number of origins kept, however the Host header is spelled."""

import gzip
import hashlib
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from django.http import StreamingHttpResponse

from objects.mirror import registry_api as api
from objects.mirror.registry_api import whole_answers
from objects.sync.pipeline import sync_registry
from registry_site.settings import site_url
from tests.servers import SiteServer, manage

API = "/api/lwm2m/v1/Object"
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate"}


def test_a_small_answer_is_also_kept_plain(client, synced):
    builds = whole_answers.builds
    plain = client.get(API)
    assert not isinstance(plain, StreamingHttpResponse)  # no decompression per request
    assert gzip.decompress(client.get(API, **GZIP).content) == plain.content
    assert whole_answers.builds == builds + 1


def test_gzipped_as_kept_and_plain_in_a_stream(client, synced, monkeypatch):
    monkeypatch.setattr(api, "KEEP_PLAIN", 100)  # an answer the size of 100 times the registry
    zipped = client.get(API, **GZIP)
    assert zipped.status_code == 200
    assert zipped["Content-Encoding"] == "gzip"
    assert zipped["Content-Type"] == "application/json"
    assert "Accept-Encoding" in zipped["Vary"]
    plain = client.get(API)
    assert isinstance(plain, StreamingHttpResponse)
    assert not plain.has_header("Content-Encoding")
    assert "Accept-Encoding" in plain["Vary"]
    assert "Host" in plain["Vary"]  # no SITE_URL: the links follow the request's origin
    body = plain.getvalue()
    assert gzip.decompress(zipped.content) == body  # compressed once, not twice
    assert int(plain["Content-Length"]) == len(body)
    items = json.loads(body)
    assert len(items) == 9
    # The bytes of json.dumps(the whole list), as the answer was before it was streamed.
    assert body == json.dumps(items, ensure_ascii=False).encode()
    etag = f'"{hashlib.sha256(body).hexdigest()}"'
    assert plain["ETag"] == etag
    # Other bytes, another strong ETag (RFC 9110 8.8.3): a cache never mixes the two up.
    assert zipped["ETag"] == etag[:-1] + '-gzip"'
    assert zipped["Last-Modified"] == plain["Last-Modified"]
    assert zipped["Cache-Control"] == "public, max-age=60, stale-while-revalidate=600"
    latest = json.loads(client.get(API + "?ObjectVersion=latest").getvalue())
    assert [(i["ObjectID"], i["Ver"]) for i in latest] == [
        (3, "1.1"), (2048, "1.0"), (3303, "1.1"), (3304, "1.0"), (10241, "1.0"), (10300, "1.10"),
    ]  # fmt: skip


@pytest.mark.parametrize("encoding", [{}, GZIP])
def test_conditional_requests(client, synced, encoding):
    first = client.get(API, **encoding)
    etag, modified = first["ETag"], first["Last-Modified"]
    for headers in (
        {"HTTP_IF_NONE_MATCH": etag},
        {"HTTP_IF_NONE_MATCH": f"W/{etag}"},  # as GZipMiddleware would have weakened it
        {"HTTP_IF_NONE_MATCH": f'"other", {etag}'},
        {"HTTP_IF_MODIFIED_SINCE": modified},
    ):
        again = client.get(API, **encoding, **headers)
        assert again.status_code == 304, headers
        assert again.content == b""
        assert again["ETag"] == etag
        assert "Accept-Encoding" in again["Vary"]
        assert again["Last-Modified"] == modified
    assert client.get(API, HTTP_IF_NONE_MATCH='"other"', **encoding).status_code == 200
    failed = client.get(API, HTTP_IF_MATCH='"other"', **encoding)
    assert failed.status_code == 412
    assert failed.json()["error"]


def test_built_once_per_sync(client, synced, renamed_registry, fixture_registry):
    builds = whole_answers.builds
    for _ in range(3):
        client.get(API, **GZIP)
        client.get(API).getvalue()
        client.head(API)
    assert whole_answers.builds == builds + 1
    client.get(API + "?ObjectVersion=latest")
    client.get(API + "?ObjectVersion=latest", **GZIP)
    assert whole_answers.builds == builds + 2
    etag = client.get(API)["ETag"]

    sync_registry(str(fixture_registry))  # a new run, the same data
    same = client.get(API)
    assert whole_answers.builds == builds + 3
    assert same["ETag"] == etag  # the hash of the same bytes
    sync_registry(str(renamed_registry))
    renamed = client.get(API)
    assert whole_answers.builds == builds + 4
    assert renamed["ETag"] != etag
    assert "(renamed)" in json.loads(renamed.getvalue())[0]["Name"]
    assert client.get(API, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_spellings_of_one_origin_share_one_answer(client, synced, settings):
    settings.ALLOWED_HOSTS = ["testserver", "example.org"]
    builds = whole_answers.builds
    for host in ("testserver", "TESTSERVER", "testserver:80", "TestServer:080", "testserver."):
        items = json.loads(client.get(API, HTTP_HOST=host).getvalue())
        assert items[1]["ObjectLink"] == "http://testserver/registry/3.xml"
    assert whole_answers.builds == builds + 1
    secure = json.loads(client.get(API, HTTP_HOST="testserver:443", secure=True).getvalue())
    assert secure[1]["ObjectLink"] == "https://testserver/registry/3.xml"
    other = json.loads(client.get(API, HTTP_HOST="testserver:8443", secure=True).getvalue())
    assert other[1]["ObjectLink"] == "https://testserver:8443/registry/3.xml"
    assert whole_answers.builds == builds + 3


def test_varying_the_port_never_grows_the_cache(client, synced):
    builds = whole_answers.builds
    for port in range(8000, 8030):
        for latest in ("", "?ObjectVersion=latest"):
            response = client.get(API + latest, HTTP_HOST=f"testserver:{port}", **GZIP)
            link = json.loads(gzip.decompress(response.content))[0]["ObjectLink"]
            assert link.startswith(f"http://testserver:{port}/registry/")
            answers, origins = whole_answers.held()
            assert origins <= api.MAX_ORIGINS
            assert answers <= 2 * api.MAX_ORIGINS
    assert whole_answers.held() == (4, 2)
    assert whole_answers.builds == builds + 60
    # The least recently used origin goes: 8028, used again, stays when 9000 comes.
    client.get(API, HTTP_HOST="testserver:8028")
    client.get(API, HTTP_HOST="testserver:9000")
    assert whole_answers.builds == builds + 61
    client.get(API, HTTP_HOST="testserver:8028")
    assert whole_answers.builds == builds + 61
    client.get(API, HTTP_HOST="testserver:8029")
    assert whole_answers.builds == builds + 62


def test_site_url_is_the_one_origin(client, synced, settings):
    settings.SITE_URL = "https://lwm2m.example.org"
    builds = whole_answers.builds
    for port in range(8000, 8010):
        items = json.loads(client.get(API, HTTP_HOST=f"testserver:{port}").getvalue())
        assert items[1]["ObjectLink"] == "https://lwm2m.example.org/registry/3.xml"
    one = client.get(API + "?ObjectID=3&ObjectVersion=1.1").json()
    assert one[0]["ObjectLink"] == "https://lwm2m.example.org/registry/3.xml"
    assert whole_answers.builds == builds + 1
    assert whole_answers.held() == (1, 1)


@pytest.mark.parametrize(
    "value, origin",
    [
        ("", ""),
        ("https://lwm2m.example.org", "https://lwm2m.example.org"),
        ("HTTPS://LWM2M.Example.org:443/", "https://lwm2m.example.org"),
        ("http://lwm2m.example.org:80", "http://lwm2m.example.org"),
        ("http://lwm2m.example.org:8080", "http://lwm2m.example.org:8080"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_site_url_setting(value, origin):
    assert site_url(value) == origin


@pytest.mark.parametrize(
    "value",
    ["lwm2m.example.org", "ftp://lwm2m.example.org", "https://lwm2m.example.org/mirror",
     "https://user@lwm2m.example.org", "https://lwm2m.example.org?x=1", "https://h:99999"],
)  # fmt: skip
def test_site_url_must_be_an_origin(value):
    with pytest.raises(ImproperlyConfigured):
        site_url(value)


def run(minutes):
    finished = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes)
    return SimpleNamespace(pk=1, finished=finished, generation=1, data_as_of=finished)


class CountingLock:
    """A lock that counts the threads that have come to take it, taken or waiting."""

    def __init__(self):
        self.lock = threading.Lock()
        self.arrived = 0

    def __enter__(self):
        self.arrived += 1
        return self.lock.__enter__()

    def __exit__(self, *exc):
        return self.lock.__exit__(*exc)


def test_concurrent_requests_build_once(monkeypatch):
    """Requests that arrive while the answer is built wait for it. The build does not end until
    every request has come for the cache's lock, so the requests really overlap it (a fixed
    sleep would also pass with the threads run one after the other)."""
    calls, arrived_during_builds = [], []
    answers = api.WholeAnswers()
    answers.lock = CountingLock()

    def slow_build(origin, latest, last_modified):
        calls.append(origin)
        deadline = time.monotonic() + 10
        while answers.lock.arrived < 4 and time.monotonic() < deadline:
            time.sleep(0.005)
        arrived_during_builds.append(answers.lock.arrived)
        return api.WholeAnswer(b"", 0, '"x"', last_modified)

    monkeypatch.setattr(api, "build_whole_answer", slow_build)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(answers.get(run(0), "http://a", False)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert arrived_during_builds[0] == 4  # every request came while the first build ran
    assert len(calls) == 1
    assert len(results) == 4
    assert len(set(map(id, results))) == 1
    # A request that read an older run (before a sync it raced) is answered, never cached.
    answers.get(run(-5), "http://a", False)
    assert len(calls) == 2
    assert answers.held() == (1, 1)
    answers.get(run(0), "http://a", False)
    assert len(calls) == 2
    answers.get(run(5), "http://a", False)  # a newer sync
    assert len(calls) == 3
    assert answers.held() == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_over_http_the_etag_follows_the_data(tmp_path, fixture_registry, renamed_registry):
    """Served by Granian: the gzipped bytes as sent are one gzip of the JSON a plain client
    gets; a 304 has no body; a sync that changes the data changes the ETag; with SITE_URL every
    Host gets the same answer."""
    site = SiteServer(
        f"sqlite:///{tmp_path / 'mirror.sqlite3'}", workers=1, SITE_URL="http://mirror.example"
    ).prepare(fixture_registry)
    with site:
        url = site.url + API
        zipped = requests.get(url, timeout=30, stream=True)
        raw = zipped.raw.read(decode_content=False)
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert int(zipped.headers["Content-Length"]) == len(raw)
        plain = requests.get(url, headers={"Accept-Encoding": "identity"}, timeout=30)
        assert "Content-Encoding" not in plain.headers
        assert gzip.decompress(raw) == plain.content
        assert int(plain.headers["Content-Length"]) == len(plain.content)
        assert json.loads(gzip.decompress(raw)) == plain.json()
        assert plain.json()[1]["ObjectLink"] == "http://mirror.example/registry/3.xml"
        etag = plain.headers["ETag"]
        assert etag == f'"{hashlib.sha256(plain.content).hexdigest()}"'
        assert zipped.headers["ETag"] == etag[:-1] + '-gzip"'
        for headers in ({}, {"Accept-Encoding": "identity"}):
            sent = requests.get(url, headers=headers, timeout=30).headers["ETag"]
            cached = requests.get(url, headers={**headers, "If-None-Match": sent}, timeout=30)
            assert cached.status_code == 304
            assert cached.content == b""
        other_port = requests.get(url, headers={"Host": "localhost:1"}, timeout=30)
        assert other_port.headers["ETag"] == zipped.headers["ETag"]
        assert other_port.json() == plain.json()

        manage(site.env, "sync_registry", str(renamed_registry))
        changed = requests.get(url, headers={"If-None-Match": etag}, timeout=30)
        assert changed.status_code == 200
        assert changed.headers["ETag"] != etag
        assert "(renamed)" in changed.json()[0]["Name"]
