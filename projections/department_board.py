"""Department board: a department's open tickets across every project, overdue first; and the
improvement measures and corrective actions it still owes (``actions``) and the customer's requests
(``requests``), overdue first."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import phases as ph
from domain.loops import AWAITING_OWNER, LOOP_PHASES
from domain.ticket import OPEN_STATES
from domain.working_days import WorkingDays
from projections.reading import Reader
from projections.requests import owed_requests


def department_board(
    reader: Reader, department: str, today: date, limit: int | None = None, offset: int = 0
) -> dict[str, Any]:
    """Every open ticket and the owed measures and actions (the API's board), or with ``limit`` one page
    of the tickets only (the pages'): by due date, so the overdue come first on the first pages."""
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
    if limit is not None:  # (a page of tickets: the pages show the owed actions elsewhere)
        return {"department": department, "items": items}
    return {
        "department": department,
        "items": items,
        "actions": owed_actions(reader, department, today, calendar),
        "requests": owed_requests(reader, department, today, calendar),
    }


def owed_actions(reader: Reader, department: str, today: date, calendar: WorkingDays) -> list[dict[str, Any]]:
    """Open or reopened measures (projects in trial or live) and corrective actions (failed reviews
    of projects not cancelled) owned by ``department``; past their due date they are overdue."""
    phases = tuple(sorted(LOOP_PHASES))
    marks = ", ".join("?" for _ in phases)
    owed = []
    for project in reader.where("project", [(f"state IN ({marks})", phases)], "code, id"):
        for entry in project.trial.improvements if project.trial else []:
            owed.append(("improvement", project.id, None, entry, entry.measure))
    for review in reader.where("review", [("state = ?", ("failed",))], "id"):
        for entry in review.nonconformities:
            owed.append(("corrective_action", review.project_id, review.id, entry, entry.corrective_action))
    owed = [o for o in owed if o[3].owner_department == department and o[3].state in AWAITING_OWNER]
    codes = reader.project_codes({str(project_id) for _, project_id, *_ in owed})
    phases_now = reader.project_phases({str(project_id) for _, project_id, *_ in owed})
    actions = [
        {
            "kind": kind,
            "project_id": project_id,
            "project_code": codes.get(str(project_id)),
            "review_id": review_id,
            "n": entry.n,
            "title": title,
            "state": entry.state,
            "due": entry.due,
            "overdue": entry.due < today,
            "days_left": (entry.due - today).days,
            "working_days_left": calendar.working_days_left(today, entry.due),
        }
        for kind, project_id, review_id, entry, title in owed
        if phases_now.get(str(project_id)) != ph.CANCELLED
    ]
    actions.sort(key=lambda a: (not a["overdue"], a["due"], a["project_code"] or "", a["kind"], a["n"]))
    return actions
