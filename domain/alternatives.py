"""The alternative-plan loop (替代方案) of a requirement ticket.

A department at risk proposes an alternative, saying whether it still meets the
customer's requirements on time and to quality:
- it does → the PM confirms it, or escalates it to the branch head who approves or rejects;
- it does not → the PM reviews it with the departments: passed or failed.
A rejection or a failed review puts the ticket at risk again; every round is kept.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from domain.errors import InvalidInput, NotFound, RuleViolated
from domain.roles import DEPARTMENTS, Actor
from domain.ticket_records import Alternative, AlternativeDecision
from domain.tracked import TrackedAggregate

if TYPE_CHECKING:
    from domain.ticket import RequirementTicket

PROPOSED = "alternative_proposed"
UNDER_REVIEW = "alternative_under_review"
ESCALATED = "alternative_escalated"


class AlternativeSteps:
    ALTERNATIVE_STEPS = {
        "propose_alternative": frozenset({"at_risk"}),
        "confirm_alternative": frozenset({PROPOSED}),
        "approve_alternative": frozenset({ESCALATED}),
        "review_alternative": frozenset({UNDER_REVIEW}),
    }

    def alternative(self, n: int) -> Alternative:
        if not 1 <= n <= len(self.alternatives):
            raise NotFound("alternative", n)
        return self.alternatives[n - 1]

    def _pending(self, step: str, n: int) -> Alternative:
        self.require_step(step)
        alternative = self.alternative(n)
        if n != len(self.alternatives):
            raise RuleViolated(
                "latest_alternative",
                f"alternative {n} was already decided; alternative {len(self.alternatives)} is pending",
            )
        return alternative

    class AlternativeProposed(TrackedAggregate.Event):
        n: int
        description: str
        meets_requirements: bool
        new_due: date | None

        def apply(self, ticket: RequirementTicket) -> None:
            ticket.alternatives.append(
                Alternative(
                    n=self.n,
                    description=self.description,
                    meets_requirements=self.meets_requirements,
                    new_due=self.new_due,
                    status="proposed" if self.meets_requirements else "under_review",
                    proposed_by=self.actor,
                    proposed_at=self.timestamp,
                )
            )
            ticket.state = PROPOSED if self.meets_requirements else UNDER_REVIEW

    def propose_alternative(
        self, actor: Actor, description: str, meets_requirements: bool, new_due: date | None
    ) -> int:
        self.require_step("propose_alternative")
        if not description.strip():
            raise InvalidInput({"description": "describe the alternative plan"})
        if not isinstance(meets_requirements, bool):
            raise InvalidInput({"meets_requirements": "true or false"})
        n = len(self.alternatives) + 1
        self.record(
            self.AlternativeProposed,
            actor,
            n=n,
            description=description,
            meets_requirements=meets_requirements,
            new_due=new_due,
        )
        return n

    class AlternativeConfirmed(TrackedAggregate.Event):
        n: int

        def apply(self, ticket: RequirementTicket) -> None:
            _decided(ticket, self, "confirmed", adopt=True)

    class AlternativeEscalated(TrackedAggregate.Event):
        n: int

        def apply(self, ticket: RequirementTicket) -> None:
            _decided(ticket, self, "escalated", adopt=False)
            ticket.state = ESCALATED

    def confirm_alternative(self, actor: Actor, n: int, escalate: bool) -> None:
        self._pending("confirm_alternative", n)
        if not isinstance(escalate, bool):
            raise InvalidInput({"escalate": "true or false"})
        self.record(self.AlternativeEscalated if escalate else self.AlternativeConfirmed, actor, n=n)

    class AlternativeApproved(TrackedAggregate.Event):
        n: int
        comments: str

        def apply(self, ticket: RequirementTicket) -> None:
            _decided(ticket, self, "approved", adopt=True)

    class AlternativeRejected(TrackedAggregate.Event):
        n: int
        comments: str

        def apply(self, ticket: RequirementTicket) -> None:
            _decided(ticket, self, "rejected", adopt=False)
            ticket.state = "at_risk"

    def approve_alternative(self, actor: Actor, n: int, outcome: str, comments: str) -> None:
        self._pending("approve_alternative", n)
        if outcome not in ("approved", "rejected"):
            raise InvalidInput({"outcome": "approved or rejected"})
        if outcome == "rejected" and not comments.strip():
            raise InvalidInput({"comments": "say why the alternative is rejected"})
        event = self.AlternativeApproved if outcome == "approved" else self.AlternativeRejected
        self.record(event, actor, n=n, comments=comments)

    class AlternativeReviewPassed(TrackedAggregate.Event):
        n: int
        participants: list[str]
        comments: str

        def apply(self, ticket: RequirementTicket) -> None:
            _decided(ticket, self, "passed", adopt=True)

    class AlternativeReviewFailed(TrackedAggregate.Event):
        n: int
        participants: list[str]
        comments: str

        def apply(self, ticket: RequirementTicket) -> None:
            _decided(ticket, self, "failed", adopt=False)
            ticket.state = "at_risk"

    def review_alternative(self, actor: Actor, n: int, participants: list[str], outcome: str, comments: str) -> None:
        self._pending("review_alternative", n)
        bad = {}
        if not participants or any(p not in DEPARTMENTS for p in participants):
            bad["participants"] = f"one or more departments: {', '.join(DEPARTMENTS)}"
        if outcome not in ("passed", "failed"):
            bad["outcome"] = "passed or failed"
        elif outcome == "failed" and not comments.strip():
            bad["comments"] = "say why the alternative failed review"
        if bad:
            raise InvalidInput(bad)
        event = self.AlternativeReviewPassed if outcome == "passed" else self.AlternativeReviewFailed
        self.record(event, actor, n=n, participants=list(participants), comments=comments)


def _decided(ticket: RequirementTicket, event: TrackedAggregate.Event, status: str, adopt: bool) -> None:
    """Record a decision on the pending alternative; an adopted one resumes the work."""
    alternative = ticket.alternatives[event.n - 1]  # type: ignore[attr-defined]
    alternative.status = status
    alternative.decisions.append(
        AlternativeDecision(
            status=status,
            by=event.actor,
            role=event.role,
            at=event.timestamp,
            comments=getattr(event, "comments", ""),
            participants=list(getattr(event, "participants", [])),
        )
    )
    if adopt:
        if alternative.new_due is not None:
            ticket.due = alternative.new_due
            ticket.due_provisional = False  # a date agreed, not counted
        ticket.state = "in_progress"
