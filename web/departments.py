"""部门看板 / A department's board: its open tickets across every project, overdue first (the API's board),
and on its first page the customer requests it owes; a department lead reads their own department's only
(``domain.reading_rights``)."""

from __future__ import annotations

from flask import g, render_template

from domain import reading_rights
from domain.requests import visible_to
from domain.roles import DEPARTMENTS
from projections import department_board
from projections.requests import owed_requests
from web.blueprint import bp
from web.home import offset_asked, views
from web.tickets import PAGE_SIZE, forbidden


@bp.route("/departments/<code>")
def department(code: str):  # type: ignore[no-untyped-def]
    if code not in DEPARTMENTS:
        return render_template("message.html", message_key="not_found"), 404
    if not reading_rights.may_read(g.person.actor, "tickets", department=code):
        return forbidden()  # a lead reads their own department's board only
    offset = offset_asked()
    items = department_board.department_board(views().reader, code, views().today(), PAGE_SIZE + 1, offset)["items"]
    next_offset = offset + PAGE_SIZE if len(items) > PAGE_SIZE else None
    reader, today = views().reader, views().today()
    owed = owed_requests(reader, code, today, reader.working_days()) if offset == 0 else []
    return render_template(
        "department.html",
        department=code,
        tickets=items[:PAGE_SIZE],
        next_offset=next_offset,
        requests=visible_to(g.person.actor, owed),
    )
