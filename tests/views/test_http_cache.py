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


def varied(response):
    return {name.strip().lower() for name in response["Vary"].split(",")}


EVERY_VARY = {
    "hx-request", "hx-history-restore-request", "hx-trigger", "hx-current-url", "accept",
    "accept-encoding",
}  # fmt: skip


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_a_200_and_its_304_vary_by_the_same_headers(client, synced, encoding):
    """A shared cache keeps one answer per value of each header named in Vary: the 304 names
    them as the 200 did, whether the answer was stored or not (stored: the second 304)."""
    page = client.get("/resources/", HTTP_ACCEPT_ENCODING=encoding)
    assert varied(page) == EVERY_VARY
    for _ in range(2):
        again = client.get(
            "/resources/", HTTP_ACCEPT_ENCODING=encoding, HTTP_IF_NONE_MATCH=page["ETag"]
        )
        assert again.status_code == 304
        assert varied(again) == EVERY_VARY


def test_a_failed_if_none_match_is_a_200_whatever_if_modified_since_says(client, synced):
    """If-None-Match decides when it is sent (RFC 9110 13.2.2): a Last-Modified that matches
    does not make another version's copy current."""
    first = client.get("/objects/3303/")
    for _ in range(2):  # built, then stored
        again = client.get(
            "/objects/3303/",
            HTTP_IF_NONE_MATCH='"another-version"',
            HTTP_IF_MODIFIED_SINCE=first["Last-Modified"],
        )
        assert again.status_code == 200
        assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize("path", ["/objects/3303/", "/registry/DDF.xml"])
@pytest.mark.parametrize("unreadable", ["", "abc", "W/abc"])
def test_an_if_none_match_with_no_etag_still_overrides_if_modified_since(
    client, synced, path, unreadable
):
    """RFC 9110 13.1.3: If-Modified-Since is ignored whenever If-None-Match is sent, even one
    naming no well-formed ETag (Django's get_conditional_response reads it then: a 304)."""
    first = client.get(path)
    for _ in range(2):  # built, then stored
        again = client.get(
            path, HTTP_IF_NONE_MATCH=unreadable, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
        )
        assert again.status_code == 200
        assert again.content == first.content


def test_without_site_url_the_origin_is_part_of_the_key(client, synced, settings):
    """Links are the request's scheme and host's: an answer for one host is never another's."""
    settings.SITE_URL = ""
    local = client.get("/changes.atom", HTTP_HOST="localhost")
    other = client.get("/changes.atom", HTTP_HOST="127.0.0.1")
    assert local["ETag"] != other["ETag"]
    assert "http://127.0.0.1/" in other.content.decode()
    assert "http://localhost/" not in other.content.decode()
    secure = client.get("/changes.atom", HTTP_HOST="localhost", secure=True)
    assert secure["ETag"] != local["ETag"]


def test_a_cold_compressed_304_carries_the_weak_etag(client, synced):
    """Nothing stored for a gzip client yet: its 304 names the weak ETag its 200 will carry."""
    identity = client.get("/resources/")  # stores the identity answer only
    cold = client.get(
        "/resources/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=identity["ETag"]
    )
    assert cold.status_code == 304
    assert cold["ETag"] == "W/" + identity["ETag"]
    zipped = client.get("/resources/", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["ETag"] == cold["ETag"]


@pytest.mark.parametrize("vary", ["User-Agent", "Cookie, User-Agent", "*", "X-Anything"])
def test_an_answer_that_varies_by_another_header_is_never_stored(rf, synced, vary):
    """Only what the store's key holds may be varied on: any other header's value would be
    the first visitor's for everyone."""
    from django.http import HttpResponse

    from registry_site.http_cache import http_cache

    made = []

    def view(request):
        response = HttpResponse(f"<p>for {request.headers.get('User-Agent')}</p>" * 50)
        response["Vary"] = vary
        made.append(response)
        return response

    middleware = http_cache(view)
    for agent in ("first", "second"):
        answer = middleware(rf.get("/objects/3/", HTTP_USER_AGENT=agent))
        assert f"for {agent}" in answer.content.decode()
    assert len(made) == 2


@pytest.mark.parametrize("vary", ["HX-Request", "Accept, HX-Trigger", "Accept-Encoding"])
def test_an_answer_that_varies_by_what_the_key_holds_is_stored(rf, synced, vary):
    from django.http import HttpResponse

    from registry_site.http_cache import http_cache

    made = []

    def view(request):
        response = HttpResponse("<p>everyone's</p>" * 50)
        response["Vary"] = vary
        made.append(response)
        return response

    middleware = http_cache(view)
    for _ in range(2):
        assert middleware(rf.get("/objects/3/")).status_code == 200
    assert len(made) == 1


@pytest.mark.parametrize(
    "current, header, value",
    [
        ("http://testserver/", "HX-Push-Url", "/?q=acme"),
        ("http://testserver/?q=acme", "HX-Push-Url", "false"),
        ("http://testserver/?q=acm", "HX-Replace-Url", "/?q=acme"),
        ("http://testserver/", "HX-Push-Url", "/?q=acme"),  # stored before: served again
    ],
)
def test_a_history_header_is_the_requests_own(client, synced, current, header, value):
    """The list's history header depends on the URL the browser shows (HX-Current-URL): never
    the first visitor's for every later one, here or in a cache keyed by Vary."""
    for trigger in ("q", "q"):  # built, then stored
        response = client.get(
            "/?q=acme", HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER=trigger,
            HTTP_HX_CURRENT_URL=current,
        )  # fmt: skip
        assert response[header] == value
        assert "hx-current-url" in varied(response)


def test_the_history_headers_of_every_visitor_in_turn(client, synced):
    """One after the other in one process: each sees its own, not the one stored before."""
    shown = {"http://testserver/": "/?q=acme", "http://testserver/?q=acme": "false"}
    for current in [*shown, *shown]:
        response = client.get(
            "/?q=acme", HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="list-form",
            HTTP_HX_CURRENT_URL=current,
        )  # fmt: skip
        assert response["HX-Push-Url"] == shown[current]
