"""What every answer under /api/ shares: errors in JSON, GET and HEAD only, no CSRF token
(the API changes nothing)."""

from functools import wraps

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


def api_error(status, message):
    return JsonResponse({"error": message}, status=status)


def is_api(request):
    return request.path.startswith("/api/")


def api_view(view):
    """GET and HEAD only, answered in JSON: any other method is a JSON 405 with Allow.

    The API changes nothing, so it needs no CSRF token: a POST gets its 405, not a 403 page.
    """

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = api_error(405, f"method {request.method[:20]} not allowed: use GET")
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return wrapper
