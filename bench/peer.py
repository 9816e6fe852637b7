"""The peer: Datasette serving the same object versions, asked the same faceted search.

Datasette lives in bench/.venv (pinned in bench/requirements.txt), never in the site's own
requirements. Its database is one table, `objects`, copied from a synced site database.
"""

import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.load import fetch
from tests.servers import stop_process

BENCH = Path(__file__).resolve().parent
VENV = BENCH / ".venv"
REQUIREMENTS = BENCH / "requirements.txt"
STAMP = VENV / ".installed"
COLUMNS = (
    "object_id", "ver", "is_latest", "name", "owner", "label", "urn", "lwm2m_version",
    "description", "status", "search_text", "resource_count",
)  # fmt: skip


def ensure_datasette(log=print):
    """bench/.venv with the pinned Datasette; reinstalled when the pins change."""
    datasette = VENV / "bin" / "datasette"
    fresh = STAMP.exists() and STAMP.stat().st_mtime >= REQUIREMENTS.stat().st_mtime
    if datasette.exists() and fresh:
        return datasette
    log("  installing Datasette into bench/.venv ...")
    if not (VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True, timeout=900)
    STAMP.touch()
    return datasette


def build_database(site_db_path, target):
    """The peer's SQLite file: the same versions, with an index on the facet it filters on."""
    target = Path(target)
    target.unlink(missing_ok=True)
    columns = ", ".join(COLUMNS)
    with sqlite3.connect(target) as db:
        db.execute("ATTACH DATABASE ? AS site", (f"file:{site_db_path}?mode=ro",))
        db.execute(
            f"CREATE TABLE objects AS SELECT {columns} FROM site.objects_objectversion "
            "ORDER BY object_id, ver_major, ver_minor"
        )
        db.execute("CREATE INDEX objects_owner ON objects (owner)")
        db.execute("CREATE INDEX objects_latest ON objects (is_latest, object_id)")
        count = db.execute("SELECT count(*) FROM objects").fetchone()[0]
    return count


def search_path(words, owner=None, fmt="", label=None):
    """Our search (every word in the text, latest versions, an owner or a label if given)
    with our facets. `label` is the stored number (0, 1, 2), which our URLs name oma, ext, x."""
    params = [("search_text__contains", word) for word in words.split()]
    params += [("owner", owner)] if owner else []
    params += [("label", str(label))] if label is not None else []
    params += [("is_latest", "1")]
    params += [("_facet", "owner"), ("_facet", "label"), ("_facet", "lwm2m_version")]
    params += [("_size", "50")]
    return f"/peer/objects{fmt}?{urlencode(params)}"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Datasette:
    """`datasette serve` on 127.0.0.1, immutable file, facets allowed their full time."""

    def __init__(self, datasette, database, command_prefix=()):
        self.command = [
            *command_prefix, str(datasette), "serve", "-i", str(database), "-h", "127.0.0.1",
            "-p", str(_free_port()), "--setting", "facet_time_limit_ms", "5000",
            "--setting", "sql_time_limit_ms", "5000", "--setting", "suggest_facets", "off",
        ]  # fmt: skip
        self.port = self.command[self.command.index("-p") + 1]
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"datasette exited with {self.process.returncode}")
            try:
                fetch(self.url + "/-/versions.json", timeout=1)
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("datasette did not start in 30 s")

    def __exit__(self, *exc):
        stop_process(self.process)

    def restart(self):
        """A new process on the same port: nothing of the last load is kept in memory."""
        self.__exit__()
        return self.__enter__()
