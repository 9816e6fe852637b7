import re
import sqlite3
import subprocess

import pytest

from objects.catalog import list_params
from objects.models import SyncRun
from tests.conftest import FIXTURE_REGISTRY
from tests.servers import PROJECT, site_env


def names(response):
    return re.findall(r'<td class="name"><a href="[^"]*"><bdi>([^<]*)</bdi></a>', response.text)


def hx(client, url, **headers):
    return client.get(url, HTTP_HX_REQUEST="true", **headers)


def test_home_page_lists_latest_versions_with_their_others(client, synced):
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert names(response) == [
        "Device", "Temperature", "Humidity", "Acme Pressure Gauge", "Acme Counter",
    ]  # fmt: skip
    assert "<strong>5</strong> objects" in html
    assert "1 placeholder" in html  # left out, and said so
    assert '<a href="/objects/3/1.0/">1.0</a>' in html  # the other version beside the latest
    assert '<td class="urn">urn:oma:lwm2m:ext:3303:1.1</td>' in html
    assert 'id="q"' in html
    assert "<html" in html
    assert re.search(
        r"Data last changed by the sync of <time datetime=\"[^\"]+\">\d{4}-\d\d-\d\d \d\d:\d\d "
        r"UTC</time>.\s*From a local clone of the registry",
        html,
    )
    assert "fixtures/registry" not in html  # no path of the server's
    assert response["Vary"].startswith("HX-Request")


def test_objects_redirects_home_keeping_the_query(client, synced):
    response = client.get("/objects/?q=temp")
    assert (response.status_code, response["Location"]) == (302, "/?q=temp")


def test_every_version_as_rows(client, synced):
    response = client.get("/?versions=all")
    assert "<strong>8</strong> versions" in response.text
    assert '<a href="/objects/3/1.0/"><bdi>Device</bdi></a>' in response.text


def test_htmx_request_gets_the_results_fragment_and_a_clean_url(client, synced):
    full = client.get("/?q=temperature")
    fragment = hx(client, "/?q=temperature&page=&label=bogus")
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert 'id="q"' not in fragment.text
    assert names(fragment) == names(full) == ["Temperature"]
    assert fragment.text.strip() in full.text  # the fragment is the page's own partial
    assert fragment["HX-Push-Url"] == "/?q=temperature"
    assert "HX-Request" in fragment["Vary"]


def test_history_restore_request_gets_the_whole_page(client, synced):
    response = hx(client, "/?q=temperature", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.text
    assert "HX-Push-Url" not in response


@pytest.mark.parametrize(
    "query, expected",
    [
        ("label=oma", ["Device"]),
        ("label=ext&owner=IPSO+Alliance", ["Temperature", "Humidity"]),
        ("owner=Acme+Sensors&lwm2m=1.1", ["Acme Pressure Gauge"]),
        ("q=ipso+humidity", ["Humidity"]),
        ("q=3303", ["Temperature"]),
        ("sort=name&label=x", ["Acme Counter", "Acme Pressure Gauge"]),
    ],
)
def test_filters_and_search(client, synced, query, expected):
    assert names(client.get(f"/?{query}")) == expected
    assert names(hx(client, f"/?{query}")) == expected


def test_facets_show_counts_and_ticked_boxes(client, synced):
    html = client.get("/?label=ext").text
    assert re.search(r'value="ext" id="label-ext" checked>.*?<span class="n">2</span>', html)
    assert re.search(r'value="oma" id="label-oma">.*?<span class="n">1</span>', html)
    assert re.search(
        r'value="IPSO Alliance" id="owner-\w+"><bdi>IPSO Alliance</bdi> <span class="n">2', html
    )
    assert 'value="Acme Sensors"' not in html  # no owner with 0 under the other filters


def test_pages(client, synced):
    first = client.get("/?per=25")
    assert 'aria-label="Pages"' not in first.text
    response = client.get("/?versions=all&per=1&page=2")
    assert response.status_code == 200
    # per is clamped to the smallest page size, so all 8 fit on one page
    assert "<strong>8</strong> versions" in response.text


def test_pagination_links_carry_href_and_hx_get(client, synced, monkeypatch):
    monkeypatch.setattr(list_params, "PER_CHOICES", (2,))
    response = client.get("/?per=2&page=2")
    html = response.text
    assert names(response) == ["Humidity", "Acme Pressure Gauge"]
    assert '<a href="/?per=2" hx-get="/?per=2"' in html
    assert 'href="/?per=2&amp;page=3" hx-get="/?per=2&amp;page=3"' in html
    assert 'aria-current="page">2</a>' in html


@pytest.mark.parametrize(
    "query",
    ["page=-1", "page=99999999999999999999999", "per=1000000000", "sort=nope", "q=%00%00",
     "q=" + "a" * 20000, "label=%00", "owner=" + "z" * 3000, "lwm2m=1.x", "versions=%ff"],
)  # fmt: skip
def test_bad_parameters_never_fail(client, synced, query):
    assert client.get(f"/?{query}").status_code == 200
    assert hx(client, f"/?{query}").status_code == 200


def test_empty_state_says_what_to_change(client, synced):
    html = client.get("/?q=zzzz&label=oma").text
    assert "Nothing matches" in html
    assert 'href="/?label=oma"' in html  # clear the search
    assert 'href="/?q=zzzz"' in html  # remove the filters


def test_no_data_yet_says_which_command_fixes_it(client, db):
    SyncRun.objects.create(
        source="http://registry.test/api/", started="2025-01-01T00:00Z",
        outcome=SyncRun.FAILED, error="connection refused",
    )  # fmt: skip
    html = client.get("/").text
    assert "No registry data yet" in html
    assert "at 2025-01-01 00:00 UTC, failed" in html
    assert "connection refused" not in html  # the cause is for the admin, not every visitor
    assert "<code>make sync</code>" in html


def test_the_empty_sites_hint_works_as_written(client, db, tmp_path):
    """The commands the empty list gives, run as written in the project's folder (the clone's
    path given): the site has the registry's data. `python manage.py ...` failed outside
    .venv; `make sync` makes .venv when a fresh clone has none."""
    html = client.get("/").text
    commands = sorted(set(re.findall(r"<code>(make [^<]*)</code>", html)))
    assert commands == ["make sync", "make sync REGISTRY_SOURCE=/path/to/lwm2m-registry"]
    line = commands[1].replace("/path/to/lwm2m-registry", str(FIXTURE_REGISTRY)).split()
    database = tmp_path / "hint.sqlite3"
    env = site_env(f"sqlite:///{database}")
    done = subprocess.run(line, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Synced" in done.stdout
    with sqlite3.connect(database) as connection:
        (count,) = connection.execute("SELECT count(*) FROM objects_objectversion").fetchone()
    assert count > 0


def test_only_get(client, synced):
    assert client.post("/").status_code == 405


def test_a_constant_number_of_queries(client, synced, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(1):
        client.get("/?versions=all&label=x")
    with django_assert_max_num_queries(1):
        client.get("/?versions=all&q=a")


@pytest.mark.parametrize(
    "trigger, current, header, value",
    [
        ("q", "http://testserver/", "HX-Push-Url", "/?q=acme"),  # the first request of a search
        ("q", "http://testserver/?q=acm", "HX-Replace-Url", "/?q=acme"),  # typing on
        ("list-form", "http://testserver/?q=acm", "HX-Push-Url", "/?q=acme"),  # submitted
        ("list-form", "http://testserver/?q=acme", "HX-Push-Url", "false"),  # already shown
    ],
)
def test_one_history_entry_per_search(client, synced, trigger, current, header, value):
    response = client.get(
        "/?q=acme", HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER=trigger, HTTP_HX_CURRENT_URL=current
    )
    assert response[header] == value
