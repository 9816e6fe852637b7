import hashlib
import json

import pytest

from objects.models import ObjectVersion
from objects.sync.pipeline import sync_registry
from tests.servers import SiteServer

API = "/api/lwm2m/v1/Object"
KEYS = [
    "ObjectID", "Ver", "URN", "Name", "Description", "Owner", "Label", "ObjectLink",
    "ObjectLinkVisible", "SpecLink", "SpecLinkVisible", "VortoLink",
]  # fmt: skip


def items_of(response):
    """The answer's JSON; the whole answer is streamed to a client that takes no gzip."""
    return json.loads(response.getvalue())


def test_every_version_with_the_api_keys_and_types(client, synced):
    response = client.get(API)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    items = items_of(response)
    assert len(items) == 9
    for item in items:
        assert list(item) == KEYS
        assert isinstance(item["ObjectID"], int)
        assert all(isinstance(item[k], str) for k in KEYS[1:])
    device = items[1]
    assert (device["ObjectID"], device["Ver"], device["Label"], device["SpecLinkVisible"]) == (
        3, "1.1", "0", "1",
    )  # fmt: skip
    # The file of this site's repository layout, as DDF.xml names it (the latest: <ID>.xml).
    assert device["ObjectLink"] == "http://testserver/registry/3.xml"
    assert items[0]["ObjectLink"] == "http://testserver/registry/version_history/3-1_0.xml"
    placeholder = next(i for i in items if i["ObjectID"] == 2048)
    assert (placeholder["ObjectLink"], placeholder["ObjectLinkVisible"]) == ("", "0")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("ObjectVersion=latest", [(3, "1.1"), (2048, "1.0"), (3303, "1.1"), (3304, "1.0"),
                                  (10241, "1.0"), (10300, "1.10")]),
        ("ObjectID=3", [(3, "1.0"), (3, "1.1")]),
        ("ObjectID=10300&ObjectVersion=latest", [(10300, "1.10")]),
        ("ObjectID=10300&ObjectVersion=1.9", [(10300, "1.9")]),
        ("ObjectID=3&ObjectVersion=1.0", [(3, "1.0")]),
    ],
)  # fmt: skip
def test_queries(client, synced, query, expected):
    items = items_of(client.get(f"{API}?{query}"))
    assert [(i["ObjectID"], i["Ver"]) for i in items] == expected


@pytest.mark.parametrize(
    "query, status",
    [
        ("ObjectVersion=1.0", 400),
        ("ObjectID=abc", 400),
        ("ObjectID=-1", 400),
        ("ObjectID=99999999999", 404),
        ("ObjectID=99999", 404),
        ("ObjectID=%D9%A3", 400),
        ("ObjectID=3&ObjectVersion=one", 400),
        ("ObjectID=4", 404),
        ("ObjectID=3&ObjectVersion=9.9", 404),
    ],
)
def test_errors_in_json(client, synced, query, status):
    response = client.get(f"{API}?{query}")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_no_data_yet(client, db):
    response = client.get(API)
    assert response.status_code == 503
    assert "sync_registry" in response.json()["error"]


def test_definition_xml_and_its_etag(client, synced, fixture_registry):
    body = (fixture_registry / "3303.xml").read_bytes()
    response = client.get("/objects/3303/1.1/definition.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response.content == body
    assert response["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"'
    again = client.get("/objects/3303/1.1/definition.xml", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert client.get("/objects/2048/1.0/definition.xml").status_code == 404
    assert client.get("/objects/3303/7.0/definition.xml").status_code == 404


def test_one_version_with_its_resources(client, synced):
    data = client.get("/api/v1/objects/3303/1.1/").json()
    assert data["ObjectID"] == 3303
    assert data["IsLatest"] is True
    assert data["ObjectLink"].endswith("/prod/3303.xml")  # the registry's own link
    assert data["Definition"]["Status"] == "ok"
    assert data["Definition"]["LWM2MVersion"] == "1.0"
    assert [r["ID"] for r in data["Resources"]] == [5700, 5701, 5750]
    assert set(data["Resources"][0]) == {
        "ID", "Name", "Operations", "MultipleInstances", "Mandatory", "Type",
        "RangeEnumeration", "Range", "Units", "Description",
    }  # fmt: skip
    missing = client.get("/api/v1/objects/3303/5.0/")
    assert missing.status_code == 404
    assert missing.json()["error"]


def test_latest_names_the_latest_version(client, synced):
    latest = client.get("/api/v1/objects/3303/latest/")
    assert latest.status_code == 200
    assert latest.json() == client.get("/api/v1/objects/3303/1.1/").json()
    older = client.get("/api/v1/objects/3/1.0/").json()
    assert client.get("/api/v1/objects/3/latest/").json()["Ver"] != older["Ver"]
    for missing in ("/api/v1/objects/99999/latest/", "/api/v1/objects/x/latest/"):
        answer = client.get(missing)
        assert answer.status_code == 404
        assert answer.json()["error"]


def test_our_apis_spell_the_label_as_the_lists_filter(client, synced):
    """The mirror API keeps OMA's form ("1"); this site's own JSON answers all use the code of
    the list's `label=` filter (oma, ext, x), null for an ID range no Label may take."""
    assert client.get("/api/lwm2m/v1/Object?ObjectID=3303").json()[0]["Label"] == "1"
    exported = client.get("/export.json?q=3303").getvalue()
    assert {item["Label"] for item in json.loads(exported)} == {"ext"}
    assert client.get("/api/v1/objects/3303/1.1/").json()["Label"] == "ext"
    found = client.get("/api/v1/ids/?id=3303").json()["ObjectID"]
    assert found["Object"]["Label"] == found["Range"]["Label"] == "ext"
    assert client.get("/api/v1/ids/?id=3").json()["ObjectID"]["Object"]["Label"] == "oma"
    assert client.get("/api/v1/ids/?id=1500").json()["ObjectID"]["Range"]["Label"] is None


def rows():
    return list(
        ObjectVersion.objects.order_by("object_id", "ver_major", "ver_minor").values_list(
            "object_id", "ver", "is_latest", "urn", "name", "description", "owner", "label",
            "object_link_visible", "spec_link", "spec_link_visible", "status", "lwm2m_version",
            "multiple_instances", "mandatory", "description2", "definition_sha256",
            "resource_count", "search_text",
        )
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_sync_from_this_sites_own_mirror(tmp_path, fixture_registry):
    """The mirror served for real (Granian) is a drop-in base URL for the sync."""
    site = SiteServer(f"sqlite:///{tmp_path / 'mirror.sqlite3'}").prepare(fixture_registry)
    with site:
        sync_registry(str(fixture_registry))
        original = rows()
        first = sync_registry(site.url + "/api/").run
        assert (first.versions, first.definitions_ok, first.definitions_downloaded) == (9, 8, 8)
        assert rows() == original
        links = set(
            ObjectVersion.objects.exclude(object_link="").values_list("object_link", flat=True)
        )
        assert all(link.startswith(site.url + "/registry/") for link in links)
        second = sync_registry(site.url + "/api/").run
        assert (second.definitions_downloaded, second.definitions_not_modified) == (0, 8)
        assert rows() == original


def test_links_on_a_host_that_spells_the_placeholders(client, synced, settings):
    """The links' host is the request's in lower case (one origin, however it is spelled); a
    host that spells the path's placeholders (OID, VER) is never substituted."""
    settings.ALLOWED_HOSTS = ["verify.oid.example"]
    items = client.get(API + "?ObjectID=3", HTTP_HOST="VERIFY.OID.example:80").json()
    assert items[0]["ObjectLink"] == (
        "http://verify.oid.example/registry/version_history/3-1_0.xml"
    )
    whole = items_of(client.get(API, HTTP_HOST="VERIFY.OID.example"))
    assert whole[0] == items[0]
    version = client.get("/api/v1/objects/3/1.0/", HTTP_HOST="VERIFY.OID.example").json()
    assert version["Definition"]["URL"] == "http://verify.oid.example/objects/3/1.0/definition.xml"
    settings.SITE_URL = "https://VER.OID.example"
    version = client.get("/api/v1/objects/3/1.0/", HTTP_HOST="verify.oid.example").json()
    assert version["Definition"]["URL"] == "https://VER.OID.example/objects/3/1.0/definition.xml"
