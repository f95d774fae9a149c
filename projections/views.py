"""The views of one app: store, runner and how they are kept up to date.

In-process mode (the embedded SQLite default, and the in-memory store): the web process
runs the projections itself, catching up before it answers a view — one command serves
everything. Otherwise (PostgreSQL in production) ``flask projections run`` keeps them up
to date in a process of its own, and a view read with ``?after=`` waits for it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from domain.clock import today_in_shanghai
from projections.reading import Reader
from projections.runner import NAMES, Runner
from projections.store import ViewStore

AFTER_TIMEOUT = 5.0


class Views:
    def __init__(self, tracker: Any, database_url: str | None, in_process: bool, clock: Any) -> None:
        self.store = ViewStore(database_url)
        self.runner = Runner(tracker, self.store)
        self.reader = Reader(self.store, tracker.mapper)
        self.in_process = in_process
        self.clock = clock

    def today(self) -> date:
        return today_in_shanghai(self.clock())

    def now(self) -> datetime:
        return self.clock()

    def ready(self, after: int | None) -> int:
        """Bring the views up to ``after`` (in-process: to the head); return how far they still lag."""
        if self.in_process:
            self.runner.catch_up()
            return 0
        if after is None or self.runner.wait_for(after, AFTER_TIMEOUT):
            return 0
        positions = self.store.positions()
        return after - min(positions.get(name, 0) for name in NAMES)

    def close(self) -> None:
        self.store.close()
