"""A request body is refused from its headers (issue 23): a Content-Length over the limit is a
413 before a byte of the body is read, on every URL, so a huge or stalled upload costs nothing."""

import socket
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings

LIMIT = 1024 * 1024 + 64 * 1024


@pytest.mark.parametrize(
    "path", ["/", "/validate/", "/api/v1/decode/", "/admin/login/", "/nowhere"]
)
def test_an_oversized_content_length_is_refused_unread(client, db, path):
    assert settings.MAX_REQUEST_BODY == LIMIT
    response = client.generic(
        "POST", path, b"x", content_type="application/octet-stream",
        CONTENT_LENGTH=str(2_000_000_000),
    )  # fmt: skip
    assert response.status_code == 413
    assert response["Connection"] == "close"
    if path.startswith("/api/"):
        assert response.json() == {"error": f"The request body is over the {LIMIT:,}-byte limit."}


def test_a_content_length_that_is_no_number_is_a_400(client, db):
    response = client.generic("POST", "/validate/", b"", CONTENT_LENGTH="12, 34")
    assert response.status_code == 400


def test_a_body_at_the_limit_passes_the_limit(client, db):
    response = client.generic(
        "POST", "/api/v1/decode/", b"x" * LIMIT, content_type="application/octet-stream",
    )  # fmt: skip
    assert response.status_code != 413


def test_a_served_site_answers_a_2_gb_upload_before_its_body(site):
    """Headers that announce 2 GB, then nothing: the 413 comes at once, the body never read."""
    address = urlsplit(site.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(
            b"POST /validate/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 2000000000\r\n\r\n"
        )
        start = time.monotonic()
        answer = connection.recv(4096)
        waited = time.monotonic() - start
    assert answer.startswith(b"HTTP/1.1 413")
    assert waited < 5  # generous: no body was waited for
