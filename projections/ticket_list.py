"""Ticket list (``GET /api/tickets``): filter by project, department, state, overdue; paged."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.ticket import OPEN_STATES, SUBMITTED
from projections.reading import Reader

LATE_STATES = tuple(sorted(OPEN_STATES - {SUBMITTED}))


def ticket_list(reader: Reader, filters: dict[str, Any], today: date, limit: int, cursor: str | None) -> dict[str, Any]:
    clauses = []
    if filters.get("project") is not None:
        clauses.append(("project_id = ?", (str(filters["project"]),)))
    if filters.get("department") is not None:
        clauses.append(("department = ?", (filters["department"],)))
    if filters.get("state") is not None:
        clauses.append(("state = ?", (filters["state"],)))
    if filters.get("overdue"):
        marks = ", ".join("?" for _ in LATE_STATES)
        clauses.append((f"due < ? AND state IN ({marks})", (today.isoformat(), *LATE_STATES)))
    tickets, next_cursor = reader.page("ticket", clauses, "due, project_id, code, id", limit, cursor)
    calendar = reader.working_days()
    return {
        "items": [
            {
                "id": t.id,
                "project_id": t.project_id,
                "requirement_ref": t.requirement_ref,
                "title": t.title,
                "department": t.department,
                "state": t.state,
                "due": t.due,
                "overdue": t.overdue(today),
                "working_days_left": calendar.working_days_left(today, t.due) if t.is_open else None,
                "version": t.version,
            }
            for t in tickets
        ],
        "next_cursor": next_cursor,
    }
