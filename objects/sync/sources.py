"""Where a sync reads the registry from: the Registry API over HTTP, a local clone, or the
repository's layout over HTTP (a clone's files at a URL: this site's /registry/, or the
registry's raw GitHub folder).

All answer the same three questions: the metadata of every version (a list of items with
the API's keys), one version's definition bytes, and the registry's other files (Common.xml,
the schemas).
"""

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import defusedxml.ElementTree as SafeET
import requests
from django.conf import settings
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError
from urllib3.exceptions import SSLError as urllib3_SSLError
from urllib3.util.retry import Retry

from objects.lwm2m.definitions import MAX_DEFINITION_BYTES
from objects.quality.checks import SCHEMA_FILES
from objects.sync.fetch_policy import FetchPolicy, GuardedAdapter, RefusedURL
from objects.sync.metadata import normalize

# Our own name: the OMA's server is reported to refuse the default python-requests one.
USER_AGENT = "lwm2m-registry-browser/1.0 (LwM2M object registry mirror)"
MAX_METADATA_BYTES = 50 * 1024 * 1024
MAX_REDIRECTS = 5
CLONE_LINK_BASE = "https://raw.githubusercontent.com/OpenMobileAlliance/lwm2m-registry/prod/"
# DDF.xml's own element names for each API key.
DDF_TO_API = {
    "ObjectID": "ObjectID",
    "URN": "URN",
    "Name": "Name",
    "Description": "Description",
    "Owner": "Owner",
    "Source": "Label",
    "Ver": "Ver",
    "DDF": "ObjectLink",
    "DDFLink": "ObjectLinkVisible",
    "TS": "SpecLink",
    "TSLink": "SpecLinkVisible",
    "Vorto": "VortoLink",
}


class SourceError(Exception):
    """The source cannot be read; the message names the cause in one line."""


def read_ddf_index(data, link_base, where):
    """(entries, warnings) from the bytes of a DDF.xml: each Item's elements mapped to the
    API's keys (DDF_TO_API; of an element given twice the first counts), its DDF path made a
    link against `link_base` (and kept as the entry's local_path). `where` names the file in
    errors. Raises SourceError for a file that is not XML or lists no usable item."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except Exception as exc:
        raise SourceError(f"{where} cannot be read: {exc}") from None
    items, paths = [], []
    for element in root.iter("Item"):
        item = {}
        for child in element:
            key = DDF_TO_API.get(child.tag)
            if key and key not in item:
                item[key] = "".join(child.itertext()).strip()
        path = item.get("ObjectLink", "")
        item["ObjectLink"] = urljoin(link_base, path) if path else ""
        items.append(item)
        paths.append(path)
    try:
        return normalize(items, paths)
    except ValueError as exc:
        raise SourceError(f"{where}: {exc}") from None


@dataclass
class Fetched:
    """One definition fetch: body is None when not modified or on error."""

    body: bytes | None = None
    not_modified: bool = False
    etag: str = ""
    last_modified: str = ""
    error: str = ""
    downloaded: int = 0
    requests: int = 0


class CappedRetry(Retry):
    """Honour Retry-After, but never wait longer than a sync can afford (`max_wait`)."""

    def __init__(self, *args, max_wait=30.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_wait = max_wait

    def new(self, **kwargs):
        # urllib3 makes a new Retry at every attempt: the cap goes along.
        kwargs.setdefault("max_wait", self.max_wait)
        return super().new(**kwargs)

    def get_retry_after(self, response):
        wait = super().get_retry_after(response)
        return None if wait is None else min(wait, self.max_wait)


def describe_request_error(exc, url):
    """One line that names the cause of a failed request."""
    host = urlsplit(url).netloc or url
    if isinstance(exc, requests.exceptions.HTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code} {exc.response.reason or ''} from {url}".replace(
            "  ", " "
        )
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return f"timed out connecting to {host}"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return f"timed out waiting for {url}"
    if isinstance(exc, requests.exceptions.RetryError):
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        return f"gave up on {url} after retries ({reason or exc})"
    if isinstance(exc, requests.exceptions.ConnectionError):
        text = str(exc)
        for marker, words in (
            ("Name or service not known", "unknown host"),
            ("Temporary failure in name resolution", "cannot resolve host"),
            ("nodename nor servname", "unknown host"),
            ("Connection refused", "connection refused"),
            ("Connection reset", "connection reset"),
            ("RemoteDisconnected", "connection closed without an answer"),
            ("IncompleteRead", "answer cut short"),
            ("Network is unreachable", "network unreachable"),
        ):
            if marker in text:
                return f"cannot reach {host}: {words}"
        return f"cannot reach {host}: {text[:200]}"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return f"answer from {url} cut short"
    return f"request to {url} failed: {type(exc).__name__}: {str(exc)[:200]}"


def _body_chunks(response):
    """The body as it arrives (decoded), never waiting to fill a chunk: iter_content(n) blocks
    until n bytes came, so a byte-by-byte answer would hold it past any deadline. Errors are
    raised as iter_content raises them."""
    try:
        while chunk := response.raw.read1(64 * 1024, decode_content=True):
            yield chunk
    except ProtocolError as exc:
        raise requests.exceptions.ChunkedEncodingError(exc) from None
    except DecodeError as exc:
        raise requests.exceptions.ContentDecodingError(exc) from None
    except ReadTimeoutError as exc:
        raise requests.exceptions.ConnectionError(exc) from None
    except urllib3_SSLError as exc:
        raise requests.exceptions.SSLError(exc) from None


class RegistryAPI:
    """A client for the OMA Registry API (or any mirror of it, this project's included).

    Every URL it fetches, redirects included, passes the source's FetchPolicy; every fetch
    has a deadline of its own (a server that trickles its answer byte by byte cannot hold it
    longer), and none outlives the sync's deadline.
    """

    metadata_requests = 1

    def __init__(
        self,
        base_url,
        jobs=8,
        timeout=(5, 30),
        retries=3,
        backoff=0.5,
        allowed_hosts=(),
        fetch_deadline=60.0,
        max_retry_after=30.0,
        common_url="",
        schema_url="",
    ):
        if not base_url.endswith("/"):
            base_url += "/"
        self.base_url = base_url
        self.metadata_url = urljoin(base_url, "lwm2m/v1/Object")
        # The API has neither Common.xml nor the schemas: they are fetched from the registry's
        # repository and the OMA's profiles folder (or any URL set, relative to the API's),
        # through the same policy as the definitions.
        self.file_urls = {"Common.xml": urljoin(base_url, common_url) if common_url else ""}
        for name in SCHEMA_FILES.values():
            self.file_urls[name] = (
                urljoin(urljoin(base_url, schema_url), name) if schema_url else ""
            )
        self.timeout = timeout
        self.retries, self.backoff = retries, backoff
        self.fetch_deadline = fetch_deadline
        # Set by the sync: no fetch goes on past it (time.monotonic()).
        self.sync_deadline = None
        try:
            self.policy = FetchPolicy(base_url, allowed_hosts)
        except RefusedURL as exc:
            raise SourceError(str(exc)) from None
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        retry = CappedRetry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            backoff_factor=backoff,
            backoff_max=10,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=frozenset({"GET", "HEAD"}),
            respect_retry_after_header=True,
            raise_on_status=False,
            max_wait=max_retry_after,
        )
        adapter = GuardedAdapter(
            self.policy, max_retries=retry, pool_connections=4, pool_maxsize=max(jobs, 4)
        )
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def __str__(self):
        return self.base_url

    def _deadline(self):
        deadline = time.monotonic() + self.fetch_deadline
        return min(deadline, self.sync_deadline) if self.sync_deadline else deadline

    def _read_capped(self, response, limit, url, deadline):
        length = response.headers.get("Content-Length", "")
        if length.isascii() and length.isdigit() and int(length) > limit:
            raise SourceError(f"{url} is {int(length)} bytes, over the {limit}-byte limit")
        chunks, size = [], 0
        for chunk in _body_chunks(response):
            size += len(chunk)
            if size > limit:
                raise SourceError(f"{url} is over the {limit}-byte limit")
            if time.monotonic() > deadline:
                raise SourceError(f"{url} took longer than {self.fetch_deadline:g} s to answer")
            chunks.append(chunk)
        return b"".join(chunks)

    def get(self, url, headers, limit):
        """GET a whole body (or a 304) from an allowed URL; return (response, body, requests).

        Redirects are followed here, each target checked by the policy. A body cut short is
        asked for again, like a 5xx (urllib3 retries connection errors and statuses, not a
        body that breaks off half-way). Raises RefusedURL, SourceError or RequestException.
        """
        deadline = self._deadline()
        attempt = redirects = 0
        while True:
            self.policy.check(url)
            left = deadline - time.monotonic()
            if left <= 0:
                raise SourceError(f"{url} took longer than {self.fetch_deadline:g} s to answer")
            timeout = (min(self.timeout[0], left), min(self.timeout[1], left))
            attempt += 1
            try:
                with self.session.get(
                    url, timeout=timeout, headers=headers, stream=True, allow_redirects=False
                ) as r:
                    if r.is_redirect:
                        redirects += 1
                        if redirects > MAX_REDIRECTS:
                            raise SourceError(f"{url} redirects more than {MAX_REDIRECTS} times")
                        url = urljoin(url, self.session.get_redirect_target(r))
                        continue
                    if r.status_code != 304:
                        r.raise_for_status()
                    # Reading even a 304's empty body hands the connection back to the pool.
                    return r, self._read_capped(r, limit, url, deadline), attempt
            except (
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ):
                if attempt > self.retries:
                    raise
                time.sleep(self.backoff * 2 ** (attempt - 1))

    def metadata(self):
        """Return (entries, warnings, bytes downloaded)."""
        url = self.metadata_url
        try:
            response, body, _ = self.get(url, {"Accept": "application/json"}, MAX_METADATA_BYTES)
            content_type = response.headers.get("Content-Type", "")
        except requests.RequestException as exc:
            raise SourceError(describe_request_error(exc, url)) from None
        except RefusedURL as exc:
            raise SourceError(f"refused: {exc}") from None
        try:
            items = json.loads(body)
        except (ValueError, RecursionError) as exc:
            start = body[:60].decode("utf-8", "replace").strip().replace("\n", " ")
            raise SourceError(
                f"the answer of {url} is not JSON ({content_type[:100] or 'no Content-Type'}, "
                f"starts {start!r}): {str(exc)[:200]}"
            ) from None
        try:
            entries, warnings = normalize(items)
        except ValueError as exc:
            raise SourceError(f"the answer of {url} is not the registry's: {exc}") from None
        return entries, warnings, len(body)

    def definition(self, entry, etag="", last_modified=""):
        return self.fetch_file(urljoin(self.base_url, entry.object_link), etag, last_modified)

    def file_url(self, name):
        return self.file_urls.get(name, "")

    def registry_file(self, name, etag="", last_modified=""):
        """One of the registry's other files, or None when no URL is set for it."""
        url = self.file_url(name)
        return self.fetch_file(url, etag, last_modified) if url else None

    def fetch_file(self, url, etag="", last_modified=""):
        """One XML file of the registry as a Fetched: its bytes, a 304, or why not."""
        headers = {"Accept": "application/xml, text/xml;q=0.9, */*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            r, body, attempts = self.get(url, headers, MAX_DEFINITION_BYTES)
        except requests.RequestException as exc:
            return Fetched(error=describe_request_error(exc, url), requests=1)
        except RefusedURL as exc:
            return Fetched(error=f"refused: {exc}")
        except SourceError as exc:
            return Fetched(error=str(exc), requests=1)
        if r.status_code == 304:
            return Fetched(
                not_modified=True, etag=etag, last_modified=last_modified, requests=attempts
            )
        return Fetched(
            body=body,
            etag=r.headers.get("ETag", ""),
            last_modified=r.headers.get("Last-Modified", ""),
            downloaded=len(body),
            requests=attempts,
        )

    def close(self):
        self.session.close()


class RegistryClone:
    """A reader for a local clone of OpenMobileAlliance/lwm2m-registry (DDF.xml + XML files)."""

    metadata_requests = 0

    def __init__(self, path, link_base=CLONE_LINK_BASE):
        self.root = Path(path).resolve()
        self.link_base = link_base
        self.index = self.root / "DDF.xml"
        if not self.index.is_file():
            raise SourceError(f"{path} is not a registry clone: it has no DDF.xml")

    def __str__(self):
        return str(self.root)

    def metadata(self):
        data = self.index.read_bytes()
        entries, warnings = read_ddf_index(data, self.link_base, self.index)
        return entries, warnings, len(data)

    def definition(self, entry, etag="", last_modified=""):
        return self.read_file(entry.local_path)

    def file_url(self, name):
        """Where the clone's file is published: what the site names as its origin."""
        return urljoin(self.link_base, name)

    def registry_file(self, name, etag="", last_modified=""):
        return self.read_file(name)

    def read_file(self, relative):
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root):
            return Fetched(error=f"{relative} lies outside the clone")
        try:
            size = path.stat().st_size
            if size > MAX_DEFINITION_BYTES:
                return Fetched(error=f"{relative} is over the {MAX_DEFINITION_BYTES}-byte limit")
            body = path.read_bytes()
        except OSError as exc:
            return Fetched(error=f"{relative}: {exc.strerror or exc}")
        return Fetched(body=body, downloaded=len(body))

    def close(self):
        pass


class RegistryLayout(RegistryAPI):
    """The repository's layout over HTTP: a clone's files at a URL (this site's /registry/,
    the registry's raw GitHub folder).

    DDF.xml is fetched like the API's answer and read like a clone's; each definition is the
    file its DDF path names in the folder, Common.xml and the schemas the folder's own files.
    Every fetch goes through the RegistryAPI machinery: the policy (the folder's origin and
    REGISTRY_ALLOWED_HOSTS), deadlines, retries, size caps and conditional requests.
    """

    def __init__(self, index_url, **kwargs):
        super().__init__(urljoin(index_url, "."), **kwargs)
        self.metadata_url = index_url

    def metadata(self):
        """Return (entries, warnings, bytes downloaded), as RegistryClone.metadata does."""
        url = self.metadata_url
        accept = {"Accept": "application/xml, text/xml;q=0.9, */*;q=0.1"}
        try:
            _, body, _ = self.get(url, accept, MAX_METADATA_BYTES)
        except requests.RequestException as exc:
            raise SourceError(describe_request_error(exc, url)) from None
        except RefusedURL as exc:
            raise SourceError(f"refused: {exc}") from None
        entries, warnings = read_ddf_index(body, self.base_url, url)
        return entries, warnings, len(body)

    def file_url(self, name):
        """The folder's own file: Common.xml, LWM2M.xsd, LWM2M-v1_1.xsd."""
        return urljoin(self.base_url, name)


def layout_index_url(spec):
    """The DDF.xml URL when an http(s) URL names a repository layout, else "".

    The rule: a URL whose path ends with `/DDF.xml` is that index (its folder holds the
    files), and one whose path ends with `/registry/` (or `/registry`) is a folder whose index
    is `DDF.xml` in it. Any other http(s) URL is a Registry API's base URL.
    """
    parts = urlsplit(spec)
    if parts.scheme.lower() not in {"http", "https"}:
        return ""
    if parts.path.endswith("/DDF.xml"):
        return urlunsplit(parts._replace(fragment=""))
    if parts.path.endswith(("/registry/", "/registry")):
        folder = parts.path.rstrip("/") + "/"
        return urlunsplit(parts._replace(path=folder + "DDF.xml", query="", fragment=""))
    return ""


def open_source(spec, jobs=8):
    """An http(s) URL is a repository layout (layout_index_url's rule) or else a Registry API;
    anything else is the path of a clone."""

    spec = (spec or "").strip()
    if not spec:
        raise SourceError("no source given (set REGISTRY_SOURCE or pass one)")
    scheme = urlsplit(spec).scheme.lower()
    if scheme in {"http", "https"}:
        client = {
            "jobs": jobs,
            "timeout": (settings.REGISTRY_CONNECT_TIMEOUT, settings.REGISTRY_READ_TIMEOUT),
            "retries": settings.REGISTRY_RETRIES,
            "backoff": settings.REGISTRY_BACKOFF,
            "allowed_hosts": settings.REGISTRY_ALLOWED_HOSTS,
            "fetch_deadline": settings.REGISTRY_FETCH_DEADLINE,
            "max_retry_after": settings.REGISTRY_MAX_RETRY_AFTER,
        }
        index_url = layout_index_url(spec)
        if index_url:
            return RegistryLayout(index_url, **client)
        return RegistryAPI(
            spec,
            common_url=settings.REGISTRY_COMMON_URL,
            schema_url=settings.REGISTRY_SCHEMA_URL,
            **client,
        )
    if scheme == "file":
        spec = urlsplit(spec).path
    if not os.path.isdir(spec):
        raise SourceError(f"{spec} is neither an http(s) URL nor a folder")
    return RegistryClone(spec)
