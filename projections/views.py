"""The views of one app: store, runner and how they are kept up to date.

In-process mode (the embedded SQLite default, and the in-memory store): the web process
runs the projections itself, catching up before it answers a view — one command serves
everything. Otherwise (PostgreSQL in production) ``flask projections run`` keeps them up
to date in a process of its own, and a view read with ``?after=`` waits for it: at most
``after_timeout`` seconds, at most ``after_max_waiting`` readers at once per process (beyond
that, and for a position beyond the log's head, the answer comes at once with the lag).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from domain.clock import today_in_shanghai
from projections.reading import Reader
from projections.runner import NAMES, Runner
from store.views import ViewStore

if TYPE_CHECKING:  # (the application service, named for readers; imported at run time by api/)
    from domain.application import Tracker

AFTER_TIMEOUT = 5.0
AFTER_MAX_WAITING = 4


@dataclass(frozen=True)
class Lag:
    """How far the views are behind the log: positions, events behind, the oldest unprocessed event's time."""

    head: int
    positions: dict[str, int]
    oldest_unprocessed: datetime | None

    @property
    def events(self) -> dict[str, int]:
        return {name: max(self.head - self.positions.get(name, 0), 0) for name in NAMES}


class Views:
    def __init__(
        self,
        tracker: Tracker,
        database_url: str | None,
        in_process: bool,
        clock: Any,
        after_timeout: float = AFTER_TIMEOUT,
        after_max_waiting: int = AFTER_MAX_WAITING,
        today: Callable[[], date] | None = None,
    ) -> None:
        self.store = ViewStore(database_url)
        self.runner = Runner(tracker, self.store)
        self.reader = Reader(self.store, tracker.mapper)
        self.in_process = in_process
        self.clock = clock
        self.judged_today = today
        """The app's today (``TRACKER_TODAY`` or the clock's Shanghai date); None: the clock's."""
        self.after_timeout = after_timeout
        self.waiting = threading.BoundedSemaphore(max(after_max_waiting, 0) or 1)
        self.may_wait = after_max_waiting > 0
        self.stalled: int | None = None
        """The position the views stood at when a reader last waited for them in vain (a stopped projector)."""

    def today(self) -> date:
        return self.judged_today() if self.judged_today is not None else today_in_shanghai(self.clock())

    def now(self) -> datetime:
        return self.clock()

    def ready(self, after: int | None) -> int:
        """Bring the views up to ``after`` (in-process: to the head); return how far they still lag.

        A position beyond the log's head names no event of this log: it is not waited for, the
        answer says how far the views are behind the head. A reader beyond the ``after_max_waiting``
        already waiting does not wait either, nor does any reader while the views have not moved
        since a reader waited for them in vain (the projector is stopped: one wait says so).
        """
        if self.in_process:
            self.runner.catch_up()
            return 0
        if after is None or (reached := self.reached()) >= after:
            return 0
        head = self.runner.head()
        if after > head:
            return max(head - reached, 0)
        if reached != self.stalled and self.may_wait and self.waiting.acquire(blocking=False):
            try:
                if self.runner.wait_for(after, self.after_timeout):
                    return 0
            finally:
                self.waiting.release()
            self.stalled = reached = self.reached()
            return max(after - reached, 0)
        return max(after - self.reached(), 0)

    def reached(self) -> int:
        """The position every view has reached."""
        positions = self.store.positions()
        return min(positions.get(name, 0) for name in NAMES)

    def lag(self) -> Lag:
        """Where the log and each view are, and the time of the oldest event some view has not processed."""
        head, positions = self.runner.head(), self.store.positions()
        lowest = min(positions.get(name, 0) for name in NAMES)
        oldest = None
        if lowest < head:
            first = self.runner.tracker.recorder.select_notifications(lowest + 1, 1)
            oldest = self.runner.decode(first[0]).timestamp if first else None
        return Lag(head, positions, oldest)

    def close(self) -> None:
        self.store.close()
