"""Closing the loops: the owner department's lead records an improvement measure or a corrective
action done, the PM verifies it (``domain.loops``); and the gate every passing conclusion and
go-live decision waits for (``gates.corrective_actions_closed``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from domain import gates, rights
from domain.errors import InvalidTransition
from domain.evidence import referenced
from domain.phases import ENDED
from domain.project import Project
from domain.roles import DEPARTMENT_LEAD, Actor
from domain.trial_review import TrialReview
from domain.working_days import Deadline


class LoopCommands:
    def complete_improvement(
        self,
        actor: Actor,
        project_id: UUID,
        n: int,
        evidence: str,
        files: Sequence[str] = (),
        expected_version: int | None = None,
    ) -> Any:
        """The lead of the measure's owner department records it done, with evidence."""
        project = self.as_owner_lead(
            actor, "complete_improvement", project_id, lambda p: p.improvement(n).owner_department, expected_version
        )
        project.complete_improvement(actor, n, evidence, referenced(self.file_catalog, files))
        return self.commit(project, improvement=n, state=project.improvement(n).state)

    def verify_improvement(
        self,
        actor: Actor,
        project_id: UUID,
        n: int,
        effective: bool,
        comments: str,
        new_due: date | None = None,
        due_in_working_days: int | None = None,
        expected_version: int | None = None,
        recorded_on: date | None = None,
    ) -> Any:
        """The PM: effective → closed; not effective → reopened, due on ``new_due`` or in working days."""
        project = self.as_pm(actor, "verify_improvement", project_id, expected_version)
        due = self._new_due(new_due, due_in_working_days, recorded_on)
        project.verify_improvement(actor, n, effective, comments, due)
        entry = project.improvement(n)
        return self.commit(project, improvement=n, state=entry.state, due=entry.due)

    def complete_corrective_action(
        self,
        actor: Actor,
        review_id: UUID,
        n: int,
        evidence: str,
        files: Sequence[str] = (),
        expected_version: int | None = None,
    ) -> Any:
        """The lead of the action's owner department records it done, with evidence."""
        step = "complete_corrective_action"
        rights.require_role(actor, step, DEPARTMENT_LEAD)
        review = self.load_review(review_id, expected_version)
        self._project_open(step, review)
        review.require_step(step)
        rights.require_department_lead(actor, step, review.nonconformity(n).owner_department)
        review.complete_corrective_action(actor, n, evidence, referenced(self.file_catalog, files))
        return self.commit(review, nonconformity=n, state=review.nonconformity(n).state)

    def verify_corrective_action(
        self,
        actor: Actor,
        review_id: UUID,
        n: int,
        effective: bool,
        comments: str,
        new_due: date | None = None,
        due_in_working_days: int | None = None,
        expected_version: int | None = None,
        recorded_on: date | None = None,
    ) -> Any:
        """The PM: effective → closed; not effective → reopened, due on ``new_due`` or in working days."""
        review, _ = self._review_as(actor, "verify_corrective_action", review_id, expected_version)
        due = self._new_due(new_due, due_in_working_days, recorded_on)
        review.verify_corrective_action(actor, n, effective, comments, due)
        entry = review.nonconformity(n)
        return self.commit(review, nonconformity=n, state=entry.state, due=entry.due)

    def project_reviews(self, project: Project) -> list[TrialReview]:
        """The project's trial reviews, in the order held."""
        return [self.load_review(record.review_id) for record in project.reviews]

    def corrective_actions_closed(self, project: Project) -> gates.Gate:
        return gates.corrective_actions_closed(self.project_reviews(project))

    def _new_due(self, new_due: date | None, due_in_working_days: int | None, recorded_on: date | None) -> Any:
        """None when neither is given (the verification says whether one is needed)."""
        if new_due is None and due_in_working_days is None:
            return None
        due: date | Deadline = self._due(new_due, due_in_working_days, recorded_on)
        return due

    def _project_open(self, step: str, review: TrialReview) -> Project:
        project = self.load_project(review.project_id)
        if project.phase in ENDED:
            raise InvalidTransition(step, f"project {project.phase}", [])
        return project
