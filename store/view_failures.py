"""The table ``view_failures``: events a view skipped (``projections.failures`` says when and why).

Its columns are created with the other view tables (``store.views.TABLES``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

TABLE = "view_failures"
COLUMNS = "position, projection, type, error, recorded_at"


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
