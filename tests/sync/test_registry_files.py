"""Common.xml in the sync: stored from a clone and from an API source, and kept when a later
sync cannot fetch or read it; its bad items cost only themselves."""

import pytest

from objects.lwm2m.definitions import InvalidDefinition, parse_common
from objects.models import CommonResource, RegistryFile, SyncRun
from objects.sync.pipeline import sync_registry
from objects.sync.registry_files import NOT_FETCHED, NOT_READABLE, NOT_SET
from tests.fake_registry import FakeRegistry

pytestmark = pytest.mark.django_db

ITEM = """<Item ID="{id}"><Name>{name}</Name><Operations>R</Operations><Type>Float</Type>
<RangeEnumeration/><Units/><Submitter>IPSO</Submitter><Description>{description}</Description>
<TS/><TSLink>0</TSLink></Item>"""


def common_xml(*items):
    body = "".join(ITEM.format(id=i, name=n, description=d) for i, n, d in items)
    return (
        '<?xml version="1.0"?><LWM2M><Object ObjectType="CommonResources">'
        f"<Resources>{body}</Resources></Object></LWM2M>"
    ).encode()


def common_ids():
    return list(CommonResource.objects.values_list("resource_id", flat=True))


def test_a_clone_s_common_xml_is_stored_with_where_it_is_published(fixture_registry):
    run = sync_registry(str(fixture_registry)).run
    assert (run.common_resources, common_ids()) == (5, [4001, 5518, 5700, 5701, 5750])
    sensor = CommonResource.objects.get(resource_id=5700)
    assert (sensor.name, sensor.type, sensor.submitter) == ("Sensor Value", "Float", "IPSO")
    assert sensor.description == "Last or Current Measured Value from the Sensor."
    stored = RegistryFile.objects.get(name="Common.xml")
    assert stored.url.endswith("/lwm2m-registry/prod/Common.xml")
    assert bytes(stored.body) == (fixture_registry / "Common.xml").read_bytes()
    assert stored.problem == ""
    assert stored.fetched is not None


def test_an_api_source_without_a_common_url_stores_none_and_says_why(fixture_registry):
    with FakeRegistry(fixture_registry) as registry:
        run = sync_registry(registry.base_url).run
        assert "/files/Common.xml" not in registry.requests
    assert (run.outcome, run.common_resources, common_ids()) == (SyncRun.OK, 0, [])
    assert RegistryFile.objects.get(name="Common.xml").problem == NOT_SET


def test_a_common_xml_that_cannot_be_fetched_keeps_the_copy_and_the_sync(fake_registry):
    sync_registry(fake_registry.base_url)
    fetched = RegistryFile.objects.get(name="Common.xml").fetched
    fake_registry.fail("/files/Common.xml", *[(404, {}, b"gone")] * 4)
    run = sync_registry(fake_registry.base_url).run
    assert run.outcome == SyncRun.OK
    assert run.definitions_ok == 8
    assert (run.common_resources, len(common_ids())) == (5, 5)
    stored = RegistryFile.objects.get(name="Common.xml")
    assert (stored.problem, stored.fetched) == (NOT_FETCHED, fetched)
    assert "404" in stored.problem_detail
    assert "Common.xml: it could not be fetched" in run.warnings


def test_a_broken_common_xml_keeps_the_copy(fake_registry):
    sync_registry(fake_registry.base_url)
    fake_registry.set_file("Common.xml", b"<LWM2M><Object><Resources><Item ID='5700'>")
    run = sync_registry(fake_registry.base_url).run
    assert (run.outcome, len(common_ids())) == (SyncRun.OK, 5)
    stored = RegistryFile.objects.get(name="Common.xml")
    assert stored.problem == NOT_READABLE
    assert "not well-formed" in stored.problem_detail


def test_without_a_copy_a_broken_common_xml_costs_only_itself(fake_registry):
    fake_registry.set_file("Common.xml", b"<html>Service unavailable</html>")
    run = sync_registry(fake_registry.base_url).run
    assert (run.outcome, run.definitions_ok, run.common_resources) == (SyncRun.OK, 8, 0)
    assert "no <Object> element" in RegistryFile.objects.get(name="Common.xml").problem_detail


def test_a_changed_common_xml_alone_is_stored(fake_registry):
    sync_registry(fake_registry.base_url)
    fake_registry.set_file("Common.xml", common_xml((5700, "Sensor Value", "Changed.")))
    run = sync_registry(fake_registry.base_url).run
    assert run.changed
    assert common_ids() == [5700]
    assert CommonResource.objects.get().description == "Changed."
    assert RegistryFile.objects.get(name="Common.xml").problem == ""


def test_duplicate_and_bad_items_cost_only_themselves(fake_registry):
    body = common_xml(
        (5700, "Sensor Value", "First."),
        (5700, "Sensor Value", "Second."),
        ("x12", "Bad ID", "."),
        (5701, "N" * 300, "A name longer than its column."),
        (5518, "Timestamp", "Kept."),
    )
    fake_registry.set_file("Common.xml", body)
    run = sync_registry(fake_registry.base_url).run
    assert common_ids() == [5518, 5700]
    assert CommonResource.objects.get(resource_id=5700).description == "First."
    assert "resource 5700 is given twice; the first is kept" in run.warnings
    assert "an item skipped: a resource ID is not a whole number" in run.warnings
    assert "resource 5701 skipped" in run.warnings


def test_a_common_url_off_the_allowed_hosts_is_refused_unfetched(fake_registry, settings):
    with FakeRegistry(items=[]) as other:
        # Another port of this machine: neither the source's origin nor an allowed host.
        settings.REGISTRY_COMMON_URL = other.file_url("Common.xml")
        run = sync_registry(fake_registry.base_url).run
        assert sum(other.requests.values()) == 0
    assert run.outcome == SyncRun.OK
    assert "refused" in run.warnings


def test_a_relative_common_url_is_the_source_s(fixture_registry, settings):
    with FakeRegistry(fixture_registry) as registry:
        settings.REGISTRY_COMMON_URL = "../files/Common.xml"
        assert sync_registry(registry.base_url).run.common_resources == 5
        assert registry.requests["/files/Common.xml"] == 1


@pytest.mark.parametrize(
    "body, message",
    [
        (b"", "empty file"),
        (b"<LWM2M><Object><Resources/></Object></LWM2M>", "no reusable resource"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><LWM2M/>', "DTDs and entities are not allowed"),
    ],
)
def test_files_that_are_no_common_xml(body, message):
    with pytest.raises(InvalidDefinition, match=message):
        parse_common(body)


def test_the_snapshot_s_common_xml(snapshot):
    parsed = parse_common((snapshot / "Common.xml").read_bytes())
    ids = [resource["ID"] for resource in parsed.resources]
    assert len(ids) == 177
    assert (min(ids), max(ids)) == (4000, 6057)
    assert parsed.warnings == []
