"""/author/ and its APIs through Django's test client: free IDs, the editor's form posts, the
submission kit, shared drafts."""

import pytest

pytestmark = pytest.mark.django_db


def test_free_ids_skip_objects_and_placeholders(client, synced):
    answer = client.get("/api/v1/ids/free/", {"label": "x", "count": "3"})
    assert answer.status_code == 200
    data = answer.json()
    assert data["label"] == "x" and data["free"] == [10242, 10243, 10244]
    ext = client.get("/api/v1/ids/free/?label=ext&count=2").json()
    assert ext["free"] == [2049, 2050] and ext["reserved"] == [2048]
    assert client.get("/api/v1/ids/free/?label=oma").json()["free"] == [0, 1, 2, 4, 5]


@pytest.mark.parametrize("query", ["label=vendor", "count=0", "count=101", "count=x"])
def test_free_ids_refuse_bad_parameters_in_json(client, synced, query):
    answer = client.get(f"/api/v1/ids/free/?{query}")
    assert answer.status_code == 400 and "error" in answer.json()
