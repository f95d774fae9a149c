"""The Project aggregate: intake, PM appointment, requirement changes, meetings, cancellation.

Planning, the operations manual, the trial, the contract records and the customer's requests are mixed
in from their own modules; together they are one aggregate with one event stream per project.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID, uuid5

from domain import phases as ph
from domain.ending import EndingSteps
from domain.ending_records import Closure, Termination
from domain.errors import InvalidInput, RuleViolated
from domain.evidence import files_field
from domain.intake import check_intake
from domain.loops import ImprovementLoop
from domain.manual import ManualSteps
from domain.operations import OperationsSteps
from domain.planning import PlanningSteps
from domain.project_records import (
    Cancellation,
    ManualState,
    PlanRevision,
    PlanVersion,
    RequirementChange,
    TicketEntry,
)
from domain.recounts import ImprovementRecounts
from domain.rectifications import RectificationSteps
from domain.request_records import CustomerRequest
from domain.requests import CustomerRequests
from domain.roles import Actor
from domain.state import TypedState, many, one
from domain.ticket_register import TicketRegister
from domain.tracked import TrackedAggregate, own
from domain.trial import TrialSteps
from domain.trial_records import ReviewRecord, TrialState

CHANGE_OUTCOMES = ("accepted", "rejected")
PROJECT_NAMESPACE = UUID("6f1d3c3e-2b1a-4f55-9a51-7c0f1b8e2d10")


class Project(
    TypedState,
    PlanningSteps,
    TicketRegister,
    ManualSteps,
    TrialSteps,
    ImprovementRecounts,
    ImprovementLoop,
    OperationsSteps,
    EndingSteps,
    CustomerRequests,
    RectificationSteps,
    TrackedAggregate,
):
    STATE = {
        "requirement_changes": many(RequirementChange),
        "cancellation": one(Cancellation),
        "plans": many(PlanVersion),
        "revision": one(PlanRevision),
        "tickets": many(TicketEntry),
        "manual": one(ManualState),
        "trial": one(TrialState),
        "reviews": many(ReviewRecord),
        "termination": one(Termination),
        "closure": one(Closure),
        "requests": many(CustomerRequest),
    }
    STEPS = {
        "record_requirement_change": frozenset(ph.PHASES) - ph.ENDED,
        "appoint_project_manager": ph.BEFORE_LIVE,
        "hold_meeting": ph.MEETINGS,
        "cancel_project": ph.BEFORE_LIVE,
        **PlanningSteps.PLANNING_STEPS,
        **TicketRegister.TICKET_STEPS,
        **ManualSteps.MANUAL_STEPS,
        **TrialSteps.TRIAL_STEPS,
        **ImprovementLoop.LOOP_STEPS,
        **OperationsSteps.OPERATIONS_STEPS,
        **EndingSteps.ENDING_STEPS,
        **CustomerRequests.REQUEST_STEPS,
        **RectificationSteps.RECTIFICATION_STEPS,
    }

    @property
    def current(self) -> str:
        return self.phase

    @staticmethod
    def create_id(code: str) -> UUID:
        """The id follows from the code, so the store itself refuses a second project with the same code."""
        return uuid5(PROJECT_NAMESPACE, code.strip().casefold())

    class Registered(TrackedAggregate.Created):
        code: str
        name: str
        customer: str
        service: dict[str, Any]
        requirements: list[dict[str, Any]]
        sources: list[dict[str, Any]]

        def apply(self, project: Project) -> None:
            project.code, project.name, project.customer = self.code, self.name, self.customer
            project.service = own(self.service)
            project.requirements = own(self.requirements)
            project.sources = own(self.sources)
            project.phase = ph.INTAKE
            project.project_manager = None
            project.appointments = []
            project.requirement_changes = []
            project.meetings = []
            project.cancellation = None
            project.init_planning()
            project.init_tickets()
            project.init_manual()
            project.init_trial()
            project.init_operations()
            project.termination = None
            project.closure = None
            project.init_requests()

    @classmethod
    def register(
        cls,
        actor: Actor,
        code: str,
        name: str,
        customer: str,
        service: Mapping[str, Any],
        requirements: list[Mapping[str, Any]],
        sources: list[Mapping[str, Any]],
    ) -> Project:
        check_intake(code, name, customer, service, requirements, sources)
        return cls.start(
            cls.Registered,
            actor,
            code=code.strip(),
            name=name.strip(),
            customer=customer.strip(),
            service=dict(service),
            requirements=[dict(r) for r in requirements],
            sources=[dict(s) for s in sources],
        )

    class RequirementChangeRecorded(TrackedAggregate.Event):
        description: str
        review_outcome: str
        reference: str

        def apply(self, project: Project) -> None:
            project.requirement_changes.append(
                RequirementChange(
                    description=self.description,
                    review_outcome=self.review_outcome,
                    reference=self.reference,
                    at_version=self.originator_version,
                    recorded_by=self.actor,
                    recorded_at=self.timestamp,
                )
            )

    def record_requirement_change(self, actor: Actor, description: str, review_outcome: str, reference: str) -> None:
        self.require_step("record_requirement_change")
        bad = {}
        if not description.strip():
            bad["description"] = "describe the change"
        if review_outcome not in CHANGE_OUTCOMES:
            bad["review_outcome"] = f"must be one of {', '.join(CHANGE_OUTCOMES)}"
        if not reference.strip():
            bad["reference"] = "the written record's reference is required"
        if bad:
            raise InvalidInput(bad)
        self.record(
            self.RequirementChangeRecorded,
            actor,
            description=description,
            review_outcome=review_outcome,
            reference=reference,
        )

    class ProjectManagerAppointed(TrackedAggregate.Event):
        project_manager: str
        letter_reference: str
        previous: str | None
        files: Sequence[str] = ()

        def apply(self, project: Project) -> None:
            project.project_manager = self.project_manager
            project.appointments.append(
                {"project_manager": self.project_manager, "letter_reference": self.letter_reference}
            )
            if project.phase == ph.INTAKE:
                project.phase = ph.PLANNING

    def appoint_project_manager(
        self, actor: Actor, project_manager: str, letter_reference: str, files: Sequence[str] = ()
    ) -> None:
        self.require_step("appoint_project_manager")
        bad = {}
        if not project_manager.strip():
            bad["project_manager"] = "name the user to appoint"
        if not letter_reference.strip():
            bad["letter_reference"] = "the appointment letter's reference is required"
        if bad:
            raise InvalidInput(bad)
        if project_manager == self.project_manager:
            raise RuleViolated("already_appointed", f"{project_manager} is already the appointed PM")
        self.record(
            self.ProjectManagerAppointed,
            actor,
            project_manager=project_manager,
            letter_reference=letter_reference,
            previous=self.project_manager,
            **files_field(files),
        )

    class MeetingHeld(TrackedAggregate.Event):
        held_on: date
        participants: list[str]
        decisions: list[str]

        def apply(self, project: Project) -> None:
            project.meetings.append(
                {"held_on": self.held_on, "participants": own(self.participants), "decisions": own(self.decisions)}
            )

    def hold_meeting(self, actor: Actor, held_on: date, participants: list[str], decisions: list[str]) -> None:
        self.require_step("hold_meeting")
        if not participants:
            raise InvalidInput({"participants": "at least one participant"})
        self.record(
            self.MeetingHeld, actor, held_on=held_on, participants=list(participants), decisions=list(decisions)
        )

    class ProjectCancelled(TrackedAggregate.Event):
        reason: str
        tickets_cancelled: list[UUID]

        def apply(self, project: Project) -> None:
            project.cancellation = Cancellation(reason=self.reason, previous_phase=project.phase)
            project.phase = ph.CANCELLED
            for ticket in project.tickets:
                if ticket.id in self.tickets_cancelled:
                    ticket.active = False

    def cancel_project(self, actor: Actor, reason: str, open_ticket_ids: list[UUID]) -> None:
        self.require_step("cancel_project")
        if not reason.strip():
            raise InvalidInput({"reason": "say why the project is cancelled"})
        self.record(self.ProjectCancelled, actor, reason=reason, tickets_cancelled=list(open_ticket_ids))
