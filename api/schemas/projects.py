"""Bodies and answers of the project resource (intake, appointment, changes, meetings, cancellation)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import (
    CODE_TEXT,
    FREE_TEXT,
    NAME_TEXT,
    NOT_BLANK,
    TicketSummary,
    day,
    entry,
    file_references,
    items,
    name_text,
    optional_text,
    text,
    whole,
)
from domain.intake import CHANNELS, REQUIREMENT_KINDS, SOURCE_KINDS

CLOCK = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="a time of day as HH:MM")


MAX_SEATS = 100_000
"""Seats of one project: the largest Chinese call centres run some tens of thousands."""


class ServiceIn(Schema):
    channels = items(fields.String(validate=validate.OneOf(CHANNELS)), 1, len(CHANNELS), required=True)
    days_per_week = whole(1, 7, required=True)
    daily_start = fields.String(required=True, validate=CLOCK)
    daily_end = fields.String(required=True, validate=CLOCK, metadata={"description": "later than daily_start"})
    seats = whole(1, MAX_SEATS, required=True, metadata={"description": f"agent seats, 1–{MAX_SEATS:,}"})
    languages = items(entry(64), 1, 20, required=True, metadata={"description": "1–20 languages"})


class IntakeRequirementIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(REQUIREMENT_KINDS))
    text = text()
    source = optional_text(NAME_TEXT)


class SourceIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(SOURCE_KINDS))
    reference = name_text()


class ProjectIn(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=CODE_TEXT), metadata={"pattern": NOT_BLANK})
    name = name_text()
    customer = name_text()
    service = fields.Nested(ServiceIn, required=True)
    requirements = items(fields.Nested(IntakeRequirementIn), max_items=200, load_default=list)
    sources = items(fields.Nested(SourceIn), load_default=list)


class RequirementChangeIn(Schema):
    description = text()
    review_outcome = fields.String(required=True, validate=validate.OneOf(["accepted", "rejected"]))
    reference = name_text()


class AppointmentIn(Schema):
    project_manager = fields.String(
        required=True, validate=validate.Length(min=1, max=128), metadata={"pattern": NOT_BLANK}
    )
    letter_reference = name_text()
    files = file_references()


class MeetingIn(Schema):
    held_on = day(required=True)
    participants = items(entry(), 1, required=True)
    decisions = items(fields.String(validate=validate.Length(max=FREE_TEXT)), load_default=list)


class CancellationIn(Schema):
    reason = text()


class ProjectOut(Schema):
    id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    customer = fields.String(required=True)
    phase = fields.String(required=True)
    allowed_steps = fields.List(fields.String(), metadata={"description": "steps possible in this phase"})
    service = fields.Dict()
    requirements = fields.List(fields.Dict())
    sources = fields.List(fields.Dict())
    project_manager = fields.String(allow_none=True)
    appointments = fields.List(fields.Dict())
    requirement_changes = fields.List(fields.Dict())
    meetings = fields.List(fields.Dict())
    plans = fields.List(fields.Dict(), metadata={"description": "every plan version with status and reviews"})
    current_plan_version = fields.Integer(allow_none=True)
    revision = fields.Dict(allow_none=True)
    manual = fields.Dict()
    trial = fields.Dict(allow_none=True)
    reviews = fields.List(fields.Dict())
    went_live_on = fields.Date(allow_none=True)
    cancellation = fields.Dict(allow_none=True)
    termination = fields.Dict(
        allow_none=True,
        metadata={
            "description": "the termination notice {by, reason, notice_on, effective_on, recorded_by, recorded_at} "
            "and `handover` {item: {evidence, by, at}} as items are done"
        },
    )
    closure = fields.Dict(allow_none=True, metadata={"description": "{summary, closed_by, closed_at, closed_on}"})
    requests = fields.List(
        fields.Dict(), metadata={"description": "the customer's requests the reader may see (see …/requests)"}
    )
    tickets = fields.List(fields.Nested(TicketSummary), required=True)
    created_on = fields.DateTime()
    modified_on = fields.DateTime()
