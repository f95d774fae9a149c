"""The running service's time-driven notices, read from a project as the sweep finds it today.

A month's assessment is computed, not an event (a KPI report recorded makes it ``failed``; the
passing of the 5th working day makes it ``missing``), so the sweep judges the project's recent
months and yields one cause per project, month and outcome; open rectifications and customer
requests yield one cause per entry, due date and stage (a rectification also per owner: the PM
until planned, the service managers until completed). The delivery id derives from the cause, so
each is told once whatever the number of sweeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from domain import phases as ph
from domain.assessments import FAILED, MISSING, assess
from domain.contract import month_of
from domain.project import Project
from domain.rectifications import AWAITING_COMPLETION
from domain.request_records import OPEN
from domain.working_days import WorkingDays
from projections.contract import recorded_terms
from projections.notify_rules import DUE_SOON_DAYS

ASSESSED_MONTHS = 3
"""How many months back (the current one included) a failed or missing month is told: a delivery
process started on an old log does not tell a year of history, a report recorded late still counts."""
Cause = tuple[str, str, dict[str, Any]]
"""(rule, cause, facts for the message and the recipients)."""


def stage_of(kind: str, due: date, today: date, calendar: WorkingDays) -> str | None:
    """``<kind>_overdue`` past ``due``; ``<kind>_due_soon`` at most ``DUE_SOON_DAYS`` working days before."""
    if due < today:
        return f"{kind}_overdue"
    left = calendar.working_days_left(today, due)
    left = (due - today).days if left is None else left
    return f"{kind}_due_soon" if left <= DUE_SOON_DAYS else None


def live_causes(project: Project, today: date, calendar: WorkingDays) -> Iterator[Cause]:
    """What is due to be told about ``project`` as of ``today``."""
    project_id = str(project.id)
    if project.phase in ph.RUNNING:
        yield from _assessments(project, project_id, today, calendar)
        for entry in project.rectifications:
            if entry["state"] not in AWAITING_COMPLETION:
                continue
            rule = stage_of("rectification", entry["due"], today, calendar)
            if rule is not None:
                facts = {"n": entry["n"], "month": entry["month"], "due": entry["due"].isoformat()}
                facts["rectification_state"] = entry["state"]
                yield rule, f"{rule}:{project_id}:{entry['n']}:{entry['due']}:{entry['state']}", facts
    if project.phase in ph.RUNNING | ph.IN_TRIAL:
        for request in project.requests:
            rule = stage_of("request", request.due, today, calendar) if request.state == OPEN else None
            if rule is not None:
                facts = {"n": request.n, "kind": request.kind, "department": request.owner_department}
                yield rule, f"{rule}:{project_id}:{request.n}:{request.due}", {**facts, "due": request.due.isoformat()}


def _assessments(project: Project, project_id: str, today: date, calendar: WorkingDays) -> Iterator[Cause]:
    recent = {
        month_of(date(today.year - (today.month <= k), (today.month - k - 1) % 12 + 1, 1))
        for k in range(ASSESSED_MONTHS)
    }
    judged = assess(project.went_live_on, recorded_terms(project), project.kpi_reports, today, calendar)
    for item in judged["items"]:
        if item["outcome"] in (FAILED, MISSING) and item["month"] in recent:
            rule = f"assessment_{item['outcome']}"
            facts = {"month": item["month"], "outcome": item["outcome"], "report_due": item["report_due"].isoformat()}
            yield rule, f"assessment:{project_id}:{item['month']}:{item['outcome']}", facts
