import io
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from objects.catalog.reads import definition_body
from objects.models import ObjectVersion, Resource, SyncRun
from objects.sync.pipeline import SyncFailed, sync_registry

pytestmark = pytest.mark.django_db(transaction=True)


def table():
    return list(
        ObjectVersion.objects.order_by("object_id", "ver_major", "ver_minor").values_list(
            "object_id", "ver", "is_latest", "status", "name", "owner", "label", "lwm2m_version",
            "resource_count", "urn", "description", "object_link_visible", "spec_link",
            "spec_link_visible", "vorto_link", "definition_sha256",
        )
    )  # fmt: skip


def test_clone_source(fixture_registry):
    report = sync_registry(str(fixture_registry))
    run = report.run
    assert (run.outcome, run.versions, run.objects_count) == (SyncRun.OK, 9, 6)
    assert (run.definitions_ok, run.definitions_missing, run.definitions_invalid) == (8, 1, 0)
    assert run.resources == Resource.objects.count() == 20
    latest = dict(ObjectVersion.objects.filter(is_latest=True).values_list("object_id", "ver"))
    assert latest == {3: "1.1", 2048: "1.0", 3303: "1.1", 3304: "1.0", 10241: "1.0", 10300: "1.10"}
    temp = ObjectVersion.objects.get(object_id=3303, ver="1.1")
    assert temp.lwm2m_version == "1.0"  # the file says nothing: LwM2M 1.0
    assert temp.object_link.endswith("/prod/3303.xml")
    assert [r.resource_id for r in temp.resources.all()] == [5700, 5701, 5750]
    gauge = ObjectVersion.objects.get(object_id=10241)
    assert gauge.object_link_visible  # DDFLink " 1"
    placeholder = ObjectVersion.objects.get(object_id=2048)
    assert placeholder.status == "missing"
    assert "no definition" in placeholder.status_reason
    device = ObjectVersion.objects.get(object_id=3, ver="1.0")
    assert device.resources.get(resource_id=0).description == "Human readable manufacturer name"
    assert "battery level" in device.search_text
    assert report.summary().startswith("Synced 9 versions of 6 objects")
    # As the list says it: the reserved ID's placeholder is no missing definition.
    assert "definitions 8 ok, 1 placeholder, 0 missing, 0 invalid;" in report.summary()


def test_api_source_over_http_then_nothing_downloaded_again(fake_registry, fixture_registry):
    first = sync_registry(fake_registry.base_url).run
    assert (first.versions, first.definitions_ok, first.definitions_downloaded) == (9, 8, 8)
    assert first.requests == 12  # the metadata, Common.xml, two schemas and 8 definitions
    assert (first.common_resources, fake_registry.bodies_sent.pop("Common.xml")) == (5, 1)
    assert fake_registry.bodies_sent.pop("LWM2M.xsd") == 1
    assert fake_registry.bodies_sent.pop("LWM2M-v1_1.xsd") == 1
    assert sum(fake_registry.bodies_sent.values()) == 8
    (agent,) = fake_registry.user_agents
    assert agent.startswith("lwm2m-registry-browser/")
    # The OMA's server is reported to refuse these clients: no trace of them in ours.
    assert "python-requests" not in agent.lower()
    assert "python-urllib" not in agent.lower()
    from_api = table()

    ids = list(ObjectVersion.objects.values_list("pk", flat=True))
    second_report = sync_registry(fake_registry.base_url)
    second = second_report.run
    assert (second.definitions_downloaded, second.definitions_not_modified) == (0, 8)
    assert (first.changed, second.changed) == (True, False)
    assert "nothing changed" in second_report.summary()
    assert list(ObjectVersion.objects.values_list("pk", flat=True)) == ids  # not rewritten
    assert sum(fake_registry.bodies_sent.values()) == 8  # no definition body sent again
    assert (second.common_resources, fake_registry.bodies_sent["Common.xml"]) == (5, 0)
    assert fake_registry.bodies_sent["LWM2M.xsd"] == 0  # 304s, the copies kept
    assert table() == from_api

    sync_registry(str(fixture_registry))
    assert [row[:-1] for row in table()] == [row[:-1] for row in from_api]
    assert [row[-1] for row in table()] == [row[-1] for row in from_api]


def test_a_changed_definition_is_downloaded_again(fake_registry):
    sync_registry(fake_registry.base_url)
    body = fake_registry.file_bytes("3304.xml").replace(b"Humidity", b"Humidity Sensor")
    fake_registry.set_file("3304.xml", body)
    run = sync_registry(fake_registry.base_url).run
    assert (run.definitions_downloaded, run.definitions_not_modified) == (1, 7)
    assert run.changed
    assert ObjectVersion.objects.get(object_id=3304).resources.count() == 1


def test_bad_definitions_are_recorded_and_the_rest_syncs(fake_registry):
    fake_registry.set_file("3304.xml", b"<html>Gone</html>")
    fake_registry.set_file("10241.xml", fake_registry.file_bytes("3.xml"))
    fake_registry.fail("/files/3303.xml", (404, {}, b"nope"))
    run = sync_registry(fake_registry.base_url).run
    assert (run.outcome, run.definitions_ok, run.definitions_missing, run.definitions_invalid) == (
        "ok", 5, 2, 2,
    )  # fmt: skip
    humidity = ObjectVersion.objects.get(object_id=3304)
    assert humidity.status == "invalid"
    assert "no <Object>" in humidity.status_reason
    assert definition_body(humidity) is None and not humidity.definition_sha256  # never served
    gauge = ObjectVersion.objects.get(object_id=10241)
    assert "of object 3, the registry says 10241" in gauge.status_reason
    temp = ObjectVersion.objects.get(object_id=3303, ver="1.1")
    assert temp.status == "missing"
    assert temp.status_reason == "the definition could not be fetched"
    assert "HTTP 404" in temp.status_detail
    assert "/files/3303.xml" in temp.status_detail


def test_failed_sync_keeps_previous_data_and_records_why(fake_registry, fast_client):
    sync_registry(fake_registry.base_url)
    before = table()
    fake_registry.fail(
        "/api/lwm2m/v1/Object", (200, {"Content-Type": "text/html"}, b"<html>Maintenance</html>")
    )
    with pytest.raises(SyncFailed, match="not JSON"):
        sync_registry(fake_registry.base_url)
    assert table() == before
    failed = SyncRun.objects.order_by("-started").first()
    assert failed.outcome == "failed"
    assert "not JSON" in failed.error
    assert failed.finished


@pytest.mark.parametrize(
    "fault, reason",
    [
        ((500, {}, b"oops"), "HTTP 500"),
        ((404, {}, b"no"), "HTTP 404"),
        ((200, {"Content-Type": "application/json"}, b'{"error": 1}'), "expected a JSON array"),
        ((200, {"Content-Type": "application/json"}, b"[]"), "no object at all"),
        ("truncate", "cut short"),
        ("reset", "connection reset|closed without an answer|gave up"),
    ],
)
def test_metadata_faults_name_their_cause(fake_registry, fast_client, fault, reason):
    fake_registry.fail("/api/lwm2m/v1/Object", *([fault] * 5))
    with pytest.raises(SyncFailed, match=reason):
        sync_registry(fake_registry.base_url)
    assert not ObjectVersion.objects.exists()


def test_unreachable_host(fast_client):
    from tests.servers import free_port

    with pytest.raises(SyncFailed, match="cannot reach 127.0.0.1:.*connection refused"):
        sync_registry(f"http://127.0.0.1:{free_port()}/api/")


@pytest.mark.parametrize("fault", ["truncate", "reset", (502, {}, b"")])
def test_a_passing_fault_is_retried_to_success(fake_registry, fast_client, fault):
    fake_registry.fail("/api/lwm2m/v1/Object", fault)
    fake_registry.fail("/files/3.xml", fault)
    run = sync_registry(fake_registry.base_url).run
    assert (run.outcome, run.versions, run.definitions_ok) == ("ok", 9, 8)
    assert fake_registry.requests["/files/3.xml"] == 2


def test_retry_after_is_waited_for(fake_registry, fast_client):
    """The backoff alone is 0.05 s here: the 1.5 s between the tries are the server's."""
    fake_registry.fail("/api/lwm2m/v1/Object", (503, {"Retry-After": "2"}, b"busy"))
    started = time.monotonic()
    run = sync_registry(fake_registry.base_url).run
    assert run.outcome == "ok"
    assert run.versions == 9
    assert fake_registry.requests["/api/lwm2m/v1/Object"] == 2
    assert time.monotonic() - started >= 1.9


def test_retry_after_is_capped(fake_registry, fast_client):
    """A server that asks for an hour is waited for REGISTRY_MAX_RETRY_AFTER, then retried."""
    fast_client.REGISTRY_MAX_RETRY_AFTER = 0.5
    fake_registry.fail("/files/3.xml", (429, {"Retry-After": "3600"}, b"slow down"))
    started = time.monotonic()
    run = sync_registry(fake_registry.base_url).run
    assert (run.outcome, run.definitions_ok) == ("ok", 8)
    assert fake_registry.requests["/files/3.xml"] == 2
    assert 0.45 <= time.monotonic() - started < 30


def test_command_summary_and_exit_status(fixture_registry, fake_registry, fast_client):
    out = io.StringIO()
    call_command("sync_registry", str(fixture_registry), stdout=out)
    assert "Synced 9 versions of 6 objects" in out.getvalue()
    fake_registry.fail("/api/lwm2m/v1/Object", *[(502, {}, b"")] * 5)
    with pytest.raises(CommandError, match="sync failed: .*HTTP 502") as info:
        call_command("sync_registry", fake_registry.base_url)
    assert info.value.returncode == 1
    with pytest.raises(CommandError, match="not a registry clone|neither"):
        call_command("sync_registry", "/nonexistent/folder")
    out = io.StringIO()
    call_command("sync_registry", "/nonexistent/folder", if_never_synced=True, stdout=out)
    assert out.getvalue().startswith("Already synced")


def test_first_run_without_network_says_why_in_one_line(db, fast_client):
    from tests.servers import free_port

    with pytest.raises(CommandError) as info:
        call_command("sync_registry", f"http://127.0.0.1:{free_port()}/api/", if_never_synced=True)
    message = str(info.value)
    assert "\n" not in message
    assert "connection refused" in message
    assert "REGISTRY_SOURCE" in message
