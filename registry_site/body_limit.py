"""A request body is refused from its headers: a Content-Length over MAX_REQUEST_BODY is a 413
before a byte of the body is read (Django's CSRF check would read it all first, and an upload
past FILE_UPLOAD_MAX_MEMORY_SIZE would go to a temporary file), on every URL."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse


def refused(request, status, message):
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": message}, status=status)
    else:
        response = HttpResponse(message + "\n", status=status, content_type="text/plain")
    # The body is left unread: the connection cannot be reused.
    response["Connection"] = "close"
    return response


def body_limit(get_response):
    def middleware(request):
        length = request.META.get("CONTENT_LENGTH", "").strip()
        if length:
            if not (length.isascii() and length.isdigit()):
                return refused(request, 400, "Content-Length is no whole number.")
            if int(length) > settings.MAX_REQUEST_BODY:
                limit = f"{settings.MAX_REQUEST_BODY:,}"
                return refused(request, 413, f"The request body is over the {limit}-byte limit.")
        return get_response(request)

    return middleware
