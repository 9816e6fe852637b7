"""The site as `make run` serves it (issue 23): hundreds of half-open connections hold no worker,
keep-alive works, and a 2 GB upload is refused from its headers while its body trickles."""

import http.client
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


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`make run` on a free port, one worker, a database of its own synced from the fixture
    registry (the command's own first sync)."""
    database = tmp_path_factory.mktemp("make-run") / "site.sqlite3"
    port = free_port()
    env = site_env(f"sqlite:///{database}", REGISTRY_SOURCE=str(FIXTURE_REGISTRY))
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
