"""Acceptance view (驗收): how far the project's tickets are, which are late, which
alternatives wait for the PM or the branch head."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any
from uuid import UUID

from domain.alternatives import ESCALATED, PROPOSED, UNDER_REVIEW
from domain.ticket import RequirementTicket
from domain.working_days import WorkingDays
from projections.reading import Reader

WAITING_FOR = {PROPOSED: "project_manager", UNDER_REVIEW: "project_manager", ESCALATED: "branch_head"}


def acceptance_view(reader: Reader, project_id: UUID, today: date) -> dict[str, Any]:
    project = reader.one("project", project_id)
    active_ids = {str(t.id) for t in project.tickets if t.active}
    every = reader.where("ticket", [("project_id = ?", (str(project_id),))], "code")
    tickets = [t for t in every if str(t.id) in active_ids]
    counted = [t for t in tickets if t.state != "cancelled"]
    calendar = reader.working_days() if any(t.overdue(today) for t in tickets) else WorkingDays()
    accepted = sum(1 for t in counted if t.state == "accepted")
    by_department: dict[str, Counter] = defaultdict(Counter)
    for ticket in tickets:
        by_department[ticket.department][ticket.state] += 1
    return {
        "project_id": project.id,
        "tickets": len(tickets),
        "percent_accepted": round(100 * accepted / len(counted), 1) if counted else 0.0,
        "by_state": dict(Counter(t.state for t in every)),  # those a revision cancelled too
        "by_department": {dept: dict(states) for dept, states in sorted(by_department.items())},
        "overdue": [overdue_entry(t, today, calendar) for t in tickets if t.overdue(today)],
        "awaiting_decision": [waiting(t) for t in tickets if t.state in WAITING_FOR],
    }


def overdue_entry(ticket: RequirementTicket, today: date, calendar: WorkingDays) -> dict[str, Any]:
    return {
        "ticket_id": ticket.id,
        "requirement_ref": ticket.requirement_ref,
        "department": ticket.department,
        "state": ticket.state,
        "due": ticket.due,
        "days_overdue": (today - ticket.due).days,
        "working_days_left": calendar.working_days_left(today, ticket.due),
    }


def waiting(ticket: RequirementTicket) -> dict[str, Any]:
    alternative = ticket.alternatives[-1]
    return {
        "ticket_id": ticket.id,
        "requirement_ref": ticket.requirement_ref,
        "department": ticket.department,
        "alternative": alternative.n,
        "description": alternative.description,
        "meets_requirements": alternative.meets_requirements,
        "waiting_for": WAITING_FOR[ticket.state],
        "since": alternative.proposed_at,
    }
