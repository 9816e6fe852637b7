"""A hostile upstream, staged for real on 127.0.0.1: nothing outside the source's origin is
contacted, no page answers 5xx or takes a second, and the sync completes with only the bad
definitions marked (on SQLite and PostgreSQL alike: the suite runs on both)."""

import re
import time
from urllib.parse import quote

import pytest

from objects.catalog.reads import definition_body
from objects.models import ObjectVersion, SyncRun
from objects.sync.pipeline import NOT_FETCHED, sync_registry
from tests.fake_registry import FakeRegistry
from tests.hostile_registry import HostileRegistry
from tests.work import matcher_work

pytestmark = pytest.mark.django_db(transaction=True)
# Token pairs one page's word diffs may look at (tests/work.py): ~40M matcher steps a page;
# the compare's cubic word diff took billions (minutes) on this data before its budget.
PAGE_PAIRS = 45_000_000
# Against a hang only, generous for a busy CI machine (pages take milliseconds here): the work
# that could run away is counted instead.
GENEROUS = 10.0


@pytest.fixture
def decoy():
    """Another service of this machine, which the sync must never reach: it counts requests."""
    with FakeRegistry(items=[]) as server:
        yield server


@pytest.fixture
def hostile(decoy, fixture_registry, fast_client):
    with HostileRegistry(fixture_registry, decoy) as registry:
        registry.stage()
        report = sync_registry(registry.base_url)
        registry.report = report
        yield registry


def test_nothing_outside_the_origin_is_contacted(hostile, decoy):
    assert sum(decoy.requests.values()) == 0
    assert decoy.connections == 0


def test_the_sync_completes_with_only_the_bad_definitions_marked(hostile):
    run = hostile.report.run
    assert run.outcome == SyncRun.OK
    statuses = dict(
        ObjectVersion.objects.filter(object_id__gte=20000).values_list("object_id", "status")
    )
    for case in hostile.cases:
        if case.expect == "skipped":
            assert case.object_id not in statuses, case.what
        else:
            version = ObjectVersion.objects.get(object_id=case.object_id, ver=case.ver)
            assert version.status == case.expect, (case.what, version.status_detail)
    # The well-behaved part of the registry synced untouched.
    fixture = ObjectVersion.objects.filter(object_id__lt=20000)
    assert fixture.count() == 9
    assert sorted(fixture.values_list("status", flat=True)) == ["missing"] + ["ok"] * 8
    assert run.warnings.count("\n") + 1 == 7  # the skipped items, each named
    assert "Name is 300 characters long, over 255" in run.warnings
    assert "control character U+0000" in run.warnings


def test_refusals_keep_their_detail_for_the_admin_only(hostile, client):
    redirect = ObjectVersion.objects.get(object_id=20003)
    assert redirect.status_reason == NOT_FETCHED
    assert "outside the source's origin" in redirect.status_detail
    loop = ObjectVersion.objects.get(object_id=20009)
    assert "redirects more than 5 times" in loop.status_detail
    bomb = ObjectVersion.objects.get(object_id=20021)
    assert "over the 2097152-byte limit" in bomb.status_detail
    for object_id in (20001, 20003, 20004, 20008):
        html = client.get(f"/objects/{object_id}/").text
        assert "could not be fetched" in html
        alert = re.search(r'<p class="alert".*?</p>', html, re.S).group()
        assert alert.endswith("could not be fetched.</p>"), alert
        assert "refused" not in html
        assert "outside the source" not in html
        api = client.get(f"/api/v1/objects/{object_id}/1.0/").json()
        assert api["Definition"]["Reason"] == NOT_FETCHED


def test_a_body_that_is_not_a_definition_is_never_served(hostile, client):
    html_page = ObjectVersion.objects.get(object_id=20020)
    assert definition_body(html_page) is None
    assert not html_page.definition_sha256
    assert client.get("/objects/20020/1.0/definition.xml").status_code == 404


def test_unstorable_headers_are_dropped(hostile):
    version = ObjectVersion.objects.get(object_id=20052)
    assert (version.status, version.etag, version.last_modified) == ("ok", "", "")


def test_links_from_the_data_only_when_http(hostile, client):
    for object_id in (20005, 20006):
        html = client.get(f"/objects/{object_id}/").text
        hrefs = re.findall(r'href="([^"]*)"', html)
        assert not [h for h in hrefs if not h.startswith(("/", "#", "http://", "https://"))]
        assert "Specification</a>" not in html


def test_bidi_overrides_are_isolated(hostile, client):
    html = client.get("/objects/20050/").text
    assert "<h1><bdi>\u202eevil gnp.exe</bdi>" in html
    listed = client.get("/?q=mallory").text
    assert "<bdi>\u202eevil gnp.exe</bdi>" in listed
    assert '<td class="owner"><bdi>\u202eMallory</bdi></td>' in listed


def crafted_urls(client):
    """Every public URL kind, for every crafted object and version."""
    urls = ["/", "/?q=x", "/?q=crafted&lwm2m=1.0", "/?owner=Mallory+Inc.&versions=all",
            "/?sort=name&per=200", "/export.csv", "/export.json", "/export.csv?versions=all",
            "/api/lwm2m/v1/Object", "/api/lwm2m/v1/Object?ObjectVersion=latest"]  # fmt: skip
    rows = ObjectVersion.objects.order_by("object_id", "ver_major", "ver_minor")
    versions = {}
    for object_id, ver in rows.values_list("object_id", "ver"):
        versions.setdefault(object_id, []).append(ver)
        urls += [
            f"/objects/{object_id}/{quote(ver)}/",
            f"/objects/{object_id}/{quote(ver)}/definition/",
            f"/objects/{object_id}/{quote(ver)}/definition.xml",
            f"/api/v1/objects/{object_id}/{quote(ver)}/",
            f"/api/lwm2m/v1/Object?ObjectID={object_id}",
        ]
    for object_id, vers in versions.items():
        urls.append(f"/objects/{object_id}/")
        for a, b in zip(vers, vers[1:], strict=False):
            urls += [
                f"/objects/{object_id}/compare/{a}...{b}/",
                f"/objects/{object_id}/compare/{b}...{a}/",
            ]
    return urls


def test_every_page_answers_with_bounded_work(hostile, client):
    """No page or export answers 5xx on the crafted data, and none does unbounded work (the
    compare's cubic word diff took minutes on this data): its diffs are counted, its time
    bounded only generously."""
    slowest = (0, "")
    for url in crafted_urls(client):
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}) if url.startswith("/?") else ({},):
            started = time.perf_counter()
            with matcher_work(PAGE_PAIRS):
                response = client.get(url, **headers)
            elapsed = time.perf_counter() - started
            assert response.status_code in (200, 404), (url, response.status_code)
            assert elapsed < GENEROUS, (url, elapsed)
            slowest = max(slowest, (elapsed, url))
    print(f"slowest page: {slowest[1]} in {slowest[0] * 1000:.0f} ms")


def test_the_compare_worst_case_is_bounded(hostile, client):
    started = time.perf_counter()
    with matcher_work(PAGE_PAIRS) as work:
        html = client.get("/objects/20060/compare/1.0...2.0/").text
    elapsed = time.perf_counter() - started
    print(f"compare of 200 resources with repetitive words: {elapsed * 1000:.0f} ms, {work}")
    assert elapsed < GENEROUS
    assert "200 changed" in html
    # Nothing lost: every cell still says its whole text.
    assert html.count("x y x y") > 200


def test_the_crafted_definition_is_served_inertly(hostile, client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/objects/20051/1.0/definition.xml", HTTP_ACCEPT=browser)
    assert response["Content-Type"].startswith("text/plain")
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox;")
    assert "default-src 'none'" in policy
    assert "allow-" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    tool = client.get("/objects/20051/1.0/definition.xml", HTTP_ACCEPT="*/*")
    assert tool["Content-Type"] == "application/xml"
    assert tool.content == response.content
    assert "Accept" in tool["Vary"]
    page = client.get("/objects/20051/1.0/definition/").text
    assert "<h:script>" not in page
    assert "&lt;h:script&gt;" in page
    assert not re.search(r"<h:|<(?:form|img)[^>]*(?:steal|pixel)|<meta[^>]*http-equiv", page)
    assert "http-equiv" in page  # shown, as text


def test_the_definition_page_shows_a_bounded_part_of_a_huge_file(hostile, client):
    html = client.get("/objects/20039/1.0/definition/").text
    assert "2,000,001 lines" in html
    assert "too large to show whole" in html
    assert html.count('<td class="ln">') == 10_000
