"""Projection ``aggregates``: every project, ticket and review as its events made it.

Each event is applied with the aggregate's own ``mutate`` (the same code the commands
use), and the state is stored as the library's snapshot encoding, with the columns the
lists filter on. Within a batch the states stay in memory; the runner writes them once.

The snapshot encoding is the library's, byte for byte (``SnapshotEncoder``), made without its
generic path's per-call costs, the largest share of a rebuild's own CPU after the decoding.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any
from uuid import UUID

from domain.access import UserAccess
from domain.project import Project
from domain.ticket import OPEN_STATES, RequirementTicket
from domain.trial_review import TrialReview
from domain.working_calendar import WorkingCalendar
from store.codecs import IdTexts, SnapshotEncoder, TimeTexts, decode
from store.views import column_text, insert_rows, select_in

KINDS = {Project: "project", RequirementTicket: "ticket", TrialReview: "review", WorkingCalendar: "calendar"}
NOT_VIEWED = UserAccess.Event
"""Events of aggregates no view shows (token revocations: the audit log has them)."""
COLUMNS = (
    ("id", "text"),
    ("kind", "text"),
    ("project_id", "text"),
    ("version", "bigint"),
    ("state", "text"),
    ("department", "text"),
    ("customer", "text"),
    ("project_manager", "text"),
    ("code", "text"),
    ("due", "text"),
    ("topic", "text"),
    ("doc", "bytea"),
    ("name", "text"),
)
ON_CONFLICT = (
    "ON CONFLICT (id) DO UPDATE SET version = excluded.version, state = excluded.state, "
    "department = excluded.department, customer = excluded.customer, "
    "project_manager = excluded.project_manager, code = excluded.code, due = excluded.due, "
    "topic = excluded.topic, doc = excluded.doc, name = excluded.name"
)


class AggregateStates:
    name = "aggregates"
    tables = ("view_aggregates",)

    def __init__(self, store: Any, mapper: Any) -> None:
        self.store, self.mapper = store, mapper
        self.batch: dict[str, Any] = {}
        self.fetched: dict[str, tuple] = {}
        self.carried: dict[str, Any] = {}
        self.ids = IdTexts()
        self.encode = SnapshotEncoder(mapper)

    @property
    def times(self) -> TimeTexts:
        """Events' times as text, where the batch has them (shared with ``audit``, by the runner)."""
        return self.encode.times

    @times.setter
    def times(self, times: TimeTexts) -> None:
        self.encode.times = times

    def reset(self, carry: bool = False) -> None:
        """Forget the batch; ``carry``: keep its states in hand for the next one (not committed yet)."""
        self.carried = self.batch if carry else {}
        self.batch, self.fetched = {}, {}
        self.ids.clear()
        self.times.clear()

    def prefetch(self, keys: list[str]) -> None:
        """Fetch, in one query, the stored states of the aggregates ``keys`` (those a batch continues)."""
        have = (self.batch, self.carried, self.fetched)
        keys = [key for key in keys if not any(key in held for held in have)]
        for row in select_in(self.store, "SELECT id, version, topic, doc FROM view_aggregates", "id", keys):
            self.fetched[row[0]] = row

    def process(self, event: Any, notification: Any) -> None:
        if isinstance(event, NOT_VIEWED):
            return
        ident = event.originator_id
        key = self.ids.get(ident.int) if type(ident) is UUID else None  # (``ids.of``, its frame saved)
        if key is None:
            key = self.ids.of(ident)
        if event.originator_version == 1:
            aggregate = event.mutate(None)
        else:
            aggregate = self.batch.get(key)
            if aggregate is None:
                aggregate = self.carried.pop(key, None)
            if aggregate is None:
                row = self.fetched.pop(key, None)
                aggregate = self.load(key) if row is None else decode(self.mapper, row)
            event.mutate(aggregate)
        self.batch[key] = aggregate

    def load(self, key: str) -> Any:
        rows = self.store.execute("SELECT id, version, topic, doc FROM view_aggregates WHERE id = ?", (key,))
        if not rows:
            raise LookupError(f"view_aggregates has no {key}: the view is behind its own position")
        return decode(self.mapper, rows[0])

    def flush(self, cursor: Any) -> None:
        self.prepared()(cursor)

    def prepared(self) -> Callable[[Any], None]:
        """The batch's rows, encoded now; what is returned writes them, given the commit's cursor."""
        self.encode.stamp()
        rows = [self.row(aggregate) for aggregate in self.batch.values()]
        return partial(insert_rows, self.store, table="view_aggregates", columns=COLUMNS, rows=rows, tail=ON_CONFLICT)

    def row(self, aggregate: Any) -> tuple:
        topic, doc = self.encode(aggregate)
        kind, text = KINDS[type(aggregate)], self.ids.of
        ident = text(aggregate.id)
        name = None
        if kind == "project":
            project_id, state, department, name = ident, aggregate.phase, None, column_text(aggregate.name)
            extra = (
                column_text(aggregate.customer),
                column_text(aggregate.project_manager),
                column_text(aggregate.code),
                None,
            )
        elif kind == "ticket":
            project_id, state, department = (
                text(aggregate.project_id),
                aggregate.state,
                column_text(aggregate.department),
            )
            extra = (None, None, column_text(aggregate.requirement_ref), aggregate.due.isoformat())
        elif kind == "calendar":  # a year's working-day schedule: no project; the year as its code
            project_id, state, department = None, aggregate.current, None
            extra = (None, None, str(aggregate.year), None)
        else:
            project_id, state, department = text(aggregate.project_id), aggregate.state, None
            extra = (None, None, None, None)
        return (
            ident,
            kind,
            project_id,
            aggregate.version,
            state,
            department,
            *extra,
            topic,
            doc,
            name,
        )


def is_open_ticket(state: str) -> bool:
    return state in OPEN_STATES
