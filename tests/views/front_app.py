"""A WSGI application behind the server's front (registry_site/front.py), served by
tests/views/test_server_front.py as make run serves the site: answers as long as the tests
need, to stage clients that stop reading or leave in the middle of one."""

import os

from django.conf import settings

settings.configure(
    SEND_TIMEOUT=float(os.environ.get("SEND_TIMEOUT", "2")),
    REQUEST_BODY_TIMEOUT=2.0,
    MAX_REQUEST_BODY=1024 * 1024,
)

from registry_site.front import Front  # noqa: E402  (the settings first)

PIECE = b"x" * 16 * 1024
# Where each answer's thread records how far it got and that its iterable was closed.
LOG = os.environ["FRONT_APP_LOG"]


def endless(path):
    """Pieces of 16 KB up to 1 GB, more than any socket buffer holds."""
    with open(LOG, "a") as log:
        log.write(f"started {path}\n")
    made = 0
    try:
        while made < 64 * 1024:
            yield PIECE
            made += 1
    finally:
        with open(LOG, "a") as log:
            log.write(f"closed {path} after {made} pieces\n")


def wsgi(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/long":
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return endless(path)
    body = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok " + str(len(body)).encode()]


application = Front(wsgi, threads=2)
