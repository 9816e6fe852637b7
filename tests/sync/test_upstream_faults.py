"""Upstream faults staged by a real server on 127.0.0.1: each one retried or recorded."""

import pytest

from objects.models import ObjectVersion, SyncRun
from objects.sync.pipeline import SyncFailed, sync_registry

pytestmark = pytest.mark.django_db(transaction=True)
METADATA = "/api/lwm2m/v1/Object"


def status_of(object_id, ver="1.0"):
    """The status and the admin's detail (the public reason of a failed fetch says only that)."""
    version = ObjectVersion.objects.get(object_id=object_id, ver=ver)
    return version.status, version.status_detail or version.status_reason


def test_a_definition_that_never_answers_times_out(fake_registry, fast_client):
    fake_registry.fail("/files/3304.xml", "hang", "hang", "hang")
    run = sync_registry(fake_registry.base_url).run
    assert (run.outcome, run.definitions_ok, run.definitions_missing) == ("ok", 7, 2)
    status, reason = status_of(3304)
    assert status == "missing"
    assert "timed out" in reason


def test_an_endless_definition_is_cut_off_at_the_limit(fake_registry, fast_client):
    fake_registry.fail("/files/3304.xml", "endless")
    run = sync_registry(fake_registry.base_url).run
    assert run.definitions_ok == 7
    status, reason = status_of(3304)
    assert status == "missing"
    assert "limit" in reason
    assert fake_registry.bytes_sent < 40 * 1024 * 1024  # the client hung up long before the end


def test_a_definition_over_the_limit_is_refused_by_its_length(fake_registry):
    fake_registry.set_file("3304.xml", b"<LWM2M>" + b" " * (3 * 1024 * 1024) + b"</LWM2M>")
    sync_registry(fake_registry.base_url)
    status, reason = status_of(3304)
    assert status == "missing"
    assert "over the 2097152-byte limit" in reason


def test_hostile_definitions_are_recorded_and_never_expanded(fake_registry, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT-42")
    fake_registry.set_file(
        "3304.xml",
        (
            f'<?xml version="1.0"?><!DOCTYPE LWM2M [<!ENTITY s SYSTEM "file://{secret}">]>'
            "<LWM2M><Object><Name>&s;</Name><ObjectID>3304</ObjectID></Object></LWM2M>"
        ).encode(),
    )
    laughs = "".join(
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10)
    )  # 10^9 "lol"s if expanded
    fake_registry.set_file(
        "10241.xml",
        (
            f'<?xml version="1.0"?><!DOCTYPE LWM2M [<!ENTITY l0 "lol">{laughs}]>'
            "<LWM2M><Object><Name>&l9;</Name><ObjectID>10241</ObjectID></Object></LWM2M>"
        ).encode(),
    )
    run = sync_registry(fake_registry.base_url).run
    assert (run.outcome, run.definitions_ok, run.definitions_invalid) == ("ok", 6, 2)
    for object_id in (3304, 10241):
        status, reason = status_of(object_id)
        assert status == "invalid"
        assert "not allowed" in reason
    for row in ObjectVersion.objects.values():
        assert "SECRET-CONTENT-42" not in str(row)


def test_a_definition_not_in_utf8(fake_registry):
    """Declared UTF-8, written in Windows-1252: read as such rather than thrown away."""
    original = b"Last or Current Measured Value from the Sensor."
    body = fake_registry.file_bytes("3304.xml")
    assert original in body
    fake_registry.set_file(
        "3304.xml", body.replace(original, "Dernière valeur mesurée".encode("cp1252"))
    )
    sync_registry(fake_registry.base_url)
    version = ObjectVersion.objects.get(object_id=3304)
    assert version.status == "ok"
    assert version.resources.get().description == "Dernière valeur mesurée"


@pytest.mark.parametrize(
    "body, reason",
    [
        (b'{"ObjectID": 3}', "expected a JSON array"),
        (b'["3", "3303"]', "no usable item"),
        (b'[{"Name": "Device"}]', "no usable item"),
        (b"<!DOCTYPE html><html><body>Registry</body></html>", "not JSON"),
    ],
)
def test_metadata_of_the_wrong_shape_fails_and_keeps_the_data(fake_registry, body, reason):
    sync_registry(fake_registry.base_url)
    fake_registry.fail(METADATA, (200, {"Content-Type": "application/json"}, body))
    with pytest.raises(SyncFailed, match=reason):
        sync_registry(fake_registry.base_url)
    assert ObjectVersion.objects.count() == 9
    assert SyncRun.objects.order_by("-started").first().outcome == "failed"


def test_bad_and_duplicate_items_are_skipped_with_a_warning(fake_registry):
    fake_registry.items = fake_registry.items + [
        {"Name": "no id"},
        dict(fake_registry.items[0], Name="Device again"),
    ]
    report = sync_registry(fake_registry.base_url)
    assert report.run.versions == 9
    assert ObjectVersion.objects.get(object_id=3, ver="1.0").name == "Device again"
    assert any("no ObjectID" in w for w in report.warnings)
    assert any("listed twice" in w for w in report.warnings)
