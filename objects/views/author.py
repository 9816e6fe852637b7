"""Authoring an object (/author/): the editor, its free IDs, shared drafts and the submission
kit (/api/v1/author/kit.zip). Request-time logic lives in objects/catalog/author.py."""

from django.http import JsonResponse

from objects.catalog import author as catalog
from objects.catalog.reads import retry_if_swapped
from objects.context_processors import last_sync
from objects.mirror.json_api import api_error, api_view


@api_view
@retry_if_swapped
def free_ids_json(request):
    """GET /api/v1/ids/free/?label=oma|ext|x&count=5: the next IDs no object or placeholder
    holds."""
    try:
        count = catalog.parse_count(request.GET.get("count"))
        found = catalog.free_ids(last_sync(request), request.GET.get("label", "x"), count)
    except catalog.BadRequest as exc:
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
