"""A request body is refused from its headers: a Content-Length over MAX_REQUEST_BODY is a 413
before a byte of the body is read (Django's CSRF check would read it all first, and an upload
past FILE_UPLOAD_MAX_MEMORY_SIZE would go to a temporary file), on every URL.

The server's front (registry_site/asgi.py) applies the same refusals before it reads a body,
and refuses a chunked body past the limit and a body late past REQUEST_BODY_TIMEOUT; this
middleware keeps the rule for any other server and for the test client."""

import json

from django.conf import settings
from django.http import HttpResponse


def over_limit():
    return f"The request body is over the {settings.MAX_REQUEST_BODY:,}-byte limit."


def length_refusal(length):
    """(status, message) for a Content-Length header's value that is refused, else None."""
    length = length.strip()
    if not length:
        return None
    if not (length.isascii() and length.isdigit()):
        return 400, "Content-Length is no whole number."
    if int(length) > settings.MAX_REQUEST_BODY:
        return 413, over_limit()
    return None


def refusal(path, status, message):
    """(content type, body) of a refusal: JSON for the API, plain text elsewhere."""
    if path.startswith("/api/"):
        return "application/json", json.dumps({"error": message}).encode()
    return "text/plain; charset=utf-8", (message + "\n").encode()


def body_limit(get_response):
    def middleware(request):
        refused = length_refusal(request.META.get("CONTENT_LENGTH", ""))
        if refused:
            status, message = refused
            content_type, body = refusal(request.path, status, message)
            response = HttpResponse(body, status=status, content_type=content_type)
            # The body is left unread: the connection cannot be reused.
            response["Connection"] = "close"
            return response
        return get_response(request)

    return middleware
