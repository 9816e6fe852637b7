"""The registry repository's layout, built from the stored data.

The repository OpenMobileAlliance/lwm2m-registry names its files so: `DDF.xml` (the index: one
`<Item>` per version, in ObjectID then version order), `<ID>.xml` (an object's latest version),
`version_history/<ID>-<Major>_<Minor>.xml` (every version), `Common.xml` and the two schemas.
The index names the latest version's definition `<ID>.xml` and every other one by its
version_history path; a version without a definition (a placeholder, or here one that no sync
could store) has an empty `DDF` and `DDFLink` 0, as the registry writes its placeholders.

This module is shared by `/registry/...` (objects/views/repository.py), the mirror API's links
(objects/mirror/registry_api.py) and `/export.zip`; it knows names and bytes, not requests.
"""

import re
import zipfile
from dataclasses import dataclass

from objects.models import RegistryFile
from objects.quality.checks import SCHEMA_FILES

INDEX = "DDF.xml"
VERSION_HISTORY = "version_history"
# The registry's files besides the definitions, as RegistryFile names them.
REGISTRY_FILES = (RegistryFile.COMMON, *SCHEMA_FILES.values())

# Canonical spellings only (no leading zeros, ASCII digits): a name maps to one version and a
# version to one name, so every file has exactly one URL.
_ID = r"(?P<object_id>0|[1-9][0-9]{0,4})"
_PART = r"0|[1-9][0-9]{0,5}"  # a version's major or minor part (objects/lwm2m/versions.py)
LATEST_RE = re.compile(rf"{_ID}\.xml")
VERSION_RE = re.compile(rf"{VERSION_HISTORY}/{_ID}-(?P<major>{_PART})_(?P<minor>{_PART})\.xml")

# The index's element order, as the registry writes it.
ITEM_ELEMENTS = (
    "ObjectID", "URN", "Name", "Description", "Owner", "Source", "Ver", "DDF", "Vorto",
    "DDFLink", "TS", "TSLink",
)  # fmt: skip
# The ObjectVersion columns an index item is made of (ddf_item takes them in this order).
ITEM_COLUMNS = (
    "object_id", "ver", "ver_major", "ver_minor", "is_latest", "urn", "name", "description",
    "owner", "label", "vorto_link", "spec_link", "spec_link_visible", "definition_sha256",
)  # fmt: skip

INDEX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<DDFList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:noNamespaceSchemaLocation="http://www.openmobilealliance.org/tech/profiles/DDF1.xsd">\n'
)
INDEX_TAIL = "</DDFList>\n"

# What XML 1.0 cannot hold at all (the stored values never have it: field_checks refuses
# control characters; U+FFFE and U+FFFF would still pass), replaced rather than served broken.
NOT_XML_RE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def ddf_path(object_id, major, minor, is_latest):
    """The file name the registry gives a version's definition, relative to its root."""
    if is_latest:
        return f"{object_id}.xml"
    return f"{VERSION_HISTORY}/{object_id}-{major}_{minor}.xml"


def version_history_path(object_id, major, minor):
    return ddf_path(object_id, major, minor, False)


@dataclass(frozen=True)
class Wanted:
    """What a file name under /registry/ asks for: kind is "index", "file" (Common.xml or a
    schema), "latest" (`<ID>.xml`) or "version" (a version_history file)."""

    kind: str
    name: str = ""
    object_id: int | None = None
    major: int | None = None
    minor: int | None = None


def parse_name(name):
    """A Wanted for a file name of the layout, or None for anything else (`..`, other
    spellings of a number, unknown files)."""
    if not isinstance(name, str) or len(name) > 100:
        return None
    if name == INDEX:
        return Wanted("index", name)
    if name in REGISTRY_FILES:
        return Wanted("file", name)
    match = LATEST_RE.fullmatch(name)
    if match:
        return Wanted("latest", name, int(match.group("object_id")))
    match = VERSION_RE.fullmatch(name)
    if match:
        return Wanted(
            "version",
            name,
            int(match.group("object_id")),
            int(match.group("major")),
            int(match.group("minor")),
        )
    return None


def xml_text(value):
    """Element content: escaped, carriage returns kept (as a reference, or a parser would
    fold them into line feeds), anything XML cannot hold replaced."""
    text = NOT_XML_RE.sub("\ufffd", str(value))
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def ddf_item(values):
    """One `<Item>` of the index from ITEM_COLUMNS values, as text."""
    (object_id, ver, major, minor, is_latest, urn, name, description, owner, label,
     vorto_link, spec_link, spec_link_visible, sha) = values  # fmt: skip
    stored = bool(sha)
    texts = (
        str(object_id), urn, name, description, owner, str(label), ver,
        ddf_path(object_id, major, minor, is_latest) if stored else "", vorto_link,
        "1" if stored else "0", spec_link, "1" if spec_link_visible else "0",
    )  # fmt: skip
    lines = ["    <Item>"]
    for element, text in zip(ITEM_ELEMENTS, texts, strict=True):
        if text:
            lines.append(f"        <{element}>{xml_text(text)}</{element}>")
        else:
            lines.append(f"        <{element} />")
    lines.append("    </Item>\n")
    return "\n".join(lines)


def ddf_document(items):
    """The index's bytes from its items' text (ddf_item), in the order given."""
    return (INDEX_HEAD + "".join(items) + INDEX_TAIL).encode()


def ddf_pieces(items):
    """The index as pieces of bytes, from its items' bytes: for a writer that needs no copy
    of the whole."""
    yield INDEX_HEAD.encode()
    yield from items
    yield INDEX_TAIL.encode()


class ChunkBuffer:
    """A write-only file for zipfile that keeps only what was written since the last take():
    the archive leaves in pieces, one file's worth at most, never whole."""

    def __init__(self):
        self._parts = []

    def write(self, data):
        self._parts.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self):
        data = b"".join(self._parts)
        self._parts = []
        return data


def zip_chunks(files, date_time=(1980, 1, 1, 0, 0, 0)):
    """A ZIP archive of `files` ((name, data) pairs, consumed one at a time; data is bytes or
    an iterable of pieces of bytes) as chunks of bytes: each file's compressed bytes as soon
    as they are written, the directory at the end."""
    buffer = ChunkBuffer()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            if isinstance(data, bytes | bytearray | memoryview):
                archive.writestr(info, data)
            else:
                with archive.open(info, "w") as entry:
                    for piece in data:
                        entry.write(piece)
                        chunk = buffer.take()
                        if chunk:
                            yield chunk
            chunk = buffer.take()
            if chunk:
                yield chunk
    chunk = buffer.take()
    if chunk:
        yield chunk
