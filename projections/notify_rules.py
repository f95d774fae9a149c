"""Who is told of what: one line per rule (an event, or what the sweep finds due, and its recipients).

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

from domain.ending_records import HANDOVER
from domain.rectifications import NOTIFIED
from domain.roles import SALES, SERVICE_MANAGER


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
    Rule("rectification_notified", "Project.RectificationNotified", ("project_manager", "service_managers")),
    Rule("request_recorded", "Project.RequestRecorded", ("department_lead",)),
    Rule(
        "termination_noticed",
        "Project.TerminationNoticed",
        ("project_departments", "handover_departments", "handover_leads"),
    ),
)
DUE_SOON, OVERDUE = "ticket_due_soon", "ticket_overdue"
ASSESSMENT_OWNERS = ("project_manager", "service_managers", "sales")
DUE_RULES = {
    DUE_SOON: Rule(DUE_SOON, "", ("department_lead", "project_manager")),
    OVERDUE: Rule(OVERDUE, "", ("department_lead", "project_manager")),
    "assessment_failed": Rule("assessment_failed", "", ASSESSMENT_OWNERS),
    "assessment_missing": Rule("assessment_missing", "", ASSESSMENT_OWNERS),
    "rectification_due_soon": Rule("rectification_due_soon", "", ("rectification_owner",)),
    "rectification_overdue": Rule("rectification_overdue", "", ("rectification_owner",)),
    "request_due_soon": Rule("request_due_soon", "", ("department_lead", "project_manager")),
    "request_overdue": Rule("request_overdue", "", ("department_lead", "project_manager")),
}
"""Time-driven (the sweep): an open ticket, rectification or customer request whose due date is at most
``DUE_SOON_DAYS`` working days away, or past; a month assessed failed or missing (``notify_live.py``)."""
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


def with_role(role: str) -> Callable[[Lookup, dict[str, Any]], list[str]]:
    """Everyone active in ``role`` (service managers and sales are not appointed per project)."""

    def people(query: Lookup, context: dict[str, Any]) -> list[str]:
        rows = query("SELECT user_name FROM notify_people WHERE role = ? AND active = 1", (role,))
        return [f"person:{user}" for (user,) in sorted(rows)]

    return people


def rectification_owner(query: Lookup, context: dict[str, Any]) -> list[str]:
    """Whose step it is: the PM until the plan, the service managers until the completion."""
    if context.get("rectification_state") == NOTIFIED:
        return project_manager(query, context)
    return with_role(SERVICE_MANAGER)(query, context)


def handover_departments(query: Lookup, context: dict[str, Any]) -> list[str]:
    return [f"department:{department}" for department in sorted(set(HANDOVER.values()))]


def handover_leads(query: Lookup, context: dict[str, Any]) -> list[str]:
    return [
        lead
        for department in sorted(set(HANDOVER.values()))
        for lead in department_lead(query, {"department": department})
    ]


RECIPIENTS: dict[str, Callable[[Lookup, dict[str, Any]], list[str]]] = {
    "department_lead": department_lead,
    "project_manager": project_manager,
    "branch_head": branch_head,
    "project_departments": project_departments,
    "service_managers": with_role(SERVICE_MANAGER),
    "sales": with_role(SALES),
    "rectification_owner": rectification_owner,
    "handover_departments": handover_departments,
    "handover_leads": handover_leads,
}
