"""``GET /api/notifications/deliveries``: the delivery log (auditor, operations director)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView

from api.auth import current_actor
from api.guard import Blueprint
from api.schemas.notifications import DeliveriesArgs, DeliveriesOut
from domain import rights
from domain.roles import AUDITOR, OPERATIONS_DIRECTOR
from store.notifications import Deliveries

blp = Blueprint("notifications", __name__, url_prefix="/api/notifications", description="Notifications")
BLUEPRINTS = [blp]


def delivery_log(status: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    return Deliveries(current_app.extensions["views"].store).log(limit, status)


@blp.route("/deliveries")
class DeliveryLog(MethodView):
    @blp.arguments(DeliveriesArgs, location="query")
    @blp.response(200, DeliveriesOut)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The latest deliveries, newest first: what was sent to whom, when, how many tries, the last error."""
        rights.require_role(current_actor(), "read_deliveries", AUDITOR, OPERATIONS_DIRECTOR)
        return {"items": delivery_log(args.get("status"), args["limit"])}
