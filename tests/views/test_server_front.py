"""The server's front (registry_site/front.py) under Granian, started by the command make run
uses (registry_site/serve.py), with an application whose answers are longer than any socket
buffer (tests/views/front_app.py): a client that stops reading is let go after SEND_TIMEOUT,
whether its answer is streamed or whole, one that leaves ends its answer at once, and a
stopping server does not wait for either. Heavy answers run on threads of their own; a body of
exactly the limit is read, a broken or abandoned one never reaches the application; headers
too slow are let go after the header-read timeout."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from registry_site.serve import command
from tests.servers import PROJECT, free_port, stop_process, wait_until, wait_until_healthy

pytestmark = pytest.mark.slow
SEND_TIMEOUT = 2  # seconds, the served front's
THREADS = 2  # front_app's
PIECES = 64 * 1024  # of 16 KB: a whole /long answer
LIMIT = 1024 * 1024  # front_app's MAX_REQUEST_BODY
WHOLE = 16 * 1024 * 1024  # bytes of front_app's /whole


class Served:
    def __init__(self, tmp_path, stop_timeout=30, header_timeout=10, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / "answers.log"
        self.log.touch()
        environment = {**os.environ, "FRONT_APP_LOG": str(self.log), **env}
        environment.setdefault("SEND_TIMEOUT", str(SEND_TIMEOUT))
        app = "tests.views.front_app:application"
        line = command(
            "127.0.0.1", self.port, 1, False, app,
            stop_timeout=stop_timeout, header_timeout=header_timeout,
        )  # fmt: skip
        self.output = tmp_path / "server.log"
        with self.output.open("w") as output:
            self.process = subprocess.Popen(
                line, cwd=PROJECT, env=environment, stdout=output, stderr=subprocess.STDOUT
            )
        wait_until_healthy(self.url, self.process)

    def closed(self):
        """How many pieces each closed answer had made."""
        lines = self.log.read_text().splitlines()
        return [int(line.split()[3]) for line in lines if line.startswith("closed")]

    def stalled_readers(self, count):
        """Connections that ask for a long answer, take its first bytes and read no more."""
        readers = []
        for _ in range(count):
            reader = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            reader.sendall(b"GET /long HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert reader.recv(1024).startswith(b"HTTP/1.1 200")
            readers.append(reader)
        return readers

    def stop(self):
        stop_process(self.process)


@pytest.fixture
def served(tmp_path):
    server = Served(tmp_path)
    yield server
    server.stop()


def test_a_client_that_reads_nothing_is_let_go_after_send_timeout(served):
    """As many stalled readers as the worker has threads: each holds its thread until
    SEND_TIMEOUT, no longer; then the site answers again, and the answers were not made whole."""
    readers = served.stalled_readers(THREADS)
    try:
        start = time.monotonic()
        response = requests.get(served.url + "/", timeout=SEND_TIMEOUT + 10)
        waited = time.monotonic() - start
        assert response.text == "ok 0"
        # Generous, yet under front_app's REQUEST_BODY_TIMEOUT (9 s): the right setting read.
        assert SEND_TIMEOUT - 0.5 < waited < SEND_TIMEOUT + 5
        wait_until(lambda: len(served.closed()) == THREADS, what="the answers' end")
        assert max(served.closed()) < PIECES // 8
    finally:
        for reader in readers:
            reader.close()


def test_a_client_that_leaves_ends_its_answer_at_once(served):
    """The server's send does not fail when the client has gone: the front hears it leave, and
    the answer's iterable is closed far before its end (and before SEND_TIMEOUT)."""
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", served.port), timeout=10) as leaving:
            leaving.sendall(b"GET /long HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert leaving.recv(1024).startswith(b"HTTP/1.1 200")
    wait_until(lambda: len(served.closed()) == 3, timeout=SEND_TIMEOUT, what="the answers' end")
    assert max(served.closed()) < PIECES // 8
    assert requests.get(served.url + "/", timeout=5).text == "ok 0"


def test_a_stopping_server_ends_the_answers_of_clients_gone(served):
    """Stopped while two answers are stalled, and their clients leave: the worker ends them and
    exits on its own, without waiting for STOP_TIMEOUT's kill."""
    readers = served.stalled_readers(THREADS)
    start = time.monotonic()
    served.process.send_signal(signal.SIGTERM)
    time.sleep(0.5)  # the stop is under way before the clients leave
    for reader in readers:
        reader.close()
    served.process.wait(timeout=30)
    assert time.monotonic() - start < 10  # its STOP_TIMEOUT is 30
    assert "Killing" not in served.output.read_text()


def test_a_stopping_server_kills_a_worker_held_by_a_client_after_stop_timeout(tmp_path):
    server = Served(tmp_path, stop_timeout=3, SEND_TIMEOUT="60")
    readers = server.stalled_readers(THREADS)
    try:
        start = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=30)
        assert time.monotonic() - start < 3 + 8
        assert "Killing worker-1" in server.output.read_text()
    finally:
        for reader in readers:
            reader.close()
        server.stop()


def test_a_client_that_reads_nothing_of_a_whole_answer_is_let_go(served):
    """An answer made whole before it is sent (16 MB) is handed over piece by piece too: a
    client that takes none of it is let go after SEND_TIMEOUT, its answer ended there and its
    thread free (Granian keeps the connection, but holds no more than the piece in flight);
    handed over at once, the whole answer would stay in the server for as long as it stays."""
    reader = socket.create_connection(("127.0.0.1", served.port), timeout=10)
    reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    try:
        start = time.monotonic()
        reader.sendall(b"GET /whole HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        ended = lambda: "GET /whole: the answer ended early" in served.log.read_text()  # noqa: E731
        wait_until(ended, timeout=SEND_TIMEOUT + 5, what="the answer's end")
        assert time.monotonic() - start > SEND_TIMEOUT - 0.5
        assert requests.get(served.url + "/", timeout=5).text == "ok 0"
    finally:
        reader.close()


@pytest.mark.parametrize(
    "size", [b"zz", b"-1", b"9" * 18, b"f" * 18, b"1;" + b"x" * 5000],
    ids=["zz", "-1", "18 digits", "18 hex digits", "a long extension"],
)  # fmt: skip
def test_a_broken_chunk_size_is_a_400(served, size):
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as connection:
        connection.sendall(
            b"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            + size + b"\r\nabc\r\n0\r\n\r\n"
        )  # fmt: skip
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:100]
    assert b"malformed" in answer


def test_headers_sent_too_slowly_are_let_go_after_the_header_read_timeout(tmp_path):
    server = Served(tmp_path, header_timeout=1)
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as slow:
            slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            start = time.monotonic()
            with contextlib.suppress(ConnectionResetError):
                slow.recv(4096)  # the server's answer (a 408, or none) and its close
            assert time.monotonic() - start < 6  # its default is 10 s
    finally:
        server.stop()


def test_heavy_answers_leave_the_threads_of_the_light_ones_free(served):
    """Ten heavy answers (3 s of CPU each) asked at once: those past the front's heavy threads
    get a 503 with Retry-After at once, and a light answer never waits for them."""
    heavy_threads, requests_at_once = 2, 10
    with ThreadPoolExecutor(requests_at_once) as pool:
        asked = [
            pool.submit(requests.get, served.url + "/heavy", timeout=60)
            for _ in range(requests_at_once)
        ]
        wait_until(lambda: sum(f.done() for f in asked) >= requests_at_once - heavy_threads,
                   timeout=10, what="the refusals")  # fmt: skip
        latencies = []
        while not all(f.done() for f in asked):
            start = time.monotonic()
            assert requests.get(served.url + "/", timeout=10).text == "ok 0"
            latencies.append(time.monotonic() - start)
        answers = [f.result() for f in asked]
    assert latencies
    assert max(latencies) < 1  # generous: ~10 ms here
    built = [a for a in answers if a.status_code == 200]
    refused = [a for a in answers if a.status_code == 503]
    assert len(built) == heavy_threads
    assert len(refused) == requests_at_once - heavy_threads
    assert all(a.headers["Retry-After"] == "7" for a in refused)


def post(port, body, chunked=False, length=None):
    """The answer's status line and body to a POST of `body` to /echo."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        head = b"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if chunked:
            pieces = [body[i : i + 65536] for i in range(0, len(body), 65536)]
            framed = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
            connection.sendall(head + b"Transfer-Encoding: chunked\r\n\r\n" + framed)
        else:
            length = len(body) if length is None else length
            connection.sendall(head + b"Content-Length: %d\r\n\r\n" % length + body)
        answer = b""
        with contextlib.suppress(ConnectionResetError):
            while piece := connection.recv(65536):
                answer += piece
    status, _, rest = answer.partition(b"\r\n")
    return status, rest.rpartition(b"\r\n\r\n")[2]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_of_exactly_the_limit_is_read_one_byte_more_refused(served, chunked):
    status, answer = post(served.port, b"b" * LIMIT, chunked)
    assert (status, answer) == (b"HTTP/1.1 200 OK", b"ok %d" % LIMIT)
    status, answer = post(served.port, b"b" * (LIMIT + 1), chunked)
    assert status.startswith(b"HTTP/1.1 413"), status
    assert b"limit" in answer


def test_a_client_that_leaves_mid_body_never_reaches_the_application(served):
    """Ten bytes of a thousand, then the client's side is closed: the application never runs
    on part of a body (a 400 for whoever still listens)."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as leaving:
        leaving.sendall(
            b"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n0123456789"
        )
        leaving.shutdown(socket.SHUT_WR)
        answer = b""
        with contextlib.suppress(ConnectionResetError):
            answer = leaving.recv(4096)
    assert not answer.startswith(b"HTTP/1.1 200"), answer[:100]
    assert post(served.port, b"abc") == (b"HTTP/1.1 200 OK", b"ok 3")
    assert served.log.read_text().count("read ") == 1  # the whole body's request only
