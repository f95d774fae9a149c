"""The projector's failures since its last good batch: how long to wait before the next try, what to log.

An outage is logged once when it starts and once when it ends (not at every try); any other
error once per distinct message, with its traceback.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from store.outage import unavailable

log = logging.getLogger("projections.runner")


class Trouble:
    """Backoff from ``poll`` doubling up to ``max_backoff``; reset by the next good batch."""

    def __init__(self) -> None:
        self.since: float | None = None
        self.delay = 0.0
        self.logged: set[str] = set()

    def failed(self, error: Exception, poll: float, max_backoff: float) -> float:
        if self.since is None:
            self.since, self.delay = time.monotonic(), max(poll, 0.05)
        else:
            self.delay = min(self.delay * 2, max_backoff)
        if unavailable(error):
            if "unavailable" not in self.logged:
                log.warning("projections: store unavailable (%s); retrying, at most %g s apart", error, max_backoff)
                self.logged.add("unavailable")
        elif (text := f"{type(error).__name__}: {error}") not in self.logged:
            self.logged.add(text)
            log.exception("projections: a batch failed; retrying every %g s at most", max_backoff)
        return self.delay

    def over(self, store: Any) -> None:
        if self.since is None:
            return
        if self.logged:
            log.warning(
                "projections: resumed after %.1f s, from positions %s", time.monotonic() - self.since, store.positions()
            )
        self.since, self.delay, self.logged = None, 0.0, set()
