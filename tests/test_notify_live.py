"""What the notifications' sweep finds in a running project (``projections/notify_live.py``): a month
told missing only after its report's 5th working day, told again as failed when a late report fails
it, only recent months, and due dates judged in working days."""

from __future__ import annotations

from datetime import date, timedelta

from demo.workflow import PM, SALES
from domain.assessments import report_due
from projections.notify_live import live_causes
from tests.assessment_support import MET, MISSED, live_hotline, report


def causes(tracker, launch, today: date) -> dict[str, str]:
    calendar = tracker.working_days(range(2026, 2029))
    return {cause: rule for rule, cause, _ in live_causes(tracker.load_project(launch.project_id), today, calendar)}


def test_an_unreported_month_is_told_missing_after_its_fifth_working_day_then_failed_by_a_late_report(tracker):
    launch = live_hotline(tracker)
    report(tracker, launch, "2027-04", MET)
    due = report_due("2027-05", tracker.working_days(range(2027, 2028)))
    may = f"assessment:{launch.project_id}:2027-05"

    assert not [c for c in causes(tracker, launch, due) if c.startswith(may)]
    assert causes(tracker, launch, due + timedelta(days=1))[f"{may}:missing"] == "assessment_missing"
    report(tracker, launch, "2027-05", MISSED)
    told = causes(tracker, launch, due + timedelta(days=1))
    assert told[f"{may}:failed"] == "assessment_failed" and f"{may}:missing" not in told
    assert not [c for c in told if ":2027-03:" in c or ":2027-04:" in c]  # March is history; April passed


def test_a_rectification_is_told_to_its_owner_two_working_days_before_and_after_its_due_date(tracker):
    launch = live_hotline(tracker)
    tracker.notify_rectification(SALES, launch.project_id, "2027-04", "ZG-1", date(2027, 6, 21), 5)  # due Mon 28 June
    key = f"{launch.project_id}:1:2027-06-28"

    assert not [c for c in causes(tracker, launch, date(2027, 6, 23)) if c.startswith("rectification")]
    assert causes(tracker, launch, date(2027, 6, 24))[f"rectification_due_soon:{key}:notified"]  # Thu: Fri, Mon left
    tracker.plan_rectification(PM, launch.project_id, 1, ["retrain"])
    assert causes(tracker, launch, date(2027, 6, 29))[f"rectification_overdue:{key}:planned"]
