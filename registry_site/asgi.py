"""The site as the server runs it: the WSGI application behind a front that reads each request
body whole, in time, before a thread is given to it.

Granian's event loop holds every connection, so a client slow to send its headers or to read its
answer costs no thread. A request body is another matter: a WSGI application reads it from its
thread, and a client that trickles one would hold that thread for as long as it likes (two such
clients stop a worker of two threads). Here the body is read by the event loop instead, where
waiting costs nothing: a body that does not arrive within REQUEST_BODY_TIMEOUT seconds is a 408,
one over MAX_REQUEST_BODY a 413 (from its Content-Length before a byte is read, or chunked as
soon as it passes the limit), and the connection is closed. The application (a2wsgi's thread
pool, THREADS threads) then gets the body in memory, with its length, as if it had come at once.
"""

import asyncio

from a2wsgi import WSGIMiddleware
from django.conf import settings

from registry_site.body_limit import length_refusal, over_limit, refusal
from registry_site.wsgi import application as wsgi_application


async def read_body(receive, limit):
    """The body, or None when it passes the limit; a client that leaves ends the read."""
    pieces, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ConnectionAbortedError("the client left before its body was sent")
        piece = message.get("body", b"")
        size += len(piece)
        if size > limit:
            return None
        pieces.append(piece)
        if not message.get("more_body", False):
            return b"".join(pieces)


async def send_refusal(send, path, status, message):
    content_type, body = refusal(path, status, message)
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def with_length(headers, length):
    """The headers of a body now whole: its length, no Transfer-Encoding."""
    kept = [(k, v) for k, v in headers if k not in (b"content-length", b"transfer-encoding")]
    return [*kept, (b"content-length", str(length).encode())]


class WholeBodies:
    """An ASGI front for `app` that hands it only whole bodies (the module's docstring)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"").decode("latin-1").strip()
        chunked = b"chunked" in headers.get(b"transfer-encoding", b"").lower()
        if not length and not chunked:
            return await self.app(scope, receive, send)
        refused = length_refusal(length)
        if refused:
            return await send_refusal(send, scope["path"], *refused)
        try:
            async with asyncio.timeout(settings.REQUEST_BODY_TIMEOUT):
                body = await read_body(receive, settings.MAX_REQUEST_BODY)
        except TimeoutError:
            late = f"The request body did not arrive within {settings.REQUEST_BODY_TIMEOUT:g} s."
            return await send_refusal(send, scope["path"], 408, late)
        except ConnectionAbortedError:
            return None
        if body is None:
            return await send_refusal(send, scope["path"], 413, over_limit())
        sent = False

        async def whole_body():
            nonlocal sent
            if sent:
                return await receive()  # only a disconnect is left to hear
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        scope = {**scope, "headers": with_length(scope["headers"], len(body))}
        return await self.app(scope, whole_body, send)


application = WholeBodies(WSGIMiddleware(wsgi_application, workers=settings.THREADS))
