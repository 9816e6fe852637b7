"""Authoring an object (/author/): the editor, a plain form that works without JavaScript (each
button posts the whole draft and the page comes back with it and its findings; with htmx the
form's changes post to the page's `live` partial and its buttons to its `editor` partial), free
IDs, shared drafts (/author/d/<id>/) and the submission kit (/api/v1/author/kit.zip).
Request-time logic lives in objects/catalog/author.py."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from objects.catalog import author as catalog
from objects.catalog.reads import retry_if_swapped
from objects.context_processors import last_sync
from objects.lwm2m import draft as drafts
from objects.lwm2m.definitions import InvalidDefinition
from objects.mirror.json_api import api_error, api_view
from registry_site.client_ip import client_ip

PARTS = ("live", "editor")


def private(response):
    """A draft is its author's: never stored by a shared cache, never indexed."""
    patch_cache_control(response, private=True, no_cache=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def choices():
    return {
        "types": drafts.TYPES,
        "operations": drafts.OPERATIONS,
        "instances": drafts.INSTANCES,
        "mandatory_choices": drafts.MANDATORY,
        "lwm2m_versions": drafts.LWM2M_VERSIONS,
        "units": drafts.SENML_UNITS,
        "id_classes": [
            (code, f"{what} ({first}-{last})")
            for code, (first, last, what) in catalog.ID_CLASSES.items()
        ],  # fmt: skip
    }


def render_editor(request, editor, *, status=200, part="", **extra):
    """The page (or one of its partials, for htmx) for the editor's draft."""
    run = last_sync(request)
    common = catalog.common_resources(run)
    analysis = catalog.analyse(editor, run, common)
    context = {
        "analysis": analysis,
        "editor": editor,
        "draft": editor.draft,
        "rows": [{"i": i, "r": r, "p": f"r{i}-"} for i, r in enumerate(editor.draft.resources)],
        "common": sorted(common.values(), key=lambda row: row.resource_id),
        "max_resources": catalog.MAX_RESOURCES,
        "max_draft_bytes": catalog.MAX_DRAFT_BYTES,
        **choices(),
        **extra,
    }
    name = f"objects/author.html#{part}" if part in PARTS else "objects/author.html"
    return private(render(request, name, context, status=status))


@require_safe
@retry_if_swapped
def author_page(request):
    """GET /author/: blank (the browser brings back the draft it kept), or ?from=3303/1.1."""
    start = str(request.GET.get("from", "")).strip()[:40]
    if not start:
        return render_editor(request, catalog.Editor(drafts.Draft()), restore=True)
    common = catalog.common_resources(last_sync(request))
    try:
        base = catalog.registered_base(start, common)
    except catalog.BadDraft as exc:
        return render_editor(request, catalog.Editor(drafts.Draft()), status=404, error=str(exc))
    editor = catalog.Editor(drafts.copy(base.draft), base_text=base.text)
    return render_editor(request, editor, started=f"Started from {base.text} {base.name}.")


@require_POST
@retry_if_swapped
def author_edit(request):
    """POST /author/edit/: the form with the button pressed (`action`); htmx asks for a part."""
    common = catalog.common_resources(last_sync(request))
    action = str(request.POST.get("action", ""))[:40]
    part = request.POST.get("part", "") if request.htmx else ""
    if action == "new":
        return render_editor(request, catalog.Editor(drafts.Draft()), part=part, cleared=True)
    if action == "upload":
        return upload(request, common, part)
    editor = catalog.editor_from_post(request.POST, common)
    if action == "kit":
        analysis = catalog.analyse(editor, last_sync(request), common)
        try:
            return kit_response(catalog.build_kit(analysis, editor.owner, common))
        except catalog.BadDraft as exc:
            return render_editor(request, editor, status=400, error=str(exc))
    if action == "share":
        return share(request, editor)
    catalog.apply_action(editor, action, request.POST, common)
    return render_editor(request, editor, part=part)


def upload(request, common, part):
    upload = request.FILES.get("file")
    if upload is None:
        return render_editor(request, catalog.Editor(drafts.Draft()), status=400,
                             error="Choose a definition file to start from.")  # fmt: skip
    body = upload.read(catalog.MAX_DRAFT_BYTES + 1)
    try:
        if len(body) > catalog.MAX_DRAFT_BYTES:
            raise InvalidDefinition(f"over the {catalog.MAX_DRAFT_BYTES // 1024} KB limit")
        draft = drafts.from_xml(body)
    except InvalidDefinition as exc:
        return render_editor(request, catalog.Editor(drafts.Draft()), status=400,
                             error=f"That file is not a definition: {exc}")  # fmt: skip
    del draft.resources[catalog.MAX_RESOURCES :]
    catalog.mark_reusable(draft, common)
    editor = catalog.Editor(draft, override=True)
    return render_editor(request, editor, part=part, started=f"Started from {upload.name[:100]}.")


def kit_response(kit):
    response = HttpResponse(kit.data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{kit.name}"'
    return private(response)


def share(request, editor):
    try:
        key = catalog.share_draft(editor, client_ip(request))
    except catalog.DraftLimit as exc:
        return render_editor(request, editor, status=exc.status, error=str(exc))
    return private(redirect(reverse("objects:shared_draft", args=[key]), permanent=False))


@require_safe
@retry_if_swapped
def shared_draft(request, key):
    """GET /author/d/<id>/: a shared draft, to read and fork (an edit is the reader's own)."""
    common = catalog.common_resources(last_sync(request))
    try:
        editor = catalog.open_draft(key, common)
    except catalog.DraftLimit as exc:
        return render_editor(request, catalog.Editor(drafts.Draft()), status=exc.status,
                             error=str(exc))  # fmt: skip
    return render_editor(request, editor, shared=True)


@csrf_exempt
def kit_zip_api(request):
    """POST /api/v1/author/kit.zip with a definition as the body (application/xml): the
    submission kit. No cookie is read, so no CSRF token is needed."""
    if request.method != "POST":
        response = api_error(405, "use POST with a definition as the body (application/xml)")
        response["Allow"] = "POST"
        return response
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type not in ("application/xml", "text/xml"):
        return api_error(415, "send the definition as the body, Content-Type: application/xml")
    body = request.body
    if len(body) > catalog.MAX_DRAFT_BYTES:
        return api_error(413, f"the definition is over the {catalog.MAX_DRAFT_BYTES:,}-byte limit")
    run = last_sync(request)
    common = catalog.common_resources(run)
    try:
        draft = drafts.from_xml(body)
    except InvalidDefinition as exc:
        return api_error(400, f"not a definition: {exc}")
    if draft.number is None:
        return api_error(400, "the definition has no ObjectID that is a number")
    catalog.mark_reusable(draft, common)
    editor = catalog.Editor(draft, override=True, owner=str(request.GET.get("owner", ""))[:200])
    analysis = catalog.analyse(editor, run, common)
    try:
        return kit_response(catalog.build_kit(analysis, editor.owner, common))
    except catalog.BadDraft as exc:
        return api_error(400, str(exc))


@api_view
@retry_if_swapped
def free_ids_json(request):
    """GET /api/v1/ids/free/?label=oma|ext|x&count=5: the next IDs no object or placeholder
    holds."""
    try:
        count = catalog.parse_count(request.GET.get("count"))
        found = catalog.free_ids(last_sync(request), request.GET.get("label", "x"), count)
    except catalog.BadDraft as exc:
        return api_error(400, str(exc))
    return JsonResponse(free_json(found))


def free_json(found):
    return {
        "label": found.label,
        "free": found.free,
        "range": {"first": found.first, "last": found.last, "what": found.what},
        "reserved": found.reserved,
        "taken": found.taken,
    }
