"""Bodies and answer of the requirement ticket (需求單) resource."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import day, departments, file_references, items, optional_text, text, yes_no


class RiskIn(Schema):
    reason = text()


class AlternativeIn(Schema):
    description = text()
    meets_requirements = yes_no(required=True)
    new_due = day(load_default=None, allow_none=True)


class ConfirmationIn(Schema):
    escalate = yes_no(load_default=False)


class ApprovalIn(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(["approved", "rejected"]))
    comments = optional_text()


class AlternativeReviewIn(Schema):
    participants = departments()
    outcome = fields.String(required=True, validate=validate.OneOf(["passed", "failed"]))
    comments = optional_text()


class SubmissionIn(Schema):
    evidence = text()
    files = file_references()


class CriterionCheckIn(Schema):
    criterion = text(1000)
    met = yes_no(required=True)
    note = optional_text()


class AcceptanceIn(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(["accepted", "returned"]))
    criteria = items(fields.Nested(CriterionCheckIn), max_items=50, load_default=list)
    comments = optional_text()
    files = file_references()


class TicketOut(Schema):
    id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    project_id = fields.UUID(required=True)
    requirement_ref = fields.String(required=True)
    title = fields.String(required=True)
    department = fields.String(required=True)
    state = fields.String(required=True)
    allowed_steps = fields.List(fields.String())
    due = fields.Date(required=True)
    due_in_working_days = fields.Integer(
        allow_none=True, metadata={"description": "the working-day count `due` was given in, while it stands"}
    )
    due_provisional = fields.Boolean(
        metadata={"description": "`due` was counted on weekends only in a year with no known schedule yet"}
    )
    accept_by = fields.Date(required=True)
    acceptance_criteria = fields.List(fields.String(), required=True)
    risks = fields.List(fields.Dict())
    alternatives = fields.List(fields.Dict())
    submissions = fields.List(fields.Dict())
    acceptances = fields.List(fields.Dict())
    cancellation = fields.Dict(allow_none=True)
    created_on = fields.DateTime()
    modified_on = fields.DateTime()
