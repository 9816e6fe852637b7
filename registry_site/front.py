"""The server's front: a WSGI application run on a few threads behind Granian's event loop, so
that no client, however slow, holds a thread for longer than the server allows.

Granian's event loop holds every connection, so a client slow to send its headers costs no
thread. The body and the answer are the two other places a client can make a thread wait:

- The request body is read here, on the event loop, where waiting costs nothing: a body that
  does not arrive within REQUEST_BODY_TIMEOUT seconds is a 408, one over MAX_REQUEST_BODY a 413
  (from its Content-Length before a byte is read, or chunked as soon as it passes the limit),
  and the connection is closed. The application gets the body in memory, with its length.
- The answer is handed to the loop piece by piece as the application makes it, a whole answer
  too (in PIECE slices: handed over at once, the server would hold all of it for a client that
  reads none, without a deadline); a client that leaves, or takes no piece for SEND_TIMEOUT
  seconds, ends the answer there: the thread closes the application's iterable and is free (a
  client that stops reading a long export would otherwise hold it for good), and what is held
  for it is at most a piece or two. A server shutting down ends its answers the same way, so its
  worker exits.

A body whose chunked framing is broken (a chunk size of `zz`, `-1` or 18 digits) is a 400,
like one cut short.

Heavy paths (the ZIPs, objects/views/heavy.py) run on threads of their own, at most
`heavy_threads` at once, past which a 503 with Retry-After is sent from the loop: however many
are asked for, the `threads` stay free for the light pages and /healthz.
"""

import asyncio
import io
import logging
from concurrent.futures import ThreadPoolExecutor

from a2wsgi.wsgi import build_environ
from django.conf import settings

from registry_site.body_limit import length_refusal, over_limit, refusal

logger = logging.getLogger(__name__)
# What one hand-over to the loop carries at most: a streamed answer's small pieces go together.
# Every hand-over past the first costs a trip to the loop (and a listener for the client's
# leaving): 128 KB lets the largest object page (3416, 70 KB uncompressed) go in one, which
# 64 KB cost a fifth of its rate per core; a client that reads nothing still holds ~20 KB.
PIECE = 128 * 1024


class ClientGone(Exception):
    """The client left, took nothing for SEND_TIMEOUT seconds, or the server is stopping."""


async def read_body(receive, limit):
    """The body, or None when it passes the limit; a client that leaves ends the read."""
    pieces, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            # Granian's word for a body it cannot read (a bad chunk size) too.
            raise ConnectionAbortedError("the body was cut short or malformed")
        piece = message.get("body", b"")
        size += len(piece)
        if size > limit:
            return None
        pieces.append(piece)
        if not message.get("more_body", False):
            return b"".join(pieces)


async def send_refusal(send, path, status, message, extra=()):
    content_type, body = refusal(path, status, message)
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def with_length(headers, length):
    """The headers of a body now whole: its length, no Transfer-Encoding."""
    kept = [(k, v) for k, v in headers if k not in (b"content-length", b"transfer-encoding")]
    return [*kept, (b"content-length", str(length).encode())]


async def send_all(send, messages):
    for message in messages:
        await send(message)


async def hear_leaving(receive, answer):
    """Mark the answer once its client has gone (the server's send does not say so)."""
    while (await receive())["type"] != "http.disconnect":
        pass
    answer.gone = True


class Answer:
    """One answer on its way from the application's thread to the loop (WSGI's start_response
    and write, and the iterable's pieces), each hand-over waited for at most SEND_TIMEOUT."""

    def __init__(self, loop, receive, send):
        self.loop, self.receive, self.send = loop, receive, send
        self.gone, self.listening = False, None  # heard for a streamed answer only
        self.start, self.started = None, False  # the status and headers, sent with a piece
        self.timeout = settings.SEND_TIMEOUT

    def start_response(self, status, headers, exc_info=None):
        if exc_info is not None and self.started:
            raise exc_info[1].with_traceback(exc_info[2])  # too late to change the status
        self.start = {
            "type": "http.response.start",
            "status": int(status.split(" ", 1)[0]),
            "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        }
        return self.write

    def write(self, data, more=True):
        """Hand `data` to the loop, PIECE bytes at a time, each taken within SEND_TIMEOUT."""
        data = memoryview(data)
        while len(data) > PIECE:
            self.hand_over(data[:PIECE], True)
            data = data[PIECE:]
        self.hand_over(data, more)

    def hand_over(self, data, more):
        if self.gone:
            raise ClientGone
        if more and self.listening is None:
            self.listening = asyncio.run_coroutine_threadsafe(
                hear_leaving(self.receive, self), self.loop
            )
        messages = [{"type": "http.response.body", "body": bytes(data), "more_body": more}]
        if not self.started:
            messages.insert(0, self.start)
            self.started = True
        future = asyncio.run_coroutine_threadsafe(send_all(self.send, messages), self.loop)
        try:
            # A client that takes nothing, or a loop that has stopped (the server is stopping).
            future.result(self.timeout)
        except Exception as gone:  # the future's TimeoutError or CancelledError, or send's own
            future.cancel()
            raise ClientGone from gone

    def run(self, app, environ):
        """Run the application in this thread, its pieces gathered up to PIECE bytes; the last
        one goes with the answer's end, so a small whole answer is one hand-over."""
        iterable = app(environ, self.start_response)
        try:
            held = bytearray()
            for piece in iterable:
                if len(held) + len(piece) > PIECE and held:
                    self.write(held)
                    held = bytearray()
                held += piece
            self.write(held, more=False)
        except ClientGone:
            logger.info("%s %s: the answer ended early, its client gone or stalled",
                        environ["REQUEST_METHOD"], environ["PATH_INFO"])  # fmt: skip
        finally:
            getattr(iterable, "close", lambda: None)()
            if self.listening is not None:
                self.listening.cancel()


class Front:
    """An ASGI application for Granian that runs the WSGI application `app` on `threads`
    threads, with only whole bodies and answers sent in time (the module's docstring)."""

    def __init__(self, app, threads, heavy_paths=(), heavy_threads=1, retry_after=5):
        self.app = app
        self.threads = ThreadPoolExecutor(threads, thread_name_prefix="request")
        self.heavy_paths = frozenset(heavy_paths)
        self.heavy_threads = ThreadPoolExecutor(heavy_threads, thread_name_prefix="heavy")
        self.heavy_limit, self.heavy_running = heavy_threads, 0
        self.retry_after = retry_after

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await self.lifespan(receive, send)
        if scope["type"] != "http":
            return None  # no WebSocket here (Granian runs with --no-ws)
        body = await self.whole_body(scope, receive, send)
        if body is None:
            return None  # refused, or the client left
        if body:
            scope = {**scope, "headers": with_length(scope["headers"], len(body))}
        environ = build_environ(scope, io.BytesIO(body))
        loop = asyncio.get_running_loop()
        answer = Answer(loop, receive, send)
        if scope["path"] not in self.heavy_paths:
            return await loop.run_in_executor(self.threads, answer.run, self.app, environ)
        if self.heavy_running >= self.heavy_limit:
            busy = "The server is building other downloads; try again in a few seconds."
            retry = [(b"retry-after", str(self.retry_after).encode())]
            return await send_refusal(send, scope["path"], 503, busy, retry)
        self.heavy_running += 1  # on the loop's thread only
        try:
            await loop.run_in_executor(self.heavy_threads, answer.run, self.app, environ)
        finally:
            self.heavy_running -= 1

    async def whole_body(self, scope, receive, send):
        """The request's body (b"" for none), or None once the client has been answered."""
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"").decode("latin-1").strip()
        chunked = b"chunked" in headers.get(b"transfer-encoding", b"").lower()
        if not length and not chunked:
            return b""
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
            # To a client that left, a 400 goes nowhere; the application never runs.
            malformed = "The request body is malformed or was cut short."
            return await send_refusal(send, scope["path"], 400, malformed)
        if body is None:
            return await send_refusal(send, scope["path"], 413, over_limit())
        return body

    async def lifespan(self, receive, send):
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.threads.shutdown(wait=False, cancel_futures=True)
                self.heavy_threads.shutdown(wait=False, cancel_futures=True)
                return await send({"type": "lifespan.shutdown.complete"})
