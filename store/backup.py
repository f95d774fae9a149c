"""``backup create``: one consistent copy of the event store in one portable file (``tables.py``).

SQLite: the online backup API copies the whole database in one step, under one read
transaction (writers go on; the copy is the database as of one commit); the view tables are
then dropped from the copy. PostgreSQL: every table is read in ONE repeatable-read, read-only
transaction (one snapshot: events, chain, time index, snapshots and checkpoints agree) and
written into a SQLite file of the same layout. The file is written beside the target as
``FILE.partial`` and renamed when complete, so a FILE that exists is a whole backup.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg.sql import SQL, Identifier

from store.chain.links import GENESIS
from store.chain.recorders import ChainedPostgresRecorder, ChainedSQLiteRecorder
from store.tables import (
    EVENTS,
    FILE_TABLES,
    FORMAT,
    IDEMPOTENCY_TABLE,
    INFO_TABLE,
    KEPT,
    TABLES,
    BackupError,
    Table,
    portable,
    quoted,
    to_hex_id,
)

PAGE = 2000


def create(tracker: Any, path: str | Path) -> dict[str, str]:
    """Write the backup to ``path`` (never overwritten); answers what ``backup_info`` records."""
    target = Path(path)
    if target.exists():
        raise BackupError(f"{target} exists already; a backup never overwrites a file")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    recorder = tracker.recorder
    try:
        if isinstance(recorder, ChainedSQLiteRecorder):
            source = "sqlite"
            _copy_sqlite(tracker.env.get("SQLITE_DBNAME"), partial)
        elif isinstance(recorder, ChainedPostgresRecorder):
            source = "postgresql"
            _copy_postgres(tracker, partial)
        else:
            raise BackupError("memory:// keeps nothing beyond the process: there is nothing to back up")
        info = _seal(partial, source)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return info


def _copy_sqlite(database: str, partial: Path) -> None:
    with closing(sqlite3.connect(database, timeout=10)) as source, closing(sqlite3.connect(partial)) as copy:
        source.backup(copy)  # (all pages in one step: one read transaction, so one consistent state)
        tables = [row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for name in tables:
            if name not in KEPT and not name.startswith("sqlite_"):
                copy.execute(f"DROP TABLE {quoted(name)}")  # the views (rebuilt on restore) and the like
        copy.commit()


def connect_postgres(recorder: Any, **options: Any) -> psycopg.Connection:
    """A connection of its own with the store's settings (outside the pool: a long transaction)."""
    kwargs = {k: v for k, v in recorder.datastore.pool.kwargs.items() if k != "row_factory" and v is not None}
    return psycopg.connect(recorder.datastore.pool.conninfo, **kwargs, **options)


def live_tables(tracker: Any) -> dict[str, str]:
    """The store's name for each table of the backup (PostgreSQL names its events after the app)."""
    names = {table.name: table.name for table in TABLES}
    names[EVENTS.name] = tracker.recorder.events_table_name
    snapshots = getattr(tracker, "snapshots", None)
    names["stored_snapshots"] = snapshots.recorder.events_table_name if snapshots else "tracker_snapshots"
    return names


def _copy_postgres(tracker: Any, partial: Path) -> None:
    recorder = tracker.recorder
    schema, names = recorder.datastore.schema, live_tables(tracker)
    with closing(sqlite3.connect(partial)) as copy, connect_postgres(recorder) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction():
            for table in TABLES:
                copy.execute(table.ddl)
                columns = ["notification_id" if c == "rowid" else c for c in table.columns]
                select = SQL("SELECT {0} FROM {1}.{2}").format(
                    SQL(", ").join(map(Identifier, columns)), Identifier(schema), Identifier(names[table.name])
                )
                _pour(conn, select, copy, table)
            _copy_extra_postgres(conn, schema, copy)
        copy.commit()


def _pour(conn: psycopg.Connection, select: Any, copy: sqlite3.Connection, table: Table) -> None:
    insert = f"INSERT INTO {table.name} ({', '.join(table.columns)}) VALUES ({', '.join('?' * len(table.columns))})"
    id_at = table.columns.index("originator_id") if table.uuid_ids else None
    with conn.cursor(name=f"backup_{table.name}", binary=True) as rows:
        rows.execute(select)
        while page := rows.fetchmany(PAGE):
            values = [[portable(v) for v in row] for row in page]
            if id_at is not None:
                for row in values:
                    row[id_at] = to_hex_id(row[id_at])
            copy.executemany(insert, values)


def _copy_extra_postgres(conn: psycopg.Connection, schema: str, copy: sqlite3.Connection) -> None:
    """The idempotency keys and the uploaded files, if the store has those tables: every column, as found."""
    for name in (IDEMPOTENCY_TABLE, *FILE_TABLES):
        found = conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
            "ORDER BY ordinal_position",
            (schema, name),
        ).fetchall()
        if not found:
            continue
        columns = tuple(row[0] for row in found)
        copy.execute(f"CREATE TABLE {name} ({', '.join(map(quoted, columns))})")
        table = Table(name, tuple(map(quoted, columns)), "")
        select = SQL("SELECT {0} FROM {1}.{2}").format(
            SQL(", ").join(map(Identifier, columns)), Identifier(schema), Identifier(name)
        )
        _pour(conn, select, copy, table)


def _seal(partial: Path, source: str) -> dict[str, str]:
    """Record what the backup holds (and its head, which a restore must reach); one file, no journal."""
    with closing(sqlite3.connect(partial)) as copy:
        last = copy.execute("SELECT position, hash FROM event_chain ORDER BY position DESC LIMIT 1").fetchone()
        events = copy.execute(f"SELECT COUNT(*) FROM {EVENTS.name}").fetchone()[0]
        info = {
            "format": FORMAT,
            "source": source,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "events": str(events),
            "head_position": str(last[0] if last else 0),
            "head": last[1] if last else GENESIS,
        }
        copy.execute(f"CREATE TABLE {INFO_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        copy.executemany(f"INSERT INTO {INFO_TABLE} VALUES (?, ?)", info.items())
        copy.commit()
        copy.execute("PRAGMA journal_mode = DELETE")
    return info
