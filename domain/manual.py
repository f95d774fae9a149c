"""The operations manual (運營手冊): drafts by the service manager, reviewed by the PM.

Every revision and its review are kept. Before the trial the manual counts as approved only
while its latest revision is approved (the trial-start gate). Once the trial has started the
manual is revised as the service runs: the manual in force is the last approved revision, and a
revision under review or rejected does not take it away (``gates.manual_approved``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import phases as ph
from domain.errors import InvalidInput, RuleViolated
from domain.project_records import ManualReview, ManualRevision, ManualState
from domain.roles import Actor
from domain.tracked import TrackedAggregate

if TYPE_CHECKING:
    from domain.project import Project

MANUAL_PHASES = ph.MANUAL_WRITING
"""Where a missing or rejected manual holds the project up (the service manager's work list)."""


class ManualSteps:
    MANUAL_STEPS = {
        "submit_manual": ph.MANUAL_DRAFTS,
        "review_manual": ph.MANUAL_DRAFTS,
    }

    def init_manual(self) -> None:
        self.manual = ManualState()

    class ManualSubmitted(TrackedAggregate.Event):
        revision: int
        document_reference: str
        revision_note: str

        def apply(self, project: Project) -> None:
            project.manual.status = "submitted"
            project.manual.revisions.append(
                ManualRevision(
                    revision=self.revision,
                    document_reference=self.document_reference,
                    revision_note=self.revision_note,
                    submitted_by=self.actor,
                    submitted_at=self.timestamp,
                )
            )

    def submit_manual(self, actor: Actor, document_reference: str, revision_note: str) -> int:
        self.require_step("submit_manual")
        if not document_reference.strip():
            raise InvalidInput({"document_reference": "the manual document's reference is required"})
        if self.current_plan is None:
            raise RuleViolated("plan_approved", "the manual is written to an approved plan; none is approved yet")
        if self.manual.status == "submitted":
            raise RuleViolated("manual_awaiting_review", "the previous draft still awaits the PM's review")
        revision = len(self.manual.revisions) + 1
        self.record(
            self.ManualSubmitted,
            actor,
            revision=revision,
            document_reference=document_reference,
            revision_note=revision_note,
        )
        return revision

    class ManualApproved(TrackedAggregate.Event):
        revision: int
        comments: str

        def apply(self, project: Project) -> None:
            _close_review(project, self, "approved")

    class ManualRejected(TrackedAggregate.Event):
        revision: int
        comments: str

        def apply(self, project: Project) -> None:
            _close_review(project, self, "rejected")

    def review_manual(self, actor: Actor, outcome: str, comments: str) -> None:
        self.require_step("review_manual")
        if outcome not in ("approved", "rejected"):
            raise InvalidInput({"outcome": "approved or rejected"})
        if outcome == "rejected" and not comments.strip():
            raise InvalidInput({"comments": "say why the manual is rejected"})
        if self.manual.status != "submitted":
            raise RuleViolated("manual_submitted", "no manual draft awaits review")
        event = self.ManualApproved if outcome == "approved" else self.ManualRejected
        self.record(event, actor, revision=len(self.manual.revisions), comments=comments)


def _close_review(
    project: Project, event: ManualSteps.ManualApproved | ManualSteps.ManualRejected, outcome: str
) -> None:
    project.manual.status = outcome
    project.manual.revisions[-1].review = ManualReview(
        outcome=outcome, comments=event.comments, reviewed_by=event.actor, reviewed_at=event.timestamp
    )
