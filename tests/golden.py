"""Every answer of the site for the full snapshot, hashed: what a move or a rename must not change.

`tests/test_golden.py` compares these hashes with `tests/golden/answers.json`; a change of
behaviour records new ones (`make golden`), and the manifest's diff shows which answers moved.
A move or a rename, committed alone, leaves the manifest as it was: that is its proof.
"""

import hashlib
import json
import re
from pathlib import Path

from objects.codegen import FILES, from_bytes, generate
from objects.lwm2m.definitions import InvalidDefinition
from objects.models import ObjectVersion

MANIFEST = Path(__file__).resolve().parent / "golden" / "answers.json"

# What differs between two syncs of the same data: the time of the sync, rows' numbers.
_TIME = rb"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
_VOLATILE = [
    (re.compile(_TIME), b"<time>"),
    (re.compile(rb"\b[Rr]un(?P<sep>[ -])\d+"), rb"run\g<sep><n>"),
    (re.compile(rb'"run": ?\d+'), b'"run": <n>'),
    # A row's number in an HTML id (change-12): sequences move on with every rolled-back test.
    (re.compile(rb"\bchange-\d+"), b"change-<n>"),
]

# The site-wide pages and answers (each version's own are added from the data).
SITE_URLS = [
    "/",
    "/?page=2",
    "/?versions=all&status=defined&status=placeholder&status=missing&status=invalid",
    "/?q=temperature",
    "/?label=ext",
    "/export.csv",
    "/export.json",
    "/api/lwm2m/v1/Object",
    "/api/lwm2m/v1/Object?ObjectVersion=latest",
    "/registry/DDF.xml",
    "/registry/",
    "/registry/version_history/",
    "/resources/",
    "/resources/export.csv",
    "/api/v1/resources/",
    "/resources/5700/",
    "/ids/",
    "/api/v1/ids/",
    "/quality/",
    "/quality/?versions=all",
    "/api/v1/quality/",
    "/changes/",
    "/code.zip?id=3,5,3303&target=all",
    "/decode/?format=tlv&path=/3303/0&payload_hex=e81644084037800000000000",
    "/api/v1/decode/?format=tlv&path=/3303/0&payload_hex=e81644084037800000000000",
    "/favicon.ico",
    "/healthz",
]


def normalized(body):
    for pattern, replacement in _VOLATILE:
        body = pattern.sub(replacement, body)
    return body


def digest(data):
    return hashlib.sha256(data).hexdigest()[:20]


def version_urls():
    """Each stored version's pages and answers."""
    urls = []
    for object_id, ver, status in ObjectVersion.objects.values_list("object_id", "ver", "status"):
        base = f"/objects/{object_id}/{ver}"
        urls += [f"{base}/", f"/api/v1/objects/{object_id}/{ver}/"]
        urls.append(f"/api/lwm2m/v1/Object?ObjectID={object_id}&ObjectVersion={ver}")
        if status == ObjectVersion.OK:
            urls += [f"{base}/definition/", f"{base}/definition.xml", f"{base}/code/"]
    for object_id in sorted(set(ObjectVersion.objects.values_list("object_id", flat=True))):
        urls.append(f"/objects/{object_id}/")
    return urls


def answer_hashes(client):
    """{URL: status and hash of the normalized body} for every URL of the site's data."""
    hashes = {}
    for url in SITE_URLS + version_urls():
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        hashes[url] = f"{response.status_code} {digest(normalized(body))}"
    return hashes


def code_hashes(snapshot):
    """{definition file: hash of every file generated from it} for the snapshot's files."""
    hashes = {}
    paths = sorted(snapshot.glob("*.xml")) + sorted((snapshot / "version_history").glob("*.xml"))
    for path in paths:
        try:
            obj = from_bytes(path.read_bytes())
        except (InvalidDefinition, ValueError):
            continue
        whole = hashlib.sha256()
        for name in FILES:
            whole.update(name.encode() + b"\0" + generate(name, obj).encode("utf-8") + b"\0")
        hashes[f"code {path.relative_to(snapshot)}"] = whole.hexdigest()[:20]
    return hashes


def read_manifest():
    return json.loads(MANIFEST.read_text(encoding="utf-8")) if MANIFEST.exists() else {}


def write_manifest(hashes):
    MANIFEST.parent.mkdir(exist_ok=True)
    text = json.dumps(hashes, indent=0, sort_keys=True, ensure_ascii=False)
    MANIFEST.write_text(text + "\n", encoding="utf-8")
