"""Bodies of the plan (項目計劃書), its review and revision, tickets issued, and the manual."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import NOT_BLANK, Department, departments, optional_text, text
from domain.planning import REVISION_TRIGGERS
from domain.ticket_register import MAX_DUE_WORKING_DAYS


class PositionIn(Schema):
    title = text()
    headcount = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    qualifications = optional_text()
    duties = optional_text()


class ManualRequirementsIn(Schema):
    requirements = optional_text()
    due = fields.Date(required=True)


class PlanRequirementIn(Schema):
    ref = fields.String(required=True, validate=validate.Length(min=1, max=64), metadata={"pattern": NOT_BLANK})
    title = text()
    department = fields.String(required=True, validate=Department)
    complete_by = fields.Date(required=True)
    accept_by = fields.Date(required=True)
    acceptance_criteria = fields.List(
        fields.String(validate=validate.Length(min=1)), required=True, validate=validate.Length(min=1)
    )


class PlanIn(Schema):
    positions = fields.List(fields.Nested(PositionIn), load_default=list)
    hardware = fields.List(fields.String(), load_default=list)
    software = fields.List(fields.String(), load_default=list)
    manual = fields.Nested(ManualRequirementsIn, required=True)
    requirements = fields.List(fields.Nested(PlanRequirementIn), required=True, validate=validate.Length(min=1))
    trial_start = fields.Date(required=True)
    trial_review = fields.Date(required=True)
    go_live = fields.Date(required=True)


class PlanReviewIn(Schema):
    participants = departments()
    outcome = fields.String(required=True, validate=validate.OneOf(["approved", "rejected"]))
    comments = optional_text()


class RevisionIn(Schema):
    trigger = fields.String(required=True, validate=validate.OneOf(REVISION_TRIGGERS))
    reason = text()


class TicketsIssueIn(Schema):
    requirement_refs = fields.List(
        fields.String(validate=validate.Length(min=1)),
        load_default=None,
        validate=validate.Length(min=1),
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
    document_reference = text()
    revision_note = optional_text()


class ManualReviewIn(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(["approved", "rejected"]))
    comments = optional_text()
