"""部门看板 / A department's board: its open tickets across every project, overdue first (the API's board)."""

from __future__ import annotations

from flask import render_template

from domain.roles import DEPARTMENTS
from projections import department_board
from web.blueprint import bp
from web.home import views
from web.tickets import PAGE_SIZE, offset_asked


@bp.route("/departments/<code>")
def department(code: str):  # type: ignore[no-untyped-def]
    if code not in DEPARTMENTS:
        return render_template("message.html", message_key="not_found"), 404
    board = department_board.department_board(views().reader, code, views().today())
    offset = offset_asked()
    items = board["items"]
    next_offset = offset + PAGE_SIZE if len(items) > offset + PAGE_SIZE else None
    return render_template(
        "department.html", department=code, tickets=items[offset : offset + PAGE_SIZE], next_offset=next_offset
    )
