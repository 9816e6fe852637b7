"""Heavy answers (objects/views/heavy.py, issue 33): one build per key at a time, a bound on
builds per process with a 503 and Retry-After past it, and a store key without what the answer
does not depend on."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from objects.views import code, heavy, repository
from objects.views.heavy import Builds, Busy


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


def test_one_build_per_key_the_others_wait_for_it(settings):
    settings.HEAVY_WAIT = 30
    builds, made, kept = Builds(slots=2), [], {}

    def build():
        made.append(1)
        time.sleep(0.3)  # long enough for the others to find it under way
        kept["key"] = "the answer"
        return "the answer"

    start = threading.Barrier(6)

    def ask(_):
        start.wait()
        return builds.run("key", build, lambda: kept.get("key"))

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(ask, range(6)))
    assert answers == ["the answer"] * 6
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


def test_a_waiter_whose_answer_was_not_kept_builds_it(settings):
    """A build whose answer is not stored (too large): the one waiting for it builds its own."""
    settings.HEAVY_WAIT = 30
    builds, made = Builds(slots=1), []

    def build():
        made.append(1)
        time.sleep(0.2)
        return "built"

    start = threading.Barrier(2)

    def ask(_):
        start.wait()
        return builds.run("key", build, lambda: None)

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(ask, range(2))) == ["built", "built"]
    assert len(made) == 2


def test_the_served_site_runs_the_heavy_paths_on_threads_of_their_own(settings):
    """What the front's test shows with a stand-in application, the site's front is given."""
    from registry_site.asgi import application

    assert application.heavy_paths == {"/code.zip", "/export.zip"}
    assert application.heavy_limit == settings.HEAVY_THREADS
    assert application.retry_after == heavy.RETRY_AFTER
