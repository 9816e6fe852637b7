"""Validators, a cache policy and a store of whole answers for every public answer, from the
live data.

A CDN in front, or a browser, asks again with If-None-Match or If-Modified-Since and gets a 304
before the view runs. The ETag is the live generation with the request's own URL and the
headers an answer varies by, so a sync that changes nothing moves no validator; Last-Modified
is when the data last changed. Staff pages, forms and anything with a session are private and
never stored.

The same key finds the answer itself: each public answer is built once per sync (per process,
compressed or not as the client accepts), then served from memory, whatever sits in front. It
is kept with every other per-sync cache (objects/catalog/per_sync.py), so the first request
that reads a newer sync drops it: on every server sharing the database, no answer outlives the
swap it was built before.

This middleware sits outside GZipMiddleware, so it stores what is sent: a compressed answer's
ETag is weak, never the identity answer's strong one.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import overload

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from objects.catalog.lru import BoundedLRU
from objects.catalog.per_sync import kept
from objects.context_processors import last_sync
from objects.models import SyncRun
from objects.views.heavy import Busy, busy, canonical_path, is_heavy, process_builds

# Pages for staff, and forms (a CSRF token is per visitor): never stored by a shared cache.
PRIVATE = ("/admin/", "/sync/", "/accounts/", "/validate/", "/author/")
# Django's messages wait for their visitor in this cookie (CookieStorage, the default's first).
MESSAGES_COOKIE = "messages"
# What an answer may vary by besides its URL (htmx's fragments, the definition's type, and the
# history entry a list's fragment asks for, which depends on the URL the browser shows).
VARY = ("HX-Request", "HX-History-Restore-Request", "HX-Trigger", "HX-Current-URL", "Accept")
# What a stored answer may vary by: these and the encoding, which is part of the store's key.
STORABLE_VARY = frozenset(name.lower() for name in (*VARY, "Accept-Encoding"))
PUBLIC = "public, max-age={max_age}, stale-while-revalidate={stale}"
# Where an answer may carry validators of its own, of the bytes it sends (the mirror API's whole
# list, the repository layout's files): their view answers those conditions itself, and the
# answers without them get these once made.
OWN_VALIDATORS = ("/api/lwm2m/", "/registry/")


def private(request: HttpRequest) -> bool:
    """Staff pages and forms, and a visitor with a session or a message waiting for them."""
    cookies = request.COOKIES
    return (
        request.path.startswith(PRIVATE)
        or settings.SESSION_COOKIE_NAME in cookies
        or MESSAGES_COOKIE in cookies
    )


def validators(request: HttpRequest, run: SyncRun) -> tuple[str, int]:
    """(ETag, Last-Modified as a timestamp) of the live data for this request."""
    varied = "|".join(request.headers.get(name, "") for name in VARY)
    # The origin too: without SITE_URL, links are the request's scheme and host's.
    # A heavy answer's URL is what it depends on: a junk parameter is no new build.
    url = f"{request.scheme}://{request.get_host()}{canonical_path(request)}"
    key = f"{run.generation}|{run.source}|{settings.SITE_URL}|{url}|{varied}"
    return f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"', int(run.data_as_of.timestamp())


def matches(header: str, etag: str) -> bool:
    """If-None-Match's weak comparison: W/ forms match, and *."""
    tags = [tag.strip() for tag in header.split(",")]
    return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)


def not_modified(
    request: HttpRequest, etag: str, modified: int, sent: str
) -> HttpResponseNotModified | None:
    """A 304 for a request whose copy is current, else None; it carries the ETag a 200 would
    (`sent`: weak for a compressed answer).

    Written here, not Django's get_conditional_response, whose answers differ: it reads
    If-Modified-Since when If-None-Match is empty or holds no well-formed ETag, where RFC 9110
    13.1.3 ignores it whenever If-None-Match is sent; and it answers If-Match and
    If-Unmodified-Since with a 412, which no public page has done. Nor ConditionalGetMiddleware:
    it hashes the body after the view; this answers before the view, from the live data."""
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if header is not None:
        if not matches(header, etag):
            return None
    else:
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        if since is None or modified > since:
            return None
    response = HttpResponseNotModified()
    public_headers(response, sent, modified)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def sent_etag(etag: str, compressed: bool) -> str:
    return f"W/{etag}" if compressed else etag


def public_policy() -> str:
    max_age, stale = settings.CACHE_MAX_AGE, settings.CACHE_STALE_WHILE_REVALIDATE
    return PUBLIC.format(max_age=max_age, stale=stale)


def public_headers(response: HttpResponseBase, etag: str, modified: int) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = public_policy()
    patch_vary_headers(response, VARY)


@dataclass(frozen=True)
class Answer:
    """A whole answer as it was sent: its status, headers and bytes."""

    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    @property
    def etag(self) -> str:
        return next(value for name, value in self.headers if name == "ETag")

    def response(self) -> HttpResponse:
        return HttpResponse(self.content, status=self.status, headers=dict(self.headers))


class Answers(BoundedLRU):
    """The whole answers of one sync, the least recently used dropped past a budget of what
    each really holds (its key, headers and bytes: a 154-byte answer holds about 2 KB) of
    ANSWER_CACHE_BYTES, and past ANSWER_CACHE_ENTRIES answers; an answer over an eighth of the
    budget is never kept."""

    def __init__(self) -> None:
        super().__init__(
            max_entries=lambda: settings.ANSWER_CACHE_ENTRIES,
            max_bytes=lambda: settings.ANSWER_CACHE_BYTES,
        )


answers = kept.register(Answers())


def drop_cookie_from_vary(response: HttpResponseBase) -> None:
    """Drop Cookie from a public answer's Vary. The page read the (empty) session of a visitor
    with none, and is the same for every such visitor; a visitor with a session is answered
    privately, so varying by every cookie (a CSRF token, a CDN's own) would only split caches."""
    varied = [name.strip() for name in cc_delim_re.split(response.get("Vary", "")) if name]
    kept_names = [name for name in varied if name.lower() != "cookie"]
    if len(kept_names) != len(varied):
        response["Vary"] = ", ".join(kept_names)


def storable(response: HttpResponseBase) -> bool:
    """Whether an answer is everyone's and whole: no cookie, no per-visitor Vary, in memory."""
    if response.streaming or response.cookies:
        return False
    varied = {name.strip().lower() for name in cc_delim_re.split(response.get("Vary", ""))}
    return varied - {""} <= STORABLE_VARY


def own_validators(request: HttpRequest) -> bool:
    return request.path.startswith(OWN_VALIDATORS) or request.path.endswith("/definition.xml")


@overload
def built(request: HttpRequest, make: Callable[[], HttpResponseBase]) -> HttpResponseBase: ...


@overload
def built(
    request: HttpRequest,
    make: Callable[[], HttpResponseBase],
    key: tuple[str, bool] | None,
    stored: Callable[[], Answer | None],
) -> HttpResponseBase | Answer: ...


def built(request, make, key=None, stored=lambda: None):
    """make()'s answer; a heavy one within the process's bounds, or the Answer of the same
    key's build that ended while this waited (objects/views/heavy.py), or a 503. (Without a
    key, no other request's build is shared: always a response.)"""
    if not is_heavy(request):
        return make()
    try:
        return process_builds().run(key, make, stored, shareable)
    except Busy:
        return busy()


def shareable(response: HttpResponseBase) -> Answer | None:
    """A public whole answer as an Answer (each waiter makes its own response of it), or None."""
    if response.status_code != 200 or not storable(response):
        return None
    if not response.has_header("ETag") or response.has_header("Set-Cookie"):
        return None
    return Answer(200, tuple(response.items()), response.content)


def http_cache(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    def middleware(request: HttpRequest) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD") or request.path == "/healthz":
            return built(request, lambda: get_response(request))
        if private(request):
            response = built(request, lambda: get_response(request))
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private, no-cache"
            return response
        run = last_sync(request)
        if run is None:
            return built(request, lambda: get_response(request))
        etag, modified = validators(request, run)
        compressed = bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        key = (etag, compressed)
        current = kept.admit(run)  # False: a newer sync is kept, this request read an older one
        stored = answers.get(key) if current else None
        sent = stored.etag if stored is not None else sent_etag(etag, compressed)
        own = own_validators(request)
        unchanged = not_modified(request, etag, modified, sent) if stored or not own else None
        if unchanged is not None:
            return unchanged
        if stored is not None:
            return stored.response()

        def make() -> HttpResponseBase:
            """The view's answer with the public policy, kept when it may be (before a
            request waiting for the same heavy build looks for it)."""
            response = get_response(request)
            if response.cookies or response.status_code not in (200, 304):
                return response  # an answer that sets a cookie is no one's to share
            if response.has_header("ETag"):
                return with_own_validator(request, response, modified, compressed)
            if response.status_code != 200 or response.has_header("Cache-Control"):
                return response  # a policy of its own
            sent = sent_etag(etag, response.has_header("Content-Encoding"))
            public_headers(response, sent, modified)
            drop_cookie_from_vary(response)
            if request.method == "GET" and storable(response) and kept.keeps(run):
                answers.put(key, Answer(200, tuple(response.items()), response.content))
            if own:
                return not_modified(request, etag, modified, sent) or response
            return response

        response = built(request, make, key if current else None, lambda: answers.get(key))
        if isinstance(response, Answer):  # built by another request while this one waited
            return not_modified(request, etag, modified, response.etag) or response.response()
        return response

    return middleware


def with_own_validator(
    request: HttpRequest, response: HttpResponseBase, modified: int, compressed: bool
) -> HttpResponseBase:
    """An answer whose view set the ETag of the bytes it sends (a file of the registry's layout,
    the mirror's whole list): the same policy and Last-Modified as every public answer, and a
    304 for If-Modified-Since, read by not_modified for the reason it gives. Its view answered
    If-None-Match with Django's get_conditional_response, as only it knows the bytes' ETag;
    its 304 carries the ETag the 200 would have, weak when it would be compressed."""
    etag = response["ETag"]
    # A view that varies by Accept-Encoding chose its bytes, and their ETag, per encoding (the
    # mirror's list); any other's 200 is compressed by GZipMiddleware, which makes it weak.
    chose = "accept-encoding" in response.get("Vary", "").lower()
    if response.status_code == 304 and compressed and not chose and not etag.startswith("W/"):
        response["ETag"] = etag = sent_etag(etag, True)
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(modified)
    if not response.has_header("Cache-Control"):
        response["Cache-Control"] = public_policy()
    if response.status_code == 200:
        since = parse_http_date_safe(response["Last-Modified"])
        return not_modified(request, etag.removeprefix("W/"), since, etag) or response
    return response
