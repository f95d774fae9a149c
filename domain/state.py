"""Typed parts of aggregate state: small value objects instead of nested dicts.

A rule reads ``project.trial.last_equipment_report.at_version`` rather than
``project.trial["equipment_reports"][-1]["at_version"]``. Each value has a plain form, the dict
the state held before (same keys, same order), which is what snapshots store inside their
``{"_type_": ..., "_data_": ...}`` wrapper and what the API shows; ``to_plain`` gives it, deep.

Values are dataclasses with ``slots=True``: one object each, no ``__dict__`` beside it. A read of a
long project as it was builds hundreds of them, and each dict is one more object the collector
counts towards its next collection (docs/benchmarks.md, issue 12, "Second fix"). A subclass without
slots works the same (it has a ``__dict__``, which nothing here reads).

Item access (``entry["status"]``, ``entry == {...}``) is kept for readers not yet moved to
attributes (views, tests); new code reads attributes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import Any, ClassVar, Self
from uuid import UUID

from domain.value_fields import plain_function

LEAVES = frozenset({str, int, float, bool, type(None), date, datetime, Decimal, UUID})
"""Types ``to_plain`` leaves as they are (a value object's fields hold these, lists, dicts and values)."""


class Shape:
    """A value class's field names, in order, and how to read them all at once (a tuple)."""

    __slots__ = ("known", "names", "values")

    def __init__(self, cls: type) -> None:
        self.names = tuple(f.name for f in fields(cls))
        self.known = frozenset(self.names)
        one = self.names[0] if len(self.names) == 1 else None
        self.values: Callable[[Any], tuple] = (
            attrgetter(*self.names) if one is None else (lambda value: (getattr(value, one),))
        )


SHAPES: dict[type, Shape] = {}


def shape(cls: type) -> Shape:
    found = SHAPES.get(cls)
    if found is None:
        found = SHAPES[cls] = Shape(cls)
    return found


def fields_of(value: Value) -> dict[str, Any]:
    """Every field of ``value`` by name, in the fields' order (what its ``__dict__`` held before slots)."""
    known = shape(type(value))
    return dict(zip(known.names, known.values(value), strict=True))


class Value:
    """Base of the state's value objects (``@dataclass(kw_only=True, eq=False, slots=True)`` subclasses)."""

    __slots__ = ()
    OMITTED_UNLESS: ClassVar[tuple[str, tuple[str, ...]] | None] = None
    """(field, fields): ``fields`` are left out of the plain form while ``field`` is None (as
    entries without a working-day count had no such keys)."""
    ORDER: ClassVar[tuple[str, ...] | None] = None
    """The plain form's key order, where it is not the fields' order."""

    def plain(self) -> dict[str, Any]:
        """The plain form, one level deep (nested values stay values)."""
        data = fields_of(self)
        if self.ORDER is not None:
            data = {key: data[key] for key in self.ORDER}
        if self.OMITTED_UNLESS is not None and data[self.OMITTED_UNLESS[0]] is None:
            for key in self.OMITTED_UNLESS[1]:
                del data[key]
        return data

    @classmethod
    def from_plain(cls, data: Mapping[str, Any]) -> Self:
        """Rebuild from the plain form, nested values included (used to upcast old snapshots)."""
        return cls(**{key: cls.load_field(key, value) for key, value in data.items()})

    @classmethod
    def load_field(cls, key: str, value: Any) -> Any:
        return value

    # Item access, for readers of the former dicts ---------------------------------

    def __getitem__(self, key: str) -> Any:
        if key in shape(type(self)).known:
            return getattr(self, key)
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key) if key in shape(type(self)).known else default

    def keys(self) -> Any:
        return self.plain().keys()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Value):
            if type(other) is not type(self):
                return False
            values = shape(type(self)).values
            return values(other) == values(self)
        if isinstance(other, Mapping):
            return to_plain(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def to_plain(value: Any) -> Any:
    """``value`` with every value object in it replaced by its plain form (what the API shows).

    Reads of a project as it was turn its whole history into plain forms (thousands of entries):
    leaves (text, numbers, dates) are left where they are, not passed through a call each, and each
    value class has its plain form written for it, one dict display (``PLAIN_FORMS``)."""
    kind = type(value)
    if kind is list:
        return [
            plain(item) if (plain := PLAIN_FORMS.get(type(item))) else item if type(item) in LEAVES else to_plain(item)
            for item in value
        ]
    if kind is dict:
        return {key: item if type(item) in LEAVES else to_plain(item) for key, item in value.items()}
    if isinstance(value, Value):
        plain = PLAIN_FORMS.get(kind)
        if plain is None:
            plain = PLAIN_FORMS[kind] = plain_function(kind, to_plain)
        return plain(value)
    return value


PLAIN_FORMS: dict[type, Callable[[Any], dict[str, Any]]] = {}
"""``to_plain`` of each value class, written for it (``domain.value_fields.plain_function``)."""


def one(cls: type[Value]) -> Callable[[Any], Any]:
    return lambda data: data if data is None or isinstance(data, Value) else cls.from_plain(data)


def many(cls: type[Value]) -> Callable[[Any], Any]:
    load = one(cls)
    return lambda items: [load(item) for item in items]


def by_key(cls: type[Value]) -> Callable[[Any], Any]:
    load = one(cls)
    return lambda items: {key: load(item) for key, item in items.items()}


class TypedState:
    """On an aggregate: which attributes hold values, and how a snapshot taken before they did is upcast.

    ``class_version`` 2: snapshots whose state holds value objects. A version-1 snapshot (plain
    dicts) is upcast by ``upcast_v1_v2``, which rebuilds the values from their plain forms.
    """

    class_version = 2
    STATE: ClassVar[dict[str, Callable[[Any], Any]]] = {}

    @classmethod
    def upcast_v1_v2(cls, state: dict[str, Any]) -> None:
        for key, load in cls.STATE.items():
            if key in state:
                state[key] = load(state[key])
