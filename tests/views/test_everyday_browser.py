"""Issue 12's everyday use in a real browser (Debian's Chromium via Playwright): a phone's
first screen, the keyboard, no JavaScript, chips and sortable headers, htmx under the CSP.
The site is synced from a copy of the fixture registry with twelve more owners, so the owner
facet has more than its top entries."""

import re
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_problems, prepared_site, recording_page
from tests.conftest import FIXTURE_REGISTRY

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
EXTRA_OWNERS = [f"Maker {chr(ord('A') + i)} Ltd" for i in range(12)]
GADGETS = 30  # owned in turn by EXTRA_OWNERS: with the fixture's, more than a page of 25


def registry_with_more_owners(folder):
    """The fixture registry plus GADGETS entries owned in turn by EXTRA_OWNERS, each definition
    file missing (shown: a placeholder would be hidden)."""
    shutil.copytree(FIXTURE_REGISTRY, folder)
    ddf = folder / "DDF.xml"
    items = "".join(
        f"<Item><ObjectID>{20001 + i}</ObjectID><URN>urn:oma:lwm2m:x:{20001 + i}</URN>"
        f"<Name>Gadget {i}</Name><Description>A gadget.</Description><Owner>{owner}</Owner>"
        f"<Source>2</Source><Ver>1.0</Ver><DDF>{20001 + i}.xml</DDF><Vorto></Vorto>"
        "<DDFLink>1</DDFLink><TS></TS><TSLink>0</TSLink></Item>\n"
        for i, owner in ((i, EXTRA_OWNERS[i % len(EXTRA_OWNERS)]) for i in range(GADGETS))
    )
    ddf.write_text(ddf.read_text().replace("</DDFList>", items + "</DDFList>"))
    (folder / "api.json").unlink(missing_ok=True)
    return folder


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    registry = registry_with_more_owners(tmp_path_factory.mktemp("registry") / "registry")
    with prepared_site(tmp_path_factory.mktemp("site"), registry) as server:
        yield server


def first_result(page):
    return page.locator("table.objects tbody td.name a").first


def focused(page):
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return e.id || e.getAttribute('href') || e.tagName; })()"
    )


# 1. The phone


def test_a_phone_shows_search_filters_and_results_on_the_first_screen(browser, site):
    with recording_page(browser, site.url, viewport=PHONE) as page:
        page.goto("/?label=oma")
        for selector in ("#q", ".chips", "a.filters-link", "#count", "table.objects tbody tr"):
            box = page.locator(selector).first.bounding_box()
            assert box and box["y"] + box["height"] <= PHONE["height"], selector
        # The facets come after the results; the "Filters" link jumps to them.
        facets, heading = page.locator("#filters"), page.locator("#count")
        assert facets.bounding_box()["y"] > heading.bounding_box()["y"]
        page.locator("a.filters-link").click()
        expect(page.locator("#filters")).to_be_in_viewport()
        # A result is a card: no header row, no horizontal scroll of the page.
        expect(page.locator("table.objects thead")).to_be_hidden()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert_no_problems(page)


def test_a_phone_shows_an_objects_resources_as_rows(browser, site):
    with recording_page(browser, site.url, viewport=PHONE) as page:
        page.goto("/objects/3/")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        table = page.locator("#resource-table")
        scroller = page.locator(".resource-scroll")
        assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth")
        row = table.locator("tbody tr").first
        for cell in row.locator("td").all():
            box = cell.bounding_box()
            if box:  # an empty cell is not shown
                assert box["x"] >= 0
                assert box["x"] + box["width"] <= PHONE["width"]
        expect(row.locator("td[data-label='Operations']")).to_be_visible()
        assert_no_problems(page)


# 2. The keyboard


def test_the_skip_link_goes_to_the_results(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    assert focused(page) == "count"
    page.goto("/objects/3/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page) == "main"


def test_tab_reaches_the_first_result_in_at_most_ten_presses(page):
    page.goto("/?label=oma&lwm2m=1.1")  # with two chips and "Clear all" on the way
    page.locator("#q").focus()
    target = first_result(page).get_attribute("href")
    for _ in range(10):
        page.keyboard.press("Tab")
        if focused(page) == target:
            break
    assert focused(page) == target, f"not reached in 10 presses: at {focused(page)}"


def test_focus_goes_to_the_heading_after_a_swap_but_stays_while_typing(page):
    page.goto("/")
    page.evaluate("window.sameDocument = true")
    page.locator("#label-oma").focus()
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"label=oma"))
    expect(page.locator("#count")).to_be_focused()

    page.locator(".chips a", has_text="Label").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator("#count")).to_be_focused()

    page.locator("#q").press_sequentially("acme", delay=50)
    page.wait_for_url(re.compile(r"q=acme"))
    expect(page.locator("table.objects tbody tr")).to_have_count(2)
    expect(page.locator("#q")).to_be_focused()
    assert page.evaluate("window.sameDocument") is True
    assert_no_problems(page)


def test_slash_focuses_the_search_box_except_in_text_fields(page):
    page.goto("/")
    page.locator("#label-oma").focus()
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    assert page.locator("#q").input_value() == ""

    page.locator("#sort").focus()
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()

    page.locator("#owner-filter").focus()
    page.keyboard.press("/")
    expect(page.locator("#owner-filter")).to_be_focused()
    assert page.locator("#owner-filter").input_value() == "/"


def test_the_owner_facet_shows_the_top_owners_more_and_a_filter_box(page):
    page.goto("/")
    owners = page.locator("[data-owner-facet] input[name=owner]")
    expect(owners).to_have_count(10)
    more = page.locator("a.more-owners-link")
    expect(more).to_have_text(re.compile(r"^\d+ more owners?$"))
    more.click()
    page.wait_for_url(re.compile(r"owners=all"))
    expect(page.locator(".more-owners summary")).to_be_visible()
    total = owners.count()
    assert total == 3 + len(EXTRA_OWNERS)  # OMA, IPSO, Acme (TBD owns a hidden placeholder)

    page.locator("#owner-filter").fill("maker k")
    visible = page.locator("[data-owner-facet] label.facet:visible")
    expect(visible).to_have_count(1)
    expect(visible).to_contain_text("Maker K Ltd")
    page.locator("#owner-filter").fill("")
    expect(visible).to_have_count(total)
    assert_no_problems(page)


# 3. Without JavaScript


def test_every_control_works_by_plain_get_without_javascript(browser, site):
    with recording_page(browser, site.url, java_script_enabled=False) as page:
        page.goto("/")
        expect(page.locator(".owner-filter")).to_be_hidden()
        page.locator("#label-oma").check()
        page.locator("button.apply").click()
        page.wait_for_url(re.compile(r"label=oma"))  # the form's every field, as GET sends them
        expect(page.locator(".chips a.chip", has_text="Label")).to_be_visible()

        page.select_option("#sort", "name")
        page.locator("button.apply").click()
        page.wait_for_url(re.compile(r"sort=name"))

        expect(page.locator("thead th[aria-sort]")).to_have_text("Name")
        page.locator("thead th a", has_text="ObjectID").click()
        page.wait_for_url(re.compile(r"/\?label=oma$"))  # by ObjectID: the default
        expect(page.locator("thead th[aria-sort]")).to_have_text("ObjectID")

        page.locator(".chips a", has_text="Label").click()
        page.wait_for_url(re.compile(r"/$"))
        expect(page.locator(".chips a", has_text="Label")).to_have_count(0)

        page.locator("a.more-owners-link").click()
        page.wait_for_url(re.compile(r"owners=all"))
        owners = page.locator("[data-owner-facet] input[name=owner]")
        expect(owners).to_have_count(3 + len(EXTRA_OWNERS))
        page.locator("[data-owner-facet] input[value='Maker K Ltd']").check()
        page.locator("button.apply").click()
        page.wait_for_url(re.compile(r"owner=Maker"))
        expect(page.locator("table.objects td.name a")).to_have_text(["Gadget 10", "Gadget 22"])

        page.locator(".chips a.clear").click()
        page.wait_for_url(re.compile(r"/$"))
        page.select_option("#per", "25")
        page.locator("button.apply").click()
        page.wait_for_url(re.compile(r"per=25"))
        page.locator("nav.pages a[rel=next]").click()
        page.wait_for_url(re.compile(r"page=2"))
        expect(page.locator("nav.pages a[aria-current=page]")).to_have_text("2")


# 4. Chips and sortable headers


def test_chips_remove_one_filter_each_and_clear_all(page):
    page.goto("/?label=oma&owner=OMA&q=device")
    chips = page.locator(".chips a.chip:not(.clear)")
    expect(chips).to_have_count(3)
    page.evaluate("window.sameDocument = true")
    chips.filter(has_text="Owner").click()
    page.wait_for_url(re.compile(r"/\?q=device&label=oma$"))
    expect(chips).to_have_count(2)
    page.locator(".chips a.clear").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator(".chips")).to_have_count(0)
    assert page.evaluate("window.sameDocument") is True
    assert_no_problems(page)


def test_column_headers_sort_and_say_which_is_current(page):
    page.goto("/")
    page.locator("thead th a", has_text="Name").click()
    page.wait_for_url(re.compile(r"sort=name"))
    expect(page.locator("thead th[aria-sort=ascending]")).to_have_text("Name")
    expect(first_result(page)).to_have_text("Acme Counter")
    page.locator("thead th a", has_text="Owner").click()
    page.wait_for_url(re.compile(r"sort=owner"))
    expect(page.locator("thead th[aria-sort]")).to_have_text("Owner")
    expect(page.locator("thead th[aria-sort]")).to_have_count(1)
    assert_no_problems(page)


# 7. A session


def test_a_session_of_typing_filtering_paging_and_going_back(page):
    page.goto("/?per=25")
    page.evaluate("window.sameDocument = true")
    page.locator("#q").press_sequentially("gadget", delay=40)
    page.wait_for_url(re.compile(r"q=gadget"))
    expect(page.locator("table.objects tbody tr")).to_have_count(25)
    page.locator("#q").press("Enter")
    page.locator("#status-missing").uncheck()  # the gadgets publish no definition
    page.wait_for_url(re.compile(r"status="))
    page.go_back()
    page.wait_for_url(re.compile(r"/\?q=gadget&per=25$"))
    expect(page.locator("table.objects tbody tr")).to_have_count(25)
    page.locator("nav.pages a[rel=next]").click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(page.locator("table.objects tbody tr")).to_have_count(GADGETS - 25)
    expect(page.locator("#count")).to_be_focused()
    page.go_back()
    expect(page.locator("table.objects tbody tr")).to_have_count(25)
    assert page.evaluate("window.sameDocument") is True
    assert_no_problems(page)


# 5. htmx under the CSP


def test_a_swap_copies_no_style_attribute_under_the_csp(page):
    """htmx's settle step copies the listed attributes of an element the swap keeps (same id);
    a style attribute set that way is an inline style the CSP blocks. A script's CSSOM style
    (allowed) on a kept element must not turn into one."""
    page.goto("/")
    page.evaluate("document.getElementById('count').style.outlineColor = 'red'")
    page.locator("#label-oma").check()
    page.wait_for_url(re.compile(r"label=oma"))
    expect(page.locator(".chips a.chip:not(.clear)")).to_have_text(["Label: OMA ×"])
    assert_no_problems(page)
