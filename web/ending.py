"""The project page's term and end: the contract's term (who may read the contract), the termination
notice (sales for the customer, the operations director for the provider), the handover checklist
(each item offered to its department's lead) and the closure (the appointed PM, once every item is
done and the effective date reached), each sent as the API's command with its schema.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import current_app, g, redirect, request, url_for
from flask_babel import lazy_gettext

from api.schemas.ending import ClosureIn, HandoverIn, TerminationIn
from domain.contract import month_of
from domain.ending_records import HANDOVER, REASONS
from domain.phases import TERMINATING
from domain.roles import DEPARTMENT_LEAD, OPERATIONS_DIRECTOR, PROJECT_MANAGER, SALES, Actor
from domain.term import term_as_of, term_in_force
from projections.contract import recorded_terms
from web import glossary, refusals
from web.actions import project_step, version_posted
from web.blueprint import bp
from web.forms import FILES, Field, Result, Step, Values, form_values, perform

REASON_CHOICES = tuple((code, glossary.TERMINATION_REASONS[code]) for code in REASONS)
DAYS = ("start", "end", "current_end", "notice_by")
SIDE = {SALES: "customer", OPERATIONS_DIRECTOR: "provider"}
"""Whose notice each recorder records (``domain.commands.ending.RECORDED_BY``, the other way round)."""


def today() -> date:
    """The views' today (the app's clock in Shanghai), the day the closure is judged by."""
    return current_app.extensions["views"].today()


def notice(form: Values) -> dict[str, Any]:
    """The form's fields, with ``by`` the signed-in recorder's side."""
    return {**form_values(TERMINATE, form), "by": SIDE.get(g.person.actor.role, "")}


def may_close(project: Any, actor: Actor) -> bool:
    """The appointed PM, once every handover item is done and the effective date is reached."""
    termination = project.termination
    return (
        actor.role == PROJECT_MANAGER
        and actor.user == project.project_manager
        and termination is not None
        and not termination.missing()
        and today() >= termination.effective_on
    )


TERMINATE = project_step(
    Step(
        "record_termination",
        "record_termination",
        schema=TerminationIn,
        fields=(
            Field("reason", lazy_gettext("Reason"), "select", REASON_CHOICES),
            Field("notice_on", lazy_gettext("Notice given on"), "date"),
            Field("effective_on", lazy_gettext("Effective on"), "date"),
        ),
        parse=notice,
        applies=lambda p, a: a.role in SIDE,
    )
)
CLOSE = project_step(
    Step(
        "close_project",
        "close_project",
        schema=ClosureIn,
        fields=(Field("summary", lazy_gettext("How the service ended"), "textarea"),),
        today_as="today",
        applies=may_close,
    )
)
HANDOVER_STEPS = {
    item: Step(
        "record_handover",
        "record_handover",
        word="record_handover",
        schema=HandoverIn,
        fields=(Field("evidence", lazy_gettext("Evidence"), "textarea"), FILES),
    )
    for item in HANDOVER
}


def handover_rows(project: Any, actor: Actor) -> list[dict[str, Any]]:
    """The checklist: each item, its department, who did it (or the form, for its lead, now)."""
    termination = project.termination
    if termination is None:
        return []
    rows = []
    for item, department in HANDOVER.items():
        done = termination.handover.get(item)
        mine = actor.role == DEPARTMENT_LEAD and actor.department == department
        offered = done is None and mine and project.phase == TERMINATING
        rows.append(
            {"item": item, "department": department, "done": done, "step": HANDOVER_STEPS[item] if offered else None}
        )
    return rows


def term_now(project: Any) -> dict[str, Any] | None:
    """The term in force as of today, with its renewals (``domain.term``)."""
    day = today()
    term = term_in_force(recorded_terms(project), month_of(day))
    if term is None:
        return None
    shown = term_as_of(term, day)
    return {key: date.fromisoformat(value) if key in DAYS and value else value for key, value in shown.items()}


@bp.route("/projects/<uuid:project_id>/handover/<item>", methods=["POST"])
def take_handover(project_id: UUID, item: str):  # type: ignore[no-untyped-def]
    from web.projects import project_page

    step, version = HANDOVER_STEPS.get(item), version_posted()
    if step is None or version is None:
        return project_page(project_id, Result(status=422, message=str(refusals.INVALID)))
    result = perform(step, [project_id, item], request.form, version)
    if not result.ok:
        return project_page(project_id, result, failed=f"handover-{item}")
    return redirect(url_for("web.project", project_id=project_id, after=result.outcome.position))


def waiting(actor: Actor, reader: Any) -> dict[str, Any]:
    """My work's part of term and end: a lead's handover items still to do on terminating projects;
    the PM's terminating projects, each with what its closure still waits for."""
    if actor.role not in (DEPARTMENT_LEAD, PROJECT_MANAGER):
        return {}
    clauses = [("state = ?", (TERMINATING,))]
    if actor.role == PROJECT_MANAGER:
        clauses.append(("project_manager = ?", (actor.user,)))
    projects = reader.where("project", clauses, "code, id")
    if actor.role == PROJECT_MANAGER:
        day = today()
        return {
            "closures_due": [
                {"project": p, "missing": p.termination.missing(), "early": day < p.termination.effective_on}
                for p in projects
            ]
        }
    mine = [item for item, department in HANDOVER.items() if department == actor.department]
    return {
        "handover_due": [
            {"project": p, "item": item} for p in projects for item in mine if item not in p.termination.handover
        ]
    }
