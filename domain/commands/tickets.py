"""Working a requirement ticket: the department lead's steps and the PM's and branch head's decisions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from domain import rights
from domain.evidence import referenced
from domain.roles import BRANCH_HEAD, DEPARTMENT_LEAD, PROJECT_MANAGER, Actor
from domain.ticket import RequirementTicket


class TicketCommands:
    def start_ticket(self, actor: Actor, ticket_id: UUID, expected_version: int | None = None) -> Any:
        ticket = self._as_lead(actor, "start_ticket", ticket_id, expected_version)
        ticket.start_ticket(actor)
        return self.commit(ticket, state=ticket.state)

    def flag_risk(self, actor: Actor, ticket_id: UUID, reason: str, expected_version: int | None = None) -> Any:
        ticket = self._as_lead(actor, "flag_risk", ticket_id, expected_version)
        ticket.flag_risk(actor, reason)
        return self.commit(ticket, state=ticket.state)

    def propose_alternative(
        self,
        actor: Actor,
        ticket_id: UUID,
        description: str,
        meets_requirements: bool,
        new_due: date | None = None,
        expected_version: int | None = None,
    ) -> Any:
        ticket = self._as_lead(actor, "propose_alternative", ticket_id, expected_version)
        n = ticket.propose_alternative(actor, description, meets_requirements, new_due)
        return self.commit(ticket, alternative=n, state=ticket.state)

    def confirm_alternative(
        self, actor: Actor, ticket_id: UUID, n: int, escalate: bool = False, expected_version: int | None = None
    ) -> Any:
        ticket = self._as_pm_of_ticket(actor, "confirm_alternative", ticket_id, expected_version)
        ticket.confirm_alternative(actor, n, escalate)
        return self.commit(ticket, state=ticket.state)

    def approve_alternative(
        self,
        actor: Actor,
        ticket_id: UUID,
        n: int,
        outcome: str,
        comments: str,
        expected_version: int | None = None,
    ) -> Any:
        rights.require_role(actor, "approve_alternative", BRANCH_HEAD)
        ticket = self.load_ticket(ticket_id, expected_version)
        ticket.approve_alternative(actor, n, outcome, comments)
        return self.commit(ticket, state=ticket.state)

    def review_alternative(
        self,
        actor: Actor,
        ticket_id: UUID,
        n: int,
        participants: list[str],
        outcome: str,
        comments: str,
        expected_version: int | None = None,
    ) -> Any:
        ticket = self._as_pm_of_ticket(actor, "review_alternative", ticket_id, expected_version)
        ticket.review_alternative(actor, n, participants, outcome, comments)
        return self.commit(ticket, state=ticket.state)

    def submit_ticket(
        self,
        actor: Actor,
        ticket_id: UUID,
        evidence: str,
        files: Sequence[str] = (),
        expected_version: int | None = None,
    ) -> Any:
        ticket = self._as_lead(actor, "submit_ticket", ticket_id, expected_version)
        ticket.submit_ticket(actor, evidence, referenced(self.file_catalog, files))
        return self.commit(ticket, state=ticket.state)

    def decide_acceptance(
        self,
        actor: Actor,
        ticket_id: UUID,
        outcome: str,
        criteria: list[dict[str, Any]],
        comments: str = "",
        files: Sequence[str] = (),
        expected_version: int | None = None,
    ) -> Any:
        ticket = self._as_pm_of_ticket(actor, "decide_acceptance", ticket_id, expected_version)
        ticket.decide_acceptance(actor, outcome, criteria, comments, referenced(self.file_catalog, files))
        return self.commit(ticket, state=ticket.state)

    def _as_lead(self, actor: Actor, step: str, ticket_id: UUID, expected_version: int | None) -> RequirementTicket:
        rights.require_role(actor, step, DEPARTMENT_LEAD)
        ticket = self.load_ticket(ticket_id, expected_version)
        rights.require_department_lead(actor, step, ticket.department)
        return ticket

    def _as_pm_of_ticket(
        self, actor: Actor, step: str, ticket_id: UUID, expected_version: int | None
    ) -> RequirementTicket:
        rights.require_role(actor, step, PROJECT_MANAGER)
        ticket = self.load_ticket(ticket_id, expected_version)
        rights.require_appointed_pm(actor, step, self.load_project(ticket.project_id))
        return ticket
