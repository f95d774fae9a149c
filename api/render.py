"""Aggregates as the API shows them (the schemas pick and document the fields)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any

from flask import Response, current_app
from marshmallow import Schema, fields

from api.http import tracker
from domain.project import Project
from domain.state import to_plain
from domain.ticket import RequirementTicket
from domain.trial_review import TrialReview


def project(aggregate: Project, as_of: datetime | None = None, version: int | None = None) -> dict[str, Any]:
    """The project with its tickets: now, or as they stood at the time asked (``as_of``), or when the
    project reached the ``version`` asked (the time of the write that made it, so that tickets that
    same write changed — a revision's cancellations — show their new state, and the answer at a
    version is the same whenever it is asked)."""
    data = _state(aggregate)
    data["tickets"] = tickets(aggregate, as_of, version)
    return data


def tickets(aggregate: Project, as_of: datetime | None = None, version: int | None = None) -> list[dict[str, Any]]:
    """Each ticket of the project with its state, read as ``project`` says."""
    states = tracker().ticket_states(aggregate, as_of, version)
    return [{**entry.plain(), "state": states[entry.id]} for entry in aggregate.tickets]


def ticket(aggregate: RequirementTicket) -> dict[str, Any]:
    return _state(aggregate)


def review(aggregate: TrialReview) -> dict[str, Any]:
    return {**_state(aggregate), "outcome": aggregate.outcome}


def _state(aggregate: Any) -> dict[str, Any]:
    """The aggregate's attributes, its value objects in their plain forms (the dicts the schemas document)."""
    typed = getattr(aggregate, "STATE", {})
    data = {
        key.lstrip("_"): to_plain(value) if key in typed else value
        for key, value in vars(aggregate).items()
        if key != "_pending_events"
    }
    data["allowed_steps"] = aggregate.allowed_steps()
    return data


def response(schema: type[Schema], obj: Mapping[str, Any]) -> Response:
    """The JSON answer ``blp.response(200, schema)`` would make of ``obj``, dumped by ``dump``
    (the decorator still documents the schema, and passes a ready response through)."""
    return current_app.json.response(dump(_instance(schema), obj))


@cache
def _instance(schema: type[Schema]) -> Schema:
    return schema()


def dump(schema: Schema, obj: Mapping[str, Any]) -> dict[str, Any]:
    """What ``schema.dump(obj)`` answers, without copying the parts the schema leaves as they are.

    A project carries its whole history (requirement changes and meetings: 10,000 entries at
    10,000 events), which the schema types as ``List(Dict())``: marshmallow copies every entry,
    and the JSON encoder then writes the copies exactly as it would the originals. Here those
    values (``Raw``, ``Dict()``, lists of them) pass as they are, nested schemas are dumped the
    same way, and every other field is serialised by marshmallow itself, in the schema's order.
    (For plain read schemas: no ``pre_dump``/``post_dump`` hooks, which this does not run.)
    """
    out: dict[str, Any] = {}
    for name, field in schema.dump_fields.items():
        key = field.attribute or name
        if key not in obj:
            continue
        value = obj[key]
        if value is not None and _as_is(field):
            pass
        elif value is not None and _nested(field) is not None:
            inner = _nested(field)
            many = isinstance(field, fields.List) or inner.many
            value = [dump(inner.schema, item) for item in value] if many else dump(inner.schema, value)
        else:
            value = field.serialize(key, obj)
        out[field.data_key or name] = value
    return out


def _as_is(field: fields.Field) -> bool:
    if isinstance(field, fields.List):
        return _as_is(field.inner)
    if isinstance(field, fields.Dict):
        return field.key_field is None and field.value_field is None
    return type(field) is fields.Raw


def _nested(field: fields.Field) -> fields.Nested | None:
    inner = field.inner if isinstance(field, fields.List) else field
    return inner if isinstance(inner, fields.Nested) else None
