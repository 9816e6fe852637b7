"""The axe-core scan (axe-playwright-python's bundled axe.min.js) of the site's main pages in
Chromium, light and dark: no violation of any rule axe runs by default."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import assert_no_problems, recording_page

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/?label=oma&lwm2m=1.1&q=device",
    "/?owners=all&status=placeholder&status=defined",
    "/objects/3/",
    "/objects/3/1.0/",
    "/objects/3/compare/1.0...1.1/",
    "/objects/3/compare/",
    "/objects/3/1.1/definition/",
    "/resources/",
    "/resources/5700/",
    "/changes/",
    "/quality/",
    "/validate/",
    "/ids/",
    "/ids/?id=3303",
]


def violations(page):
    """Each violation as 'rule: the first offending element', for a readable failure."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:160]} – {v['help']}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_main_pages_have_no_axe_violation(browser, site, scheme):
    found = {}
    with recording_page(browser, site.url, color_scheme=scheme) as page:
        for path in PAGES:
            response = page.goto(path)
            assert response.status == 200, path
            if problems := violations(page):
                found[path] = problems
        assert found == {}
        assert_no_problems(page)
