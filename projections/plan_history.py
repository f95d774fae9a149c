"""Plan baselines for auditors, as the API shows them: the plan view at a time, and what changed between two times.

The reads as of a time are the application's (``domain/time_travel.py``); this module shapes them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain import plan as pl
from projections import plan

if TYPE_CHECKING:  # (the application service, named for readers; imported at run time by api/)
    from domain.application import Tracker

DATE_FIELDS = ("complete_by", "accept_by", "department", "title")


def plan_as_of(tracker: Tracker, project_id: UUID, when: datetime) -> dict[str, Any]:
    """The plan view as it was at ``when`` (``Tracker.project_at``, ``tickets_at``)."""
    project = tracker.project_at(project_id, when)
    return {**plan.shape(project, tracker.tickets_at(project, when)), "as_of": when}


def plan_compare(tracker: Tracker, project_id: UUID, since: datetime, until: datetime) -> dict[str, Any]:
    """Plans in force at ``since`` and at ``until``: requirements added, dropped, moved; staffing; milestones."""
    old = tracker.plan_in_force(project_id, since)
    new = tracker.plan_in_force(project_id, until)
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


def _staffing(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[dict[str, Any]]:
    def heads(content: dict[str, Any] | None) -> dict[str, int]:
        return {p["title"]: p["headcount"] for p in (content or {}).get("positions", [])}

    before, after = heads(old), heads(new)
    return [
        {"title": title, "old": before.get(title), "new": after.get(title)}
        for title in sorted(before.keys() | after.keys())
        if before.get(title) != after.get(title)
    ]
