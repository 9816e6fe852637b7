"""/device/ in Debian's Chromium at desktop and phone width: a pasted registration read into a
shareable URL, its objects table read by its headings; no console error, no CSP violation, no
accessibility problem, no sideways scrolling."""

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_problems, recording_page

pytestmark = pytest.mark.browser

REGISTER = (
    "POST /rd?ep=node-1&lt=300&lwm2m=1.1&b=U\n"
    '</>;rt="oma.lwm2m";ct="60 110 112 11542",</3/0>,</3303>;ver=1.1,</3303/0>,</3303/1>'
)


def column(table, heading):
    """The cells of a table's column, found by its heading's text."""
    headings = [h.strip() for h in table.locator("thead th").all_text_contents()]
    index = headings.index(heading)
    return [
        c.strip() for c in table.locator(f"tbody tr td:nth-child({index + 1})").all_inner_texts()
    ]


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_a_registration_read_and_shared(browser, site, width, height):
    with recording_page(browser, site.url, viewport={"width": width, "height": height}) as page:
        page.goto("/device/")
        page.get_by_label("What the client sent").fill(REGISTER)
        page.get_by_role("button", name="Read").click()
        page.wait_for_load_state()
        assert "payload=POST" in page.url
        expect(page.locator("#reading")).to_contain_text("Register request (POST /rd): LwM2M 1.1")
        table = page.locator("table.device-objects")
        assert column(table, "ID") == ["3", "3303"]
        assert column(table, "Name") == ["Device", "Temperature"]
        assert column(table, "Version")[1] == "1.1 (ver=)"
        assert column(table, "Version")[0].startswith("1.1 (default:")
        assert column(table, "Instances") == ["0", "0, 1"]
        assert column(table, "Registry")[1].startswith("registered: versions 1.0, 1.1")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_no_problems(page)
        shared = page.url
        page.goto("/")
        page.goto(shared)  # the same reading from the URL alone
        expect(page.locator("table.device-objects")).to_contain_text("Temperature")
        page.screenshot(path=f"/tmp/device-page-{width}.png", full_page=True)
