"""Today as the product judges it (``TRACKER_TODAY`` or the Shanghai date of the clock), and the rule
that dates of things that happened may not lie after it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from demo.workflow import PM, SALES, SERVICE_MANAGER, SYSMAINT_LEAD, Launch
from domain import clock
from domain.errors import InvalidInput
from tests.project_support import refused

BEIJING = timezone(timedelta(hours=8))


def test_tracker_today_fixes_the_day_and_the_events_keep_the_real_clock(make_tracker):
    tracker = make_tracker(TRACKER_TODAY="2027-06-30")
    launch = Launch(tracker).advance_to("implementation")
    assert tracker.today() == date(2027, 6, 30)
    tracker.hold_meeting(PM, launch.project_id, date(2027, 6, 30), ["hr"], ["ok"])
    event = tracker.history(launch.project_id)[-1]
    assert abs(event.timestamp - datetime.now(UTC)) < timedelta(minutes=5)


def test_without_tracker_today_it_is_the_shanghai_date_of_the_clock(make_tracker, monkeypatch):
    tracker = make_tracker(TRACKER_TODAY="")
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
    assert tracker.today() == date(2027, 1, 1)


def test_a_bad_tracker_today_says_how_to_write_it(make_tracker):
    with pytest.raises(ValueError, match="2027-06-30"):
        make_tracker(TRACKER_TODAY="30/06/2027")


def test_a_meeting_held_tomorrow_is_refused_naming_held_on_and_nothing_is_recorded(make_tracker):
    tracker = make_tracker(TRACKER_TODAY="2027-01-10")
    pid = Launch(tracker).advance_to("implementation").project_id
    error = refused(tracker, pid, InvalidInput, tracker.hold_meeting, PM, pid, date(2027, 1, 11), ["hr"], ["x"])
    assert list(error.details) == ["held_on"]
    tracker.hold_meeting(PM, pid, date(2027, 1, 10), ["hr"], ["today is fine"])


def test_audits_feedback_reports_and_outages_may_not_lie_after_today(make_tracker):
    tracker = make_tracker(TRACKER_TODAY="2026-12-15")
    pid = Launch(tracker).advance_to("trial_operation").project_id
    later, start = date(2026, 12, 16), date(2026, 12, 7)
    cases = [
        ("held_on", tracker.record_process_audit, (SERVICE_MANAGER, pid, later, ["x"], True)),
        ("received_on", tracker.relay_customer_feedback, (SALES, pid, later, "pleased")),
        ("period_end", tracker.record_kpi_report, (SERVICE_MANAGER, pid, start, later, {"answer_rate": 95})),
        ("period_end", tracker.file_equipment_report, (SYSMAINT_LEAD, pid, start, later, "fine")),
        (
            "ended_at",
            tracker.record_outage,
            (SYSMAINT_LEAD, pid, datetime(2026, 12, 15, 23, 0, tzinfo=BEIJING),
             datetime(2026, 12, 16, 0, 10, tzinfo=BEIJING), True, "switch"),
        ),
    ]  # fmt: skip
    for field, command, args in cases:
        error = refused(tracker, pid, InvalidInput, command, *args)
        assert list(error.details) == [field], command.__name__
    tracker.record_outage(
        SYSMAINT_LEAD, pid, datetime(2026, 12, 15, 9, tzinfo=UTC), datetime(2026, 12, 15, 15, 59, tzinfo=UTC), True, "x"
    )  # 23:59 in Shanghai: still today
