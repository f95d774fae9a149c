"""Projection ``audit``: one row per event — who, when, which project, what — and the audit log view.

Rows keep the event's stored topic and state bytes as they are in the event store, so
the log shows exactly what was recorded; they are decoded only when read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from domain.access import UserAccess
from store.codecs import IdTexts, TimeTexts
from store.views import column_text, copy_rows, insert_rows, select_in, utc_text

UNKNOWN: Any = object()


class AuditLog:
    name = "audit"
    tables = ("view_audit", "view_owners", "view_file_references")

    def __init__(self, store: Any, mapper: Any) -> None:
        self.store, self.mapper = store, mapper
        self.rows: list[tuple] = []
        self.references: list[tuple] = []
        self.owners: dict[str, str | None] = {}
        self.created: dict[str, str] = {}
        self.ids = IdTexts()
        self.times = TimeTexts()

    def reset(self, carry: bool = False) -> None:
        """Forget the batch; ``carry``: keep the owners it began in hand for the next one (not committed yet)."""
        self.owners = dict(self.created) if carry else {}
        self.rows, self.created, self.references = [], {}, []
        self.ids.clear()
        self.times.clear()

    def prefetch(self, keys: list[str]) -> None:
        """Fetch, in one query, the projects of the aggregates ``keys`` (those a batch continues)."""
        keys = [key for key in keys if key not in self.owners]
        found = dict(select_in(self.store, "SELECT aggregate_id, project_id FROM view_owners", "aggregate_id", keys))
        self.owners.update((key, found.get(key)) for key in keys)

    def process(self, event: Any, notification: Any) -> None:
        ident, version = event.originator_id, event.originator_version
        aggregate_id = self.ids.get(ident.int) if type(ident) is UUID else None  # (``ids.of``, its frame saved)
        if aggregate_id is None:
            aggregate_id = self.ids.of(ident)
        project_id = self.owners.get(aggregate_id, UNKNOWN) if version > 1 else UNKNOWN
        if project_id is UNKNOWN:
            project_id = self.project_of(event, aggregate_id)
        self.rows.append(
            (
                notification.id,
                self.times.of(event.timestamp, notification.state),
                column_text(event.actor),
                column_text(event.role),
                column_text(event.actor_department),
                project_id,
                aggregate_id,
                version,
                type(event).__name__,
                notification.topic,
                notification.state,
            )
        )
        if files := getattr(event, "files", None):  # evidence: which aggregate each file is evidence of
            kind = type(event).__name__
            self.references += [(sha, notification.id, aggregate_id, project_id, kind) for sha in files]

    def project_of(self, event: Any, aggregate_id: str) -> str | None:
        if isinstance(event, UserAccess.Event):  # (a user's access belongs to no project)
            return None
        if event.originator_version == 1:
            owner = str(getattr(event, "project_id", aggregate_id))
            self.owners[aggregate_id] = self.created[aggregate_id] = owner
            return owner
        if aggregate_id not in self.owners:
            rows = self.store.execute("SELECT project_id FROM view_owners WHERE aggregate_id = ?", (aggregate_id,))
            self.owners[aggregate_id] = rows[0][0] if rows else None
        return self.owners[aggregate_id]

    def flush(self, cursor: Any) -> None:
        self.prepared()(cursor)

    def prepared(self) -> Callable[[Any], None]:
        """What writes the batch's rows, given the commit's cursor."""
        rows = self.rows
        owners = list(self.created.items())  # (those read from view_owners are there already)
        references = self.references

        def write(cursor: Any) -> None:
            if rows:
                if self.store.postgres:  # binary: the state bytes go as they are, nothing escaped
                    copy_rows(cursor, "view_audit", COPY_COLUMNS, rows)
                else:
                    cursor.executemany("INSERT INTO view_audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            tail = "ON CONFLICT (aggregate_id) DO NOTHING"
            insert_rows(self.store, cursor, "view_owners", OWNER_COLUMNS, owners, tail)
            tail = "ON CONFLICT (sha256, position) DO NOTHING"
            insert_rows(self.store, cursor, "view_file_references", REFERENCE_COLUMNS, references, tail)

        return write


def decode_event(mapper: Any, row: dict[str, Any]) -> Any:
    """The recorded event of one audit row."""
    stored = StoredEvent(row["aggregate_id"], row["version"], row["topic"], bytes(row["state"]))
    return mapper.to_domain_event(stored)


FILTER_COLUMNS = {"project": "project_id", "actor": "actor", "role": "role", "department": "department", "type": "type"}
ROW_COLUMNS = (
    "position",
    "time",
    "actor",
    "role",
    "department",
    "project_id",
    "aggregate_id",
    "version",
    "type",
    "topic",
    "state",
)
COPY_COLUMNS = tuple(
    zip(
        ROW_COLUMNS,
        ("bigint", "text", "text", "text", "text", "text", "text", "bigint", "text", "text", "bytea"),
        strict=True,
    )
)
OWNER_COLUMNS = (("aggregate_id", "text"), ("project_id", "text"))
REFERENCE_COLUMNS = (
    ("sha256", "text"),
    ("position", "bigint"),
    ("aggregate_id", "text"),
    ("project_id", "text"),
    ("type", "text"),
)


def audit_rows(store: Any, filters: dict[str, Any], limit: int | None = None, before: int | None = None) -> list[dict]:
    """The log newest first, filtered; ``before``: only positions below it (the page cursor)."""
    where, params = [], []
    for name, column in FILTER_COLUMNS.items():
        if filters.get(name) is not None:
            where.append(f"{column} = ?")
            params.append(str(filters[name]))
    if filters.get("since") is not None:
        where.append("time >= ?")
        params.append(utc_text(filters["since"]))
    if filters.get("until") is not None:
        where.append("time < ?")
        params.append(utc_text(filters["until"]))
    if before is not None:
        where.append("position < ?")
        params.append(before)
    sql = f"SELECT {', '.join(ROW_COLUMNS)} FROM view_audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY position DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [dict(zip(ROW_COLUMNS, row, strict=True)) for row in store.execute(sql, params)]
