"""Term and end: the termination notice, the handover checklist, the closure (``domain.ending``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from domain import rights
from domain.ending_records import CUSTOMER, PROVIDER, handover_department
from domain.errors import NotAllowed
from domain.evidence import referenced
from domain.roles import OPERATIONS_DIRECTOR, SALES, Actor

RECORDED_BY = {CUSTOMER: SALES, PROVIDER: OPERATIONS_DIRECTOR}
"""Who records whose notice: sales the customer's, the operations director the provider's."""


class EndingCommands:
    def record_termination(
        self,
        actor: Actor,
        project_id: UUID,
        by: str,
        reason: str,
        notice_on: date,
        effective_on: date,
        expected_version: int | None = None,
    ) -> Any:
        """A live project's termination notice; the other side's notice is not this actor's to record (403)."""
        step = "record_termination"
        rights.require_role(actor, step, SALES, OPERATIONS_DIRECTOR)
        project = self.load_project(project_id, expected_version)
        project.require_step(step)
        self.happened(notice_on=notice_on)
        if by in RECORDED_BY and RECORDED_BY[by] != actor.role:
            raise NotAllowed(
                f"a {by}'s termination notice is recorded by {RECORDED_BY[by]}, not by {actor.role}",
                step=step,
                by=by,
                allowed_roles=[RECORDED_BY[by]],
            )
        project.record_termination(actor, by, reason, notice_on, effective_on)
        return self.commit(project, phase=project.phase)

    def record_handover(
        self,
        actor: Actor,
        project_id: UUID,
        item: str,
        evidence: str,
        files: Sequence[str] = (),
        expected_version: int | None = None,
    ) -> Any:
        """One handover item done, with evidence, by the lead of its department."""
        project = self.as_owner_lead(
            actor, "record_handover", project_id, lambda _: handover_department(item), expected_version
        )
        project.record_handover(actor, item, evidence, referenced(self.file_catalog, files))
        return self.commit(project, item=item, missing=project.termination.missing())

    def close_project(
        self,
        actor: Actor,
        project_id: UUID,
        summary: str,
        today: date | None = None,
        expected_version: int | None = None,
    ) -> Any:
        """The PM closes a terminating project (``today``: the app's today in Shanghai); its open
        tickets are cancelled in the same write."""
        project = self.as_pm(actor, "close_project", project_id, expected_version)
        project.require_step("close_project")
        today = today or self.today()
        open_tickets = [t for t in self.tickets_of(project) if t.is_open]
        project.close_project(actor, summary, today, [t.id for t in open_tickets])
        for ticket in open_tickets:
            ticket.cancel_ticket(actor, f"project closed: {summary}")
        return self.commit(project, *open_tickets, phase=project.phase)
