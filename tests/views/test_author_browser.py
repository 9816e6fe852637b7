"""/author/ in Debian's Chromium, at a laptop's and a phone's width: build a company object
that reuses 5700 and 5701, see a finding appear as the form changes, follow it to its field,
reload and find the draft again; on a phone, no sideways scroll."""

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_problems, recording_page

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def build_an_object(page):
    page.goto("/author/")
    page.get_by_role("link", name="Author", exact=True).click()
    page.get_by_label("Name", exact=True).first.fill("Acme Meter")
    page.get_by_label("ObjectID").fill("10488")
    page.get_by_label("Description1").fill("A meter of Acme's.")
    for wanted, name in (("5700", "Sensor Value"), ("sensor units", "Sensor Units")):
        page.get_by_label("Add a reusable resource").fill(wanted)
        if name == "Sensor Value":
            page.get_by_role("button", name="Add reusable").click()
        else:
            page.get_by_label("Add a reusable resource").press("Enter")  # by keyboard
        expect(page.locator("#editor-message")).to_contain_text(f"{name} from Common.xml")
    expect(page.locator("#r1-name")).to_have_value("Sensor Units")
    expect(page.locator("#r0-name")).to_have_attribute("readonly", "")
    expect(page.locator("#urn")).to_have_text("urn:oma:lwm2m:x:10488")


def test_build_follow_a_finding_and_reload(browser, site):
    with recording_page(browser, site.url, viewport=LAPTOP) as page:
        build_an_object(page)
        page.get_by_role("button", name="Add a resource").click()
        expect(page.locator("#r2-name")).to_be_focused()  # the new row, ready to type in
        page.locator("#r2-name").fill("Level")
        page.locator("#r2-type").select_option("")  # readable and no Type: a mistake
        finding = page.get_by_role("link", name="resource 0 is not executable and has no type")
        expect(finding).to_have_attribute("href", "#r2-type")
        finding.click()
        expect(page.locator("#r2-type")).to_be_focused()
        page.locator("#r2-type").select_option("Integer")
        expect(
            page.get_by_role("link", name="nordic: resource 0 (Level) has no Name or no Descr")
        ).to_have_attribute("href", "#r2-description")
        page.locator("#r2-description").fill("The level, in percent.")
        expect(page.locator("#live-title")).to_have_text("Ready to submit: no finding")
        page.reload()
        expect(page.locator("#r2-name")).to_have_value("Level")  # the draft came back
        expect(page.locator("#f-name")).to_have_value("Acme Meter")
        expect(page.locator("#r2-type")).to_have_value("Integer")
        page.screenshot(path="/tmp/author-page.png", full_page=True)
        assert_no_problems(page)


def test_a_phone_edits_without_scrolling_sideways(browser, site):
    with recording_page(browser, site.url, viewport=PHONE) as page:
        page.goto("/author/?from=3303/1.1")
        expect(page.locator("#r0-name")).to_have_value("Sensor Value")
        expect(page.locator("#advice")).to_contain_text("No change against 1.1")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.get_by_role("button", name="Add a resource").click()
        expect(page.locator("#r3-name")).to_be_focused()  # the new form is settled
        page.locator("#r3-name").fill("Min Measured Value")
        page.locator("#r3-type").select_option("Float")
        expect(page.locator("#advice")).to_contain_text("A minor version: 1.2")
        expect(page.locator("#urn")).to_have_text("urn:oma:lwm2m:ext:3303:1.2")
        expect(page.locator("#f-object_version")).to_have_value("1.2")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path="/tmp/author-phone.png", full_page=True)
        assert_no_problems(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_editor_has_no_axe_violation(browser, site, scheme):
    from tests.views.test_accessibility import violations

    with recording_page(browser, site.url, color_scheme=scheme) as page:
        page.goto("/author/?from=3303/1.1")
        page.get_by_role("button", name="Add a resource").click()
        expect(page.locator("#r3-name")).to_be_focused()  # the new form is settled
        page.locator("#r3-type").select_option("")
        expect(page.locator("#findings")).to_contain_text("has no type")
        assert violations(page) == []
        assert_no_problems(page)


def test_a_shared_draft_opens_in_a_second_browser_and_loses_no_work(browser, site):
    with recording_page(browser, site.url, viewport=LAPTOP) as page:
        build_an_object(page)
        page.get_by_role("button", name="Share").click()
        page.wait_for_url("**/author/d/*/")
        link = page.url
        assert_no_problems(page)
    with recording_page(browser, site.url, viewport=PHONE) as colleague:
        colleague.goto("/author/")
        colleague.locator("#f-name").fill("My own object")
        expect(colleague.locator("#live-title")).to_contain_text("error")  # the draft was kept
        colleague.goto(link)
        expect(colleague.locator("#shared-note")).to_contain_text("A shared draft")
        expect(colleague.locator("#r1-name")).to_have_value("Sensor Units")
        colleague.locator("#f-name").fill("Acme Meter, forked")
        expect(colleague.locator("#f-name")).to_have_value("Acme Meter, forked")
        colleague.goto("/author/")
        expect(colleague.locator("#f-name")).to_have_value("Acme Meter, forked")
        colleague.get_by_role("button", name="Bring back the previous draft").click()
        expect(colleague.locator("#f-name")).to_have_value("My own object")
        assert colleague.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert_no_problems(colleague)


def test_the_essential_path_without_javascript(browser, site):
    with recording_page(browser, site.url, viewport=LAPTOP, java_script_enabled=False) as page:
        page.goto("/author/")
        page.locator("#f-name").fill("Acme Meter")
        page.locator("#f-object_id").fill("10488")
        page.get_by_label("Add a reusable resource").fill("5700")
        page.get_by_role("button", name="Add reusable").click()
        expect(page.locator("#r0-name")).to_have_value("Sensor Value")
        page.get_by_role("button", name="Add a resource").click()
        expect(page.locator("#r1-name")).to_be_focused()  # autofocus on the page that came back
        page.locator("#r1-type").select_option("")
        page.get_by_role("button", name="Check", exact=True).click()
        link = page.get_by_role("link", name="resource 0 is not executable and has no type")
        expect(link).to_have_attribute("href", "#r1-type")
        expect(page.locator("#urn")).to_have_text("urn:oma:lwm2m:x:10488")
        with page.expect_download() as download:
            page.get_by_role("button", name="Download submission kit").click()
        assert download.value.suggested_filename == "10488-1_0-submission-kit.zip"
        # assert_no_problems waits on a timer of the page's, which never runs without script.
        assert page.problems == [] and all("script-src 'self'" in p for p in page.csp.values())
