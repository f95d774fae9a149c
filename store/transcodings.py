"""How values the library does not know are stored (the library's ``Transcoding``)."""

from __future__ import annotations

import re
from datetime import date
from functools import partial
from operator import attrgetter
from typing import Any

from eventsourcing.persistence import Transcoding

from domain.state import Value


class DateAsISO(Transcoding):
    """Calendar dates (due dates, trial dates) stored as ISO strings."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ValueAsPlain(Transcoding):
    """A value object in snapshots: its plain form (nested values are transcoded in turn)."""

    def __init__(self, cls: type[Value]) -> None:
        self.type, self.cls = cls, cls
        self.name = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()
        if cls.ORDER is None and cls.OMITTED_UNLESS is None:  # (the plain form is its ``__dict__``, as it is)
            self.encode = attrgetter("__dict__")  # type: ignore[method-assign]  # (no Python frame: snapshots are hot)
            self.decode = partial(_restore, cls)  # type: ignore[method-assign]

    def encode(self, obj: Value) -> dict[str, Any]:
        return obj.plain()

    def decode(self, data: dict[str, Any]) -> Value:
        return self.cls(**data)


def _restore(cls: type[Value], data: dict[str, Any]) -> Value:
    """A value whose plain form has every field, in order: its ``__dict__`` is that form."""
    value = object.__new__(cls)
    value.__dict__ = data
    return value
