"""Customer requests with notice periods (通知事項): sales records one, the lead of its owner
department fulfils it (``domain.requests``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from domain import rights
from domain.evidence import referenced
from domain.roles import SALES, Actor


class RequestCommands:
    def record_customer_request(
        self,
        actor: Actor,
        project_id: UUID,
        kind: str,
        received_on: date,
        details: str,
        reference: str,
        expected_version: int | None = None,
    ) -> Any:
        """Sales: the request's due date is its notice period in working days after the day received."""
        rights.require_role(actor, "record_customer_request", SALES)
        project = self.load_project(project_id, expected_version)
        project.require_step("record_customer_request")
        self.happened(received_on=received_on)
        calendar = self.working_days_from(received_on)
        project.record_customer_request(actor, kind, received_on, details, reference, calendar)
        request = project.requests[-1]
        data = {"request": request.n, "due": request.due, "owner_department": request.owner_department}
        return self.commit(project, **data, provisional=request.provisional)

    def fulfil_customer_request(
        self,
        actor: Actor,
        project_id: UUID,
        n: int,
        evidence: str,
        files: Sequence[str] = (),
        expected_version: int | None = None,
    ) -> Any:
        """The lead of the request's owner department records it fulfilled, with evidence (once)."""
        project = self.as_owner_lead(
            actor,
            "fulfil_customer_request",
            project_id,
            lambda p: p.customer_request(n).owner_department,
            expected_version,
        )
        project.fulfil_customer_request(actor, n, evidence, referenced(self.file_catalog, files))
        return self.commit(project, request=n, state=project.customer_request(n).state)
