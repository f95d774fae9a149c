"""The working-day calendar: recording a year's official schedule, and the calendar counts use.

Recording (or revising) a year recounts, in the same write, every open working-day deadline
whose count the new schedule changes. They are found in the log (``store.working_day_counts``)
among the four events that start a working-day count (ticket issued, improvement recorded,
nonconformity recorded, customer request recorded), keeping only counts started from two years
before the year on (a count of at most 250 working days started earlier cannot reach it); only
those aggregates are loaded.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.utils import get_topic

from domain import rights
from domain.errors import ConcurrentUpdate
from domain.phases import CANCELLED
from domain.project import Project
from domain.roles import OPERATIONS_DIRECTOR, Actor
from domain.ticket import RequirementTicket
from domain.trial_review import TrialReview
from domain.working_calendar import WorkingCalendar, calendar_id
from domain.working_days import WorkingDays, schedule_from, years_a_count_may_reach

STARTS = {
    get_topic(RequirementTicket.Issued): "ticket",
    get_topic(Project.ImprovementRecorded): "project",
    get_topic(Project.RequestRecorded): "project",
    get_topic(TrialReview.NonconformityRecorded): "review",
}


class CalendarCommands:
    def calendar_of(self, year: int, version: int | None = None) -> WorkingCalendar | None:
        try:
            found = self.repository.get(calendar_id(year), version=version)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, WorkingCalendar) else None

    def working_days(self, years: range) -> WorkingDays:
        """The calendar with the recorded schedules of ``years`` (one read each)."""
        recorded = {year: c.schedule() for year in years if (c := self.calendar_of(year)) is not None}
        return WorkingDays(recorded)

    def working_days_from(self, day: date) -> WorkingDays:
        """The calendar a count from ``day`` needs."""
        return self.working_days(years_a_count_may_reach(day))

    def record_working_calendar(
        self,
        actor: Actor,
        year: int,
        holidays: list[dict[str, Any]],
        makeup_days: list[date],
        reference: str,
        reason: str = "",
        expected_version: int | None = None,
    ) -> Any:
        """Record the year's schedule (or revise it, with a reason) and recount the deadlines it moves.

        The same schedule again revises nothing (no reason needed) but still recounts: it sweeps up a
        deadline counted provisionally by a command that ran alongside the recording."""
        rights.require_role(actor, "record_working_calendar", OPERATIONS_DIRECTOR)
        schedule = schedule_from(year, holidays, makeup_days, reference)
        calendar = self.calendar_of(year)
        if calendar is None:
            calendar = WorkingCalendar.record_schedule(actor, schedule, reason if isinstance(reason, str) else "")
        else:
            if expected_version is not None and expected_version != calendar.version:
                raise ConcurrentUpdate(expected_version, calendar.version)
            if schedule != calendar.schedule():
                calendar.revise_schedule(actor, schedule, reason)
        counting = self.working_days(range(year - 2, year + 3))
        counting = WorkingDays({**counting.recorded, year: schedule})
        touched = self.recount_deadlines(actor, counting, year, schedule.reference)
        recounted = [
            {
                "aggregate_id": a.id,
                "type": type(e).__name__,
                "n": getattr(e, "n", None),
                "old_due": e.old_due,
                "new_due": e.new_due,
                "provisional": e.provisional,
            }
            for a in touched
            for e in a.pending_events
        ]
        if not touched and not calendar.pending_events:  # the same schedule again, nothing left to recount
            from domain.application import Outcome  # (the tracker imports this module)

            return Outcome(
                calendar.id, calendar.version, self.recorder.max_notification_id() or 0, {"year": year, "recounted": []}
            )
        return self.commit(calendar, *touched, year=year, recounted=recounted)

    def recount_deadlines(self, actor: Actor, calendar: WorkingDays, year: int, reference: str) -> list[Any]:
        """Every open working-day deadline the calendar now counts differently, recounted (not saved)."""
        touched: list[Any] = []
        for kind, ident in self._counts_that_may_reach(year):
            if kind == "ticket":
                ticket = self.load_ticket(ident)
                if ticket.recount_due(actor, calendar, year, reference):
                    touched.append(ticket)
            elif kind == "project":
                project = self.load_project(ident)
                improvements = project.recount_improvement_dues(actor, calendar, year, reference)
                if project.recount_request_dues(actor, calendar, year, reference) + improvements:
                    touched.append(project)
            else:
                review = self.load_review(ident)
                if self.load_project(review.project_id).phase == CANCELLED:
                    continue
                if review.recount_corrective_action_dues(actor, calendar, year, reference):
                    touched.append(review)
        return touched

    def _counts_that_may_reach(self, year: int) -> list[tuple[str, UUID]]:
        """(kind, id) of aggregates with a working-day count started from ``year`` − 2 to ``year``, once each."""
        return self.store.counts_started_between(
            self.recorder, self.mapper, STARTS, date(year - 2, 1, 1), date(year, 12, 31)
        )
