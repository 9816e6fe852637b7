"""Heavy answers (objects/views/heavy.py, issue 33): one build per key at a time, a bound on
builds per process with a 503 and Retry-After past it, and a store key without what the answer
does not depend on."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from objects.views import code, heavy, repository
from objects.views.heavy import Builds, Busy, Flight
from registry_site.http_cache import Answer, answers, shareable


@pytest.fixture
def counted_builds(monkeypatch):
    """Each build of a code.zip or an export.zip, counted."""
    builds = []
    real_zip, real_chunks = code.zip_bytes, repository.zip_chunks
    monkeypatch.setattr(code, "zip_bytes", lambda *a: builds.append("code") or real_zip(*a))
    monkeypatch.setattr(
        repository, "zip_chunks", lambda *a: builds.append("export") or real_chunks(*a)
    )
    return builds


@pytest.mark.parametrize(
    "path, same",
    [
        ("/code.zip?id=3303&target=all", "/code.zip?target=all&id=3303&junk=1&_=1733500000"),
        ("/code.zip?target=ids", "/code.zip?target=ids&page=7&per=25&utm_source=x"),
        ("/export.zip", "/export.zip?junk=&page=3"),
        ("/export.zip?q=temperature", "/export.zip?per=200&q=temperature&cachebuster=42"),
    ],
)
def test_a_junk_parameter_is_no_new_build(client, synced, counted_builds, path, same):
    first = client.get(path)
    again = client.get(same)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert len(counted_builds) == 1


@pytest.mark.parametrize(
    "path, other",
    [
        ("/code.zip?id=3303&target=all", "/code.zip?id=3303&target=ids"),
        ("/code.zip?id=3303,3&target=all", "/code.zip?id=3,3303&target=all"),  # file order
        ("/code.zip?target=all", "/code.zip?target=all&q=temperature"),
        ("/export.zip", "/export.zip?versions=all"),
        # Without a status the export lists every status; with the defaults, only those.
        ("/export.zip", "/export.zip?status=defined&status=missing&status=invalid"),
    ],
)
def test_what_the_answer_depends_on_is_in_its_key(client, synced, counted_builds, path, other):
    assert client.get(path)["ETag"] != client.get(other)["ETag"]
    assert len(counted_builds) == 2


def test_past_the_bound_a_503_with_retry_after(client, synced, settings, monkeypatch):
    """Every build slot taken for longer than HEAVY_WAIT: a clear 503, never stored."""
    settings.HEAVY_WAIT = 0.1
    builds = Builds(slots=1)
    monkeypatch.setattr(heavy, "builds", builds)
    assert builds.slots.acquire(timeout=1)  # a build of another key under way
    try:
        for path in ("/code.zip?id=3303", "/export.zip"):
            refused = client.get(path)
            assert refused.status_code == 503
            assert refused["Retry-After"] == str(heavy.RETRY_AFTER)
            assert refused["Cache-Control"] == "no-store"
            assert "try again" in refused.content.decode()
        assert client.get("/objects/3303/").status_code == 200  # a light page never waits
    finally:
        builds.slots.release()
    assert client.get("/code.zip?id=3303").status_code == 200


@pytest.mark.parametrize("kept", [True, False], ids=["stored", "too large to store"])
def test_one_build_per_key_the_others_wait_for_it(settings, kept):
    """Those waiting get the build's own answer, whether the store keeps it or not."""
    settings.HEAVY_WAIT = 30
    builds, made, store = Builds(slots=2), [], {}

    def build():
        made.append(1)
        time.sleep(0.3)  # long enough for the others to find it under way
        if kept:
            store["key"] = "the answer"
        return "the answer"

    start = threading.Barrier(6)

    def ask(_):
        start.wait()
        return builds.run("key", build, lambda: store.get("key"), lambda built: built)

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(ask, range(6)))
    assert answers == ["the answer"] * 6
    assert len(made) == 1


def test_a_build_outlasting_heavy_wait_is_waited_for(settings):
    """HEAVY_WAIT bounds the wait for a build slot, not for the same answer's build."""
    settings.HEAVY_WAIT = 0.1
    builds, made = Builds(slots=1), []

    def build():
        made.append(1)
        time.sleep(0.5)
        return "built"

    start = threading.Barrier(3)

    def ask(_):
        start.wait()
        return builds.run("key", build, lambda: None, lambda built: built)

    with ThreadPoolExecutor(3) as pool:
        assert list(pool.map(ask, range(3))) == ["built"] * 3
    assert len(made) == 1


def test_at_most_heavy_builds_at_once_the_rest_busy(settings):
    """Distinct keys, one slot: one builds, the others wait HEAVY_WAIT for it, then are Busy."""
    settings.HEAVY_WAIT = 0.2
    builds, running, most = Builds(slots=1), [], []
    lock = threading.Lock()

    def build():
        with lock:
            running.append(1)
            most.append(len(running))
        time.sleep(1)
        with lock:
            running.pop()
        return "built"

    start = threading.Barrier(4)

    def ask(key):
        start.wait()
        try:
            return builds.run(key, build)
        except Busy:
            return "busy"

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(ask, range(4)))
    assert sorted(answers) == ["built", "busy", "busy", "busy"]
    assert max(most) == 1


def test_a_waiter_whose_build_shared_nothing_builds_it(settings):
    """A build that shares no answer (an error page, a streamed one): the one waiting for it
    builds its own."""
    settings.HEAVY_WAIT = 30
    builds, made = Builds(slots=1), []

    def build():
        made.append(1)
        time.sleep(0.2)
        return "built"

    start = threading.Barrier(2)

    def ask(_):
        start.wait()
        return builds.run("key", build, lambda: None, lambda built: None)

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(ask, range(2))) == ["built", "built"]
    assert len(made) == 2


def test_a_request_waiting_for_the_same_zip_is_given_its_build(
    client, synced, monkeypatch, counted_builds
):
    """The same key's build under way (staged: a Flight of this process's Builds): the
    request waits for it and is served what it shares, without building or a store."""
    first = client.get("/code.zip?id=3303&target=all")
    answers.clear()  # not in the store: only the flight can answer
    builds = Builds(slots=1)
    monkeypatch.setattr(heavy, "builds", builds)
    flight = builds.flights[(first["ETag"], False)] = Flight()
    flight.answer = Answer(200, (("ETag", first["ETag"]), ("X-Shared", "yes")), b"shared")
    threading.Timer(0.2, flight.ended.set).start()
    waited = client.get("/code.zip?id=3303&target=all&junk=1")
    assert (waited.status_code, waited.content, waited["X-Shared"]) == (200, b"shared", "yes")
    assert len(counted_builds) == 1


def test_a_public_whole_answer_is_shared_a_private_or_streamed_one_not():
    from django.http import HttpResponse, StreamingHttpResponse

    public = HttpResponse(b"zip")
    public["ETag"] = '"1"'
    shared = shareable(public)
    assert (shared.status, shared.content, shared.etag) == (200, b"zip", '"1"')
    cookie = HttpResponse(b"zip")
    cookie["ETag"] = '"1"'
    cookie.set_cookie("mine", "1")
    streamed = StreamingHttpResponse([b"zip"])
    streamed["ETag"] = '"1"'
    refused = HttpResponse(b"no", status=404)
    refused["ETag"] = '"1"'
    varying = HttpResponse(b"zip")
    varying["ETag"], varying["Vary"] = '"1"', "User-Agent"
    assert [shareable(r) for r in (cookie, streamed, refused, varying)] == [None] * 4


def test_the_served_site_runs_the_heavy_paths_on_threads_of_their_own(settings):
    """What the front's test shows with a stand-in application, the site's front is given."""
    from registry_site.asgi import application

    assert application.heavy_paths == {"/code.zip", "/export.zip"}
    assert application.heavy_limit == settings.HEAVY_THREADS
    assert application.retry_after == heavy.RETRY_AFTER


def test_a_built_zip_is_shared_with_those_waiting(client, synced, settings, monkeypatch):
    """What the middleware gives the process's Builds to share: the answer as sent, even when
    too large for the store."""
    settings.ANSWER_CACHE_BYTES = 8 * 1024  # no ZIP is stored
    shared = []

    class Recording(Builds):
        def run(self, key, build, stored=lambda: None, shared_as=lambda built: None):
            built = build()
            shared.append(shared_as(built))
            return built

    monkeypatch.setattr(heavy, "builds", Recording(slots=1))
    sent = client.get("/code.zip?id=3303&target=all")
    (answer,) = shared
    assert answer.content == sent.content
    assert answer.etag == sent["ETag"]
    assert answer.response()["Content-Disposition"] == sent["Content-Disposition"]
