"""The resource pages in a real browser: Debian's Chromium driven by Playwright, against the
site served for real and synced from the fixture registry (a folder: its Common.xml is read)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_problems

pytestmark = pytest.mark.browser

# The fixture registry's resource IDs: those its objects define and Common.xml's five.
EVERY_ID = ["0", "1", "2", "4", "9", "22", "4001", "5518", "5700", "5701", "5750"]


def listed_ids(page):
    return page.locator("table.resource-ids td.id")


def test_a_definition_links_to_its_row_on_the_object_page(page):
    """/resources/5700/: the link to 3304 in the definitions table opens 3304's page with the
    row of resource 5700 as the :target, highlighted, in view."""
    page.goto("/resources/5700/")
    link = page.locator('table.variants td.uses a[href="/objects/3304/#resource-5700"]')
    expect(link).to_have_text("3304 Humidity")
    link.click()
    page.wait_for_url(re.compile(r"/objects/3304/#resource-5700$"))

    row = page.locator("tr#resource-5700")
    assert page.evaluate("document.querySelector(':target')?.id") == "resource-5700"
    assert row.evaluate("row => row.matches(':target')")
    assert row.evaluate("row => getComputedStyle(row).outlineStyle") == "solid"  # the highlight
    expect(row).to_be_visible()
    expect(row).to_be_in_viewport()
    assert_no_problems(page)


def test_typing_a_search_and_ticking_a_facet_without_page_loads(page):
    """Typed at a human pace: the results come without a page load and with at most one new
    history entry; a facet swaps them again and pushes its URL; Back restores each state."""
    page.goto("/resources/")
    expect(listed_ids(page)).to_have_text(EVERY_ID)
    page.evaluate("window.sameDocument = true")
    before = page.evaluate("history.length")

    page.locator("#q").click()
    page.keyboard.type("sensor", delay=80)
    page.wait_for_url(re.compile(r"/resources/\?q=sensor$"))
    expect(listed_ids(page)).to_have_text(["5700", "5701"])
    expect(page.locator("#count")).to_contain_text("2 resource IDs for “sensor”")
    assert page.evaluate("window.sameDocument") is True, "the search loaded a new page"
    assert page.evaluate("history.length") <= before + 1

    reusable = page.get_by_label("Reusable, registered")
    expect(reusable).not_to_be_checked()
    page.evaluate("document.querySelector('#results .layout').dataset.stale = 'yes'")
    reusable.check()
    page.wait_for_url(re.compile(r"/resources/\?q=sensor&class=reusable$"))
    expect(page.locator("#results .layout:not([data-stale])")).to_have_count(1)  # swapped
    expect(page.get_by_label("Reusable, registered")).to_be_checked()
    expect(listed_ids(page)).to_have_text(["5700", "5701"])
    assert page.evaluate("window.sameDocument") is True, "the facet loaded a new page"

    page.go_back()
    page.wait_for_url(re.compile(r"/resources/\?q=sensor$"))
    expect(page.get_by_label("Reusable, registered")).not_to_be_checked()
    expect(page.locator("#q")).to_have_value("sensor")
    expect(listed_ids(page)).to_have_text(["5700", "5701"])

    page.go_back()  # the typing made one entry: one step back is the list before it
    page.wait_for_url(re.compile(r"/resources/$"))
    expect(page.locator("#q")).to_have_value("")
    expect(listed_ids(page)).to_have_text(EVERY_ID)
    assert_no_problems(page)
