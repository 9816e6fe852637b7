"""The server, one command line for make run, the tests' served site and the bench: Granian's
ASGI interface in front of the Django application (registry_site/asgi.py).

    HOST=127.0.0.1 PORT=8000 WORKERS=3 python -m registry_site.serve

STOP_TIMEOUT and HEADER_READ_TIMEOUT (seconds) are read from the environment too.
"""

import os
import sys

# How long a stopping worker may take to end its answers before it is killed, in seconds: each
# ends within SEND_TIMEOUT, but Granian also waits for their connections, which a client that
# reads nothing keeps open.
STOP_TIMEOUT = 30
# How long a client has to send its request's headers, in seconds (Granian's own default: 30).
HEADER_READ_TIMEOUT = 10


def command(host, port, workers, access_log=True, app="registry_site.asgi:application",
            stop_timeout=STOP_TIMEOUT, header_timeout=HEADER_READ_TIMEOUT):  # fmt: skip
    return [
        sys.executable, "-m", "granian", "--interface", "asgi", app,
        "--host", host, "--port", str(port), "--workers", str(workers),
        "--http", "1", "--no-ws", "--access-log" if access_log else "--no-access-log",
        "--respawn-failed-workers", "--workers-kill-timeout", str(stop_timeout),
        "--http1-header-read-timeout", str(round(float(header_timeout) * 1000)),
    ]  # fmt: skip


if __name__ == "__main__":
    env = os.environ
    line = command(
        env.get("HOST", "127.0.0.1"), env.get("PORT", "8000"), env.get("WORKERS", "3"),
        stop_timeout=env.get("STOP_TIMEOUT", STOP_TIMEOUT),
        header_timeout=env.get("HEADER_READ_TIMEOUT", HEADER_READ_TIMEOUT),
    )  # fmt: skip
    os.execv(sys.executable, line)
