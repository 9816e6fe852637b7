"""The ID space (/ids/, /api/v1/ids/): range counts, the occupancy picture, the owners ranking,
and the lookups of one ObjectID or resource ID, on the fixture registry and the full snapshot."""

import html
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.db import connection

from objects.catalog.id_space import ResourceLookup, id_space
from objects.catalog.owners import group_owners
from objects.models import ObjectVersion
from objects.sync.pipeline import sync_registry
from objects.views.id_space import overview_html

# The fixture registry: ObjectIDs 3, 2048, 3303, 3304 (Label 1), 10241, 10300 (Label 2).
FIXTURE_TAKEN = {
    "0-1023": 1,
    "0-499": 1,
    "500-1023": 0,
    "1024-2047": 0,
    "2048-10240": 3,
    "10241-26240": 2,
    "26241-32768": 0,
    "32769-42768": 0,
    "42769-42800": 0,
    "42801-65534": 0,
}
RANGES = [
    (0, 1023), (1024, 2047), (2048, 10240), (10241, 26240), (26241, 32768),
    (32769, 42768), (42769, 42800), (42801, 65534),
]  # fmt: skip


def text_of(response):
    """The page's text, tags dropped and whitespace folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def table_rows(response):
    """{range: (size, taken, free)} from the ObjectID table's rows (its total left out)."""
    page = response.text
    table = page[page.index('id="object-ids"') : page.index("<tfoot>")]
    rows = re.findall(
        r'<th scope="row" class="id">(\d+-\d+)</th>.*?<td class="n" data-label="Size">([\d,]+)</td>'
        r'<td class="n" data-label="Taken">([\d,]+)</td><td class="n" data-label="Free">([^<]*)',
        table,
        re.S,
    )
    return {span: (size, taken, free) for span, size, taken, free in rows}


def lookup_text(response):
    match = re.search(r'<section id="lookup".*?</section>', response.text, re.S)
    assert match, "no lookup result on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(0))).split())


# The ranges


def test_range_counts(client, synced):
    response = client.get("/ids/")
    assert response.status_code == 200
    rows = table_rows(response)
    assert {span: int(taken) for span, (_, taken, _) in rows.items()} == FIXTURE_TAKEN
    assert rows["2048-10240"] == ("8,193", "3", "8,190")
    assert rows["10241-26240"] == ("16,000", "2", "15,998")
    assert rows["0-499"] == ("500", "1", "499")
    # A range where no ID may be given out has no free IDs to count.
    assert rows["1024-2047"][2].startswith("–")
    assert '<span class="muted">6 taken</span>' in response.text
    assert (
        '<th scope="row" class="id">0-65534</th><td data-label="For">every ObjectID</td>'
        '<td data-label="Label"></td><td class="n" data-label="Size">65,535</td>'
        '<td class="n" data-label="Taken">6</td><td class="n" data-label="Free">31,739</td>'
    ) in response.text


def test_range_bounds_are_inclusive(client, synced):
    """An ID on a range's first or last number counts in that range, and only there."""
    ObjectVersion.objects.filter(object_id=3).update(object_id=1023)
    ObjectVersion.objects.filter(object_id=10300).update(object_id=26240)
    response = client.get("/ids/")
    taken = {span: int(taken) for span, (_, taken, _) in table_rows(response).items()}
    assert taken == FIXTURE_TAKEN | {"0-499": 0, "500-1023": 1}
    assert lookup_text(client.get("/ids/?id=26240")).startswith("ObjectID 26240 is taken.")
    assert lookup_text(client.get("/ids/?id=26241")).startswith("ObjectID 26241 is free.")


def test_the_page_is_linked_from_every_page(client, synced):
    assert '<a href="/ids/">IDs</a>' in client.get("/").text


def test_occupancy_picture_is_an_accessible_svg_without_style(client, synced):
    response = client.get("/ids/")
    page = response.text
    assert page.count("<svg") == 1
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-labelledby="idmap-title idmap-desc"' in svg
    assert '<title id="idmap-title">ObjectIDs taken, range by range</title>' in svg
    assert "6 of 65,535 ObjectIDs taken. 0-1023 OMA: 1 of 1,024;" in svg
    assert "2048-10240 external standards bodies: 3 of 8,193;" in svg
    # One bar a range; 2048-10240 in 50 cells of 164 IDs: 2048 in the first, 3303 and 3304
    # in the eighth, shaded as a quarter or less taken.
    assert svg.count('class="idmap-span"') == 8
    assert "<title>2048-2211: 1 of 164 taken</title>" in svg
    assert re.search(r'class="shade-1"[^>]*><title>3196-3359: 2 of 164 taken</title>', svg)
    assert re.search(r'class="shade-0"[^>]*><title>3360-3523: 0 of 164 taken</title>', svg)
    # 0-1023 and 1024-2047 in 49 cells of 21 IDs, the tests range in 32, the legend's 5.
    assert svg.count("<rect") == 49 * 2 + 50 * 5 + 32 + 5
    # Strict CSP: no style attribute, no inline style or script anywhere in the page.
    assert "style=" not in page
    assert "<style" not in page
    assert all(' src="' in tag for tag in re.findall(r"<script[^>]*>", page))


def test_owner_ranking(client, synced):
    response = client.get("/ids/")
    ranking = re.findall(
        r'<tr><td class="n">(\d+)</td><td><a href="([^"]+)"><bdi>([^<]+)</bdi></a></td>'
        r'<td class="n">(\d+)</td></tr>',
        response.text,
    )
    assert ranking == [
        ("1", "/?owner=Acme+Sensors", "Acme Sensors", "2"),
        ("2", "/?owner=IPSO+Alliance", "IPSO Alliance", "2"),
        ("3", "/?owner=OMA", "OMA", "1"),
        ("4", "/?owner=TBD", "TBD", "1"),
    ]
    assert "4 owners in all" in text_of(response)
    # The link is the object list filtered by that owner.
    listed = client.get("/?owner=Acme+Sensors").text
    assert re.findall(r'<td class="id">(\d+)</td>', listed) == ["10241", "10300"]


def test_owner_spellings_count_as_one_owner(client, synced):
    ObjectVersion.objects.filter(object_id=10300).update(owner="ACME Sensors Ltd")
    text = text_of(client.get("/ids/"))
    # one ObjectID each: the tie goes to the first in code point order
    assert "ACME Sensors Ltd also spelled Acme Sensors 2" in text
    assert "4 owners in all" in text


# ObjectID lookups


def test_lookup_taken(client, synced):
    response = client.get("/ids/?id=3303")
    assert response.status_code == 200
    assert lookup_text(response) == (
        "ObjectID 3303 is taken. 3303 Temperature , owned by IPSO Alliance , "
        "Label 1 (Standards body). Versions: 1.0 , 1.1 (latest). "
        "Its range: 2048-10240: external standards bodies."
    )
    page = response.text
    assert '<a href="/objects/3303/">3303 <bdi>Temperature</bdi></a>' in page
    assert '<a href="/objects/3303/1.0/">1.0</a>' in page
    assert '<a href="/objects/3303/1.1/">1.1</a>' in page
    # The answer comes first, above the ranges.
    assert page.index("ObjectID 3303 is taken.") < page.index('id="object-ids"')
    assert 'value="3303"' in page


def test_lookup_taken_placeholder(client, synced):
    text = lookup_text(client.get("/ids/?id=2048"))
    assert text.startswith("ObjectID 2048 is taken. 2048 Reserved , owned by TBD ,")
    assert "Version: 1.0 (latest)." in text


@pytest.mark.parametrize(
    "number, wording",
    [
        ("5000", "ObjectID 5000 is free. No object of the registry has it. Its range: "
                 "2048-10240: external standards bodies; an object there takes Label 1 "
                 "(Standards body). 8,190 of the range's 8,193 IDs are free."),
        ("700", "ObjectID 700 is free. No object of the registry has it. Its range: 0-1023: "
                "OMA; an object there takes Label 0 (OMA). 1,023 of the range's 1,024 IDs "
                "are free."),
        ("30000", "ObjectID 30000 is free. No object of the registry has it. Its range: "
                  "26241-32768: vendors, private (reused without registration); an object "
                  "there takes Label 2 (Company). 6,528 of the range's 6,528 IDs are free."),
    ],
)  # fmt: skip
def test_lookup_free(client, synced, number, wording):
    response = client.get("/ids/", {"id": number})
    assert response.status_code == 200
    assert lookup_text(response) == wording


@pytest.mark.parametrize(
    "number, reason",
    [
        ("1500", "1024-2047: reserved"),
        ("40000", "32769-42768: reserved for companies, not published"),
        ("42780", "42769-42800: tests, never in production"),
        ("65534", "42801-65534: reserved"),
        ("65535", "past 65534: no ObjectID"),
    ],
)
def test_lookup_not_assignable(client, synced, number, reason):
    response = client.get("/ids/", {"id": number})
    assert response.status_code == 200
    assert lookup_text(response) == f"ObjectID {number} is not assignable: {reason}."


def test_lookup_notes_a_label_outside_its_range(client, synced):
    ObjectVersion.objects.filter(object_id=10241).update(label=1)
    text = lookup_text(client.get("/ids/?id=10241"))
    note = "Its Label 1 (Standards body) is not the one its range takes (Label 2 (Company))."
    assert note in text


BAD_OBJECT_IDS = [
    ("abc", "“abc”"),
    ("70000", "“70000”"),
    ("-1", "“-1”"),
    ("+5", "“+5”"),
    ("3.5", "“3.5”"),
    ("1e3", "“1e3”"),
    ("0x10", "“0x10”"),
    ("9" * 5000, "“" + "9" * 20 + "…”"),
    ("٣٣٠٣", "“٣٣٠٣”"),  # Arabic-Indic digits: isdigit(), but no ObjectID
    ("３３０３", "“３３０３”"),  # full-width digits
    ("²", "“²”"),
    ("1\x002", "“1 2”"),
]


@pytest.mark.parametrize("value, shown", BAD_OBJECT_IDS)
def test_bad_object_id_is_a_400_with_a_message(client, synced, value, shown):
    response = client.get("/ids/", {"id": value})
    assert response.status_code == 400
    message = f"{shown} is not an ObjectID: an ObjectID is a whole number from 0 to 65535."
    assert f'<p class="alert" role="alert">{html.escape(message, quote=False)}</p>' in (
        response.text
    )
    # The rest of the page is still there.
    assert 'id="object-ids"' in response.text
    assert "<svg" in response.text


@pytest.mark.parametrize("value", ["abc", "70000", "-1", "9" * 5000, "٣"])
def test_bad_resource_id_is_a_400_with_a_message(client, synced, value):
    response = client.get("/ids/", {"resource": value})
    assert response.status_code == 400
    assert "is not a resource ID: a resource ID is a whole number from 0 to 65535." in (
        response.text
    )


@pytest.mark.parametrize("query", ["", "?id=", "?id=%20%20", "?resource=", "?id=&resource="])
def test_empty_lookup_is_the_plain_page(client, synced, query):
    response = client.get("/ids/" + query)
    assert response.status_code == 200
    assert 'id="lookup"' not in response.text


def test_head_and_no_post(client, synced):
    assert client.head("/ids/?id=3303").status_code == 200
    assert client.post("/ids/").status_code == 405


# Resource-ID lookups


@pytest.mark.parametrize(
    "number, wording",
    [
        ("5700", "Resource ID 5700 is reusable, listed in Common.xml. Its range: 2048-26240, "
                 "reusable, registered. Common.xml: Sensor Value . 2 objects define it in "
                 "their latest version. Used by: 3303 Temperature , 3304 Humidity ."),
        ("4001", "Resource ID 4001 is reusable, listed in Common.xml. Its range: 2048-26240, "
                 "reusable, registered. Common.xml: ObjectVersion . No object defines it in its "
                 "latest version."),
        ("5702", "Resource ID 5702 is in the reusable range, not listed in Common.xml. Its "
                 "range: 2048-26240, reusable, registered. No object defines it in its latest "
                 "version."),
        ("1", "Resource ID 1 is defined per object. Its range: 0-2047, defined per object. "
              "Each object gives it its own meaning. 3 objects define it in their latest "
              "version."),
        ("22", "Resource ID 22 is defined per object. Its range: 0-2047, defined per object. "
               "Each object gives it its own meaning. 1 object defines it in its latest "
               "version."),
        ("2047", "Resource ID 2047 is defined per object. Its range: 0-2047, defined per "
                 "object. Each object gives it its own meaning. No object defines it in its "
                 "latest version."),
        ("30000", "Resource ID 30000 is private: reused without registration. Its range: "
                  "26241-32768, private, unregistered. No object defines it in its latest "
                  "version."),
        ("32769", "Resource ID 32769 is invalid: resource IDs go up to 32768. Its range: "
                  "32769-65535, invalid. No object defines it in its latest version."),
    ],
)  # fmt: skip
def test_resource_lookup(client, synced, number, wording):
    response = client.get("/ids/", {"resource": number})
    assert response.status_code == 200
    assert lookup_text(response) == wording


def test_resource_lookup_links(client, synced):
    page = client.get("/ids/?resource=5700").text
    usage = "2 objects define it in their latest version."
    assert f'<a href="/resources/5700/">{usage}</a>' in page
    assert '<a href="/objects/3303/#resource-5700">3303 <bdi>Temperature</bdi></a>' in page
    page = client.get("/ids/?resource=1").text
    assert '<a href="/resources/1/">3 objects define it in their latest version.</a>' in page
    # No resource page for an ID nothing has: no link to a 404.
    page = client.get("/ids/?resource=5702").text
    assert "/resources/5702/" not in page
    assert client.get("/resources/5702/").status_code == 404


def test_resource_lookup_lists_a_bounded_number_of_objects(client, synced, monkeypatch):
    monkeypatch.setattr(ResourceLookup, "max_listed", 1)
    text = lookup_text(client.get("/ids/?resource=5700"))
    assert text.endswith("Used by: 3303 Temperature , … (2 in all).")


def test_resource_range_table(client, synced):
    rows = re.findall(
        r'<a href="/resources/\?class=(\w+)">[\d-]+</a></th><td data-label="What">[^<]+</td>\s*'
        r'<td class="n" data-label="Size">([\d,]+)</td>'
        r'<td class="n" data-label="Defined by objects">(\d+)</td>'
        r'<td class="n" data-label="In Common.xml">(\d+)</td>',
        client.get("/ids/").text,
    )
    # Objects' latest versions define 0, 1, 2, 4, 9, 22 and 5700, 5701, 5750; Common.xml
    # lists 4001, 5518, 5700, 5701, 5750.
    assert rows == [
        ("object", "2,048", "6", "0"),
        ("reusable", "24,193", "3", "5"),
        ("private", "6,528", "0", "0"),
    ]


def test_both_lookups_at_once(client, synced):
    text = lookup_text(client.get("/ids/?id=5000&resource=5700"))
    assert text.startswith("ObjectID 5000 is free.")
    assert "Resource ID 5700 is reusable, listed in Common.xml." in text


# JSON


def test_json_object_lookups(client, synced):
    taken = client.get("/api/v1/ids/?id=3303").json()["ObjectID"]
    assert taken["Status"] == "taken"
    assert taken["Summary"] == (
        "ObjectID 3303 is taken by IPSO Alliance: Temperature (versions 1.0, 1.1)."
    )
    assert taken["Object"] == {
        "Name": "Temperature",
        "Owner": "IPSO Alliance",
        "Label": "ext",
        "URL": "/objects/3303/",
        "Versions": [{"Ver": "1.0", "IsLatest": False}, {"Ver": "1.1", "IsLatest": True}],
    }
    assert taken["Range"]["First"] == 2048
    assert taken["Range"]["Taken"] == 3
    free = client.get("/api/v1/ids/?id=5000").json()["ObjectID"]
    assert free["Status"] == "free"
    assert free["Object"] is None
    assert free["Summary"] == (
        "ObjectID 5000 is free: range 2048-10240: external standards bodies; an object there "
        "takes Label 1 (Standards body)."
    )
    reserved = client.get("/api/v1/ids/?id=1500").json()["ObjectID"]
    assert reserved["Status"] == "reserved"
    assert reserved["Summary"] == "ObjectID 1500 is not assignable: 1024-2047: reserved."
    assert reserved["Range"]["Assignable"] is False
    assert reserved["Range"]["Free"] is None
    past = client.get("/api/v1/ids/?id=65535").json()["ObjectID"]
    assert past["Status"] == "reserved"
    assert past["Range"] is None


def test_json_resource_lookup(client, synced):
    data = client.get("/api/v1/ids/?resource=5700").json()
    assert list(data) == ["ResourceID"]
    assert data["ResourceID"] == {
        "ResourceID": 5700,
        "Status": "reusable",
        "Summary": "Resource ID 5700 is reusable, listed in Common.xml. "
        "2 objects define it in their latest version.",
        "Range": {"First": 2048, "Last": 26240, "Name": "Reusable, registered"},
        "InCommonXml": True,
        "CommonName": "Sensor Value",
        "UsedBy": 2,
        "ObjectIDs": [3303, 3304],
        "URL": "/resources/5700/",
    }
    invalid = client.get("/api/v1/ids/?resource=40000").json()["ResourceID"]
    assert invalid["Status"] == "invalid"
    assert invalid["URL"] is None


def test_json_overview(client, synced):
    data = client.get("/api/v1/ids/").json()
    assert data["Taken"] == 6
    assert data["Free"] == 1023 + 8190 + 15_998 + 6528
    taken = {f"{r['First']}-{r['Last']}": r["Taken"] for r in data["ObjectIDRanges"]}
    for r in data["ObjectIDRanges"]:
        taken |= {f"{p['First']}-{p['Last']}": p["Taken"] for p in r["Parts"]}
    assert taken == FIXTURE_TAKEN
    assert data["TopOwners"][0] == {"Owner": "Acme Sensors", "ObjectIDs": 2}
    assert [r["Class"] for r in data["ResourceIDRanges"]] == [
        "object", "reusable", "private", "invalid",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "query, message",
    [
        ("id=abc", "“abc” is not an ObjectID: an ObjectID is a whole number from 0 to 65535."),
        ("id=-1", "“-1” is not an ObjectID: an ObjectID is a whole number from 0 to 65535."),
        ("id=70000", "“70000” is not an ObjectID: an ObjectID is a whole number from 0 to "
                     "65535."),
        ("resource=%D9%A3", "“٣” is not a resource ID: a resource ID is a whole number from 0 "
                            "to 65535."),
    ],
)  # fmt: skip
def test_json_errors(client, synced, query, message):
    response = client.get(f"/api/v1/ids/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": message}


def test_json_is_read_only(client, synced):
    response = client.post("/api/v1/ids/?id=1")
    assert response.status_code == 405
    assert response.json()["error"].startswith("method POST")


def test_before_any_sync(client, db):
    response = client.get("/ids/?id=3303")
    assert response.status_code == 200
    assert "ObjectID 3303 is free." in response.text
    assert "The registry has not been synced yet." in response.text
    assert client.get("/api/v1/ids/").json()["Taken"] == 0


def test_a_request_costs_one_query(client, synced, django_assert_max_num_queries):
    client.get("/ids/")  # builds what is kept per sync
    with django_assert_max_num_queries(1):
        client.get("/ids/?id=3303&resource=5700")
    # Built once per sync: the same objects until the next one.
    before = id_space(synced.run)
    assert id_space(synced.run) is before
    assert overview_html(synced.run) is overview_html(synced.run)
    assert id_space(sync_registry(synced.run.source).run) is not before


# The full registry snapshot


def snapshot_ids(snapshot):
    """{ObjectID: the owner of its last Item} from DDF.xml itself."""
    owners = {}
    for item in ET.parse(snapshot / "DDF.xml").getroot().iter("Item"):
        owners[int(item.findtext("ObjectID").strip())] = (item.findtext("Owner") or "").strip()
    return owners


@pytest.mark.snapshot
@pytest.mark.slow
@pytest.mark.django_db
def test_the_full_snapshot(client, snapshot, full_registry, django_assert_max_num_queries):
    owners = snapshot_ids(snapshot)
    expected = {f"{a}-{b}": sum(a <= i <= b for i in owners) for a, b in RANGES}
    expected |= {
        "0-499": sum(i <= 499 for i in owners),
        "500-1023": sum(500 <= i <= 1023 for i in owners),
    }
    assert sum(expected[f"{a}-{b}"] for a, b in RANGES) == len(owners) == 340

    start = time.perf_counter()
    response = client.get("/ids/")
    first_ms = (time.perf_counter() - start) * 1000
    assert response.status_code == 200
    rows = table_rows(response)
    assert {span: int(taken.replace(",", "")) for span, (_, taken, _) in rows.items()} == expected
    assert '<span class="muted">340 taken</span>' in response.text
    data = client.get("/api/v1/ids/").json()
    assert data["Taken"] == 340
    assert {f"{r['First']}-{r['Last']}": r["Taken"] for r in data["ObjectIDRanges"]} == {
        f"{a}-{b}": expected[f"{a}-{b}"] for a, b in RANGES
    }
    # The owners ranking: the top 15 as DDF.xml's latest items count them.
    # (an owner's spellings as one: objects/catalog/owners.py, tested in
    # tests/catalog/test_owners.py)
    groups = group_owners(Counter(owner for owner in owners.values() if owner))
    held = Counter(groups[owner].key for owner in owners.values() if owner)
    name = {group.key: group.name for group in groups.values()}
    ranked = sorted(held, key=lambda key: (-held[key], key))[:15]
    assert [(o["Owner"], o["ObjectIDs"]) for o in data["TopOwners"]] == [
        (name[key], held[key]) for key in ranked
    ]
    assert ("CloudMinds", 51) in [(o["Owner"], o["ObjectIDs"]) for o in data["TopOwners"]]
    assert "style=" not in response.text

    queries = 2 if connection.vendor == "postgresql" else 1
    with django_assert_max_num_queries(queries):
        start = time.perf_counter()
        response = client.get("/ids/?id=3303&resource=5700")
        warm_ms = (time.perf_counter() - start) * 1000
    assert response.status_code == 200
    assert "ObjectID 3303 is taken." in response.text
    print(f"/ids/ on the snapshot: first request {first_ms:.1f} ms, then {warm_ms:.1f} ms")
    assert warm_ms < 500
