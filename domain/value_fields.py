"""What each field of a value class holds, read once from its annotations, and functions written for a class.

A read of a long project as it was turns hundreds of values into plain forms (the API answer) and
builds them back from snapshots (the store). A function written for the class — one dict display, one
call with its keywords — does in one frame what a loop over the fields does in many
(docs/benchmarks.md, issue 12, "Third fix"). The technique is that of ``dataclasses`` and
``collections.namedtuple``: source text made from the field names, compiled once per class.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import fields
from datetime import date, datetime
from typing import Any, NamedTuple
from uuid import UUID

LEAF, TIME, DAY, ID, TEXTS, OTHER = "leaf", "time", "day", "id", "texts", "other"
"""Field kinds: text, numbers, truth values (JSON as they are); a time, a date, an id; a list of text or
numbers; anything else (values, lists and dicts of them, ``Any``), which is converted deep."""
_KINDS: dict[Any, str] = {str: LEAF, int: LEAF, float: LEAF, bool: LEAF, datetime: TIME, date: DAY, UUID: ID}
_JSON_ITEMS = (str, int, float, bool)


class FieldKind(NamedTuple):
    name: str
    kind: str
    optional: bool
    """``None`` allowed (``X | None``)."""


def field_kinds(cls: type) -> tuple[FieldKind, ...]:
    """Each dataclass field of ``cls`` in order, with what its annotation says it holds."""
    hints = typing.get_type_hints(cls)
    return tuple(_kind(f.name, hints[f.name]) for f in fields(cls))


def _kind(name: str, hint: Any) -> FieldKind:
    optional = False
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        others = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        optional, hint = True, others[0] if len(others) == 1 else Any
    kind = _KINDS.get(hint, OTHER)
    if typing.get_origin(hint) is list and typing.get_args(hint)[0] in _JSON_ITEMS and not optional:
        kind = TEXTS
    return FieldKind(name, kind, optional)


def compiled(name: str, lines: list[str], namespace: dict[str, Any]) -> Callable[..., Any]:
    """The function ``name`` defined by ``lines`` (its ``def`` and body), its globals ``namespace``."""
    scope = dict(namespace)
    exec("\n".join(lines), scope)  # (text made here from field names, never from input)
    return scope[name]


def plain_function(cls: type, deep: Callable[[Any], Any]) -> Callable[[Any], dict[str, Any]]:
    """``value -> plain form`` for ``cls`` (``domain.state.Value.plain``, deep: nested parts through ``deep``).

    Keys in ``cls.ORDER`` (else the fields') order; the keys ``cls.OMITTED_UNLESS`` names are left out
    while its field is None. A list of text is copied; times, dates, ids and text stay as they are."""
    kinds = {f.name: f for f in field_kinds(cls)}
    order = list(getattr(cls, "ORDER", None) or kinds)

    def display(names: list[str]) -> str:
        return "{" + ", ".join(f"{name!r}: {_plain_expression(kinds[name])}" for name in names) + "}"

    lines = ["def plain(v):"]
    omitted = getattr(cls, "OMITTED_UNLESS", None)
    if omitted is not None:
        lines.append(f"    if v.{omitted[0]} is None:")
        lines.append(f"        return {display([n for n in order if n not in omitted[1]])}")
    lines.append(f"    return {display(order)}")
    return compiled("plain", lines, {"deep": deep})


def _plain_expression(field: FieldKind) -> str:
    if field.kind == TEXTS:
        return f"v.{field.name}[:]"
    if field.kind == OTHER:
        return f"deep(v.{field.name})"
    return f"v.{field.name}"
