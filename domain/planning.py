"""Project planning: plan drafts, review, revision and the tickets issued from the plan.

Every version is kept in ``plans``; ``current_plan_version`` is the one in force
(the last approved). A revision re-opens planning (while live, without leaving the phase:
``domain.revision_in_place``); on approval the application cancels the tickets of dropped
requirements and revises those of changed ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from domain import gates
from domain import phases as ph
from domain import plan as pl
from domain import revision_in_place as in_place
from domain.errors import InvalidInput, InvalidTransition, RuleViolated
from domain.project_records import PlanReview, PlanRevision, PlanVersion
from domain.roles import DEPARTMENTS, Actor
from domain.tracked import TrackedAggregate, own

if TYPE_CHECKING:
    from domain.project import Project

REVISION_TRIGGERS = ("customer_change", "force_majeure")


class PlanningSteps:
    PLANNING_STEPS = {
        "draft_plan": frozenset({ph.PLANNING}) | ph.REVISED_IN_PLACE,
        "submit_plan": frozenset({ph.PLANNING}) | ph.REVISED_IN_PLACE,
        "review_plan": frozenset({ph.PLAN_REVIEW}) | ph.REVISED_IN_PLACE,
        "revise_plan": ph.PLAN_CARRIED_OUT,
    }

    def allowed_steps(self) -> list[str]:
        return [step for step in super().allowed_steps() if in_place.step_open(self, step)]

    def require_step(self, step: str) -> None:
        super().require_step(step)
        if not in_place.step_open(self, step):
            raise InvalidTransition(step, self.current, self.allowed_steps())

    def init_planning(self) -> None:
        self.plans: list[PlanVersion] = []
        self.current_plan_version: int | None = None
        self.revision: PlanRevision | None = None

    @property
    def current_plan(self) -> dict[str, Any] | None:
        if self.current_plan_version is None:
            return None
        return self.plans[self.current_plan_version - 1].content

    @property
    def latest_plan(self) -> PlanVersion | None:
        return self.plans[-1] if self.plans else None

    class PlanDrafted(TrackedAggregate.Event):
        plan_version: int
        content: dict[str, Any]

        def apply(self, project: Project) -> None:
            latest = project.latest_plan
            if latest is not None and latest.plan_version == self.plan_version:
                latest.content = own(self.content)
            else:
                project.plans.append(
                    PlanVersion(plan_version=self.plan_version, status=pl.DRAFT, content=own(self.content))
                )

    def draft_plan(self, actor: Actor, content: Mapping[str, Any]) -> int:
        """Write or rewrite the draft; a new version unless a draft is open."""
        self.require_step("draft_plan")
        clean = pl.normalise(content)
        live = in_place.in_place(self)
        if live:
            in_place.keep_milestones(self.current_plan, clean)
        gates.require(gates.plan_dates_ordered(clean, live=live))
        latest = self.latest_plan
        version = latest.plan_version if latest and latest.status == pl.DRAFT else len(self.plans) + 1
        self.record(self.PlanDrafted, actor, plan_version=version, content=clean)
        return version

    class PlanSubmitted(TrackedAggregate.Event):
        plan_version: int

        def apply(self, project: Project) -> None:
            project.latest_plan.status = pl.SUBMITTED
            project.phase = in_place.phase_after(project, ph.PLAN_REVIEW)

    def submit_plan(self, actor: Actor) -> None:
        self.require_step("submit_plan")
        latest = self.latest_plan
        if latest is None or latest.status != pl.DRAFT:
            raise RuleViolated("draft_required", "there is no plan draft to submit; write one first")
        self.record(self.PlanSubmitted, actor, plan_version=latest.plan_version)

    class PlanRejected(TrackedAggregate.Event):
        plan_version: int
        participants: list[str]
        comments: str

        def apply(self, project: Project) -> None:
            latest = project.latest_plan
            latest.status = pl.REJECTED
            latest.reviews.append(_review_record(self, "rejected"))
            project.phase = in_place.phase_after(project, ph.PLANNING)

    class PlanApproved(TrackedAggregate.Event):
        plan_version: int
        participants: list[str]
        comments: str
        added: list[str]
        dropped: list[str]
        changed: list[str]

        def apply(self, project: Project) -> None:
            if project.current_plan_version is not None:
                project.plans[project.current_plan_version - 1].status = pl.SUPERSEDED
            latest = project.latest_plan
            latest.status = pl.APPROVED
            latest.reviews.append(_review_record(self, "approved"))
            project.current_plan_version = self.plan_version
            project.revision = None
            requirements = pl.requirements_by_ref(latest.content)
            for ticket in project.tickets:
                if ticket.active and ticket.requirement_ref in requirements:
                    ticket.department = requirements[ticket.requirement_ref]["department"]
            project.phase = in_place.phase_after(project, ph.IMPLEMENTATION)

    def review_plan(self, actor: Actor, participants: list[str], outcome: str, comments: str) -> dict[str, list[str]]:
        """Record the plan review; on approval return what the new version changes."""
        self.require_step("review_plan")
        bad = {}
        if not participants or any(p not in DEPARTMENTS for p in participants):
            bad["participants"] = f"one or more departments: {', '.join(DEPARTMENTS)}"
        if outcome not in ("approved", "rejected"):
            bad["outcome"] = "approved or rejected"
        elif outcome == "rejected" and not comments.strip():
            bad["comments"] = "say why the plan is rejected"
        if bad:
            raise InvalidInput(bad)
        version = self.latest_plan.plan_version
        if outcome == "rejected":
            self.record(
                self.PlanRejected, actor, plan_version=version, participants=list(participants), comments=comments
            )
            return {"added": [], "dropped": [], "changed": []}
        changes = pl.compare(self.current_plan, self.latest_plan.content)
        self.record(
            self.PlanApproved,
            actor,
            plan_version=version,
            participants=list(participants),
            comments=comments,
            **changes,
        )
        return changes

    class PlanRevisionStarted(TrackedAggregate.Event):
        trigger: str
        reason: str

        def apply(self, project: Project) -> None:
            project.revision = PlanRevision(
                trigger=self.trigger, reason=self.reason, at_version=self.originator_version
            )
            project.phase = in_place.phase_after(project, ph.PLANNING)

    def revise_plan(self, actor: Actor, trigger: str, reason: str) -> None:
        self.require_step("revise_plan")
        bad = {}
        if trigger not in REVISION_TRIGGERS:
            bad["trigger"] = f"one of {', '.join(REVISION_TRIGGERS)}"
        if not reason.strip():
            bad["reason"] = "say why the plan must change"
        if bad:
            raise InvalidInput(bad)
        if trigger == "customer_change" and not self._accepted_change_since_approval():
            raise RuleViolated(
                "requirement_change_required",
                "a customer-change revision needs an accepted requirement change recorded since the plan was approved",
            )
        self.record(self.PlanRevisionStarted, actor, trigger=trigger, reason=reason)

    def _accepted_change_since_approval(self) -> bool:
        approved_at = max((r.at_version for p in self.plans for r in p.reviews if r.outcome == "approved"), default=0)
        return any(c.review_outcome == "accepted" and c.at_version > approved_at for c in self.requirement_changes)


def _review_record(event: PlanningSteps.PlanRejected | PlanningSteps.PlanApproved, outcome: str) -> PlanReview:
    return PlanReview(
        outcome=outcome,
        participants=own(event.participants),
        comments=event.comments,
        reviewed_by=event.actor,
        reviewed_at=event.timestamp,
        at_version=event.originator_version,
    )
