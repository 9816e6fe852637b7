"""The browsing site on the full registry snapshot (../shared/registry-snapshot)."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection

pytestmark = [pytest.mark.snapshot, pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def full(full_registry):
    return full_registry


def ids(response):
    return [int(i) for i in re.findall(r'<td class="id">(\d+)</td>', response.text)]


def count(response):
    return int(re.search(r"<strong>(\d+)</strong> (?:object|version)", response.text).group(1))


EVERY_STATUS = "status=defined&status=placeholder&status=missing&status=invalid"


def latest_placeholders(snapshot):
    """From DDF.xml: the ObjectIDs whose last item has no definition to fetch."""
    latest = {}
    for item in ET.parse(snapshot / "DDF.xml").getroot().iter("Item"):
        latest[item.findtext("ObjectID").strip()] = (item.findtext("DDF") or "").strip()
    return sum(not ddf for ddf in latest.values())


def test_the_full_registry(client, full, snapshot, django_assert_max_num_queries):
    home = client.get("/")
    placeholders = latest_placeholders(snapshot)
    assert placeholders == 13
    assert count(home) == 340 - placeholders
    assert len(ids(home)) == 50
    assert ids(home)[:3] == [0, 1, 2]
    assert 'aria-label="Pages"' in home.text
    assert count(client.get(f"/?{EVERY_STATUS}")) == 340
    assert count(client.get(f"/?versions=all&{EVERY_STATUS}")) == 437
    last = client.get("/?page=7")
    assert len(ids(last)) == 327 - 6 * 50
    with django_assert_max_num_queries(2 if connection.vendor == "postgresql" else 1):
        client.get("/?q=sensor&label=ext", HTTP_HX_REQUEST="true")


@pytest.mark.parametrize(
    "q, first",
    [("3303", 3303), ("temperature", 3303), ("ipso humidity", 3304),
     ("urn:oma:lwm2m:ext:3303", 3303), ("Device", 3), ("LwM2M Server", 1)],
)  # fmt: skip
def test_searches_find_what_an_engineer_expects(client, full, q, first):
    response = client.get("/", {"q": q})
    assert ids(response)[0] == first


def test_search_fragment_is_small(client, full):
    response = client.get("/?q=temperature", HTTP_HX_REQUEST="true")
    assert 3303 in ids(response)
    assert "<html" not in response.text
    assert len(response.content) < 20_000  # rows, facets (top owners only), chips, headers


def latest_with_label(snapshot, source):
    """Read from DDF.xml itself: the last item of an ObjectID is its latest version."""
    latest = {}
    for item in ET.parse(snapshot / "DDF.xml").getroot().iter("Item"):
        latest[item.findtext("ObjectID").strip()] = item.findtext("Source").strip()
    return sum(label == source for label in latest.values())


def test_filters_and_facets(client, full, snapshot):
    oma = client.get(f"/?label=oma&{EVERY_STATUS}")
    assert count(oma) == latest_with_label(snapshot, "0") == 41
    assert count(client.get("/?label=oma")) == 38  # OMA's 3 placeholders left out
    ipso = client.get("/?owner=IPSO+Alliance&label=ext")
    assert count(ipso) == 53
    assert re.search(
        r'value="IPSO Alliance" id="owner-\w+" checked><bdi>IPSO Alliance</bdi> <span', ipso.text
    )
    both = client.get("/?owner=IPSO+Alliance&owner=OMA")
    assert count(both) == 53 + count(client.get("/?owner=OMA"))
    assert count(client.get("/?lwm2m=1.2")) == 5


def resources_in(path):
    """ID -> name, read straight from a definition file (not through the code under test)."""
    root = ET.parse(path).getroot()
    return {int(i.get("ID")): i.findtext("Name").strip() for i in root.iter("Item")}


def test_object_page_and_compare(client, full, snapshot):
    """The page and the compare say exactly what the files hold (object 10, 1.0 -> 1.1, adds
    three resources and removes one)."""
    old = resources_in(snapshot / "version_history" / "10-1_0.xml")
    new = resources_in(snapshot / "version_history" / "10-1_1.xml")
    page = client.get("/objects/10/1.1/")
    assert page.status_code == 200
    assert [int(i) for i in re.findall(r'<tr id="resource-(\d+)">', page.text)] == sorted(new)
    diff = client.get("/objects/10/compare/1.0...1.1/")
    added = re.findall(
        r'<li class="ins"><a href="[^"]*#resource-(\d+)">\d+ <bdi>([^<]*)</bdi>', diff.text
    )
    expected = [(str(rid), new[rid]) for rid in sorted(new.keys() - old.keys())]
    assert added == expected
    assert len(expected) == 3
    removed = re.findall(r'<li class="del"><a href="[^"]*#resource-(\d+)"', diff.text)
    assert removed == [str(rid) for rid in sorted(old.keys() - new.keys())]
    assert len(removed) == 1
    assert "3 resources added, 1 removed" in diff.text


def test_exports(client, full):
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv").getvalue().decode())))
    assert len(rows) == 327  # as listed: placeholders left out
    items = json.loads(client.get("/export.json?q=temperature").getvalue())  # streamed
    assert items[0]["ObjectID"] == 3303
    assert len(items) > 5


def test_a_resource_id_finds_every_object_that_defines_it(client, full, snapshot):
    """/?q=5700 lists every object whose latest version defines resource 5700, counted from
    the files themselves; /?q=/3303/0/5700 lands on the resource."""
    latest = {}
    for item in ET.parse(snapshot / "DDF.xml").getroot().iter("Item"):
        latest[int(item.findtext("ObjectID"))] = (item.findtext("DDF") or "").strip()
    defining = {
        object_id
        for object_id, ddf in latest.items()
        if ddf and 5700 in resources_in(snapshot / ddf)
    }
    response = client.get("/", {"q": "5700", "per": 200})
    listed = ids(response)  # the objects that define it first, then any text that says 5700
    assert set(listed[: len(defining)]) == defining
    assert {3303, 3304} <= defining
    assert len(defining) == 26  # as the files say today
    assert client.get("/", {"q": "/3303/0/5700"})["Location"] == "/objects/3303/#resource-5700"


def latest_definitions(snapshot):
    """ObjectID -> its latest definition's resources, read from the files themselves."""
    latest = {}
    for item in ET.parse(snapshot / "DDF.xml").getroot().iter("Item"):
        latest[int(item.findtext("ObjectID"))] = (item.findtext("DDF") or "").strip()
    return {oid: resources_in(snapshot / ddf) for oid, ddf in latest.items() if ddf}


def test_the_resource_registry(client, full, snapshot):
    """/resources/ lists every Common.xml resource and every ID the objects define;
    /resources/5518/ names every object whose latest version defines 5518."""
    common = {int(i.get("ID")) for i in ET.parse(snapshot / "Common.xml").getroot().iter("Item")}
    definitions = latest_definitions(snapshot)
    everything = common | {rid for resources in definitions.values() for rid in resources}
    page = client.get("/resources/", {"per": 200})
    assert int(re.search(r"<strong>(\d+)</strong> resource IDs", page.text).group(1)) == len(
        everything
    )
    listed = client.get("/api/v1/resources/", {"common": "yes"}).json()
    assert len(listed) == len(common) == 177
    assert {item["ResourceID"] for item in listed} == common
    defining = {oid for oid, resources in definitions.items() if 5518 in resources}
    timestamp = client.get("/resources/5518/")
    linked = {int(i) for i in re.findall(r'href="/objects/(\d+)/#resource-5518"', timestamp.text)}
    assert linked == defining
    assert len(defining) > 40
    assert timestamp.status_code == 200
    assert len(timestamp.content) < 200_000


def test_lwm2m_1_2_definitions_are_valid_and_leshan_cannot_load_them(client, full):
    """OMA's own 1.2 objects declare LWM2M-v1_1.xsd: no error; that Leshan 2 knows only 1.0
    and 1.1 is its compatibility, said on the version's JSON, its page and /quality/."""
    data = client.get("/api/v1/objects/1/1.2/").json()
    assert data["Quality"] != "error"
    assert data["Compatibility"]["leshan"] == {
        "ok": False,
        "reason": "LwM2M 1.2: Leshan's loader knows LwM2M 1.0 and 1.1 only",
    }
    assert client.get("/api/v1/objects/3303/1.1/").json()["Compatibility"]["leshan"]["ok"]
    page = client.get("/objects/1/1.2/").text
    assert "Eclipse Leshan: cannot load it: LwM2M 1.2" in page
    every = client.get("/quality/?leshan=no&versions=all").text
    assert "30 definitions that Eclipse Leshan cannot load" in every
    assert '<a href="/objects/1/#quality">1 <bdi>LwM2M Server</bdi> v1.2</a>' in every


def test_object_23_fixed_to_declare_its_schema_validates_clean(client, full, snapshot):
    """Object 23 (LwM2M 1.2) declares LWM2M.xsd: an error, the one thing to fix; fixed, it
    has no error, on the page and from the command alike."""
    body = (snapshot / "23.xml").read_text()
    before = client.post("/validate/", {"text": body}).text
    assert "LWM2MVersion 1.2 needs LWM2M-v1_1.xsd" in before
    fixed = body.replace("/LWM2M.xsd", "/LWM2M-v1_1.xsd")
    after = client.post("/validate/", {"text": fixed}).text
    assert "LWM2MVersion 1.2 needs" not in after
    assert "quality-error" not in after
    assert "Eclipse Leshan: cannot load it: LwM2M 1.2" in after
