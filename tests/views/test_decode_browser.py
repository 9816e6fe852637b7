"""/decode/ in Debian's Chromium: a pasted TLV decoded into a shareable URL, a registration,
an encode; no console error, no CSP violation, no accessibility problem."""

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_problems

pytestmark = pytest.mark.browser


def test_paste_decode_and_share(page):
    page.goto("/")
    page.get_by_role("link", name="Decode", exact=True).click()
    page.get_by_label("Payload").fill("0x e4 16 44 41 bc 00 00 e3 16 45 43 65 6c")
    page.get_by_label("Content format").first.select_option("tlv")
    page.get_by_label("Request path").first.fill("/3303/0")
    page.get_by_role("button", name="Decode").click()
    page.wait_for_load_state()
    assert "format=tlv" in page.url and "payload=0x" in page.url
    expect(page.locator("#decoded")).to_contain_text("OMA TLV (11542): 2 values, 0 findings")
    link = page.get_by_role("link", name="5700 Sensor Value")
    expect(link).to_have_attribute("href", "/objects/3303/#resource-5700")
    expect(page.locator("table.decoded")).to_contain_text("23.5")
    assert_no_problems(page)
    shared = page.url
    page.goto("/")
    page.goto(shared)  # the same decode from the URL alone
    expect(page.locator("table.decoded")).to_contain_text("Cel")
    page.screenshot(path="/tmp/decode-page.png", full_page=True)


def test_a_registration_and_an_encode(page):
    page.goto("/decode/")
    page.get_by_label("Payload").fill('</>;rt="oma.lwm2m",</3/0>;ver=1.1,</3303/0>,</3303/1>')
    page.get_by_role("button", name="Decode").click()
    page.wait_for_load_state()
    expect(page.locator("table.announced")).to_contain_text("Temperature")
    page.get_by_label("Values (JSON)").fill('{"/3303/0/5700": 23.5}')
    page.locator("#enc-format").select_option("senml-json")
    page.get_by_role("button", name="Encode").click()
    page.wait_for_load_state()
    expect(page.locator("#encoded")).to_contain_text("senml-json (110)")
    page.get_by_role("link", name="Decode it").click()
    expect(page.locator("table.decoded")).to_contain_text("Sensor Value")
    assert_no_problems(page)


def test_a_phone_decodes_without_scrolling_sideways(browser, site):
    from tests.browser import recording_page

    with recording_page(browser, site.url, viewport={"width": 390, "height": 844}) as page:
        page.goto("/decode/?format=tlv&path=/3303/0&payload_hex=e41644" + "41bc0000")
        expect(page.locator("table.decoded")).to_contain_text("23.5")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert_no_problems(page)
