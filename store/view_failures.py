"""The table ``view_failures``: events a view skipped (``projections.failures`` says when and why).

Its columns are created with the other view tables (``store.views.TABLES``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from eventsourcing.persistence import DataError, IntegrityError, PersistenceError

from store.outage import unavailable

TABLE = "view_failures"
COLUMNS = "position, projection, type, error, recorded_at"
DATA_ERRORS = (
    psycopg.DataError,
    psycopg.IntegrityError,
    sqlite3.DataError,
    sqlite3.IntegrityError,
    DataError,
    IntegrityError,
)
"""Database errors that a value in hand caused."""
STORE_ERRORS = (psycopg.Error, sqlite3.Error, PersistenceError, OSError, MemoryError)
"""Other database (and system) errors: the database's state, not the event's."""


def blames_event(error: BaseException) -> bool:
    """Whether ``error``, met while projecting one event or writing its rows, is that event's fault."""
    if unavailable(error):  # the store down or busy (``StoreUnavailable`` included): never the event's fault
        return False
    return isinstance(error, DATA_ERRORS) or not isinstance(error, STORE_ERRORS)


def writer(store: Any, rows: Sequence[tuple]) -> Callable[[Any], None]:
    """What inserts ``rows`` (position, view, event type, error, when), given the commit's cursor; a row
    already there (the same event and view) is kept."""
    insert = store.sql(f"INSERT INTO {TABLE} ({COLUMNS}) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")

    def write(cursor: Any) -> None:
        if rows:
            cursor.executemany(insert, rows)

    return write


def failures(store: Any, limit: int = 20) -> tuple[int, list[tuple]]:
    """How many events the views skipped, and the latest ``limit`` of them (position, view, type, error, when)."""
    count = store.execute(f"SELECT count(*) FROM {TABLE}")[0][0]
    if limit == 0:
        return count, []
    latest = store.execute(f"SELECT {COLUMNS} FROM {TABLE} ORDER BY position DESC, projection LIMIT ?", (limit,))
    return count, latest


def forget(store: Any, names: Sequence[str]) -> None:
    """A rebuild of the views ``names`` meets their events again: their failures are forgotten."""
    for name in names:
        store.execute(f"DELETE FROM {TABLE} WHERE projection = ?", (name,))
