import re

import pytest

from objects.models import ObjectVersion


def test_latest_version_page(client, synced):
    response = client.get("/objects/3/")
    assert response.status_code == 200
    html = response.text
    assert "<h1><bdi>Device</bdi>" in html and "v1.1" in html
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
    assert "Battery Level" in row and "Unsigned Integer" in row and "%" in row


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
    assert "Specification</a>" not in html and "ObjectLink XML" not in html
    assert "Stored definition" in html


def test_missing_definition_says_why(client, synced):
    html = client.get("/objects/2048/").text
    assert "The definition of this version is <strong>missing</strong>" in html
    assert "Stored definition" not in html
    assert "No resources" in html


def test_version_spelled_otherwise(client, synced):
    assert "Acme Counter" in client.get("/objects/10300/1.10/").text
    response = client.get("/objects/3/1/")
    assert response.status_code == 200 and "v1.0" in response.text


@pytest.mark.parametrize(
    "url",
    ["/objects/4/", "/objects/3/9.9/", "/objects/abc/", "/objects/99999999/", "/objects/3/x/",
     "/objects/3/compare/1.0...7.0/", "/objects/4/compare/1.0...1.1/", "/objects/%00/",
     "/no/such/page"],
)  # fmt: skip
def test_unknown_object_or_version_is_a_404_page_with_a_search(client, synced, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Not found" in response.text and 'name="q"' in response.text


def test_404_searches_for_the_object(client, synced):
    html = client.get("/objects/4/").text
    assert "There is no object 4." in html and 'id="nf-q" type="search" name="q" value="4"' in html


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
    with django_assert_max_num_queries(2):
        client.get("/objects/3/compare/1.0...1.1/")


@pytest.mark.django_db(transaction=True)
def test_a_read_torn_by_a_sync_is_read_again(
    client, fixture_registry, renamed_registry, monkeypatch
):
    """A sync commits between the page's query of its versions and that of their resources
    (staged here at that exact point; readers in test_resilience meet it by chance): the page
    is read again and shows the new data whole, never the old row with no resources."""
    from objects.sync import sync_registry
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
    from objects import search
    from objects.models import Resource
    from objects.sync import sync_registry

    sync_registry(str(fixture_registry))
    search.forget_rows()
    swaps = []

    class SyncFirst:
        @property
        def objects(self):
            if not swaps:
                swaps.append(sync_registry(str(renamed_registry)))
            return Resource.objects

    monkeypatch.setattr(search, "Resource", SyncFirst())
    html = client.get("/", {"q": "5700"}).text
    assert len(swaps) == 1
    assert re.findall(r'<td class="id">(\d+)</td>', html) == ["3303", "3304"]
    assert "<bdi>Temperature (renamed)</bdi>" in html
