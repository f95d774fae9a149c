"""Recounting working-day deadlines kept as entries: improvement measures (on the project) and
corrective actions (on the trial review), when a year's schedule is recorded or revised.

An entry counted in working days keeps its start (``due_counted_from``) and count, so it can be
counted again from them; only an entry whose due date moves (or stops being provisional) gets an
event, with the old and the new date and the notice's reference.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from domain import phases as ph
from domain.roles import Actor
from domain.tracked import TrackedAggregate
from domain.working_days import WorkingDays

if TYPE_CHECKING:
    from domain.project import Project
    from domain.review_records import Nonconformity
    from domain.trial_records import Improvement
    from domain.trial_review import TrialReview

    Counted = Improvement | Nonconformity


def counted_entry(event: Any) -> dict[str, Any]:
    """The working-day fields an entry keeps (none when its due date was given as a date)."""
    if event.due_in_working_days is None:
        return {}
    return {
        "due_in_working_days": event.due_in_working_days,
        "due_counted_from": event.due_counted_from,
        "provisional": event.due_provisional,
    }


def recounted(entries: Sequence[Counted], calendar: WorkingDays) -> Iterator[tuple[int, dict[str, Any]]]:
    """(n, the recount event's data) of each entry whose count gives a new answer."""
    for n, entry in enumerate(entries, start=1):
        start, days = entry.due_counted_from, entry.due_in_working_days
        if start is None or days is None:
            continue
        counted = calendar.deadline(start, days)
        if (counted.due, counted.provisional) != (entry.due, entry.provisional):
            yield n, {"old_due": entry.due, "new_due": counted.due, "provisional": counted.provisional}


class DueRecountedEntry(TrackedAggregate.Event):
    n: int
    old_due: date
    new_due: date
    provisional: bool
    year: int
    reference: str

    def entries(self, aggregate: Any) -> Sequence[Counted]:
        raise NotImplementedError

    def apply(self, aggregate: Any) -> None:
        entry = self.entries(aggregate)[self.n - 1]
        entry.due, entry.provisional = self.new_due, self.provisional


class ImprovementRecounts:
    """On the project: its improvement measures, while the project is not cancelled."""

    class ImprovementDueRecounted(DueRecountedEntry):
        def entries(self, project: Project) -> list[Improvement]:
            return project.trial.improvements

    def recount_improvement_dues(self, actor: Actor, calendar: WorkingDays, year: int, reference: str) -> int:
        if self.phase == ph.CANCELLED or not self.trial:
            return 0
        changes = list(recounted(self.trial.improvements, calendar))
        for n, change in changes:
            self.record(self.ImprovementDueRecounted, actor, n=n, year=year, reference=reference, **change)
        return len(changes)


class CorrectiveActionRecounts:
    """On the trial review: its nonconformities' corrective actions (the caller checks the project is open)."""

    class CorrectiveActionDueRecounted(DueRecountedEntry):
        def entries(self, review: TrialReview) -> list[Nonconformity]:
            return review.nonconformities

    def recount_corrective_action_dues(self, actor: Actor, calendar: WorkingDays, year: int, reference: str) -> int:
        changes = list(recounted(self.nonconformities, calendar))
        for n, change in changes:
            self.record(self.CorrectiveActionDueRecounted, actor, n=n, year=year, reference=reference, **change)
        return len(changes)
