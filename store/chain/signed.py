"""The signed checkpoints met along ``verify``'s walk of the chain.

Each is checked when the walk reaches its position: its signature with a configured public
key, then that the chain's hash there is the signed head. When the head no longer holds (every
link recomputed after a change), the (position, digest) pairs recorded with the checkpoint —
authenticated by the signed SHA-256 — are compared with the stored events from the checkpoint
before, which names the first event that differs from what was signed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from store.chain.links import GENESIS, digest, link
from store.chain.signing import Checkpoint, sha256, unpack, valid

PAGE = 5000
Evidence = Callable[[int], bytes | None]
"""The packed digests recorded with the checkpoint at a position (read only when a head fails)."""
Good = tuple[int, str, int]
"""(events, head, position) up to which the log is vouched for."""


class Signed:
    def __init__(
        self, recorder: Any, checkpoints: list[Checkpoint], keys: dict[str, Any] | None, evidence: Evidence | None
    ) -> None:
        self.recorder, self.keys, self.evidence = recorder, keys, evidence
        self.pending = list(checkpoints) if keys is not None else []
        self.unchecked = 0 if keys is not None else len(checkpoints)
        self.next = self.pending[0].position if self.pending else None
        self.checked, self.last = 0, None
        self.good: Good = (0, GENESIS, 0)

    def reached(self, count: int, at: int, chained_hash: str) -> tuple[int, str] | None:
        """``at`` verified as the ``count``th event with ``chained_hash``: the checkpoint problem, if any."""
        while self.pending and self.pending[0].position <= at:
            checkpoint = self.pending.pop(0)
            self.next = self.pending[0].position if self.pending else None
            if not valid(self.keys or {}, checkpoint):
                return checkpoint.position, "bad_signature"
            if checkpoint.position != at or checkpoint.head != chained_hash:
                return self._traced(checkpoint), "resigned"
            self.checked, self.last, self.good = self.checked + 1, checkpoint, (count, chained_hash, at)
        return None

    def beyond(self, end: int) -> tuple[int, str] | None:
        """Checkpoints after the chain's end: the tail they vouch for is gone (or they are forged)."""
        for checkpoint in self.pending:
            if not valid(self.keys or {}, checkpoint):
                return checkpoint.position, "bad_signature"
        if not self.pending:
            return None
        bad = self._traced(self.pending[0])
        return bad, "missing" if bad > end else "resigned"

    def _traced(self, checkpoint: Checkpoint) -> int:
        """The first position that differs from what ``checkpoint`` vouched for; ``good`` moves up to it."""
        data = self.evidence(checkpoint.position) if self.evidence is not None else None
        if data is None or sha256(data) != checkpoint.digests_sha256:
            return checkpoint.position  # (nothing trustworthy to trace with: the checkpoint itself is named)
        count, previous, position = self.good
        live = _events(self.recorder, position + 1)
        for at, signed_digest in unpack(data):
            event = next(live, None)
            if event is None or event.id != at:
                self.good = (count, previous, position)
                return at if event is None else min(at, event.id)
            if digest(event.originator_id, event.originator_version, event.topic, event.state) != signed_digest:
                self.good = (count, previous, position)
                return at
            count, previous, position = count + 1, link(previous, at, signed_digest), at
        return checkpoint.position


def _events(recorder: Any, start: int) -> Iterator[Any]:
    while page := recorder.select_notifications(start, PAGE):
        yield from page
        start = page[-1].id + 1
