"""The object page's resource table in Chromium: filter, sticky header, targets, copy buttons.
A console error or warning, a script error or a CSP violation fails any test here."""

import re
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_problems, prepared_site
from tests.conftest import FIXTURE_REGISTRY

pytestmark = pytest.mark.browser

# 3303 with 30 resources: its own three (5700 and 5750 mention the sensor) and 27 readings,
# every third of them about calibration.
READINGS = range(6000, 6027)
ITEM = """<Item ID="{id}"><Name>{name}</Name><Operations>R</Operations>
<MultipleInstances>Single</MultipleInstances><Mandatory>Optional</Mandatory><Type>Float</Type>
<RangeEnumeration></RangeEnumeration><Units></Units><Description>{description}</Description>
</Item>"""
WIDE = {"width": 1280, "height": 700}
NARROW = {"width": 800, "height": 700}


def readings():
    return "".join(
        ITEM.format(
            id=rid,
            name=f"Reading {rid - 6000}",
            description="Value after calibration." if rid % 3 == 0 else "A raw value.",
        )
        for rid in READINGS
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("registry") / "registry"
    shutil.copytree(FIXTURE_REGISTRY, folder)
    definition = folder / "3303.xml"
    definition.write_text(
        definition.read_text().replace("</Resources>", readings() + "</Resources>")
    )
    with prepared_site(tmp_path_factory.mktemp("object-page"), folder, workers=1) as server:
        yield server


@pytest.fixture
def page_options():
    """A wide window with the clipboard, and a console warning is a problem too."""
    return {
        "viewport": WIDE,
        "permissions": ["clipboard-read", "clipboard-write"],
        "console": ("error", "warning"),
    }


@pytest.fixture(autouse=True)
def no_problems(page):
    """After each test: no console error or warning, script error or CSP violation."""
    yield
    assert_no_problems(page)


def shown_rows(page):
    return page.locator("#resource-table tbody tr:visible")


def test_the_filter_narrows_the_rows_and_says_how_many(page):
    page.goto("/objects/3303/")
    expect(shown_rows(page)).to_have_count(30)
    box = page.get_by_label("Filter resources")
    expect(box).to_be_visible()  # unhidden by site.js: the table has more than 8 rows
    count = page.locator("#resource-filter-count")
    assert count.get_attribute("aria-live") == "polite"

    box.fill("CALIBRATION")  # a description, whatever the case
    expect(shown_rows(page)).to_have_count(9)
    expect(count).to_have_text("9 of 30 resources")
    box.fill("sensor")  # 5700's and 5701's names, 5750's description
    expect(shown_rows(page)).to_have_count(3)
    ids = shown_rows(page).locator("td.id > a:first-child").all_inner_texts()
    assert ids == ["5700", "5701", "5750"]
    expect(count).to_have_text("3 of 30 resources")
    box.fill("6012")  # an ID
    expect(shown_rows(page)).to_have_count(1)
    expect(page.locator("#resource-6012")).to_be_visible()
    box.fill("reading 2")  # a name: Reading 2 and Reading 20-26
    expect(count).to_have_text("8 of 30 resources")
    box.fill("no such thing")
    expect(shown_rows(page)).to_have_count(0)
    expect(count).to_have_text("0 of 30 resources")
    box.fill("")
    expect(shown_rows(page)).to_have_count(30)
    expect(count).to_have_text("30 resources")
    assert page.evaluate("document.querySelectorAll('style, [style]').length") == 0


def test_a_short_table_has_no_filter(page):
    page.goto("/objects/3304/")
    expect(shown_rows(page)).to_have_count(1)
    page.wait_for_load_state("load")  # site.js (deferred) has run
    expect(page.locator(".table-filter")).to_be_hidden()


def header_and_rows(page):
    return page.evaluate(
        """() => {
            const box = el => el.getBoundingClientRect();
            const table = document.getElementById('resource-table');
            return {
                head: box(table.tHead.rows[0].cells[0]), table: box(table),
                scroller: box(table.closest('.scroll')),
                target: document.querySelector(':target') && box(document.querySelector(':target')),
            };
        }"""
    )


def test_the_header_stays_at_the_top_of_the_window_on_a_wide_screen(page):
    page.goto("/objects/3303/")
    # Past the table's top by 700 px, wherever the findings above it put it.
    top = page.evaluate(
        "document.getElementById('resource-table').getBoundingClientRect().top + window.scrollY"
    )
    page.mouse.move(640, 350)
    page.mouse.wheel(0, top + 700)
    page.wait_for_function(f"window.scrollY >= {top + 600}")
    seen = header_and_rows(page)
    assert seen["table"]["y"] < -500  # the table's top is well above the window...
    assert abs(seen["head"]["y"]) <= 1  # ...and its header at the window's top
    assert seen["table"]["y"] + seen["table"]["height"] > seen["head"]["height"]  # in the table


def test_a_target_row_is_marked_below_the_sticky_header(page):
    page.goto("/objects/3303/#resource-6020")
    expect(page.locator("#resource-6020")).to_be_in_viewport()
    seen = header_and_rows(page)
    assert abs(seen["head"]["y"]) <= 1  # the page scrolled to the row, the header stuck
    head_bottom = seen["head"]["y"] + seen["head"]["height"]
    assert seen["target"]["y"] >= head_bottom - 1  # not hidden under the header
    assert seen["target"]["y"] < head_bottom + 60  # and close below it
    background = page.evaluate(
        "[getComputedStyle(document.querySelector('#resource-6020')).backgroundColor,"
        " getComputedStyle(document.querySelector('#resource-6021')).backgroundColor]"
    )
    assert background[0] != background[1]  # :target's highlight


def test_the_header_sticks_in_its_scrolling_box_on_a_narrow_screen(page):
    """Too narrow for the table, the box scrolls both ways and the header sticks inside it."""
    page.set_viewport_size(NARROW)
    page.goto("/objects/3303/#resource-6020")
    seen = header_and_rows(page)
    assert seen["table"]["y"] < seen["scroller"]["y"] - 300  # scrolled inside the box
    assert abs(seen["head"]["y"] - seen["scroller"]["y"]) <= 1
    assert seen["target"]["y"] >= seen["head"]["y"] + seen["head"]["height"] - 1
    assert seen["scroller"]["y"] + seen["scroller"]["height"] <= NARROW["height"] + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def test_copy_a_path_and_a_link_from_a_row(page, site):
    page.goto("/objects/3303/")
    button = page.get_by_role("button", name="Put the path /3303/0/5700 on the clipboard")
    expect(button).to_have_text("/3303/0/5700")
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == "/3303/0/5700"
    expect(button).to_have_text("/3303/0/5700")  # its own label back

    link = page.get_by_role("button", name="Put a link to resource 5750 on the clipboard")
    link.click()
    expect(link).to_have_text("Copied")
    assert (
        page.evaluate("navigator.clipboard.readText()") == f"{site.url}/objects/3303/#resource-5750"
    )
    expect(link).to_have_text("Link")

    page.goto("/objects/3303/1.0/?from=search#resource-5701")  # no query, no old fragment
    page.get_by_role("button", name="Put a link to resource 5700 on the clipboard").click()
    assert page.evaluate("navigator.clipboard.readText()") == (
        f"{site.url}/objects/3303/1.0/#resource-5700"
    )


def test_without_a_clipboard_the_text_is_selected_to_copy_by_hand(page):
    """Over plain http to another host there is no clipboard API: a button selects its text
    (the path), the URN's button the URN beside it, a link button puts the link in the
    address bar."""
    page.add_init_script("Object.defineProperty(window, 'isSecureContext', {value: false})")
    page.goto("/objects/3303/")
    page.get_by_role("button", name="Put the path /3303/0/5701 on the clipboard").click()
    assert page.evaluate("getSelection().toString()") == "/3303/0/5701"
    page.get_by_role("button", name="Copy", exact=True).click()
    assert page.evaluate("getSelection().toString()") == "urn:oma:lwm2m:ext:3303:1.1"
    assert page.locator("button.copy").inner_text() == "Copy"  # not "Copied": nothing was
    page.get_by_role("button", name="Put a link to resource 5750 on the clipboard").click()
    page.wait_for_url(re.compile(r"/objects/3303/#resource-5750$"))  # the address bar has it


def test_a_refused_clipboard_selects_the_text_instead(page):
    page.add_init_script(
        "navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied'))"
    )
    page.goto("/objects/3303/")
    button = page.get_by_role("button", name="Put the path /3303/0/5750 on the clipboard")
    button.click()
    page.wait_for_function("getSelection().toString() === '/3303/0/5750'")
    expect(button).to_have_text("/3303/0/5750")
