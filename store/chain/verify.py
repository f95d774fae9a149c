"""Re-read the whole log and recompute the chain: the auditor's proof that nothing was altered.

Problems, at the first bad position:
- ``changed``: the event's bytes (or its link) differ from what was chained, or an event
  appears that was never chained;
- ``missing``: a chained event is gone;
- ``reordered``: the event at this position was chained at another position;
- ``resigned``: the chain no longer reaches the head a signed checkpoint vouches for: history
  rewritten and every link recomputed (``chain/signed.py``); the position is the first event
  that differs from what was signed;
- ``bad_signature``: the checkpoint at this position is not signed by a configured key.

Checkpoints are checked only with public keys (``keys``, by key id); without them they are
counted as ``checkpoints_unchecked`` and the answer rests on the links alone. On a checkpoint
problem, ``events``/``head``/``head_position`` are what is still vouched for: up to the event
before a traced rewrite, else the last checkpoint that held.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from store.chain.links import GENESIS, digest, link
from store.chain.signed import Evidence, Signed
from store.chain.signing import Checkpoint

PAGE = 5000


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    head: str
    head_position: int
    first_bad_position: int | None = None
    problem: str | None = None
    checkpoints: int = 0
    checkpoints_unchecked: int = 0
    last_checkpoint: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _events(recorder: Any) -> Iterator[Any]:
    start = 1
    while page := recorder.select_notifications(start, PAGE):
        yield from page
        start = page[-1].id + 1


def _links(recorder: Any) -> Iterator[tuple[int, str, str]]:
    start = 1
    while page := recorder.chain(start, PAGE):
        yield from page
        start = page[-1][0] + 1


def _result(
    signed: Signed, ok: bool, count: int, head: str, position: int, bad: int | None = None, problem: str | None = None
) -> Verification:
    last = signed.last.summary() if signed.last else None
    return Verification(ok, count, head, position, bad, problem, signed.checked, signed.unchecked, last)


def _failed(signed: Signed, found: tuple[int, str]) -> Verification:
    """A checkpoint problem: reported with what is still vouched for (``signed.good``)."""
    return _result(signed, False, *signed.good, *found)


def verify(
    recorder: Any,
    keys: dict[str, Any] | None = None,
    checkpoints: list[Checkpoint] = (),
    evidence: Evidence | None = None,
) -> Verification:
    """Walk events and links together; ``checkpoints`` (signed heads) are checked with ``keys``,
    a rewrite traced to its first event with ``evidence`` (``store.checkpoints.audit`` gives all three)."""
    events, links = _events(recorder), _links(recorder)
    event, chained = next(events, None), next(links, None)
    previous, position, count = GENESIS, 0, 0
    recent: dict[str, int] = {}
    signed = Signed(recorder, list(checkpoints), keys, evidence)
    while event is not None or chained is not None:
        if chained is None or (event is not None and event.id < chained[0]):
            return _result(signed, False, count, previous, position, event.id, "changed")
        if event is None or chained[0] < event.id:
            return _result(signed, False, count, previous, position, chained[0], "missing")
        at, chained_digest, chained_hash = chained
        actual = digest(event.originator_id, event.originator_version, event.topic, event.state)
        if actual != chained_digest:
            problem = "reordered" if actual in recent or _chained_later(recorder, actual, at) else "changed"
            return _result(signed, False, count, previous, position, at, problem)
        if link(previous, at, chained_digest) != chained_hash:
            return _result(signed, False, count, previous, position, at, "changed")
        if signed.next is not None and at >= signed.next and (found := signed.reached(count + 1, at, chained_hash)):
            return _failed(signed, found)
        recent[chained_digest] = at
        if len(recent) > PAGE:
            recent.pop(next(iter(recent)))
        previous, position, count = chained_hash, at, count + 1
        event, chained = next(events, None), next(links, None)
    if (found := signed.beyond(position)) is not None:
        return _failed(signed, found)
    return _result(signed, True, count, previous, position)


def _chained_later(recorder: Any, event_digest: str, after: int) -> bool:
    """Is this event's digest chained a little further on (two events swapped)?"""
    return any(row[1] == event_digest for row in recorder.chain(after + 1, PAGE))


def head(recorder: Any) -> tuple[int, str]:
    """The last chained position and its hash (what an auditor writes down)."""
    last = (0, GENESIS)
    for at, _, chained_hash in _links(recorder):
        last = (at, chained_hash)
    return last
