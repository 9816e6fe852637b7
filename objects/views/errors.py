"""The error pages: JSON under /api/, as every other API answer; elsewhere Django's own."""

from django.views import defaults
from django.views.csrf import csrf_failure as html_csrf_failure

from objects.mirror.json_api import api_error, is_api


def handler400(request, exception):
    if is_api(request):
        return api_error(400, "bad request")
    return defaults.bad_request(request, exception)


def handler403(request, exception):
    if is_api(request):
        return api_error(403, "forbidden")
    return defaults.permission_denied(request, exception)


def handler404(request, exception):
    if is_api(request):
        return api_error(404, "no such API endpoint or object")
    return defaults.page_not_found(request, exception)


def handler500(request):
    if is_api(request):
        return api_error(500, "internal error")
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    if is_api(request):
        return api_error(403, "forbidden: this API is read-only")
    return html_csrf_failure(request, reason)
