"""A Registry API served on 127.0.0.1 from a folder of registry files, for tests and benchmarks.

It answers as the OMA Registry API does (a JSON array with the API's keys, ObjectID a number,
every other value a string) and serves each ObjectLink's XML with an ETag and Last-Modified,
answering 304 to a conditional request. Faults are staged per path with `fail(path, ...)`,
and `latency` stands for the real network.

Its metadata comes from the folder's `api.json` when there is one: the Registry API's answer
written by hand from the registry's facts (../shared/REGISTRY.md), not derived from DDF.xml by
a mapping like the code under test, so a sync from it and a sync from the folder as a clone
disagree if that code maps a DDF.xml element wrongly. A folder without one (the snapshot) is
read through DDF_TO_API below.
"""

import hashlib
import json
import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

DDF_TO_API = {
    "ObjectID": "ObjectID", "URN": "URN", "Name": "Name", "Description": "Description",
    "Owner": "Owner", "Source": "Label", "Ver": "Ver", "DDF": "ObjectLink",
    "DDFLink": "ObjectLinkVisible", "TS": "SpecLink", "TSLink": "SpecLinkVisible",
    "Vorto": "VortoLink",
}  # fmt: skip
LAST_MODIFIED = "Mon, 02 Jun 2025 10:00:00 GMT"
METADATA_PATH = "/api/lwm2m/v1/Object"


def items_from_clone(folder):
    """The API's items for a registry folder, ObjectLink relative to the file server root."""
    items = []
    for element in ET.parse(Path(folder) / "DDF.xml").getroot().iter("Item"):
        item = {}
        for child in element:
            key = DDF_TO_API.get(child.tag)
            if key and key not in item:
                item[key] = (child.text or "").strip()
        item["ObjectID"] = int(item["ObjectID"])
        items.append(item)
    return items


class FakeRegistry:
    def __init__(self, folder=None, items=None, files=None, latency=0.0):
        self.folder = Path(folder) if folder else None
        if items is None and folder and (Path(folder) / "api.json").is_file():
            items = json.loads((Path(folder) / "api.json").read_text())
        self.items = items if items is not None else items_from_clone(folder)
        self.files = dict(files or {})
        self.latency = latency
        self.faults = defaultdict(list)
        self.requests = Counter()
        self.bodies_sent = Counter()
        self.bytes_sent = 0
        self.connections = 0  # TCP connections accepted: a client that reuses them makes few
        self.user_agents = set()
        self._lock = threading.Lock()
        self.server = None

    # -- set-up ---------------------------------------------------------------------------
    def start(self):
        registry = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave at once, as from a real server, not 40 ms apart
            # (Nagle's algorithm against the client's delayed ACK).
            disable_nagle_algorithm = True

            def setup(self):
                super().setup()
                with registry._lock:
                    registry.connections += 1

            def log_message(self, *args):
                pass

            def do_GET(self):
                registry.handle(self)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that hung up mid-answer (a fault test's point), not news

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 128
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def base_url(self):
        return f"{self.origin}/api/"

    def file_url(self, path):
        return f"{self.origin}/files/{quote(path)}"

    def fail(self, path, *responses):
        """Stage faults for a path, used in order, one per request: a tuple (status, headers,
        body), or "reset", "hang", "truncate", "drop", "endless", "trickle"; None lets the normal
        answer through."""
        self.faults[path].extend(responses)

    def set_file(self, path, body):
        self.files[path] = body

    # -- answers --------------------------------------------------------------------------
    def file_bytes(self, path):
        if path in self.files:
            return self.files[path]
        if self.folder:
            target = (self.folder / path).resolve()
            if target.is_relative_to(self.folder.resolve()) and target.is_file():
                return target.read_bytes()
        return None

    def metadata(self, query):
        items = []
        for item in self.items:
            item = dict(item)
            if item.get("ObjectLink") and "://" not in str(item["ObjectLink"]):
                item["ObjectLink"] = self.file_url(item["ObjectLink"])
            items.append(item)
        if "ObjectID" in query:
            items = [i for i in items if str(i.get("ObjectID")) == query["ObjectID"][0]]
        return json.dumps(items).encode()

    def handle(self, request):
        if self.latency:
            time.sleep(self.latency)
        url = urlsplit(request.path)
        path = url.path
        with self._lock:
            self.requests[path] += 1
            self.user_agents.add(request.headers.get("User-Agent", ""))
            fault = self.faults[path].pop(0) if self.faults.get(path) else None
        if fault is not None and self._fault(request, fault):
            return
        if path == METADATA_PATH:
            body = self.metadata(parse_qs(url.query))
            return self.send(request, 200, body, {"Content-Type": "application/json"})
        if path.startswith("/files/"):
            name = path[len("/files/") :]
            body = self.file_bytes(name)
            if body is None:
                return self.send(request, 404, b"not found", {"Content-Type": "text/plain"})
            etag = f'"{hashlib.sha1(body).hexdigest()}"'
            headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
            if request.headers.get("If-None-Match") == etag:
                return self.send(request, 304, b"", headers)
            headers["Content-Type"] = "application/xml"
            with self._lock:
                self.bodies_sent[name] += 1
            return self.send(request, 200, body, headers)
        return self.send(request, 404, b"not found", {"Content-Type": "text/plain"})

    def send(self, request, status, body, headers):
        request.send_response(status)
        for key, value in headers.items():
            request.send_header(key, value)
        if status != 304:
            request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if status != 304 and body:
            request.wfile.write(body)
        with self._lock:
            self.bytes_sent += len(body)

    def _fault(self, request, fault):
        """Answer with a staged fault; False lets the normal answer through."""
        if fault == "reset":
            request.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            request.connection.close()
            request.close_connection = True
            return True
        if fault == "drop":
            request.close_connection = True
            return True
        if fault == "hang":
            time.sleep(30)
            request.close_connection = True
            return True
        if fault == "endless":
            # A body with no length that never ends (bounded here at 64 MB).
            request.send_response(200)
            request.send_header("Content-Type", "application/xml")
            request.send_header("Transfer-Encoding", "chunked")
            request.end_headers()
            chunk = b"<!-- " + b"x" * 65536 + b" -->"
            try:
                for _ in range(1000):
                    request.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    with self._lock:
                        self.bytes_sent += len(chunk)
            except OSError:
                pass
            request.close_connection = True
            return True
        if fault == "trickle":
            # A byte at a time, each well within any read timeout: only a deadline stops it.
            request.send_response(200)
            request.send_header("Content-Type", "application/xml")
            request.send_header("Content-Length", "100000")
            request.end_headers()
            try:
                for _ in range(100):
                    request.wfile.write(b" ")
                    request.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
            request.close_connection = True
            return True
        if fault == "truncate":
            body = self.metadata({})
            request.send_response(200)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body[: len(body) // 2])
            request.close_connection = True
            return True
        status, headers, body = fault
        self.send(request, status, body, headers)
        return True
