"""/validate/ in Debian's Chromium: a good file, a file with errors, and text that is no XML."""

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_problems
from tests.conftest import FIXTURE_REGISTRY

pytestmark = pytest.mark.browser


def validate_file(page, path):
    page.goto("/validate/")
    page.set_input_files("#file", str(path))
    page.get_by_role("button", name="Validate").click()
    page.wait_for_load_state()


def test_a_good_file(page):
    validate_file(page, FIXTURE_REGISTRY / "version_history" / "3-1_0.xml")
    expect(page.locator("#verdict")).to_contain_text("3-1_0.xml: no finding")
    expect(page.locator("#result")).to_contain_text("Taken: 3 Device, owned by OMA")
    expect(page.get_by_role("link", name="1.0", exact=True)).to_have_attribute(
        "href", "/objects/3/1.0/"
    )
    assert_no_problems(page)


def test_a_file_with_errors(page):
    validate_file(page, FIXTURE_REGISTRY / "3303.xml")
    expect(page.locator("#verdict")).to_contain_text("3303.xml: 2 errors")
    findings = page.locator(".findings li")
    expect(findings.filter(has_text="schema-location")).to_contain_text("declares no schema")
    expect(findings.filter(has_text="resource 5750")).to_contain_text("departs from Common.xml")
    expect(page.locator("#result")).to_contain_text("Against the registry's version 1.1")
    assert_no_problems(page)


def test_text_that_is_no_xml(page):
    page.goto("/validate/")
    page.fill("#text", "this is not a definition")
    page.get_by_role("button", name="Validate").click()
    expect(page.locator("#verdict")).to_contain_text("1 error")
    expect(page.locator(".findings")).to_contain_text("not well-formed XML")
    # The form keeps what was pasted, to fix and send again.
    expect(page.locator("#text")).to_have_value("this is not a definition")
    # The 400 answer is the page itself, not an error page; only the browser's own note of
    # the status is in the console.
    assert all("400" in problem for problem in page.problems)
