"""Load from a second process, bounded in time: wrk when it can be had, else a Python client.

Both target 127.0.0.1 only and report requests/s, p50, p99 and errors (socket errors,
timeouts and any status other than 2xx).
"""

import http.client
import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_REQUESTS = 500_000  # a bound on the Python client, whatever the duration


@dataclass
class LoadResult:
    name: str
    url: str
    tool: str = ""
    requests: int = 0
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    status: int = 0
    bytes: int = 0
    note: str = ""
    rounds: list = field(default_factory=list)


def only_local(url):
    """Refuse any target but 127.0.0.1: the benchmark never sends traffic elsewhere."""
    if urlsplit(url).hostname != "127.0.0.1":
        raise ValueError(f"refusing to load {url}: the benchmark targets 127.0.0.1 only")
    return url


def ensure_wrk(log=print):
    """wrk from Debian, installed when missing and we may (root, apt-get); else None."""
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("  installing Debian's wrk ...")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
            try:
                subprocess.run(command, env=env, capture_output=True, timeout=600, check=True)
            except (subprocess.SubprocessError, OSError) as exc:
                log(f"  wrk could not be installed ({type(exc).__name__}); using the Python client")
                return None
    return shutil.which("wrk")


def fetch(url, headers=None, timeout=10):
    """One GET with http.client: (status, response headers, body as sent, not decoded)."""
    parts = urlsplit(only_local(url))
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", target or "/", headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output):
    """requests, rps, p50, p99 (ms) and errors from wrk --latency's report."""
    found = {
        "requests": re.search(r"(\d+) requests in", output),
        "rps": re.search(r"Requests/sec:\s+([\d.]+)", output),
        "p50": re.search(r"^\s+50%\s+(\S+)", output, re.M),
        "p99": re.search(r"^\s+99%\s+(\S+)", output, re.M),
    }
    if not all(found.values()):
        raise RuntimeError(f"cannot read wrk's report: {output[-400:]!r}")
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return {
        "requests": int(found["requests"].group(1)),
        "rps": float(found["rps"].group(1)),
        "p50_ms": _ms(found["p50"].group(1)),
        "p99_ms": _ms(found["p99"].group(1)),
        "errors": errors,
    }


def run_wrk(wrk, url, headers, connections, duration):
    command = [wrk, "-t", "1", "-c", str(connections), "-d", f"{duration}s", "--latency"]
    command += ["--timeout", "5s"]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    done = subprocess.run(
        [*command, only_local(url)], capture_output=True, text=True, timeout=duration + 60
    )
    return parse_wrk(done.stdout)


def _percentile(sorted_values, fraction):
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def run_python(url, headers, connections, duration):
    """The fallback: one thread per connection, keep-alive, bounded in time and count."""
    parts = urlsplit(only_local(url))
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + duration
    latencies, errors, lock = [], [0], threading.Lock()

    def worker():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        mine, failed = [], 0
        while time.monotonic() < deadline and len(latencies) + len(mine) < MAX_REQUESTS:
            started = time.perf_counter()
            try:
                connection.request("GET", target, headers=headers or {})
                response = connection.getresponse()
                response.read()
                failed += not 200 <= response.status < 300
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
            mine.append((time.perf_counter() - started) * 1000)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 30)
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": _percentile(latencies, 0.50),
        "p99_ms": _percentile(latencies, 0.99),
        "errors": errors[0],
    }


def measure(name, url, headers=None, connections=16, duration=10, wrk=None):
    """Check the URL answers 200, warm it up, then load it for `duration` seconds."""
    result = LoadResult(name, url, tool="wrk" if wrk else "python")
    status, _, body = fetch(url, headers)
    result.status, result.bytes = status, len(body)
    if status != 200:
        result.note = f"answers HTTP {status}"
    for _ in range(20):
        fetch(url, headers)
    figures = (run_wrk(wrk, url, headers, connections, duration) if wrk else None) or run_python(
        url, headers, connections, duration
    )
    for key, value in figures.items():
        setattr(result, key, value)
    return result
