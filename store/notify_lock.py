"""One delivering process at a time: the others stand by and take over when it dies.

PostgreSQL: a session advisory lock held on a connection of its own (keyed by the schema, so
schemas sharing a database do not exclude each other); the server releases it when the holder's
connection ends, however the process died. SQLite: an exclusive ``flock`` on a file beside the
database, released by the kernel the same way. An in-memory store has one process anyway.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
from typing import Any

import psycopg

from store import database as storage

log = logging.getLogger(__name__)


class Leadership:
    def __init__(self, database_url: str | None) -> None:
        self.env = storage.env_for(database_url)
        self.postgres = self.env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
        self.held: Any = None
        self.standing_by: Any = None  # (PostgreSQL: the connection kept while waiting, tried again each poll)

    def key(self) -> int:
        where = f"notify:{self.env.get('POSTGRES_DBNAME')}:{self.env.get('POSTGRES_SCHEMA') or 'public'}"
        return int.from_bytes(hashlib.sha256(where.encode()).digest()[:8], "big", signed=True)

    def hold(self) -> bool:
        """True while this process is the one delivering (taking the lock when free); never blocks."""
        try:
            return self._check() or self._take()
        except (OSError, psycopg.Error) as error:
            log.warning("notifications: leadership not known (%s); standing by", error)
            self.release()
            return False

    def _check(self) -> bool:
        if self.held is None:
            return False
        if self.postgres:
            self.held.execute("SELECT 1")  # (a broken connection raises: the lock went with it)
        return True

    def _take(self) -> bool:
        if self.postgres:
            conn = self.standing_by or psycopg.connect(
                host=self.env["POSTGRES_HOST"], port=self.env["POSTGRES_PORT"], user=self.env["POSTGRES_USER"],
                password=self.env["POSTGRES_PASSWORD"], dbname=self.env["POSTGRES_DBNAME"], autocommit=True,
                application_name="notify-leader", connect_timeout=5,
            )  # fmt: skip
            self.standing_by = conn
            if conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key(),)).fetchone()[0]:
                self.held, self.standing_by = conn, None
                return True
            return False
        path = self.env.get("SQLITE_DBNAME", ":memory:")
        if path == ":memory:" or path.startswith("file::memory:"):
            self.held = True
            return True
        handle = open(f"{path}.notify.lock", "a+")  # noqa: SIM115 (kept open while the lock is held)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self.held = handle
        return True

    def release(self) -> None:
        """Give the lock back at once (closing alone frees it only when the server's backend has ended)."""
        if self.postgres and self.held is not None:
            try:
                self.held.execute("SELECT pg_advisory_unlock(%s)", (self.key(),))
            except Exception:  # (a broken connection: the server frees the lock with it)
                log.debug("notifications: the lock's connection was already broken")
        for held in (self.held, self.standing_by):
            if held is not None and held is not True:
                try:
                    held.close()
                except Exception:  # (already broken: nothing to give back)
                    log.debug("notifications: the lock's connection was already closed")
        self.held = self.standing_by = None
