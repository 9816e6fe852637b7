"""The store of whole answers (registry_site/http_cache.py): each public answer built once per
sync, then served from memory; dropped by the first request after a swap, on every server that
shares the database."""

import csv
import gc
import gzip
import io
import tracemalloc

import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext

from objects.catalog.lru import ENTRY_OVERHEAD, footprint
from objects.sync.pipeline import sync_registry
from objects.views import exports, repository
from registry_site.http_cache import Answer, Answers, answers
from tests.external_db import ExternalDatabase
from tests.servers import SiteServer, manage

HX = {"HX-Request": "true"}


def test_a_public_answer_is_built_once_then_served_from_memory(client, synced):
    first = client.get("/objects/3/")
    with CaptureQueriesContext(connection) as built:
        client.get("/objects/3/1.0/")
    with CaptureQueriesContext(connection) as served:
        again = client.get("/objects/3/")
    assert len(built) > 3
    assert len(served) == 1  # the served run, the store's key
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Length"] == str(len(first.content))


def test_compressed_and_identity_answers_are_kept_apart(client, synced):
    plain = client.get("/objects/3/")
    zipped = client.get("/objects/3/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert zipped["ETag"] == "W/" + plain["ETag"]
    with CaptureQueriesContext(connection) as served:
        zipped_again = client.get("/objects/3/", HTTP_ACCEPT_ENCODING="gzip")
        plain_again = client.get("/objects/3/")
    assert len(served) == 2
    assert zipped_again.content == zipped.content
    assert zipped_again["ETag"] == zipped["ETag"]
    assert plain_again.content == plain.content
    assert not plain_again.has_header("Content-Encoding")
    assert plain_again["ETag"] == plain["ETag"]
    # A 304 carries the ETag the 200 would: weak to a client that takes gzip, strong to one
    # that does not, whichever form its If-None-Match names.
    for encoding, sent in (("gzip", zipped["ETag"]), ("identity", plain["ETag"])):
        for asked in (plain["ETag"], zipped["ETag"]):
            again = client.get(
                "/objects/3/", HTTP_ACCEPT_ENCODING=encoding, HTTP_IF_NONE_MATCH=asked
            )
            assert again.status_code == 304
            assert again["ETag"] == sent


def test_a_public_answer_does_not_vary_by_cookie(client, synced):
    """It read the empty session of a visitor with none: the same for every such visitor."""
    response = client.get("/")
    assert response["Cache-Control"].startswith("public")
    varied = [name.strip().lower() for name in response["Vary"].split(",")]
    assert "cookie" not in varied
    assert "accept-encoding" in varied


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_visitor_with_a_session_or_a_message_is_never_served_from_the_store(
    client, synced, cookie
):
    client.get("/")
    client.cookies[cookie] = "anything"
    response = client.get("/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"  # made for them, not the store's


def test_an_answer_that_sets_a_cookie_is_never_kept(rf, synced):
    """The store keeps only what is everyone's: no Set-Cookie, no Vary beyond the store's key."""
    from django.http import HttpResponse

    from registry_site.http_cache import http_cache

    made = []

    def view(request):
        response = HttpResponse("<p>yours</p>" * 50)
        response.set_cookie("mine", "1")
        made.append(response)
        return response

    middleware = http_cache(view)
    for _ in range(2):
        answer = middleware(rf.get("/objects/3/"))
        assert not answer.has_header("ETag")
    assert len(made) == 2


def test_the_store_keeps_to_its_budget_of_what_answers_hold(settings):
    """Each answer counts its key, headers and body (and the entry's own), not its body
    alone; the least recently used goes first; one over an eighth of the budget is not kept."""
    answer = Answer(200, (("ETag", '"0"'), ("Content-Type", "text/plain")), b"x" * 100)
    each = footprint(("key-00", True)) + footprint(answer) + ENTRY_OVERHEAD
    assert each > 100 + 300  # the headers and the key weigh more than this body
    settings.ANSWER_CACHE_BYTES = 10 * each
    store = Answers()
    for number in range(12):
        store.put((f"key-{number:02}", True), answer)
        assert store.size <= 10 * each
    assert [n for n in range(12) if store.get((f"key-{n:02}", True))] == list(range(2, 12))
    store.get(("key-02", True))  # used: the least recently used is 3 now
    store.put(("key-12", True), answer)
    assert store.get(("key-03", True)) is None
    assert store.get(("key-02", True)) is not None
    large = Answer(200, (), b"x" * (10 * each // 8))  # with its key, over an eighth
    assert not store.put(("large", True), large)
    assert store.get(("large", True)) is None
    store.clear()
    assert (store.get(("key-02", True)), store.size, len(store)) == (None, 0, 0)


def test_the_store_keeps_at_most_its_number_of_answers(settings):
    settings.ANSWER_CACHE_ENTRIES = 5
    store = Answers()
    for number in range(8):
        store.put(number, Answer(200, (), b"x"))
    assert len(store) == 5
    assert [n for n in range(8) if store.get(n)] == [3, 4, 5, 6, 7]


def test_thousands_of_small_answers_hold_no_more_than_the_budget(client, synced, settings):
    """Distinct decode answers (a 163-byte body each, about 2 KB held): what the store counts is
    at least what it frees when cleared (measured by tracemalloc), and it keeps to the budget."""
    url = "/api/v1/decode/?format=tlv&path=/3303/0&payload_hex=e81644084037800000000000&n="
    client.get(url + "0")
    settings.ANSWER_CACHE_BYTES = 256 * 1024
    gc.collect()
    tracemalloc.start()
    try:
        for number in range(1, 301):
            assert client.get(url + str(number)).status_code == 200
        gc.collect()
        held, counted, kept = tracemalloc.get_traced_memory()[0], answers.size, len(answers)
        answers.clear()
        gc.collect()
        freed = held - tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert counted <= 256 * 1024
    assert 60 < kept < 200  # each counted at ~2.6 KB: far fewer than 300
    assert freed <= counted * 1.1  # what it counts is what it holds, or more (shared strings)
    assert freed >= counted / 2  # and not wildly more
    settings.ANSWER_CACHE_ENTRIES = 50
    for number in range(301, 401):
        client.get(url + str(number))
    assert len(answers) == 50


def test_the_zip_is_built_once_per_sync(client, synced, monkeypatch):
    builds = []
    real = repository.zip_chunks
    monkeypatch.setattr(repository, "zip_chunks", lambda *args: builds.append(1) or real(*args))
    first = client.get("/export.zip")
    second = client.get("/export.zip")
    assert first["Content-Length"] == str(len(first.content))
    assert second.content == first.content
    assert len(builds) == 1
    sync_registry(str(synced.run.source))  # a new run: what was kept for the last one goes
    assert client.get("/export.zip").content == first.content  # the same data, rebuilt
    assert len(builds) == 2


def test_past_the_stores_bound_an_export_is_streamed(client, synced, settings):
    whole = client.get("/export.csv?versions=all")
    assert not whole.streaming
    settings.ANSWER_CACHE_BYTES = 8 * 1024  # an answer over 1 KB is streamed
    streamed = client.get("/export.csv?versions=all&sort=id")
    assert streamed.streaming
    assert not streamed.has_header("Content-Length")
    assert streamed.getvalue() == whole.getvalue()
    assert len(list(csv.reader(io.StringIO(whole.getvalue().decode())))) == 9


def test_no_server_serves_an_answer_from_before_the_swap(
    tmp_path, fixture_registry, renamed_registry
):
    """Two servers on one database, each answer kept by both: after a sync that renames every
    object, both give the new data at once, whatever they kept."""
    database = ExternalDatabase(tmp_path)
    paths = [
        ("/objects/3/", {}),
        ("/?q=device", HX),
        ("/export.csv", {}),
        ("/api/v1/objects/3/1.0/", {}),
        ("/api/lwm2m/v1/Object?ObjectID=3", {}),
    ]
    try:
        first = SiteServer(database.url, workers=1).prepare(fixture_registry)
        second = SiteServer(database.url, workers=1)
        with first, second:
            before = {}
            for site in (first, second):
                for path, headers in paths:
                    for _ in range(3):  # built, then served from memory
                        answer = requests.get(site.url + path, headers=headers, timeout=30)
                        assert answer.status_code == 200
                        assert "(renamed)" not in answer.text
                        assert "ETag" in answer.headers, (site.url, path)
                    before[site.url, path] = answer.headers["ETag"]
            manage(first.env, "sync_registry", str(renamed_registry))
            for site in (first, second):
                for path, headers in paths:
                    etag = before[site.url, path]
                    answer = requests.get(
                        site.url + path, headers={**headers, "If-None-Match": etag}, timeout=30
                    )
                    assert answer.status_code == 200, (site.url, path)
                    assert "Device (renamed)" in answer.text, (site.url, path)
                    assert answer.headers["ETag"] != etag
    finally:
        database.drop()


def test_an_export_made_whole_is_one_the_store_keeps(client, synced, settings, monkeypatch):
    """Near the store's bound, an export is streamed or kept: never made whole in memory for
    every request because its headers tip it over what the store keeps."""
    size = len(client.get("/export.csv?versions=all").content)
    builds = []
    real = exports.csv_lines
    monkeypatch.setattr(exports, "csv_lines", lambda *a: builds.append(1) or real(*a))
    for extra in range(0, 6000, 500):
        answers.clear()
        settings.ANSWER_CACHE_BYTES = 8 * (size + extra)
        builds.clear()
        first = client.get("/export.csv?versions=all")
        if first.streaming:
            continue
        again = client.get("/export.csv?versions=all")
        assert len(builds) == 1, extra  # the second from the store
        assert again.content == first.content
