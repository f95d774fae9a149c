"""Bodies of "term and end": the termination notice, a handover item done, the closure."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from api.schemas.common import day, file_references, text
from domain.ending_records import BY, REASONS


class TerminationIn(Schema):
    by = fields.String(
        required=True,
        validate=validate.OneOf(BY),
        metadata={"description": "customer (recorded by sales) or provider (recorded by the operations director)"},
    )
    reason = fields.String(required=True, validate=validate.OneOf(REASONS))
    notice_on = day(required=True, metadata={"description": "the day the notice was given"})
    effective_on = day(required=True, metadata={"description": "the day the termination takes effect (≥ notice_on)"})

    @validates_schema
    def _effective_after_notice(self, data, **_kwargs):  # type: ignore[no-untyped-def]
        if "notice_on" in data and "effective_on" in data and data["effective_on"] < data["notice_on"]:
            raise ValidationError("may not be before notice_on", "effective_on")


class HandoverIn(Schema):
    evidence = text(metadata={"description": "what shows the item is done (a receipt, a signed record)"})
    files = file_references()


class ClosureIn(Schema):
    summary = text(metadata={"description": "how the service ended"})
