"""`make screenshots`: PNGs of the main pages in screenshots/ (git-ignored), to look at."""

import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.servers import PROJECT, SiteServer

SNAPSHOT = Path(
    os.environ.get("REGISTRY_SNAPSHOT") or PROJECT.parent / "shared" / "registry-snapshot"
)
FIXTURES = PROJECT / "tests" / "fixtures" / "registry"
OUT = PROJECT / "screenshots"
LAPTOP = {"width": 1366, "height": 900}
# The README's picture, taken from the full registry only.
README_PICTURE = ("/?q=temperature", {"width": 1280, "height": 720}, PROJECT / "docs/img/list.png")
PHONE = {"width": 390, "height": 844}


def shots(full):
    """(file name, path, viewport, colour scheme): the full registry has more to search."""
    search = "/?q=temperature" if full else "/?q=sensor"
    return [
        ("list", "/", LAPTOP, "light"),
        ("search", search, LAPTOP, "light"),
        ("filtered", "/?label=ext&owner=IPSO+Alliance", LAPTOP, "light"),
        ("object", "/objects/3303/", LAPTOP, "light"),
        ("resource-anchor", "/objects/3/#resource-9", LAPTOP, "light"),
        ("compare", "/objects/3/compare/1.0...1.1/", LAPTOP, "light"),
        ("not-found", "/objects/4/", LAPTOP, "light"),
        ("resources", "/resources/", LAPTOP, "light"),
        ("resource", "/resources/5700/", LAPTOP, "light"),
        ("quality", "/quality/", LAPTOP, "light"),
        ("validate", "/validate/", LAPTOP, "light"),
        ("changes", "/changes/", LAPTOP, "light"),
        ("list-dark", "/", LAPTOP, "dark"),
        ("object-dark", "/objects/3/", LAPTOP, "dark"),
        ("list-phone", search, PHONE, "light"),
        ("object-phone", "/objects/3303/", PHONE, "dark"),
    ]


def main():
    if not CHROMIUM.exists():
        sys.exit("Debian's chromium (/usr/bin/chromium) is missing: make browser installs it")
    full = (SNAPSHOT / "DDF.xml").is_file()
    source = SNAPSHOT if full else FIXTURES
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = SiteServer(f"sqlite:///{tmp}/screenshots.sqlite3").prepare(source)
        with site, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for name, path, viewport, scheme in shots(full):
                page = browser.new_page(viewport=viewport, color_scheme=scheme)
                page.goto(site.url + path)
                page.screenshot(path=OUT / f"{name}.png", full_page=False)
                page.close()
                print(f"screenshots/{name}.png  {path}")
            if full:
                path, viewport, picture = README_PICTURE
                page = browser.new_page(viewport=viewport)
                page.goto(site.url + path)
                page.screenshot(path=picture)
                page.close()
                print(f"{picture.relative_to(PROJECT)}  {path}")
            browser.close()
    print(f"{len(shots(full))} screenshots of the site synced from {source}")


if __name__ == "__main__":
    main()
