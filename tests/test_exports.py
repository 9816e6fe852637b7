import csv
import io

from objects.models import ObjectVersion
from objects.search import forget_rows


def test_csv_of_the_filtered_list(client, synced):
    response = client.get(
        "/export.csv?label=ext&sort=name&page=3&status=defined&status=placeholder"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["ObjectID"], r["Name"]) for r in rows] == [
        ("3304", "Humidity"), ("2048", "Reserved"), ("3303", "Temperature"),
    ]  # fmt: skip
    assert rows[2]["URN"] == "urn:oma:lwm2m:ext:3303:1.1" and rows[2]["Label"] == "ext"
    assert rows[2]["Description"].startswith("This IPSO object should be used")


def test_json_of_a_search_every_version(client, synced):
    response = client.get("/export.json?q=acme&versions=all")
    items = response.json()
    assert [(i["ObjectID"], i["Ver"]) for i in items] == [
        (10241, "1.0"), (10300, "1.9"), (10300, "1.10"),
    ]  # fmt: skip
    assert items[0]["LwM2MVersion"] == "1.1" and items[0]["Owner"] == "Acme Sensors"


def test_exports_are_not_paginated(client, synced):
    assert len(client.get("/export.json?per=25&page=9").json()) == 5  # as listed: no placeholder


def test_csv_cells_never_run_as_formulas(client, synced):
    ObjectVersion.objects.filter(object_id=3304).update(name="=HYPERLINK(1)")
    forget_rows()
    text = client.get("/export.csv?q=3304").content.decode()
    assert "'=HYPERLINK(1)" in text


def test_bad_parameters_still_export(client, synced):
    assert client.get("/export.csv?page=-5&per=%00&q=" + "x" * 5000).status_code == 200
    assert client.get("/export.json?sort=bad").json()[0]["ObjectID"] == 3
