"""The server, one command line for make run, the tests' served site and the bench: Granian's
ASGI interface in front of the Django application (registry_site/asgi.py).

    HOST=127.0.0.1 PORT=8000 WORKERS=2 python -m registry_site.serve

HOST, PORT, WORKERS, STOP_TIMEOUT and HEADER_READ_TIMEOUT are read by registry_site/config.py,
with their defaults.
"""

import os
import sys

from registry_site import config

# How long a stopping worker may take to end its answers before it is killed, in seconds: each
# ends within SEND_TIMEOUT, but Granian also waits for their connections, which a client that
# reads nothing keeps open.
STOP_TIMEOUT = config.DEFAULTS["STOP_TIMEOUT"]
# How long a client has to send its request's headers, in seconds (Granian's own default: 30).
HEADER_READ_TIMEOUT = config.DEFAULTS["HEADER_READ_TIMEOUT"]


def command(host, port, workers, access_log=True, app="registry_site.asgi:application",
            stop_timeout=STOP_TIMEOUT, header_timeout=HEADER_READ_TIMEOUT):  # fmt: skip
    return [
        sys.executable, "-m", "granian", "--interface", "asgi", app,
        "--host", host, "--port", str(port), "--workers", str(workers),
        "--http", "1", "--no-ws", "--access-log" if access_log else "--no-access-log",
        "--respawn-failed-workers", "--workers-kill-timeout", str(stop_timeout),
        "--http1-header-read-timeout", str(round(float(header_timeout) * 1000)),
    ]  # fmt: skip


def configured(environ=None):
    """The command line of the environment's HOST, PORT, WORKERS and timeouts."""
    host = config.text("HOST", environ=environ)
    port = config.integer("PORT", minimum=1, environ=environ)
    workers = config.integer("WORKERS", minimum=1, environ=environ)
    stop_timeout = config.integer("STOP_TIMEOUT", environ=environ)
    header_timeout = config.number("HEADER_READ_TIMEOUT", environ=environ)
    line = command(host, port, workers, stop_timeout=stop_timeout, header_timeout=header_timeout)
    return host, port, workers, line


if __name__ == "__main__":
    try:
        host, port, workers, line = configured()
    except config.ConfigError as error:
        sys.exit(f"registry_site.serve: {error}")
    print(f"Serving http://{host}:{port}/ ({workers} workers)", flush=True)
    os.execv(sys.executable, line)
