"""Bodies and answers of the monthly assessments and rectifications (API.md "Closing the loops, live operations…")."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import FREE_TEXT, Number, day, file_references, name_text, text
from api.schemas.operations import month
from domain.assessments import FAILED, MISSING, OPEN, PASSED
from domain.rectifications import CLOSED, COMPLETED, DEFAULT_WORKING_DAYS, MAX_MEASURES, NOTIFIED, PLANNED

OUTCOMES = (PASSED, FAILED, MISSING, OPEN)
STATES = (NOTIFIED, PLANNED, COMPLETED, CLOSED)


class RectificationIn(Schema):
    """Sales records the customer's rectification notice (整改通知) for a failed or missing month."""

    month = month(required=True)
    notice_reference = name_text()
    received_on = day(required=True)
    due_in_working_days = fields.Integer(
        strict=True,
        load_default=DEFAULT_WORKING_DAYS,
        validate=validate.Range(1, 60),
        metadata={"description": "working days after received_on (default 10)"},
    )


class RectificationPlanIn(Schema):
    measures = fields.List(
        fields.String(validate=validate.Length(max=FREE_TEXT)),
        required=True,
        validate=validate.Length(1, MAX_MEASURES),
    )


class RectificationCompletionIn(Schema):
    evidence = text()
    files = file_references()


class RectificationClosureIn(Schema):
    comments = text()


class AssessedKpi(Schema):
    kpi = fields.String(required=True)
    target = Number(allow_none=True)
    direction = fields.String(allow_none=True)
    actual = Number(allow_none=True)
    met = fields.Boolean(required=True)


class MonthAssessment(Schema):
    month = fields.String(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    report_due = fields.Date(required=True, metadata={"description": "5th working day of the next month"})
    reports = fields.Integer(required=True, metadata={"description": "KPI reports covering the month"})
    kpis = fields.List(fields.Nested(AssessedKpi), required=True)


class RectificationStep(Schema):
    by = fields.String(required=True)
    at = fields.DateTime(required=True)
    measures = fields.List(fields.String())
    evidence = fields.String()
    comments = fields.String()


class Rectification(Schema):
    n = fields.Integer(required=True)
    month = fields.String(required=True)
    outcome = fields.String(required=True)
    notice_reference = fields.String(required=True)
    received_on = fields.Date(required=True)
    due = fields.Date(required=True)
    due_in_working_days = fields.Integer(required=True)
    provisional = fields.Boolean()
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    overdue = fields.Boolean(required=True)
    working_days_left = fields.Integer(allow_none=True)
    recorded_by = fields.String(required=True)
    recorded_at = fields.DateTime(required=True)
    plan = fields.Nested(RectificationStep, allow_none=True)
    completion = fields.Nested(RectificationStep, allow_none=True)
    closure = fields.Nested(RectificationStep, allow_none=True)


class AssessmentsOut(Schema):
    project_id = fields.UUID(required=True)
    today = fields.Date(required=True)
    items = fields.List(fields.Nested(MonthAssessment), required=True)
    consecutive_failed = fields.Integer(required=True)
    termination_after_failed_months = fields.Integer(required=True)
    termination_right = fields.Boolean(required=True)
    failed_months = fields.List(fields.String(), required=True)
    rectifications = fields.List(fields.Nested(Rectification), required=True)
    overdue_rectifications = fields.List(fields.Integer(), required=True, metadata={"description": "their n"})
