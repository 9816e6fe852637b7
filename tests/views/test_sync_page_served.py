"""/sync/ served for real: "Sync now" starts a process of its own against a registry on
127.0.0.1 with latency; in Chromium the progress counts up without a page load and two quick
presses make one run; a sync process killed mid-way leaves its run failed and the data as it was."""

import os
import re
import signal
import sqlite3

import pytest
import requests
from playwright.sync_api import expect

from tests.browser import assert_no_problems, prepared_site
from tests.conftest import FIXTURE_REGISTRY
from tests.fake_registry import FakeRegistry
from tests.hostile_registry import definition, resource
from tests.servers import manage, wait_until

pytestmark = pytest.mark.slow
PASSWORD = "a-staff-password-for-tests-only"
OBJECTS = 120


@pytest.fixture(scope="module")
def registry():
    """120 objects, each answer 0.3 s late: a sync of 8 jobs takes about 5 s."""
    items, files = [], {}
    for number in range(OBJECTS):
        object_id = 20000 + number
        files[f"{object_id}.xml"] = definition(object_id, f"Slow {number}", resource(1))
        items.append(
            {"ObjectID": object_id, "Ver": "1.0", "URN": f"urn:oma:lwm2m:x:{object_id}",
             "Name": f"Slow {number}", "Description": "", "Owner": "Tests", "Label": "2",
             "ObjectLink": f"{object_id}.xml", "ObjectLinkVisible": "1", "SpecLink": "",
             "SpecLinkVisible": "0", "VortoLink": ""}
        )  # fmt: skip
    with FakeRegistry(items=items, files=files, latency=0.3) as server:
        yield server


@pytest.fixture(scope="module")
def site(tmp_path_factory, registry):
    directory = tmp_path_factory.mktemp("sync-page")
    # The fixture registry's data is served before any "Sync now"; the button syncs `registry`.
    server = prepared_site(directory, FIXTURE_REGISTRY, REGISTRY_SOURCE=registry.base_url)
    env = {**server.env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}
    manage(env, "createsuperuser", "--noinput", "--username", "staff", "--email", "s@x.test")
    with server:
        yield server


def runs(site):
    with sqlite3.connect(site.database) as db:
        return db.execute(
            "SELECT id, outcome, pid, error FROM objects_syncrun ORDER BY id"
        ).fetchall()


def logged_in(site):
    session = requests.Session()
    form = session.get(f"{site.url}/accounts/login/?next=/sync/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    answer = session.post(
        f"{site.url}/accounts/login/",
        data={"username": "staff", "password": PASSWORD, "csrfmiddlewaretoken": token,
              "next": "/sync/"},
        headers={"Referer": f"{site.url}/accounts/login/"},
        timeout=10,
    )  # fmt: skip
    assert answer.url == f"{site.url}/sync/"
    assert "Sync now" in answer.text
    return session


def press(session, site):
    page = session.get(f"{site.url}/sync/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        f"{site.url}/sync/now",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": f"{site.url}/sync/"},
        timeout=10,
    )


def test_a_killed_sync_leaves_its_run_failed_and_the_data_as_it_was(site):
    before = requests.get(f"{site.url}/api/lwm2m/v1/Object", timeout=10).json()
    session = logged_in(site)
    assert press(session, site).status_code == 200
    # The process of its own has adopted the run: its pid is on the row, not the worker's.
    wait_until(lambda: runs(site)[-1][1] == "running" and "fetching" in session.get(
        f"{site.url}/sync/", timeout=10).text, timeout=30)  # fmt: skip
    run_id, _, pid, _ = runs(site)[-1]
    os.kill(pid, signal.SIGKILL)
    failed = f'id="run-{run_id}" class="run-failed"'
    wait_until(lambda: failed in session.get(f"{site.url}/sync/", timeout=10).text, timeout=10)
    page = session.get(f"{site.url}/sync/", timeout=10)
    assert f"interrupted: the sync process {pid}" in page.text
    assert requests.get(f"{site.url}/api/lwm2m/v1/Object", timeout=10).json() == before
    assert "The last sync (run" in session.get(f"{site.url}/", timeout=10).text


@pytest.fixture
def page_options():
    """The progress takes seconds: a longer wait for each step."""
    return {"timeout": 30_000}


@pytest.mark.browser
def test_sync_now_in_the_browser(page, site):
    page.goto("/sync/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site.url}/sync/")
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator(".messages")).to_contain_text("started")
    page.evaluate("window.sameDocument = true")
    seen = set()
    done = page.locator("#sync-state .done")
    while page.locator("#sync-state .progress").count():
        if done.count():
            seen.add(int(done.inner_text()))
        page.wait_for_timeout(250)
    assert page.evaluate("window.sameDocument") is True  # counted up by htmx, no reload
    assert len(seen) >= 2 and max(seen) > min(seen), seen
    newest = page.locator("#sync-state tbody tr").first
    expect(newest).to_have_class("run-ok")
    expect(newest).to_contain_text(str(OBJECTS))
    # Two presses at once, as from a double click: one run.
    count = len(runs(site))
    statuses = page.evaluate(
        """async () => {
            const form = document.querySelector("form.sync-now");
            const send = () => fetch(form.action, {method: "POST", body: new FormData(form)});
            const answers = await Promise.all([send(), send()]);
            return answers.map((answer) => answer.status);
        }"""
    )
    assert statuses == [200, 200]
    assert len(runs(site)) == count + 1
    wait_until(lambda: runs(site)[-1][1] != "running", timeout=60)
    assert runs(site)[-1][1] == "ok"
    assert_no_problems(page)
