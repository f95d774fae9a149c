"""The project's register of requirement tickets (需求單): which ticket serves which requirement.

The tickets themselves are RequirementTicket aggregates; the project keeps the list so
that issuing, withdrawing and the trial gate know the current ticket of each requirement.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain import phases as ph
from domain import plan as pl
from domain.errors import InvalidInput, RuleViolated
from domain.project_records import TicketEntry
from domain.roles import Actor
from domain.tracked import TrackedAggregate, own
from domain.working_days import Deadline, WorkingDays

if TYPE_CHECKING:
    from domain.project import Project

MAX_DUE_WORKING_DAYS = 250
"""About a year of working days: a longer count is a typo, not a deadline."""


class TicketRegister:
    TICKET_STEPS = {"issue_tickets": ph.PLAN_CARRIED_OUT}

    def init_tickets(self) -> None:
        self.tickets: list[TicketEntry] = []

    def active_ticket(self, ref: str) -> TicketEntry | None:
        return next((t for t in self.tickets if t.requirement_ref == ref and t.active), None)

    class TicketsIssued(TrackedAggregate.Event):
        tickets: list[dict[str, Any]]

        def apply(self, project: Project) -> None:
            for ticket in self.tickets:
                project.tickets.append(TicketEntry(**own(ticket), active=True))

    def refs_to_issue(self, refs: list[str] | None) -> list[dict[str, Any]]:
        """The plan requirements to issue tickets for (default: all without one)."""
        self.require_step("issue_tickets")
        requirements = pl.requirements_by_ref(self.current_plan)
        if refs is None:
            chosen = [ref for ref in requirements if self.active_ticket(ref) is None]
        else:
            unknown = [ref for ref in refs if ref not in requirements]
            if unknown:
                raise InvalidInput({"requirement_refs": "not in the approved plan: " + ", ".join(unknown)})
            issued = [ref for ref in refs if self.active_ticket(ref) is not None]
            if issued:
                raise RuleViolated("ticket_exists", "these requirements already have a ticket: " + ", ".join(issued))
            chosen = list(dict.fromkeys(refs))
        if not chosen:
            raise RuleViolated("nothing_to_issue", "every requirement of the approved plan already has a ticket")
        return [requirements[ref] for ref in chosen]

    @staticmethod
    def working_day_deadline(
        requirements: list[dict[str, Any]], issued_on: date, working_days: int, calendar: WorkingDays
    ) -> Deadline:
        """The due date ``working_days`` working days after ``issued_on``, for every ticket issued now.

        The approved plan is the authority: a due date after a requirement's completion date
        is refused (``due_within_plan``, naming those requirements); a count that reaches a year
        with no known schedule uses weekends only there and is provisional.
        """
        if type(working_days) is not int or not 1 <= working_days <= MAX_DUE_WORKING_DAYS:
            raise InvalidInput({"due_in_working_days": f"a whole number of working days, 1 to {MAX_DUE_WORKING_DAYS}"})
        deadline = calendar.deadline(issued_on, working_days)
        late = [r for r in requirements if deadline.due > r["complete_by"]]
        if late:
            raise RuleViolated(
                "due_within_plan",
                f"{working_days} working days after {issued_on.isoformat()} is {deadline.due.isoformat()}, after the "
                "approved plan's completion date of "
                + ", ".join(f"{r['ref']} ({r['complete_by'].isoformat()})" for r in late)
                + ": give fewer working days, or issue those requirements apart",
                due=deadline.due,
                requirement_refs=[r["ref"] for r in late],
            )
        return deadline

    def issue_tickets(self, actor: Actor, issued: list[tuple[UUID, dict[str, Any]]]) -> None:
        self.record(
            self.TicketsIssued,
            actor,
            tickets=[{"id": tid, "requirement_ref": r["ref"], "department": r["department"]} for tid, r in issued],
        )

    class TicketsWithdrawn(TrackedAggregate.Event):
        """Tickets of requirements a revision dropped were cancelled."""

        ticket_ids: list[UUID]
        reason: str

        def apply(self, project: Project) -> None:
            for ticket in project.tickets:
                if ticket.id in self.ticket_ids:
                    ticket.active = False

    def withdraw_tickets(self, actor: Actor, dropped_refs: list[str], reason: str) -> list[UUID]:
        ids = [t.id for ref in dropped_refs if (t := self.active_ticket(ref)) is not None]
        if ids:
            self.record(self.TicketsWithdrawn, actor, ticket_ids=ids, reason=reason)
        return ids
