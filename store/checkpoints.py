"""Signed checkpoints of the chain, kept in ``chain_checkpoints`` next to the chain itself.

The table may be written by anyone with database rights, which is why each row carries an
Ed25519 signature made with a key kept outside the database (``chain/signing.py``): a row
that does not verify is a finding, not a checkpoint.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from psycopg.sql import SQL

from chain.recorders import CHECKPOINTS_TABLE, ChainedPostgresRecorder, ChainedSQLiteRecorder
from chain.signing import Checkpoint, load_private, sign, verify_keys
from chain.verify import verify

log = logging.getLogger(__name__)
DAY = timedelta(hours=24)
COLUMNS = "position, head, signed_at, signature, key_id"


class NotSigned(Exception):
    """The chain does not verify now: signing its head would vouch for a tampered log."""


def read(recorder: Any) -> list[Checkpoint]:
    """Every recorded checkpoint, oldest position first."""
    if isinstance(recorder, ChainedPostgresRecorder):
        with recorder.datastore.transaction(commit=False) as curs:
            curs.execute(_pg(recorder, f"SELECT {COLUMNS} FROM {{0}} ORDER BY position"))
            return [Checkpoint(**row) for row in curs.fetchall()]
    if isinstance(recorder, ChainedSQLiteRecorder):
        with recorder.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT {COLUMNS} FROM {CHECKPOINTS_TABLE} ORDER BY position")
            return [Checkpoint(*row) for row in c.fetchall()]
    return sorted(getattr(recorder, "checkpoints", []), key=lambda checkpoint: checkpoint.position)


def record(recorder: Any, checkpoint: Checkpoint) -> bool:
    """Store a checkpoint; False if one is already recorded at its position."""
    row = (checkpoint.position, checkpoint.head, checkpoint.signed_at, checkpoint.signature, checkpoint.key_id)
    if isinstance(recorder, ChainedPostgresRecorder):
        insert = f"INSERT INTO {{0}} ({COLUMNS}) VALUES (%s, %s, %s, %s, %s) ON CONFLICT (position) DO NOTHING"
        with recorder.datastore.transaction(commit=True) as curs:
            curs.execute(_pg(recorder, insert), row)
            return curs.rowcount == 1
    if isinstance(recorder, ChainedSQLiteRecorder):
        insert = f"INSERT INTO {CHECKPOINTS_TABLE} ({COLUMNS}) VALUES (?, ?, ?, ?, ?) ON CONFLICT (position) DO NOTHING"
        with recorder.datastore.transaction(commit=True) as c:
            c.execute(insert, row)
            c.execute("SELECT changes()")
            return c.fetchone()[0] == 1
    if any(known.position == checkpoint.position for known in recorder.checkpoints):
        return False
    recorder.checkpoints.append(checkpoint)
    return True


def _pg(recorder: Any, statement: str) -> Any:
    return SQL(statement).format(recorder.checkpoints_table)


def audit(recorder: Any, keys: dict[str, Any] | None) -> Any:
    """``chain.verify.verify`` with the recorded checkpoints (checked if ``keys``, else counted as unchecked)."""
    return verify(recorder, keys, read(recorder))


def take(recorder: Any, signing_key: str, now: datetime | None = None) -> Checkpoint | None:
    """Verify the chain (and the checkpoints so far), then sign and record its head.

    None when there is nothing new to sign (no events, or the head is already checkpointed).
    Raises ``NotSigned`` when the chain does not verify.
    """
    private = load_private(signing_key)
    keys = verify_keys(None, signing_key)
    result = audit(recorder, keys)
    if not result.ok:
        raise NotSigned(f"{result.problem} at position {result.first_bad_position}")
    if result.head_position == 0:
        return None
    moment = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    checkpoint = sign(private, result.head_position, result.head, moment)
    return checkpoint if record(recorder, checkpoint) else None


class DailyCheckpoint:
    """Called by the projector when idle: takes a checkpoint once the last is older than ``every``.

    Looks at most once a minute; a failure is logged and never stops the projector.
    """

    def __init__(self, recorder: Any, signing_key: str, every: timedelta = DAY, look_every: float = 60.0) -> None:
        self.recorder, self.signing_key, self.every, self.look_every = recorder, signing_key, every, look_every
        self.next_look = 0.0

    def __call__(self) -> Checkpoint | None:
        if time.monotonic() < self.next_look:
            return None
        self.next_look = time.monotonic() + self.look_every
        try:
            known = read(self.recorder)
            if known and datetime.now(UTC) - datetime.fromisoformat(known[-1].signed_at) < self.every:
                return None
            taken = take(self.recorder, self.signing_key)
        except Exception:
            log.exception("daily chain checkpoint failed; the projector goes on")
            return None
        if taken is not None:
            log.info("chain checkpoint signed at position %s", taken.position)
        return taken
