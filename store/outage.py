"""Outages: which errors mean "the store is unavailable, retry shortly", and a breaker per pool.

While a pool's database is unreachable every request would otherwise wait its full pool
timeout, and the server's threads fill up. The breaker remembers the outage: requests fail at
once with ``StoreUnavailable`` (503) and one request per ``probe_interval`` tries the database
again; the first connection that works closes it.
"""

from __future__ import annotations

import logging
import math
import sqlite3
import threading
import time

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError

log = logging.getLogger(__name__)
SQLITE_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
DEFAULT_RETRY_AFTER = 1


class StoreUnavailable(Exception):
    """The database cannot be reached (or hands out no connection) now; nothing was done."""

    def __init__(self, message: str, retry_after: float = DEFAULT_RETRY_AFTER) -> None:
        super().__init__(message)
        self.retry_after = max(1, math.ceil(retry_after))


def unavailable(error: BaseException) -> bool:
    """True if ``error`` (or what caused it) is the store being unreachable, busy or timing out.

    Such an error is transient: the same request may succeed in a moment. PostgreSQL's
    operational errors (connection lost or refused, pool timeout, statement or lock timeout,
    server shutting down) and interface errors (a closed connection) count; of SQLite's, a
    locked or busy database only (its "operational" errors include syntax errors).
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, StoreUnavailable | psycopg.OperationalError | psycopg.InterfaceError):
            return True
        if isinstance(current, sqlite3.Error):
            return getattr(current, "sqlite_errorcode", None) in SQLITE_BUSY_CODES or "locked" in str(current)
        if isinstance(current, OperationalError | InterfaceError) and current.__cause__ is None:
            return "locked" in str(current)  # (the library's own SQLite lock timeout)
        current = current.__cause__ or current.__context__
    return False


def retry_after(error: BaseException) -> int:
    """Seconds a client should wait before retrying (the ``Retry-After`` header)."""
    return error.retry_after if isinstance(error, StoreUnavailable) else DEFAULT_RETRY_AFTER


class Breaker:
    """Open while a pool's database is known to be unreachable; logs once per outage."""

    def __init__(self, name: str, probe_interval: float) -> None:
        self.name, self.probe_interval = name, probe_interval
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.next_probe = 0.0
        self.cause = ""

    def check(self) -> None:
        """Raise ``StoreUnavailable`` at once during an outage, except for one caller per probe interval."""
        with self.lock:
            if self.down_since is None:
                return
            now = time.monotonic()
            if now < self.next_probe:
                raise StoreUnavailable(f"the database is unavailable ({self.cause})", self.next_probe - now)
            self.next_probe = now + self.probe_interval  # this caller tries the database

    def trip(self, error: BaseException) -> None:
        with self.lock:
            now = time.monotonic()
            self.next_probe = now + self.probe_interval
            self.cause = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            if self.down_since is None:
                self.down_since = now
                log.warning("%s: database unavailable (%s); failing fast until it answers", self.name, self.cause)

    def reset(self) -> None:
        if self.down_since is None:  # (the common case, without the lock)
            return
        with self.lock:
            if self.down_since is not None:
                log.warning(
                    "%s: the database answers again after %.1f s",
                    self.name,
                    time.monotonic() - self.down_since,
                )
                self.down_since = None

    @property
    def down(self) -> bool:
        return self.down_since is not None
