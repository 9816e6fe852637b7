import re
import shutil

import pytest

from objects.catalog.per_sync import kept
from objects.models import ObjectVersion
from tests.conftest import FIXTURE_REGISTRY


def test_latest_version_page(client, synced):
    response = client.get("/objects/3/")
    assert response.status_code == 200
    html = response.text
    assert "<h1><bdi>Device</bdi>" in html
    assert "v1.1" in html
    assert '<code id="urn">urn:oma:lwm2m:oma:3:1.1</code>' in html
    assert 'data-copy="urn:oma:lwm2m:oma:3:1.1"' in html
    for text in ("OMA", "Single", "Mandatory", "Device object, version 1.1."):
        assert text in html
    assert '<a href="/objects/3/1.1/definition/">Stored definition</a>' in html
    assert '<a href="/objects/3/1.1/definition.xml" download>XML file</a>' in html
    assert 'href="http://example.test/ts/OMA-TS-LightweightM2M_Core-V1_1.pdf"' in html


def test_resources_table_with_anchors(client, synced):
    html = client.get("/objects/3/").text
    rows = re.findall(r'<tr id="resource-(\d+)">', html)
    assert rows == ["0", "1", "4", "9", "22"]
    assert '<a href="#resource-22"' in html
    row = html[html.index('id="resource-9"') :].split("</tr>")[0]
    assert "Battery Level" in row
    assert "Unsigned Integer" in row
    assert "%" in row


def row_html(html, resource_id):
    """One resource row of an object page."""
    return html[html.index(f'<tr id="resource-{resource_id}">') :].split("</tr>")[0]


def test_resource_rows_link_their_resource_pages_and_copy_their_paths(client, synced):
    html = client.get("/objects/3303/").text
    row = row_html(html, 5700)
    assert '<a href="#resource-5700" aria-label="Link to resource 5700">5700</a>' in row
    # 3303 and 3304 both define 5700; only 3303 defines 5701.
    used = re.search(r'<a class="used" href="/resources/5700/">(.*?)</a>', row)
    assert used
    assert used.group(1).endswith("used by 2 objects")
    assert '<span class="sr">Resource 5700: </span>' in used.group(1)  # named out of context
    assert re.search(r'<a class="used" href="/resources/5701/">.*only this object</a>', html)
    path = re.search(r'<button type="button" data-copy="/3303/0/5700" aria-label="([^"]*)">', row)
    assert path
    assert path.group(1) == "Put the path /3303/0/5700 on the clipboard"
    assert 'data-copy-link="#resource-5700"' in row
    assert 'aria-label="Put a link to resource 5700 on the clipboard"' in row
    assert 'data-copy-target="urn"' in html  # the URN's button selects the URN without a clipboard


def test_the_resource_filter_is_there_for_the_script_to_show(client, synced):
    html = client.get("/objects/3303/").text
    box = re.search(
        r'<div class="table-filter" data-table-filter="resource-table"( hidden)?>', html
    )
    assert box and box.group(1) == " hidden"  # shown by site.js, never without it
    assert '<table class="resources cards" id="resource-table">' in html
    assert '<label for="resource-filter">Filter resources</label>' in html
    assert re.search(r'<span id="resource-filter-count"[^>]* aria-live="polite"', html)
    assert "<script" not in html.split("</head>")[1] and " style=" not in html  # strict CSP


def test_usage_on_an_older_version_names_no_object_as_this_one(client, synced):
    html = client.get("/objects/3303/1.0/").text
    # 5701: only 3303's latest version defines it, but this page is not that version.
    assert re.search(r'<a class="used" href="/resources/5701/">.*used by 1 object</a>', html)
    assert re.search(r'<a class="used" href="/resources/5700/">.*used by 2 objects</a>', html)
    assert 'data-copy="/3303/0/5701"' in html


def test_a_resource_only_older_versions_define_links_to_every_version(client, db, tmp_path):
    from objects.sync.pipeline import sync_registry

    folder = tmp_path / "registry"
    shutil.copytree(FIXTURE_REGISTRY, folder)
    old = folder / "version_history" / "3303-1_0.xml"
    item = '<Item ID="5799"><Name>Gone</Name><Operations>R</Operations><Type>Float</Type>'
    item += "<MultipleInstances>Single</MultipleInstances><Mandatory>Optional</Mandatory></Item>"
    old.write_text(old.read_text().replace("</Resources>", item + "</Resources>"))
    sync_registry(str(folder))
    html = client.get("/objects/3303/1.0/").text
    used = re.search(
        r'<a class="used" href="/resources/5799/\?versions=all#objects">(.*?)</a>', html
    )
    assert used
    assert used.group(1).endswith("only in older versions")
    assert client.get("/resources/5799/?versions=all").status_code == 200


def test_every_version_is_linked_with_its_changes(client, synced):
    html = client.get("/objects/3/1.0/").text
    assert '<strong aria-current="page">1.0</strong>' in html
    assert '<a href="/objects/3/1.1/">1.1</a>' in html
    assert 'href="/objects/3/compare/1.0...1.1/"' in html
    assert "not the latest" in html
    assert 'action="/objects/3/compare/"' in html


def test_links_only_where_the_registry_shows_them(client, synced):
    ObjectVersion.objects.filter(object_id=3, ver="1.1").update(
        spec_link_visible=False, object_link_visible=False
    )
    html = client.get("/objects/3/").text
    assert "Specification</a>" not in html
    assert "ObjectLink XML" not in html
    assert "Stored definition" in html


def test_the_objectlink_is_our_own_copy(client, synced, settings):
    """Synced from a clone, the registry's link is a guess at GitHub's copy: the page links the
    copy it serves itself, as the mirror API does; `upstream` keeps the registry's link."""
    latest = re.search(r'<a href="([^"]*)"[^>]*>ObjectLink XML', client.get("/objects/3/").text)
    assert latest[1] == "/registry/3.xml"
    older = re.search(r'<a href="([^"]*)"[^>]*>ObjectLink XML', client.get("/objects/3/1.0/").text)
    assert older[1] == "/registry/version_history/3-1_0.xml"
    stored = client.get("/objects/3/1.0/definition.xml").content
    assert client.get(older[1]).content == stored
    settings.MIRROR_OBJECT_LINKS = "upstream"
    kept.forget()  # the page as answered before
    html = client.get("/objects/3/1.0/").text
    link = re.search(r'<a href="([^"]*)"[^>]*>ObjectLink XML', html)[1]
    assert link == ObjectVersion.objects.get(object_id=3, ver="1.0").object_link
    assert link.startswith("https://raw.githubusercontent.com/")


def test_missing_definition_says_why(client, synced):
    """A placeholder (reserved, no definition published) says so, in one voice."""
    html = client.get("/objects/2048/").text
    assert (
        "A placeholder: this ObjectID is reserved by the registry, no definition published." in html
    )
    assert "could not be read" not in html
    assert "could not be fetched" not in html
    assert "No resources: there is no definition to read them from." in html
    assert "Stored definition" not in html


def test_version_spelled_otherwise(client, synced):
    assert "Acme Counter" in client.get("/objects/10300/1.10/").text
    response = client.get("/objects/3/1/", follow=True)
    assert response.redirect_chain == [("/objects/3/1.0/", 301)]
    assert "v1.0" in response.text


@pytest.mark.parametrize(
    "url",
    ["/objects/4/", "/objects/3/9.9/", "/objects/abc/", "/objects/99999999/", "/objects/3/x/",
     "/objects/3/compare/1.0...7.0/", "/objects/4/compare/1.0...1.1/", "/objects/%00/",
     "/no/such/page"],
)  # fmt: skip
def test_unknown_object_or_version_is_a_404_page_with_a_search(client, synced, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Not found" in response.text
    assert 'name="q"' in response.text


def test_404_searches_for_the_object(client, synced):
    html = client.get("/objects/4/").text
    assert "There is no object 4." in html
    assert 'id="nf-q" type="search" name="q" value="4"' in html


def test_compare_page(client, synced):
    response = client.get("/objects/3/compare/1.0...1.1/")
    assert response.status_code == 200
    html = response.text
    assert "1 resource added, 0 removed, 2 changed, 2 unchanged" in html
    assert 'href="/objects/3/1.1/#resource-22">22 <bdi>ExtDevInfo</bdi>' in html
    assert (
        '<td class="text del">Integer</td><td class="text ins"><ins>Unsigned</ins> Integer</td>'
        in html
    )
    assert '<td class="text del"><del>/100</del></td><td class="text ins"><ins>%</ins></td>' in html
    assert "LwM2M version" in html


def test_compare_form_redirects_to_the_canonical_url(client, synced):
    response = client.get("/objects/10300/compare/?a=1.9&b=1.10")
    assert response["Location"] == "/objects/10300/compare/1.9...1.10/"
    assert client.get("/objects/3/compare/?a=x&b=1.0").status_code == 404


def test_object_page_queries_are_few(client, synced, django_assert_max_num_queries):
    client.get("/objects/3/")  # the resources' usage counts, built once per sync
    with django_assert_max_num_queries(3):
        client.get("/objects/3/")
    with django_assert_max_num_queries(3):  # the footer's last sync is the third
        client.get("/objects/3/compare/1.0...1.1/")


@pytest.mark.django_db(transaction=True)
def test_a_read_torn_by_a_sync_is_read_again(
    client, fixture_registry, renamed_registry, monkeypatch
):
    """A sync commits between the page's query of its versions and that of their resources
    (staged here at that exact point; readers in test_resilience meet it by chance): the page
    is read again and shows the new data whole, never the old row with no resources."""
    from objects.sync.pipeline import sync_registry
    from objects.views import object_pages

    sync_registry(str(fixture_registry))
    original, swaps = object_pages.object_versions, []

    def versions_then_a_sync(object_id):
        rows = original(object_id)
        if not swaps:
            swaps.append(sync_registry(str(renamed_registry)))
        return rows

    monkeypatch.setattr(object_pages, "object_versions", versions_then_a_sync)
    html = client.get("/objects/3303/").text
    assert len(swaps) == 1
    assert "<bdi>Temperature (renamed)</bdi>" in html
    assert re.findall(r'<tr id="resource-(\d+)">', html) == ["5700", "5701", "5750"]


@pytest.mark.django_db(transaction=True)
def test_a_list_index_torn_by_a_sync_is_built_again(
    client, fixture_registry, renamed_registry, monkeypatch
):
    """The list's index reads the versions, then their resources: a sync committing in between
    (staged at that point) is noticed by the rows' resource counts and the index read again."""
    from objects.catalog import list_rows
    from objects.models import Resource
    from objects.sync.pipeline import sync_registry

    sync_registry(str(fixture_registry))
    swaps = []

    class SyncFirst:
        @property
        def objects(self):
            if not swaps:
                swaps.append(sync_registry(str(renamed_registry)))
            return Resource.objects

    monkeypatch.setattr(list_rows, "Resource", SyncFirst())
    html = client.get("/", {"q": "5700"}).text
    assert len(swaps) == 1
    assert re.findall(r'<td class="id">(\d+)</td>', html) == ["3303", "3304"]
    assert "<bdi>Temperature (renamed)</bdi>" in html


def test_a_per_object_id_is_not_called_used_by_others(client, synced):
    """IDs 0-2047 mean something else in each object: the link says the ID recurs, no more."""
    html = client.get("/objects/3/").text
    assert re.search(r'<a class="used" href="/resources/0/">.*an ID 0 in 2 objects</a>', html)
    assert "only this object" in re.search(r'href="/resources/22/">.*?</a>', html).group()


@pytest.mark.parametrize(
    "path, location",
    [
        ("/objects/0003/", "/objects/3/"),
        ("/objects/3/latest/", "/objects/3/"),
        ("/objects/0003/latest/?x=1", "/objects/3/?x=1"),
        ("/objects/3/1/", "/objects/3/1.0/"),
        ("/objects/0003/1.1/", "/objects/3/1.1/"),
        ("/objects/10300/1.09/", "/objects/10300/1.9/"),
    ],
)
def test_other_spellings_redirect_to_the_one_url(client, synced, path, location):
    response = client.get(path)
    assert (response.status_code, response["Location"]) == (301, location)


def test_each_page_names_its_canonical_url(client, synced):
    assert (
        '<link rel="canonical" href="http://testserver/objects/3/">'
        in client.get("/objects/3/").text
    )
    assert 'href="http://testserver/objects/3/1.0/"' in client.get("/objects/3/1.0/").text


def test_the_compare_form_s_own_address(client, synced):
    response = client.get("/objects/3/compare/")
    assert (response.status_code, response["Location"]) == (302, "/objects/3/compare/1.0...1.1/")
    single = client.get("/objects/3304/compare/")
    assert (single.status_code, single["Location"]) == (302, "/objects/3304/")
    assert client.get("/objects/99999/compare/").status_code == 404
