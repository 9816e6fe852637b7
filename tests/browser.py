"""What the browser tests share: Debian's Chromium driven by Playwright, the site served for
real and synced from a registry folder, pages that record every problem, and the check that
there was none. tests/conftest.py makes the `browser`, `site` and `page` fixtures of these."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.servers import SiteServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
VIEWPORT = {"width": 1280, "height": 900}
# Every securitypolicyviolation event of every document the page opens, reported to the test
# (a binding, so the reports survive page loads). Chromium also logs each as a console error.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${location.href}`
  );
}, true);
"""


def launch(playwright):
    """Debian's Chromium; its absence fails on CI and skips elsewhere."""
    if not CHROMIUM.exists():
        message = "Debian's chromium (/usr/bin/chromium) is missing: make test installs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@contextmanager
def chromium():
    """Playwright and a launched Chromium, both closed on the way out."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


def prepared_site(directory, source, **options):
    """The site on a fresh SQLite file in `directory` (kept as `.database`), migrated, its
    static files collected and synced from `source`; `with` serves it. `options` are
    SiteServer's: workers, settings for its environment."""
    database = Path(directory) / "site.sqlite3"
    server = SiteServer(f"sqlite:///{database}", **options).prepare(source)
    server.database = database
    return server


@contextmanager
def recording_page(browser, base_url, *, console=("error",), timeout=10_000, **context_options):
    """A page in a context of its own (`context_options`: viewport, permissions...).
    `page.problems` gathers the console messages of the `console` types, uncaught exceptions
    and CSP violations, `page.csp` the Content-Security-Policy of each document it loaded."""
    context = browser.new_context(base_url=base_url, **{"viewport": VIEWPORT, **context_options})
    try:
        page = context.new_page()
        page.set_default_timeout(timeout)
        page.problems, page.csp = [], {}
        page.on("console", lambda m: m.type in console and page.problems.append(m.text))
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        page.expose_function(
            "reportCspViolation", lambda text: page.problems.append(f"CSP: {text}")
        )
        page.add_init_script(REPORT_CSP_VIOLATIONS)

        def keep_csp(response):
            if response.request.resource_type == "document":
                page.csp[response.url] = response.headers.get("content-security-policy", "")

        page.on("response", keep_csp)
        yield page
    finally:
        context.close()


def assert_no_problems(page):
    """No console error, script error or CSP violation, under a strict CSP on every page.
    pytest does not rewrite the asserts here: each message names what it found."""
    # A violation event is a task of its own, its report a message after it: a task later,
    # every report of this document has arrived.
    page.evaluate("new Promise((done) => setTimeout(done, 0))")
    assert page.csp, "no document was loaded"
    for url, policy in page.csp.items():
        assert "script-src 'self'" in policy, f"{url} was served without the strict CSP"
    assert page.problems == [], f"problems on the page: {page.problems}"
