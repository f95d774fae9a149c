"""A plan revision while live (DOMAIN.md "Requirement change while live").

Before go-live a revision moves the project through planning → plan_review → implementation.
While live it runs without leaving the phase, so which of its steps is open follows the revision
itself, as those phases would say: no revision open → start one, issue the tickets of the plan in
force; a revision open → draft, submit; a version submitted → review it.

The trial and go-live dates are history by then: a draft keeps the plan in force's milestones as
they are (the PM sends them unchanged; the plan page fills them in), and its requirements need
only completion ≤ acceptance (``gates.plan_dates_ordered(..., live=True)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from domain import phases as ph
from domain import plan as pl
from domain.errors import InvalidInput

if TYPE_CHECKING:
    from domain.project import Project

IN_FORCE = "in_force"
DRAFTING = "drafting"
UNDER_REVIEW = "under_review"
STAGE_OF_STEP = {
    "revise_plan": IN_FORCE,
    "issue_tickets": IN_FORCE,
    "draft_plan": DRAFTING,
    "submit_plan": DRAFTING,
    "review_plan": UNDER_REVIEW,
}


def in_place(project: Project) -> bool:
    return project.phase in ph.REVISED_IN_PLACE


def stage(project: Project) -> str:
    if project.revision is None:
        return IN_FORCE
    latest = project.latest_plan
    return UNDER_REVIEW if latest is not None and latest.status == pl.SUBMITTED else DRAFTING


def step_open(project: Project, step: str) -> bool:
    """Whether the revision's own stage allows ``step`` (always, outside the phases it runs in place)."""
    if not in_place(project) or step not in STAGE_OF_STEP:
        return True
    return stage(project) == STAGE_OF_STEP[step]


def phase_after(project: Project, phase: str) -> str:
    """The phase a planning event moves the project to: none, where the revision runs in place."""
    return project.phase if in_place(project) else phase


def keep_milestones(in_force: Mapping[str, Any], draft: Mapping[str, Any]) -> None:
    """Refuse a live project's draft that moves the trial or go-live dates (history by now)."""
    moved = {
        field: f"the project is live: this date is history; keep {in_force[field].isoformat()}"
        for field in pl.MILESTONES
        if draft[field] != in_force[field]
    }
    if moved:
        raise InvalidInput(moved)
