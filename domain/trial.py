"""Trial operation (試運營) on the project: start, records kept during it, and review outcomes.

The review itself is the TrialReview aggregate; the project records that a review
was opened, how it concluded and what was decided, because those move its phase.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain import gates
from domain import phases as ph
from domain.errors import InvalidInput, RuleViolated
from domain.evidence import files_field
from domain.recounts import counted_entry
from domain.roles import DEPARTMENTS, Actor
from domain.tracked import TrackedAggregate, own
from domain.trial_records import (
    CustomerFeedback,
    EquipmentReport,
    Improvement,
    ProcessAudit,
    ReviewDecision,
    ReviewRecord,
    TrialState,
)
from domain.working_days import Deadline, deadline_fields

if TYPE_CHECKING:
    from domain.project import Project


class TrialSteps:
    TRIAL_STEPS = {
        "start_trial": frozenset({ph.IMPLEMENTATION}),
        "record_process_audit": ph.SERVICE_RUNNING,
        "relay_customer_feedback": ph.SERVICE_RUNNING,
        "record_improvement": ph.SERVICE_RUNNING,
        "file_equipment_report": ph.IN_TRIAL,
        "open_trial_review": frozenset({ph.TRIAL_OPERATION}),
        "conclude_trial_review": frozenset({ph.TRIAL_REVIEW}),
        "decide_after_review": frozenset({ph.TRIAL_REVIEW}),
    }

    def init_trial(self) -> None:
        self.trial: TrialState | None = None
        self.reviews: list[ReviewRecord] = []
        self.went_live_on: date | None = None

    def readiness_for_trial(self, ticket_states: Mapping[str, str]) -> list[gates.Gate]:
        return [
            gates.plan_approved(self),
            gates.tickets_accepted(self, ticket_states),
            gates.manual_approved(self),
        ]

    class TrialStarted(TrackedAggregate.Event):
        start: date
        planned_end: date

        def apply(self, project: Project) -> None:
            project.trial = TrialState(start=self.start, planned_end=self.planned_end)
            project.phase = ph.TRIAL_OPERATION

    def start_trial(self, actor: Actor, start: date, planned_end: date, ticket_states: Mapping[str, str]) -> None:
        self.require_step("start_trial")
        if planned_end < start:
            raise InvalidInput({"planned_end": "the trial cannot end before it starts"})
        for gate in self.readiness_for_trial(ticket_states):
            gates.require(gate)
        self.record(self.TrialStarted, actor, start=start, planned_end=planned_end)

    class ProcessAuditRecorded(TrackedAggregate.Event):
        held_on: date
        findings: list[str]
        conforming: bool

        def apply(self, project: Project) -> None:
            project.trial.audits.append(ProcessAudit(**_entry(self, "held_on", "findings", "conforming")))

    def record_process_audit(self, actor: Actor, held_on: date, findings: list[str], conforming: bool) -> None:
        self.require_step("record_process_audit")
        self._not_before_trial(held_on, "held_on")
        if not isinstance(conforming, bool):
            raise InvalidInput({"conforming": "true or false"})
        if not conforming and not findings:
            raise InvalidInput({"findings": "a nonconforming audit must list its findings"})
        self.record(self.ProcessAuditRecorded, actor, held_on=held_on, findings=list(findings), conforming=conforming)

    class CustomerFeedbackRelayed(TrackedAggregate.Event):
        received_on: date
        summary: str

        def apply(self, project: Project) -> None:
            project.trial.feedback.append(CustomerFeedback(**_entry(self, "received_on", "summary")))

    def relay_customer_feedback(self, actor: Actor, received_on: date, summary: str) -> None:
        self.require_step("relay_customer_feedback")
        if not summary.strip():
            raise InvalidInput({"summary": "what did the customer say?"})
        self._not_before_trial(received_on, "received_on")
        self.record(self.CustomerFeedbackRelayed, actor, received_on=received_on, summary=summary)

    class ImprovementRecorded(TrackedAggregate.Event):
        problem: str
        measure: str
        owner_department: str
        due: date
        due_in_working_days: int | None = None
        """Set when the PM gave the due date in working days after the day of recording."""
        due_counted_from: date | None = None
        due_provisional: bool = False

        def apply(self, project: Project) -> None:
            entry = _entry(self, "problem", "measure", "owner_department", "due")
            n = len(project.trial.improvements) + 1
            project.trial.improvements.append(Improvement(**entry, **counted_entry(self), n=n))

    def record_improvement(
        self,
        actor: Actor,
        problem: str,
        measure: str,
        owner_department: str,
        due: date | Deadline,
        due_in_working_days: int | None = None,
    ) -> None:
        """Due on a date, or on a working-day ``Deadline`` (its start and count are kept for recounts)."""
        self.require_step("record_improvement")
        bad = {}
        if not problem.strip():
            bad["problem"] = "describe the problem"
        if not measure.strip():
            bad["measure"] = "describe the improvement measure"
        if owner_department not in DEPARTMENTS:
            bad["owner_department"] = f"one of {', '.join(DEPARTMENTS)}"
        if bad:
            raise InvalidInput(bad)
        self.record(
            self.ImprovementRecorded,
            actor,
            problem=problem,
            measure=measure,
            owner_department=owner_department,
            **deadline_fields(due, due_in_working_days),
        )

    class EquipmentReportFiled(TrackedAggregate.Event):
        period_start: date
        period_end: date
        summary: str
        files: Sequence[str] = ()

        def apply(self, project: Project) -> None:
            report = _entry(self, "period_start", "period_end", "summary")
            project.trial.equipment_reports.append(EquipmentReport(**report, at_version=self.originator_version))

    def file_equipment_report(
        self, actor: Actor, period_start: date, period_end: date, summary: str, files: Sequence[str] = ()
    ) -> None:
        self.require_step("file_equipment_report")
        bad = {}
        if period_end < period_start:
            bad["period_end"] = "the period cannot end before it starts"
        if not summary.strip():
            bad["summary"] = "summarise how the equipment ran"
        if bad:
            raise InvalidInput(bad)
        self.record(
            self.EquipmentReportFiled,
            actor,
            period_start=period_start,
            period_end=period_end,
            summary=summary,
            **files_field(files),
        )

    class TrialReviewOpened(TrackedAggregate.Event):
        review_id: UUID
        held_on: date

        def apply(self, project: Project) -> None:
            project.reviews.append(ReviewRecord(review_id=self.review_id, held_on=self.held_on))
            project.phase = ph.TRIAL_REVIEW

    def open_trial_review(self, actor: Actor, review_id: UUID, held_on: date) -> None:
        self.require_step("open_trial_review")
        gates.require(gates.equipment_report(self))
        self._not_before_trial(held_on, "held_on")
        self.record(self.TrialReviewOpened, actor, review_id=review_id, held_on=held_on)

    class TrialReviewConcluded(TrackedAggregate.Event):
        review_id: UUID
        outcome: str

        def apply(self, project: Project) -> None:
            project.reviews[-1].outcome = self.outcome
            if self.outcome == "failed":
                project.phase = ph.TRIAL_OPERATION

    def conclude_trial_review(self, actor: Actor, review_id: UUID, outcome: str) -> None:
        self.require_step("conclude_trial_review")
        self._is_open_review(review_id)
        self.record(self.TrialReviewConcluded, actor, review_id=review_id, outcome=outcome)

    class TrialExtended(TrackedAggregate.Event):
        review_id: UUID
        extend_until: date

        def apply(self, project: Project) -> None:
            project.reviews[-1].decision = ReviewDecision(decision="extend_trial", date=self.extend_until)
            project.trial.planned_end = self.extend_until
            project.trial.extended_at_version = self.originator_version
            project.phase = ph.TRIAL_OPERATION

    class WentLive(TrackedAggregate.Event):
        review_id: UUID
        go_live_on: date

        def apply(self, project: Project) -> None:
            project.reviews[-1].decision = ReviewDecision(decision="go_live", date=self.go_live_on)
            project.went_live_on = self.go_live_on
            project.phase = ph.LIVE

    def decide_after_review(
        self, actor: Actor, review_id: UUID, decision: str, on: date, actions_closed: gates.Gate
    ) -> None:
        """``actions_closed``: ``gates.corrective_actions_closed`` of the project's reviews (go-live waits for it)."""
        self.require_step("decide_after_review")
        self._is_open_review(review_id)
        if decision == "go_live":
            gates.require(actions_closed)
        if decision == "extend_trial":
            if on <= self.trial.planned_end:
                raise RuleViolated(
                    "extension_after_planned_end",
                    f"an extension must end after the current planned end {self.trial.planned_end}",
                )
            self.record(self.TrialExtended, actor, review_id=review_id, extend_until=on)
        else:
            self.record(self.WentLive, actor, review_id=review_id, go_live_on=on)

    def _is_open_review(self, review_id: UUID) -> None:
        if not self.reviews or self.reviews[-1].review_id != review_id:
            raise RuleViolated("current_review", "this is not the project's current trial review")

    def _not_before_trial(self, day: date, field: str) -> None:
        if day < self.trial.start:
            raise InvalidInput({field: f"before the trial started on {self.trial.start}"})


def _entry(event: TrackedAggregate.Event, *fields: str) -> dict[str, Any]:
    entry = {field: own(getattr(event, field)) for field in fields}
    entry.update(recorded_by=event.actor, recorded_at=event.timestamp)
    return entry
