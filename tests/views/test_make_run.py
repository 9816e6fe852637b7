"""The site as `make run` serves it (issue 23): hundreds of half-open connections hold no worker,
keep-alive works, a 2 GB upload is refused from its headers while its body trickles, and a body
that trickles under the limit is let go after REQUEST_BODY_TIMEOUT, holding no thread."""

import http.client
import json
import os
import signal
import socket
import subprocess
import time

import pytest
import requests

from tests.conftest import FIXTURE_REGISTRY
from tests.servers import PROJECT, free_port, site_env, wait_until_healthy

pytestmark = pytest.mark.slow
SLOW_CLIENTS = 200
BODY_TIMEOUT = 2  # seconds, REQUEST_BODY_TIMEOUT of the served site
LIMIT = 1024 * 1024 + 64 * 1024  # MAX_REQUEST_BODY's default


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`make run` on a free port, one worker, a database of its own synced from the fixture
    registry (the command's own first sync)."""
    database = tmp_path_factory.mktemp("make-run") / "site.sqlite3"
    port = free_port()
    env = site_env(
        f"sqlite:///{database}",
        REGISTRY_SOURCE=str(FIXTURE_REGISTRY),
        REQUEST_BODY_TIMEOUT=str(BODY_TIMEOUT),
    )
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run", "HOST=127.0.0.1", f"PORT={port}", "WORKERS=1"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # make and the server it starts, stopped as one group
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, timeout=180)
        yield url, port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def half_open(port, count):
    """Connections that send half their headers and wait."""
    connections = []
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port), timeout=10)
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        connections.append(connection)
    return connections


def test_half_open_connections_hold_no_worker(served):
    url, port = served
    slow = half_open(port, SLOW_CLIENTS)
    try:
        for path in ("/healthz", "/", "/api/lwm2m/v1/Object?ObjectID=3303"):
            start = time.monotonic()
            response = requests.get(url + path, timeout=10)
            assert response.status_code == 200, path
            assert time.monotonic() - start < 1, path  # generous: ~10 ms here
    finally:
        for connection in slow:
            connection.close()


def test_keep_alive(served):
    """Two requests on one connection: the second finds the first's socket open."""
    _, port = served
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/healthz")
        first = connection.getresponse()
        assert first.read() == b"ok"
        sock = connection.sock
        assert sock is not None  # not closed after the answer
        connection.request("GET", "/objects/3303/")
        second = connection.getresponse()
        assert second.status == 200
        assert connection.sock is sock
        second.read()
    finally:
        connection.close()


def test_a_2_gb_upload_is_refused_while_its_body_trickles(served):
    _, port = served
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            b"POST /validate/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 2000000000\r\n\r\n--x\r\n"
        )
        start = time.monotonic()
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")
    assert time.monotonic() - start < 5


def trickling(port, count):
    """POSTs that announce a small body, send a few bytes of it and wait."""
    connections = []
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port), timeout=10)
        connection.sendall(
            b"POST /api/v1/decode/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"fo'
        )
        connections.append(connection)
    return connections


def test_trickled_bodies_hold_no_thread_and_are_let_go(served):
    """More trickling bodies than the worker has threads (THREADS=2): the site still answers at
    once, and each trickler gets a 408 and a closed connection after REQUEST_BODY_TIMEOUT."""
    url, port = served
    slow = trickling(port, 4)
    try:
        start = time.monotonic()
        response = requests.get(url + "/healthz", timeout=10)
        assert response.status_code == 200
        assert time.monotonic() - start < 1  # generous: ~10 ms here
        for connection in slow:
            answer = connection.recv(4096)
            assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
            assert b"\r\nconnection: close\r\n" in answer.lower()
        waited = time.monotonic() - start
        assert BODY_TIMEOUT - 0.5 < waited < BODY_TIMEOUT + 8
    finally:
        for connection in slow:
            connection.close()


def chunked_post(port, path, body, piece=1000):
    """A POST of `body` in chunks of `piece` bytes; the status line and the answer's body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        chunks = (body[i : i + piece] for i in range(0, len(body), piece))
        connection.request(
            "POST", path, body=chunks, encode_chunked=True,
            headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        )  # fmt: skip
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_a_chunked_body_under_the_limit_is_read_whole(served):
    _, port = served
    parameters = {"format": "tlv", "path": "/3303/0", "payload_hex": "e81644084037800000000000"}
    status, answer = chunked_post(port, "/api/v1/decode/", json.dumps(parameters).encode(), 7)
    assert status == 200, answer
    assert [node["Value"] for node in json.loads(answer)["Nodes"]] == [23.5]


def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit(served):
    """One byte past the limit, then the client waits: the 413 comes without the body's end."""
    _, port = served
    piece = b"0" * (64 * 1024)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            b"POST /api/v1/decode/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        for _ in range(LIMIT // len(piece)):
            connection.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        connection.sendall(b"1\r\n0\r\n")  # the byte past the limit, and no last chunk
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:100]
    assert b"limit" in answer
