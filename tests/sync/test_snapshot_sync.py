"""A full sync of the real registry (../shared/registry-snapshot), from a clone and over HTTP."""

import pytest

from objects.models import ObjectVersion, Resource
from objects.sync.pipeline import sync_registry
from tests.fake_registry import FakeRegistry

pytestmark = [pytest.mark.snapshot, pytest.mark.django_db(transaction=True)]


def check_full_registry(run):
    assert (run.outcome, run.versions, run.objects_count) == ("ok", 437, 340)
    assert (run.definitions_ok, run.definitions_invalid, run.definitions_missing) == (424, 0, 13)
    assert (run.definitions_placeholder, run.definitions_failed) == (13, 0)
    # The Items of every visible definition DDF.xml names, counted from the files: 4,506.
    assert run.resources == Resource.objects.count() == 4506
    assert ObjectVersion.objects.filter(is_latest=True).count() == 340
    # Every placeholder is a reserved ID with nothing to fetch, nothing else is missing.
    assert not ObjectVersion.objects.filter(status="missing").exclude(object_link="").exists()


def test_snapshot_from_the_clone(snapshot):
    check_full_registry(sync_registry(str(snapshot)).run)
    security = ObjectVersion.objects.get(object_id=0, is_latest=True)
    assert (security.ver, security.lwm2m_version, security.resources.count()) == ("1.2", "1.1", 31)


def test_snapshot_over_http_then_resync_downloads_nothing(snapshot):
    with FakeRegistry(snapshot) as registry:
        run = sync_registry(registry.base_url, jobs=16).run
        check_full_registry(run)
        assert run.definitions_downloaded == 424
        assert run.requests == 425
        again = sync_registry(registry.base_url, jobs=16).run
        check_full_registry(again)
        assert (again.definitions_downloaded, again.definitions_not_modified) == (0, 424)
        assert sum(registry.bodies_sent.values()) == 424
