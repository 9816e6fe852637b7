"""A WSGI application behind the server's front (registry_site/front.py), served by
tests/views/test_server_front.py as make run serves the site: answers as long as the tests
need, to stage clients that stop reading or leave in the middle of one."""

import logging
import os
import time

from django.conf import settings

settings.configure(
    SEND_TIMEOUT=float(os.environ.get("SEND_TIMEOUT", "2")),
    # Far from SEND_TIMEOUT: a front that waits on the one for the other is seen.
    REQUEST_BODY_TIMEOUT=float(os.environ.get("REQUEST_BODY_TIMEOUT", "9")),
    MAX_REQUEST_BODY=1024 * 1024,
)

from registry_site.front import Front  # noqa: E402  (the settings first)

PIECE = b"x" * 16 * 1024
WHOLE = 16 * 1024 * 1024  # bytes of /whole, an answer made whole before it is sent
HEAVY_SECONDS = 3  # of CPU, each /heavy answer
# Where each answer's thread records how far it got and that its iterable was closed, and the
# front what it logs (an answer ended early).
LOG = os.environ["FRONT_APP_LOG"]
front_log = logging.getLogger("registry_site.front")
front_log.addHandler(logging.FileHandler(LOG))
front_log.setLevel(logging.INFO)


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


class Whole(list):
    """One piece of WHOLE bytes (as a Django HttpResponse is), its close recorded."""

    def close(self):
        with open(LOG, "a") as log:
            log.write("closed /whole after 1 pieces\n")


def burn(seconds):
    """CPU, as a build of the whole registry's code takes (the GIL held most of the time)."""
    deadline = time.thread_time() + seconds
    while time.thread_time() < deadline:
        sum(range(10_000))


def wsgi(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/long":
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return endless(path)
    if path == "/whole":
        body = b"w" * WHOLE
        start_response("200 OK", [("Content-Type", "application/octet-stream"),
                                  ("Content-Length", str(WHOLE))])  # fmt: skip
        return Whole([body])
    if path == "/heavy":
        burn(HEAVY_SECONDS)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"built"]
    body = environ["wsgi.input"].read()
    if path == "/echo":
        with open(LOG, "a") as log:
            log.write(f"read {len(body)} bytes\n")
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok " + str(len(body)).encode()]


application = Front(wsgi, threads=2, heavy_paths=("/heavy",), heavy_threads=2, retry_after=7)
