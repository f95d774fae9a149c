"""Department board: a department's open tickets across every project, overdue first."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.ticket import OPEN_STATES
from projections.reading import Reader


def department_board(
    reader: Reader, department: str, today: date, limit: int | None = None, offset: int = 0
) -> dict[str, Any]:
    """Every open ticket (the API's board), or with ``limit`` one page of them (the pages'): by due
    date, so the overdue come first on the first pages."""
    states = tuple(sorted(OPEN_STATES))
    marks = ", ".join("?" for _ in states)
    clauses = [("department = ?", (department,)), (f"state IN ({marks})", states)]
    tickets = reader.where("ticket", clauses, "due, code", limit, offset)
    codes = reader.project_codes({str(t.project_id) for t in tickets})
    calendar = reader.working_days()
    items = [
        {
            "ticket_id": t.id,
            "project_id": t.project_id,
            "project_code": codes.get(str(t.project_id)),
            "requirement_ref": t.requirement_ref,
            "title": t.title,
            "state": t.state,
            "due": t.due,
            "overdue": t.overdue(today),
            "days_left": (t.due - today).days,
            "working_days_left": calendar.working_days_left(today, t.due),
        }
        for t in tickets
    ]
    items.sort(key=lambda item: (not item["overdue"], item["due"], item["project_code"] or ""))
    return {"department": department, "items": items}
