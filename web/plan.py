"""项目计划书 / The plan page: the plan in force with every requirement and its ticket, every version
(who saved and reviewed it, when), what changed between two dates (the API's plan compare), and for
the appointed PM while planning, the 保存计划 form (the API's ``PlanIn`` and ``Tracker.draft_plan``).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import current_app, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext, lazy_pgettext

from api.schemas.common import FIRST_DAY, LAST_DAY
from api.schemas.plan import PlanIn
from domain import plan as pl
from projections import plan as plan_view
from projections.plan_history import plan_compare
from web import form_rows, glossary, refusals
from web.actions import version_posted
from web.blueprint import bp
from web.forms import Result, Step, Values, perform
from web.home import views
from web.plan_form import PLAN_ROWS, plan_body, prefilled
from web.project_steps import is_appointed_pm

SHANGHAI = ZoneInfo("Asia/Shanghai")
STATUS_WORDS = {
    "draft": lazy_pgettext("plan status", "Draft"),
    "submitted": lazy_pgettext("plan status", "Submitted for review"),
    "approved": lazy_pgettext("plan status", "Approved"),
    "rejected": lazy_pgettext("plan status", "Rejected"),
    "superseded": lazy_pgettext("plan status", "Superseded"),
}
MILESTONE_WORDS = {
    "trial_start": lazy_pgettext("milestone", "Trial start"),
    "trial_review": lazy_pgettext("milestone", "Trial review"),
    "go_live": lazy_pgettext("milestone", "Go-live"),
}
FIELD_WORDS = {
    "title": lazy_gettext("Title"),
    "department": lazy_gettext("Department"),
    "complete_by": lazy_gettext("Complete by"),
    "accept_by": lazy_gettext("Accept by"),
}
NOT_A_DAY = lazy_gettext("A date from 2000 to 2100")
SAVE_PLAN = Step("draft_plan", "draft_plan", word="save_plan", schema=PlanIn, body_as="plan")


def authors(history: list[Any]) -> dict[int, dict[str, Any]]:
    """Who last saved each plan version and when (from the project's events)."""
    saved: dict[int, dict[str, Any]] = {}
    for event in history:
        if type(event).__name__ == "PlanDrafted":
            saved[event.plan_version] = {"by": event.actor, "at": event.timestamp}
    return saved


def in_force(view: dict[str, Any], tickets: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan in force's requirements, each with its ticket's state, department and due date."""
    rows = []
    for requirement in (view["current"] or {}).get("requirements", []):
        ticket = tickets.get(str(requirement["ticket"]["id"])) if requirement["ticket"] else None
        rows.append({**requirement, "ticket": ticket})
    return rows


def pending(project: Any) -> Any:
    """The latest version while it is a draft or awaits its review (what the review is about)."""
    latest = project.latest_plan
    return latest if latest is not None and latest["status"] in (pl.DRAFT, pl.SUBMITTED) else None


def day_asked(name: str) -> tuple[date | None, str | None]:
    """A date from the query (``from`` / ``to``), or the message for beside its field."""
    text = request.args.get(name, "").strip()
    if not text:
        return None, None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None, str(NOT_A_DAY)
    return (day, None) if FIRST_DAY <= day <= LAST_DAY else (None, str(NOT_A_DAY))


def end_of(day: date) -> datetime:
    """The plan as it stood on ``day``: at the day's end in Shanghai."""
    return datetime.combine(day, time.max, tzinfo=SHANGHAI)


def comparison(project_id: UUID) -> dict[str, Any]:
    since, since_error = day_asked("from")
    until, until_error = day_asked("to")
    asked = {"from": request.args.get("from", ""), "to": request.args.get("to", "")}
    errors = {name: error for name, error in (("from", since_error), ("to", until_error)) if error}
    changes = None
    if since and until:
        changes = plan_compare(current_app.extensions["tracker"], project_id, end_of(since), end_of(until))
    return {"asked": asked, "errors": errors, "changes": changes}


@bp.route("/projects/<uuid:project_id>/plan")
def plan(project_id: UUID):  # type: ignore[no-untyped-def]
    after = request.args.get("after", "")
    if after.isascii() and after.isdigit() and len(after) < 19:
        views().ready(int(after))
    return plan_page(project_id)


def plan_page(project_id: UUID, result: Result | None = None, values: Values | None = None):  # type: ignore[no-untyped-def]
    reader = views().reader
    project = reader.one("project", project_id)
    view = plan_view.plan_view(reader, project_id)
    tickets = {str(t.id): t for t in reader.where("ticket", [("project_id = ?", (str(project_id),))])}
    may_save = "draft_plan" in project.allowed_steps() and is_appointed_pm(project, g.person.actor)
    if values is None:
        values = prefilled(project)
    page = render_template(
        "plan.html",
        project=project,
        view=view,
        requirements=in_force(view, tickets),
        pending=pending(project),
        authors=authors(current_app.extensions["tracker"].history(project_id)),
        compare=comparison(project_id),
        may_save=may_save,
        values=values,
        rows=form_rows.row_count(values, "requirements"),
        result=result,
        statuses=STATUS_WORDS,
        milestone_words=MILESTONE_WORDS,
        field_words=FIELD_WORDS,
        departments={code: glossary.word("department", code) for code in glossary.DEPARTMENTS},
        milestones=pl.MILESTONES,
    )
    return page, result.status if result else 200


@bp.route("/projects/<uuid:project_id>/plan", methods=["POST"])
def save_plan(project_id: UUID):  # type: ignore[no-untyped-def]
    project = views().reader.one("project", project_id)
    form = form_rows.renumbered(request.form, PLAN_ROWS)
    version = version_posted()
    if version is None:
        return plan_page(project_id, Result(status=422, message=str(refusals.INVALID)), form)
    step = dataclasses.replace(SAVE_PLAN, parse=lambda posted: plan_body(posted, project))
    result = perform(step, [project_id], form, version)
    if not result.ok:
        return plan_page(project_id, result, form)
    return redirect(url_for("web.plan", project_id=project_id, after=result.outcome.position))
