"""What tickets wait for the signed-in person (我的工作): a lead's tickets at risk (an alternative is
theirs to propose), the PM's alternatives to confirm or review and submissions to accept (the
branch head's escalations are ``web.home.escalations``). Read from the same views as the API's lists."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext

from domain.alternatives import PROPOSED, UNDER_REVIEW
from domain.roles import DEPARTMENT_LEAD, PROJECT_MANAGER, Actor
from domain.ticket import AT_RISK, SUBMITTED
from projections.reading import Reader

LIMIT = 50
HEADINGS = {
    "at_risk": lazy_gettext("Tickets at risk: an alternative plan is awaited from you"),
    "alternatives": lazy_gettext("Alternatives awaiting you"),
    "submitted": lazy_gettext("Tickets submitted for acceptance"),
}


def tickets(reader: Reader, states: tuple[str, ...], department: str | None = None, projects=None) -> list[Any]:
    clauses = [(f"state IN ({', '.join('?' for _ in states)})", states)]
    if department is not None:
        clauses.append(("department = ?", (department,)))
    if projects is not None:
        if not projects:
            return []
        clauses.append((f"project_id IN ({', '.join('?' for _ in projects)})", tuple(projects)))
    found = reader.where("ticket", clauses, "due, code")[:LIMIT]
    codes = reader.project_codes({str(t.project_id) for t in found})
    return [{"ticket": t, "project_code": codes.get(str(t.project_id))} for t in found]


def waiting_for(reader: Reader, actor: Actor) -> list[tuple[Any, list[Any]]]:
    """(heading, rows) for each kind of ticket waiting for ``actor``; empty for other roles."""
    if actor.role == DEPARTMENT_LEAD:
        return [(HEADINGS["at_risk"], tickets(reader, (AT_RISK,), department=actor.department))]
    if actor.role == PROJECT_MANAGER:
        mine = reader.ids("project", [("project_manager = ?", (actor.user,))])
        return [
            (HEADINGS["alternatives"], tickets(reader, (PROPOSED, UNDER_REVIEW), projects=mine)),
            (HEADINGS["submitted"], tickets(reader, (SUBMITTED,), projects=mine)),
        ]
    return []
