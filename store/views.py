"""The view tables, in the events' own database (SQLite file, PostgreSQL, or an in-memory SQLite).

Plain SQL through sqlite3 or psycopg; written only by the projection runner, each batch
in one transaction together with the projections' positions.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from store import database as storage
from store import postgres

TABLES = {
    "view_positions": "name TEXT PRIMARY KEY, position BIGINT NOT NULL",
    "view_aggregates": (
        "id TEXT PRIMARY KEY, kind TEXT NOT NULL, project_id TEXT, version BIGINT NOT NULL, "
        "state TEXT, department TEXT, customer TEXT, project_manager TEXT, code TEXT, due TEXT, "
        "topic TEXT NOT NULL, doc {blob} NOT NULL, name TEXT"
    ),
    "view_audit": (
        "position BIGINT PRIMARY KEY, time TEXT NOT NULL, actor TEXT, role TEXT, department TEXT, "
        "project_id TEXT, aggregate_id TEXT NOT NULL, version BIGINT NOT NULL, type TEXT NOT NULL, "
        "topic TEXT NOT NULL, state {blob} NOT NULL"
    ),
    "view_owners": "aggregate_id TEXT PRIMARY KEY, project_id TEXT NOT NULL",
    "credentials": "user_key TEXT PRIMARY KEY, password_hash TEXT NOT NULL, changed_at TEXT NOT NULL",
    "files": (
        "sha256 TEXT PRIMARY KEY, size BIGINT NOT NULL, content_type TEXT NOT NULL, name TEXT NOT NULL, "
        "uploaded_by TEXT NOT NULL, uploaded_at TEXT NOT NULL, content {blob} NOT NULL"
    ),
    "file_uploaders": "sha256 TEXT NOT NULL, user_key TEXT NOT NULL, PRIMARY KEY (sha256, user_key)",
    "view_file_references": (
        "sha256 TEXT NOT NULL, position BIGINT NOT NULL, aggregate_id TEXT NOT NULL, project_id TEXT, "
        "type TEXT NOT NULL, PRIMARY KEY (sha256, position)"
    ),
    "view_failures": (
        "position BIGINT NOT NULL, projection TEXT NOT NULL, type TEXT, error TEXT NOT NULL, "
        "recorded_at TEXT NOT NULL, PRIMARY KEY (position, projection)"
    ),
}
INDEXES = (
    "CREATE INDEX IF NOT EXISTS view_aggregates_kind ON view_aggregates (kind, project_id)",
    "CREATE INDEX IF NOT EXISTS view_aggregates_department ON view_aggregates (kind, department, state)",
    "CREATE INDEX IF NOT EXISTS view_audit_project ON view_audit (project_id, position)",
    "CREATE INDEX IF NOT EXISTS view_audit_actor ON view_audit (actor, position)",
    "CREATE INDEX IF NOT EXISTS view_file_references_aggregate ON view_file_references (aggregate_id, position)",
)


def set_journal_mode(conn: Any, mode: str, patience: float = 30.0) -> None:
    """SQLite changes the journal mode under an exclusive lock without calling the busy handler, so
    processes opening a new file together get "database is locked" at once: retry until ``patience``."""
    deadline = time.monotonic() + patience
    while True:
        try:
            conn.execute(f"PRAGMA journal_mode={mode}")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class ViewStore:
    """The views' SQL, ``?`` placeholders on both dialects.

    PostgreSQL: a pool (``store.postgres``) that pings each connection it hands out and
    reconnects, so the views come back by themselves after the database restarts; during
    an outage it raises ``StoreUnavailable`` within the pool timeout. SQLite: one connection.
    """

    def __init__(self, database_url: str | None) -> None:
        env = storage.env_for(database_url)
        module = env["PERSISTENCE_MODULE"]
        self.lock = threading.RLock()
        self.postgres = module == "eventsourcing.postgres"
        if self.postgres:
            setting = lambda key: env.get(key) or os.environ.get(key)  # noqa: E731 (the URL's options first)
            self.pool = postgres.view_pool(env, setting)
            self.batch_timeout = postgres.batch_statement_timeout(setting)
        else:
            path = env.get("SQLITE_DBNAME", ":memory:")
            self.conn: Any = sqlite3.connect(path, check_same_thread=False, timeout=30, isolation_level=None)
            set_journal_mode(self.conn, "WAL" if path != ":memory:" else "MEMORY")
        self.blob = "BYTEA" if self.postgres else "BLOB"
        self.create_tables()

    @contextmanager
    def connection(self) -> Iterator[Any]:
        if self.postgres:
            with self.pool.connection() as conn:
                yield conn
        else:
            with self.lock:
                yield self.conn

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    def execute(self, statement: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.connection() as conn:
            cursor = conn.execute(self.sql(statement), params)
            return cursor.fetchall() if cursor.description else []

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One transaction (the projections' batches: statements may take up to ``batch_timeout`` on PostgreSQL)."""
        if self.postgres:
            with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {round(self.batch_timeout * 1000)}")
                yield cursor
            return
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn.cursor()
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def create_tables(self) -> None:
        """Idempotent; on PostgreSQL serialised by an advisory lock, because processes starting
        together would otherwise race inside ``CREATE TABLE IF NOT EXISTS``."""
        with self.transaction() as cursor:
            if self.postgres:
                cursor.execute("SELECT pg_advisory_xact_lock(7315001)")
            for name, columns in TABLES.items():
                cursor.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns.format(blob=self.blob)})")
            for index in INDEXES:
                cursor.execute(index)
            self.add_columns(cursor)

    def add_columns(self, cursor: Any) -> None:
        """Views made before a column existed gain it, and the view is emptied and rebuilt from the
        log (its position forgotten): views are derived, so a rebuild is the migration.

        ``view_aggregates.name`` (the project's name, for the pages' search) came with issue 13.
        """
        if self.postgres:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = 'view_aggregates'"
            )
        else:
            cursor.execute("SELECT name FROM pragma_table_info('view_aggregates')")
        if "name" in {row[0] for row in cursor.fetchall()}:
            return
        cursor.execute("ALTER TABLE view_aggregates ADD COLUMN name TEXT")
        cursor.execute("DELETE FROM view_aggregates")
        cursor.execute(self.sql("DELETE FROM view_positions WHERE name = ?"), ("aggregates",))

    def drop(self, tables: Sequence[str], position_names: Sequence[str]) -> None:
        """Empty ``tables`` and forget the positions, in one transaction.

        PostgreSQL: TRUNCATE, which leaves no dead rows for the rebuild to wade through, taken
        after the lock on the positions that a runner's commit takes first (the same order, so
        the two cannot deadlock); SQLite's DELETE of a whole table is a truncation already.
        """
        with self.transaction() as cursor:
            if self.postgres:
                cursor.execute("LOCK TABLE view_positions IN EXCLUSIVE MODE")
                if tables:
                    cursor.execute(f"TRUNCATE {', '.join(tables)}")
            else:
                for table in tables:
                    cursor.execute(f"DELETE FROM {table}")
            for name in position_names:
                cursor.execute(self.sql("DELETE FROM view_positions WHERE name = ?"), (name,))

    def positions(self) -> dict[str, int]:
        return dict(self.execute("SELECT name, position FROM view_positions"))

    def close(self) -> None:
        if self.postgres:
            self.pool.close()
            return
        with self.lock:
            self.conn.close()


def column_text(value: Any) -> Any:
    """Text for a filter column: a NUL, which PostgreSQL's text cannot hold, as U+FFFD (on both databases,
    so that both answer alike). The state itself is kept as bytes, exactly; the API refuses a NUL anyway."""
    if type(value) is str and "\x00" in value:
        return value.replace("\x00", "\ufffd")
    return value


def utc_text(moment: datetime) -> str:
    """A fixed-width UTC timestamp, so that text order is time order in both databases."""
    if moment.tzinfo is UTC and moment.microsecond:  # (as events' times are: the same text, a third quicker)
        return moment.isoformat()
    return moment.astimezone(UTC).isoformat(timespec="microseconds")  # the year always in 4 digits


SQLITE_IN_KEYS = 500
"""Keys per ``IN (...)`` on SQLite (far below its limit on bound parameters)."""


def continued(notifications: Any) -> list[str]:
    """The ids of the aggregates whose events these notifications continue (not begun among them)."""
    begun, wanted = set(), {}
    for notification in notifications:
        ident = notification.originator_id
        number = ident.int if isinstance(ident, UUID) else ident  # (an int hashes without calling Python)
        if notification.originator_version == 1:
            begun.add(number)
        elif number not in begun:
            wanted[number] = ident
    return [str(ident) for ident in wanted.values()]


def select_in(store: ViewStore, select: str, column: str, keys: list[str]) -> list[tuple]:
    """``select`` for the rows whose ``column`` is one of ``keys``: one query (SQLite: one per 500 keys)."""
    if not keys:
        return []
    if store.postgres:
        return store.execute(f"{select} WHERE {column} = ANY(?)", (keys,))
    rows: list[tuple] = []
    for start in range(0, len(keys), SQLITE_IN_KEYS):
        chunk = keys[start : start + SQLITE_IN_KEYS]
        rows += store.execute(f"{select} WHERE {column} IN ({', '.join('?' * len(chunk))})", chunk)
    return rows


def copy_rows(cursor: Any, table: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL: ``rows`` into ``table`` by binary COPY (``columns``: name and type of each value)."""
    with cursor.copy(f"COPY {table} ({', '.join(name for name, _ in columns)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types([kind for _, kind in columns])
        for row in rows:
            copy.write_row(row)


def insert_rows(
    store: ViewStore,
    cursor: Any,
    table: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Any]],
    tail: str,
) -> None:
    """``INSERT INTO table (columns) ... tail`` (an ON CONFLICT clause) for every row, in the batch's transaction.

    PostgreSQL: the rows are COPYed into a temporary table of the same shape (emptied at each
    commit or rollback) and inserted from there in one statement; SQLite: ``executemany``.
    """
    if not rows:
        return
    names = ", ".join(name for name, _ in columns)
    if store.postgres:
        stage = f"{table}_stage{len(columns)}"  # a connection's older stage keeps its own shape
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} (LIKE {table}) ON COMMIT DELETE ROWS")
        copy_rows(cursor, stage, columns, rows)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} {tail}")
    else:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))}) {tail}", rows)
