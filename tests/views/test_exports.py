import csv
import io
import json

import pytest
from django.test import RequestFactory

from objects.models import ObjectVersion
from objects.views import exports, resources
from objects.views.exports import CHUNK, chunked


def text_of(response):
    """The body, as the client receives it (whole, or streamed past the store's bound)."""
    return response.getvalue().decode()


def items_of(response):
    return json.loads(text_of(response))


def test_csv_of_the_filtered_list(client, synced):
    response = client.get(
        "/export.csv?label=ext&sort=name&page=3&status=defined&status=placeholder"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(text_of(response))))
    assert [(r["ObjectID"], r["Name"]) for r in rows] == [
        ("3304", "Humidity"), ("2048", "Reserved"), ("3303", "Temperature"),
    ]  # fmt: skip
    assert rows[2]["URN"] == "urn:oma:lwm2m:ext:3303:1.1"
    assert rows[2]["Label"] == "ext"
    assert rows[2]["Description"].startswith("This IPSO object should be used")


def test_json_of_a_search_every_version(client, synced):
    response = client.get("/export.json?q=acme&versions=all")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'inline; filename="lwm2m-objects.json"'
    items = items_of(response)
    assert [(i["ObjectID"], i["Ver"]) for i in items] == [
        (10241, "1.0"), (10300, "1.9"), (10300, "1.10"),
    ]  # fmt: skip
    assert items[0]["LwM2MVersion"] == "1.1"
    assert items[0]["Owner"] == "Acme Sensors"


def test_exports_are_not_paginated(client, synced):
    assert len(items_of(client.get("/export.json?per=25&page=9"))) == 5  # as listed: no placeholder


def test_csv_cells_never_run_as_formulas(client, synced):
    ObjectVersion.objects.filter(object_id=3304).update(name="=HYPERLINK(1)")
    text = text_of(client.get("/export.csv?q=3304"))
    assert "'=HYPERLINK(1)" in text


def test_bad_parameters_still_export(client, synced):
    assert client.get("/export.csv?page=-5&per=%00&q=" + "x" * 5000).status_code == 200
    assert items_of(client.get("/export.json?sort=bad"))[0]["ObjectID"] == 3


def test_the_streamed_bytes_are_those_of_the_whole_answers(client, synced):
    """The same bytes as the answers built whole (JsonResponse, csv.DictWriter) gave."""
    text = text_of(client.get("/export.json?versions=all"))
    items = json.loads(text)
    assert len(items) == 8  # the placeholder is not listed
    assert text == json.dumps(items, ensure_ascii=False)
    table = text_of(client.get("/export.csv?versions=all"))
    expected = io.StringIO()
    writer = csv.DictWriter(expected, fieldnames=exports.EXPORT_FIELDS)
    writer.writeheader()
    writer.writerows(items)
    assert table == expected.getvalue()
    assert table.endswith("\r\n")


def test_the_resources_csv_is_streamed(client, synced):
    response = client.get("/resources/export.csv?class=reusable")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lwm2m-resources.csv"'
    rows = list(csv.reader(io.StringIO(text_of(response))))
    assert rows[0] == list(resources.EXPORT_FIELDS)
    assert ["5700", "reusable", "Sensor Value", "yes", "2", "3303 3304", ""] in rows


@pytest.mark.parametrize(
    "view, path",
    [(exports.export_csv, "/export.csv"), (exports.export_json, "/export.json"),
     (resources.export_csv, "/resources/export.csv")],
)  # fmt: skip
def test_head_makes_no_body(synced, view, path):
    """A HEAD gets the GET's headers, and no row is turned into text for it."""
    head = view(RequestFactory().head(path))
    get = view(RequestFactory().get(path))
    assert head.streaming
    assert list(head.streaming_content) == []
    assert dict(head.items()) == dict(get.items())
    assert len(get.getvalue()) > 100


def test_rows_are_sent_in_chunks_as_they_are_made():
    made = []

    def line(number):
        return f"row {number:04d} " + "x" * 90 + "\n"  # 100 characters

    def pieces():
        for number in range(2000):
            made.append(number)
            yield line(number)

    chunks = chunked(pieces())
    first = next(chunks)
    assert CHUNK <= len(first) < CHUNK + 100 and len(made) < 2000  # not all made yet
    rest = list(chunks)
    assert all(len(chunk) >= CHUNK for chunk in rest[:-1])
    assert b"".join([first, *rest]) == "".join(map(line, range(2000))).encode()
