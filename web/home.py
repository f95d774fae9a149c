"""我的工作 / My work: what waits for the signed-in person now, by role (UI.md, "Pages")."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, render_template, request

from domain import rectifications
from domain.phases import BEFORE_LIVE, RUNNING
from domain.rectifications import NEXT_STEP
from domain.roles import AUDITOR, BRANCH_HEAD, DEPARTMENT_LEAD, OPERATIONS_DIRECTOR, PROJECT_MANAGER
from projections import department_board, go_live, project_list
from projections.audit_log import audit_rows
from projections.requests import owed_requests
from projections.summary import describe_row
from web import ending, trial_work
from web.blueprint import bp
from web.waiting import waiting_for

RECENT = 20
MY_PROJECTS = 20
PM_STEPS = ("plan_rectification", "close_rectification")


def offset_asked() -> int:
    """``?offset=`` of a paged list (0 when absent or not a small number)."""
    offset = request.args.get("offset", "0")
    return int(offset) if offset.isascii() and offset.isdigit() and len(offset) < 9 else 0


def views() -> Any:
    views = current_app.extensions["views"]
    views.ready(None)
    return views


def my_projects(user: str, offset: int) -> tuple[list[dict[str, Any]], int | None]:
    """A page of the PM's projects, each launch with the first go-live gate not met (what blocks the
    next step), and the next page's offset. Rows come from the view's columns; only the page's
    launches are read in full, for their gates."""
    reader = views().reader
    items, more = reader.summaries("project", [("project_manager = ?", (user,))], "code, id", MY_PROJECTS, offset)
    for item in items:
        item["launching"] = item["phase"] in BEFORE_LIVE
        if item["launching"]:
            gates = go_live.go_live_view(reader, item["id"])["gates"]
            item["blocked_by"] = next((gate["gate"] for gate in gates if not gate["met"]), None)
        elif item["phase"] in RUNNING:
            item["rectifications"] = rectifications_for_pm(reader.one("project", item["id"]), views().today())
    return items, offset + MY_PROJECTS if more else None


def rectifications_for_pm(project: Any, today: Any) -> list[dict[str, Any]]:
    """A running project's rectifications whose next step is the PM's (plan it, or close it), overdue marked."""
    return [
        {"n": entry["n"], "step": NEXT_STEP[entry["state"]], "overdue": rectifications.overdue(entry, today)}
        for entry in getattr(project, "rectifications", ())
        if NEXT_STEP.get(entry["state"]) in PM_STEPS
    ]


def escalations() -> list[dict[str, Any]]:
    """Tickets whose alternative plan the PM escalated: the branch head decides each."""
    reader = views().reader
    tickets = reader.where("ticket", [("state = ?", ("alternative_escalated",))], "due, code")
    codes = reader.project_codes({str(t.project_id) for t in tickets})
    return [
        {"ticket": t, "project_code": codes.get(str(t.project_id)), "alternative": t.alternatives[-1]} for t in tickets
    ]


def recent_changes() -> list[dict[str, Any]]:
    store = views().store
    return [describe_row(current_app.extensions["tracker"].mapper, row) for row in audit_rows(store, {}, RECENT)]


@bp.route("/")
def my_work():  # type: ignore[no-untyped-def]
    actor = g.person.actor
    page: dict[str, Any] = {"waiting": waiting_for(views().reader, actor)}
    if actor.role == PROJECT_MANAGER:
        page["projects"], page["next_offset"] = my_projects(actor.user, offset_asked())
    elif actor.role == DEPARTMENT_LEAD:
        board = department_board.department_board(views().reader, actor.department, views().today(), RECENT)
        page["tickets"] = board["items"]
        reader = views().reader
        page["requests"] = owed_requests(reader, actor.department, views().today(), reader.working_days())
    elif actor.role == BRANCH_HEAD:
        page["escalations"] = escalations()
        page["all_projects"] = project_list.project_list(views().reader, {}, RECENT, None)["items"]
    elif actor.role in (AUDITOR, OPERATIONS_DIRECTOR):
        page["changes"] = recent_changes()
    else:
        page["all_projects"] = project_list.project_list(views().reader, {}, RECENT, None)["items"]
    page.update(trial_work.waiting(actor, views().reader))
    page.update(ending.waiting(actor, views().reader))
    return render_template("home.html", **page)
