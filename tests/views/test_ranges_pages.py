"""The range reader where it shows: each resource's "Range" in the version JSON, and the
/quality/ facet that lists the RangeEnumerations no program can read."""

import pytest

from objects.models import Resource

pytestmark = pytest.mark.django_db


def test_the_version_json_reads_each_range(client, synced):
    resources = client.get("/api/v1/objects/3/1.1/").json()["Resources"]
    by_id = {r["ID"]: r for r in resources}
    assert by_id[9]["RangeEnumeration"] == "0..100"
    assert by_id[9]["Range"] == {
        "readable": True, "min": 0, "max": 100, "values": None, "of": "value", "units": "",
        "labels": None, "intervals": [[0, 100]], "note": "",
    }  # fmt: skip
    assert by_id[0]["RangeEnumeration"] == "" and by_id[0]["Range"] is None


def test_the_quality_facet_lists_the_unreadable_ranges(client, synced):
    Resource.objects.filter(object_version__object_id=3, resource_id=9).update(
        range_enumeration="from empty to full"
    )
    Resource.objects.filter(object_version__object_id=3303, resource_id=5700).update(
        range_enumeration="-40..85"
    )
    page = client.get("/quality/")
    assert "1 resource whose RangeEnumeration gives no bounds" in page.text
    assert 'href="?range=unreadable"' in page.text
    listed = client.get("/quality/?range=unreadable").text
    assert 'href="/objects/3/#resource-9">resource 9 <bdi>Battery Level</bdi></a>' in listed
    assert "<code>from empty to full</code>: free text" in listed
    assert "resource 5700" not in listed
    data = client.get("/api/v1/objects/3/1.1/").json()["Resources"]
    battery = next(r for r in data if r["ID"] == 9)
    assert battery["Range"]["readable"] is False and battery["Range"]["min"] is None
