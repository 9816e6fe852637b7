"""HTTP as clients and probes rely on it: HEAD wherever GET works, JSON errors under /api/,
404 for a missing object, a throttled admin login, streamed exports compressed."""

import gzip

import pytest
import requests
from django.contrib.auth.models import User
from django.test import RequestFactory

from objects.views.errors import csrf_failure, handler403, handler500
from tests.conftest import FIXTURE_REGISTRY
from tests.servers import SiteServer

URL_KINDS = [
    ("/", 200), ("/?q=temperature&label=ext", 200), ("/objects/", 302), ("/export.csv", 200),
    ("/export.json?q=device", 200), ("/healthz", 200), ("/api/lwm2m/v1/Object", 200),
    ("/api/lwm2m/v1/Object?ObjectID=3&ObjectVersion=latest", 200),
    ("/api/lwm2m/v1/Object?ObjectID=4", 404), ("/api/v1/objects/3/1.0/", 200),
    ("/api/v1/objects/3/7.0/", 404), ("/objects/3/", 200), ("/objects/3/1.0/", 200),
    ("/objects/4/", 404), ("/objects/3/1.0/definition/", 200),
    ("/objects/3/1.0/definition.xml", 200), ("/objects/2048/1.0/definition.xml", 404),
    ("/objects/3/compare/1.0...1.1/", 200), ("/objects/3/compare/?a=1.0&b=1.1", 302),
    ("/no/such/page", 404), ("/static/css/site.css", 200), ("/resources/export.csv", 200),
    ("/api/lwm2m/v1/Object?ObjectVersion=latest", 200),
]  # fmt: skip
# Headers that may differ between two answers of the same resource: the date, and the framing
# of a streamed answer (the server sends a GET's chunked; a HEAD has no body to frame).
VOLATILE = {"date", "transfer-encoding"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    database = tmp_path_factory.mktemp("http") / "site.sqlite3"
    with SiteServer(f"sqlite:///{database}", workers=1).prepare(FIXTURE_REGISTRY) as server:
        yield server


def without(headers, *names):
    return {k.lower(): v for k, v in headers.items() if k.lower() not in {*VOLATILE, *names}}


@pytest.mark.parametrize("path, status", URL_KINDS)
def test_head_answers_as_get_without_a_body(site, path, status):
    """What `curl -I` sees: the GET's status and headers, and no body."""
    url = site.url + path
    plain = {"Accept-Encoding": "identity"}
    get = requests.get(url, allow_redirects=False, timeout=10, headers=plain)
    head = requests.head(url, allow_redirects=False, timeout=10, headers=plain)
    assert get.status_code == head.status_code == status
    assert head.content == b""
    assert without(head.headers) == without(get.headers)
    # Gzipped, the length varies from answer to answer (Django pads against BREACH), and a short
    # answer whose padded gzip would be longer goes out plain.
    get = requests.get(url, allow_redirects=False, timeout=10)
    head = requests.head(url, allow_redirects=False, timeout=10)
    volatile = ("content-length", "content-encoding")
    assert without(head.headers, *volatile) == without(get.headers, *volatile)


@pytest.mark.parametrize(
    "path", ["/export.csv?versions=all", "/export.json?versions=all", "/resources/export.csv"]
)
def test_exports_are_whole_and_compressed(site, path):
    """Under the answers' store's bound, sent whole (its length known up front: a download
    shows its progress), gzipped by the middleware for a client that takes it: the same bytes
    either way."""
    url = site.url + path
    plain = requests.get(url, headers={"Accept-Encoding": "identity"}, timeout=10)
    assert plain.status_code == 200
    assert len(plain.content) > 400
    assert "Transfer-Encoding" not in plain.headers
    assert plain.headers["Content-Length"] == str(len(plain.content))
    assert "Content-Encoding" not in plain.headers
    zipped = requests.get(url, timeout=10, stream=True)
    raw = zipped.raw.read(decode_content=False)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(raw) == plain.content
    assert zipped.headers["Content-Disposition"] == plain.headers["Content-Disposition"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
@pytest.mark.parametrize("path", ["/api/lwm2m/v1/Object", "/api/v1/objects/3/1.0/"])
def test_api_refuses_other_methods_in_json(site, method, path):
    response = requests.request(method, site.url + path, timeout=10)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
    assert response.headers["Content-Type"] == "application/json"
    assert "not allowed" in response.json()["error"]


def test_api_errors_are_json(site):
    for method, path, status in [
        ("POST", "/api/no/such/endpoint", 404),
        ("GET", "/api/lwm2m/v1/Object?ObjectID=99999", 404),
        ("GET", "/api/lwm2m/v1/Object?ObjectID=abc", 400),
        ("GET", "/api/lwm2m/v1/Object?ObjectVersion=1.0", 400),
    ]:
        response = requests.request(method, site.url + path, timeout=10)
        assert response.status_code == status, path
        assert response.headers["Content-Type"] == "application/json"
        assert response.json()["error"]
    bad_host = requests.get(site.url + "/api/lwm2m/v1/Object", headers={"Host": "evil.example"})
    assert bad_host.status_code == 400
    assert bad_host.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("handler, status", [(handler403, 403), (handler500, 500)])
def test_error_handlers_answer_json_under_api_only(handler, status):
    args = () if handler is handler500 else (Exception(),)
    api = handler(RequestFactory().get("/api/v1/objects/3/1.0/"), *args)
    assert api.status_code == status
    assert api["Content-Type"] == "application/json"
    page = handler(RequestFactory().get("/objects/3/"), *args)
    assert page.status_code == status
    assert page["Content-Type"].startswith("text/html")


def test_a_refused_csrf_check_under_api_is_json():
    response = csrf_failure(RequestFactory().post("/api/lwm2m/v1/Object"), reason="no token")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    page = csrf_failure(RequestFactory().post("/admin/login/"), reason="no token")
    assert page.status_code == 403
    assert page["Content-Type"].startswith("text/html")


def test_other_methods_on_pages_are_405(site):
    for path in ("/", "/objects/3/", "/healthz", "/objects/3/1.0/definition.xml"):
        response = requests.post(site.url + path, timeout=10)
        assert response.status_code in (403, 405), path  # 403: no CSRF token for a page POST


@pytest.mark.django_db
def test_the_admin_login_is_throttled(client, settings):
    User.objects.create_superuser("admin", "admin@example.test", "right-password")
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/admin/login/", {"username": "admin", "password": "wrong"})
        # The form again, with its error; the last failure allowed locks the pair out.
        assert response.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT else 200)
    locked = client.post("/admin/login/", {"username": "admin", "password": "right-password"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not locked out by this one's failures.
    other = client.post(
        "/admin/login/",
        {"username": "admin", "password": "right-password", "next": "/admin/"},
        REMOTE_ADDR="192.0.2.7",
    )
    assert other.status_code == 302
    assert other["Location"] == "/admin/"


@pytest.mark.parametrize("host", ["10.0.3.7", "10.0.3.7:8000", "[fd00::7]", "lb.internal"])
def test_healthz_answers_a_load_balancer_s_own_host(client, db, host):
    """A load balancer probes with its own address as Host, which ALLOWED_HOSTS does not name;
    every other page still refuses it."""
    response = client.get("/healthz", HTTP_HOST=host)
    assert (response.status_code, response.content) == (200, b"ok")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get("/", HTTP_HOST=host).status_code == 400


def test_healthz_answers_any_host_behind_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    assert client.get("/healthz", HTTP_HOST="10.0.3.7").status_code == 200
