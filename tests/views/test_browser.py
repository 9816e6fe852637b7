"""The user's paths in a real browser: Debian's Chromium driven by Playwright."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser import assert_no_problems, prepared_site
from tests.conftest import FIXTURE_REGISTRY
from tests.fake_registry import FakeRegistry
from tests.hostile_registry import XHTML_PAYLOAD, resource

pytestmark = pytest.mark.browser


def rows(page):
    return page.locator("table.objects tbody tr")


def names(page):
    return page.locator("table.objects td.name a").all_inner_texts()


def test_search_filter_and_back_without_page_loads(page):
    page.goto("/")
    assert names(page)[:2] == ["Device", "Temperature"]  # the placeholder "Reserved" hidden
    page.evaluate("window.sameDocument = true")

    # One input event: typed key by key, a busy machine may let the 300 ms debounce fire
    # between two keys, and each such request pushes a history entry (issue 12's to change).
    page.get_by_label("Search objects").fill("acme")
    page.wait_for_url(re.compile(r"/\?q=acme$"))
    expect(rows(page)).to_have_count(2)
    assert names(page) == ["Acme Pressure Gauge", "Acme Counter"]

    page.locator("#lwm2m-1\\.1").check()
    page.wait_for_url(re.compile(r"/\?q=acme&lwm2m=1.1$"))
    expect(rows(page)).to_have_count(1)
    assert names(page) == ["Acme Pressure Gauge"]
    assert page.evaluate("window.sameDocument") is True  # no full page load so far

    page.go_back()
    page.wait_for_url(re.compile(r"/\?q=acme$"))
    expect(rows(page)).to_have_count(2)
    assert not page.locator("#lwm2m-1\\.1").is_checked()
    assert page.locator("#q").input_value() == "acme"

    page.go_back()
    page.wait_for_url(re.compile(r"/$"))
    expect(rows(page)).to_have_count(5)  # placeholders hidden by default
    assert page.locator("#q").input_value() == ""
    assert_no_problems(page)


def test_a_shared_link_renders_the_same_state(page):
    page.goto("/?q=acme&lwm2m=1.1")
    assert names(page) == ["Acme Pressure Gauge"]
    assert page.locator("#lwm2m-1\\.1").is_checked()
    assert page.locator("#q").input_value() == "acme"


def test_sort_and_page_size_swap_the_results(page):
    page.goto("/")
    page.evaluate("window.sameDocument = true")
    page.select_option("#sort", "name")
    page.wait_for_url(re.compile(r"/\?sort=name$"))
    expect(page.locator("td.name a").first).to_have_text("Acme Counter")
    assert page.evaluate("window.sameDocument") is True


def test_open_an_object_follow_a_resource_anchor_and_compare(page):
    page.goto("/?q=device")
    page.get_by_role("main").get_by_role("link", name="Device", exact=True).click()
    page.wait_for_url(re.compile(r"/objects/3/$"))
    assert page.locator("h1").inner_text().startswith("Device")

    page.locator('a[href="#resource-22"]').click()
    page.wait_for_url(re.compile(r"#resource-22$"))
    assert page.evaluate("document.querySelector(':target').id") == "resource-22"
    assert page.locator("#resource-22").is_visible()
    box = page.locator("#resource-22").bounding_box()
    assert 0 <= box["y"] < 900

    page.goto("/objects/3/1.0/")
    page.get_by_role("link", name="changes since 1.0").click()
    page.wait_for_url(re.compile(r"/objects/3/compare/1.0...1.1/$"))
    summary = page.locator("#summary").inner_text()
    assert "1 resource added, 0 removed, 2 changed" in summary
    assert page.locator("td.ins", has_text="Unsigned Integer").is_visible()

    page.go_back()
    page.wait_for_url(re.compile(r"/objects/3/1.0/$"))
    assert_no_problems(page)


def test_slash_focuses_the_search_box_and_copy_button(page):
    page.goto("/objects/3303/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "quick-q"
    page.keyboard.type("humidity")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/\?q=humidity$"))
    assert names(page) == ["Humidity"]

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/objects/3303/")
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("button.copy")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == "urn:oma:lwm2m:ext:3303:1.1"


def test_unknown_object_is_a_404_page_with_a_search(page):
    response = page.goto("/objects/4/")
    assert response.status == 404
    assert page.locator("#nf-q").input_value() == "4"


def test_strict_csp_holds(page):
    response = page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_label("Search objects").press_sequentially("temp", delay=20)
    page.wait_for_url(re.compile(r"q=temp"))
    page.goto("/objects/3/compare/1.0...1.1/")
    assert_no_problems(page)
    assert page.evaluate("document.querySelectorAll('style, [style]').length") == 0


def test_a_crafted_definition_stays_inert(browser, tmp_path):
    """XHTML in a definition would redirect, alert, phish and run XSLT on our origin: opened in
    Chromium, the stored file does none of it, and nothing reaches the attacker's server."""
    with FakeRegistry(items=[]) as evil, FakeRegistry(FIXTURE_REGISTRY) as upstream:
        payload = XHTML_PAYLOAD.format(evil=evil.origin, id=3304, resources=resource(5700))
        upstream.set_file("3304.xml", payload.encode())
        with prepared_site(tmp_path, upstream.base_url, workers=1) as server:
            context = browser.new_context(base_url=server.url)
            page = context.new_page()
            dialogs = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            url = server.url + "/objects/3304/1.0/definition.xml"

            response = page.goto(url)
            assert response.headers["content-type"].startswith("text/plain")
            assert page.evaluate("document.contentType") == "text/plain"
            assert "<h:form" in page.inner_text("body")  # shown as text, not rendered
            # A 0-second refresh would have fired by now; wait a moment longer for it.
            with pytest.raises(PlaywrightTimeout):
                page.wait_for_url(lambda now: now != url, timeout=1500)
            assert page.evaluate("document.forms.length") == 0

            # A client that does not ask for a page gets XML: Chromium renders its XHTML, and
            # the sandboxing CSP still stops every script, load, navigation and submission.
            page.route(
                "**/definition.xml", lambda route: route.continue_(headers={"accept": "*/*"})
            )
            response = page.goto(url)
            assert response.headers["content-type"] == "application/xml"
            with pytest.raises(PlaywrightTimeout):
                page.wait_for_url(lambda now: now != url, timeout=1500)
            if page.evaluate("document.forms.length"):
                page.locator("button").first.click(timeout=2000)
            page.wait_for_timeout(500)
            assert page.url == url

            page.unroute("**/definition.xml")
            page.goto("/objects/3304/1.0/definition/")
            assert page.locator("table.xml").is_visible()
            assert page.locator("form[action*='steal'], script:not([src])").count() == 0
            context.close()
        assert dialogs == []
        assert sum(evil.requests.values()) == 0
        assert evil.connections == 0


def test_a_device_path_leads_to_its_resource(page):
    """Pasted from a device log: /3303/0/5700, Enter, and the resource's row is the target."""
    page.goto("/")
    box = page.get_by_label("Search objects")
    box.fill("/3303/0/5700")
    expect(page.locator(".path-note a")).to_have_attribute("href", "/objects/3303/#resource-5700")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/objects/3303/#resource-5700$"))
    assert page.evaluate("document.querySelector(':target').id") == "resource-5700"
    assert page.locator("#resource-5700").is_visible()

    page.goto("/?q=5700")
    page.get_by_role("link", name="resource 5700 Sensor Value").first.click()
    page.wait_for_url(re.compile(r"/objects/3303/#resource-5700$"))
    assert_no_problems(page)


def test_typing_a_search_makes_one_history_entry(page):
    """Typed key by key, slower than the 300 ms pause that sends each request: the first
    request pushes the search, the next ones replace it; Enter adds nothing; Back goes home."""
    page.goto("/")
    before = page.evaluate("history.length")
    box = page.get_by_label("Search objects")
    box.press_sequentially("humidity", delay=400)
    page.wait_for_url(re.compile(r"/\?q=humidity$"))
    expect(rows(page)).to_have_count(1)
    box.press("Enter")
    expect(rows(page)).to_have_count(1)
    assert page.evaluate("history.length") == before + 1
    page.go_back()
    page.wait_for_url(re.compile(r"/$"))
    expect(rows(page)).to_have_count(5)
    assert_no_problems(page)
