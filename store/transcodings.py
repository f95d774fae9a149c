"""How values the library does not know are stored (the library's ``Transcoding``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Transcoding

from domain.state import Shape, Value, shape
from domain.value_fields import DAY, ID, TIME, FieldKind, compiled, field_kinds


class DateAsISO(Transcoding):
    """Calendar dates (due dates, trial dates) stored as ISO strings."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def snake_name(cls: type) -> str:
    """A value class's name in snapshots: ``TrialState`` → ``trial_state``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


class ValueAsPlain(Transcoding):
    """A value object in snapshots: its plain form (nested values are transcoded in turn).

    Decoded through the class itself (``cls(**data)``: defaults for fields a snapshot taken before
    lacks, ``__post_init__``); ``store.decoding.quick_hook`` calls the class directly, without this
    method's frame. A class whose plain form is all its fields in order is encoded without ``plain``.
    """

    def __init__(self, cls: type[Value]) -> None:
        self.type, self.cls = cls, cls
        self.name = snake_name(cls)
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


class ValueAsRow(Transcoding):
    """A value object in snapshots as a row: its fields' data in the fields' order, under ``<name>_row``.

    What a snapshot of a long project holds is mostly values (one per requirement change, meeting
    entry, audit…). As ``ValueAsPlain`` writes them, each is two JSON objects (the wrapper and the
    plain form, keys repeated) and its time a third (``{"_type_": "datetime_iso", …}``), each one
    more call of the decoder's hook. A row is one list inside one wrapper: times, dates and ids are
    written as text and read back by the field's annotation (``domain.value_fields``), so the decoder's
    hook runs once per value, and the snapshot is smaller. Nested values, lists and dicts of them are
    left to the transcoder (in turn as rows). Encoding and decoding are written for the class.

    The layout is the fields in order (``tests/golden/value_rows.json`` keeps each class's): a field
    may be added at the end with a default (a shorter row decodes with it); a field removed, renamed
    or moved needs a new name for the row. ``ValueAsPlain`` stays registered, to read snapshots taken
    before rows.
    """

    def __init__(self, cls: type[Value]) -> None:
        self.type, self.cls = cls, cls
        self.name = f"{snake_name(cls)}_row"
        self.fields = field_kinds(cls)
        self.encode = _row_encoder(self.fields)  # type: ignore[method-assign]
        self.decode = _row_decoder(cls, self.fields)  # type: ignore[method-assign]

    def encode(self, obj: Value) -> list[Any]:  # (replaced per class in __init__)
        raise NotImplementedError

    def decode(self, data: list[Any]) -> Value:  # (replaced per class in __init__)
        raise NotImplementedError


def _row_encoder(kinds: tuple[FieldKind, ...]) -> Callable[[Value], list[Any]]:
    def expression(field: FieldKind) -> str:
        text = {TIME: "{}.isoformat()", DAY: "{}.isoformat()", ID: "{}.hex"}.get(field.kind)
        if text is None:
            return f"v.{field.name}"
        if field.optional:
            return f"(None if (x := v.{field.name}) is None else {text.format('x')})"
        return text.format(f"v.{field.name}")

    return compiled("encode", ["def encode(v):", f"    return [{', '.join(map(expression, kinds))}]"], {})


_READ = {TIME: "datetime.fromisoformat", DAY: "date.fromisoformat", ID: "UUID"}


def _row_decoder(cls: type[Value], kinds: tuple[FieldKind, ...]) -> Callable[[list[Any]], Value]:
    def expression(field: FieldKind, item: str) -> str:
        read = _READ.get(field.kind)
        if read is None:
            return item
        return f"(None if {item} is None else {read}({item}))" if field.optional else f"{read}({item})"

    names = [f"a{i}" for i in range(len(kinds))]
    keywords = ", ".join(f"{field.name}={expression(field, item)}" for field, item in zip(kinds, names, strict=True))
    lines = [
        "def decode(row):",
        f"    if len(row) != {len(kinds)}:",
        "        return shorter(row)",
        f"    {', '.join(names)}{',' if len(names) == 1 else ''} = row",
        f"    return cls({keywords})",
    ]

    earlier: dict[int, Callable[[list[Any]], Value]] = {}

    def shorter(row: list[Any]) -> Value:
        """A row written before fields were added at the end: those take their defaults (one decoder per length)."""
        if len(row) > len(kinds):
            raise ValueError(f"a {cls.__name__} row of {len(row)} items: the class has {len(kinds)} fields")
        decode = earlier.get(len(row))
        if decode is None:
            decode = earlier[len(row)] = _row_decoder(cls, kinds[: len(row)])
        return decode(row)

    namespace = {"cls": cls, "shorter": shorter, "datetime": datetime, "date": date, "UUID": UUID}
    return compiled("decode", lines, namespace)
