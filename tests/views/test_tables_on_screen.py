"""What stands on the screen, read in Chromium at a desktop's and a phone's width: every table's
cells under their own headings, no page wider than the window, and the resource tables of real
objects equal to their XML, value by value. A CSS rule that hides an empty cell, a column that
pushes the page wide or a card without its label fails here, whatever the HTML says."""

import xml.etree.ElementTree as ET

import pytest

from tests.browser import prepared_site, recording_page
from tests.conftest import SNAPSHOT

pytestmark = [pytest.mark.browser, pytest.mark.snapshot, pytest.mark.slow]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
PAGES = (
    "/",
    "/?q=temperature",
    "/?q=5700",
    "/?versions=all&label=oma",
    "/objects/3/",
    "/objects/3303/",
    "/objects/3416/",
    "/objects/6/",
    "/objects/3303/compare/1.0...1.1/",
    "/resources/",
    "/resources/5700/",
    "/ids/",
    "/ids/?id=3303&resource=5700",
    "/quality/?versions=all",
    "/changes/",
    "/validate/",
    "/registry/",
    "/registry/version_history/",
    "/objects/3303/code/",
    "/decode/?payload_hex=c800144164&path=/3303/0/5700&format=tlv",
)
COLUMNS = {
    "Name": "Name",
    "Operations": "Operations",
    "Instances": "MultipleInstances",
    "Mandatory": "Mandatory",
    "Type": "Type",
    "Range/Enumeration": "RangeEnumeration",
    "Units": "Units",
    "Description": "Description",
}

# Each table as a person sees it: its headings' spans across the screen, and each shown row's
# shown cells with their text, their span and the label a card gives them.
READ_TABLES = """
() => {
  const shown = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.display !== "none" && style.visibility !== "hidden" && box.width > 0
      && box.height > 0;
  };
  const text = (el) => el.innerText.replace(/\\s+/g, " ").trim();
  // A heading's words, not their case on the screen (text-transform).
  const words = (el) => el.textContent.replace(/\\s+/g, " ").trim();
  return [...document.querySelectorAll("table")].filter(shown).map((table) => {
    const head = table.tHead;
    const headings = head ? [...head.rows[head.rows.length - 1].cells] : [];
    return {
      id: table.id || table.className,
      headed: !!head && shown(head),
      headings: headings.map((th) => {
        const box = th.getBoundingClientRect();
        return { text: words(th), left: box.left, right: box.right };
      }),
      rows: [...table.tBodies].flatMap((body) => [...body.rows]).filter(shown).map((tr) =>
        [...tr.cells].filter(shown).map((cell) => {
          const box = cell.getBoundingClientRect();
          const label = getComputedStyle(cell, "::before").content;
          return {
            text: text(cell), left: box.left, right: box.right, span: cell.colSpan,
            label: label && label !== "none" ? label.replace(/^"|"$/g, "") : "",
          };
        })
      ),
    };
  });
}
"""


# Each shown table's width and that of the box that scrolls it: a table wider than its box
# has columns a person sees only by scrolling sideways, cut at the box's edge.
TABLE_FITS = """
(selector) => [...document.querySelectorAll(selector)].filter((t) => t.getClientRects().length)
  .map((table) => ({
    id: table.id || table.className,
    width: table.getBoundingClientRect().width,
    box: (table.closest(".scroll") || document.documentElement).clientWidth,
  }))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site served for real, synced from the full registry snapshot."""
    if not (SNAPSHOT / "DDF.xml").is_file():
        pytest.skip(f"the registry snapshot is not at {SNAPSHOT}")
    with prepared_site(tmp_path_factory.mktemp("full-site"), SNAPSHOT) as server:
        yield server


@pytest.fixture(params=sorted(WIDTHS))
def width(request):
    return request.param


@pytest.fixture
def page_options(width):
    return {"viewport": WIDTHS[width]}


def read_tables(page, path):
    response = page.goto(path)
    assert response.status == 200, path
    page.wait_for_load_state("load")
    return page.evaluate(READ_TABLES)


def misplaced(table):
    """The cells that do not stand under their own heading, and rows with a cell too few or
    too many, as lines a person can read."""
    problems = []
    columns = table["headings"]
    for number, row in enumerate(table["rows"], 1):
        if sum(cell["span"] for cell in row) != len(columns):
            shown = [cell["text"][:30] for cell in row]
            problems.append(f"row {number} shows {len(row)} cells for {len(columns)}: {shown}")
            continue
        column = 0
        for cell in row:
            first, last = columns[column], columns[column + cell["span"] - 1]
            middle = (cell["left"] + cell["right"]) / 2
            if not first["left"] - 1 <= middle <= last["right"] + 1:
                problems.append(
                    f"row {number}: {cell['text'][:40]!r} is not under {first['text']!r}"
                )
            column += cell["span"]
    return problems


def mislabelled(table):
    """As cards (no headings shown): each labelled cell's label must be its column's heading."""
    names = [heading["text"] for heading in table["headings"]]
    problems = []
    for number, row in enumerate(table["rows"], 1):
        for cell in row:
            label = cell["label"].removesuffix(": ")
            if label and not any(name.startswith(label) for name in names):
                problems.append(f"row {number}: {cell['text'][:40]!r} is labelled {label!r}")
    return problems


@pytest.mark.parametrize("path", PAGES)
def test_every_cell_under_its_heading_and_no_page_wider_than_the_window(page, width, path):
    tables = read_tables(page, path)
    for table in tables:
        if table["headed"]:
            assert misplaced(table) == [], f"{path} at {width}, table {table['id']}"
        else:
            assert mislabelled(table) == [], f"{path} at {width}, table {table['id']}"
    page_width = page.evaluate("document.documentElement.scrollWidth")
    window = page.evaluate("window.innerWidth")
    assert page_width <= window, f"{path} at {width} is {page_width} px wide in {window} px"
    # Nor a table cut at the edge of the box that scrolls it (its last columns out of sight).
    cut = [t for t in page.evaluate(TABLE_FITS, "table") if t["width"] > t["box"] + 0.5]
    assert cut == [], f"{path} at {width}"


def xml_resources(object_id):
    root = ET.parse(SNAPSHOT / f"{object_id}.xml").getroot()
    return {
        int(item.get("ID")): {
            name: " ".join((item.findtext(name) or "").split()) for name in COLUMNS.values()
        }
        for item in root.iter("Item")
    }


def screen_resources(page, object_id, width):
    """{resource ID: {element: value}} as the screen shows it: by heading on a desktop, by the
    card's labels on a phone ("–" is how an empty Operations or Type reads)."""
    (table,) = [
        t for t in read_tables(page, f"/objects/{object_id}/") if t["id"] == "resource-table"
    ]
    names = [heading["text"] for heading in table["headings"]]
    found = {}
    for row in table["rows"]:
        values = {}
        if width == "desktop":
            assert table["headed"]
            cells = dict(zip(names, (cell["text"] for cell in row), strict=True))
        else:
            assert not table["headed"]  # a card
            cells = {"ID": row[0]["text"], "Name": row[1]["text"]}
            for cell in row[2:]:
                label = cell["label"].removesuffix(": ")
                heading = next((n for n in names if label and n.startswith(label)), "Description")
                cells[heading] = cell["text"].removeprefix(cell["label"]).strip()
        for heading, element in COLUMNS.items():
            value = cells.get(heading, "")
            values[element] = "" if value == "–" else value
        found[int(cells["ID"].split()[0])] = values
    return found


@pytest.mark.parametrize("object_id", [3, 3303, 3416, 6])
def test_the_resource_table_reads_as_the_xml(page, width, object_id):
    on_screen = screen_resources(page, object_id, width)
    expected = xml_resources(object_id)
    assert sorted(on_screen) == sorted(expected)
    for resource_id, values in expected.items():
        assert on_screen[resource_id] == values, f"resource {resource_id} at {width}"


def test_a_resource_match_does_not_read_as_the_object_s_name(page, width):
    page.goto("/?q=5700")
    name = page.locator("td.name > a").first
    hit = page.locator("td.name .hits a.hit").first
    weight = "el => Number(getComputedStyle(el).fontWeight)"
    assert name.evaluate(weight) >= 600
    assert hit.evaluate(weight) <= 400
    assert hit.bounding_box()["y"] >= name.bounding_box()["y"] + name.bounding_box()["height"] - 1
    assert page.locator("td.name .hits").first.inner_text().startswith("matches resource 5700")


# The height of an element's text as laid out (its lines), not of its box.
TEXT_HEIGHT = """el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return range.getBoundingClientRect().height;
}"""


def test_a_urn_stays_on_one_line(browser, site):
    """On a desktop (a phone's list shows no URN column)."""
    with recording_page(browser, site.url, viewport=DESKTOP) as page:
        page.goto("/?q=temperature")
        cell = page.locator("td.urn").first
        line = cell.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
        assert cell.evaluate(TEXT_HEIGHT) < 1.5 * line


@pytest.mark.parametrize(
    "path",
    ["/", "/?versions=all", "/?q=5700", "/?q=temperature", "/?q=sensor", "/?sort=name&page=2"],
)
def test_the_list_fits_a_laptop(browser, site, path):
    """At 1366 px the list's table fits its content area: no column (the Description was) is
    cut at the edge; a long unbroken name wraps instead."""
    with recording_page(browser, site.url, viewport=DESKTOP) as page:
        page.goto(path)
        (table,) = page.evaluate(TABLE_FITS, "table.objects")
        assert table["width"] <= table["box"] + 0.5, table


def test_every_owner_shows_on_a_phone(browser, site):
    """On a phone the Owner filter shows all its owners in the page, not two of them in a
    small box that scrolls."""
    with recording_page(browser, site.url, viewport=PHONE) as page:
        page.goto("/")
        owners = page.locator("fieldset.owners")
        shown = owners.evaluate(
            """(box) => {
              const edge = box.getBoundingClientRect();
              const facets = [...box.querySelectorAll(".facet")]
                .filter((f) => f.getClientRects().length);
              return {
                scrolls: box.scrollHeight > box.clientHeight + 1,
                facets: facets.length,
                inside: facets.filter((f) => {
                  const b = f.getBoundingClientRect();
                  return b.top >= edge.top - 1 && b.bottom <= edge.bottom + 1;
                }).length,
              };
            }"""
        )
        assert not shown["scrolls"]
        assert shown["facets"] >= 8
        assert shown["inside"] == shown["facets"]


def test_the_id_tables_show_every_column_on_a_phone(browser, site):
    """/ids/ on a phone: each range's Size, Taken and Free (and the resource IDs' counts) are
    on the screen, not past the edge of a box that scrolls sideways."""
    with recording_page(browser, site.url, viewport=PHONE) as page:
        page.goto("/ids/")
        tables = page.evaluate(TABLE_FITS, "table.ids")
        assert len(tables) == 3
        for table in tables:
            assert table["width"] <= table["box"] + 0.5, table
        numbers = page.evaluate(
            """() => [...document.querySelectorAll("table.ids td.n")].map((cell) => {
              const box = cell.getBoundingClientRect();
              return [cell.dataset.label || "", box.width > 0 && box.right <= innerWidth + 0.5];
            })"""
        )
        labels = {label for label, _ in numbers}
        assert {"Size", "Taken", "Free", "Defined by objects", "In Common.xml"} <= labels
        assert all(on_screen for _, on_screen in numbers), numbers
