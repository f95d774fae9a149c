"""The trial review (試運營評審) and its record (試運營階段評審記錄).

Eight items, each met or not with evidence; the conclusion is computed from them:
passed only if every item is met. A passed review gets a decision (go live or
extend the trial); a failed one gets nonconformities with corrective actions
(不合格服務控制).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from domain import gates
from domain.errors import InvalidInput, RuleViolated
from domain.evidence import files_field
from domain.loops import CorrectiveActionLoop
from domain.recounts import CorrectiveActionRecounts, counted_entry
from domain.review_records import Decision, ItemAssessment, Nonconformity
from domain.roles import DEPARTMENTS, Actor
from domain.state import TypedState, by_key, many, one
from domain.tracked import TrackedAggregate, own
from domain.working_days import Deadline, deadline_fields

OPEN = "open"
PASSED = "passed"
FAILED = "failed"
DECIDED = "decided"
DECISIONS = ("go_live", "extend_trial")


class TrialReview(TypedState, CorrectiveActionRecounts, CorrectiveActionLoop, TrackedAggregate):
    STATE = {"items": by_key(ItemAssessment), "decision": one(Decision), "nonconformities": many(Nonconformity)}
    STEPS = {
        "assess_review_item": frozenset({OPEN}),
        "conclude_review": frozenset({OPEN}),
        "decide_after_review": frozenset({PASSED}),
        "record_nonconformity": frozenset({FAILED}),
        "complete_corrective_action": frozenset({FAILED}),
        "verify_corrective_action": frozenset({FAILED}),
    }

    @property
    def current(self) -> str:
        return self.state

    class Opened(TrackedAggregate.Created):
        project_id: UUID
        held_on: date
        participants: list[str]

        def apply(self, review: TrialReview) -> None:
            review.project_id = self.project_id
            review.held_on = self.held_on
            review.participants = own(self.participants)
            review.items: dict[str, ItemAssessment] = {}
            review.state = OPEN
            review.summary = None
            review.decision: Decision | None = None
            review.nonconformities: list[Nonconformity] = []

    @classmethod
    def open(cls, actor: Actor, project_id: UUID, held_on: date, participants: list[str]) -> TrialReview:
        if not participants or any(p not in DEPARTMENTS for p in participants):
            raise InvalidInput({"participants": f"one or more departments: {', '.join(DEPARTMENTS)}"})
        return cls.start(cls.Opened, actor, project_id=project_id, held_on=held_on, participants=list(participants))

    @property
    def outcome(self) -> str | None:
        if self.state == OPEN:
            return None
        return PASSED if self.state in (PASSED, DECIDED) else FAILED

    class ItemAssessed(TrackedAggregate.Event):
        item: str
        met: bool
        evidence: str
        files: Sequence[str] = ()

        def apply(self, review: TrialReview) -> None:
            review.items[self.item] = ItemAssessment(met=self.met, evidence=self.evidence, by=self.actor)

    def assess_item(self, actor: Actor, item: str, met: bool, evidence: str, files: Sequence[str] = ()) -> None:
        self.require_step("assess_review_item")
        bad = {}
        if item not in gates.REVIEW_ITEMS:
            bad["item"] = f"one of {', '.join(gates.REVIEW_ITEMS)}"
        if not evidence.strip():
            bad["evidence"] = "every answer needs its evidence"
        if not isinstance(met, bool):
            bad["met"] = "true or false"
        if bad:
            raise InvalidInput(bad)
        self.record(self.ItemAssessed, actor, item=item, met=met, evidence=evidence, **files_field(files))

    class Concluded(TrackedAggregate.Event):
        outcome: str
        summary: str
        unmet: list[str]

        def apply(self, review: TrialReview) -> None:
            review.state = self.outcome
            review.summary = self.summary

    def conclude(self, actor: Actor, summary: str, actions_closed: gates.Gate) -> str:
        """The outcome is computed, never chosen: passed only if every item is met, and never while
        a corrective action of an earlier failed review is open (``actions_closed``:
        ``gates.corrective_actions_closed`` of the project's reviews)."""
        self.require_step("conclude_review")
        if not summary.strip():
            raise InvalidInput({"summary": "summarise the review"})
        gates.require(gates.review_items_assessed(self.items))
        unmet = [item for item in gates.REVIEW_ITEMS if not self.items[item].met]
        outcome = FAILED if unmet else PASSED
        if outcome == PASSED:
            gates.require(actions_closed)
        self.record(self.Concluded, actor, outcome=outcome, summary=summary, unmet=unmet)
        return outcome

    class DecisionMade(TrackedAggregate.Event):
        decision: str
        on: date

        def apply(self, review: TrialReview) -> None:
            review.decision = Decision(decision=self.decision, date=self.on, by=self.actor, role=self.role)
            review.state = DECIDED

    def decide(self, actor: Actor, decision: str, on: date | None) -> None:
        self.require_step("decide_after_review")
        if decision not in DECISIONS:
            raise InvalidInput({"decision": "go_live or extend_trial"})
        field = "go_live_on" if decision == "go_live" else "extend_until"
        if on is None:
            raise InvalidInput({field: "a date is required"})
        if on < self.held_on:
            raise RuleViolated("decision_after_review", f"{field} {on} is before the review held on {self.held_on}")
        self.record(self.DecisionMade, actor, decision=decision, on=on)

    class NonconformityRecorded(TrackedAggregate.Event):
        description: str
        corrective_action: str
        owner_department: str
        due: date
        due_in_working_days: int | None = None
        """Set when the PM gave the due date in working days after the day of recording."""
        due_counted_from: date | None = None
        due_provisional: bool = False

        def apply(self, review: TrialReview) -> None:
            review.nonconformities.append(
                Nonconformity(
                    **counted_entry(self),
                    n=len(review.nonconformities) + 1,
                    description=self.description,
                    corrective_action=self.corrective_action,
                    owner_department=self.owner_department,
                    due=self.due,
                    recorded_by=self.actor,
                )
            )

    def record_nonconformity(
        self,
        actor: Actor,
        description: str,
        corrective_action: str,
        owner_department: str,
        due: date | Deadline,
        due_in_working_days: int | None = None,
    ) -> int:
        self.require_step("record_nonconformity")
        bad = {}
        if not description.strip():
            bad["description"] = "describe the nonconformity"
        if not corrective_action.strip():
            bad["corrective_action"] = "state the corrective action"
        if owner_department not in DEPARTMENTS:
            bad["owner_department"] = f"one of {', '.join(DEPARTMENTS)}"
        if bad:
            raise InvalidInput(bad)
        self.record(
            self.NonconformityRecorded,
            actor,
            description=description,
            corrective_action=corrective_action,
            owner_department=owner_department,
            **deadline_fields(due, due_in_working_days),
        )
        return len(self.nonconformities)
