"""Projection ``aggregates``: every project, ticket and review as its events made it.

Each event is applied with the aggregate's own ``mutate`` (the same code the commands
use), and the state is stored as the library's snapshot encoding, with the columns the
lists filter on. Within a batch the states stay in memory; the runner writes them once.

The snapshot encoding is the library's, byte for byte (``SnapshotEncoder``), made without its
generic path's per-call costs, the largest share of a rebuild's own CPU after the decoding.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    UUIDAsHex,
)
from eventsourcing.utils import get_topic

from domain.access import UserAccess
from domain.project import Project
from domain.ticket import OPEN_STATES, RequirementTicket
from domain.trial_review import TrialReview
from domain.working_calendar import WorkingCalendar
from projections.store import IdTexts, TimeTexts, column_text, insert_rows, select_in
from store.transcodings import DateAsISO

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
)
ON_CONFLICT = (
    "ON CONFLICT (id) DO UPDATE SET version = excluded.version, state = excluded.state, "
    "department = excluded.department, customer = excluded.customer, "
    "project_manager = excluded.project_manager, code = excluded.code, due = excluded.due, "
    "topic = excluded.topic, doc = excluded.doc"
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
        if kind == "project":
            project_id, state, department = ident, aggregate.phase, None
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
        )


QUICK_ENCODINGS: dict[type, Callable[[Any], Any]] = {
    UUIDAsHex: UUID.hex.fget,  # type: ignore[attr-defined]
    DatetimeAsISO: datetime.isoformat,
    DateAsISO: date.isoformat,
    DecimalAsStr: Decimal.__str__,
}
"""Transcodings whose ``encode(o)`` is exactly a C method (or property) of ``o``: called directly."""
QUICK = {UUID: UUID.hex.fget, date: date.isoformat}  # type: ignore[attr-defined]
VALUES_KEPT = 10_000
"""Dates and ids whose encoding the snapshot encoder keeps (a MB or two at most)."""
PROBES: dict[type, Any] = {
    UUID: UUID(int=0x0123456789ABCDEF0123456789ABCDEF),
    datetime: datetime(2001, 2, 3, 4, 5, 6, 789, tzinfo=UTC),
    date: date(2001, 2, 3),
    Decimal: Decimal("-1.50"),
}
SNAPSHOT_FIELDS = ["originator_id", "originator_version", "timestamp", "topic", "state"]


class SnapshotEncoder:
    """``mapper.to_stored_event(type(aggregate).Snapshot.take(aggregate))``: (topic, state bytes), the same bytes.

    The library's path builds a frozen Snapshot, copies its fields into a dict, makes a new C
    encoder for every snapshot, and for each date, time and id in the state (a dozen) calls its hook,
    ``_encode_obj``, then the transcoding's ``encode``: a time's ``isoformat()`` alone costs a fifth
    of decoding a whole event. Here the dict is built at once, one C encoder is kept, its hook calls
    the C method directly, a time that is an event's of the batch (most are: they are set from the
    events) is taken as text from ``times`` (``TimeTexts``), which ``audit`` fills, and a date or id
    (they repeat) is encoded once per value. The snapshot's own time is taken once per batch
    (``stamp``), not once per aggregate: when the batch was encoded.

    Used only where the mapper is the library's plain one (no compressor, no cipher, the JSON
    transcoder, the snapshot class's fields as the library's), and checked against the library's
    own path on the first aggregate of each class; anything else takes the library's path.
    """

    def __init__(self, mapper: Any) -> None:
        self.mapper, self.transcoder = mapper, mapper.transcoder
        self.classes: dict[type, tuple[str, str, bool] | None] = {}  # class: topics, or None (the library's path)
        self.settings: tuple | None = None  # the C encoder's, after its markers and hook
        self.hooks: dict[type, tuple[str, Callable[[Any], Any]]] = {}
        self.times = TimeTexts()
        self.now: datetime | None = None
        self.time_name: str | None = None  # the name times are stored under, if by ``isoformat()``
        self.values: dict[type, dict[Any, dict[str, str]]] = {}  # dates and ids: encoded, by value
        transcoder = self.transcoder
        plain = type(mapper) is Mapper and mapper.compressor is None and mapper.cipher is None
        if not (plain and type(transcoder) is JSONTranscoder and json.encoder.c_make_encoder is not None):
            return
        encoder = transcoder.encoder
        if type(encoder) is not json.JSONEncoder or encoder.indent is not None or encoder.ensure_ascii:
            return
        for kind, transcoding in transcoder.types.items():
            quick = QUICK_ENCODINGS.get(type(transcoding))
            probe = PROBES.get(kind)
            if quick is None or probe is None or quick(probe) != transcoding.encode(probe):
                quick = transcoding.encode
            self.hooks[kind] = (transcoding.name, quick)
        if self.hooks.get(datetime, (None, None))[1] is datetime.isoformat:
            self.time_name = self.hooks[datetime][0]
        self.values = {kind: {} for kind in (date, UUID) if self.hooks.get(kind, (None, None))[1] is QUICK.get(kind)}
        self.check_circular = encoder.check_circular
        self.settings = (
            json.encoder.encode_basestring,  # (the C one, as JSONEncoder's with ensure_ascii=False)
            None,  # indent
            encoder.key_separator,
            encoder.item_separator,
            encoder.sort_keys,
            encoder.skipkeys,
            encoder.allow_nan,
        )
        self.encoder = self.new_encoder()

    def new_encoder(self) -> Any:
        """The C encoder ``JSONEncoder.iterencode`` makes anew for each call, with the same arguments but the hook."""
        assert self.settings is not None
        markers = {} if self.check_circular else None
        return json.encoder.c_make_encoder(markers, self.default, *self.settings)  # type: ignore[misc]

    def stamp(self) -> None:
        """The time of the snapshots encoded from now on (the library's: now)."""
        self.now = Aggregate.Snapshot.create_timestamp()
        if self.time_name is not None:
            self.times[id(self.now)] = (self.now, self.now.isoformat())

    def default(self, o: Any) -> Any:
        """The JSON encoder's hook: what the library's ``_encode_obj`` returns for ``o``."""
        kind = type(o)
        if kind is datetime and self.time_name is not None:
            known = self.times.get(id(o))
            if known is not None and known[0] is o:
                return {"_type_": self.time_name, "_data_": known[1]}
        elif kind is date or kind is UUID:
            values = self.values.get(kind)
            if values is not None:  # (the same encoding for the same value: kept, by value)
                key = o if kind is date else o.int
                encoded = values.get(key)
                if encoded is None:
                    if len(values) >= VALUES_KEPT:
                        values.clear()
                    name, encode = self.hooks[kind]
                    encoded = values[key] = {"_type_": name, "_data_": encode(o)}
                return encoded
        hook = self.hooks.get(kind)
        if hook is None:
            return self.transcoder._encode_obj(o)  # (the library's error)
        return {"_type_": hook[0], "_data_": hook[1](o)}

    def __call__(self, aggregate: Any) -> tuple[str, bytes]:
        cls = type(aggregate)
        known = self.classes.get(cls, False)
        if known is False:
            known = self.classes[cls] = self.learn(aggregate)
        if known is None:
            stored = self.mapper.to_stored_event(cls.Snapshot.take(aggregate))
            return stored.topic, stored.state
        return known[0], self.encoded(aggregate, cls, known, self.now or cls.Snapshot.create_timestamp())

    def encoded(self, aggregate: Any, cls: type, known: tuple[str, str, bool], timestamp: datetime) -> bytes:
        state = dict(aggregate.__dict__)
        if known[2]:
            state["class_version"] = cls.class_version  # type: ignore[attr-defined]
        del state["_id"], state["_version"], state["_pending_events"]
        try:
            return "".join(self.encoder({"timestamp": timestamp, "topic": known[1], "state": state}, 0)).encode()
        except BaseException:
            self.encoder = self.new_encoder()  # (its record of the containers in hand may be stale)
            raise

    def learn(self, aggregate: Any) -> tuple[str, str, bool] | None:
        """This class's topics, if the quick path makes the library's bytes for ``aggregate``; else None."""
        cls = type(aggregate)
        snapshot_cls = cls.Snapshot
        if self.settings is None or not isinstance(aggregate, Aggregate):
            return None
        if getattr(snapshot_cls, "class_version", 1) > 1:
            return None
        if snapshot_cls.create_timestamp is not Aggregate.Snapshot.create_timestamp:  # (``stamp`` takes that one)
            return None
        snapshot = snapshot_cls.take(aggregate)
        if list(vars(snapshot)) != SNAPSHOT_FIELDS:
            return None
        known = (get_topic(snapshot_cls), get_topic(cls), getattr(cls, "class_version", 1) > 1)
        expected = self.mapper.to_stored_event(snapshot)
        try:
            quick = self.encoded(aggregate, cls, known, snapshot.timestamp)
        except Exception:
            return None
        return known if (expected.topic, expected.state) == (known[0], quick) else None


def decode(mapper: Any, row: tuple) -> Any:
    """A stored view row (id, version, topic, doc) back into the aggregate object."""
    ident, version, topic, doc = row
    snapshot = mapper.to_domain_event(StoredEvent(ident, version, topic, bytes(doc)))
    return snapshot.mutate(None)


def is_open_ticket(state: str) -> bool:
    return state in OPEN_STATES
