"""Who is told of what: one line per rule (an event, or a ticket's due date, and its recipients).

A rule is ``Rule(message, event, recipients)``: ``event`` is the event's qualified class name
(``Aggregate.Event``), ``message`` names its words in ``web/notices.py`` (subject and text, in
the catalogs), ``recipients`` are names from ``RECIPIENTS`` (a function of the tracked people,
projects and tickets). A new rule is one line here and one entry in ``web/notices.py``; a new
kind of recipient is one function in ``RECIPIENTS``.

Recipients are addresses: ``person:<user>`` or ``department:<code>``. People come from the
accounts (``UserAccess``: role, department, language), projects' PMs from their appointment,
a project's departments are those its tickets were issued to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rule:
    message: str
    event: str
    recipients: tuple[str, ...]


RULES = (
    Rule("ticket_issued", "RequirementTicket.Issued", ("department_lead",)),
    Rule("alternative_escalated", "RequirementTicket.AlternativeEscalated", ("branch_head",)),
    Rule("alternative_awaiting_pm", "RequirementTicket.AlternativeProposed", ("project_manager",)),
    Rule("review_concluded", "Project.TrialReviewConcluded", ("project_departments",)),
    Rule("went_live", "Project.WentLive", ("project_departments",)),
)
DUE_SOON, OVERDUE = "ticket_due_soon", "ticket_overdue"
DUE_RULES = {
    DUE_SOON: Rule(DUE_SOON, "", ("department_lead", "project_manager")),
    OVERDUE: Rule(OVERDUE, "", ("department_lead", "project_manager")),
}
"""Time-driven: an open ticket whose due date is at most ``DUE_SOON_DAYS`` working days away, or past."""
DUE_SOON_DAYS = 2
BY_EVENT = {rule.event: rule for rule in RULES}

Lookup = Callable[[str, tuple[Any, ...]], list[tuple]]
"""A query on the tracked tables (``?`` placeholders) answering rows."""


def department_lead(query: Lookup, context: dict[str, Any]) -> list[str]:
    rows = query(
        "SELECT user_name FROM notify_people WHERE role = 'department_lead' AND department = ? AND active = 1",
        (context.get("department"),),
    )
    return [f"person:{user}" for (user,) in sorted(rows)]


def project_manager(query: Lookup, context: dict[str, Any]) -> list[str]:
    return [f"person:{context['project_manager']}"] if context.get("project_manager") else []


def branch_head(query: Lookup, context: dict[str, Any]) -> list[str]:
    rows = query("SELECT user_name FROM notify_people WHERE role = 'branch_head' AND active = 1", ())
    return [f"person:{user}" for (user,) in sorted(rows)]


def project_departments(query: Lookup, context: dict[str, Any]) -> list[str]:
    rows = query("SELECT DISTINCT department FROM notify_tickets WHERE project_id = ?", (context.get("project_id"),))
    return [f"department:{department}" for (department,) in sorted(rows)]


RECIPIENTS: dict[str, Callable[[Lookup, dict[str, Any]], list[str]]] = {
    "department_lead": department_lead,
    "project_manager": project_manager,
    "branch_head": branch_head,
    "project_departments": project_departments,
}
