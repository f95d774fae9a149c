"""Bodies of the trial operation (試運營) and of opening a trial review."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from api.schemas.common import (
    FREE_TEXT,
    MAX_WORKING_DAYS,
    Deadline,
    Department,
    day,
    departments,
    file_references,
    items,
    text,
    yes_no,
)


class TrialIn(Schema):
    start = day(required=True)
    planned_end = day(required=True)


class AuditIn(Schema):
    held_on = day(required=True)
    findings = items(fields.String(validate=validate.Length(max=FREE_TEXT)), load_default=list)
    conforming = yes_no(required=True)


class FeedbackIn(Schema):
    received_on = day(required=True)
    summary = text()


class ImprovementIn(Deadline):
    problem = text()
    measure = text()
    owner_department = fields.String(required=True, validate=Department)


class EquipmentReportIn(Schema):
    period_start = day(required=True)
    period_end = day(required=True)
    summary = text()
    files = file_references()


class ReviewOpenIn(Schema):
    held_on = day(required=True)
    participants = departments()


class CompletionIn(Schema):
    """The owner department's lead records an improvement measure or a corrective action done."""

    evidence = text()
    files = file_references()


class VerificationIn(Schema):
    """The PM's verification; when not effective, the new due date (a date or working days after today)."""

    effective = yes_no(required=True)
    comments = text()
    new_due = day(metadata={"description": "not effective: the new due date (or give due_in_working_days)"})
    due_in_working_days = fields.Integer(
        strict=True,
        validate=validate.Range(1, MAX_WORKING_DAYS),
        metadata={"description": "not effective: due that many working days after today in Asia/Shanghai"},
    )

    @validates_schema
    def _new_due(self, data, **_kwargs) -> None:
        if "new_due" in data and "due_in_working_days" in data:
            raise ValidationError("give a new due date or due_in_working_days, not both", "new_due")
