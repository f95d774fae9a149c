"""The plan (draft, submission, review, revision) and issuing requirement tickets."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain import plan as pl
from domain.roles import Actor
from domain.ticket import RequirementTicket


class PlanCommands:
    def draft_plan(
        self, actor: Actor, project_id: UUID, plan: dict[str, Any], expected_version: int | None = None
    ) -> Any:
        project = self.as_pm(actor, "draft_plan", project_id, expected_version)
        plan_version = project.draft_plan(actor, plan)
        return self.commit(project, plan_version=plan_version)

    def submit_plan(self, actor: Actor, project_id: UUID, expected_version: int | None = None) -> Any:
        project = self.as_pm(actor, "submit_plan", project_id, expected_version)
        project.submit_plan(actor)
        return self.commit(project, phase=project.phase)

    def review_plan(
        self,
        actor: Actor,
        project_id: UUID,
        participants: list[str],
        outcome: str,
        comments: str,
        expected_version: int | None = None,
    ) -> Any:
        """Approving a revision cancels tickets of dropped requirements and revises changed ones, atomically."""
        project = self.as_pm(actor, "review_plan", project_id, expected_version)
        changes = project.review_plan(actor, participants, outcome, comments)
        touched: list[RequirementTicket] = []
        if changes["dropped"]:
            reason = f"requirement dropped by plan version {project.current_plan_version}"
            for ticket_id in project.withdraw_tickets(actor, changes["dropped"], reason):
                ticket = self.load_ticket(ticket_id)
                ticket.cancel_ticket(actor, reason)
                touched.append(ticket)
        requirements = pl.requirements_by_ref(project.current_plan)
        for ref in changes["changed"]:
            active = project.active_ticket(ref)
            if active is not None:
                ticket = self.load_ticket(active.id)
                ticket.revise_requirement(actor, project.current_plan_version, requirements[ref])
                touched.append(ticket)
        return self.commit(project, *touched, phase=project.phase, **changes)

    def revise_plan(
        self, actor: Actor, project_id: UUID, trigger: str, reason: str, expected_version: int | None = None
    ) -> Any:
        project = self.as_pm(actor, "revise_plan", project_id, expected_version)
        project.revise_plan(actor, trigger, reason)
        return self.commit(project, phase=project.phase)

    def issue_tickets(
        self,
        actor: Actor,
        project_id: UUID,
        requirement_refs: list[str] | None = None,
        expected_version: int | None = None,
        due_in_working_days: int | None = None,
        issued_on: date | None = None,
    ) -> Any:
        """One ticket per requirement, saved with the project's record of them in one write.

        Each ticket is due on its requirement's completion date or, with ``due_in_working_days``,
        that many working days after ``issued_on`` (default: today in Shanghai).
        """
        project = self.as_pm(actor, "issue_tickets", project_id, expected_version)
        requirements = project.refs_to_issue(requirement_refs)
        deadline = None
        if due_in_working_days is not None:
            day = issued_on if issued_on is not None else self.today()
            calendar = self.working_days_from(day)
            deadline = project.working_day_deadline(requirements, day, due_in_working_days, calendar)
        tickets = [RequirementTicket.issue(actor, project.id, req, deadline) for req in requirements]
        project.issue_tickets(actor, [(t.id, req) for t, req in zip(tickets, requirements, strict=True)])
        items = [{"id": t.id, "requirement_ref": t.requirement_ref, "department": t.department} for t in tickets]
        extra = {} if deadline is None else {"due": deadline.due, "provisional": deadline.provisional}
        return self.commit(project, *tickets, items=items, **extra)
