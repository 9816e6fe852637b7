"""Load from a second process, bounded in time: wrk when it can be had, else a Python client.

Both target 127.0.0.1 only and report requests/s, p50, p99 and errors (socket errors,
timeouts and any status other than 2xx). Either loads one URL (warm: every answer after the
first may come from a cache) or one pass over many distinct URLs (cold: each is asked once).
"""

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
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
    bytes: int = 0  # the first answer's body
    mean_bytes: float = 0.0  # per answer, as the load tool read them (wrk: with the headers)
    note: str = ""
    rounds: list = field(default_factory=list)
    distinct: int = 0  # the distinct URLs of a cold pass (0: one URL, warm)


@dataclass(frozen=True)
class Pinning:
    """Where the servers and the load generator run: one core each, or unpinned."""

    server: tuple = ()  # a command prefix for the servers
    client: tuple = ()  # a command prefix for wrk
    client_cpus: frozenset = frozenset()  # the Python client's threads
    note: str = "unpinned"


UNPINNED = Pinning()


def pinning(server_cpu=1, client_cpu=0):
    """Servers on one core, the load generator on the other, so neither takes the other's CPU."""
    taskset = shutil.which("taskset")
    if not taskset:
        return Pinning(note="unpinned: taskset (util-linux) is missing")
    if not {server_cpu, client_cpu} <= os.sched_getaffinity(0):
        return Pinning(note=f"unpinned: cores {client_cpu} and {server_cpu} are not both ours")
    return Pinning(
        server=(taskset, "-c", str(server_cpu)),
        client=(taskset, "-c", str(client_cpu)),
        client_cpus=frozenset({client_cpu}),
        note=f"servers on core {server_cpu} (taskset -c {server_cpu}), "
        f"the load generator on core {client_cpu} (taskset -c {client_cpu})",
    )


@contextlib.contextmanager
def pinned(cpus):
    """This thread (and the threads it starts) on `cpus` for a while: the Python client."""
    before = os.sched_getaffinity(0)
    if cpus:
        os.sched_setaffinity(0, cpus)
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


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
        "read": re.search(r"requests in \S+, ([\d.]+)([KMGT]?)B read", output),
    }
    if not all(found.values()):
        raise RuntimeError(f"cannot read wrk's report: {output[-400:]!r}")
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    errors += int(non_2xx.group(1)) if non_2xx else 0
    requests = int(found["requests"].group(1))
    number, prefix = found["read"].groups()
    read = float(number) * 1024 ** " KMGT".index(prefix or " ")
    return {
        "requests": requests,
        "mean_bytes": read / requests if requests else 0.0,
        "rps": float(found["rps"].group(1)),
        "p50_ms": _ms(found["p50"].group(1)),
        "p99_ms": _ms(found["p99"].group(1)),
        "errors": errors,
    }


# One pass over the paths: request() takes the next one, the thread stops once each has been
# answered (the few asked again while it stops are not counted) and says so, and run_wrk ends
# wrk's wait for the duration with SIGINT. wrk divides by its own run time, so the script prints
# the pass's count and time (LuaJIT's ffi reads CLOCK_MONOTONIC), and that is what is reported.
PASS_SCRIPT = """local paths = %s
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *now);
]]
local clock = ffi.new("bench_timespec")
local function now()
  ffi.C.clock_gettime(1, clock)
  return tonumber(clock.tv_sec) + tonumber(clock.tv_nsec) * 1e-9
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
sent, answered, first, last = 0, 0, 0, 0
function request()
  if sent == 0 then first = now() end
  sent = sent + 1
  return wrk.format(nil, paths[(sent - 1) %% #paths + 1])
end
function response(status, headers, body)
  if answered < #paths then
    answered = answered + 1
    last = now()
    if answered == #paths then
      io.write("pass: over\\n")
      io.flush()
      wrk.thread:stop()
    end
  end
end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    io.write(string.format("pass: %%d answers in %%.6f s\\n", thread:get("answered"),
      thread:get("last") - thread:get("first")))
  end
end
"""


def pass_script(path, paths):
    """The Lua script for one pass over `paths` (ASCII, as URL paths are), written to `path`."""
    if not all(p.isascii() and p.startswith("/") for p in paths):
        raise ValueError("the paths of a pass must be ASCII and start with /")
    items = ",\n  ".join(json.dumps(p) for p in paths)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(PASS_SCRIPT % ("{\n  " + items + ",\n}"))
    return path


def run_wrk(wrk, url, headers, connections, duration, pin=UNPINNED, script=None):
    command = [*pin.client, wrk, "-t", "1", "-c", str(connections), "-d", f"{duration}s"]
    command += ["--latency", "--timeout", "5s"]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    if script:
        command += ["-s", str(script)]
    process = subprocess.Popen(
        [*command, only_local(url)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    timer = threading.Timer(duration + 60, process.kill)
    timer.start()
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.strip() == "pass: over":  # no need to wait for the rest of the duration
                process.send_signal(signal.SIGINT)
        process.wait()
    finally:
        timer.cancel()
    output = "".join(lines)
    figures = parse_wrk(output)
    if script:
        found = re.search(r"^pass: (\d+) answers in ([\d.]+) s$", output, re.M)
        if not found:
            raise RuntimeError(f"wrk's script printed no pass: {output[-400:]!r}")
        answered, seconds = int(found.group(1)), float(found.group(2))
        figures["requests"], figures["rps"] = answered, answered / seconds if seconds else 0.0
    return figures


def _percentile(sorted_values, fraction):
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def run_python(url, headers, connections, duration, pin=UNPINNED, paths=None):
    """The fallback: one thread per connection, keep-alive, bounded in time and count.

    With `paths`, the connections share one pass over them (each path asked once) and `url`
    gives only the server.
    """
    parts = urlsplit(only_local(url))
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + duration
    latencies, errors, lock, read = [], [0], threading.Lock(), [0]
    queue = iter(paths) if paths is not None else None

    def next_target():
        if queue is None:
            return target
        with lock:
            return next(queue, None)

    def worker():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        mine, failed, size = [], 0, 0
        while time.monotonic() < deadline and len(latencies) + len(mine) < MAX_REQUESTS:
            target = next_target()
            if target is None:
                break
            started = time.perf_counter()
            try:
                connection.request("GET", target, headers=headers or {})
                response = connection.getresponse()
                size += len(response.read())
                failed += not 200 <= response.status < 300
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
            mine.append((time.perf_counter() - started) * 1000)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed
            read[0] += size

    started = time.monotonic()
    with pinned(pin.client_cpus):
        threads = [threading.Thread(target=worker) for _ in range(connections)]
        for thread in threads:
            thread.start()
    for thread in threads:
        thread.join(duration + 30)
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "mean_bytes": read[0] / len(latencies) if latencies else 0.0,
        "rps": len(latencies) / elapsed,
        "p50_ms": _percentile(latencies, 0.50),
        "p99_ms": _percentile(latencies, 0.99),
        "errors": errors[0],
    }


def measure(name, url, headers=None, connections=16, duration=10, wrk=None, pin=UNPINNED):
    """Check the URL answers 200, warm it up, then load it for `duration` seconds."""
    result = LoadResult(name, url, tool="wrk" if wrk else "python")
    status, _, body = fetch(url, headers)
    result.status, result.bytes = status, len(body)
    if status != 200:
        result.note = f"answers HTTP {status}"
    for _ in range(20):
        fetch(url, headers)
    if wrk:
        figures = run_wrk(wrk, url, headers, connections, duration, pin)
    else:
        figures = run_python(url, headers, connections, duration, pin)
    for key, value in figures.items():
        setattr(result, key, value)
    return result


def measure_pass(name, base, paths, headers=None, connections=16, duration=10, wrk=None,
                 pin=UNPINNED, script=None):  # fmt: skip
    """One pass over distinct paths, no warm-up: on a server just started, every answer is cold.

    The pass ends when each path has been answered once, or after `duration` seconds.
    `script` is where wrk's Lua script is written.
    """
    result = LoadResult(name, base + paths[0], tool="wrk" if wrk else "python")
    result.distinct, result.status = len(paths), 200
    if wrk:
        script = pass_script(script, paths)
        figures = run_wrk(wrk, base + "/", headers, connections, duration, pin, script)
    else:
        figures = run_python(base + "/", headers, connections, duration, pin, paths)
    for key, value in figures.items():
        setattr(result, key, value)
    return result
