"""Validators and a cache policy for every public answer, from the live data: a CDN in front,
or a browser, asks again with If-None-Match or If-Modified-Since and gets a 304 before the view
runs. The ETag is the live generation with the request's own URL and the headers an answer
varies by, so a sync that changes nothing moves no validator; Last-Modified is when the data
last changed. Staff pages, forms and anything with a session are private and never stored."""

import hashlib

from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from objects.context_processors import last_sync

# Pages for staff, and forms (a CSRF token is per visitor): never stored by a shared cache.
PRIVATE = ("/admin/", "/sync/", "/accounts/", "/validate/")
# What an answer may vary by besides its URL (htmx's fragments, the definition's type).
VARY = ("HX-Request", "HX-History-Restore-Request", "HX-Trigger", "Accept")
PUBLIC = "public, max-age={max_age}, stale-while-revalidate={stale}"
# Answers with validators of their own, of the bytes they send: the mirror API's, the stored
# files' (the repository layout, a definition's XML).
OWN_VALIDATORS = ("/api/lwm2m/", "/registry/")


def private(request):
    return request.path.startswith(PRIVATE) or settings.SESSION_COOKIE_NAME in request.COOKIES


def validators(request):
    """(ETag, Last-Modified as a timestamp) of the live data for this request, or None."""
    run = last_sync(request)
    if run is None:
        return None
    varied = "|".join(request.headers.get(name, "") for name in VARY)
    key = f"{run.generation}|{request.get_full_path()}|{varied}"
    changed = run.data_changed or run.finished
    return f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"', int(changed.timestamp())


def matches(header, etag):
    """If-None-Match's weak comparison: W/ forms match, and *."""
    tags = [tag.strip() for tag in header.split(",")]
    return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)


def not_modified(request, etag, modified):
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if header is not None:
        return matches(header, etag)
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and modified <= since


def public_headers(response, etag, modified):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = PUBLIC.format(
        max_age=settings.CACHE_MAX_AGE, stale=settings.CACHE_STALE_WHILE_REVALIDATE
    )
    patch_vary_headers(response, VARY)


def http_cache(get_response):
    def middleware(request):
        if request.method not in ("GET", "HEAD") or request.path == "/healthz":
            return get_response(request)
        if request.path.startswith(OWN_VALIDATORS) or request.path.endswith("/definition.xml"):
            return get_response(request)
        if private(request):
            response = get_response(request)
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private, no-cache"
            return response
        found = validators(request)
        if found is None:
            return get_response(request)
        etag, modified = found
        if not_modified(request, etag, modified):
            response = HttpResponseNotModified()
            public_headers(response, etag, modified)
            return response
        response = get_response(request)
        # Answers with validators or a policy of their own (the stored files, the mirror API)
        # keep them; one that sets a cookie is no one's to share.
        own = response.has_header("ETag") or response.has_header("Cache-Control")
        if response.status_code == 200 and not own and not response.cookies:
            public_headers(response, etag, modified)
        return response

    return middleware
