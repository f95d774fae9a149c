"""Plan baselines for auditors: the plan view as it was at a time, and what changed between two times.

Read from the event store itself (the time index written with the events), not from the
view tables, so a baseline is exact whatever the views' lag.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain import plan as pl
from domain.errors import NotFound, NotYetCreated
from projections import plan

DATE_FIELDS = ("complete_by", "accept_by", "department", "title")


def project_at(tracker: Any, project_id: UUID, when: datetime) -> Any:
    return tracker.project_as_it_was(project_id, tracker.version_at(project_id, when, "project"))


def plan_as_of(tracker: Any, project_id: UUID, when: datetime) -> dict[str, Any]:
    project = project_at(tracker, project_id, when)
    tickets = {}
    for entry in project.tickets:
        try:
            tickets[str(entry.id)] = tracker.ticket_as_it_was(entry.id, tracker.version_at(entry.id, when))
        except NotFound:
            continue
    return {**plan.shape(project, tickets), "as_of": when}


def plan_compare(tracker: Any, project_id: UUID, since: datetime, until: datetime) -> dict[str, Any]:
    """Plans in force at ``since`` and at ``until``: requirements added, dropped, moved; staffing; milestones."""
    old = _in_force(tracker, project_id, since)
    new = _in_force(tracker, project_id, until)
    before, after = pl.requirements_by_ref(old), pl.requirements_by_ref(new)
    moved = [
        {"ref": ref, "field": field, "old": before[ref][field], "new": after[ref][field]}
        for ref in sorted(before.keys() & after.keys())
        for field in DATE_FIELDS
        if before[ref][field] != after[ref][field]
    ]
    return {
        "project_id": project_id,
        "since": since,
        "until": until,
        "from_plan_version": old.get("plan_version") if old else None,
        "to_plan_version": new.get("plan_version") if new else None,
        "added": sorted(after.keys() - before.keys()),
        "dropped": sorted(before.keys() - after.keys()),
        "moved": moved,
        "staffing": _staffing(old, new),
        "milestones": [
            {"name": name, "old": (old or {}).get(name), "new": (new or {}).get(name)}
            for name in pl.MILESTONES
            if (old or {}).get(name) != (new or {}).get(name)
        ],
    }


def _in_force(tracker: Any, project_id: UUID, when: datetime) -> dict[str, Any] | None:
    try:
        project = project_at(tracker, project_id, when)
    except NotYetCreated:
        return None
    if project.current_plan is None:
        return None
    return {**project.current_plan, "plan_version": project.current_plan_version}


def _staffing(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[dict[str, Any]]:
    def heads(content: dict[str, Any] | None) -> dict[str, int]:
        return {p["title"]: p["headcount"] for p in (content or {}).get("positions", [])}

    before, after = heads(old), heads(new)
    return [
        {"title": title, "old": before.get(title), "new": after.get(title)}
        for title in sorted(before.keys() | after.keys())
        if before.get(title) != after.get(title)
    ]
