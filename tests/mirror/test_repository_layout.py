"""The registry's repository layout served from the stored data (/registry/...), the mirror
API's links into it, the layout over HTTP as a sync source, and /export.zip."""

import hashlib
import io
import json
import os
import re
import tempfile
import tracemalloc
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import requests
from django.http import StreamingHttpResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from objects.catalog.reads import with_body
from objects.models import ObjectVersion, RegistryFile
from objects.sync.pipeline import SyncFailed, sync_registry
from objects.sync.sources import (
    RegistryAPI,
    RegistryClone,
    RegistryLayout,
    SourceError,
    open_source,
    read_ddf_index,
)
from objects.views.definitions import INERT_CSP
from tests import anjay_like_client
from tests.conftest import SNAPSHOT
from tests.external_db import ExternalDatabase
from tests.servers import SiteServer, manage, site_env

ELEMENTS = ["ObjectID", "URN", "Name", "Description", "Owner", "Source", "Ver", "DDF", "Vorto",
            "DDFLink", "TS", "TSLink"]  # fmt: skip


def items_of(data):
    """Each Item of a DDF.xml as {element: text} (the first of a repeated element), in order:
    read with the standard library, not with the code under test."""
    items = []
    for element in ET.fromstring(data).iter("Item"):
        item = {}
        for child in element:
            item.setdefault(child.tag, (child.text or "").strip())
        items.append(item)
    return items


def version_key(ver):
    major, minor = ver.split(".")
    return int(major), int(minor)


def stored_versions():
    return list(
        ObjectVersion.objects.order_by("object_id", "ver_major", "ver_minor").values_list(
            "object_id", "ver"
        )
    )


# -- /registry/DDF.xml ---------------------------------------------------------------------------


def test_the_index_lists_every_version_as_the_registry_does(client, synced, fixture_registry):
    response = client.get("/registry/DDF.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Security-Policy"] == INERT_CSP
    assert response["ETag"].startswith('"') and len(response["ETag"]) == 66  # strong
    ours = items_of(response.content)
    assert all(list(item) == ELEMENTS for item in ours)
    # One Item per stored version, in ObjectID then version order (the fixture's own file is not).
    assert [(int(i["ObjectID"]), i["Ver"]) for i in ours] == stored_versions()
    # Each says what the registry's own DDF.xml says of that version, DDF path included:
    # `<ID>.xml` for the latest, version_history for the others, nothing for a placeholder.
    theirs = {
        (i["ObjectID"], i["Ver"]): i for i in items_of((fixture_registry / "DDF.xml").read_bytes())
    }
    assert len(theirs) == len(ours) == 9
    for item in ours:
        original = theirs[(item["ObjectID"], item["Ver"])]
        assert item == {**original, "DDFLink": original["DDFLink"].strip()}
    by_version = {(i["ObjectID"], i["Ver"]): i for i in ours}
    assert by_version[("3", "1.1")]["DDF"] == "3.xml"
    assert by_version[("3", "1.0")]["DDF"] == "version_history/3-1_0.xml"
    assert by_version[("10300", "1.10")]["DDF"] == "10300.xml"
    assert by_version[("10300", "1.9")]["DDF"] == "version_history/10300-1_9.xml"
    assert (by_version[("2048", "1.0")]["DDF"], by_version[("2048", "1.0")]["DDFLink"]) == ("", "0")
    # Line breaks in a description survive.
    assert "sensor\nto report" in by_version[("3303", "1.0")]["Description"]


def test_a_version_without_a_stored_definition_is_listed_as_a_placeholder(client, synced):
    ObjectVersion.objects.filter(object_id=3303, ver="1.0").update(
        definition_sha256="", status="missing"
    )
    item = next(
        i
        for i in items_of(client.get("/registry/DDF.xml").content)
        if (i["ObjectID"], i["Ver"]) == ("3303", "1.0")
    )
    assert (item["DDF"], item["DDFLink"], item["Name"]) == ("", "0", "Temperature")
    assert b"<DDF />" in client.get("/registry/DDF.xml").content  # as the registry writes it


def test_the_index_is_built_once_per_sync(
    client, synced, renamed_registry, django_assert_num_queries
):
    first = client.get("/registry/DDF.xml")
    with django_assert_num_queries(1):  # the last sync run, nothing else
        again = client.get("/registry/DDF.xml")
    assert again.content == first.content
    with django_assert_num_queries(1):
        cached = client.get("/registry/DDF.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached["ETag"] == first["ETag"]
    assert cached["Content-Security-Policy"] == INERT_CSP
    # A sync that changed nothing: the same bytes, the same ETag, still a 304.
    sync_registry(synced.run.source)
    assert client.get("/registry/DDF.xml", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # A sync that changed the names: a new index, a new ETag.
    sync_registry(str(renamed_registry))
    changed = client.get("/registry/DDF.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert b"Temperature (renamed)" in changed.content


def test_ddf_xml_escapes_what_xml_cannot_hold_as_text(client, synced):
    ObjectVersion.objects.filter(object_id=3304).update(
        name="a <b> & c", description="one\r\ntwo ]]> three \ufffe"
    )
    item = next(
        i for i in items_of(client.get("/registry/DDF.xml").content) if i["ObjectID"] == "3304"
    )
    assert item["Name"] == "a <b> & c"
    assert item["Description"] == "one\r\ntwo ]]> three \ufffd"


def test_no_data_yet(client, db):
    response = client.get("/registry/DDF.xml")
    assert response.status_code == 503
    assert "sync_registry" in response.content.decode()


# -- definitions, Common.xml, the schemas ------------------------------------------------------


@pytest.mark.parametrize(
    "name, fixture_file",
    [
        ("3.xml", "3.xml"),
        ("version_history/3-1_0.xml", "version_history/3-1_0.xml"),
        ("version_history/3-1_1.xml", "3.xml"),  # every version, the latest too
        ("10300.xml", "10300.xml"),
        ("version_history/10300-1_9.xml", "version_history/10300-1_9.xml"),
        ("version_history/10300-1_10.xml", "10300.xml"),
        ("Common.xml", "Common.xml"),
        ("LWM2M.xsd", "LWM2M.xsd"),
        ("LWM2M-v1_1.xsd", "LWM2M-v1_1.xsd"),
    ],
)
def test_each_file_is_the_stored_bytes(client, synced, fixture_registry, name, fixture_file):
    body = (fixture_registry / fixture_file).read_bytes()
    response = client.get(f"/registry/{name}")
    assert response.status_code == 200
    assert response.content == body
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Security-Policy"] == INERT_CSP
    assert response["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"'
    again = client.get(f"/registry/{name}", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == response["ETag"]
    other = client.get(f"/registry/{name}", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200
    assert other.content == body
    head = client.head(f"/registry/{name}")
    assert head.status_code == 200
    assert head.content == b""
    assert dict(head.headers) == dict(response.headers)


def test_a_file_no_sync_could_keep_is_a_404(client, synced):
    RegistryFile.objects.filter(name="LWM2M.xsd").update(body=None, sha256="")
    response = client.get("/registry/LWM2M.xsd")
    assert response.status_code == 404
    assert "no copy" in response.content.decode()


def test_a_tool_that_adds_its_own_slash_finds_the_files(client, synced):
    """Anjay's tool joins `<URL>/DDF.xml`: given `.../registry/`, it asks for
    `.../registry//DDF.xml`."""
    assert client.get("/registry//DDF.xml").content == client.get("/registry/DDF.xml").content
    assert client.get("/registry//3.xml").status_code == 200


BAD_NAMES = [
    "nope.xml", "ddf.xml", "DDF.xml/", "DDF.xml.bak", "DDF.xml%00", "%00",
    "LWM2M_senml_units.xml",
    "SOURCE.txt", "version_history/3-1_x.xml", "version_history/3-1.0.xml", "version_history/3-1_0",
    "version_history/3-01_0.xml", "version_history/3-1_00.xml", "version_history/03-1_0.xml",
    "version_history/3-1_0.xml/", "version_history/3.xml",
    "03.xml", "3.XML", "-3.xml", "3.xml.gz", "%D9%A3.xml", "99999.xml", "100000.xml",
    "9" * 40 + ".xml", "4.xml", "2048.xml", "version_history/2048-1_0.xml",
    "version_history/3-9_9.xml", "version_history/3-1_9999999.xml",
    "version_history/3-1_" + "9" * 30 + ".xml", "version_history/" + "9" * 30 + "-1_0.xml",
    "../DDF.xml", "..", "%2e%2e/DDF.xml", "version_history/../3.xml", "version_history/..%2F3.xml",
    "..%2F..%2Fetc%2Fpasswd", "3.xml/..", "./DDF.xml", "%5C..%5CDDF.xml", "a" * 5000,
    "Common.xml/../DDF.xml", "%0ADDF.xml", "DDF.xml%0A",
]  # fmt: skip


@pytest.mark.parametrize("name", BAD_NAMES)
def test_anything_else_is_a_plain_404(client, synced, name):
    response = client.get(f"/registry/{name}")
    assert response.status_code == 404, name
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Security-Policy"] == INERT_CSP
    text = response.content.decode()
    assert text.strip()
    assert "<" not in text.replace("<ID>", "").replace("<Major>", "").replace("<Minor>", "")


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.one_of(
        st.text(max_size=80),
        st.lists(
            st.sampled_from(
                ["version_history", "..", ".", "3", "3.xml", "1_0", "-", "DDF.xml", ""]
            ),
            max_size=5,
        ).map("/".join),
    )
)
def test_no_name_makes_a_5xx(client, synced, name):
    response = client.get("/registry/" + quote(name, safe="/"))
    assert response.status_code in {200, 404}, (name, response.status_code)


def test_other_methods_are_refused(client, synced):
    assert client.post("/registry/DDF.xml").status_code in {403, 405}
    assert client.put("/registry/3.xml").status_code in {403, 405}


# -- the mirror API's links ---------------------------------------------------------------------


def test_the_mirror_api_links_to_unique_files_of_the_layout(client, synced):
    items = json.loads(client.get("/api/lwm2m/v1/Object").getvalue())  # streamed
    links = [i["ObjectLink"] for i in items if i["ObjectLink"]]
    assert len(links) == len(set(links)) == 8
    assert "http://testserver/registry/3.xml" in links
    assert "http://testserver/registry/version_history/3-1_0.xml" in links
    assert "http://testserver/registry/version_history/10300-1_9.xml" in links
    served = set()
    for item in items:
        if not item["ObjectLink"]:
            continue
        path = item["ObjectLink"].removeprefix("http://testserver")
        body = client.get(path).content
        old = client.get(f"/objects/{item['ObjectID']}/{item['Ver']}/definition.xml")
        assert old.status_code == 200 and body == old.content  # the old URLs keep working
        served.add(body)
    assert len(served) == 8
    # The same names as DDF.xml gives them.
    index = items_of(client.get("/registry/DDF.xml").content)
    assert sorted(links) == sorted(
        "http://testserver/registry/" + i["DDF"] for i in index if i["DDF"]
    )


# -- the layout over HTTP as a source -------------------------------------------------------------


@pytest.mark.parametrize(
    "spec, kind, index",
    [
        (
            "http://mirror.example/registry/",
            RegistryLayout,
            "http://mirror.example/registry/DDF.xml",
        ),
        (
            "http://mirror.example/registry",
            RegistryLayout,
            "http://mirror.example/registry/DDF.xml",
        ),
        (
            "https://m.example/x/registry/?a=1",
            RegistryLayout,
            "https://m.example/x/registry/DDF.xml",
        ),
        (
            "https://raw.githubusercontent.com/OpenMobileAlliance/lwm2m-registry/prod/DDF.xml",
            RegistryLayout,
            "https://raw.githubusercontent.com/OpenMobileAlliance/lwm2m-registry/prod/DDF.xml",
        ),
        ("http://mirror.example/api/", RegistryAPI, "http://mirror.example/api/lwm2m/v1/Object"),
        ("http://www.openmobilealliance.org/api/", RegistryAPI, None),
        ("http://mirror.example/registry/api/", RegistryAPI, None),
        ("http://mirror.example/ddf.xml", RegistryAPI, None),
    ],
)
def test_which_urls_are_a_layout(spec, kind, index):
    source = open_source(spec)
    try:
        assert type(source) is kind
        if index:
            assert source.metadata_url == index
        if kind is RegistryLayout:
            folder = index.removesuffix("DDF.xml")
            assert source.file_url("Common.xml") == folder + "Common.xml"
            assert source.file_url("LWM2M.xsd") == folder + "LWM2M.xsd"
    finally:
        source.close()


def table():
    """Every stored value of every version but where it came from (object_link, ETags)."""
    return list(
        ObjectVersion.objects.order_by("object_id", "ver_major", "ver_minor").values_list(
            "object_id", "ver", "is_latest", "status", "status_reason", "name", "owner", "label",
            "lwm2m_version", "resource_count", "urn", "description", "object_link_visible",
            "spec_link", "spec_link_visible", "vorto_link", "definition_sha256", "quality",
        )
    )  # fmt: skip


def files():
    return dict(RegistryFile.objects.values_list("name", "sha256"))


@pytest.mark.django_db(transaction=True)
def test_sync_from_a_layout_over_http(fake_registry, fixture_registry, settings):
    """The fixture folder served as files is the same registry as the folder read as a clone;
    the definitions and files come from the folder, with conditional requests."""
    settings.REGISTRY_COMMON_URL = settings.REGISTRY_SCHEMA_URL = ""  # not used by a layout
    sync_registry(str(fixture_registry))
    from_clone, clone_files = table(), files()
    index = fake_registry.file_url("DDF.xml")
    first = sync_registry(index).run
    assert (first.versions, first.definitions_ok, first.definitions_downloaded) == (9, 8, 8)
    assert first.requests == 12  # DDF.xml, Common.xml, two schemas and 8 definitions
    assert first.common_resources == 5
    assert table() == from_clone
    assert files() == clone_files
    links = ObjectVersion.objects.exclude(object_link="").values_list("object_link", flat=True)
    assert set(links) >= {
        fake_registry.file_url("3.xml"),
        fake_registry.file_url("version_history/3-1_0.xml"),
    }
    assert all(link.startswith(fake_registry.file_url("")) for link in links)
    (agent,) = fake_registry.user_agents
    assert agent.startswith("lwm2m-registry-browser/")
    second = sync_registry(index).run
    assert (second.definitions_downloaded, second.definitions_not_modified) == (0, 8)
    assert fake_registry.bodies_sent["3.xml"] == 1
    assert fake_registry.bodies_sent["Common.xml"] == 1
    assert table() == from_clone


@pytest.mark.django_db(transaction=True)
def test_a_layout_source_retries_and_names_its_faults(fake_registry, fast_client):
    index = fake_registry.file_url("DDF.xml")
    fake_registry.fail("/files/DDF.xml", (503, {}, b"busy"))
    fake_registry.fail("/files/3.xml", "reset")
    run = sync_registry(index).run
    assert (run.outcome, run.versions, run.definitions_ok) == ("ok", 9, 8)
    assert fake_registry.requests["/files/DDF.xml"] == 2
    fake_registry.fail("/files/DDF.xml", (404, {}, b"not found"))  # not retried
    with pytest.raises(SyncFailed, match="HTTP 404"):
        sync_registry(index)
    fake_registry.fail(
        "/files/DDF.xml", (200, {"Content-Type": "text/html"}, b"<html><p>Hi</html>")
    )
    with pytest.raises(SyncFailed, match="DDF.xml cannot be read"):
        sync_registry(index)
    fake_registry.fail("/files/DDF.xml", (200, {}, b"<DDFList></DDFList>"))
    with pytest.raises(SyncFailed, match="lists no object"):
        sync_registry(index)


@pytest.mark.django_db(transaction=True)
def test_a_layout_source_keeps_to_the_fetch_policy(fake_registry):
    """A DDF path that leads off the folder's origin is refused, never fetched."""
    data = (Path(fake_registry.folder) / "DDF.xml").read_text()
    data = data.replace("<DDF>3304.xml</DDF>", "<DDF>http://169.254.169.254/latest/meta-data</DDF>")
    fake_registry.set_file("DDF.xml", data.encode())
    run = sync_registry(fake_registry.file_url("DDF.xml")).run
    humidity = ObjectVersion.objects.get(object_id=3304)
    assert humidity.status == "missing"
    assert "refused" in humidity.status_detail
    assert run.definitions_ok == 7


def test_the_clone_reads_ddf_xml_as_before(fixture_registry):
    entries, warnings, size = RegistryClone(fixture_registry).metadata()
    assert len(entries) == 9
    assert size == (fixture_registry / "DDF.xml").stat().st_size
    device = next(e for e in entries if (e.object_id, e.ver) == (3, "1.0"))
    assert device.local_path == "version_history/3-1_0.xml"
    assert device.object_link.endswith("/prod/version_history/3-1_0.xml")
    with pytest.raises(SourceError, match="^http://h/DDF.xml cannot be read"):
        read_ddf_index(b"<html><p>not the index</html>", "http://h/", "http://h/DDF.xml")
    entries, _ = read_ddf_index((fixture_registry / "DDF.xml").read_bytes(), "http://h/r/", "x")
    device = next(e for e in entries if (e.object_id, e.ver) == (3, "1.0"))
    assert device.object_link == "http://h/r/version_history/3-1_0.xml"


# -- /export.zip ---------------------------------------------------------------------------------


def unzip(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="lwm2m-registry.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    assert archive.testzip() is None
    return {name: archive.read(name) for name in archive.namelist()}


def test_zip_of_the_list_laid_out_as_the_registry(client, synced, fixture_registry):
    files = unzip(client.get("/export.zip"))
    definitions = ["3.xml", "3303.xml", "3304.xml", "10241.xml", "10300.xml"]
    assert sorted(files) == sorted(
        ["DDF.xml", "Common.xml", "LWM2M.xsd", "LWM2M-v1_1.xsd", *definitions]
    )
    for name in files:
        if name != "DDF.xml":
            assert files[name] == (fixture_registry / name).read_bytes(), name
    index = items_of(files["DDF.xml"])
    assert [(i["ObjectID"], i["Ver"], i["DDF"]) for i in index] == [
        ("3", "1.1", "3.xml"), ("2048", "1.0", ""), ("3303", "1.1", "3303.xml"),
        ("3304", "1.0", "3304.xml"), ("10241", "1.0", "10241.xml"), ("10300", "1.10", "10300.xml"),
    ]  # fmt: skip
    # The same Items as the site's own DDF.xml.
    served = {
        (i["ObjectID"], i["Ver"]): i for i in items_of(client.get("/registry/DDF.xml").content)
    }
    assert all(served[(i["ObjectID"], i["Ver"])] == i for i in index)


def test_zip_of_every_version_of_a_search(client, synced, fixture_registry):
    files = unzip(client.get("/export.zip?q=acme&versions=all"))
    assert sorted(files) == sorted(
        ["DDF.xml", "Common.xml", "LWM2M.xsd", "LWM2M-v1_1.xsd", "10241.xml", "10300.xml",
         "version_history/10300-1_9.xml"]
    )  # fmt: skip
    assert (
        files["version_history/10300-1_9.xml"]
        == (fixture_registry / "version_history" / "10300-1_9.xml").read_bytes()
    )
    index = items_of(files["DDF.xml"])
    assert [(i["ObjectID"], i["Ver"]) for i in index] == [
        ("10241", "1.0"),
        ("10300", "1.9"),
        ("10300", "1.10"),
    ]
    # The list's filters, all of them: a label.
    labelled = unzip(client.get("/export.zip?label=ext&versions=all"))
    assert sorted(
        n for n in labelled if n.endswith(".xml") and n not in {"DDF.xml", "Common.xml"}
    ) == ["3303.xml", "3304.xml", "version_history/3303-1_0.xml"]
    assert len(items_of(labelled["DDF.xml"])) == 4  # the placeholder 2048 is listed, with no file
    # Filters that take one version of an object and not another.
    older = unzip(client.get("/export.zip?lwm2m=1.0&versions=all"))
    assert "3.xml" not in older
    assert "version_history/3-1_0.xml" in older
    assert ("3", "1.1") not in [(i["ObjectID"], i["Ver"]) for i in items_of(older["DDF.xml"])]
    newer = unzip(client.get("/export.zip?lwm2m=1.1&versions=all"))
    assert sorted(newer) == [
        "10241.xml",
        "3.xml",
        "Common.xml",
        "DDF.xml",
        "LWM2M-v1_1.xsd",
        "LWM2M.xsd",
    ]
    assert [(i["ObjectID"], i["Ver"]) for i in items_of(newer["DDF.xml"])] == [
        ("3", "1.1"), ("10241", "1.0")
    ]  # fmt: skip
    nothing = unzip(client.get("/export.zip?q=nosuchobjectanywhere"))
    assert items_of(nothing["DDF.xml"]) == []
    assert "3.xml" not in nothing


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.lists(
        st.tuples(
            st.sampled_from(
                ["q", "label", "owner", "lwm2m", "quality", "versions", "sort", "page"]
            ),
            st.one_of(
                st.sampled_from(["all", "oma", "ext", "1.0", "3", "%", "\x00", ""]), st.text()
            ),
        ),
        max_size=6,
    )
)
def test_any_query_gives_a_valid_zip(client, synced, query):
    response = client.get("/export.zip?" + urlencode(query))
    files = unzip(response)
    listed = [i["DDF"] for i in items_of(files["DDF.xml"]) if i["DDF"]]
    assert sorted(listed) == sorted(
        n for n in files if n not in {"DDF.xml", "Common.xml", "LWM2M.xsd", "LWM2M-v1_1.xsd"}
    )


def test_zip_head_and_the_list_link(client, synced):
    head = client.head("/export.zip?label=oma")
    assert head.status_code == 200
    assert head["Content-Type"] == "application/zip"
    assert b"".join(head.streaming_content) == b""
    page = client.get("/?label=ext&sort=name").content.decode()
    assert '<a href="/export.zip?label=ext&amp;sort=name" download' in page


# -- the full registry, served for real ----------------------------------------------------------


def snapshot_or_skip():
    if not (SNAPSHOT / "DDF.xml").is_file():
        message = f"the registry snapshot is not at {SNAPSHOT}"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI must run the snapshot tests")
        pytest.skip(message)
    return SNAPSHOT


@pytest.fixture(scope="module")
def served_snapshot(tmp_path_factory):
    """The site, served by Granian with a database of its own, synced from the snapshot."""
    snapshot = snapshot_or_skip()
    database = ExternalDatabase(tmp_path_factory.mktemp("served"))
    try:
        site = SiteServer(database.url, workers=2).prepare(snapshot)
        with site:
            yield site
    finally:
        database.drop()


def snapshot_versions():
    """(ObjectID, Ver, DDF) of each Item of the snapshot's own DDF.xml, in its order."""
    return [
        (int(i["ObjectID"]), i["Ver"], i["DDF"])
        for i in items_of((SNAPSHOT / "DDF.xml").read_bytes())
    ]


@pytest.mark.snapshot
@pytest.mark.slow
def test_an_anjay_like_client_reads_the_site_as_the_registry(served_snapshot):
    registry = anjay_like_client.Registry(served_snapshot.url + "/registry")
    theirs = snapshot_versions()
    assert len(theirs) == 437
    assert registry.versions() == [(oid, ver) for oid, ver, _ in theirs]
    assert len(registry.objects) == 340
    # The latest of each object is the snapshot's latest (its last Item, the highest Ver).
    last = {oid: ver for oid, ver, _ in theirs}
    assert {oid: registry.latest(oid).ver for oid in registry.objects} == last
    fetched = 0
    for oid, items in registry.objects.items():
        for item in items:
            original = next(ddf for o, v, ddf in theirs if (o, v) == (oid, item.ver))
            assert item.ddf == original, (oid, item.ver)  # the same file names, placeholders too
            if not original:
                with pytest.raises(ValueError, match="no XML definition"):
                    registry.definition(oid, item.ver)
                continue
            assert registry.definition(oid, item.ver) == (SNAPSHOT / original).read_bytes()
            fetched += 1
    assert fetched == 424
    # Without a version, the tool's default: the latest.
    assert registry.definition(3303) == (SNAPSHOT / "3303.xml").read_bytes()
    # Given the folder with a trailing slash, the tool asks `.../registry//DDF.xml`: it works.
    assert (
        anjay_like_client.Registry(served_snapshot.url + "/registry/").versions()
        == registry.versions()
    )


@pytest.mark.snapshot
@pytest.mark.slow
def test_another_mirror_syncs_from_the_sites_layout(served_snapshot, tmp_path):
    database = ExternalDatabase(tmp_path)
    try:
        env = site_env(database.url)
        manage(env, "migrate", "--noinput", "-v0")
        result = manage(env, "sync_registry", served_snapshot.url + "/registry/")
        assert "Synced 437 versions of 340 objects" in result.stdout
        ((versions, ok, resources, common),) = database.query(
            "SELECT versions, definitions_ok, resources, common_resources FROM objects_syncrun"
            " WHERE outcome = 'ok'"
        )
        assert (versions, ok, resources) == (437, 424, 4506)
        assert database.query("SELECT count(*) FROM objects_objectversion")[0][0] == 437
        assert (
            database.query("SELECT count(*) FROM objects_objectversion WHERE status = 'ok'")[0][0]
            == 424
        )
        assert database.query("SELECT count(*) FROM objects_resource")[0][0] == 4506
        assert common == database.query("SELECT count(*) FROM objects_commonresource")[0][0] > 100
        links = database.query(
            "SELECT object_link FROM objects_objectversion WHERE object_id = 3 ORDER BY ver_minor"
        )
        assert [link for (link,) in links][-1] == served_snapshot.url + "/registry/3.xml"
        # The definitions are the snapshot's files, byte for byte.
        shas = {
            (oid, ver): sha
            for oid, ver, sha in database.query(
                "SELECT object_id, ver, definition_sha256 FROM objects_objectversion"
            )
        }
        for oid, ver, ddf in snapshot_versions():
            expected = hashlib.sha256((SNAPSHOT / ddf).read_bytes()).hexdigest() if ddf else ""
            assert shas[(oid, ver)] == expected, (oid, ver)
        # Again: every definition and file is asked for conditionally, and none comes again.
        again = manage(env, "sync_registry", served_snapshot.url + "/registry/").stdout
        assert "0 definitions downloaded, 424 not modified" in again
    finally:
        database.drop()


@pytest.mark.snapshot
@pytest.mark.slow
def test_the_zip_of_the_oma_objects(served_snapshot):
    response = requests.get(served_snapshot.url + "/export.zip?label=oma", timeout=60)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    index = items_of(archive.read("DDF.xml"))
    latest = {}
    for oid, ver, ddf in snapshot_versions():
        latest[oid] = (ver, ddf)
    labels = {
        int(i["ObjectID"]): i["Source"] for i in items_of((SNAPSHOT / "DDF.xml").read_bytes())
    }
    oma = {oid: latest[oid] for oid in latest if labels[oid] == "0"}
    assert len(oma) == len(index) == 41
    assert [(int(i["ObjectID"]), i["Ver"], i["DDF"]) for i in index] == [
        (oid, ver, ddf) for oid, (ver, ddf) in sorted(oma.items())
    ]
    definitions = {name for name in archive.namelist() if name not in {"DDF.xml", "Common.xml"}}
    definitions -= {"LWM2M.xsd", "LWM2M-v1_1.xsd"}
    assert definitions == {ddf for ver, ddf in oma.values() if ddf}
    for name in definitions:
        assert archive.read(name) == (SNAPSHOT / name).read_bytes(), name
    for name in ("Common.xml", "LWM2M.xsd", "LWM2M-v1_1.xsd"):
        assert archive.read(name) == (SNAPSHOT / name).read_bytes()


@pytest.fixture
def full(full_registry, db):
    return full_registry


@pytest.mark.snapshot
@pytest.mark.slow
def test_the_zip_of_every_version_streams_in_small_chunks(client, full, settings):
    """Past the answers' store's bound (here 128 KB), the zip is streamed as it is made."""
    settings.ANSWER_CACHE_BYTES = 1024 * 1024
    versions = with_body(ObjectVersion.objects.all())
    sizes = [len(d) for d in versions.values_list("definition", flat=True) if d]
    total, largest = sum(sizes), max(sizes)
    assert len(sizes) == 424
    assert total > 3_000_000
    response = client.get("/export.zip?versions=all")
    assert isinstance(response, StreamingHttpResponse)
    chunks = []
    with tempfile.TemporaryFile() as spool:
        tracemalloc.start()
        try:
            for chunk in response.streaming_content:
                chunks.append(len(chunk))
                spool.write(chunk)
                del chunk
            _, peak = tracemalloc.get_traced_memory()
        finally:
            # The client closes the response when its content ends: closed again by hand, it
            # would close the session's shared connection (full_registry) on PostgreSQL.
            tracemalloc.stop()
        spool.seek(0)
        archive = zipfile.ZipFile(spool)
        names = archive.namelist()
        assert len(names) == 424 + 4
        assert len(items_of(archive.read("DDF.xml"))) == 437
        original = (SNAPSHOT / "version_history" / "3-1_0.xml").read_bytes()
        assert archive.read("version_history/3-1_0.xml") == original
    print(f"zip of {total:,} bytes of definitions: {len(chunks)} chunks, peak {peak:,} bytes")
    assert len(chunks) >= 424
    # One file's worth at a time (the last chunk is the central directory), never the whole.
    assert max(chunks[:-1]) <= largest + 1024
    # What stays is the deflate state (~260 KB), the zip's directory entries and DDF.xml's
    # Items (~250 KB for the whole registry), not the definitions (3.6 MB): about 0.9 MB.
    assert peak < total / 3


# -- the folders, for a person -------------------------------------------------------------------


def test_the_folders_are_browsable_pages(client, synced, fixture_registry):
    root = client.get("/registry/")
    assert root.status_code == 200
    assert root["Content-Type"].startswith("text/html")
    html = root.content.decode()
    for href in ("DDF.xml", "Common.xml", "LWM2M.xsd", "LWM2M-v1_1.xsd", "version_history/"):
        assert f'href="/registry/{href}"' in html
    # The latest version of each object with a stored definition, under its registry name.
    assert re.findall(r'<a href="/registry/(\d+\.xml)">', html) == [
        "3.xml", "3303.xml", "3304.xml", "10241.xml", "10300.xml",
    ]  # fmt: skip
    history = client.get("/registry/version_history/").content.decode()
    listed = re.findall(r'<a href="/registry/version_history/([^"]+)">', history)
    assert listed == [
        "3-1_0.xml", "3-1_1.xml", "3303-1_0.xml", "3303-1_1.xml", "3304-1_0.xml",
        "10241-1_0.xml", "10300-1_9.xml", "10300-1_10.xml",
    ]  # fmt: skip
    assert client.get("/registry/version_history").status_code == 200
    # Every file it links to is served, the same bytes as the registry's own.
    assert client.get("/registry/3303.xml").content == (fixture_registry / "3303.xml").read_bytes()
    for name in listed:
        assert client.get(f"/registry/version_history/{name}").status_code == 200
