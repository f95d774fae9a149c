"""Bodies of the trial operation (試運營) and of opening a trial review."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import FREE_TEXT, Deadline, Department, day, departments, items, text, yes_no


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


class ReviewOpenIn(Schema):
    held_on = day(required=True)
    participants = departments()
