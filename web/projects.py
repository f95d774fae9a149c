"""项目 / Projects: the list with search, and a project's page (phase stepper, go-live gates, history)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import current_app, g, render_template, request
from flask_babel import get_locale, gettext

from domain import reading_rights
from domain.phases import PHASES
from projections import go_live, project_list
from web import actions, ending
from web.blueprint import bp
from web.forms import Result
from web.home import views

PAGE_SIZE = 50
MAX_QUERY = 100
RECENT_HISTORY = 15
STEPPER = [phase for phase in PHASES if phase != "cancelled"]
"""The phases in order, ``terminating`` and ``closed`` after ``live`` (``cancelled`` only when reached)."""


def search(query: str, offset: int) -> tuple[list[Any], int | None]:
    """One page of the projects whose code, name or customer contains ``query``, and the next page's
    offset: the view's columns are searched in SQL, only the page's projects are decoded."""
    clauses = [project_list.matching(query)] if query else []
    page, more = views().reader.summaries("project", clauses, "code, id", PAGE_SIZE, offset)
    return page, offset + PAGE_SIZE if more else None


@bp.route("/projects")
def projects():  # type: ignore[no-untyped-def]
    query = request.args.get("q", "").strip()[:MAX_QUERY]
    offset = request.args.get("offset", "0")
    offset = int(offset) if offset.isascii() and offset.isdigit() and len(offset) < 9 else 0
    page, next_offset = search(query, offset)
    return render_template("projects.html", projects=page, q=query, next_offset=next_offset)


def phases_entered(history: list[Any]) -> dict[str, Any]:
    """When the project entered each phase, replaying its events (an aggregate read)."""
    entered: dict[str, Any] = {}
    project = None
    for event in history:
        before = getattr(project, "phase", None)
        project = event.mutate(project)
        if project.phase != before:
            entered.setdefault(project.phase, event.timestamp)
    return entered


def gate_why(why: str) -> str | None:
    """The gate's reason in the page's language; None when the catalog has no words for it yet
    (the domain's reasons with figures in them), rather than English on a Chinese page."""
    translated = gettext(why)
    return translated if translated != why or get_locale().language == "en" else None


@bp.route("/projects/<uuid:project_id>")
def project(project_id: UUID):  # type: ignore[no-untyped-def]
    after = request.args.get("after", "")
    if after.isascii() and after.isdigit() and len(after) < 19:
        views().ready(int(after))
    return project_page(project_id)


def project_page(project_id: UUID, result: Result | None = None, failed: str | None = None):  # type: ignore[no-untyped-def]
    """The project page; after a refused step, ``result`` holds its messages and ``failed`` names it."""
    readiness = go_live.go_live_view(views().reader, project_id)
    for gate in readiness["gates"]:
        gate["why_text"] = gate_why(gate["why"])
    project = views().reader.one("project", project_id)
    history = current_app.extensions["tracker"].history(project_id)
    page = render_template(
        "project.html",
        project=project,
        actions=actions.offered(project, g.person.actor),
        result=result,
        failed=failed,
        stepper=STEPPER,
        entered=phases_entered(history),
        readiness=readiness,
        handover=ending.handover_rows(project, g.person.actor),
        term=ending.term_now(project) if reading_rights.may_read(g.person.actor, "contract_terms", project) else None,
        history=list(reversed(history))[:RECENT_HISTORY],
    )
    return page, result.status if result else 200
