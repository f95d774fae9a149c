"""The ``idempotency_keys`` table of each store: recorder mixins that write a claimed key's row in
the events' own transaction (see ``store.idempotency``), read it back, and forget old rows."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, StoredEvent
from psycopg.sql import SQL, Identifier

from store.idempotency import KEYS_TABLE, Recorded, current_claim, key_row, recorded


class SQLiteKeys:
    """For ``SQLiteApplicationRecorder``: the key row in the events' transaction."""

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {KEYS_TABLE} (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, "
            "answer TEXT NOT NULL, created_at TEXT NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {KEYS_TABLE}_created_at ON {KEYS_TABLE} (created_at)",
        ]

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        row = key_row(kwargs.get("answer"), ids)
        if row is not None:
            c.execute(f"INSERT INTO {KEYS_TABLE} VALUES (?, ?, ?, ?)", row)
        return ids

    def recorded_answer(self, key: str) -> Recorded | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT fingerprint, answer FROM {KEYS_TABLE} WHERE key = ?", (key,))
            return recorded(c.fetchone())

    def forget_keys_before(self, moment: str) -> int:
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"DELETE FROM {KEYS_TABLE} WHERE created_at < ?", (moment,))
            c.execute("SELECT changes()")
            return c.fetchone()[0]


class PostgresKeys:
    """For ``PostgresApplicationRecorder``: the key row in the events' transaction (under the
    library's exclusive lock on the events table, so a second writer of a key waits, then fails)."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        schema = Identifier(self.datastore.schema)
        self.keys_table = SQL("{0}.{1}").format(schema, Identifier(KEYS_TABLE))
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {0} (key text PRIMARY KEY, fingerprint text NOT NULL, "
                "answer text NOT NULL, created_at text NOT NULL)"
            ).format(self.keys_table)
        )
        self.sql_create_statements.append(
            SQL("CREATE INDEX IF NOT EXISTS {0} ON {1} (created_at)").format(
                Identifier(f"{KEYS_TABLE}_created_at"), self.keys_table
            )
        )

    def _fetch_ids_after_insert_events(self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        row = key_row(kwargs.get("answer"), ids)
        if row is not None:
            # RETURNING + fetch: a taken key fails here, inside the write, and rolls it back.
            curs.execute(SQL("INSERT INTO {0} VALUES (%s, %s, %s, %s) RETURNING key").format(self.keys_table), row)
            curs.fetchone()
        return ids

    def recorded_answer(self, key: str) -> Recorded | None:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(SQL("SELECT fingerprint, answer FROM {0} WHERE key = %s").format(self.keys_table), (key,))
            row = curs.fetchone()
            return recorded((row["fingerprint"], row["answer"]) if row else None)

    def forget_keys_before(self, moment: str) -> int:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(SQL("DELETE FROM {0} WHERE created_at < %s").format(self.keys_table), (moment,))
            return curs.rowcount


class MemoryKeys:
    """For the in-memory recorder: the key checked, the events inserted and the key kept under one lock."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: dict[str, tuple[str, str, str, str]] = {}
        self.keys_lock = threading.Lock()

    def _insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        with self.keys_lock:
            claim = current_claim()
            if claim is not None and kwargs.get("answer") is not None and claim.key in self.keys:
                raise IntegrityError(f"idempotency key {claim.key!r} already recorded")
            ids = super()._insert_events(stored_events, **kwargs)
            row = key_row(kwargs.get("answer"), ids)
            if row is not None:
                self.keys[row[0]] = row
            return ids

    def recorded_answer(self, key: str) -> Recorded | None:
        with self.keys_lock:
            row = self.keys.get(key)
        return recorded(row[1:3] if row else None)

    def forget_keys_before(self, moment: str) -> int:
        with self.keys_lock:
            old = [key for key, row in self.keys.items() if row[3] < moment]
            for key in old:
                del self.keys[key]
        return len(old)
