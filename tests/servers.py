"""The site itself, served for real (Granian, production settings) on 127.0.0.1."""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from registry_site.serve import command

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(database_url, **extra):
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": "test-secret-key-for-a-local-server-only-0123456789abcdef",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(PROJECT / "staticfiles"),
            # Never the internet's Common.xml and schemas, which the settings' defaults name.
            "REGISTRY_COMMON_URL": "",
            "REGISTRY_SCHEMA_URL": "",
        }
    )
    env.update(extra)
    return env


def manage(env, *args, check=True):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        check=check,
        capture_output=True,
        text=True,
    )


def stop_process(process, grace=10):
    """Terminate a server we started, and kill it if it does not go within `grace` seconds."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(grace)


def wait_until(predicate, timeout=30, what="the condition"):
    """Poll `predicate` until it is true; fail after `timeout` seconds rather than hang."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        time.sleep(0.02)


def wait_until_healthy(url, process, timeout=60):
    """Wait for /healthz to answer 200. Any request error means "not yet" (a busy 2-core
    machine may accept the connection and answer the first request late); a process that
    exits, or no 200 before the deadline, is an error."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            response = requests.get(url + "/healthz", timeout=5)
            if response.status_code == 200:
                return
            last = f"HTTP {response.status_code}"
        except requests.RequestException as exc:
            last = type(exc).__name__
        time.sleep(0.1)
    raise RuntimeError(f"{url} was not healthy within {timeout} s ({last})")


class SiteServer:
    """The project served as make run serves it (Granian) on a free port of 127.0.0.1, against a
    database of its own."""

    def __init__(self, database_url, workers=2, command_prefix=(), **env):
        self.env = site_env(database_url, **env)
        self.port = free_port()
        self.workers = workers
        self.command_prefix = tuple(command_prefix)  # e.g. ("taskset", "-c", "1")
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def prepare(self, source=None):
        manage(self.env, "migrate", "--noinput", "-v0")
        manage(self.env, "collectstatic", "--noinput", "-v0")
        if source:
            manage(self.env, "sync_registry", str(source))
        return self

    def start(self):
        access_log = bool(os.environ.get("SITE_ACCESS_LOG"))
        self.process = subprocess.Popen(
            [*self.command_prefix, *command("127.0.0.1", self.port, self.workers, access_log)],
            cwd=PROJECT,
            env=self.env,
        )
        try:
            wait_until_healthy(self.url, self.process)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        stop_process(self.process)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class SyncProcess:
    """`manage.py sync_registry` as a process of its own, its output read line by line;
    `pause`: seconds it holds the store's swap transaction open (tests/sync/paused_sync.py)."""

    def __init__(self, env, source, *args, pause=None):
        self.lines = []
        self.times = []  # time.monotonic() when each line arrived
        self._seen = threading.Condition()
        start = [PYTHON, "manage.py"]
        if pause is not None:
            start = [PYTHON, "-m", "tests.sync.paused_sync", str(pause)]
        self.process = subprocess.Popen(
            [*start, "sync_registry", str(source), "-v", "2", *args],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            with self._seen:
                self.lines.append(line.rstrip("\n"))
                self.times.append(time.monotonic())
                self._seen.notify_all()

    def line_time(self, text):
        """When the first line holding `text` arrived."""
        return next(t for line, t in zip(self.lines, self.times, strict=True) if text in line)

    def wait_for(self, text, timeout=60):
        """Block until a line holds `text`; fail if the process ends first."""
        deadline = time.monotonic() + timeout
        with self._seen:
            while not any(text in line for line in self.lines):
                left = deadline - time.monotonic()
                if left <= 0 or (self.process.poll() is not None and not self._reader.is_alive()):
                    raise AssertionError(f"no line with {text!r} in {self.lines}")
                self._seen.wait(min(left, 0.2))

    def kill(self):
        self.process.kill()
        self.process.wait(10)

    def wait(self, timeout=120):
        self.process.wait(timeout)
        self._reader.join(10)  # every line read
        return self.process.returncode

    @property
    def output(self):
        return "\n".join(self.lines)
