"""``backup restore``: a backup file into an EMPTY store, positions kept, then the views rebuilt.

Refused (``BackupError``) when the store holds anything (events, chain, snapshots, time index,
checkpoints, idempotency keys): a restore never merges. Every event keeps its notification id
(SQLite ``rowid``; PostgreSQL ``notification_id`` inserted with ``OVERRIDING SYSTEM VALUE`` and
its sequence moved past the last one), so the chain and the signed checkpoints still hold.
The copy is one transaction, with the store's writers shut out (SQLite ``BEGIN IMMEDIATE``,
PostgreSQL the events table locked as the library's own writes lock it).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any
from uuid import UUID

from psycopg.sql import SQL, Identifier, Placeholder

from store.backup import PAGE, connect_postgres, live_tables
from store.chain.recorders import ChainedPostgresRecorder, ChainedSQLiteRecorder
from store.tables import FORMAT, IDEMPOTENCY_TABLE, INFO_TABLE, TABLES, BackupError, quoted


def read_info(path: str | Path) -> dict[str, str]:
    """What ``backup create`` recorded in the file; refuses a file that is not such a backup."""
    if not Path(path).is_file():
        raise BackupError(f"{path}: no such file")
    try:
        with closing(_open_backup(path)) as backup:
            info = dict(backup.execute(f"SELECT key, value FROM {INFO_TABLE}").fetchall())
    except sqlite3.DatabaseError:
        info = {}
    if info.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup made by `backup create` ({FORMAT})")
    return info


def _open_backup(path: str | Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def restore(tracker: Any, path: str | Path) -> dict[str, str]:
    """Copy the backup's rows into the (empty) store; the caller rebuilds the views and verifies."""
    info = read_info(path)
    recorder = tracker.recorder
    if isinstance(recorder, ChainedSQLiteRecorder):
        _into_sqlite(tracker.env.get("SQLITE_DBNAME"), path)
    elif isinstance(recorder, ChainedPostgresRecorder):
        _into_postgres(tracker, path)
    else:
        raise BackupError("memory:// is gone with its process: restore into sqlite:/// or postgresql://")
    return info


def _refuse_if_not_empty(counts: dict[str, int]) -> None:
    held = {name: n for name, n in counts.items() if n}
    if held:
        listed = ", ".join(f"{n} rows in {name}" for name, n in held.items())
        raise BackupError(f"the store is not empty ({listed}): restore only into an empty store")


def _into_sqlite(database: str, path: str | Path) -> None:
    with closing(sqlite3.connect(database, timeout=10, isolation_level=None, uri=True)) as conn:
        conn.execute("ATTACH DATABASE ? AS backup", (f"{Path(path).resolve().as_uri()}?mode=ro",))
        conn.execute("BEGIN IMMEDIATE")
        try:
            names = _sqlite_tables(conn, "main")
            counts = {t.name: conn.execute(f"SELECT COUNT(*) FROM main.{t.name}").fetchone()[0] for t in TABLES}
            if IDEMPOTENCY_TABLE in names:
                counts[IDEMPOTENCY_TABLE] = conn.execute(f"SELECT COUNT(*) FROM main.{IDEMPOTENCY_TABLE}").fetchone()[0]
            _refuse_if_not_empty(counts)
            for table in TABLES:
                columns = ", ".join(table.columns)
                conn.execute(f"INSERT INTO main.{table.name} ({columns}) SELECT {columns} FROM backup.{table.name}")
            common = _common_idempotency_columns(conn, names)
            if common:
                columns = ", ".join(map(quoted, common))
                conn.execute(
                    f"INSERT INTO main.{IDEMPOTENCY_TABLE} ({columns}) SELECT {columns} FROM backup.{IDEMPOTENCY_TABLE}"
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _sqlite_tables(conn: sqlite3.Connection, database: str) -> set[str]:
    return {row[0] for row in conn.execute(f"SELECT name FROM {database}.sqlite_master WHERE type = 'table'")}


def _sqlite_columns(conn: sqlite3.Connection, database: str, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA {database}.table_info({quoted(table)})")]


def _common_idempotency_columns(conn: sqlite3.Connection, target_tables: set[str]) -> list[str]:
    """The idempotency keys' columns both sides have; the backup's rows are refused if the store lacks the table."""
    if IDEMPOTENCY_TABLE not in _sqlite_tables(conn, "backup"):
        return []
    has_rows = conn.execute(f"SELECT COUNT(*) FROM backup.{IDEMPOTENCY_TABLE}").fetchone()[0]
    if IDEMPOTENCY_TABLE not in target_tables:
        if has_rows:
            raise BackupError(f"the backup holds {IDEMPOTENCY_TABLE} but this store has no such table")
        return []
    theirs = set(_sqlite_columns(conn, "backup", IDEMPOTENCY_TABLE))
    return [c for c in _sqlite_columns(conn, "main", IDEMPOTENCY_TABLE) if c in theirs]


def _into_postgres(tracker: Any, path: str | Path) -> None:
    recorder = tracker.recorder
    schema, names = recorder.datastore.schema, live_tables(tracker)

    def qualified(name: str) -> Any:
        return SQL("{0}.{1}").format(Identifier(schema), Identifier(name))

    events = qualified(names["stored_events"])
    with closing(_open_backup(path)) as backup, connect_postgres(recorder) as conn, conn.transaction():
        conn.execute(SQL("LOCK TABLE {0} IN EXCLUSIVE MODE").format(events))
        target_idempotency = _pg_columns(conn, schema, IDEMPOTENCY_TABLE)
        counts = {
            t.name: conn.execute(SQL("SELECT COUNT(*) FROM {0}").format(qualified(names[t.name]))).fetchone()[0]
            for t in TABLES
        }
        if target_idempotency:
            counts[IDEMPOTENCY_TABLE] = conn.execute(
                SQL("SELECT COUNT(*) FROM {0}").format(qualified(IDEMPOTENCY_TABLE))
            ).fetchone()[0]
        _refuse_if_not_empty(counts)
        for table in TABLES:
            columns = ["notification_id" if c == "rowid" else c for c in table.columns]
            insert = SQL("INSERT INTO {0} ({1}) OVERRIDING SYSTEM VALUE VALUES ({2})").format(
                qualified(names[table.name]),
                SQL(", ").join(map(Identifier, columns)),
                SQL(", ").join([Placeholder()] * len(columns)),
            )
            rows = backup.execute(f"SELECT {', '.join(table.columns)} FROM {table.name}")
            at = table.columns.index("originator_id") if table.uuid_ids else None
            with conn.cursor() as cursor:
                while page := rows.fetchmany(PAGE):
                    if at is not None:
                        page = [(*row[:at], UUID(row[at]), *row[at + 1 :]) for row in page]
                    cursor.executemany(insert, page)
        last = conn.execute(SQL("SELECT MAX(notification_id) FROM {0}").format(events)).fetchone()[0]
        if last is not None:  # the next event continues after the restored ones
            sequence = f"{quoted(schema)}.{quoted(names['stored_events'])}"
            conn.execute("SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), %s)", (sequence, last))
        _idempotency_into_postgres(conn, backup, qualified(IDEMPOTENCY_TABLE), target_idempotency)


def _pg_columns(conn: Any, schema: str, table: str) -> dict[str, str]:
    found = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
        (schema, table),
    ).fetchall()
    return dict(found)


def _idempotency_into_postgres(conn: Any, backup: sqlite3.Connection, table: Any, target: dict[str, str]) -> None:
    """The idempotency keys' rows, column by column as both sides have them (booleans back from 0/1)."""
    if IDEMPOTENCY_TABLE not in _sqlite_tables(backup, "main"):
        return
    theirs = _sqlite_columns(backup, "main", IDEMPOTENCY_TABLE)
    if not target:
        if backup.execute(f"SELECT COUNT(*) FROM {IDEMPOTENCY_TABLE}").fetchone()[0]:
            raise BackupError(f"the backup holds {IDEMPOTENCY_TABLE} but this store has no such table")
        return
    common = [c for c in theirs if c in target]
    booleans = [i for i, c in enumerate(common) if target[c] == "boolean"]
    insert = SQL("INSERT INTO {0} ({1}) OVERRIDING SYSTEM VALUE VALUES ({2})").format(
        table, SQL(", ").join(map(Identifier, common)), SQL(", ").join([Placeholder()] * len(common))
    )
    rows = backup.execute(f"SELECT {', '.join(map(quoted, common))} FROM {IDEMPOTENCY_TABLE}")
    with conn.cursor() as cursor:
        while page := rows.fetchmany(PAGE):
            if booleans:
                page = [
                    tuple(bool(v) if i in booleans and v is not None else v for i, v in enumerate(row)) for row in page
                ]
            cursor.executemany(insert, page)
