"""Monthly assessment (月度考核): each month from go-live judged from the KPI reports covering it,
and the customer's termination right after consecutive failed months."""

from __future__ import annotations

from datetime import date

from tests.assessment_support import MET, MISSED, live_hotline, report


def outcomes(tracker, launch, today: date) -> dict[str, str]:
    answer = tracker.assessments(launch.project, today)
    return {item["month"]: item["outcome"] for item in answer["items"]}


def test_three_failed_months_in_a_row_give_the_termination_right(make_tracker):
    tracker = make_tracker(TRACKER_TODAY="2027-04-30")
    launch = live_hotline(tracker)
    report(tracker, launch, "2026-12", MET, start=date(2026, 12, 21))
    for month in ("2027-01", "2027-02", "2027-03"):
        report(tracker, launch, month, MISSED)

    answer = tracker.assessments(launch.project)

    assert [(i["month"], i["outcome"]) for i in answer["items"]] == [
        ("2026-12", "passed"), ("2027-01", "failed"), ("2027-02", "failed"), ("2027-03", "failed"), ("2027-04", "open"),
    ]  # fmt: skip
    assert answer["consecutive_failed"] == 3
    assert answer["termination_right"] is True
    assert answer["failed_months"] == ["2027-01", "2027-02", "2027-03"]
    [answer_rate, handle_time] = answer["items"][1]["kpis"]
    assert answer_rate == {"kpi": "answer_rate", "target": "95", "direction": "at_least", "actual": "91", "met": False}
    assert handle_time["met"] is True


def test_a_passed_month_resets_the_count(make_tracker):
    tracker = make_tracker(TRACKER_TODAY="2027-05-31")
    launch = live_hotline(tracker)
    for month, figures in (("2027-01", MISSED), ("2027-02", MISSED), ("2027-03", MET), ("2027-04", MISSED)):
        report(tracker, launch, month, figures)
    report(tracker, launch, "2026-12", MISSED, start=date(2026, 12, 21))

    answer = tracker.assessments(launch.project)

    assert answer["consecutive_failed"] == 1 and answer["failed_months"] == ["2027-04"]
    assert answer["termination_right"] is False


def test_the_contract_sets_how_many_failed_months_give_the_right(make_tracker):
    tracker = make_tracker(TRACKER_TODAY="2027-03-31")
    launch = live_hotline(tracker, termination_after_failed_months=2)
    report(tracker, launch, "2027-01", MISSED)
    report(tracker, launch, "2027-02", MISSED)
    answer = tracker.assessments(launch.project)
    assert answer["termination_right"] is True and answer["termination_after_failed_months"] == 2


def test_a_month_without_a_report_is_missing_after_the_fifth_working_day_of_the_next_month(make_tracker):
    """December 2026's report is due by the 5th working day of January 2027: 1 January is a holiday,
    so Monday 4 to Friday 8 January; on Thursday 7th (the 4th) and on the 8th the month is still open."""
    tracker = make_tracker(TRACKER_TODAY="2027-01-31")
    launch = live_hotline(tracker)
    assert outcomes(tracker, launch, date(2026, 12, 31))["2026-12"] == "open"
    assert outcomes(tracker, launch, date(2027, 1, 7))["2026-12"] == "open"
    assert outcomes(tracker, launch, date(2027, 1, 8))["2026-12"] == "open"
    assert outcomes(tracker, launch, date(2027, 1, 9))["2026-12"] == "missing"
    assert tracker.assessments(launch.project, date(2027, 1, 9))["items"][0]["report_due"] == date(2027, 1, 8)


def test_missing_months_count_towards_the_termination_right(make_tracker):
    tracker = make_tracker(TRACKER_TODAY="2027-04-30")
    launch = live_hotline(tracker)
    report(tracker, launch, "2027-02", MISSED)
    answer = tracker.assessments(launch.project)
    assert [i["outcome"] for i in answer["items"]] == ["missing", "missing", "failed", "missing", "open"]
    assert answer["consecutive_failed"] == 4 and answer["termination_right"] is True


def test_several_reports_in_a_month_are_judged_by_the_worst_figure(make_tracker):
    """A weekly report that misses fails the month even when the others meet the target;
    a report spanning two months covers both."""
    tracker = make_tracker(TRACKER_TODAY="2027-03-31")
    launch = live_hotline(tracker)
    report(tracker, launch, "2027-01", MET, end=date(2027, 1, 20))
    report(tracker, launch, "2027-01", {"answer_rate": "94.9"}, start=date(2027, 1, 21), end=date(2027, 2, 28))
    answer = tracker.assessments(launch.project)
    months = {i["month"]: i for i in answer["items"]}
    assert months["2027-01"]["outcome"] == "failed"
    assert months["2027-01"]["kpis"][0]["actual"] == "94.9"
    assert months["2027-02"]["outcome"] == "failed"  # the only report gives no handle time: not shown met
    assert months["2027-02"]["kpis"][1] == {
        "kpi": "average_handle_time", "target": "300", "direction": "at_most", "actual": None, "met": False,
    }  # fmt: skip


def test_before_go_live_there_is_nothing_to_assess(make_tracker):
    from demo.workflow import Launch

    tracker = make_tracker(TRACKER_TODAY="2027-03-31")
    launch = Launch(tracker).advance_to("trial_operation")
    answer = tracker.assessments(launch.project)
    assert answer["items"] == [] and answer["termination_right"] is False
