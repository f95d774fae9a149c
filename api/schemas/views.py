"""Query parameters and answers of the views and lists (built from events)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from api.schemas.common import Department, as_of_field
from api.schemas.files import FilesCheckOut
from api.schemas.operations import TrialKpis
from api.schemas.requests import RequestItem
from domain.phases import PHASES
from domain.ticket import OPEN_STATES

TICKET_STATES = sorted(OPEN_STATES | {"accepted", "cancelled"})


def in_utc_range(value: datetime) -> None:
    """The log's times are compared in UTC: the time must exist there (not before year 1 or after 9999)."""
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValidationError("out of range once converted to UTC") from None


def text_filter(max_length: int, **kwargs: Any) -> fields.String:
    """A text filter (control characters are refused for every query by ``api.guard``, as in bodies)."""
    return fields.String(validate=validate.Length(max=max_length), **kwargs)


class AfterQuery(Schema):
    after = fields.Integer(
        validate=validate.Range(min=0, max=2**63 - 1),
        metadata={"description": "wait (≤ 5 s) until views include this log position"},
    )


class PageQuery(AfterQuery):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 500))
    cursor = fields.String(validate=validate.Length(max=200))


class ProjectListQuery(PageQuery):
    phase = fields.String(validate=validate.OneOf(PHASES))
    customer = text_filter(1000)
    project_manager = text_filter(128)
    q = text_filter(200, metadata={"description": "part of the code, name or customer (case ignored)"})


class TicketListQuery(PageQuery):
    project = fields.UUID()
    department = fields.String(validate=Department)
    state = fields.String(validate=validate.OneOf(TICKET_STATES))
    overdue = fields.Boolean(truthy={"true"}, falsy={"false"})


class AuditQuery(PageQuery):
    project = fields.UUID()
    actor = text_filter(128)
    role = text_filter(64)
    department = fields.String(validate=Department)
    type = text_filter(128)
    since = fields.AwareDateTime(validate=in_utc_range)
    until = fields.AwareDateTime(validate=in_utc_range)
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class Page(Schema):
    items = fields.List(fields.Dict(), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


WORKING_DAYS_LEFT = (
    "working days (mainland-China calendar: official holidays off, make-up working days on) from tomorrow up "
    "to and including `due`: 0 when due today, negative when past (minus the working days since `due`, up to "
    "and including today); null when the calendar does not cover a year the count needs (it is never guessed)"
)


def working_days_left_field(description: str = WORKING_DAYS_LEFT) -> fields.Integer:
    return fields.Integer(required=True, allow_none=True, metadata={"description": description})


class TicketListItem(Schema):
    id = fields.UUID(required=True)
    project_id = fields.UUID(required=True)
    requirement_ref = fields.String(required=True)
    title = fields.String(required=True)
    department = fields.String(required=True)
    state = fields.String(required=True)
    due = fields.Date(required=True)
    overdue = fields.Boolean(required=True)
    working_days_left = working_days_left_field(WORKING_DAYS_LEFT + "; null too for an accepted or cancelled ticket")
    version = fields.Integer(required=True)


class TicketPage(Page):
    """``GET /api/tickets``: the page of tickets, each item documented."""

    items = fields.List(fields.Nested(TicketListItem), required=True)


class PlanView(Schema):
    project_id = fields.UUID(required=True)
    as_of = fields.DateTime()
    version = fields.Integer(required=True)
    versions = fields.List(fields.Dict(), required=True)
    current = fields.Dict(allow_none=True, required=True)
    dropped = fields.List(fields.String(), required=True)
    milestones = fields.List(fields.Dict(), required=True)


class OverdueTicket(Schema):
    ticket_id = fields.UUID(required=True)
    requirement_ref = fields.String(required=True)
    department = fields.String(required=True)
    state = fields.String(required=True)
    due = fields.Date(required=True)
    days_overdue = fields.Integer(required=True, metadata={"description": "calendar days since `due`"})
    working_days_left = working_days_left_field()


class AcceptanceView(Schema):
    project_id = fields.UUID(required=True)
    tickets = fields.Integer(required=True)
    percent_accepted = fields.Float(required=True)
    by_state = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    by_department = fields.Dict(required=True)
    overdue = fields.List(fields.Nested(OverdueTicket), required=True)
    awaiting_decision = fields.List(fields.Dict(), required=True)


class OpenAction(Schema):
    review_id = fields.UUID(required=True)
    review = fields.Integer(required=True, metadata={"description": "the review's number, from 1 in the order held"})
    n = fields.Integer(required=True)
    corrective_action = fields.String(required=True)
    owner_department = fields.String(required=True)
    due = fields.Date(required=True)
    state = fields.String(required=True)


class Gate(Schema):
    gate = fields.String(required=True)
    met = fields.Boolean(required=True)
    why = fields.String(required=True)
    open = fields.List(
        fields.Nested(OpenAction), metadata={"description": "corrective_actions_closed: the actions not closed"}
    )


class GoLiveView(Schema):
    project_id = fields.UUID(required=True)
    phase = fields.String(required=True)
    ready = fields.Boolean(required=True)
    gates = fields.List(fields.Nested(Gate), required=True)
    reviews = fields.List(fields.Dict(), required=True)
    trial_kpis = fields.Nested(TrialKpis, required=True)


class BoardItem(Schema):
    ticket_id = fields.UUID(required=True)
    project_id = fields.UUID(required=True)
    project_code = fields.String(required=True, allow_none=True)
    requirement_ref = fields.String(required=True)
    title = fields.String(required=True)
    state = fields.String(required=True)
    due = fields.Date(required=True)
    overdue = fields.Boolean(required=True)
    days_left = fields.Integer(required=True, metadata={"description": "calendar days to `due`; negative when past"})
    working_days_left = working_days_left_field()


class BoardAction(Schema):
    """An improvement measure or corrective action the department still owes (open or reopened)."""

    kind = fields.String(required=True, validate=validate.OneOf(("improvement", "corrective_action")))
    project_id = fields.UUID(required=True)
    project_code = fields.String(required=True, allow_none=True)
    review_id = fields.UUID(allow_none=True, metadata={"description": "the failed review (corrective actions)"})
    n = fields.Integer(required=True)
    title = fields.String(required=True, metadata={"description": "the measure or the corrective action"})
    state = fields.String(required=True)
    due = fields.Date(required=True)
    overdue = fields.Boolean(required=True)
    days_left = fields.Integer(required=True, metadata={"description": "calendar days to `due`; negative when past"})
    working_days_left = working_days_left_field()


class BoardRequest(RequestItem):
    """A customer's request the department still owes, with its project."""

    project_id = fields.UUID(required=True)
    project_code = fields.String(required=True)


class Board(Schema):
    department = fields.String(required=True)
    items = fields.List(fields.Nested(BoardItem), required=True)
    actions = fields.List(
        fields.Nested(BoardAction), metadata={"description": "open measures and actions, overdue first"}
    )
    requests = fields.List(
        fields.Nested(BoardRequest),
        metadata={"description": "open customer requests, overdue first (a lead of another department: none)"},
    )


class CheckpointOut(Schema):
    position = fields.Integer(required=True)
    head = fields.String(required=True)
    signed_at = fields.String(required=True)
    key_id = fields.String(required=True)


class VerificationOut(Schema):
    ok = fields.Boolean(required=True)
    events = fields.Integer(required=True)
    head = fields.String(required=True, metadata={"description": "hash of the last chained event"})
    head_position = fields.Integer(required=True)
    first_bad_position = fields.Integer(allow_none=True, required=True)
    problem = fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "changed, missing, reordered, resigned (rewritten under a signed checkpoint), bad_signature"
        },
    )
    checkpoints = fields.Integer(
        required=True, metadata={"description": "signed checkpoints checked and holding (signature and head)"}
    )
    checkpoints_unchecked = fields.Integer(
        required=True,
        metadata={"description": "checkpoints not checked: neither AUDIT_VERIFY_KEY nor AUDIT_SIGNING_KEY is set"},
    )
    last_checkpoint = fields.Nested(
        CheckpointOut, allow_none=True, required=True, metadata={"description": "the last one that held"}
    )
    files = fields.Nested(
        FilesCheckOut, required=True, metadata={"description": "every file an event references, re-hashed"}
    )


class PlanQuery(AfterQuery):
    as_of = as_of_field("the plan view as it was then (read from the events)")


class CompareQuery(Schema):
    since = fields.AwareDateTime(required=True, data_key="from")
    until = fields.AwareDateTime(required=True, data_key="to")


class PlanCompare(Schema):
    project_id = fields.UUID(required=True)
    since = fields.DateTime(required=True, data_key="from")
    until = fields.DateTime(required=True, data_key="to")
    from_plan_version = fields.Integer(allow_none=True, required=True)
    to_plan_version = fields.Integer(allow_none=True, required=True)
    added = fields.List(fields.String(), required=True)
    dropped = fields.List(fields.String(), required=True)
    moved = fields.List(fields.Dict(), required=True)
    staffing = fields.List(fields.Dict(), required=True)
    milestones = fields.List(fields.Dict(), required=True)
