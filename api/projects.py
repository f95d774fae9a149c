"""Projects: intake, reading, history, requirement changes, appointment, meetings, cancellation,
the plan and its review and revision, tickets issued, and the operations manual."""

from __future__ import annotations

from flask.views import MethodView

from api import idempotency, render
from api.auth import current_actor
from api.guard import Blueprint
from api.http import add_reads, commands_on, run, tracker
from api.schemas.common import CommandResult
from api.schemas.plan import (
    ManualIn,
    ManualReviewIn,
    PlanIn,
    PlanReviewIn,
    RevisionIn,
    TicketsIssueIn,
)
from api.schemas.projects import (
    AppointmentIn,
    CancellationIn,
    MeetingIn,
    ProjectIn,
    ProjectOut,
    RequirementChangeIn,
)
from domain import ending, requests

blp = Blueprint("projects", __name__, url_prefix="/api/projects", description="Projects, plan and manual")
BLUEPRINTS = [blp]
ONE = "/<uuid:project_id>"


@blp.route("")
class Projects(MethodView):
    @blp.arguments(ProjectIn)
    @blp.response(201, CommandResult)
    @blp.doc(parameters=[idempotency.PARAMETER])
    def post(self, body):
        """Register a project (sales)."""
        return run(tracker().register_project, versioned=False, **body)


def answer(project, query):
    """With the tickets as they stood at the time asked for (``as_of`` / ``version``), and the requests
    and handover items the reader may see."""
    data = render.project(project, query.get("as_of"), query.get("version"))
    data["requests"] = requests.visible_to(current_actor(), data.get("requests", []))
    data["termination"] = ending.visible_handover(current_actor(), data.get("termination"))
    return render.response(ProjectOut, data)


add_reads(blp, ONE, "project", ProjectOut, answer)


command = commands_on(blp, "project_id", ONE)


command(
    "/requirement-changes",
    RequirementChangeIn,
    "record_requirement_change",
    "Record a customer requirement change (sales).",
)
command("/appointment", AppointmentIn, "appoint_project_manager", "Appoint the PM (operations director).")
command("/meetings", MeetingIn, "hold_meeting", "Record a coordination meeting (PM).")
command("/cancellation", CancellationIn, "cancel_project", "Cancel the project with a reason (operations director).")
command("/plan", PlanIn, "draft_plan", "Write the plan draft (PM).", verb="put", body_as="plan")
command("/plan/submission", None, "submit_plan", "Submit the plan draft for review (PM).")
command("/plan/review", PlanReviewIn, "review_plan", "Record the plan review (PM).")
command("/plan/revision", RevisionIn, "revise_plan", "Start a plan revision (PM).")


command(
    "/tickets",
    TicketsIssueIn,
    "issue_tickets",
    "Issue requirement tickets (PM).",
    status=201,
    today_as="issued_on",
)
command("/manual", ManualIn, "submit_manual", "Submit an operations manual draft (service manager).", verb="put")
command("/manual/review", ManualReviewIn, "review_manual", "Approve or reject the manual draft (PM).")
