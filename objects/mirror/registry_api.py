"""The mirror of the Registry API: /api/lwm2m/v1/Object answered as the OMA answers it, the
whole answer built once per sync and origin, kept gzipped."""

import hashlib
import json
import re
import threading
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from objects.catalog.lru import BoundedLRU
from objects.catalog.per_sync import kept, key_of
from objects.lwm2m.ids import parse_object_id
from objects.lwm2m.versions import BadVersion, parse_version
from objects.mirror.json_api import api_error, api_view
from objects.mirror.repository_layout import ddf_path
from objects.models import ObjectVersion, SyncRun


def is_object_id(text):
    """Well-formed (ASCII digits), whether or not any object could have it."""
    text = text.strip()
    return text.isascii() and text.isdigit()


DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_origin(request):
    """The origin (scheme://host[:port]) of the answers' links: SITE_URL when set, else the
    request's own, its host in lower case and a default port left out, so that every spelling of
    one origin shares one cached whole answer."""
    if settings.SITE_URL:
        return settings.SITE_URL
    domain, port = split_domain_port(request.get_host())
    if port and int(port) != DEFAULT_PORTS.get(request.scheme):
        domain += f":{int(port)}"
    return f"{request.scheme}://{domain}"


class DefinitionLinks:
    """Absolute URLs of stored definitions on `origin`, with one reverse() for a whole answer."""

    def __init__(self, origin):
        self.origin = origin
        self.path = reverse("objects:definition_xml", args=["OID", "VER"])
        self.registry = self.origin + reverse("objects:registry_file", kwargs={"name": ""})

    def __call__(self, object_id, ver):
        # Only the path is a template: the host may spell OID or VER itself.
        return self.origin + self.path.replace("OID", str(object_id), 1).replace("VER", ver, 1)

    def registry_file(self, object_id, major, minor, is_latest):
        """The definition's file in this site's repository layout (/registry/), named as
        DDF.xml names it: `<ID>.xml` for the latest version, else its version_history file."""
        return self.registry + ddf_path(object_id, major, minor, is_latest)


MIRROR_FIELDS = (
    "object_id", "ver", "urn", "name", "description", "owner", "label", "object_link",
    "object_link_visible", "spec_link", "spec_link_visible", "vorto_link", "definition_sha256",
    "is_latest", "ver_major", "ver_minor",
)  # fmt: skip


def registry_item(row, links):
    """One element of the Registry API's answer, from MIRROR_FIELDS values: its keys and
    value types (ObjectID a number, every other value a string)."""
    (object_id, ver, urn, name, description, owner, label, object_link, link_visible,
     spec_link, spec_visible, vorto_link, sha, is_latest, major, minor) = row  # fmt: skip
    if settings.MIRROR_OBJECT_LINKS == "local" and sha:
        object_link = links.registry_file(object_id, major, minor, is_latest)
    return {
        "ObjectID": object_id,
        "Ver": ver,
        "URN": urn,
        "Name": name,
        "Description": description,
        "Owner": owner,
        "Label": str(label),
        "ObjectLink": object_link,
        "ObjectLinkVisible": "1" if link_visible else "0",
        "SpecLink": spec_link,
        "SpecLinkVisible": "1" if spec_visible else "0",
        "VortoLink": vorto_link,
    }


def json_bytes(data):
    return json.dumps(data, ensure_ascii=False).encode()


# -- The whole registry's answer ---------------------------------------------------------------
# The mirror's heaviest answer (22 MB at 100 times today's registry), and every client of the
# API starts with it: built once per process and sync, kept gzipped only.

GZIP_LEVEL = 6  # 6: within a few % of 9's size at a fraction of its time
# Without SITE_URL, the answers of this many origins are kept (the least recently used goes):
# a client that varies the Host header (its port) costs builds, never memory.
MAX_ORIGINS = 2
GUNZIP_CHUNK = 32 * 1024
# An answer this small is also kept as it is, for the clients that do not take gzip: today's
# registry (210 KB) then costs them no decompression; at 100 times it (22 MB), gzip only.
KEEP_PLAIN = 1024 * 1024
# The test GZipMiddleware applies: a client it would compress for gets the gzipped bytes.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


@dataclass(frozen=True)
class WholeAnswer:
    gzipped: bytes
    length: int  # of the JSON, uncompressed
    etag: str  # the SHA-256 of the JSON, uncompressed
    last_modified: int  # the sync's end, a timestamp
    plain: bytes | None = None  # the JSON itself, when it is at most KEEP_PLAIN


def build_whole_answer(origin, latest, last_modified):
    """The JSON of every version (or every latest one), gzipped and hashed as it is encoded:
    rows are read in chunks and the uncompressed body is never held whole. The bytes are
    those of json.dumps(list of items, ensure_ascii=False)."""
    versions = ObjectVersion.objects.order_by("object_id", "ver_major", "ver_minor")
    if latest:
        versions = versions.filter(is_latest=True)
    links = DefinitionLinks(origin)
    digest, length = hashlib.sha256(), 0
    deflate = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # 31: the gzip format
    parts, plain = [], []

    def add(pieces):
        nonlocal length, plain
        data = "".join(pieces).encode()
        digest.update(data)
        length += len(data)
        parts.append(deflate.compress(data))
        if plain is not None and length <= KEEP_PLAIN:
            plain.append(data)
        else:
            plain = None

    pieces = ["["]
    rows = versions.values_list(*MIRROR_FIELDS).iterator(chunk_size=2000)
    for number, row in enumerate(rows):
        if number:
            pieces.append(", ")
        pieces.append(json.dumps(registry_item(row, links), ensure_ascii=False))
        if len(pieces) >= 2000:
            add(pieces)
            pieces = []
    pieces.append("]")
    add(pieces)
    parts.append(deflate.flush())
    kept = b"".join(plain) if plain is not None else None
    return WholeAnswer(
        b"".join(parts), length, f'"{digest.hexdigest()}"', last_modified, plain=kept
    )


class WholeAnswers:
    """The whole answers of the live data, per origin and variant (every version, the latest
    only); at most `max_origins` origins, the least recently used dropped first. Kept per sync
    (objects/catalog/per_sync.py); one answer is built once, even by concurrent requests."""

    def __init__(self, max_origins=MAX_ORIGINS):
        self.lock = threading.Lock()  # one build of an answer, even for concurrent requests
        self.key = None
        self.origins = BoundedLRU(lambda: max_origins)  # origin: {latest: WholeAnswer}
        self.builds = 0

    def get(self, run, origin, latest):
        last_modified = int(run.data_as_of.timestamp())
        kept.admit(run)
        key = key_of(run)
        with self.lock:
            if self.key is not None and key < self.key:
                # A request that read the run before a newer sync: served, never kept.
                return build_whole_answer(origin, latest, last_modified)
            if key != self.key:
                self.key = key
                self.origins.clear()
            answers = self.origins.get(origin)
            if answers is None:
                answers = {}
                self.origins.put(origin, answers)
            if latest not in answers:
                answers[latest] = build_whole_answer(origin, latest, last_modified)
                self.builds += 1
            return answers[latest]

    def held(self):
        """How many answers are kept, and for how many origins."""
        with self.lock:
            kept_answers = self.origins.values()
            return sum(len(a) for a in kept_answers), len(kept_answers)

    def clear(self):
        with self.lock:
            self.key = None
            self.origins.clear()


whole_answers = kept.register(WholeAnswers())


def gunzipped(data):
    """The JSON of a gzipped answer, decompressed a chunk at a time as it is sent."""
    inflate = zlib.decompressobj(31)
    view = memoryview(data)
    for start in range(0, len(view), GUNZIP_CHUNK):
        if chunk := inflate.decompress(view[start : start + GUNZIP_CHUNK]):
            yield chunk
    if tail := inflate.flush():
        yield tail


def whole_answer_response(request, answer):
    """The gzipped bytes as they are kept (Content-Encoding set, so GZipMiddleware leaves them
    alone) to a client that accepts gzip, else the JSON decompressed in a stream; a 304 to a
    client that has it (If-None-Match, weak forms included; If-Modified-Since). The two are
    different bytes, so they carry different strong ETags (RFC 9110 8.8.3)."""
    gzipped = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    etag = answer.etag[:-1] + '-gzip"' if gzipped else answer.etag
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(answer.last_modified),
        # Links are built from the request's origin unless SITE_URL names it.
        "Vary": "Accept-Encoding" if settings.SITE_URL else "Accept-Encoding, Host",
    }
    template = HttpResponse(headers=headers)
    conditional = get_conditional_response(
        request, etag=etag, last_modified=answer.last_modified, response=template
    )
    if conditional is not template:
        if conditional.status_code == 412:
            return api_error(412, "precondition failed")
        return conditional
    if gzipped:
        response = HttpResponse(answer.gzipped, content_type="application/json", headers=headers)
        response["Content-Encoding"] = "gzip"
        return response
    if answer.plain is not None:
        return HttpResponse(answer.plain, content_type="application/json", headers=headers)
    body = () if request.method == "HEAD" else gunzipped(answer.gzipped)
    response = StreamingHttpResponse(body, content_type="application/json", headers=headers)
    response["Content-Length"] = str(answer.length)
    return response


@api_view
def registry_objects(request):
    """GET /api/lwm2m/v1/Object, answering as the OMA Registry API does."""
    raw_id = request.GET.get("ObjectID")
    raw_version = request.GET.get("ObjectVersion")
    versions = ObjectVersion.objects.order_by("object_id", "ver_major", "ver_minor")
    if raw_version is not None and raw_version != "latest" and raw_id is None:
        return api_error(400, "ObjectVersion other than 'latest' needs an ObjectID")
    if raw_id is None:
        run = SyncRun.last_successful()
        if run is None:
            return api_error(503, "this mirror has no data yet: run manage.py sync_registry")
        answer = whole_answers.get(run, canonical_origin(request), raw_version == "latest")
        return whole_answer_response(request, answer)
    if raw_id is not None:
        if not is_object_id(raw_id):
            return api_error(400, "ObjectID must be a whole number")
        try:
            versions = versions.filter(object_id=parse_object_id(raw_id))
        except ValueError:  # well-formed, but no object can have it: missing, as in the API
            return api_error(404, "no such object or version")
    if raw_version == "latest":
        versions = versions.filter(is_latest=True)
    elif raw_version is not None:
        try:
            major, minor = parse_version(raw_version)
        except BadVersion:
            return api_error(400, "ObjectVersion must be 'latest' or a version like 1.0")
        versions = versions.filter(ver_major=major, ver_minor=minor)
    links = DefinitionLinks(canonical_origin(request))
    items = [registry_item(row, links) for row in versions.values_list(*MIRROR_FIELDS)]
    if not items:
        return api_error(404, "no such object or version")
    return HttpResponse(json_bytes(items), content_type="application/json")
