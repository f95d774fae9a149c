"""The hash of one link (pure: no storage)."""

from __future__ import annotations

import hashlib
from uuid import UUID

GENESIS = "0" * 64


def _field(data: bytes) -> bytes:
    return len(data).to_bytes(8, "big") + data


def digest(originator_id: UUID | str, version: int, topic: str, state: bytes) -> str:
    """What the event is, wherever it stands: used to tell a reordering from a change."""
    ident = originator_id.hex if isinstance(originator_id, UUID) else str(originator_id).replace("-", "")
    parts = (ident.encode(), version.to_bytes(8, "big", signed=True), topic.encode(), bytes(state))
    return hashlib.sha256(b"".join(_field(p) for p in parts)).hexdigest()


def link(previous: str, position: int, event_digest: str) -> str:
    """The chained hash at ``position``: previous link + position + the event's digest."""
    data = bytes.fromhex(previous) + position.to_bytes(8, "big") + bytes.fromhex(event_digest)
    return hashlib.sha256(data).hexdigest()
