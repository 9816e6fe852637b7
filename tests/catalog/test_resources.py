"""The resource registry: /resources/ (search, filters, htmx, history), a page per resource ID
with the objects that define it and their departures from Common.xml, its JSON and CSV."""

import csv
import io
import json
import re
import shutil

import pytest

from objects.lwm2m.ids import resource_id_class as id_class
from objects.sync.pipeline import sync_registry

pytestmark = pytest.mark.django_db


def listed(response):
    return [int(i) for i in re.findall(r'<td class="id">(\d+)</td>', response.text)]


def hx(client, url, **headers):
    return client.get(url, HTTP_HX_REQUEST="true", **headers)


@pytest.mark.parametrize(
    "resource_id, code",
    [(0, "object"), (2047, "object"), (2048, "reusable"), (26240, "reusable"),
     (26241, "private"), (32768, "private"), (32769, "")],
)  # fmt: skip
def test_id_classes_follow_the_registry_s_ranges(resource_id, code):
    assert id_class(resource_id) == code


def test_every_resource_id_the_registry_knows(client, synced):
    response = client.get("/resources/")
    assert response.status_code == 200
    assert "<html" in response.text
    # Defined inside the fixture's objects, and Common.xml's five (two used by none).
    assert listed(response) == [0, 1, 2, 4, 9, 22, 4001, 5518, 5700, 5701, 5750]
    row = re.search(r"<tr>\s*<td class=\"id\">5700</td>.*?</tr>", response.text, re.S).group()
    assert "Sensor Value" in row
    assert "Reusable, registered" in row
    assert "listed" in row
    assert "2 objects" in row
    assert 'href="/resources/5700/"' in row
    # ID 1 is "Model Number" in Device and "Pressure" in 10241, "Reset" in 10300: no one of
    # them is its name, each object gives its own.
    row = re.search(r"<td class=\"id\">1</td>.*?</tr>", response.text, re.S).group()
    assert "each object its own" in row
    assert "(3 names: <bdi>Model Number</bdi>, <bdi>Pressure</bdi>, <bdi>Reset</bdi>)" in row
    assert "3 objects" in row


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=5700", [5700]),
        ("q=/5700", [5700]),
        ("q=sensor", [5700, 5701]),
        ("q=SENSOR+units", [5701]),
        ("class=reusable", [4001, 5518, 5700, 5701, 5750]),
        ("class=object&class=private", [0, 1, 2, 4, 9, 22]),
        ("common=no", [0, 1, 2, 4, 9, 22]),
        ("common=yes&sort=used", [5700, 5701, 5750, 4001, 5518]),
        ("q=nothing-like-it", []),
    ],
)
def test_search_and_filters(client, synced, query, expected):
    assert listed(client.get(f"/resources/?{query}")) == expected


def test_facets_count_under_the_other_filters(client, synced):
    html = client.get("/resources/?common=yes").text
    assert re.search(r'value="reusable" id="class-reusable">[^<]*<span class="n">5</span>', html)
    assert re.search(r'value="object" id="class-object">[^<]*<span class="n">0</span>', html)
    assert re.search(r'value="no" id="common-no">[^<]*<span class="n">6</span>', html)


def test_bad_parameters_are_ignored_not_errors(client, synced):
    for query in ("class=nope&common=maybe&sort=evil&per=-1&page=x", "q=" + "x" * 5000, "q=%00"):
        assert client.get(f"/resources/?{query}").status_code == 200


def test_the_htmx_fragment_and_the_history(client, synced):
    full = client.get("/resources/?q=sensor")
    part = hx(client, "/resources/?q=sensor", HTTP_HX_CURRENT_URL="http://testserver/resources/")
    assert "<html" not in part.text
    assert listed(part) == listed(full) == [5700, 5701]
    assert part["Vary"].startswith("HX-Request")
    assert part["HX-Push-Url"] == "/resources/?q=sensor"
    typing = hx(
        client,
        "/resources/?q=sensor",
        HTTP_HX_TRIGGER="q",
        HTTP_HX_CURRENT_URL="http://testserver/resources/?q=sens",
    )
    assert typing["HX-Replace-Url"] == "/resources/?q=sensor"
    assert "HX-Push-Url" not in typing
    restore = hx(client, "/resources/?q=sensor", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.text


def test_a_resource_page_groups_the_objects_and_marks_departures(client, synced):
    response = client.get("/resources/5700/")
    assert response.status_code == 200
    html = response.text
    assert '<bdi>Sensor Value</bdi> <span class="muted">resource 5700</span>' in html
    assert "Last or Current Measured Value from the Sensor." in html  # Common.xml's
    rows = re.findall(r"<tr( class=\"departs\")?>\s*<td class=\"name.*?</tr>", html, re.S)
    assert len(rows) == 2  # 3303's copy agrees with Common.xml; 3304's has units %RH
    humidity = re.search(r'<tr class="departs">.*?</tr>', html, re.S).group()
    assert 'href="/objects/3304/#resource-5700"' in humidity
    assert "%RH" in humidity
    assert "Common.xml: none" in humidity
    assert "differs from Common.xml in units" in humidity
    assert "/objects/3303/#resource-5700" not in humidity
    assert 'href="/objects/3303/#resource-5700"' in html
    assert "1 of 2 definitions departs from Common.xml" in html


def test_a_description_departure(client, synced):
    html = client.get("/resources/5750/").text
    assert "differs from Common.xml in description" in html
    assert "The application type of the sensor or actuator as a string depending on" in html


def test_every_version_on_request(client, synced):
    latest = client.get("/resources/5700/").text
    every = client.get("/resources/5700/?versions=all").text
    assert "/objects/3303/1.0/#resource-5700" in every
    assert "/objects/3303/1.0/" not in latest


def test_older_versions_only_are_counted(client, fixture_registry, tmp_path):
    folder = tmp_path / "registry"
    shutil.copytree(fixture_registry, folder)
    latest = folder / "3303.xml"
    text = latest.read_text()
    start, end = text.index('<Item ID="5701">'), text.index('<Item ID="5750">')
    latest.write_text(text[:start] + text[end:])
    sync_registry(str(folder))
    html = client.get("/resources/5701/").text
    assert "1 more object defines it only in older versions" in html
    assert "No object's latest version defines resource 5701." in html
    assert "/objects/3303/1.0/#resource-5701" in client.get("/resources/5701/?versions=all").text


def test_a_common_resource_no_object_uses(client, synced):
    response = client.get("/resources/5518/")
    assert response.status_code == 200
    assert "Timestamp" in response.text
    assert "No object's latest version defines" in response.text


@pytest.mark.parametrize(
    "path, message",
    [
        ("/resources/12345/", "No object in the registry defines resource 12345"),
        ("/resources/99999/", "There is no resource 99999"),
        ("/resources/abc/", "There is no resource abc"),
        ("/resources/%D9%A5/", "There is no resource"),
        ("/resources/-1/", "There is no resource -1"),
    ],
)
def test_unknown_and_malformed_ids_are_404s_that_say_why(client, synced, path, message):
    response = client.get(path)
    assert response.status_code == 404
    assert message in response.text


def test_the_json_of_a_resource(client, synced):
    data = client.get("/api/v1/resources/5700/").json()
    assert data["ResourceID"] == 5700
    assert data["Class"] == "reusable"
    assert data["Common"]["Name"] == "Sensor Value"
    assert data["Common"]["Submitter"] == "IPSO"
    departures = {
        obj["ObjectID"]: definition["DepartsFromCommon"]
        for definition in data["Definitions"]
        for obj in definition["Objects"]
    }
    assert departures == {3303: [], 3304: ["units"]}
    assert client.get("/api/v1/resources/12345/").status_code == 404
    bad = client.get("/api/v1/resources/abc/")
    assert bad.status_code == 404
    assert "error" in bad.json()
    assert client.post("/api/v1/resources/5700/").status_code == 405


def test_the_json_list_takes_the_list_s_parameters(client, synced):
    data = client.get("/api/v1/resources/?q=sensor").json()
    assert [item["ResourceID"] for item in data] == [5700, 5701]
    assert data[0] == {
        "ResourceID": 5700,
        "Class": "reusable",
        "Name": "Sensor Value",
        "OtherNames": [],
        "InCommonXml": True,
        "UsedBy": 2,
        "ObjectIDs": [3303, 3304],
        "URL": "/resources/5700/",
    }


def test_the_csv_export(client, synced):
    response = client.get("/resources/export.csv?class=object")
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))  # streamed
    assert [int(row["ResourceID"]) for row in rows] == [0, 1, 2, 4, 9, 22]
    one = rows[1]
    assert (one["UsedBy"], one["ObjectIDs"], one["InCommonXml"]) == ("3", "3 10241 10300", "no")


def test_an_empty_site(client, db):
    response = client.get("/resources/")
    assert response.status_code == 200
    assert "No registry data yet" in response.text
    assert json.loads(client.get("/api/v1/resources/").content) == []


def test_the_list_says_when_common_xml_is_a_kept_copy(client, fake_registry, fast_client):
    sync_registry(fake_registry.base_url)
    assert "Common.xml: the last sync" not in client.get("/resources/").text
    fake_registry.fail("/files/Common.xml", *[(500, {}, b"down")] * 4)
    sync_registry(fake_registry.base_url)
    html = client.get("/resources/?common=yes").text
    assert "Common.xml: the last sync found that it could not be fetched" in html
    assert "the reusable resources shown are from the copy fetched" in html
    assert listed(client.get("/resources/?common=yes")) == [4001, 5518, 5700, 5701, 5750]
