"""Monthly assessments (月度考核), the termination right, and rectifications (整改)."""

from __future__ import annotations

from flask.views import MethodView

from api.auth import current_actor
from api.guard import Blueprint
from api.http import commands_on
from api.schemas.assessments import (
    AssessmentsOut,
    RectificationClosureIn,
    RectificationCompletionIn,
    RectificationIn,
    RectificationPlanIn,
)
from api.schemas.views import AfterQuery
from api.views import fresh, views
from domain import reading_rights
from projections.assessments import assessment_view

blp = Blueprint("assessments", __name__, url_prefix="/api/projects", description="Assessments and rectifications")
BLUEPRINTS = [blp]
ONE = "/<uuid:project_id>"
command = commands_on(blp, "project_id", ONE)


@blp.route(f"{ONE}/assessments")
class Assessments(MethodView):
    @blp.arguments(AfterQuery, location="query")
    @blp.response(200, AssessmentsOut)
    def get(self, args, project_id):
        """Each month from go-live: passed, failed, missing or open; the termination right; the rectifications."""
        headers = fresh(args)
        project = views().reader.one("project", project_id)
        reading_rights.require_read(current_actor(), "assessments", project)
        return assessment_view(project, views().today(), views().reader.working_days()), headers


command(
    "/rectifications",
    RectificationIn,
    "notify_rectification",
    "Record the customer's rectification notice for a failed or missing month (sales).",
    status=201,
)
command(
    "/rectifications/<int:n>/plan",
    RectificationPlanIn,
    "plan_rectification",
    "Record the rectification plan's measures (PM).",
    extra_args=("n",),
)
command(
    "/rectifications/<int:n>/completion",
    RectificationCompletionIn,
    "complete_rectification",
    "Report the rectification done, with evidence (service manager).",
    extra_args=("n",),
)
command(
    "/rectifications/<int:n>/closure",
    RectificationClosureIn,
    "close_rectification",
    "Close the rectification (PM).",
    extra_args=("n",),
)
