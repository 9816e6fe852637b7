"""A hostile resource name reaches the list's resource hits (the resources a search matched,
shown in each row) and is shown there as text, never as markup."""

import html
import shutil

import pytest

from objects.sync.pipeline import sync_registry
from tests.conftest import FIXTURE_REGISTRY
from tests.hostile_registry import resource

HOSTILE_NAME = "<img src=x onerror=alert(1)>\"'<script>alert(document.domain)</script>"
RESOURCE_ID = 27001


@pytest.fixture
def hostile_synced(db, tmp_path):
    """The fixture registry as a clone, one of whose objects has a resource with a hostile name."""
    folder = tmp_path / "registry"
    shutil.copytree(FIXTURE_REGISTRY, folder)
    definition = folder / "10241.xml"
    item = resource(RESOURCE_ID, name=html.escape(HOSTILE_NAME), Type="String")
    definition.write_text(definition.read_text().replace("<Resources>", f"<Resources>{item}", 1))
    report = sync_registry(str(folder))
    assert report.run.definitions_invalid == 0, report.summary()
    return report


@pytest.mark.parametrize("query", [str(RESOURCE_ID), "onerror"])
def test_a_hostile_resource_name_in_the_hits_is_text(client, hostile_synced, query):
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get("/", {"q": query}, **headers)
        assert response.status_code == 200
        hits = response.text.split('<span class="hits">', 1)
        assert len(hits) == 2, "the search must show the resource among the row's hits"
        hit = hits[1].split("</span>", 1)[0]
        assert f"resource {RESOURCE_ID} <bdi>{html.escape(HOSTILE_NAME)}</bdi>" in hit, hit
        assert "<img" not in response.text
        assert "<script>alert" not in response.text
