"""Application recorders that write the chain link of each event in the event's own transaction.

SQLite serialises writers; PostgreSQL inserts under the library's exclusive table lock,
so reading the last link and appending the new ones cannot interleave with another writer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier

from store.chain.links import GENESIS, digest, link
from store.idempotency_keys import PostgresKeys, SQLiteKeys
from store.postgres import READ_ATTEMPTS, tried

CHAIN_TABLE = "event_chain"
TIMES_TABLE = "event_times"
CHECKPOINTS_TABLE = "chain_checkpoints"
CHECKPOINTS_COLUMNS = (
    "(position {int} PRIMARY KEY, head text NOT NULL, signed_at text NOT NULL, signature text NOT NULL, "
    "key_id text NOT NULL, digests_sha256 text NOT NULL, digests {blob} NOT NULL)"
)
"""Signed heads (``store/checkpoints.py``), created with the chain so a restore finds the table."""
CREATE_LOCK = 7315002  # advisory lock key (store/views.py uses 7315001)


def utc_text(moment: Any) -> str:
    """Fixed-width UTC text: text order is time order (the year always in 4 digits).

    A time that leaves the calendar once taken to UTC (year 1 east of Greenwich, year
    9999 west of it) is before, or after, every time that can be stored.
    """
    try:
        return moment.astimezone(UTC).isoformat(timespec="microseconds")
    except OverflowError:
        end = datetime.min if moment.year == datetime.min.year else datetime.max
        return end.replace(tzinfo=UTC).isoformat(timespec="microseconds")


def time_rows(event_times: Sequence[tuple[Any, int, Any]]) -> list[tuple[str, int, str]]:
    """Rows of the time index: (aggregate id, version, time as ``utc_text``).

    ``Tracker.commit`` gives every version saved in one write the same time (the write's), so that
    a read as of any time sees a write whole or not at all. Rows written before that carry each
    event's own time; they are read the same way.
    """
    return [(str(ident), version, utc_text(at)) for ident, version, at in event_times]


def new_links(previous: str, ids: Sequence[int], events: Sequence[StoredEvent]) -> list[tuple[int, str, str]]:
    rows = []
    for position, event in zip(ids, events, strict=True):
        event_digest = digest(event.originator_id, event.originator_version, event.topic, event.state)
        previous = link(previous, position, event_digest)
        rows.append((position, event_digest, previous))
    return rows


class ChainedSQLiteRecorder(SQLiteKeys, SQLiteApplicationRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} (position INTEGER PRIMARY KEY, digest TEXT, hash TEXT)",
            f"CREATE TABLE IF NOT EXISTS {TIMES_TABLE} (originator_id TEXT, version INTEGER, at TEXT, "
            "PRIMARY KEY (originator_id, version))",
            f"CREATE TABLE IF NOT EXISTS {CHECKPOINTS_TABLE} {CHECKPOINTS_COLUMNS.format(int='INTEGER', blob='BLOB')}",
        ]

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        if ids:
            c.execute(f"SELECT hash FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1")
            row = c.fetchone()
            previous = row[0] if row else GENESIS
            c.executemany(f"INSERT INTO {CHAIN_TABLE} VALUES (?, ?, ?)", new_links(previous, ids, stored_events))
        if kwargs.get("event_times"):
            c.executemany(f"INSERT INTO {TIMES_TABLE} VALUES (?, ?, ?)", time_rows(kwargs["event_times"]))
        return ids

    def version_at(self, originator_id: Any, when: Any) -> int | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT MAX(version) FROM {TIMES_TABLE} WHERE originator_id = ? AND at <= ?",
                (str(originator_id), utc_text(when)),
            )
            return c.fetchone()[0]

    def versions_at(self, originator_ids: Sequence[Any], when: Any) -> dict[str, int]:
        """``version_at`` of several aggregates in one query (id as text → version; absent: none then)."""
        if not originator_ids:
            return {}
        marks = ", ".join("?" * len(originator_ids))
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT originator_id, MAX(version) FROM {TIMES_TABLE} WHERE originator_id IN ({marks}) AND at <= ? "
                "GROUP BY originator_id",
                (*map(str, originator_ids), utc_text(when)),
            )
            return {row[0]: row[1] for row in c.fetchall()}

    def written_at(self, originator_id: Any, version: int) -> str | None:
        """The indexed time of one version (``utc_text``), None if it has no row."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT at FROM {TIMES_TABLE} WHERE originator_id = ? AND version = ?", (str(originator_id), version)
            )
            row = c.fetchone()
            return row[0] if row else None

    def chain(self, start: int, limit: int) -> list[tuple[int, str, str]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT position, digest, hash FROM {CHAIN_TABLE} WHERE position >= ? ORDER BY position LIMIT ?",
                (start, limit),
            )
            return [tuple(row) for row in c.fetchall()]


class BinaryStateReads:
    """The library's ``select_events`` with the rows fetched in PostgreSQL's binary format.

    In the text format a ``bytea`` travels as hex: twice the bytes for the server to write and
    the client to parse. That was most of the time of reading a large snapshot (a project with
    10,000 events: 1.7 MB, 19 ms as hex, 2 ms binary), so of every read as it was (``as_of``).
    """

    @retry((InterfaceError, OperationalError), max_attempts=READ_ATTEMPTS, wait=0.1)
    def select_events(
        self,
        originator_id: Any,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        statement = self.select_events_statement
        params: list[Any] = [originator_id]
        if gt is not None:
            params.append(gt)
            statement += SQL(" AND originator_version > %s")
        if lte is not None:
            params.append(lte)
            statement += SQL(" AND originator_version <= %s")
        statement += SQL(" ORDER BY originator_version DESC" if desc else " ORDER BY originator_version ASC")
        if limit is not None:
            params.append(limit)
            statement += SQL(" LIMIT %s")
        with self.datastore.get_connection() as conn, conn.cursor(binary=True) as curs:
            curs.execute(statement, params, prepare=True)
            return [
                StoredEvent(row["originator_id"], row["originator_version"], row["topic"], bytes(row["state"]))
                for row in curs.fetchall()
            ]


class PostgresSnapshotRecorder(BinaryStateReads, PostgresAggregateRecorder):
    """The snapshots table, read in binary (the library makes it a plain aggregate recorder)."""

    insert_events = tried(PostgresAggregateRecorder.insert_events, attempts=1)


class ChainedPostgresRecorder(BinaryStateReads, PostgresKeys, PostgresApplicationRecorder):
    insert_events = tried(PostgresApplicationRecorder.insert_events, attempts=1)  # (bounded: store/postgres.py)
    select_notifications = tried(PostgresApplicationRecorder.select_notifications)
    max_notification_id = tried(PostgresApplicationRecorder.max_notification_id)

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.chain_table = SQL("{0}.{1}").format(Identifier(self.datastore.schema), Identifier(CHAIN_TABLE))
        self.times_table = SQL("{0}.{1}").format(Identifier(self.datastore.schema), Identifier(TIMES_TABLE))
        self.sql_create_statements.append(
            SQL("CREATE TABLE IF NOT EXISTS {0} (position bigint PRIMARY KEY, digest text, hash text)").format(
                self.chain_table
            )
        )
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {0} (originator_id text, version bigint, at text, "
                "PRIMARY KEY (originator_id, version))"
            ).format(self.times_table)
        )
        self.checkpoints_table = SQL("{0}.{1}").format(Identifier(self.datastore.schema), Identifier(CHECKPOINTS_TABLE))
        self.sql_create_statements.append(
            SQL("CREATE TABLE IF NOT EXISTS {0} " + CHECKPOINTS_COLUMNS.format(int="bigint", blob="bytea")).format(
                self.checkpoints_table
            )
        )

    def create_table(self) -> None:
        """Tables and types created by one process at a time, the snapshots table included.

        ``CREATE ... IF NOT EXISTS`` is not safe when two processes create the same objects at
        once (two gunicorn workers booting together failed with "tuple concurrently updated"),
        so creation waits for an advisory lock held on a connection of its own. The library
        creates the snapshots table after this one, unguarded; made here first, it finds it there.
        """
        options = {k: v for k, v in self.datastore.pool.kwargs.items() if k != "row_factory" and v is not None}
        with psycopg.connect(**options, autocommit=True) as lock:
            lock.execute("SELECT pg_advisory_lock(%s)", (CREATE_LOCK,))
            super().create_table()
            if self.events_table_name.endswith("_events"):
                snapshots = self.events_table_name.removesuffix("_events") + "_snapshots"
                PostgresAggregateRecorder(self.datastore, events_table_name=snapshots).create_table()

    def _fetch_ids_after_insert_events(self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if ids:
            curs.execute(SQL("SELECT hash FROM {0} ORDER BY position DESC LIMIT 1").format(self.chain_table))
            row = curs.fetchone()
            previous = row["hash"] if row else GENESIS
            curs.executemany(
                SQL("INSERT INTO {0} VALUES (%s, %s, %s)").format(self.chain_table),
                new_links(previous, ids, stored_events),
            )
        if kwargs.get("event_times"):
            curs.executemany(
                SQL("INSERT INTO {0} VALUES (%s, %s, %s)").format(self.times_table), time_rows(kwargs["event_times"])
            )
        return ids

    def snapshot_recorder(self, recorder: PostgresAggregateRecorder) -> PostgresAggregateRecorder:
        """The application's snapshot recorder (same store and table), reading in binary too."""
        return PostgresSnapshotRecorder(recorder.datastore, events_table_name=recorder.events_table_name)

    def version_at(self, originator_id: Any, when: Any) -> int | None:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL("SELECT MAX(version) AS v FROM {0} WHERE originator_id = %s AND at <= %s").format(self.times_table),
                (str(originator_id), utc_text(when)),
            )
            return curs.fetchone()["v"]

    def versions_at(self, originator_ids: Sequence[Any], when: Any) -> dict[str, int]:
        """``version_at`` of several aggregates in one query (id as text → version; absent: none then)."""
        if not originator_ids:
            return {}
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL(
                    "SELECT originator_id, MAX(version) AS v FROM {0} WHERE originator_id = ANY(%s) AND at <= %s "
                    "GROUP BY originator_id"
                ).format(self.times_table),
                ([str(i) for i in originator_ids], utc_text(when)),
            )
            return {row["originator_id"]: row["v"] for row in curs.fetchall()}

    def written_at(self, originator_id: Any, version: int) -> str | None:
        """The indexed time of one version (``utc_text``), None if it has no row."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL("SELECT at FROM {0} WHERE originator_id = %s AND version = %s").format(self.times_table),
                (str(originator_id), version),
            )
            row = curs.fetchone()
            return row["at"] if row else None

    def chain(self, start: int, limit: int) -> list[tuple[int, str, str]]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL("SELECT position, digest, hash FROM {0} WHERE position >= %s ORDER BY position LIMIT %s").format(
                    self.chain_table
                ),
                (start, limit),
            )
            return [(r["position"], r["digest"], r["hash"]) for r in curs.fetchall()]
