"""The customer's requests (通知事項) as their readers see them: each judged against today (overdue,
working days left), a department lead's list holding only their own department's requests."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.request_records import OPEN, CustomerRequest
from domain.requests import REQUEST_PHASES, visible_to
from domain.roles import Actor
from domain.state import to_plain
from domain.working_days import WorkingDays
from projections.reading import Reader


def judged(request: CustomerRequest, today: date, calendar: WorkingDays) -> dict[str, Any]:
    """The request's plain form, with ``overdue`` and ``working_days_left`` (open ones only) as of today."""
    is_open = request.state == OPEN
    return {
        **to_plain(request),
        "overdue": request.overdue(today),
        "working_days_left": calendar.working_days_left(today, request.due) if is_open else None,
    }


def request_list(reader: Reader, project_id: UUID, today: date, actor: Actor) -> dict[str, Any]:
    project = reader.one("project", project_id)
    calendar = reader.working_days()
    items = [judged(r, today, calendar) for r in visible_to(actor, project.requests)]
    return {"project_id": project.id, "items": items}


def owed_requests(reader: Reader, department: str, today: date, calendar: WorkingDays) -> list[dict[str, Any]]:
    """The open requests ``department`` owes across projects (in trial or live), overdue first."""
    phases = tuple(sorted(REQUEST_PHASES))
    marks = ", ".join("?" for _ in phases)
    owed = [
        {**judged(r, today, calendar), "project_id": project.id, "project_code": project.code}
        for project in reader.where("project", [(f"state IN ({marks})", phases)], "code, id")
        for r in project.requests
        if r.owner_department == department and r.state == OPEN
    ]
    owed.sort(key=lambda r: (not r["overdue"], r["due"], r["project_code"], r["n"]))
    return owed
