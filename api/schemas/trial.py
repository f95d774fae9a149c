"""Bodies of the trial operation (試運營) and of opening a trial review."""

from __future__ import annotations

from marshmallow import Schema, fields

from api.schemas.common import Deadline, Department, departments, text, yes_no


class TrialIn(Schema):
    start = fields.Date(required=True)
    planned_end = fields.Date(required=True)


class AuditIn(Schema):
    held_on = fields.Date(required=True)
    findings = fields.List(fields.String(), load_default=list)
    conforming = yes_no(required=True)


class FeedbackIn(Schema):
    received_on = fields.Date(required=True)
    summary = text()


class ImprovementIn(Deadline):
    problem = text()
    measure = text()
    owner_department = fields.String(required=True, validate=Department)


class EquipmentReportIn(Schema):
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    summary = text()


class ReviewOpenIn(Schema):
    held_on = fields.Date(required=True)
    participants = departments()
