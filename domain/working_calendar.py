"""A year's official working-day schedule (节假日安排), as the operations director recorded it.

One aggregate per year (id ``uuid5`` of the year, so a command finds it without a lookup):
``ScheduleRecorded`` first, then a ``ScheduleRevised`` for each correction, with its reason.
Events keep the schedule whole (holidays with names, make-up days, the notice's reference),
so the history shows what each count used at the time.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import InvalidInput, RuleViolated
from domain.roles import Actor
from domain.tracked import TrackedAggregate, own
from domain.working_days import Schedule

RECORDED = "recorded"


def calendar_id(year: int) -> UUID:
    return uuid5(NAMESPACE_URL, f"urn:tracker:working-calendar:{year}")


def _holidays(schedule: Schedule) -> list[dict[str, Any]]:
    return [{"date": day, "name": name} for day, name in schedule.holidays.items()]


class WorkingCalendar(TrackedAggregate):
    STEPS = {"revise_schedule": frozenset({RECORDED})}

    @property
    def current(self) -> str:
        return RECORDED

    @staticmethod
    def create_id(year: int) -> UUID:
        return calendar_id(year)

    class ScheduleRecorded(TrackedAggregate.Created):
        year: int
        holidays: list[dict[str, Any]]
        makeup_days: list[date]
        reference: str
        reason: str

        def apply(self, calendar: WorkingCalendar) -> None:
            calendar.year = self.year
            calendar.holidays = own(self.holidays)
            calendar.makeup_days = own(self.makeup_days)
            calendar.reference = self.reference

    @classmethod
    def record_schedule(cls, actor: Actor, schedule: Schedule, reason: str) -> WorkingCalendar:
        return cls.start(
            cls.ScheduleRecorded,
            actor,
            year=schedule.year,
            holidays=_holidays(schedule),
            makeup_days=sorted(schedule.makeup_days),
            reference=schedule.reference,
            reason=reason.strip(),
        )

    class ScheduleRevised(TrackedAggregate.Event):
        """A correction of the recorded schedule (a misread notice, an amended notice)."""

        holidays: list[dict[str, Any]]
        makeup_days: list[date]
        reference: str
        reason: str

        def apply(self, calendar: WorkingCalendar) -> None:
            calendar.holidays = own(self.holidays)
            calendar.makeup_days = own(self.makeup_days)
            calendar.reference = self.reference

    def revise_schedule(self, actor: Actor, schedule: Schedule, reason: str) -> None:
        self.require_step("revise_schedule")
        if not isinstance(reason, str) or not reason.strip():
            raise InvalidInput({"reason": f"say why the recorded schedule of {self.year} is corrected"})
        if schedule == self.schedule():
            raise RuleViolated("schedule_unchanged", f"the schedule of {self.year} is already recorded as given")
        self.record(
            self.ScheduleRevised,
            actor,
            holidays=_holidays(schedule),
            makeup_days=sorted(schedule.makeup_days),
            reference=schedule.reference,
            reason=reason.strip(),
        )

    def schedule(self) -> Schedule:
        return Schedule(
            self.year,
            {h["date"]: h["name"] for h in self.holidays},
            frozenset(self.makeup_days),
            self.reference,
        )
