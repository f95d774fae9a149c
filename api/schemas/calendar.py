"""The working-day calendar's schedules: what the operations director records, what anyone reads."""

from __future__ import annotations

from marshmallow import Schema, fields

from api.schemas.common import HistoryEvent, text


class Holiday(Schema):
    date = fields.Date(required=True)
    name = text(metadata={"description": "e.g. 春节"})


class ScheduleIn(Schema):
    holidays = fields.List(fields.Nested(Holiday), required=True, metadata={"description": "official holidays"})
    makeup_days = fields.List(
        fields.Date(), required=True, metadata={"description": "make-up working days (调休上班), Saturdays/Sundays"}
    )
    reference = text(metadata={"description": "the notice, e.g. 国办发明电〔2026〕N号"})
    reason = fields.String(
        load_default="", metadata={"description": "why; required to correct a schedule already recorded"}
    )


class ScheduleOut(Schema):
    year = fields.Integer(required=True)
    source = fields.String(
        required=True, metadata={"description": "recorded (wins over the package), package, or provisional (none)"}
    )
    version = fields.Integer(allow_none=True, metadata={"description": "the recorded schedule's version"})
    reference = fields.String(allow_none=True)
    holidays = fields.List(fields.Nested(Holiday), required=True)
    makeup_days = fields.List(fields.Date(), required=True)
    history = fields.List(fields.Nested(HistoryEvent), required=True)
