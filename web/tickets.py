"""需求单 / Requirement tickets: a project's tickets, a ticket's page (criteria, alternative rounds,
submissions, acceptance criterion by criterion, and the steps offered now)."""

from __future__ import annotations

from uuid import UUID

from flask import g, render_template, request

from domain import reading_rights
from projections import ticket_list
from web import ticket_actions
from web.blueprint import bp
from web.forms import Result
from web.home import views

PAGE_SIZE = 50


def read_after() -> None:
    """Read-your-writes: wait for the views to hold the command the redirect names (``?after=``)."""
    after = request.args.get("after", "")
    views().ready(int(after) if after.isascii() and after.isdigit() and len(after) < 19 else None)


def forbidden():  # type: ignore[no-untyped-def]
    """The 403 page, in the page's language."""
    return render_template("message.html", message_key="forbidden"), 403


@bp.route("/projects/<uuid:project_id>/tickets")
def project_tickets(project_id: UUID):  # type: ignore[no-untyped-def]
    project = views().reader.one("project", project_id)
    cursor = request.args.get("cursor") or None
    wanted: dict = {"project": project_id}
    readable = reading_rights.departments_read(g.person.actor, "tickets")
    if readable is not None:  # a department lead: their own department's tickets only
        wanted["department"] = g.person.actor.department
    listed = ticket_list.ticket_list(views().reader, wanted, views().today(), PAGE_SIZE, cursor)
    return render_template("tickets.html", project=project, tickets=listed["items"], next_cursor=listed["next_cursor"])


@bp.route("/tickets/<uuid:ticket_id>")
def ticket(ticket_id: UUID):  # type: ignore[no-untyped-def]
    read_after()
    return ticket_page(ticket_id)


def ticket_page(ticket_id: UUID, result: Result | None = None, failed: str | None = None):  # type: ignore[no-untyped-def]
    """The ticket's page; after a refused step, ``result`` holds its messages and ``failed`` names it."""
    reader = views().reader
    shown = reader.one("ticket", ticket_id)
    if not reading_rights.may_read(g.person.actor, "tickets", department=shown.department):
        return forbidden()
    project = reader.one("project", shown.project_id)
    today = views().today()
    work = ticket_actions.Work(shown, project.project_manager)
    page = render_template(
        "ticket.html",
        ticket=shown,
        project=project,
        overdue=shown.overdue(today),
        working_days_left=reader.working_days().working_days_left(today, shown.due) if shown.is_open else None,
        actions=ticket_actions.offered(work, g.person.actor),
        decisions=ticket_actions.DECISIONS,
        result=result,
        failed=failed,
    )
    return page, result.status if result else 200
