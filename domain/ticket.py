"""The requirement ticket (需求單): one requirement of the approved plan, issued to a department.

issued → in_progress → submitted → accepted, with the risk / alternative-plan loop
(``alternatives``) in between, a return sending it back to work, and cancellation
when a plan revision drops its requirement or the project is cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from domain.acceptance import AcceptanceSteps
from domain.alternatives import AlternativeSteps
from domain.errors import InvalidInput
from domain.evidence import files_field
from domain.roles import Actor
from domain.state import TypedState, many, one
from domain.ticket_records import Acceptance, Alternative, Risk, Submission, TicketCancellation
from domain.tracked import TrackedAggregate, own
from domain.working_days import Deadline, WorkingDays

ISSUED = "issued"
IN_PROGRESS = "in_progress"
AT_RISK = "at_risk"
SUBMITTED = "submitted"
ACCEPTED = "accepted"
CANCELLED = "cancelled"
OPEN_STATES = frozenset(
    {
        ISSUED,
        IN_PROGRESS,
        AT_RISK,
        "alternative_proposed",
        "alternative_under_review",
        "alternative_escalated",
        SUBMITTED,
    }
)


class RequirementTicket(TypedState, AcceptanceSteps, AlternativeSteps, TrackedAggregate):
    STATE = {
        "risks": many(Risk),
        "alternatives": many(Alternative),
        "submissions": many(Submission),
        "acceptances": many(Acceptance),
        "cancellation": one(TicketCancellation),
    }
    STEPS = {
        "start_ticket": frozenset({ISSUED}),
        "flag_risk": frozenset({ISSUED, IN_PROGRESS}),
        "submit_ticket": frozenset({IN_PROGRESS}),
        "cancel_ticket": OPEN_STATES | {ACCEPTED},
        "revise_requirement": OPEN_STATES | {ACCEPTED},
        **AlternativeSteps.ALTERNATIVE_STEPS,
        **AcceptanceSteps.ACCEPTANCE_STEPS,
    }
    SYSTEM_STEPS = frozenset({"cancel_ticket", "revise_requirement"})
    due_in_working_days: int | None = None
    """The count the PM gave the due date in, while that date stands (class default: states
    snapshotted before working days existed)."""
    due_counted_from: date | None = None
    due_counted: date | None = None
    """The due date the count gave: a recount applies only while the due date is still that one."""
    due_provisional: bool = False
    """True while the count reached a year with no known schedule (weekends only)."""

    @property
    def current(self) -> str:
        return self.state

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    class Issued(TrackedAggregate.Created):
        project_id: UUID
        requirement_ref: str
        title: str
        department: str
        due: date
        accept_by: date
        acceptance_criteria: list[str]
        due_in_working_days: int | None = None
        """Set when the PM gave the due date as that many working days after ``due_counted_from``
        (the issue day in Shanghai); None when ``due`` is the plan's completion date (and in
        events stored before working days existed)."""
        due_counted_from: date | None = None
        due_provisional: bool = False
        """True when the count reached a year with no known schedule and used weekends only there."""

        def apply(self, ticket: RequirementTicket) -> None:
            ticket.project_id = self.project_id
            ticket.requirement_ref = self.requirement_ref
            ticket.title = self.title
            ticket.department = self.department
            ticket.due = self.due
            ticket.due_in_working_days = self.due_in_working_days
            ticket.due_counted_from = self.due_counted_from
            ticket.due_counted = self.due if self.due_in_working_days is not None else None
            ticket.due_provisional = self.due_provisional
            ticket.accept_by = self.accept_by
            ticket.acceptance_criteria = own(self.acceptance_criteria)
            ticket.state = ISSUED
            ticket.risks: list[Risk] = []
            ticket.alternatives: list[Alternative] = []
            ticket.submissions: list[Submission] = []
            ticket.acceptances: list[Acceptance] = []
            ticket.cancellation: TicketCancellation | None = None

    @classmethod
    def issue(
        cls, actor: Actor, project_id: UUID, requirement: dict[str, Any], deadline: Deadline | None = None
    ) -> RequirementTicket:
        """Due on the requirement's completion date, or on the date counted in working days."""
        return cls.start(
            cls.Issued,
            actor,
            project_id=project_id,
            requirement_ref=requirement["ref"],
            title=requirement["title"],
            department=requirement["department"],
            due=requirement["complete_by"] if deadline is None else deadline.due,
            accept_by=requirement["accept_by"],
            acceptance_criteria=list(requirement["acceptance_criteria"]),
            due_in_working_days=None if deadline is None else deadline.working_days,
            due_counted_from=None if deadline is None else deadline.counted_from,
            due_provisional=getattr(deadline, "provisional", False),
        )

    class DueRecounted(TrackedAggregate.Event):
        """The working-day due date counted again with a year's schedule newly recorded or revised."""

        old_due: date
        new_due: date
        provisional: bool
        year: int
        reference: str

        def apply(self, ticket: RequirementTicket) -> None:
            ticket.due = ticket.due_counted = self.new_due
            ticket.due_provisional = self.provisional

    def recount_due(self, actor: Actor, calendar: WorkingDays, year: int, reference: str) -> bool:
        """Count the due date again from its start, if it is open, still the counted one, and moves."""
        if self.state not in OPEN_STATES - {SUBMITTED} or self.due_in_working_days is None:
            return False
        if self.due_counted_from is None or self.due != self.due_counted:
            return False
        counted = calendar.deadline(self.due_counted_from, self.due_in_working_days)
        if (counted.due, counted.provisional) == (self.due, self.due_provisional):
            return False
        self.record(
            self.DueRecounted,
            actor,
            old_due=self.due,
            new_due=counted.due,
            provisional=counted.provisional,
            year=year,
            reference=reference,
        )
        return True

    class Started(TrackedAggregate.Event):
        def apply(self, ticket: RequirementTicket) -> None:
            ticket.state = IN_PROGRESS

    def start_ticket(self, actor: Actor) -> None:
        self.require_step("start_ticket")
        self.record(self.Started, actor)

    class RiskFlagged(TrackedAggregate.Event):
        reason: str

        def apply(self, ticket: RequirementTicket) -> None:
            ticket.risks.append(Risk(reason=self.reason, flagged_by=self.actor, flagged_at=self.timestamp))
            ticket.state = AT_RISK

    def flag_risk(self, actor: Actor, reason: str) -> None:
        self.require_step("flag_risk")
        if not reason.strip():
            raise InvalidInput({"reason": "say what threatens the date or quality"})
        self.record(self.RiskFlagged, actor, reason=reason)

    class SubmittedForAcceptance(TrackedAggregate.Event):
        evidence: str
        files: Sequence[str] = ()

        def apply(self, ticket: RequirementTicket) -> None:
            ticket.submissions.append(Submission(evidence=self.evidence, by=self.actor, at=self.timestamp))
            ticket.state = SUBMITTED

    def submit_ticket(self, actor: Actor, evidence: str, files: Sequence[str] = ()) -> None:
        self.require_step("submit_ticket")
        if not evidence.strip():
            raise InvalidInput({"evidence": "show what was delivered"})
        self.record(self.SubmittedForAcceptance, actor, evidence=evidence, **files_field(files))

    class TicketCancelled(TrackedAggregate.Event):
        reason: str

        def apply(self, ticket: RequirementTicket) -> None:
            ticket.cancellation = TicketCancellation(reason=self.reason, previous_state=ticket.state)
            ticket.state = CANCELLED

    def cancel_ticket(self, actor: Actor, reason: str) -> None:
        self.require_step("cancel_ticket")
        self.record(self.TicketCancelled, actor, reason=reason)

    class RequirementRevised(TrackedAggregate.Event):
        """A plan revision changed this ticket's requirement; work carries on.

        An accepted ticket whose acceptance criteria changed is reopened: what was
        accepted was checked against criteria that no longer hold.
        """

        plan_version: int
        title: str
        department: str
        due: date
        accept_by: date
        acceptance_criteria: list[str]
        reopened: bool

        def apply(self, ticket: RequirementTicket) -> None:
            if self.reopened:
                ticket.state = IN_PROGRESS
            ticket.title, ticket.department = self.title, self.department
            if self.due != ticket.due:
                ticket.due_in_working_days = None
                ticket.due_provisional = False  # the plan's date, not a count
            ticket.due, ticket.accept_by = self.due, self.accept_by
            ticket.acceptance_criteria = own(self.acceptance_criteria)

    def revise_requirement(self, actor: Actor, plan_version: int, requirement: dict[str, Any]) -> None:
        """The ticket follows its revised requirement. A due date the PM gave in working days stands
        while the revised completion date still allows it; otherwise it becomes that date."""
        self.require_step("revise_requirement")
        due = requirement["complete_by"]
        if self.due_in_working_days is not None and self.due <= due:
            due = self.due
        self.record(
            self.RequirementRevised,
            actor,
            plan_version=plan_version,
            title=requirement["title"],
            department=requirement["department"],
            due=due,
            accept_by=requirement["accept_by"],
            acceptance_criteria=list(requirement["acceptance_criteria"]),
            reopened=self.state == ACCEPTED and requirement["acceptance_criteria"] != self.acceptance_criteria,
        )

    def overdue(self, today: date) -> bool:
        return self.is_open and self.state != SUBMITTED and today > self.due
