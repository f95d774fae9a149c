"""Finding the working-day deadlines a year's schedule may move, straight from the event log.

The events that start a working-day count are read with the library's topic filter
(``select_notifications(topics=…)``), page by page; only those whose count started in the given
window are kept. One pass over the log's index, exact at the moment of the command (a view
could lag behind the write that issued a deadline seconds ago), and no second index to keep in
step with the events. A yearly command can afford it; an index written with the events is the
next step if the log grows to many millions of events.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

PAGE = 1000


def counts_started_between(
    recorder: Any, mapper: Any, starts: Mapping[str, str], earliest: date, latest: date
) -> list[tuple[str, UUID]]:
    """(kind, aggregate id), once each, of the events of topics ``starts`` (topic → kind) that gave a
    due date in working days counted from a day from ``earliest`` to ``latest``."""
    found: dict[UUID, str] = {}
    start = 1
    while page := recorder.select_notifications(start, PAGE, topics=list(starts)):
        for notification in page:
            event = mapper.to_domain_event(notification)
            began = getattr(event, "due_counted_from", None)
            if event.due_in_working_days is not None and began is not None and earliest <= began <= latest:
                found.setdefault(event.originator_id, starts[notification.topic])
        start = page[-1].id + 1
    return [(kind, ident) for ident, kind in found.items()]
