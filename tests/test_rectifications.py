"""Rectification (整改): after a failed or missing month sales records the customer's notice, the PM
plans, the service manager completes with evidence, the PM closes; each step once, in that order."""

from __future__ import annotations

from datetime import date

import pytest

from demo.workflow import PM, SALES, SERVICE_MANAGER, Launch
from domain.errors import InvalidInput, InvalidTransition, NotAllowed, RuleViolated
from domain.rectifications import overdue
from tests.assessment_support import MET, MISSED, live_hotline, report
from tests.project_support import refused


@pytest.fixture
def tracker(make_tracker):
    return make_tracker(TRACKER_TODAY="2027-03-31")


def failed_january(tracker) -> Launch:
    launch = live_hotline(tracker)
    report(tracker, launch, "2027-01", MISSED)
    report(tracker, launch, "2027-02", MET)
    return launch


def test_a_rectification_runs_notice_plan_completion_closure(tracker):
    launch = failed_january(tracker)
    pid = launch.project_id

    outcome = tracker.notify_rectification(SALES, pid, "2027-01", "整改通知 ZG-2027-01", date(2027, 2, 8))
    assert outcome.data["rectification"] == 1
    assert outcome.data["due"] == date(2027, 2, 25)  # 10 working days after 8 Feb: 9–12 are the Spring Festival,
    # 15–19, Saturday 20 (make-up), 22–25
    tracker.plan_rectification(PM, pid, 1, ["two more agents at peak", "daily answer-rate check"])
    tracker.complete_rectification(SERVICE_MANAGER, pid, 1, "answer rate 96 % for two weeks")
    tracker.close_rectification(PM, pid, 1, "verified with the customer")

    [entry] = launch.project.rectifications
    assert (entry["state"], entry["month"], entry["outcome"]) == ("closed", "2027-01", "failed")
    assert entry["plan"]["measures"] == ["two more agents at peak", "daily answer-rate check"]
    assert entry["completion"]["by"] == SERVICE_MANAGER.user and entry["closure"]["by"] == PM.user
    types = [type(e).__name__ for e in tracker.history(pid)[-4:]]
    assert types == ["RectificationNotified", "RectificationPlanned", "RectificationCompleted", "RectificationClosed"]


def test_a_missing_month_may_be_rectified_too(make_tracker):
    tracker = make_tracker(TRACKER_TODAY="2027-02-28")
    launch = live_hotline(tracker)
    outcome = tracker.notify_rectification(SALES, launch.project_id, "2027-01", "ZG-2", date(2027, 2, 20), 3)
    assert launch.project.rectifications[0]["outcome"] == "missing"
    assert outcome.data["due"] == date(2027, 2, 24)  # Saturday 20th is a make-up working day; 22, 23, 24


def test_a_passed_or_open_month_is_not_rectified_and_nothing_is_recorded(tracker):
    pid = failed_january(tracker).project_id
    for month in ("2027-02", "2027-03", "2026-11"):
        refused(tracker, pid, RuleViolated, tracker.notify_rectification, SALES, pid, month, "ZG", date(2027, 3, 1))


def test_steps_out_of_order_are_refused_with_the_allowed_step(tracker):
    pid = failed_january(tracker).project_id
    tracker.notify_rectification(SALES, pid, "2027-01", "ZG-1", date(2027, 2, 8))
    error = refused(tracker, pid, InvalidTransition, tracker.complete_rectification, SERVICE_MANAGER, pid, 1, "done")
    assert (error.current, error.allowed) == ("notified", ["plan_rectification"])
    tracker.plan_rectification(PM, pid, 1, ["m"])
    error = refused(tracker, pid, InvalidTransition, tracker.plan_rectification, PM, pid, 1, ["again"])
    assert error.allowed == ["complete_rectification"]


def test_refusals_record_nothing(tracker):
    pid = failed_january(tracker).project_id
    notify = tracker.notify_rectification
    refused(tracker, pid, NotAllowed, notify, PM, pid, "2027-01", "ZG", date(2027, 2, 8))
    refused(tracker, pid, InvalidInput, notify, SALES, pid, "2027-01", " ", date(2027, 2, 8))
    refused(tracker, pid, InvalidInput, notify, SALES, pid, "2027-13", "ZG", date(2027, 2, 8))
    error = refused(tracker, pid, InvalidInput, notify, SALES, pid, "2027-01", "ZG", date(2027, 4, 1))
    assert list(error.details) == ["received_on"]
    refused(tracker, pid, InvalidInput, notify, SALES, pid, "2027-01", "ZG", date(2027, 2, 8), 0)
    tracker.notify_rectification(SALES, pid, "2027-01", "ZG-1", date(2027, 2, 8))
    refused(tracker, pid, InvalidInput, tracker.plan_rectification, PM, pid, 1, [])
    refused(tracker, pid, NotAllowed, tracker.plan_rectification, SALES, pid, 1, ["m"])


def test_a_rectification_not_completed_by_its_due_date_is_overdue(tracker):
    pid = failed_january(tracker).project_id
    tracker.notify_rectification(SALES, pid, "2027-01", "ZG-1", date(2027, 2, 8))
    entry = tracker.load_project(pid).rectifications[0]
    assert not overdue(entry, date(2027, 2, 25)) and overdue(entry, date(2027, 2, 26))
    tracker.plan_rectification(PM, pid, 1, ["m"])
    tracker.complete_rectification(SERVICE_MANAGER, pid, 1, "evidence")
    assert not overdue(tracker.load_project(pid).rectifications[0], date(2027, 3, 31))


def test_rectifications_only_while_live(tracker):
    launch = Launch(tracker).advance_to("trial_operation")
    pid = launch.project_id
    refused(
        tracker, pid, InvalidTransition, tracker.notify_rectification, SALES, pid, "2027-01", "ZG", date(2027, 2, 8)
    )


@pytest.mark.backends("memory", "sqlite")
def test_rectifications_survive_snapshots(make_tracker):
    """A snapshot taken before any rectification (the class default) and after each step."""
    tracker = make_tracker(TRACKER_TODAY="2027-03-31", SNAPSHOT_INTERVAL="2")
    pid = failed_january(tracker).project_id
    tracker.notify_rectification(SALES, pid, "2027-01", "ZG-1", date(2027, 2, 8))
    tracker.plan_rectification(PM, pid, 1, ["m"])
    tracker.complete_rectification(SERVICE_MANAGER, pid, 1, "evidence")
    if tracker.load_project(pid).version % 2:  # (an even version has its snapshot already, by the interval)
        tracker.take_snapshot(pid)
    entry = tracker.load_project(pid).rectifications[0]
    assert (entry["state"], entry["received_on"], entry["plan"]["measures"]) == ("completed", date(2027, 2, 8), ["m"])
