"""Re-read the whole log and recompute the chain: the auditor's proof that nothing was altered.

Problems, at the first bad position:
- ``changed``: the event's bytes (or its link) differ from what was chained, or an event
  appears that was never chained;
- ``missing``: a chained event is gone;
- ``reordered``: the event at this position was chained at another position.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from chain.links import GENESIS, digest, link

PAGE = 5000


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    head: str
    head_position: int
    first_bad_position: int | None = None
    problem: str | None = None

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


def verify(recorder: Any) -> Verification:
    events, links = _events(recorder), _links(recorder)
    event, chained = next(events, None), next(links, None)
    previous, position, count = GENESIS, 0, 0
    recent: dict[str, int] = {}
    while event is not None or chained is not None:
        if chained is None or (event is not None and event.id < chained[0]):
            return _bad(count, previous, position, event.id, "changed")
        if event is None or chained[0] < event.id:
            return _bad(count, previous, position, chained[0], "missing")
        at, chained_digest, chained_hash = chained
        actual = digest(event.originator_id, event.originator_version, event.topic, event.state)
        if actual != chained_digest:
            problem = "reordered" if actual in recent or _chained_later(recorder, actual, at) else "changed"
            return _bad(count, previous, position, at, problem)
        if link(previous, at, chained_digest) != chained_hash:
            return _bad(count, previous, position, at, "changed")
        recent[chained_digest] = at
        if len(recent) > PAGE:
            recent.pop(next(iter(recent)))
        previous, position, count = chained_hash, at, count + 1
        event, chained = next(events, None), next(links, None)
    return Verification(True, count, previous, position)


def _chained_later(recorder: Any, event_digest: str, after: int) -> bool:
    """Is this event's digest chained a little further on (two events swapped)?"""
    return any(row[1] == event_digest for row in recorder.chain(after + 1, PAGE))


def _bad(count: int, previous: str, position: int, bad: int, problem: str) -> Verification:
    return Verification(False, count, previous, position, bad, problem)


def head(recorder: Any) -> tuple[int, str]:
    """The last chained position and its hash (what an auditor writes down)."""
    last = (0, GENESIS)
    for at, _, chained_hash in _links(recorder):
        last = (at, chained_hash)
    return last
