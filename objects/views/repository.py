"""The registry repository's layout, served from the stored data (`/registry/...`), and the
object list's definitions as a ZIP laid out the same way (`/export.zip`).

So this site is a source for every tool that reads the repository (Anjay's
tools/lwm2m_object_registry.py given `http://this-site/registry`, another mirror's
`sync_registry http://this-site/registry/`), and stays one when upstream is down. The files
are XML from upstream served from our own origin, so each goes out as application/xml with the
same sandboxing Content-Security-Policy as definition.xml: tools do not care, a browser that
opens one runs nothing in it.
"""

import hashlib
from dataclasses import replace

from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe

from objects.catalog.list_params import DEFAULT_STATUSES
from objects.catalog.per_sync import per_sync
from objects.catalog.reads import retry_if_swapped, with_body
from objects.context_processors import last_sync
from objects.mirror.repository_layout import (
    INDEX,
    ITEM_COLUMNS,
    REGISTRY_FILES,
    ddf_document,
    ddf_item,
    ddf_path,
    ddf_pieces,
    parse_name,
    version_history_path,
    zip_chunks,
)
from objects.models import ObjectVersion, RegistryFile
from objects.views.common import whole_or_streamed
from objects.views.definitions import INERT_CSP
from objects.views.lists import matching_rows

PLAIN = "text/plain; charset=utf-8"
LAYOUT = (
    "The registry's layout holds DDF.xml, <ID>.xml (the latest version), "
    "version_history/<ID>-<Major>_<Minor>.xml (every version), Common.xml, LWM2M.xsd and "
    "LWM2M-v1_1.xsd."
)


def plain(status, message):
    response = HttpResponse(message + "\n", status=status, content_type=PLAIN)
    response["Content-Security-Policy"] = INERT_CSP
    return response


def not_found(message):
    response = HttpResponseNotFound(message + "\n", content_type=PLAIN)
    response["Content-Security-Policy"] = INERT_CSP
    return response


def shown(name):
    """A requested name as the 404 repeats it: bounded, printable."""
    text = "".join(ch if ch.isprintable() else "?" for ch in name[:80])
    return text + ("…" if len(name) > 80 else "")


def ordered_versions():
    return ObjectVersion.objects.order_by("object_id", "ver_major", "ver_minor")


@per_sync(maxsize=1)
def registry_index(run):
    """(DDF.xml's bytes, its ETag), built once per process and successful sync: one Item per
    stored version in ObjectID then version order. The ETag is the hash of those bytes, so it
    stays the same across syncs that changed nothing and always names the bytes sent."""
    rows = ordered_versions().values_list(*ITEM_COLUMNS)
    body = ddf_document(ddf_item(values) for values in rows)
    return body, f'"{hashlib.sha256(body).hexdigest()}"'


def xml_answer(request, etag, load, missing):
    """The file's bytes as application/xml with its strong ETag, or a 304 when the client
    has them (If-None-Match). `load()` returns (bytes, ETag) or None, read only when needed;
    `missing` is the 404's message when the file went away in between (a sync's swap)."""
    # Its cache policy and Last-Modified are every public answer's (registry_site/http_cache.py).
    headers = {"ETag": etag, "Content-Security-Policy": INERT_CSP}
    template = HttpResponse(headers=headers)
    # The template itself back means no condition applied; else a 304 (or 412) with its headers.
    conditional = get_conditional_response(request, etag=etag, response=template)
    if conditional is not template:
        conditional["Content-Security-Policy"] = INERT_CSP
        return conditional
    loaded = load()
    if loaded is None:
        return not_found(missing)
    body, etag = loaded
    response = HttpResponse(body, content_type="application/xml", headers=headers)
    # The ETag of the bytes sent, read with them.
    response["ETag"] = etag
    return response


def definition_answer(request, versions, missing):
    """The stored definition of the one version `versions` selects."""
    sha = versions.values_list("definition_sha256", flat=True).first()
    if not sha:
        return not_found(missing)

    def load():
        row = with_body(versions.exclude(definition_sha256=""))
        row = row.values_list("definition", "definition_sha256")
        row = row.first()
        if row is None or row[0] is None:
            return None
        return bytes(row[0]), f'"{row[1]}"'

    return xml_answer(request, f'"{sha}"', load, missing)


def registry_file_answer(request, name):
    """Common.xml or a schema, as the last sync kept it."""
    files = RegistryFile.objects.filter(name=name, body__isnull=False).exclude(sha256="")
    sha = files.values_list("sha256", flat=True).first()
    missing = f"{name}: this mirror has no copy of it (no sync could fetch it)."
    if not sha:
        return not_found(missing)

    def load():
        row = files.values_list("body", "sha256").first()
        return None if row is None else (bytes(row[0]), f'"{row[1]}"')

    return xml_answer(request, f'"{sha}"', load, missing)


# The layout's two folders, as a person browses them (a tool reads only the files).
FOLDERS = {"": "", "version_history": "version_history/", "version_history/": "version_history/"}


@per_sync(maxsize=1)
def folder_entries(run):
    """{folder: [(file name, ObjectID, version, object name)]} of the stored definitions."""
    rows = ordered_versions().exclude(definition_sha256="")
    entries = {"": [], "version_history/": []}
    for object_id, ver, major, minor, is_latest, name in rows.values_list(
        "object_id", "ver", "ver_major", "ver_minor", "is_latest", "name"
    ):
        path = version_history_path(object_id, major, minor)
        entries["version_history/"].append((path.split("/", 1)[1], object_id, ver, name))
        if is_latest:
            entries[""].append((ddf_path(object_id, major, minor, True), object_id, ver, name))
    return entries


def folder_page(request, folder):
    """/registry/ and /registry/version_history/ for a person: every file, linked."""
    run = last_sync(request)
    files = []
    if folder == "":
        kept = set(
            RegistryFile.objects.filter(name__in=REGISTRY_FILES, body__isnull=False)
            .exclude(sha256="")
            .values_list("name", flat=True)
        )
        files = [name for name in REGISTRY_FILES if name in kept]
    context = {
        "folder": folder,
        "run": run,
        "files": files,
        "entries": folder_entries(run)[folder] if run else [],
    }
    return render(request, "objects/registry_folder.html", context)


@require_safe
def registry_file(request, name):
    """GET /registry/<name>: a file of the registry's repository layout, or a plain 404.

    Leading slashes are dropped, so a tool given `http://this-site/registry/` that adds its
    own (`.../registry//DDF.xml`, as Anjay's does) finds the file too.
    """
    name = name.lstrip("/")
    if name in FOLDERS:
        return folder_page(request, FOLDERS[name])
    wanted = parse_name(name)
    if wanted is None:
        return not_found(f"No such file in the registry's layout: {shown(name)}. {LAYOUT}")
    if wanted.kind == "file":
        return registry_file_answer(request, name)
    if wanted.kind == "index":
        run = last_sync(request)
        if run is None:
            return plain(503, "This mirror has no data yet: run manage.py sync_registry.")
        body, etag = registry_index(run)
        return xml_answer(request, etag, lambda: (body, etag), INDEX)
    if wanted.kind == "latest":
        versions = ordered_versions().filter(object_id=wanted.object_id, is_latest=True)
        missing = (
            f"{name}: no object {wanted.object_id} with a stored definition of its latest version."
        )
    else:
        versions = ordered_versions().filter(
            object_id=wanted.object_id, ver_major=wanted.major, ver_minor=wanted.minor
        )
        missing = (
            f"{name}: no object {wanted.object_id} version {wanted.major}.{wanted.minor} "
            "with a stored definition."
        )
    return definition_answer(request, versions, missing)


# -- /export.zip -------------------------------------------------------------------------------

ZIP_NAME = "lwm2m-registry.zip"
# Past this many ObjectIDs the export reads every version rather than list them in the query.
MAX_LISTED_IDS = 500


def exported_files(selected, only_latest, object_ids):
    """(name, bytes) of the export, read one row at a time: each selected version's stored
    definition under its DDF path, then DDF.xml listing exactly those versions (from the same
    rows, so it always matches the files), then Common.xml and the schemas."""
    versions = ordered_versions()
    if only_latest:
        versions = versions.filter(is_latest=True)
    if object_ids is not None:
        versions = versions.filter(object_id__in=sorted(object_ids))
    items = []
    # One query, one row in memory at a time: a definition is read, zipped and dropped.
    rows = with_body(versions).values_list(*ITEM_COLUMNS, "definition")
    for values in rows.iterator(chunk_size=1):
        *columns, definition = values
        object_id, ver, major, minor, is_latest = columns[:5]
        if (object_id, ver) not in selected:
            continue
        if definition is None:
            columns[-1] = ""  # listed as the registry lists a version it has no file for
        items.append(ddf_item(columns).encode())
        if definition is not None and columns[-1]:
            yield ddf_path(object_id, major, minor, is_latest), bytes(definition)
    yield INDEX, ddf_pieces(items)
    files = RegistryFile.objects.filter(name__in=REGISTRY_FILES, body__isnull=False)
    for name, body in files.order_by("name").values_list("name", "body").iterator(chunk_size=1):
        yield name, bytes(body)


@require_safe
@retry_if_swapped
def export_zip(request):
    """GET /export.zip?<the object list's parameters>: the listed versions' definitions (the
    latest, or every version with versions=all) laid out as the registry's repository, with
    DDF.xml, Common.xml and the schemas: built once per sync and kept
    (registry_site/http_cache.py), or past the store's bound streamed as it is zipped."""
    # Placeholders too, unless the request says otherwise: the registry's DDF.xml lists them.
    matched = matching_rows(request, every_status=True)
    params, run, rows = matched.params, matched.run, matched.result.rows
    selected = {(row.object_id, row.ver) for row in rows}
    object_ids = {row.object_id for row in rows}
    narrowed = replace(params, statuses=DEFAULT_STATUSES).filtered or "status" in request.GET
    if not narrowed or len(object_ids) > MAX_LISTED_IDS:
        object_ids = None
    only_latest = all(row.is_latest for row in rows)
    date_time = run.data_as_of.timetuple()[:6] if run is not None and run.data_as_of else None
    files = exported_files(selected, only_latest, object_ids)
    chunks = zip_chunks(files, date_time) if date_time else zip_chunks(files)
    response = whole_or_streamed(request, chunks, "application/zip")
    response["Content-Disposition"] = f'attachment; filename="{ZIP_NAME}"'
    return response
