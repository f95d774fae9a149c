"""Plan view (項目計劃書): every version with its reviews, the plan in force with each
requirement's ticket, requirements dropped by revisions, milestones planned vs actual."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain import plan as pl
from domain.project import Project
from domain.state import to_plain
from projections.reading import Reader

MILESTONE_ACTUALS = ("trial_start", "trial_review", "go_live")


def plan_view(reader: Reader, project_id: UUID) -> dict[str, Any]:
    project = reader.one("project", project_id)
    tickets = {str(t.id): t for t in reader.where("ticket", [("project_id = ?", (str(project_id),))])}
    return shape(project, tickets)


def shape(project: Project, tickets: dict[str, Any]) -> dict[str, Any]:
    """The plan view of a project and its tickets (ticket id → ticket), however they were loaded."""
    current = project.current_plan
    requirements = []
    for req in (current or {}).get("requirements", []):
        entry = project.active_ticket(req["ref"])
        ticket = tickets.get(str(entry.id)) if entry else None
        requirements.append({**req, "ticket": {"id": ticket.id, "state": ticket.state} if ticket else None})
    return {
        "project_id": project.id,
        "version": project.version,
        "versions": [
            {
                "plan_version": p.plan_version,
                "status": p.status,
                "reviews": to_plain(p.reviews),
                "requirement_refs": [r["ref"] for r in p.content["requirements"]],
            }
            for p in project.plans
        ],
        "current": None
        if current is None
        else {**current, "plan_version": project.current_plan_version, "requirements": requirements},
        "dropped": dropped(project),
        "milestones": milestones(project),
    }


def dropped(project: Project) -> list[str]:
    """Requirements of an earlier approved version that the plan in force no longer has."""
    in_force = set(pl.requirements_by_ref(project.current_plan))
    earlier = {
        ref
        for p in project.plans
        if p.status in (pl.APPROVED, pl.SUPERSEDED)
        for ref in pl.requirements_by_ref(p.content)
    }
    return sorted(earlier - in_force)


def milestones(project: Project) -> list[dict[str, Any]]:
    plan = project.current_plan or {}
    held = [r.held_on for r in project.reviews]
    actual = {
        "trial_start": project.trial.start if project.trial else None,
        "trial_review": held[0] if held else None,
        "go_live": project.went_live_on,
    }
    return [{"name": name, "planned": plan.get(name), "actual": actual[name]} for name in MILESTONE_ACTUALS]
