"""Validators and a cache policy on every public answer (issue 23): ETag and Last-Modified from
the live data, 304 to If-None-Match and If-Modified-Since before the view runs, a sync that
changes nothing moving neither, private for staff pages and forms."""

import pytest

from objects.sync.pipeline import sync_registry

pytestmark = pytest.mark.django_db

PUBLIC_ANSWERS = [
    "/", "/?q=temperature&label=ext", "/objects/3303/", "/objects/3303/compare/1.0...1.1/",
    "/objects/3303/1.1/definition/", "/resources/", "/resources/5700/", "/ids/?id=3303",
    "/quality/", "/changes/", "/changes.atom", "/api/v1/objects/3303/1.1/",
    "/api/v1/changes/", "/export.csv", "/export.json", "/objects/3303/code/", "/decode/",
    # Code, the ZIP exports and the repository layout; the mirror's list and the files whose
    # views set the ETag of their bytes.
    "/objects/3303/1.1/code/anjay.c", "/code.zip?id=3303&target=all", "/export.zip",
    "/registry/", "/registry/version_history/", "/registry/DDF.xml", "/registry/3303.xml",
    "/objects/3303/1.1/definition.xml", "/api/lwm2m/v1/Object",
]  # fmt: skip


@pytest.mark.parametrize("path", PUBLIC_ANSWERS)
def test_every_public_answer_has_validators_and_a_304(client, synced, path):
    first = client.get(path)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=60, stale-while-revalidate=600"
    for headers in (
        {"HTTP_IF_NONE_MATCH": etag},
        {"HTTP_IF_NONE_MATCH": f'"other", W/{etag}'},
        {"HTTP_IF_MODIFIED_SINCE": modified},
    ):
        again = client.get(path, **headers)
        assert again.status_code == 304, headers
        assert again.content == b""
        assert again["ETag"] == etag
    assert client.get(path, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_fragment_and_its_page_have_other_validators(client, synced):
    page = client.get("/?q=temperature")
    fragment = client.get("/?q=temperature", HTTP_HX_REQUEST="true")
    assert page["ETag"] != fragment["ETag"]
    assert "HX-Request" in fragment["Vary"]
    cached = client.get("/?q=temperature", HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=page["ETag"])
    assert cached.status_code == 200  # the page's validator never answers for the fragment


def test_a_sync_that_changes_nothing_moves_no_validator(
    client, synced, fixture_registry, renamed_registry
):
    before = client.get("/objects/3303/")
    sync_registry(str(fixture_registry))  # the same data
    same = client.get("/objects/3303/")
    assert (same["ETag"], same["Last-Modified"]) == (before["ETag"], before["Last-Modified"])
    assert client.get("/objects/3303/", HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304
    sync_registry(str(renamed_registry))
    changed = client.get("/objects/3303/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != before["ETag"]
    assert "(renamed)" in changed.content.decode()


def test_new_data_at_the_same_source_moves_every_validator(client, db, renamed_registry):
    """The source's files change in place: the old ETag is never a 304 again."""
    index = renamed_registry / "DDF.xml"
    renamed = index.read_text()
    index.write_text(renamed.replace(" (renamed)</Name>", "</Name>"))
    sync_registry(str(renamed_registry))
    before = client.get("/objects/3303/")
    index.write_text(renamed)
    sync_registry(str(renamed_registry))
    changed = client.get("/objects/3303/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != before["ETag"]
    assert "(renamed)" in changed.content.decode()


def test_forms_and_staff_pages_are_private(client, synced, django_user_model):
    assert client.get("/validate/")["Cache-Control"] == "private, no-cache"
    staff = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(staff)
    for path in ("/", "/sync/"):
        response = client.get(path)
        assert response["Cache-Control"] == "private, no-cache", path
        assert not response.has_header("ETag")


@pytest.mark.parametrize(
    "path", ["/resources/", "/export.zip", "/registry/DDF.xml", "/objects/3303/1.1/definition.xml"]
)
def test_gzip_and_identity_never_share_a_strong_etag(client, synced, path):
    """Either the compressed answer's ETag is weak, or it is another strong one; its 304
    carries the ETag its 200 would."""
    identity = client.get(path)
    zipped = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert zipped["ETag"].startswith("W/")
    assert not identity["ETag"].startswith("W/")
    for etag in (identity["ETag"], zipped["ETag"]):
        again = client.get(path, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304
        assert again["ETag"] == zipped["ETag"]
