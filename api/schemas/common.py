"""Schemas shared by every resource: command answers, history, reading as of a version or time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow import ValidationError as MarshmallowValidationError

from domain.calendar import MAX_WORKING_DAYS
from domain.clock import SHANGHAI
from domain.evidence import MAX_FILES
from domain.roles import DEPARTMENTS

Department = validate.OneOf(DEPARTMENTS)
NOT_BLANK = r"\S"  # documented as a pattern only: the domain refuses blank text with its own message


FREE_TEXT = 4000
"""Characters of free text (a reason, comments, evidence, a summary): a page or two."""
NAME_TEXT = 200
"""Characters of a name, title, customer, reference, criterion, list entry."""
CODE_TEXT = 64
"""Characters of a code or ref (project code, requirement ref)."""
LIST_ITEMS = 100
"""Entries of a list in a body, unless the field says otherwise."""
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
"""Every date and time a command records lies within these days (a time: in UTC)."""
DAYS = f"between {FIRST_DAY} and {LAST_DAY}"


def text(max_length: int = FREE_TEXT, **kwargs: Any) -> fields.String:
    """A required piece of text (the domain says why when it is blank; the document says it may not be)."""
    metadata = {"pattern": NOT_BLANK, **kwargs.pop("metadata", {})}
    return fields.String(required=True, validate=validate.Length(max=max_length), metadata=metadata, **kwargs)


def optional_text(max_length: int = FREE_TEXT, **kwargs: Any) -> fields.String:
    return fields.String(load_default="", validate=validate.Length(max=max_length), **kwargs)


def name_text(**kwargs: Any) -> fields.String:
    """A required name, title or reference (at most ``NAME_TEXT`` characters)."""
    return text(NAME_TEXT, **kwargs)


def entry(max_length: int = NAME_TEXT) -> fields.String:
    """One entry of a list of text: not empty, at most ``max_length`` characters."""
    return fields.String(validate=validate.Length(min=1, max=max_length))


def items(inner: fields.Field, min_items: int = 0, max_items: int = LIST_ITEMS, **kwargs: Any) -> fields.List:
    """A list of at most ``max_items`` entries (at least ``min_items``)."""
    return fields.List(inner, validate=validate.Length(min=min_items or None, max=max_items), **kwargs)


def _description(kwargs: dict[str, Any], bounds: str) -> dict[str, Any]:
    metadata = dict(kwargs.pop("metadata", {}))
    metadata["description"] = f"{metadata['description']}; {bounds}" if "description" in metadata else bounds
    return metadata


def day(**kwargs: Any) -> fields.Date:
    """A date within ``FIRST_DAY``..``LAST_DAY``."""
    metadata = _description(kwargs, DAYS)
    return fields.Date(validate=validate.Range(FIRST_DAY, LAST_DAY), metadata=metadata, **kwargs)


def within_days(value: datetime) -> None:
    """A time (with its offset) whose UTC day lies within ``FIRST_DAY``..``LAST_DAY``."""
    try:
        utc_day = value.astimezone(UTC).date()
    except OverflowError:
        utc_day = None
    if utc_day is None or not FIRST_DAY <= utc_day <= LAST_DAY:
        raise MarshmallowValidationError(f"must be {DAYS} (in UTC)")


def moment(**kwargs: Any) -> fields.AwareDateTime:
    """A time with its offset, within ``FIRST_DAY``..``LAST_DAY`` in UTC."""
    metadata = _description(kwargs, f"ISO 8601 with offset, {DAYS} in UTC")
    return fields.AwareDateTime(validate=within_days, metadata=metadata, **kwargs)


def whole(low: int, high: int, **kwargs: Any) -> fields.Integer:
    """A JSON integer within ``low``..``high`` (OpenAPI states them as minimum and maximum)."""
    return fields.Integer(strict=True, validate=validate.Range(low, high), **kwargs)


def yes_no(**kwargs) -> fields.Boolean:
    """JSON true or false only: a "yes" or a 1 is not an answer to an acceptance question."""
    return fields.Boolean(truthy={True}, falsy={False}, **kwargs)


def departments(**kwargs) -> fields.List:
    return fields.List(
        fields.String(validate=Department), required=True, validate=validate.Length(1, len(DEPARTMENTS)), **kwargs
    )


class Number(fields.Float):
    """A figure kept exactly as decimal text (``"96"``, ``"0.4"``), answered as a JSON number: whole
    ones as integers, others as floats."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> int | float | None:
        if value is None:
            return None
        figure = Decimal(str(value))
        return int(figure) if figure == figure.to_integral_value() else float(figure)


class Deadline(Schema):
    """A deadline given as ``due`` (a date) or ``due_in_working_days`` (after today in Shanghai): one of them."""

    due = day(metadata={"description": "the due date (or give due_in_working_days)"})
    due_in_working_days = fields.Integer(
        strict=True,
        validate=validate.Range(1, MAX_WORKING_DAYS),
        metadata={
            "description": "due that many working days (mainland-China calendar) after today in Asia/Shanghai; "
            "a count reaching a year with no schedule (package or recorded) uses weekends only there and the "
            "answer says `provisional: true`; recording that year's schedule recounts it"
        },
    )

    @validates_schema
    def _one_due(self, data, **_kwargs) -> None:
        if ("due" in data) == ("due_in_working_days" in data):
            raise MarshmallowValidationError("give either a due date or due_in_working_days", "due")


class TicketRef(Schema):
    id = fields.UUID(required=True)
    requirement_ref = fields.String(required=True)
    department = fields.String(required=True)


class TicketSummary(TicketRef):
    state = fields.String(required=True)


class CommandResult(Schema):
    """Every command answers the aggregate's new version and the event's log position."""

    def get_attribute(self, obj, attr, default):
        """Answers are dicts; a missing key (``items``) must not fall back to a dict method."""
        return obj.get(attr, default)

    id = fields.UUID(required=True, metadata={"description": "the aggregate the command changed"})
    version = fields.Integer(required=True, metadata={"description": "its version after the command"})
    position = fields.Integer(required=True, metadata={"description": "log position, for ?after= on views"})
    phase = fields.String(metadata={"description": "the project's phase after the command"})
    state = fields.String(metadata={"description": "the ticket's state after the command"})
    plan_version = fields.Integer()
    revision = fields.Integer(metadata={"description": "manual revision number"})
    alternative = fields.Integer(metadata={"description": "alternative number n"})
    review_id = fields.UUID()
    project_version = fields.Integer()
    outcome = fields.String()
    decision = fields.String()
    nonconformity = fields.Integer()
    improvement = fields.Integer(metadata={"description": "improvement measure number n"})
    request = fields.Integer(metadata={"description": "customer request number n"})
    owner_department = fields.String(metadata={"description": "the department that owes the customer request"})
    rectification = fields.Integer(metadata={"description": "rectification number n"})
    items = fields.List(fields.Nested(TicketRef))
    added = fields.List(fields.String())
    dropped = fields.List(fields.String())
    changed = fields.List(fields.String())
    due = fields.Date(metadata={"description": "the due date counted in working days"})
    provisional = fields.Boolean(
        metadata={"description": "the count reached a year with no known schedule and used weekends only there"}
    )
    year = fields.Integer(metadata={"description": "the year whose working-day schedule was recorded"})
    recounted = fields.List(fields.Dict(), metadata={"description": "the open deadlines the schedule moved"})
    item = fields.String(metadata={"description": "the handover item recorded done"})
    missing = fields.List(fields.String(), metadata={"description": "the handover items still to be done"})


class AsOf(fields.AwareDateTime):
    """A time with its offset, or a plain date: the end of that day in Shanghai (``2026-12-18`` is
    ``2026-12-18T23:59:59.999999+08:00``)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> datetime:
        if isinstance(value, str) and len(value) == 10:
            try:
                day_asked = date.fromisoformat(value)
            except ValueError:
                pass
            else:
                return datetime.combine(day_asked, time.max, SHANGHAI)
        return super()._deserialize(value, attr, data, **kwargs)


def as_of_field(description: str) -> AsOf:
    plain_date = "or a date: the end of that day in Shanghai"
    return AsOf(metadata={"description": f"{description} (ISO 8601 with offset, {plain_date})"})


class AsOfQuery(Schema):
    version = fields.Integer(validate=validate.Range(min=1), metadata={"description": "state at this version"})
    as_of = as_of_field("state at this time")

    @validates_schema
    def _one_of(self, data, **_kwargs) -> None:
        if "version" in data and "as_of" in data:
            raise MarshmallowValidationError("ask for a version or a time, not both", "as_of")


class HistoryEvent(Schema):
    type = fields.String(required=True)
    version = fields.Integer(required=True)
    time = fields.DateTime(required=True)
    actor = fields.String(required=True)
    role = fields.String(required=True)
    department = fields.String(allow_none=True)
    data = fields.Dict(required=True)
    redacted = fields.Boolean(
        required=True,
        metadata={"description": "the data is left out: figures the reader may not read (DOMAIN.md, need to know)"},
    )


class History(Schema):
    items = fields.List(fields.Nested(HistoryEvent), required=True)


def file_references(**kwargs: Any) -> fields.List:
    """``files``: the SHA-256 of uploaded files (``POST /api/files``) given as evidence beside the text."""
    sha256 = fields.String(validate=validate.Regexp(r"^[0-9a-f]{64}$", error="the SHA-256 of an uploaded file"))
    return items(
        sha256,
        max_items=MAX_FILES,
        load_default=list,
        metadata={"description": "SHA-256 of files uploaded with `POST /api/files`, as evidence"},
        **kwargs,
    )
