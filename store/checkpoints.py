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

from store.chain.recorders import CHECKPOINTS_TABLE, ChainedPostgresRecorder, ChainedSQLiteRecorder
from store.chain.signing import Checkpoint, load_private, pack, sign, verify_keys
from store.chain.verify import verify

log = logging.getLogger(__name__)
DAY = timedelta(hours=24)
COLUMNS = "position, head, signed_at, signature, key_id, digests_sha256"
PAGE = 5000


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


def record(recorder: Any, checkpoint: Checkpoint, digests: bytes) -> bool:
    """Store a checkpoint with the digests it vouches for; False if one is already recorded at its position."""
    row = (*(getattr(checkpoint, c) for c in COLUMNS.split(", ")), digests)
    if isinstance(recorder, ChainedPostgresRecorder):
        insert = f"INSERT INTO {{0}} ({COLUMNS}, digests) VALUES ({', '.join(['%s'] * 7)}) ON CONFLICT DO NOTHING"
        with recorder.datastore.transaction(commit=True) as curs:
            curs.execute(_pg(recorder, insert), row)
            return curs.rowcount == 1
    if isinstance(recorder, ChainedSQLiteRecorder):
        insert = (
            f"INSERT INTO {CHECKPOINTS_TABLE} ({COLUMNS}, digests) VALUES ({', '.join('?' * 7)}) ON CONFLICT DO NOTHING"
        )
        with recorder.datastore.transaction(commit=True) as c:
            c.execute(insert, row)
            c.execute("SELECT changes()")
            return c.fetchone()[0] == 1
    if any(known.position == checkpoint.position for known in recorder.checkpoints):
        return False
    recorder.checkpoints.append(checkpoint)
    recorder.checkpoint_digests[checkpoint.position] = digests
    return True


def digests_at(recorder: Any, position: int) -> bytes | None:
    """The packed (position, digest) pairs recorded with the checkpoint at ``position`` (read only when needed)."""
    if isinstance(recorder, ChainedPostgresRecorder):
        with recorder.datastore.transaction(commit=False) as curs:
            curs.execute(_pg(recorder, "SELECT digests FROM {0} WHERE position = %s"), (position,))
            row = curs.fetchone()
            return bytes(row["digests"]) if row else None
    if isinstance(recorder, ChainedSQLiteRecorder):
        with recorder.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT digests FROM {CHECKPOINTS_TABLE} WHERE position = ?", (position,))
            row = c.fetchone()
            return bytes(row[0]) if row else None
    return recorder.checkpoint_digests.get(position)


def _pg(recorder: Any, statement: str) -> Any:
    return SQL(statement).format(recorder.checkpoints_table)


def audit(recorder: Any, keys: dict[str, Any] | None) -> Any:
    """``store.chain.verify.verify`` with the recorded checkpoints (checked if ``keys``, else counted as unchecked)."""
    return verify(recorder, keys, read(recorder), lambda position: digests_at(recorder, position))


def take(
    recorder: Any, signing_key: str, verify_key: str | None = None, now: datetime | None = None
) -> Checkpoint | None:
    """Verify the chain (and the checkpoints so far), then sign and record its head.

    The checkpoints so far are checked with the signing key and the ``verify_key`` files (the
    old keys, after a rotation). None when there is nothing new to sign (no events, or the head
    is already checkpointed). Raises ``NotSigned`` when the chain does not verify.
    """
    private = load_private(signing_key)
    keys = {**(verify_keys(verify_key, None) or {}), **(verify_keys(None, signing_key) or {})}
    result = audit(recorder, keys)
    if not result.ok:
        raise NotSigned(f"{result.problem} at position {result.first_bad_position}")
    if result.head_position == 0:
        return None
    known = read(recorder)
    after = known[-1].position if known else 0
    if result.head_position <= after:
        return None
    rows, start = [], after + 1
    while start <= result.head_position and (page := recorder.chain(start, PAGE)):
        rows += [(position, event_digest) for position, event_digest, _ in page if position <= result.head_position]
        start = page[-1][0] + 1
    digests = pack(rows)
    moment = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    checkpoint = sign(private, result.head_position, result.head, moment, digests)
    return checkpoint if record(recorder, checkpoint, digests) else None


class DailyCheckpoint:
    """Called by the projector when idle: takes a checkpoint once the last is older than ``every``.

    Looks at most once a minute; a failure is logged and never stops the projector.
    """

    def __init__(
        self,
        recorder: Any,
        signing_key: str,
        verify_key: str | None = None,
        every: timedelta = DAY,
        look_every: float = 60.0,
    ) -> None:
        self.recorder, self.signing_key, self.verify_key = recorder, signing_key, verify_key
        self.every, self.look_every, self.next_look = every, look_every, 0.0

    def __call__(self) -> Checkpoint | None:
        if time.monotonic() < self.next_look:
            return None
        self.next_look = time.monotonic() + self.look_every
        try:
            known = read(self.recorder)
            if known and datetime.now(UTC) - datetime.fromisoformat(known[-1].signed_at) < self.every:
                return None
            taken = take(self.recorder, self.signing_key, self.verify_key)
        except NotSigned as refused:
            log.error("chain checkpoint NOT signed: the chain does not verify (%s)", refused)
            return None
        except Exception:
            log.exception("daily chain checkpoint failed; the projector goes on")
            return None
        if taken is not None:
            log.info("chain checkpoint signed at position %s", taken.position)
        return taken
