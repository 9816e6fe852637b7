"""The code page in Chromium: no axe violation (light and dark), no console error, and the
copy button, shown by its script, copies the file's text."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import assert_no_problems, recording_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_code_page_has_no_axe_violation(browser, site, scheme):
    with recording_page(browser, site.url, color_scheme=scheme) as page:
        response = page.goto("/objects/3303/1.1/code/")
        assert response.status == 200
        violations = [
            f"{v['id']}: {v['nodes'][0]['html'][:160]}"
            for v in Axe().run(page).response["violations"]
        ]
        assert violations == []
        assert_no_problems(page)


def test_the_copy_button_copies_the_file(browser, site):
    with recording_page(browser, site.url) as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.goto("/objects/3303/1.1/code/")
        button = page.locator('[data-copy-from="ids-h-text"]')
        assert button.is_visible()
        button.click()
        page.wait_for_function(
            "document.querySelector('[data-copy-from=\"ids-h-text\"]').textContent === 'Copied'"
        )
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.locator("#ids-h-text").text_content()
        assert "#define TEMPERATURE_3303_OID 3303" in copied
        assert_no_problems(page)
