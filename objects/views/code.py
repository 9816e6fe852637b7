"""Code from a stored definition: the code page, each generated file, and a selection's zip.

Everything is generated on request from the version's stored bytes (objects.codegen: plain,
deterministic, a few milliseconds an object), so it always matches the definition shown."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from objects.catalog.reads import definition_body
from objects.codegen import FILES, OBJECT_FILES, from_bytes, generate, how_to_use, saved_name
from objects.codegen.bundle import TARGET_CHOICES, selection_files, zip_bytes
from objects.codegen.compatibility import compatibility_of, sdk_copies
from objects.lwm2m.definitions import InvalidDefinition
from objects.mirror.registry_api import parse_object_id
from objects.models import ObjectVersion
from objects.views.common import not_found
from objects.views.definitions import INERT_CSP
from objects.views.lists import matching_rows
from objects.views.object_pages import find_version, resolve_object

MAX_SELECTION = 100
# A list's selection is every object it shows (the whole registry at most: ~350 objects, a few
# seconds); a typed ID list stays short.
MAX_LIST_SELECTION = 2000
# The page shows at most this much of each file (the downloads are whole), so a 2 MB
# definition cannot make a page of tens of megabytes; real ones are far below it.
MAX_SHOWN_CHARACTERS = 256 * 1024

# Each file: what the page calls it, and whose compatibility note applies.
FILE_INFO = {
    "anjay.c": ("Anjay 3 object (C)", "anjay", "text/x-c"),
    "anjay.h": ("Anjay 3 object: its application API (C header)", "anjay", "text/x-c"),
    "wakaama.c": ("Wakaama object (C)", "wakaama", "text/x-c"),
    "wakaama.h": ("Wakaama object: its application API (C header)", "wakaama", "text/x-c"),
    "zephyr.c": ("Zephyr LwM2M object (C)", "zephyr", "text/x-c"),
    "zephyr.h": ("Zephyr LwM2M object: its application API (C header)", "zephyr", "text/x-c"),
    "ids.h": ("Object and resource IDs (C header)", None, "text/x-c"),
    "types.ts": ("TypeScript types (lwm2m-types shape)", "nordic", "text/plain"),
    "schema.json": ("JSON Schema (lwm2m-types shape)", "nordic", "application/json"),
    "leshan.json": ("Leshan object model (JSON)", "leshan", "application/json"),
}


def _version_and_object(request, raw_id, ver):
    """(version, CodegenObject) or (None, a 404 response)."""
    object_id, versions = resolve_object(request, raw_id)
    if object_id is None:
        return None, versions
    if ver is None:
        version = next((v for v in versions if v.is_latest), versions[-1])
    else:
        version = find_version(versions, ver)
        if version is None:
            return None, not_found(request, f"Object {object_id} has no version {ver:.40}.")
    body = definition_body(version)
    if body is None:
        return None, not_found(request, f"No stored definition for {object_id} {version.ver}.")
    try:
        return version, from_bytes(body)
    except (InvalidDefinition, ValueError) as exc:
        message = f"The definition of {object_id} {version.ver} cannot be read: {exc}"
        return None, not_found(request, message[:300])


@require_safe
def code_page(request, object_id, ver=None):
    """Every target's file for one version, each with its compatibility note."""
    version, obj = _version_and_object(request, object_id, ver)
    if version is None:
        return obj
    notes = compatibility_of(obj)
    files = []
    for name in FILES:
        title, target, _ = FILE_INFO[name]
        text = generate(name, obj)
        files.append(
            {
                "name": name,
                # The name to save it under (a C object's file: lwm2m_<ID>_wakaama.c...).
                "saved": saved_name(name, version.object_id),
                "slug": name.replace(".", "-"),
                "title": title,
                "text": text[:MAX_SHOWN_CHARACTERS],
                "truncated": len(text) > MAX_SHOWN_CHARACTERS,
                "note": notes.get(target) if target else None,
                "target": target,
                # Shown once a C object, with its .c: the header's text says the same.
                "how_to_use": how_to_use(name, obj) if name.endswith(".c") else None,
            }
        )
    context = {"version": version, "files": files, "notes": notes, "copies": sdk_copies(obj)}
    return render(request, "objects/code.html", context)


@require_safe
def code_file(request, object_id, file_name, ver=None):
    """One generated file, as text to save; without `ver`, the latest version's."""
    if file_name not in FILES:
        raise Http404("no such file")
    version, obj = _version_and_object(request, object_id, ver)
    if version is None:
        return obj
    _, _, content_type = FILE_INFO[file_name]
    response = HttpResponse(generate(file_name, obj), content_type=f"{content_type}; charset=utf-8")
    if file_name in OBJECT_FILES:  # the name the other files #include
        filename = saved_name(file_name, version.object_id)
    else:
        filename = f"{version.object_id}-{version.ver}-{file_name}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Security-Policy"] = INERT_CSP
    return response


def latest_objects(object_ids):
    """[(CodegenObject, version label)] of each ID's latest readable version, and the IDs
    without one."""
    rows = ObjectVersion.objects.defer("search_text").filter(object_id__in=object_ids)
    latest = {}
    for version in rows.order_by("object_id", "ver_major", "ver_minor"):
        # The latest version, or the newest with a definition when none is marked latest.
        current = latest.get(version.object_id)
        if version.definition_sha256 and (current is None or not current.is_latest):
            latest[version.object_id] = version
    found, missing = [], []
    for object_id in object_ids:
        version = latest.get(object_id)
        body = definition_body(version) if version else None
        try:
            found.append((from_bytes(body), version.ver))
        except (InvalidDefinition, ValueError, TypeError):
            missing.append(object_id)
    return found, missing


def _bad_request(message):
    return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")


@require_safe
def code_zip(request):
    """?id=3,5,3303&target=anjay|wakaama|zephyr|ids|ts|schema|leshan|all: a zip of every chosen
    object's latest files, with one combined ids.h and one combined schema. Without id, the
    object list's parameters choose the objects: the list links its selection here."""
    target = request.GET.get("target", "all")
    if target not in TARGET_CHOICES:
        return _bad_request(f"target must be one of {', '.join(TARGET_CHOICES)}")
    if "id" not in request.GET:
        return _list_selection_zip(request, target)
    raw = ",".join(request.GET.getlist("id"))
    parts = [part for part in raw.split(",") if part.strip()]
    if not parts:
        return _bad_request("id: give one or more object IDs, e.g. id=3,5,3303")
    if len(parts) > MAX_SELECTION:
        return _bad_request(f"id: at most {MAX_SELECTION} objects at a time")
    object_ids = []
    for part in parts:
        try:
            object_id = parse_object_id(part)
        except ValueError:
            return _bad_request(f"id: not an object ID: {part.strip()[:40]!r}")
        if object_id not in object_ids:
            object_ids.append(object_id)
    return _zip_response(request, object_ids, target)


def _list_selection_zip(request, target):
    """Without id: the objects the list shows for the same parameters (its selection)."""
    rows = matching_rows(request).result.rows
    object_ids = list(dict.fromkeys(row.object_id for row in rows))
    if not object_ids:
        return not_found(request, "The list shows no object for these parameters.")
    if len(object_ids) > MAX_LIST_SELECTION:
        return _bad_request(f"the list shows {len(object_ids)} objects: narrow it")
    return _zip_response(request, object_ids, target)


def _zip_response(request, object_ids, target):
    found, missing = latest_objects(object_ids)
    if not found:
        return not_found(request, "None of these objects has a stored definition.")
    files = selection_files(found, target)
    if missing:
        text = "No stored, readable definition for: " + ", ".join(map(str, missing)) + "\n"
        files.append(("MISSING.txt", text))
    response = HttpResponse(zip_bytes(files), content_type="application/zip")
    name = "lwm2m-code-" + "-".join(str(i) for i in object_ids[:5])
    if len(object_ids) > 5:
        name += "-more"
    response["Content-Disposition"] = f'attachment; filename="{name}-{target}.zip"'
    return response
