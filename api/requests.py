"""Customer requests with notice periods (通知事項): sales records one, the lead of its owner
department fulfils it; the project's list judged against today."""

from __future__ import annotations

from flask.views import MethodView

from api.auth import current_actor
from api.guard import Blueprint
from api.http import commands_on
from api.schemas.requests import FulfilmentIn, RequestIn, RequestList
from api.schemas.views import AfterQuery
from api.views import fresh, views
from projections import requests

blp = Blueprint("requests", __name__, url_prefix="/api/projects", description="Customer requests")
BLUEPRINTS = [blp]
ONE = "/<uuid:project_id>"


command = commands_on(blp, "project_id", ONE)


@blp.route(f"{ONE}/requests")
class Requests(MethodView):
    @blp.arguments(AfterQuery, location="query")
    @blp.response(200, RequestList)
    def get(self, args, project_id):
        """The project's requests, each with its due date, whether overdue and the working days left
        (a department lead's list: their own department's only)."""
        headers = fresh(args)
        return requests.request_list(views().reader, project_id, views().today(), current_actor()), headers


command(
    "/requests",
    RequestIn,
    "record_customer_request",
    "Record a customer's request (sales): due its notice period in working days after the day received.",
)
command(
    "/requests/<int:n>/fulfilment",
    FulfilmentIn,
    "fulfil_customer_request",
    "Record a request fulfilled, with evidence (lead of its owner department).",
    extra_args=("n",),
)
