"""Bodies and answers of the customer's requests with notice periods (通知事項)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import day, file_references, text
from domain.request_kinds import REQUEST_KINDS

KINDS = validate.OneOf(tuple(REQUEST_KINDS))


class RequestIn(Schema):
    kind = fields.String(
        required=True,
        validate=KINDS,
        metadata={"description": "decides the owner department and the notice period in working days"},
    )
    received_on = day(required=True, metadata={"description": "the day the customer's written notice came"})
    details = text()
    reference = text(metadata={"description": "the written notice's reference"})


class FulfilmentIn(Schema):
    """The owner department's lead records the request fulfilled."""

    evidence = text()
    files = file_references()


class RequestItem(Schema):
    n = fields.Integer(required=True)
    kind = fields.String(required=True)
    received_on = fields.Date(required=True)
    details = fields.String(required=True)
    reference = fields.String(required=True)
    due = fields.Date(required=True, metadata={"description": "notice_days working days after received_on"})
    notice_days = fields.Integer(required=True)
    provisional = fields.Boolean(metadata={"description": "a year counted had no official schedule yet"})
    owner_department = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(("open", "fulfilled")))
    overdue = fields.Boolean(required=True, metadata={"description": "open and due before today"})
    working_days_left = fields.Integer(
        allow_none=True,
        metadata={"description": "open: working days from today to due (negative when overdue); null otherwise"},
    )
    fulfilment = fields.Dict(allow_none=True, metadata={"description": "{evidence, by, at} once fulfilled"})


class RequestList(Schema):
    project_id = fields.UUID(required=True)
    items = fields.List(
        fields.Nested(RequestItem),
        required=True,
        metadata={"description": "in recording order; a department lead's list has only their department's"},
    )
