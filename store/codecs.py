"""The fast codecs: the library's own objects and bytes, without its generic path's per-call costs.

``EventDecoder`` (stored event → domain event), ``SnapshotEncoder`` (aggregate → the snapshot bytes
the view rows keep), ``decode`` (a view row → the aggregate) and the id()-keyed caches of texts
(``IdTexts``, ``TimeTexts``) the projections share within a batch. They use the library's private
parts (``_encode_obj``, ``_decode_obj``, an event's ``__dict__``) to skip its detours; so each is
checked against the library's own path when first used (per class) and falls back to it on any
difference, and only the library's plain mapper (no compressor, no cipher, JSON) takes them.
Measured in ``bench/rebuild.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    StoredEvent,
    UUIDAsHex,
)
from eventsourcing.utils import get_topic

from store.decoding import plain_mapper
from store.transcodings import DateAsISO
from store.views import utc_text


class IdTexts(dict[int, str]):
    """``str()`` of aggregate ids, remembered by their number (a lookup costs a tenth of ``str(uuid)``)."""

    def of(self, ident: Any) -> str:
        if type(ident) is not UUID:
            return str(ident)
        text = self.get(ident.int)
        if text is None:
            text = self[ident.int] = str(ident)
        return text


STORED_TIME = b'{"timestamp":{"_type_":"datetime_iso","_data_":"'
"""How the library's JSON transcoder begins an aggregate event's stored state: its time, ``isoformat()``."""
_START = len(STORED_TIME)
_DASH1, _DASH2, _T, _DOT = _START + 4, _START + 7, _START + 10, _START + 19  # (where: - - T .)
_UTC_END, _END = _START + 26, _START + 32  # (where: +00:00, the end)
_FRACTION = slice(_DOT + 1, _UTC_END)


class TimeTexts(dict[int, tuple[Any, str]]):
    """Events' times as fixed-width UTC text (``utc_text``), read where possible from the stored event itself.

    The library stores an event's time first, as ``isoformat()``: where that is already the fixed-width
    UTC form (microseconds, ``+00:00``), it is the text, and formatting the decoded time again (a
    fifth of the cost of decoding the whole event) is saved. Such a time, its ``isoformat()`` being
    that text too, is remembered by its ``id`` for the batch (with the object, so that the id stays its
    own), for the snapshot encoder of ``aggregates``, whose states hold the events' times. (The decoded
    time is the stored one: the library writes the key once, and upcasts no event of this application.)
    """

    def of(self, moment: datetime, state: bytes) -> str:
        if (
            state[_UTC_END : _END + 2] == b'+00:00"}'
            and state[_DOT] == 46  # .
            and state[_T] == 84  # T
            and state[_DASH1] == state[_DASH2] == 45  # - (so YYYY-MM-DDTHH:MM:SS.ffffff+00:00, as isoformat makes it)
            and state.startswith(STORED_TIME)
        ):
            text = state[_START:_END].decode()
            if state[_FRACTION] != b"000000":  # (isoformat leaves out zero microseconds)
                self[id(moment)] = (moment, text)
            return text
        return utc_text(moment)


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
ENCODE_PROBES: dict[type, Any] = {
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
        c_encoder = json.encoder.c_make_encoder is not None
        if not (plain_mapper(mapper) and type(transcoder) is JSONTranscoder and c_encoder):
            return
        encoder = transcoder.encoder
        if type(encoder) is not json.JSONEncoder or encoder.indent is not None or encoder.ensure_ascii:
            return
        for kind, transcoding in transcoder.types.items():
            quick = QUICK_ENCODINGS.get(type(transcoding))
            probe = ENCODE_PROBES.get(kind)
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
