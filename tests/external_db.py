"""A database of its own for tests that run the sync and the site as separate processes.

It follows the test run's backend: an SQLite file, or a fresh PostgreSQL database when the
tests run on PostgreSQL (DATABASE_URL=postgres://...).
"""

import os
import uuid
from urllib.parse import urlsplit, urlunsplit


def is_postgres():
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


class ExternalDatabase:
    def __init__(self, tmp_path):
        self.name = None
        if is_postgres():
            parts = urlsplit(os.environ["DATABASE_URL"])
            self.name = f"registry_ext_{uuid.uuid4().hex[:10]}"
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
            self.url = urlunsplit(parts._replace(path="/" + self.name))
            with self._admin() as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
        else:
            self.path = tmp_path / "external.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def _admin(self):
        import psycopg

        return psycopg.connect(self.admin_url, autocommit=True)

    def query(self, sql):
        """Rows of a plain SELECT, read with a connection of the test's own."""
        if self.name:
            import psycopg

            with psycopg.connect(self.url) as conn:
                return conn.execute(sql).fetchall()
        import sqlite3

        conn = sqlite3.connect(self.path, timeout=30)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    def drop(self):
        if self.name:
            with self._admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
