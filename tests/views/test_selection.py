"""A selection of objects (issue 22): the list takes `id=3,5,3303` and a search for several
IDs finds each; every export honours it; the ZIP holds just those objects' files under the
registry's names with a DDF.xml of just them; object pages offer "Add to selection"."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest

from tests.browser import assert_no_problems


def ids(response):
    return [int(i) for i in re.findall(r'<td class="id">(\d+)</td>', response.content.decode())]


@pytest.mark.django_db
def test_the_list_takes_a_selection(client, synced):
    assert ids(client.get("/?id=3303,3,10241")) == [3, 3303, 10241]
    assert ids(client.get("/?id=3303&id=3")) == [3, 3303]
    # Not an ObjectID, or none such: left out, never an error.
    assert ids(client.get("/?id=3,x,99999,70000")) == [3]
    page = client.get("/?id=3303,3").content.decode()
    assert "Selection: 3, 3303" in page
    assert 'href="/export.zip?id=3%2C3303"' in page


@pytest.mark.django_db
def test_a_search_for_several_ids_finds_each(client, synced):
    assert ids(client.get("/?q=3+3303+10241")) == [3, 3303, 10241]
    assert ids(client.get("/?q=3,3303")) == [3, 3303]
    assert ids(client.get("/?q=3303")) == [3303]  # one ID: as before


@pytest.mark.django_db
def test_exports_honour_the_selection(client, synced):
    text = client.get("/export.csv?id=3,3303").getvalue().decode()
    assert [row[0] for row in csv.reader(io.StringIO(text))][1:] == ["3", "3303"]
    items = json.loads(client.get("/export.json?id=3303").getvalue())
    assert [item["ObjectID"] for item in items] == [3303]


@pytest.mark.django_db
def test_the_zip_of_a_selection(client, synced, fixture_registry):
    response = client.get("/export.zip?id=3,3303")
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    names = sorted(archive.namelist())
    assert names == sorted(
        ["3.xml", "3303.xml", "DDF.xml", "Common.xml", "LWM2M.xsd", "LWM2M-v1_1.xsd"]
    )
    assert archive.read("3303.xml") == (fixture_registry / "3303.xml").read_bytes()
    listed = [
        (item.findtext("ObjectID"), item.findtext("Ver"))
        for item in ET.fromstring(archive.read("DDF.xml")).iter("Item")
    ]
    assert listed == [("3", "1.1"), ("3303", "1.1")]
    every = client.get("/export.zip?id=3&versions=all")
    archive = zipfile.ZipFile(io.BytesIO(every.getvalue()))
    assert "version_history/3-1_0.xml" in archive.namelist()


@pytest.mark.django_db
def test_an_object_page_offers_to_add_it(client, synced):
    page = client.get("/objects/3303/").content.decode()
    assert '<a href="/?id=3303" data-select="3303">Add to selection</a>' in page


@pytest.mark.browser
def test_adding_to_the_selection_in_a_browser(page):
    page.goto("/objects/3303/")
    selection = page.locator("[data-selection-link]")
    assert selection.is_hidden()
    page.get_by_role("link", name="Add to selection").click()
    assert selection.is_visible()
    assert selection.get_attribute("href") == "/?id=3303"
    page.goto("/objects/3/")
    page.get_by_role("link", name="Add to selection").click()
    assert selection.get_attribute("href") == "/?id=3,3303"
    assert selection.inner_text() == "Selection 2"
    selection.click()
    page.wait_for_url("**/?id=3,3303")
    assert page.locator("td.id").all_inner_texts() == ["3", "3303"]
    assert page.locator("[data-select]").count() == 0
    assert_no_problems(page)
