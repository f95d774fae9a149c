"""What a backup holds: the event store's own tables, in the SQLite store's layout.

A backup file is a SQLite database laid out exactly as ``DATABASE_URL=sqlite:///…`` lays out its
event store (events with their position as ``rowid``, snapshots, chain, time index, checkpoints),
plus ``backup_info``. So one format serves both stores, a PostgreSQL backup restores into SQLite
and back, and the file opens with any SQLite tool. The views are not in it: they are rebuilt from
the events on restore.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from store.chain.recorders import CHAIN_TABLE, CHECKPOINTS_COLUMNS, CHECKPOINTS_TABLE, TIMES_TABLE

FORMAT = "launch-tracker backup 1"
INFO_TABLE = "backup_info"
IDEMPOTENCY_TABLE = "idempotency_keys"
"""Added by another part of issue 11; copied whole when the store has it (its columns as found)."""


@dataclass(frozen=True)
class Table:
    """One table of the backup: its name there, its columns, and whether ``originator_id`` is a UUID."""

    name: str
    columns: tuple[str, ...]
    ddl: str
    uuid_ids: bool = False


EVENTS = Table(
    "stored_events",
    ("rowid", "originator_id", "originator_version", "topic", "state"),
    "CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, topic TEXT, state BLOB, "
    "PRIMARY KEY (originator_id, originator_version))",
    uuid_ids=True,
)
SNAPSHOTS = Table(
    "stored_snapshots",
    ("originator_id", "originator_version", "topic", "state"),
    "CREATE TABLE stored_snapshots (originator_id TEXT, originator_version INTEGER, topic TEXT, state BLOB, "
    "PRIMARY KEY (originator_id, originator_version)) WITHOUT ROWID",
    uuid_ids=True,
)
CHAIN = Table(
    CHAIN_TABLE,
    ("position", "digest", "hash"),
    f"CREATE TABLE {CHAIN_TABLE} (position INTEGER PRIMARY KEY, digest TEXT, hash TEXT)",
)
TIMES = Table(
    TIMES_TABLE,
    ("originator_id", "version", "at"),
    f"CREATE TABLE {TIMES_TABLE} (originator_id TEXT, version INTEGER, at TEXT, PRIMARY KEY (originator_id, version))",
)
CHECKPOINTS = Table(
    CHECKPOINTS_TABLE,
    ("position", "head", "signed_at", "signature", "key_id", "digests_sha256", "digests"),
    f"CREATE TABLE {CHECKPOINTS_TABLE} {CHECKPOINTS_COLUMNS.format(int='INTEGER', blob='BLOB')}",
)
TABLES = (EVENTS, SNAPSHOTS, CHAIN, TIMES, CHECKPOINTS)
FILE_TABLES = ("files", "file_uploaders")
"""The uploaded files (``store.evidence_files``): copied whole when the store has them; put back after
a restore by ``FileStore.restore_from`` (they are not views: nothing rebuilds them)."""
KEPT = {table.name for table in TABLES} | {IDEMPOTENCY_TABLE, INFO_TABLE, *FILE_TABLES}


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why (the CLI prints it and exits 1)."""


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def portable(value: Any) -> Any:
    """A PostgreSQL value as SQLite keeps it (text for times, ids, decimals and JSON)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def to_hex_id(value: Any) -> str:
    """An aggregate id as the SQLite store keeps it (32 hex digits)."""
    return value.hex if isinstance(value, UUID) else UUID(str(value)).hex
