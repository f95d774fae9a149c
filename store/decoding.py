"""Reading stored events fast: ``EventDecoder`` makes the library's own event objects without its
generic path's per-call detours, and ``QuickMapper`` is the application's mapper reading through it.

The library's path, per event: its own frame, then the transcoder's ``decode``, then
``JSONDecoder.decode`` (two regular-expression matches for white space, ``raw_decode``), the id
convertor through an ``lru_cache``, and for each JSON object the hook ``_decode_obj``, then for each
time, date, id or state value the transcoding's ``decode``. Each event class is checked against the
library's path on its first event and falls back to it on any difference. Measured in
``bench/rebuild.py`` (the views' rebuild) and ``bench/audit.py`` (reads as it was: snapshots).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    UUIDAsHex,
    find_id_convertor,
    pass_through_convertor,
)
from eventsourcing.utils import resolve_topic

from store.transcodings import DateAsISO, ValueAsPlain, ValueAsRow

QUICK_DECODINGS: dict[type, Callable[[Any], Any]] = {
    DatetimeAsISO: datetime.fromisoformat,
    DateAsISO: date.fromisoformat,
    UUIDAsHex: UUID,
    DecimalAsStr: Decimal,
}
"""Transcodings whose ``decode(data)`` is, for the data they encode, exactly this call."""
DECODE_PROBES: dict[type, Any] = {
    UUID: UUID(int=0x0123456789ABCDEF0123456789ABCDEF),
    datetime: datetime.fromisoformat("2001-02-03T04:05:06.000789+00:00"),
    date: date(2001, 2, 3),
    Decimal: Decimal("-1.50"),
}
NOT_THERE: Any = object()


class EventDecoder:
    """``mapper.to_domain_event``: the same event objects, without the library's per-call detours.

    The library's path, per event: its own frame, then the transcoder's ``decode``, then
    ``JSONDecoder.decode`` (two regular-expression matches for white space, ``raw_decode``), the id
    convertor through an ``lru_cache``, and for each JSON object (three an event) the hook
    ``_decode_obj``, then for each time, date or id the transcoding's ``decode``. Here the C scanner
    is called directly, with a hook (a closure) that calls the C constructor directly.

    Used only with the library's plain mapper (no compressor, no cipher, the JSON transcoder); each
    event class is checked against the library's own path on its first event; an event this path
    cannot take as it is (white space around it, a ``class_version``, an error) is left to the
    library's path, which decodes it (or raises) as always.
    """

    def __init__(self, mapper: Any, library: Callable[[Any], Any] | None = None) -> None:
        self.mapper = mapper
        self.library = library or mapper.to_domain_event
        """The library's own path (``Mapper.to_domain_event``), for what this one leaves to it."""
        self.classes: dict[str, tuple[type, type, Callable[[Any], Any] | None] | None] = {}
        self.scan: Callable[[str, int], tuple[Any, int]] | None = None
        transcoder = mapper.transcoder
        if not plain_mapper(mapper) or type(transcoder) is not JSONTranscoder:
            return
        library = transcoder.decoder
        if type(library) is not json.JSONDecoder or library.object_pairs_hook is not None:
            return
        quick: dict[str, Callable[[Any], Any]] = {}
        values: dict[str, type] = {}
        for name, transcoding in transcoder.names.items():
            decode, probe = QUICK_DECODINGS.get(type(transcoding)), DECODE_PROBES.get(transcoding.type)
            if decode is not None and probe is not None:
                data = transcoding.encode(probe)
                expected, got = transcoding.decode(data), decode(data)
                if type(got) is type(expected) and got == expected:
                    quick[name] = decode
            elif type(transcoding) is ValueAsPlain and type(transcoding).decode is ValueAsPlain.decode:
                values[name] = transcoding.cls  # (its ``decode(data)`` is ``cls(**data)``)
            elif type(transcoding) is ValueAsRow:
                quick[name] = transcoding.decode  # (written for the class: called without a frame between)
        self.quick, self.values = quick, values
        settings = {
            "parse_float": library.parse_float,
            "parse_int": library.parse_int,
            "parse_constant": library.parse_constant,
            "strict": library.strict,
        }
        hook = quick_hook(quick, values, transcoder._decode_obj)
        self.scan = json.JSONDecoder(object_hook=hook, **settings).scan_once

    def __call__(self, stored: Any) -> Any:
        known = self.classes.get(stored.topic, NOT_THERE)
        if known is NOT_THERE:
            known = self.classes[stored.topic] = self.learn(stored)
        if known is not None and type(stored.originator_id) is known[1]:
            text, state, end = "", None, -1
            try:
                text = stored.state.decode()
                state, end = self.scan(text, 0)  # type: ignore[misc]
            except Exception:  # (the library's path raises its own error)
                state, end = None, -1
            if end == len(text) and type(state) is dict and "class_version" not in state:
                convert = known[2]
                state["originator_id"] = stored.originator_id if convert is None else convert(stored.originator_id)
                state["originator_version"] = stored.originator_version
                event = object.__new__(known[0])
                object.__setattr__(event, "__dict__", state)
                return event
        return self.library(stored)

    def learn(self, stored: Any) -> tuple[type, type, Callable[[Any], Any] | None] | None:
        """How this event class is decoded, if the quick path makes the library's event of ``stored``; else None."""
        if self.scan is None:
            return None
        try:
            cls = resolve_topic(stored.topic)
            if getattr(cls, "class_version", 1) != 1:
                return None
            convert = find_id_convertor(cls, type(stored.originator_id))
            known = (cls, type(stored.originator_id), None if convert is pass_through_convertor else convert)
            self.classes[stored.topic] = known
            event = self(stored)
        except Exception:
            return None
        expected = self.library(stored)
        same = type(event) is type(expected) and list(vars(event).items()) == list(vars(expected).items())
        return known if same else None


def quick_hook(
    quick: dict[str, Callable[[Any], Any]], values: dict[str, type], library: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    """The JSON decoder's hook: what the library's ``_decode_obj`` returns for each object (``library``'s,
    unless its type is one of ``quick``, decoded by that call, or of ``values``, made by that class from
    the plain form's keywords, without the transcoding's frame)."""

    def hook(obj: dict[str, Any], _len: Callable[[Any], int] = len) -> Any:
        if _len(obj) == 2:
            name = obj.get("_type_", NOT_THERE)
            if name is not NOT_THERE and "_data_" in obj:
                decode = quick.get(name)
                if decode is not None:
                    return decode(obj["_data_"])
                cls = values.get(name)
                return library(obj) if cls is None else cls(**obj["_data_"])
        return obj

    return hook


def plain_mapper(mapper: Any) -> bool:
    """Whether ``mapper`` stores what the library's own ``Mapper`` stores (no compressor, no cipher): the
    condition of every quick codec here and in ``store.codecs`` (ours, ``QuickMapper``, only reads faster)."""
    return type(mapper) in (Mapper, QuickMapper) and mapper.compressor is None and mapper.cipher is None


class QuickMapper(Mapper):
    """The application's mapper (``MAPPER_TOPIC``): events and snapshots read through ``EventDecoder``.

    A read "as it was" decodes a snapshot holding every value object of the project's state (about
    400 at 400 changes); the library's hook costs a Python call and a dict probe for each of them.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quick = EventDecoder(self, library=super().to_domain_event)

    def to_domain_event(self, stored_event: Any) -> Any:
        return self.quick(stored_event)
