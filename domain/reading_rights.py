"""Who may read what (DOMAIN.md, 保密 / need to know): the one table every read asks, beside the
command rights of ``domain.rights``.

Each kind of information has one row saying who reads it: roles that read it on every project,
whether the project's appointed PM reads it (of their own projects only), and which department
leads read it (leads of named departments on every project, or each lead the items of their own
department). The API's reads and lists and the pages call ``require_read`` (refused: ``NotAllowed``,
403) or ``may_read`` (to leave an item out of a list, or a section off a page). Events that carry
figures are named in ``EVENT_KINDS``: a history shows them to a reader without the right with
their data left out (``may_read_event``).

A new read registers itself with one row in ``READERS`` (and its events in ``EVENT_KINDS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.errors import NotAllowed
from domain.roles import (
    AUDITOR,
    BRANCH_HEAD,
    DEPARTMENT_LEAD,
    OPERATIONS_DIRECTOR,
    PROJECT_MANAGER,
    SALES,
    SERVICE_MANAGER,
    SYSTEM_MAINTENANCE,
    Actor,
)


@dataclass(frozen=True)
class Readers:
    """One row of the table: who reads one kind of information."""

    roles: frozenset[str]
    """Roles that read it on every project."""
    appointed_pm: bool = False
    """The project's appointed PM reads it (a PM reads only their own projects' figures)."""
    any_pm: bool = False
    """Every PM reads it, on every project."""
    lead_departments: frozenset[str] = frozenset()
    """Leads of these departments read it on every project."""
    own_department: bool = False
    """A lead reads the items of their own department (and no other department's)."""


COMMERCIAL = Readers(frozenset({SALES, OPERATIONS_DIRECTOR, BRANCH_HEAD, AUDITOR}), appointed_pm=True)
"""Contract terms and amendments, volumes, settlements: sales, the appointed PM, the operations
director, the branch head, the auditor."""
OPERATIONAL = Readers(
    COMMERCIAL.roles | {SERVICE_MANAGER}, appointed_pm=True, lead_departments=frozenset({SYSTEM_MAINTENANCE})
)
"""KPI reports, assessments, outages, availability: the commercial readers, the service manager
and the system-maintenance lead."""
DEPARTMENTAL = Readers(COMMERCIAL.roles | {SERVICE_MANAGER}, any_pm=True, own_department=True)
"""Tickets, requests, handover items: every role but a department lead reads them all; a lead reads
their own department's."""

READERS: dict[str, Readers] = {
    "contract_terms": COMMERCIAL,
    "volumes": COMMERCIAL,
    "settlements": COMMERCIAL,
    "kpi_reports": OPERATIONAL,
    "assessments": OPERATIONAL,
    "outages": OPERATIONAL,
    "availability": OPERATIONAL,
    "tickets": DEPARTMENTAL,
    "requests": DEPARTMENTAL,
    "handover_items": DEPARTMENTAL,
}

EVENT_KINDS: dict[str, str] = {
    "ContractTermsRecorded": "contract_terms",
    "VolumesRecorded": "volumes",
    "KpiReportRecorded": "kpi_reports",
    "OutageRecorded": "outages",
    # a rectification notice names a failed or missing month: it tells the assessment
    "RectificationNotified": "assessments",
    "RectificationPlanned": "assessments",
    "RectificationCompleted": "assessments",
    "RectificationClosed": "assessments",
}
"""Events whose data is information of a kind above (by the event class's name)."""

WHAT = {
    "contract_terms": "contract terms",
    "volumes": "volumes",
    "settlements": "settlements",
    "kpi_reports": "KPI reports",
    "assessments": "assessments",
    "outages": "outages",
    "availability": "availability",
    "tickets": "tickets",
    "requests": "requests",
    "handover_items": "handover items",
}


def may_read(actor: Actor, kind: str, project: Any = None, department: str | None = None) -> bool:
    """Whether ``actor`` may read information of ``kind`` of ``project`` (anything with a
    ``project_manager``: the aggregate or its view row), of ``department`` for department-scoped kinds."""
    row = READERS[kind]
    if actor.role in row.roles:
        return True
    if actor.role == PROJECT_MANAGER:
        appointed = project is not None and getattr(project, "project_manager", None) == actor.user
        return row.any_pm or (row.appointed_pm and appointed)
    if actor.role == DEPARTMENT_LEAD:
        if actor.department in row.lead_departments:
            return True
        return row.own_department and department is not None and department == actor.department
    return False


def require_read(actor: Actor, kind: str, project: Any = None, department: str | None = None) -> None:
    """``may_read`` or ``NotAllowed`` (403), saying who may read it."""
    if may_read(actor, kind, project, department):
        return
    what = WHAT[kind]
    if actor.role == PROJECT_MANAGER and READERS[kind].appointed_pm:
        message = f"{actor.user} is not the appointed project manager of this project and may not read its {what}"
    elif actor.role == DEPARTMENT_LEAD and READERS[kind].own_department:
        message = f"a lead of {actor.department} reads only their own department's {what}, not those of {department}"
    else:
        message = f"a {actor.role} may not read {what} (need to know)"
    raise NotAllowed(message, step=f"read_{kind}", role=actor.role, readers=readers_of(kind))


def readers_of(kind: str) -> list[str]:
    """The row in words, for the refusal's details."""
    row = READERS[kind]
    named = sorted(row.roles)
    if row.appointed_pm:
        named.append("the appointed project_manager")
    if row.any_pm:
        named.append(PROJECT_MANAGER)
    named += [f"the {department} department_lead" for department in sorted(row.lead_departments)]
    if row.own_department:
        named.append("the department_lead of its department")
    return named


def departments_read(actor: Actor, kind: str) -> frozenset[str] | None:
    """The departments whose items of a department-scoped ``kind`` the actor reads, for a list to
    keep; None: every department's."""
    row = READERS[kind]
    if actor.role in row.roles or (actor.role == PROJECT_MANAGER and row.any_pm):
        return None
    if actor.role == DEPARTMENT_LEAD and actor.department in row.lead_departments:
        return None
    if actor.role == DEPARTMENT_LEAD and row.own_department and actor.department is not None:
        return frozenset({actor.department})
    return frozenset()


def may_read_event(actor: Actor, event: Any, project: Any = None) -> bool:
    """Whether a history may show this event's data to ``actor`` (events carrying no figures: yes)."""
    kind = EVENT_KINDS.get(type(event).__name__)
    return kind is None or may_read(actor, kind, project)
