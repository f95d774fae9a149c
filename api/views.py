"""Views and lists, built from events: plan, acceptance, go-live, department boards, lists, audit log.

``?after=<position>`` (a command's answer) makes the read wait until the views include
that event; if they still lag after ``VIEWS_AFTER_TIMEOUT`` (5 s), if ``VIEWS_AFTER_MAX_WAITING``
readers already wait, or if the position is beyond the log's head, the answer comes at once
and says how far behind it is in ``X-Views-Lag`` (``projections/views.py``).
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from flask.views import MethodView

from api import render
from api.audit_cli import verification
from api.auth import current_actor
from api.guard import Blueprint
from api.http import tracker
from api.schemas.common import Department
from api.schemas.reviews import ReviewList
from api.schemas.views import (
    AcceptanceView,
    AfterQuery,
    AuditQuery,
    Board,
    CompareQuery,
    GoLiveView,
    Page,
    PlanCompare,
    PlanQuery,
    PlanView,
    ProjectListQuery,
    TicketListQuery,
    TicketPage,
    VerificationOut,
)
from domain import reading_rights, requests, rights
from domain.errors import InvalidInput, NotFound
from domain.roles import AUDITOR, OPERATIONS_DIRECTOR
from projections import (
    acceptance,
    department_board,
    go_live,
    plan,
    plan_history,
    project_list,
    review_list,
    summary,
    ticket_list,
)
from projections.audit_export import as_csv
from projections.audit_log import audit_rows
from projections.summary import describe_row
from projections.views import Views

blp = Blueprint("views", __name__, url_prefix="/api", description="Views built from events")
BLUEPRINTS = [blp]
LAG_HEADER = "X-Views-Lag"
MAX_POSITION = 2**63 - 1
AUDIT_EVENTS_ANSWER = "JSON page, or text/csv with ?format=csv (all matching rows)"
CSV_OR_JSON = {
    "application/json": {"schema": {"$ref": "#/components/schemas/Page"}},
    "text/csv": {"schema": {"type": "string"}},
}


def views() -> Views:
    return current_app.extensions["views"]


def fresh(args: dict[str, Any]) -> dict[str, str]:
    """Catch up to ``?after=``; headers saying how far behind the answer still is."""
    lag = views().ready(args.pop("after", None))
    return {LAG_HEADER: str(lag)} if lag else {}


@blp.route("/projects")
class ProjectList(MethodView):
    @blp.arguments(ProjectListQuery, location="query")
    @blp.response(200, Page)
    def get(self, args):
        """Projects, filtered by phase, customer, project manager; ``q`` searches code, name and customer."""
        headers = fresh(args)
        limit, cursor = args.pop("limit"), args.pop("cursor", None)
        return project_list.project_list(views().reader, args, limit, cursor), headers


@blp.route("/tickets")
class TicketList(MethodView):
    @blp.arguments(TicketListQuery, location="query")
    @blp.response(200, TicketPage)
    def get(self, args):
        """Requirement tickets, filtered by project, department, state, overdue.

        A department lead's list holds their own department's tickets only.
        """
        headers = fresh(args)
        limit, cursor = args.pop("limit"), args.pop("cursor", None)
        readable = reading_rights.departments_read(current_actor(), "tickets")
        if readable is not None:  # a department lead: their own department's tickets only
            department = args.get("department") or next(iter(readable), None)
            if department not in readable:
                return {"items": [], "next_cursor": None}, headers
            args["department"] = department
        return ticket_list.ticket_list(views().reader, args, views().today(), limit, cursor), headers


@blp.route("/projects/<uuid:project_id>/plan")
class Plan(MethodView):
    @blp.arguments(PlanQuery, location="query")
    @blp.response(200, PlanView)
    def get(self, args, project_id):
        """The plan: every version, the plan in force with ticket states, dropped requirements, milestones."""
        if args.get("as_of") is not None:
            return plan_history.plan_as_of(tracker(), project_id, args["as_of"])
        headers = fresh(args)
        return plan.plan_view(views().reader, project_id), headers


@blp.route("/projects/<uuid:project_id>/plan/compare")
class PlanComparison(MethodView):
    @blp.arguments(CompareQuery, location="query")
    @blp.response(200, PlanCompare)
    def get(self, args, project_id):
        """What changed in the plan in force between two times: added, dropped, moved, staffing, milestones."""
        return plan_history.plan_compare(tracker(), project_id, args["since"], args["until"])


@blp.route("/projects/<uuid:project_id>/acceptance")
class Acceptance(MethodView):
    @blp.arguments(AfterQuery, location="query")
    @blp.response(200, AcceptanceView)
    def get(self, args, project_id):
        """Acceptance status: tickets by state and department, overdue, alternatives awaiting a decision.

        A department lead's ``overdue`` and ``awaiting_decision`` hold their own department's tickets only.
        """
        headers = fresh(args)
        view = acceptance.acceptance_view(views().reader, project_id, views().today())
        return only_readable_tickets(view), headers


def only_readable_tickets(view: dict[str, Any]) -> dict[str, Any]:
    """The acceptance view with its ticket lists (overdue, awaiting a decision) cut to the reader's
    departments; the counts are the project's summary, which everyone reads."""
    readable = reading_rights.departments_read(current_actor(), "tickets")
    if readable is None:
        return view
    cut = {name: [t for t in view[name] if t["department"] in readable] for name in ("overdue", "awaiting_decision")}
    return {**view, **cut}


@blp.route("/projects/<uuid:project_id>/go-live")
class GoLive(MethodView):
    @blp.arguments(AfterQuery, location="query")
    @blp.response(200, GoLiveView)
    def get(self, args, project_id):
        """Go-live readiness: every gate with the reason, every review and decision."""
        headers = fresh(args)
        return go_live.go_live_view(views().reader, project_id), headers


@blp.route("/projects/<uuid:project_id>/reviews")
class ProjectReviews(MethodView):
    @blp.arguments(AfterQuery, location="query")
    @blp.response(200, ReviewList)
    def get(self, args, project_id):
        """The project's trial reviews, oldest first, each with its nonconformities and their loops."""
        headers = fresh(args)
        return {"items": [render.review(r) for r in review_list.review_list(views().reader, project_id)]}, headers


@blp.route("/departments/<department>/tickets")
class DepartmentBoard(MethodView):
    @blp.arguments(AfterQuery, location="query")
    @blp.response(200, Board)
    def get(self, args, department):
        """A department's open tickets, overdue first; the measures and actions it owes (``actions``), and
        its open customer requests (``requests``, for readers who may see them).

        A department lead reads their own department's board only (others: 403).
        """
        if department not in Department.choices:
            raise NotFound("department", department)
        reading_rights.require_read(current_actor(), "tickets", department=department)
        headers = fresh(args)
        board = department_board.department_board(views().reader, department, views().today())
        board["requests"] = requests.visible_to(current_actor(), board["requests"])
        return board, headers


@blp.route("/audit/events")
class AuditEvents(MethodView):
    @blp.arguments(AuditQuery, location="query")
    @blp.response(200, Page, description=AUDIT_EVENTS_ANSWER)
    @blp.doc(responses={"200": {"description": AUDIT_EVENTS_ANSWER, "content": CSV_OR_JSON}})
    def get(self, args):
        """The whole log, newest first, filtered (auditor, operations director)."""
        rights.require_role(current_actor(), "read_audit_log", AUDITOR, OPERATIONS_DIRECTOR)
        headers = fresh(args)
        limit, cursor, fmt = args.pop("limit"), args.pop("cursor", None), args.pop("format")
        mapper = tracker().mapper
        if fmt == "csv":
            return csv_response(mapper, audit_rows(views().store, args), headers)
        if cursor is not None and not (cursor.isascii() and cursor.isdigit() and int(cursor) <= MAX_POSITION):
            raise InvalidInput({"cursor": "not a cursor this API gave out"})
        before = int(cursor) if cursor else None
        rows = audit_rows(views().store, args, limit + 1, before)
        words = api_words()  # the sentences follow Accept-Language (English without it)
        items = [describe_row(mapper, row, words) for row in rows[:limit]]
        next_cursor = str(rows[limit - 1]["position"]) if len(rows) > limit else None
        return {"items": items, "next_cursor": next_cursor}, headers


def csv_response(mapper: Any, rows: list[dict], headers: dict[str, str]) -> Response:
    """UTF-8 with a BOM so that Excel shows Chinese; one row per event."""
    disposition = {"Content-Disposition": "attachment; filename=audit-log.csv"}
    text = as_csv(mapper, rows, api_words())
    return Response(text.encode("utf-8"), mimetype="text/csv", headers={**headers, **disposition})


@blp.route("/audit/verification")
class AuditVerification(MethodView):
    @blp.response(200, VerificationOut)
    def get(self):
        """Re-check the whole hash chain of the stored events and re-hash every file they reference
        (auditor, operations director); ``ok`` only when both hold."""
        rights.require_role(current_actor(), "verify_audit_log", AUDITOR, OPERATIONS_DIRECTOR)
        result, files = verification()
        return {**result.as_dict(), "ok": result.ok and not files.problems, "files": files.as_dict()}


def api_words() -> Any:
    """The audit sentences' words: those the pages register (``audit_words``: Chinese when
    ``Accept-Language`` asks for it), else the API's English as always."""
    chosen = current_app.extensions.get("audit_words")
    return chosen() if chosen is not None else summary.PLAIN
