"""Persistence module for ``memory://``: the library's in-memory store, with the chain."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from eventsourcing import popo
from eventsourcing.persistence import ApplicationRecorder, StoredEvent

from store.chain.links import GENESIS
from store.chain.recorders import new_links, time_rows, utc_text
from store.idempotency_keys import MemoryKeys


class ChainedMemoryRecorder(MemoryKeys, popo.POPOApplicationRecorder):
    """The in-memory store keeps its chain in memory, under the store's own lock."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[int, str, str]] = []
        self.times: dict[str, list[tuple[str, int]]] = {}
        self.links_lock = threading.Lock()
        self.checkpoints: list = []  # signed heads (``store/checkpoints.py``) and the digests each vouches for
        self.checkpoint_digests: dict[int, bytes] = {}

    def _insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        with self.links_lock:
            ids = super()._insert_events(stored_events, **kwargs)
            if ids:
                previous = self.links[-1][2] if self.links else GENESIS
                self.links.extend(new_links(previous, ids, stored_events))
            for ident, version, at in time_rows(kwargs.get("event_times") or []):
                self.times.setdefault(ident, []).append((at, version))
            return ids

    def version_at(self, originator_id: Any, when: Any) -> int | None:
        moment = utc_text(when)
        with self.links_lock:
            versions = [v for at, v in self.times.get(str(originator_id), []) if at <= moment]
        return max(versions, default=None)

    def versions_at(self, originator_ids: Sequence[Any], when: Any) -> dict[str, int]:
        found = {str(ident): self.version_at(ident, when) for ident in originator_ids}
        return {ident: version for ident, version in found.items() if version is not None}

    def written_at(self, originator_id: Any, version: int) -> str | None:
        with self.links_lock:
            return next((at for at, v in self.times.get(str(originator_id), []) if v == version), None)

    def chain(self, start: int, limit: int) -> list[tuple[int, str, str]]:
        with self.links_lock:
            return [row for row in self.links if row[0] >= start][:limit]


class Factory(popo.POPOFactory):  # the library finds the one factory class of this module
    def application_recorder(self) -> ApplicationRecorder:
        return ChainedMemoryRecorder()
