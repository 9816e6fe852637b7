"""The submission kit (/api/v1/author/kit.zip and the editor's button): the registry's files
under their names, and laid over a registry clone they sync here without error."""

import io
import shutil
import zipfile

import pytest

from objects.lwm2m.draft import Draft, DraftResource, to_xml
from objects.models import CommonResource, ObjectVersion, SyncRun
from objects.sync.pipeline import sync_registry

pytestmark = pytest.mark.django_db


def kit_of(client, body, **query):
    answer = client.post(
        "/api/v1/author/kit.zip"
        + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""),
        body,
        content_type="application/xml",
    )
    assert answer.status_code == 200, answer.content[:500]
    assert answer["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def company_object():
    return Draft(
        name="Acme Meter",
        description1="A meter of Acme's.",
        object_id="10488",
        lwm2m_version="1.1",
        multiple_instances="Multiple",
        resources=[
            DraftResource(id="5700", name="Sensor Value", type="Float", mandatory="Mandatory",
                          description="Last or Current Measured Value from the Sensor."),
            DraftResource(id="5701", name="Sensor Units", type="String",
                          description="Measurement Units Definition."),
            DraftResource(id="6100", name="Flux", type="Float", units="W/m2",
                          description="The flux."),
        ],
    )  # fmt: skip


def lay_over(files, folder):
    """What SUBMISSION.md asks of a registry clone, done to `folder`."""
    for name, text in files.items():
        definition = name.endswith(".xml") and "/" not in name.replace("version_history/", "")
        if definition and name not in ("DDF-item.xml", "Common-items.xml"):
            (folder / name).write_text(text)
    index = folder / "DDF.xml"
    item = files["DDF-item.xml"].split("\n", 1)[1]
    index.write_text(index.read_text().replace("</DDFList>", item + "</DDFList>"))
    if "Common-items.xml" in files:
        common = folder / "Common.xml"
        items = files["Common-items.xml"].split("<Resources>\n", 1)[1].split("</Resources>")[0]
        text = common.read_text()
        at = text.rindex("</Resources>")
        common.write_text(text[:at] + items + text[at:])


def test_a_company_kit_lays_over_a_clone_and_syncs(client, synced, fixture_registry, tmp_path):
    files = kit_of(client, to_xml(company_object()), owner="Acme")
    assert {"10488.xml", "version_history/10488-1_0.xml", "DDF-item.xml", "Common-items.xml",
            "SUBMISSION.md", "code/lwm2m_10488_anjay.c", "code/lwm2m_10488_anjay.h",
            "code/leshan.json"} <= set(files)  # fmt: skip
    assert files["10488.xml"] == files["version_history/10488-1_0.xml"]
    assert "<URN>urn:oma:lwm2m:x:10488</URN>" in files["DDF-item.xml"]
    assert "<Owner>Acme</Owner>" in files["DDF-item.xml"]
    assert '<Item ID="6100">' in files["Common-items.xml"]
    guide = files["SUBMISSION.md"]
    assert guide.index("Request the ObjectID") < guide.index("Fork") < guide.index("pull request")
    assert "- **Range:** 10241-26240" in guide and "**Licence:** BSD-3-Clause" in guide
    assert "resource 6100 is in the reusable range" in guide  # the validator's report
    clone = tmp_path / "clone"
    shutil.copytree(fixture_registry, clone)
    lay_over(files, clone)
    report = sync_registry(str(clone))
    assert report.run.outcome == SyncRun.OK and not report.run.definitions_invalid
    version = ObjectVersion.objects.get(object_id=10488)
    assert (version.status, version.urn, version.owner) == ("ok", "urn:oma:lwm2m:x:10488", "Acme")
    assert CommonResource.objects.filter(resource_id=6100, name="Flux").exists()


def test_a_new_version_kit_for_3303(client, synced, fixture_registry, tmp_path):
    body = (
        (fixture_registry / "3303.xml")
        .read_bytes()
        .replace(
            b"</Resources>",
            b'<Item ID="1"><Name>Min Measured Value</Name><Operations>R</Operations>'
            b"<MultipleInstances>Single</MultipleInstances><Mandatory>Optional</Mandatory>"
            b"<Type>Float</Type><RangeEnumeration></RangeEnumeration><Units></Units>"
            b"<Description>The minimum value measured.</Description></Item></Resources>",
        )
        .replace(b"<ObjectVersion>1.1</ObjectVersion>", b"<ObjectVersion>1.2</ObjectVersion>")
    )
    files = kit_of(client, body)
    assert {"3303.xml", "version_history/3303-1_2.xml"} <= set(files)
    assert "Common-items.xml" not in files
    guide = files["SUBMISSION.md"]
    assert "A minor version, 1.2" in guide and "## ID request" not in guide
    assert "`version_history/3303-1_1.xml`" in guide
    clone = tmp_path / "clone"
    shutil.copytree(fixture_registry, clone)
    shutil.copy(clone / "3303.xml", clone / "version_history" / "3303-1_1.xml")
    index = clone / "DDF.xml"
    index.write_text(index.read_text().replace(
        "<DDF>3303.xml</DDF>", "<DDF>version_history/3303-1_1.xml</DDF>"))  # fmt: skip
    lay_over(files, clone)
    report = sync_registry(str(clone))
    assert report.run.outcome == SyncRun.OK and not report.run.definitions_invalid
    latest = ObjectVersion.objects.get(object_id=3303, is_latest=True)
    assert latest.ver == "1.2" and latest.urn == "urn:oma:lwm2m:ext:3303:1.2"
    assert ObjectVersion.objects.get(object_id=3303, ver="1.1").status == "ok"


def test_the_editor_downloads_the_kit(client, synced):
    data = {"name": "Acme Meter", "object_id": "10488", "object_version": "1.0",
            "lwm2m_version": "1.1", "multiple_instances": "Single", "mandatory": "Optional",
            "r0-id": "0", "r0-name": "Level", "r0-operations": "R", "r0-type": "Integer",
            "r0-multiple_instances": "Single", "r0-mandatory": "Mandatory",
            "action": "kit", "owner": "Acme"}  # fmt: skip
    answer = client.post("/author/edit/", data)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    assert "10488-1_0-submission-kit.zip" in answer["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert "10488.xml" in names and "Common-items.xml" not in names
    data["object_id"] = ""
    answer = client.post("/author/edit/", data)
    assert answer.status_code == 400 and "The kit needs an ObjectID" in answer.content.decode()


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [(b"<nope", "application/xml", 400), (b"<a/>", "text/plain", 415),
     (b"<LWM2M><Object><Name>x</Name></Object></LWM2M>", "application/xml", 400)],
)  # fmt: skip
def test_the_kit_api_refuses_what_it_cannot_use(client, synced, body, content_type, status):
    answer = client.post("/api/v1/author/kit.zip", body, content_type=content_type)
    assert answer.status_code == status and "error" in answer.json()
    assert client.get("/api/v1/author/kit.zip").status_code == 405
