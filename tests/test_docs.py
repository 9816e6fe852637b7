"""The README stays a way in, and no link of the documentation leads nowhere: each relative link
names a file of the project, each #anchor a heading of its page."""

import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
PAGES = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(page):
    """GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces dashed."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_the_readme_is_short():
    assert len((PROJECT / "README.md").read_text().splitlines()) <= 120


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_leads_somewhere(page):
    broken = []
    for target in LINK.findall(page.read_text()):
        if target.startswith(("http://", "https://")):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists() or (anchor and anchor not in anchors(linked)):
            broken.append(target)
    assert broken == []


def test_the_readme_names_code_and_tests_that_exist():
    """Each path in the README's map of the code is a file or folder of the project."""
    text = (PROJECT / "README.md").read_text()
    table = text[text.index("## The map of the code") :]
    missing = []
    for line in table.splitlines():
        if not line.startswith("| ") or line.startswith(("| feature", "| ---")):
            continue
        _, code, tests = (cell.strip() for cell in line.strip("|").split("|"))
        for cell, roots in ((code, ("objects", ".")), (tests, ("tests",))):
            folder = None
            for name in re.findall(r"`([\w./]+)`", cell):
                if "/" in name:
                    folder = name.rsplit("/", 1)[0] if not name.endswith("/") else name
                candidates = [PROJECT / root / name for root in roots]
                if folder and "/" not in name:
                    candidates += [PROJECT / root / folder / name for root in roots]
                candidates += [PROJECT / name]
                if not any(path.exists() for path in candidates):
                    missing.append(name)
    assert missing == []
