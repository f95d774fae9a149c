"""Time travel, in one place: an aggregate as of a time or a version, a project's tickets and plan as of a time.

Reads the event store itself through the time index written with the events (``event_times``,
``domain.ports.TimeIndex``), not the view tables, so an answer is exact whatever the views' lag.
A mixin of the application service (``Tracker``), which brings ``_load``, ``events`` and ``time_index``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.errors import NotFound, NotYetCreated
from domain.project import Project
from domain.ticket import RequirementTicket
from domain.trial_review import TrialReview


class TimeTravel:
    _load: Any
    events: Any
    time_index: Any

    def project_as_it_was(self, project_id: UUID, version: int | None = None) -> Project:
        return self._load(Project, "project", project_id, at_version=version)

    def ticket_as_it_was(self, ticket_id: UUID, version: int | None = None) -> RequirementTicket:
        return self._load(RequirementTicket, "ticket", ticket_id, at_version=version)

    def review_as_it_was(self, review_id: UUID, version: int | None = None) -> TrialReview:
        return self._load(TrialReview, "trial review", review_id, at_version=version)

    def version_at(self, aggregate_id: UUID, when: datetime, what: str = "aggregate") -> int:
        """The aggregate's version as it stood at ``when``: NotYetCreated (naming when it was
        created) if it did not exist yet, NotFound if it never did; ``what`` names it.

        The recorder keeps a time index written with the events (``event_times``); events
        recorded without it (none, normally) fall back to scanning the history.
        """
        version = self.time_index.version_at(aggregate_id, when)
        if version is not None:
            return version
        history = list(self.events.get(aggregate_id))
        if not history:
            raise NotFound(what, aggregate_id)
        version = self._scanned_version_at(history, when)
        if version is None:
            raise NotYetCreated(what, aggregate_id, when, history[0].timestamp)
        return version

    @staticmethod
    def _scanned_version_at(events: Any, when: datetime) -> int | None:
        """The version at ``when`` read from the events themselves (for events the index lacks)."""
        version = None
        for event in events:
            if event.timestamp > when:
                break
            version = event.originator_version
        return version

    def versions_at(self, aggregate_ids: list[UUID], when: datetime) -> dict[UUID, int]:
        """``version_at`` of several aggregates, in one query where the recorder can; an aggregate
        that did not exist yet at ``when`` is left out."""
        found = self.time_index.versions_at(aggregate_ids, when)
        versions = {ident: found.get(str(ident)) for ident in aggregate_ids}
        for ident, version in versions.items():
            if version is None:
                versions[ident] = self._scanned_version_at(self.events.get(ident), when)
        return {ident: version for ident, version in versions.items() if version is not None}

    def written_at(self, aggregate_id: UUID, version: int) -> datetime | None:
        """When the write that made ``version`` happened, per the time index (None: not indexed)."""
        at = self.time_index.written_at(aggregate_id, version)
        return datetime.fromisoformat(at) if at is not None else None

    def project_at(self, project_id: UUID, when: datetime) -> Project:
        """The project as it stood at ``when`` (NotYetCreated before it was created)."""
        return self.project_as_it_was(project_id, self.version_at(project_id, when, "project"))

    def tickets_at(self, project: Project, when: datetime) -> dict[str, RequirementTicket]:
        """The project's tickets as they stood at ``when``, by id as text (one not yet issued then is left out)."""
        tickets = {}
        for entry in project.tickets:
            try:
                tickets[str(entry["id"])] = self.ticket_as_it_was(entry["id"], self.version_at(entry["id"], when))
            except NotFound:
                continue
        return tickets

    def reviews_at(self, project: Project, when: datetime) -> list[TrialReview]:
        """The project's trial reviews as they stood at ``when``, in the order held (one not yet opened is left out)."""
        ids = [record.review_id for record in project.reviews]
        versions = self.versions_at(ids, when)
        return [self.review_as_it_was(ident, versions[ident]) for ident in ids if ident in versions]

    def plan_in_force(self, project_id: UUID, when: datetime) -> dict[str, Any] | None:
        """The project's current plan at ``when`` with its ``plan_version`` (None: no project or no plan then)."""
        try:
            project = self.project_at(project_id, when)
        except NotYetCreated:
            return None
        if project.current_plan is None:
            return None
        return {**project.current_plan, "plan_version": project.current_plan_version}

    def ticket_states(
        self, project: Project, as_of: datetime | None = None, version: int | None = None
    ) -> dict[UUID, str]:
        """Each ticket of ``project`` (id → state): now, or as they stood at the time asked (``as_of``), or
        when the project reached ``version`` (the time of the write that made it, so that tickets that same
        write changed — a revision's cancellations — show their new state, and the answer at a version is
        the same whenever it is asked)."""
        ids = [entry["id"] for entry in project.tickets]
        when = as_of
        if when is None and version is not None:
            when = self.written_at(project.id, project.version) or project.modified_on
        if when is None:
            return {ident: self._load(RequirementTicket, "ticket", ident).state for ident in ids}
        versions = self.versions_at(ids, when)
        # A ticket the project lists was issued by then; only index rows written before writes had
        # one time (each event its own) can place its issue just after the project's event.
        return {ident: self.ticket_as_it_was(ident, versions.get(ident, 1)).state for ident in ids}
