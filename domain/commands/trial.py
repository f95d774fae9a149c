"""Trial operation and the trial review: both aggregates move together when a review concludes or decides."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from domain import rights
from domain.errors import InvalidInput, InvalidTransition
from domain.evidence import referenced
from domain.phases import ENDED
from domain.project import Project
from domain.roles import PROJECT_MANAGER, SALES, SERVICE_MANAGER, SYSTEM_MAINTENANCE, Actor
from domain.trial_review import DECISIONS, TrialReview
from domain.working_days import Deadline


def _deadline_answer(due: date | Deadline) -> dict[str, Any]:
    """A working-day deadline's due date and whether it is provisional, for the command's answer."""
    return {"due": due.due, "provisional": due.provisional} if isinstance(due, Deadline) else {}


class TrialCommands:
    def start_trial(
        self, actor: Actor, project_id: UUID, start: date, planned_end: date, expected_version: int | None = None
    ) -> Any:
        project = self.as_pm(actor, "start_trial", project_id, expected_version)
        project.start_trial(actor, start, planned_end, self.current_ticket_states(project))
        return self.commit(project, phase=project.phase)

    def record_process_audit(
        self,
        actor: Actor,
        project_id: UUID,
        held_on: date,
        findings: list[str],
        conforming: bool,
        expected_version: int | None = None,
    ) -> Any:
        rights.require_role(actor, "record_process_audit", SERVICE_MANAGER)
        project = self.load_project(project_id, expected_version)
        self.happened(held_on=held_on)
        project.record_process_audit(actor, held_on, findings, conforming)
        return self.commit(project)

    def relay_customer_feedback(
        self, actor: Actor, project_id: UUID, received_on: date, summary: str, expected_version: int | None = None
    ) -> Any:
        rights.require_role(actor, "relay_customer_feedback", SALES)
        project = self.load_project(project_id, expected_version)
        self.happened(received_on=received_on)
        project.relay_customer_feedback(actor, received_on, summary)
        return self.commit(project)

    def record_improvement(
        self,
        actor: Actor,
        project_id: UUID,
        problem: str,
        measure: str,
        owner_department: str,
        due: date | None = None,
        expected_version: int | None = None,
        due_in_working_days: int | None = None,
        recorded_on: date | None = None,
    ) -> Any:
        """Due on ``due``, or ``due_in_working_days`` working days after ``recorded_on`` (default: today)."""
        project = self.as_pm(actor, "record_improvement", project_id, expected_version)
        due = self._due(due, due_in_working_days, recorded_on)
        project.record_improvement(actor, problem, measure, owner_department, due)
        return self.commit(project, improvement=len(project.trial.improvements), **_deadline_answer(due))

    def file_equipment_report(
        self,
        actor: Actor,
        project_id: UUID,
        period_start: date,
        period_end: date,
        summary: str,
        files: Sequence[str] = (),
        expected_version: int | None = None,
    ) -> Any:
        rights.require_department_lead(actor, "file_equipment_report", SYSTEM_MAINTENANCE)
        project = self.load_project(project_id, expected_version)
        self.happened(period_end=period_end)
        project.file_equipment_report(actor, period_start, period_end, summary, referenced(self.file_catalog, files))
        return self.commit(project)

    def open_trial_review(
        self,
        actor: Actor,
        project_id: UUID,
        held_on: date,
        participants: list[str],
        expected_version: int | None = None,
    ) -> Any:
        project = self.as_pm(actor, "open_trial_review", project_id, expected_version)
        project.require_step("open_trial_review")
        self.happened(held_on=held_on)
        review = TrialReview.open(actor, project.id, held_on, participants)
        project.open_trial_review(actor, review.id, held_on)
        return self.commit(review, project, review_id=review.id, project_version=project.version)

    def assess_review_item(
        self,
        actor: Actor,
        review_id: UUID,
        item: str,
        met: bool,
        evidence: str,
        files: Sequence[str] = (),
        expected_version: int | None = None,
    ) -> Any:
        review, _ = self._review_as(actor, "assess_review_item", review_id, expected_version)
        review.assess_item(actor, item, met, evidence, referenced(self.file_catalog, files))
        return self.commit(review)

    def conclude_review(self, actor: Actor, review_id: UUID, summary: str, expected_version: int | None = None) -> Any:
        review, project = self._review_as(actor, "conclude_review", review_id, expected_version)
        outcome = review.conclude(actor, summary, self.corrective_actions_closed(project))
        project.conclude_trial_review(actor, review.id, outcome)
        return self.commit(review, project, outcome=outcome, phase=project.phase)

    def decide_after_review(
        self,
        actor: Actor,
        review_id: UUID,
        decision: str,
        go_live_on: date | None = None,
        extend_until: date | None = None,
        expected_version: int | None = None,
    ) -> Any:
        """The branch head (or the PM) decides go-live or a trial extension after a passed review."""
        rights.require_role(actor, "decide_after_review", PROJECT_MANAGER, "branch_head")
        review = self.load_review(review_id, expected_version)
        project = self.load_project(review.project_id)
        rights.require_pm_or_branch_head(actor, "decide_after_review", project)
        on = go_live_on if decision == "go_live" else extend_until
        other = extend_until if decision == "go_live" else go_live_on
        if other is not None and decision in DECISIONS:
            raise InvalidInput({"extend_until" if decision == "go_live" else "go_live_on": f"not used for {decision}"})
        review.decide(actor, decision, on)
        project.decide_after_review(actor, review.id, decision, on, self.corrective_actions_closed(project))
        return self.commit(review, project, decision=decision, phase=project.phase)

    def record_nonconformity(
        self,
        actor: Actor,
        review_id: UUID,
        description: str,
        corrective_action: str,
        owner_department: str,
        due: date | None = None,
        expected_version: int | None = None,
        due_in_working_days: int | None = None,
        recorded_on: date | None = None,
    ) -> Any:
        """Due on ``due``, or ``due_in_working_days`` working days after ``recorded_on`` (default: today)."""
        review, _ = self._review_as(actor, "record_nonconformity", review_id, expected_version)
        due = self._due(due, due_in_working_days, recorded_on)
        n = review.record_nonconformity(actor, description, corrective_action, owner_department, due)
        return self.commit(review, nonconformity=n, **_deadline_answer(due))

    def _due(self, due: date | None, due_in_working_days: int | None, recorded_on: date | None) -> date | Deadline:
        """``due``, or the working-day deadline from ``recorded_on`` (default: today in Shanghai)."""
        today = recorded_on or self.today()
        return self.working_days_from(today).due_date(due, due_in_working_days, today)

    def _review_as(
        self, actor: Actor, step: str, review_id: UUID, expected_version: int | None
    ) -> tuple[TrialReview, Project]:
        rights.require_role(actor, step, PROJECT_MANAGER)
        review = self.load_review(review_id, expected_version)
        project = self.load_project(review.project_id)
        rights.require_appointed_pm(actor, step, project)
        if project.phase in ENDED:
            raise InvalidTransition(step, f"project {project.phase}", [])
        return review, project
