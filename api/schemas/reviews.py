"""Bodies and answer of the trial review (試運營評審) resource."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import Deadline, Department, day, file_references, text, yes_no
from domain.trial_review import DECISIONS


class ItemIn(Schema):
    met = yes_no(required=True)
    evidence = text()
    files = file_references()


class ConclusionIn(Schema):
    summary = text()


class DecisionIn(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    go_live_on = day(load_default=None, allow_none=True)
    extend_until = day(load_default=None, allow_none=True)


class NonconformityIn(Deadline):
    description = text()
    corrective_action = text()
    owner_department = fields.String(required=True, validate=Department)


class ReviewOut(Schema):
    id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    project_id = fields.UUID(required=True)
    held_on = fields.Date(required=True)
    participants = fields.List(fields.String())
    state = fields.String(required=True)
    allowed_steps = fields.List(fields.String())
    outcome = fields.String(allow_none=True)
    items = fields.Dict()
    summary = fields.String(allow_none=True)
    decision = fields.Dict(allow_none=True)
    nonconformities = fields.List(fields.Dict())
    created_on = fields.DateTime()
    modified_on = fields.DateTime()


class ReviewList(Schema):
    items = fields.List(fields.Nested(ReviewOut), required=True, metadata={"description": "oldest first"})
