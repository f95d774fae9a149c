"""The notifications' delivery log, as the auditor reads it (no addresses, no secrets)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

STATUSES = ("pending", "sent", "dropped")


class DeliveriesArgs(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES), metadata={"description": "only deliveries in this state"})
    limit = fields.Integer(load_default=200, validate=validate.Range(1, 1000))


class DeliveryOut(Schema):
    id = fields.String(metadata={"description": "stable: the same cause, recipient and channel give the same id"})
    cause = fields.String(metadata={"description": "event:<position>, or <stage>:<ticket id>:<due date>"})
    rule = fields.String()
    recipient = fields.String(metadata={"description": "person:<user> or department:<code>"})
    channel_id = fields.String()
    language = fields.String()
    subject = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    attempts = fields.Integer()
    created_at = fields.String()
    next_try = fields.String()
    last_error = fields.String(allow_none=True)
    sent_at = fields.String(allow_none=True)
    sent_by = fields.String(allow_none=True, metadata={"description": "host:pid of the process that delivered"})


class DeliveriesOut(Schema):
    items = fields.List(fields.Nested(DeliveryOut))
