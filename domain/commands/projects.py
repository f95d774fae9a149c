"""Intake, appointment, requirement changes, meetings, the operations manual, cancellation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from domain import rights
from domain.errors import ConcurrentUpdate, RuleViolated
from domain.evidence import referenced
from domain.project import Project
from domain.roles import OPERATIONS_DIRECTOR, SALES, SERVICE_MANAGER, Actor


class ProjectCommands:
    def register_project(
        self,
        actor: Actor,
        code: str,
        name: str,
        customer: str,
        service: dict[str, Any],
        requirements: list[dict[str, Any]],
        sources: list[dict[str, Any]],
    ) -> Any:
        rights.require_role(actor, "register_project", SALES)
        project = Project.register(actor, code, name, customer, service, requirements, sources)
        try:
            return self.commit(project, phase=project.phase)
        except ConcurrentUpdate:
            raise RuleViolated("code_unique", f"a project with code {code!r} already exists") from None

    def record_requirement_change(
        self,
        actor: Actor,
        project_id: UUID,
        description: str,
        review_outcome: str,
        reference: str,
        expected_version: int | None = None,
    ) -> Any:
        rights.require_role(actor, "record_requirement_change", SALES)
        project = self.load_project(project_id, expected_version)
        project.record_requirement_change(actor, description, review_outcome, reference)
        return self.commit(project)

    def appoint_project_manager(
        self,
        actor: Actor,
        project_id: UUID,
        project_manager: str,
        letter_reference: str,
        files: Sequence[str] = (),
        expected_version: int | None = None,
    ) -> Any:
        rights.require_role(actor, "appoint_project_manager", OPERATIONS_DIRECTOR)
        project = self.load_project(project_id, expected_version)
        project.appoint_project_manager(actor, project_manager, letter_reference, referenced(self.file_catalog, files))
        return self.commit(project, phase=project.phase)

    def hold_meeting(
        self,
        actor: Actor,
        project_id: UUID,
        held_on: date,
        participants: list[str],
        decisions: list[str],
        expected_version: int | None = None,
    ) -> Any:
        project = self.as_pm(actor, "hold_meeting", project_id, expected_version)
        self.happened(held_on=held_on)
        project.hold_meeting(actor, held_on, participants, decisions)
        return self.commit(project)

    def submit_manual(
        self,
        actor: Actor,
        project_id: UUID,
        document_reference: str,
        revision_note: str,
        expected_version: int | None = None,
    ) -> Any:
        rights.require_role(actor, "submit_manual", SERVICE_MANAGER)
        project = self.load_project(project_id, expected_version)
        revision = project.submit_manual(actor, document_reference, revision_note)
        return self.commit(project, revision=revision)

    def review_manual(
        self, actor: Actor, project_id: UUID, outcome: str, comments: str, expected_version: int | None = None
    ) -> Any:
        project = self.as_pm(actor, "review_manual", project_id, expected_version)
        project.review_manual(actor, outcome, comments)
        return self.commit(project)

    def cancel_project(self, actor: Actor, project_id: UUID, reason: str, expected_version: int | None = None) -> Any:
        """Cancel with a reason; its open tickets are cancelled in the same write."""
        rights.require_role(actor, "cancel_project", OPERATIONS_DIRECTOR)
        project = self.load_project(project_id, expected_version)
        open_tickets = [t for t in self.tickets_of(project) if t.is_open]
        project.cancel_project(actor, reason, [t.id for t in open_tickets])
        for ticket in open_tickets:
            ticket.cancel_ticket(actor, f"project cancelled: {reason}")
        return self.commit(project, *open_tickets, phase=project.phase)
