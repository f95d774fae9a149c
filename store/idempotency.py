"""Idempotency keys: a command's answer stored with its events, in the same transaction.

A client that gave up waiting (a timeout, a dropped connection) cannot tell whether its command
was recorded; it retries with the same ``Idempotency-Key`` and gets the first answer back instead
of recording the step twice. The key row is written by the application recorder beside the
events, so a command committed after the client gave up is found by its retry, and a command
rolled back leaves no key (its corrected retry runs).

The HTTP layer puts the request's key and fingerprint in ``claiming`` (a context variable, so
``domain/`` knows nothing of HTTP); ``Tracker.commit`` passes its would-be answer to ``save`` as
``answer=(id, version, data)``; the recorder mixins below write the row only when a key is
claimed, filling in the position from the inserted notification ids. A second writer of the same
key fails on the key's primary key (memory: the same check under the store's lock), which rolls
its events back: exactly one records.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

KEYS_TABLE = "idempotency_keys"
DEFAULT_RETENTION = timedelta(hours=48)
MINIMUM_RETENTION = timedelta(hours=24)


@dataclass(frozen=True)
class Claim:
    """The key a request came with and the fingerprint of what it asked (actor, method, path, body)."""

    key: str
    fingerprint: str


@dataclass(frozen=True)
class Recorded:
    fingerprint: str
    answer: dict[str, Any]


_claim: ContextVar[Claim | None] = ContextVar("idempotency_claim", default=None)


@contextmanager
def claiming(claim: Claim) -> Iterator[None]:
    """While this block runs, a command committed in this context stores its answer under ``claim``."""
    token = _claim.set(claim)
    try:
        yield
    finally:
        _claim.reset(token)


def fingerprint(*parts: Any) -> str:
    """SHA-256 of the parts as canonical JSON (keys sorted): the same request, the same print."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=_plain)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _plain(value: Any) -> Any:
    """JSON for what command answers carry beyond JSON's types, written as the API writes them."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)  # never fail a command's write for its stored answer


def now_text(moment: datetime | None = None) -> str:
    """Fixed-width UTC text, so text order is time order."""
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")


def key_row(answer: Any, ids: Sequence[int] | None) -> tuple[str, str, str, str] | None:
    """The row to store for this write: (key, fingerprint, answer JSON, created_at), or None when
    no key is claimed or the write is not a command's (no ``answer``)."""
    claim = _claim.get()
    if claim is None or answer is None or not ids:
        return None
    ident, version, data = answer
    text = json.dumps({"id": ident, "version": version, "position": ids[-1], **data}, default=_plain)
    return claim.key, claim.fingerprint, text, now_text()


def recorded(row: Any) -> Recorded | None:
    return Recorded(row[0], json.loads(row[1])) if row is not None else None


def retention_from(hours: str | float | None) -> timedelta:
    """The configured retention (hours), at least ``MINIMUM_RETENTION``; unset: the default."""
    if hours is None or hours == "":
        return DEFAULT_RETENTION
    retention = timedelta(hours=float(hours))
    if retention < MINIMUM_RETENTION:
        raise ValueError(f"IDEMPOTENCY_RETENTION_HOURS must be at least {MINIMUM_RETENTION.total_seconds() / 3600:g}")
    return retention


def forget_expired(recorder: Any, retention: timedelta = DEFAULT_RETENTION, now: datetime | None = None) -> int:
    """Delete the keys stored more than ``retention`` before ``now``; how many went."""
    if retention < MINIMUM_RETENTION:
        raise ValueError("idempotency keys are kept at least 24 hours")
    return recorder.forget_keys_before(now_text((now or datetime.now(UTC)) - retention))


def current_claim() -> Claim | None:
    return _claim.get()
