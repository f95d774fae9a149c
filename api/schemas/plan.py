"""Bodies of the plan (項目計劃書), its review and revision, tickets issued, and the manual."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import (
    CODE_TEXT,
    NAME_TEXT,
    NOT_BLANK,
    Department,
    day,
    departments,
    entry,
    items,
    name_text,
    optional_text,
    text,
    whole,
)
from domain.planning import REVISION_TRIGGERS
from domain.ticket_register import MAX_DUE_WORKING_DAYS

MAX_HEADCOUNT = 10_000
"""People in one position of one project's staffing plan."""


class PositionIn(Schema):
    title = name_text()
    headcount = whole(1, MAX_HEADCOUNT, required=True, metadata={"description": f"1–{MAX_HEADCOUNT:,}"})
    qualifications = optional_text()
    duties = optional_text()


class ManualRequirementsIn(Schema):
    requirements = optional_text()
    due = day(required=True)


class PlanRequirementIn(Schema):
    ref = fields.String(required=True, validate=validate.Length(min=1, max=CODE_TEXT), metadata={"pattern": NOT_BLANK})
    title = name_text()
    department = fields.String(required=True, validate=Department)
    complete_by = day(required=True)
    accept_by = day(required=True)
    acceptance_criteria = items(entry(1000), 1, 50, required=True, metadata={"description": "1–50 criteria"})


MAX_REQUIREMENTS = 200
"""Requirements of one plan (each becomes a ticket)."""


HISTORY = (
    "while the project is live, this date is history: send it as the plan in force has it (else 422); "
    "a live project's requirements need only complete_by ≤ accept_by"
)


class PlanIn(Schema):
    positions = items(fields.Nested(PositionIn), load_default=list)
    hardware = items(fields.String(validate=validate.Length(max=NAME_TEXT)), load_default=list)
    software = items(fields.String(validate=validate.Length(max=NAME_TEXT)), load_default=list)
    manual = fields.Nested(ManualRequirementsIn, required=True)
    requirements = items(
        fields.Nested(PlanRequirementIn), 1, MAX_REQUIREMENTS, required=True, metadata={"description": "1–200"}
    )
    trial_start = day(required=True, metadata={"description": HISTORY})
    trial_review = day(required=True, metadata={"description": HISTORY})
    go_live = day(required=True, metadata={"description": HISTORY})


class PlanReviewIn(Schema):
    participants = departments()
    outcome = fields.String(required=True, validate=validate.OneOf(["approved", "rejected"]))
    comments = optional_text()


class RevisionIn(Schema):
    trigger = fields.String(required=True, validate=validate.OneOf(REVISION_TRIGGERS))
    reason = text()


class TicketsIssueIn(Schema):
    requirement_refs = items(
        entry(CODE_TEXT),
        1,
        MAX_REQUIREMENTS,
        load_default=None,
        metadata={"description": "omit: every approved requirement that has no ticket"},
    )
    due_in_working_days = fields.Integer(
        load_default=None,
        strict=True,
        validate=validate.Range(1, MAX_DUE_WORKING_DAYS),
        metadata={
            "description": "omit: each ticket is due on its requirement's completion date. Given: every ticket "
            "issued is due that many working days (mainland-China calendar: official holidays off, make-up "
            "working days on) after today in Asia/Shanghai; 409 rule_violated `due_within_plan` when that is "
            "after a requirement's completion date; a count reaching a year with no schedule yet uses weekends "
            "only there (`provisional: true`) and is recounted when that year's schedule is recorded"
        },
    )


class ManualIn(Schema):
    document_reference = name_text()
    revision_note = optional_text()


class ManualReviewIn(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(["approved", "rejected"]))
    comments = optional_text()
