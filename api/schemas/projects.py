"""Bodies and answers of the project resource (intake, appointment, changes, meetings, cancellation)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import NOT_BLANK, TicketSummary, optional_text, text
from domain.intake import CHANNELS, REQUIREMENT_KINDS, SOURCE_KINDS

CLOCK = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="a time of day as HH:MM")


class ServiceIn(Schema):
    channels = fields.List(
        fields.String(validate=validate.OneOf(CHANNELS)), required=True, validate=validate.Length(min=1)
    )
    days_per_week = fields.Integer(required=True, strict=True, validate=validate.Range(1, 7))
    daily_start = fields.String(required=True, validate=CLOCK)
    daily_end = fields.String(required=True, validate=CLOCK, metadata={"description": "later than daily_start"})
    seats = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    languages = fields.List(
        fields.String(validate=validate.Length(min=1)), required=True, validate=validate.Length(min=1)
    )


class IntakeRequirementIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(REQUIREMENT_KINDS))
    text = text()
    source = optional_text()


class SourceIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(SOURCE_KINDS))
    reference = text()


class ProjectIn(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=64), metadata={"pattern": NOT_BLANK})
    name = text()
    customer = text()
    service = fields.Nested(ServiceIn, required=True)
    requirements = fields.List(fields.Nested(IntakeRequirementIn), load_default=list)
    sources = fields.List(fields.Nested(SourceIn), load_default=list)


class RequirementChangeIn(Schema):
    description = text()
    review_outcome = fields.String(required=True, validate=validate.OneOf(["accepted", "rejected"]))
    reference = text()


class AppointmentIn(Schema):
    project_manager = fields.String(
        required=True, validate=validate.Length(min=1, max=128), metadata={"pattern": NOT_BLANK}
    )
    letter_reference = text()


class MeetingIn(Schema):
    held_on = fields.Date(required=True)
    participants = fields.List(
        fields.String(validate=validate.Length(min=1)), required=True, validate=validate.Length(min=1)
    )
    decisions = fields.List(fields.String(), load_default=list)


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
    tickets = fields.List(fields.Nested(TicketSummary), required=True)
    created_on = fields.DateTime()
    modified_on = fields.DateTime()
