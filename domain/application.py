"""The application service: one method per command of API.md, the actor always first.

Each command checks rights (``rights``), loads the aggregates, lets them guard their
own rules, and saves every changed aggregate in one atomic write. It answers with
the primary aggregate's new ``version`` and the ``position`` of its last event in the
application's log, which views use for read-your-writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application

from domain import clock, rights
from domain.commands.access import AccessCommands
from domain.commands.calendar import CalendarCommands
from domain.commands.ending import EndingCommands
from domain.commands.loops import LoopCommands
from domain.commands.operations import OperationsCommands
from domain.commands.planning import PlanCommands
from domain.commands.projects import ProjectCommands
from domain.commands.rectifications import RectificationCommands
from domain.commands.requests import RequestCommands
from domain.commands.tickets import TicketCommands
from domain.commands.trial import TrialCommands
from domain.errors import ConcurrentUpdate, NotFound
from domain.evidence import FileCatalog, NoFiles
from domain.happened import not_after_today
from domain.ports import StoreSetup, TimeIndex, store_setup
from domain.project import Project
from domain.roles import DEPARTMENT_LEAD, PROJECT_MANAGER, Actor
from domain.ticket import RequirementTicket
from domain.time_travel import TimeTravel
from domain.tracked import TrackedAggregate
from domain.trial_review import TrialReview
from domain.working_calendar import WorkingCalendar

DEFAULT_SNAPSHOT_INTERVAL = 50
MAX_VERSION = 2**63 - 1
"""The largest version the stores' integer columns hold (SQLite refuses a larger number)."""
A = TypeVar("A", bound=TrackedAggregate)


@dataclass(frozen=True)
class Outcome:
    """What a command answers: the aggregate, its new version, the log position."""

    id: UUID
    version: int
    position: int
    data: dict[str, Any] = field(default_factory=dict)


def replay(aggregate: Any, events: Iterable[Any]) -> Any:
    """The library's ``project_aggregate`` without its assertion that each event is a
    ``CanMutateProtocol``: a runtime Protocol check costing more than decoding a small event, on
    every event of every read (every event here is one of our own classes, which all mutate)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class Tracker(
    ProjectCommands,
    PlanCommands,
    TicketCommands,
    TrialCommands,
    LoopCommands,
    OperationsCommands,
    EndingCommands,
    RequestCommands,
    RectificationCommands,
    AccessCommands,
    CalendarCommands,
    TimeTravel,
    Application,
):
    """The launch tracker's application service (event store chosen by ``DATABASE_URL``)."""

    name = "Tracker"
    snapshotting_intervals = {
        Project: DEFAULT_SNAPSHOT_INTERVAL,
        RequirementTicket: DEFAULT_SNAPSHOT_INTERVAL,
        TrialReview: DEFAULT_SNAPSHOT_INTERVAL,
        WorkingCalendar: DEFAULT_SNAPSHOT_INTERVAL,
    }

    def __init__(
        self,
        database_url: str | None = None,
        env: dict[str, str] | None = None,
        today: Callable[[], date] | None = None,
    ) -> None:
        self.store: StoreSetup = store_setup(database_url)
        settings = dict(self.store.env)
        settings.update(env or {})
        super().__init__(env=settings)
        self.today: Callable[[], date] = today or clock.today_source(self.env.get("TRACKER_TODAY"))
        """Today as the product judges it (overdue, deadlines, assessments, the date rule): the app's, or
        ``TRACKER_TODAY`` of the environment, or the Shanghai date of the real clock."""
        self.time_index: TimeIndex = self.store.time_index(self.recorder)
        self.file_catalog: FileCatalog = NoFiles()
        """The uploaded files commands may reference (``create_app`` gives the store's; none otherwise)."""
        interval = int(self.env.get("SNAPSHOT_INTERVAL") or DEFAULT_SNAPSHOT_INTERVAL)
        self.snapshotting_intervals = {cls: interval for cls in type(self).snapshotting_intervals} if interval else {}

    def construct_factory(self, env: Any) -> Any:
        """The store's own factory where it has one (PostgreSQL: bounded waits, reconnection)."""
        return self.store.construct_factory(env) or super().construct_factory(env)

    def register_transcodings(self, transcoder: Any) -> None:
        super().register_transcodings(transcoder)
        self.store.register_transcodings(transcoder)

    def construct_snapshot_store(self) -> Any:
        return self.store.snapshot_store(super().construct_snapshot_store(), self.recorder)

    # Loading and saving -------------------------------------------------

    def _load(
        self, cls: type[A], what: str, ident: UUID, expected_version: int | None = None, at_version: int | None = None
    ) -> A:
        if at_version is not None and at_version > MAX_VERSION:
            raise NotFound(f"{what} version", at_version)
        try:
            aggregate = self.repository.get(ident, version=at_version, projector_func=replay)
        except AggregateNotFoundError:
            raise NotFound(what, ident) from None
        if at_version is not None and aggregate.version != at_version:
            raise NotFound(f"{what} version", at_version)
        if not isinstance(aggregate, cls):
            raise NotFound(what, ident)
        if expected_version is not None and expected_version != aggregate.version:
            raise ConcurrentUpdate(expected_version, aggregate.version)
        return aggregate

    def load_project(self, project_id: UUID, expected_version: int | None = None) -> Project:
        return self._load(Project, "project", project_id, expected_version)

    def load_ticket(self, ticket_id: UUID, expected_version: int | None = None) -> RequirementTicket:
        return self._load(RequirementTicket, "ticket", ticket_id, expected_version)

    def load_review(self, review_id: UUID, expected_version: int | None = None) -> TrialReview:
        return self._load(TrialReview, "trial review", review_id, expected_version)

    def as_pm(self, actor: Actor, step: str, project_id: UUID, expected_version: int | None = None) -> Project:
        """Load a project for a PM command: role first (403), then existence (404), then appointment (403)."""
        rights.require_role(actor, step, PROJECT_MANAGER)
        project = self.load_project(project_id, expected_version)
        rights.require_appointed_pm(actor, step, project)
        return project

    def as_owner_lead(
        self,
        actor: Actor,
        step: str,
        project_id: UUID,
        owner: Callable[[Project], str],
        expected_version: int | None = None,
    ) -> Project:
        """Load a project for a step of an owner department's lead (a measure done, a request fulfilled, a
        handover item): role first (403), existence (404), the phase (409), then ``owner(project)``, the
        department the step belongs to (404 for an unknown entry, 403 for another department's lead)."""
        rights.require_role(actor, step, DEPARTMENT_LEAD)
        project = self.load_project(project_id, expected_version)
        project.require_step(step)
        rights.require_department_lead(actor, step, owner(project))
        return project

    def happened(self, **dates: Any) -> None:
        """Refuse (422 naming the field) a date of something that happened lying after today (``domain.happened``)."""
        not_after_today(self.today(), **dates)

    def commit(self, primary: TrackedAggregate, *others: TrackedAggregate, **data: Any) -> Outcome:
        """Save every changed aggregate in one atomic write; a version clash is a concurrent update.

        The time index (``event_times``) gets one time for the whole write, its first event's, so a
        read as of any time sees the write whole or not at all (a project approving a revision is
        never seen beside the tickets that approval cancelled still open). The first rather than the
        last: every event's own time (its history) is then at or after its indexed time, so a read as
        of a time taken from the history always shows that event.

        ``answer`` is what this method answers, for the recorder to store under an idempotency
        key when the caller claimed one (``store.idempotency``); the recorder adds the position.
        """
        pending = [e for a in (primary, *others) for e in a.pending_events]
        written = min((e.timestamp for e in pending), default=None)
        times = [(e.originator_id, e.originator_version, written) for e in pending]
        try:
            recordings = self.save(primary, *others, event_times=times, answer=(primary.id, primary.version, data))
        except self.store.conflict:
            raise ConcurrentUpdate() from None
        return Outcome(primary.id, primary.version, recordings[-1].notification.id, data)

    # Reads ----------------------------------------------------------------

    def tickets_of(self, project: Project) -> list[RequirementTicket]:
        return [self.load_ticket(t.id) for t in project.tickets]

    def current_ticket_states(self, project: Project) -> dict[str, str]:
        """Requirement ref → state of its active ticket (what the trial gate checks)."""
        return {t.requirement_ref: self.load_ticket(t.id).state for t in project.tickets if t.active}

    def history(self, aggregate_id: UUID, after: int | None = None, limit: int | None = None) -> list[Any]:
        """The aggregate's events in order; ``after``/``limit``: those after that version, at most ``limit``."""
        events = list(self.events.get(aggregate_id, gt=after, limit=limit))
        if not events and not after:
            raise NotFound("aggregate", aggregate_id)
        return events


def tracker_from_environment() -> Tracker:
    """The tracker on ``DATABASE_URL`` (or the default store)."""
    return Tracker()
