"""Events a view could not take: recorded, logged and skipped, so that one event never stops the views.

An event whose projection raises (its ``mutate`` fails, it cannot be decoded) or whose rows the
database refuses (a ``DataError``, such as text PostgreSQL cannot hold) is skipped by that view:
a row in ``view_failures`` (position, view, event type, error) is committed with the view's
position, an error is logged, and ``flask projections status`` and ``/readyz`` show the count. The
view then lacks that event's effect (the aggregate's state there stays as it was before it) until
a fixed release rebuilds it: a rebuild forgets the view's failures and meets the event again.

A database that does not answer is not the event's fault: such errors (connections lost,
timeouts, locks, a missing table) propagate, and the batch is retried as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from store import view_failures
from store.view_failures import blames_event

log = logging.getLogger(__name__)


class Failures:
    """The failures a batch met, written with its positions (``write``)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.rows: list[tuple] = []

    def record(self, notification: Any, names: Sequence[str], error: BaseException) -> None:
        """``names`` skip the event of ``notification``, because of ``error`` (re-raised if not the event's fault)."""
        if not blames_event(error):
            raise error
        kind = notification.topic.rsplit(":", 1)[-1]
        why = f"{type(error).__name__}: {error}"[:2000].replace("\x00", "\ufffd")
        log.error("view(s) %s skip event %s at position %s: %s", ", ".join(names), kind, notification.id, why)
        now = datetime.now(UTC).isoformat()
        self.rows += [(notification.id, name, kind, why, now) for name in names]

    def writer(self, names: Sequence[str] | None = None) -> Callable[[Any], None]:
        """What writes the failures recorded so far (of the views ``names``, or all), given the commit's cursor."""
        return view_failures.writer(self.store, [row for row in self.rows if names is None or row[1] in names])

    def clear(self) -> None:
        self.rows = []
