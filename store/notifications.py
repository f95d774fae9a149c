"""The notifications' tables, in the events' own database beside the views: channels, deliveries,
and what the notifications projection tracks (its position, people, projects, tickets).

Channels hold addresses and secrets, so they live here and never in an event. A delivery's id is
its primary key, derived from what caused it and where it goes (``delivery_id``): creating it
twice is a no-op, and a sender that dies after sending but before recording sends the same row
again, with the same id, which the receiver can use to drop the repeat.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from store.views import ViewStore

TABLES = {
    "notify_positions": "name TEXT PRIMARY KEY, position BIGINT NOT NULL, since BIGINT NOT NULL",
    "notify_people": "user_name TEXT PRIMARY KEY, role TEXT, department TEXT, language TEXT, active INTEGER NOT NULL",
    "notify_projects": "project_id TEXT PRIMARY KEY, code TEXT, name TEXT, project_manager TEXT",
    "notify_tickets": (
        "ticket_id TEXT PRIMARY KEY, project_id TEXT NOT NULL, department TEXT NOT NULL, ref TEXT NOT NULL, "
        "title TEXT NOT NULL, due TEXT NOT NULL, open INTEGER NOT NULL"
    ),
    "notify_channels": (
        "id TEXT PRIMARY KEY, owner TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL, "
        "secret TEXT, language TEXT, created_at TEXT NOT NULL"
    ),
    "notify_deliveries": (
        "id TEXT PRIMARY KEY, cause TEXT NOT NULL, rule TEXT NOT NULL, recipient TEXT NOT NULL, "
        "channel_id TEXT NOT NULL, language TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, "
        "created_at TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL, next_try TEXT NOT NULL, "
        "last_error TEXT, sent_at TEXT, sent_by TEXT"
    ),
    "calendar_feeds": (
        "token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, subject TEXT NOT NULL, created_at TEXT NOT NULL, "
        "revoked_at TEXT"
    ),
}
INDEXES = ("CREATE INDEX IF NOT EXISTS notify_deliveries_due ON notify_deliveries (status, next_try)",)
PENDING, SENT, DROPPED = "pending", "sent", "dropped"
KINDS = ("email", "dingtalk", "wecom", "webhook")


def create_tables(store: ViewStore) -> None:
    """Idempotent, under the views' advisory lock on PostgreSQL (processes starting together)."""
    with store.transaction() as cursor:
        if store.postgres:
            cursor.execute("SELECT pg_advisory_xact_lock(7315001)")
        for name, columns in TABLES.items():
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")
        for index in INDEXES:
            cursor.execute(index)


def now_text(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")


def delivery_id(cause: str, recipient: str, channel_id: str) -> str:
    """Stable: the same cause (an event's position, or a ticket's due date and stage), recipient and channel."""
    return hashlib.sha256(f"{cause}\n{recipient}\n{channel_id}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Channel:
    id: str
    owner: str
    kind: str
    target: str
    secret: str | None
    language: str | None


@dataclass(frozen=True)
class Delivery:
    id: str
    cause: str
    rule: str
    recipient: str
    channel_id: str
    language: str
    subject: str
    body: str
    attempts: int


class Channels:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def add(self, owner: str, kind: str, target: str, secret: str | None, language: str | None) -> Channel:
        channel = Channel(secrets.token_hex(4), owner, kind, target, secret, language)
        self.store.execute(
            "INSERT INTO notify_channels VALUES (?, ?, ?, ?, ?, ?, ?)",
            (channel.id, owner, kind, target, secret, language, now_text()),
        )
        return channel

    def remove(self, channel_id: str) -> bool:
        with self.store.transaction() as cursor:
            cursor.execute(self.store.sql("DELETE FROM notify_channels WHERE id = ?"), (channel_id,))
            return cursor.rowcount > 0

    def all(self) -> list[Channel]:
        rows = self.store.execute(
            "SELECT id, owner, kind, target, secret, language FROM notify_channels ORDER BY owner, id"
        )
        return [Channel(*row) for row in rows]

    def get(self, channel_id: str) -> Channel | None:
        rows = self.store.execute(
            "SELECT id, owner, kind, target, secret, language FROM notify_channels WHERE id = ?", (channel_id,)
        )
        return Channel(*rows[0]) if rows else None


class Deliveries:
    """The delivery log: created by the projection, sent and acknowledged by the sender."""

    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def create(self, cursor: Any, rows: Iterable[tuple[str, str, str, str, str, str, str, str]]) -> None:
        """``rows``: (id, cause, rule, recipient, channel_id, language, subject, body); an existing id stays."""
        stamp = now_text()
        cursor.executemany(
            self.store.sql(
                "INSERT INTO notify_deliveries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, NULL, NULL) "
                "ON CONFLICT (id) DO NOTHING"
            ),
            [(*row[:8], stamp, PENDING, stamp) for row in rows],
        )

    def due(self, limit: int = 100, moment: datetime | None = None) -> list[Delivery]:
        rows = self.store.execute(
            "SELECT id, cause, rule, recipient, channel_id, language, subject, body, attempts FROM notify_deliveries "
            "WHERE status = ? AND next_try <= ? ORDER BY next_try, id LIMIT ?",
            (PENDING, now_text(moment), limit),
        )
        return [Delivery(*row) for row in rows]

    def sent(self, delivery: Delivery, by: str) -> None:
        self.store.execute(
            "UPDATE notify_deliveries SET status = ?, attempts = attempts + 1, sent_at = ?, sent_by = ?, "
            "last_error = NULL WHERE id = ? AND status = ?",
            (SENT, now_text(), by, delivery.id, PENDING),
        )

    def failed(self, delivery: Delivery, error: str, backoff: float, max_backoff: float) -> None:
        """Tried again after ``backoff`` doubled per attempt, at most ``max_backoff`` seconds."""
        wait = min(backoff * 2**delivery.attempts, max_backoff)
        self.store.execute(
            "UPDATE notify_deliveries SET attempts = attempts + 1, last_error = ?, next_try = ? WHERE id = ?",
            (error[:500], now_text(datetime.now(UTC) + timedelta(seconds=wait)), delivery.id),
        )

    def dropped(self, delivery: Delivery, why: str) -> None:
        self.store.execute(
            "UPDATE notify_deliveries SET status = ?, last_error = ? WHERE id = ?", (DROPPED, why, delivery.id)
        )

    def log(self, limit: int = 200, status: str | None = None) -> list[dict[str, Any]]:
        """The latest deliveries, newest first (the auditor's delivery log; no secrets, no addresses)."""
        where, params = ("WHERE status = ?", [status]) if status else ("", [])
        columns = (
            "id, cause, rule, recipient, channel_id, language, subject, status, attempts, "
            "created_at, next_try, last_error, sent_at, sent_by"
        )
        rows = self.store.execute(
            f"SELECT {columns} FROM notify_deliveries {where} ORDER BY created_at DESC, id LIMIT ?", [*params, limit]
        )
        names = [name.strip() for name in columns.split(",")]
        return [dict(zip(names, row, strict=True)) for row in rows]

