"""The working-day calendar: ``PUT /api/calendar/{year}`` (operations director), ``GET`` for anyone signed in."""

from __future__ import annotations

from datetime import date
from typing import Any

import chinese_calendar
from flask.views import MethodView

from api import idempotency
from api.guard import Blueprint
from api.http import describe, run, tracker
from api.schemas.calendar import ScheduleIn, ScheduleOut
from api.schemas.common import CommandResult
from domain.calendar import FIRST_YEAR
from domain.errors import NotFound
from domain.working_days import LAST_RECORDABLE_YEAR, PACKAGE, RECORDED, WorkingDays

blp = Blueprint("calendar", __name__, url_prefix="/api/calendar", description="Working-day calendar")
BLUEPRINTS = [blp]


@blp.route("/<int:year>")
class YearSchedule(MethodView):
    @blp.response(200, ScheduleOut)
    def get(self, year: int) -> dict[str, Any]:
        """The year's schedule and where it comes from: recorded (with its history), the package, or none."""
        if not FIRST_YEAR <= year <= LAST_RECORDABLE_YEAR:
            raise NotFound("working-day calendar", year)
        recorded = tracker().calendar_of(year)
        if recorded is not None:
            return {
                "year": year,
                "source": RECORDED,
                "version": recorded.version,
                "reference": recorded.reference,
                "holidays": recorded.holidays,
                "makeup_days": recorded.makeup_days,
                "history": [describe(e) for e in tracker().history(recorded.id)],
            }
        source = WorkingDays().source(year)
        holidays, makeup = _from_package(year) if source == PACKAGE else ([], [])
        return {
            "year": year,
            "source": source,
            "version": None,
            "reference": None,
            "holidays": holidays,
            "makeup_days": makeup,
            "history": [],
        }

    @blp.doc(parameters=[idempotency.PARAMETER])
    @blp.arguments(ScheduleIn)
    @blp.response(200, CommandResult)
    def put(self, body: dict[str, Any], year: int) -> dict[str, Any]:
        """Record the year's official schedule (operations director); again, with a reason, to correct it.
        Open deadlines counted in working days that the schedule moves are recounted in the same write."""
        return run(tracker().record_working_calendar, year, **body)


def _from_package(year: int) -> tuple[list[dict[str, Any]], list[date]]:
    """The package's holidays (names in English, as it has them) and make-up days of ``year``."""
    holidays = [{"date": d, "name": n} for d, n in sorted(chinese_calendar.holidays.items()) if d.year == year]
    return holidays, sorted(d for d in chinese_calendar.workdays if d.year == year)
