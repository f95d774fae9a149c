"""How values the library does not know are stored (the library's ``Transcoding``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from eventsourcing.persistence import Transcoding

from domain.state import Shape, Value, shape


class DateAsISO(Transcoding):
    """Calendar dates (due dates, trial dates) stored as ISO strings."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ValueAsPlain(Transcoding):
    """A value object in snapshots: its plain form (nested values are transcoded in turn).

    Decoded through the class itself (``cls(**data)``: defaults for fields a snapshot taken before
    lacks, ``__post_init__``); ``store.decoding.quick_hook`` calls the class directly, without this
    method's frame. A class whose plain form is all its fields in order is encoded without ``plain``.
    """

    def __init__(self, cls: type[Value]) -> None:
        self.type, self.cls = cls, cls
        self.name = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()
        if cls.ORDER is None and cls.OMITTED_UNLESS is None:  # (the plain form is its fields, as they are)
            self.encode = _fields_encoder(shape(cls))  # type: ignore[method-assign]  # (snapshots are hot)

    def encode(self, obj: Value) -> dict[str, Any]:
        return obj.plain()

    def decode(self, data: dict[str, Any]) -> Value:
        return self.cls(**data)


def _fields_encoder(known: Shape) -> Callable[[Value], dict[str, Any]]:
    """``fields_of`` for one class, its names and getter bound: one frame, C calls inside (``zip``, ``dict``)."""
    names, values = known.names, known.values

    def encode(value: Value) -> dict[str, Any]:
        return dict(zip(names, values(value)))  # noqa: B905  # (the names and the getter's tuple: one shape)

    return encode
