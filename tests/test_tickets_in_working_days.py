"""Ticket due dates given in working days (工作日): "due 5 working days after issue".

The count runs on the real mainland-China calendar from the issue day in Shanghai; the approved
plan's completion dates stay the limit, and a year the calendar lacks is refused by name.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from demo.workflow import PM, SALES, Launch, plan, requirement
from domain import clock
from domain.calendar import CalendarNotCovered
from domain.errors import InvalidInput, RuleViolated
from tests.project_support import refused


def approved(tracker, *requirements: dict, **plan_dates: date) -> Launch:
    """A project in implementation whose approved plan has ``requirements`` (default R1 hr, R2 technology)."""
    return Launch(tracker).register().appoint().draft(plan(*requirements, **plan_dates)).submit_plan().approve_plan()


def issued_events(tracker, items: list[dict]) -> list:
    return [tracker.history(item["id"])[0] for item in items]


@pytest.mark.backends()
def test_due_in_working_days_skips_the_national_day_holiday(tracker):
    """Issued on Wednesday 30 September 2026, 3 working days: 8, 9 and Saturday 10 October (a make-up day)."""
    launch = approved(tracker)

    outcome = tracker.issue_tickets(PM, launch.project_id, due_in_working_days=3, issued_on=date(2026, 9, 30))

    items = outcome.data["items"]
    assert [i["requirement_ref"] for i in items] == ["R1", "R2"]
    for item in items:
        ticket = tracker.load_ticket(item["id"])
        assert (ticket.due, ticket.accept_by) == (date(2026, 10, 10), date(2026, 12, 4))
    for event in issued_events(tracker, items):
        assert (event.due, event.due_in_working_days, event.due_counted_from) == (
            date(2026, 10, 10),
            3,
            date(2026, 9, 30),
        )
    # the plan itself is untouched: its completion date stays the limit
    assert {r["complete_by"] for r in launch.project.current_plan["requirements"]} == {date(2026, 12, 2)}


def test_without_working_days_the_due_date_is_the_plans_completion_date(tracker):
    launch = approved(tracker)
    items = tracker.issue_tickets(PM, launch.project_id).data["items"]
    for event in issued_events(tracker, items):
        assert (event.due, event.due_in_working_days, event.due_counted_from) == (date(2026, 12, 2), None, None)


def test_the_issue_day_is_today_in_shanghai(make_tracker, monkeypatch):
    """16:30 UTC on 29 September is already 30 September in Shanghai (no ``TRACKER_TODAY``: the clock's day)."""
    tracker = make_tracker(TRACKER_TODAY="")
    launch = approved(tracker)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 9, 29, 16, 30, tzinfo=UTC))

    items = tracker.issue_tickets(PM, launch.project_id, ["R1"], due_in_working_days=1).data["items"]

    [event] = issued_events(tracker, items)
    assert (event.due_counted_from, event.due) == (date(2026, 9, 30), date(2026, 10, 8))


def test_a_due_date_after_the_plans_completion_date_is_refused_naming_the_requirements(tracker):
    """From Friday 20 November 2026: 5 working days is Friday 27th, 6 is Monday 30th."""
    launch = approved(
        tracker,
        requirement("R1", "hr", complete_by=date(2026, 12, 2)),
        requirement("R2", "technology", complete_by=date(2026, 11, 27)),
        requirement("R3", "administration", complete_by=date(2026, 11, 26)),
    )
    pid = launch.project_id
    head = tracker.recorder.max_notification_id()

    error = refused(
        tracker, pid, RuleViolated, tracker.issue_tickets, PM, pid, due_in_working_days=6, issued_on=date(2026, 11, 20)
    )

    assert error.rule == "due_within_plan"
    assert error.details["requirement_refs"] == ["R2", "R3"]
    assert error.details["due"] == date(2026, 11, 30)
    assert "R2 (2026-11-27)" in error.message and "R3 (2026-11-26)" in error.message and "R1" not in error.message
    assert "6 working days after 2026-11-20 is 2026-11-30" in error.message
    assert tracker.recorder.max_notification_id() == head  # no ticket either

    # the requirements that fit are issued; the others can then be issued on their plan dates
    items = tracker.issue_tickets(PM, pid, ["R1", "R2"], due_in_working_days=5, issued_on=date(2026, 11, 20))
    assert [tracker.load_ticket(i["id"]).due for i in items.data["items"]] == [date(2026, 11, 27)] * 2
    [r3] = tracker.issue_tickets(PM, pid).data["items"]
    assert tracker.load_ticket(r3["id"]).due == date(2026, 11, 26)


def test_a_count_into_a_year_no_schedule_covers_is_provisional_on_weekends_only(tracker):
    """From Monday 28 December 2026, 5 working days reach 2027, which neither the package nor a
    recorded schedule holds: 29–31 December, then Friday 1 January (元旦, not known yet: weekends only)
    and Monday 4 January."""
    far = date(2027, 1, 29)
    launch = approved(
        tracker,
        requirement("R1", "hr", complete_by=far, accept_by=far),
        manual={"requirements": "call flow", "due": far},
        trial_start=date(2027, 2, 1),
        trial_review=date(2027, 2, 12),
        go_live=date(2027, 2, 15),
    )

    outcome = tracker.issue_tickets(PM, launch.project_id, due_in_working_days=5, issued_on=date(2026, 12, 28))

    assert (outcome.data["due"], outcome.data["provisional"]) == (date(2027, 1, 4), True)
    [item] = outcome.data["items"]
    ticket = tracker.load_ticket(item["id"])
    assert (ticket.due, ticket.due_provisional) == (date(2027, 1, 4), True)


def test_a_count_before_the_calendars_first_year_is_still_refused(tracker):
    pid = approved(tracker).project_id
    error = refused(
        tracker,
        pid,
        CalendarNotCovered,
        tracker.issue_tickets,
        PM,
        pid,
        due_in_working_days=5,
        issued_on=date(2003, 12, 1),
    )
    assert error.year == 2003


@pytest.mark.parametrize("working_days", [0, -1, 251, True, 2.0])
def test_the_count_must_be_1_to_250_working_days(tracker, working_days):
    pid = approved(tracker).project_id
    error = refused(
        tracker,
        pid,
        InvalidInput,
        tracker.issue_tickets,
        PM,
        pid,
        due_in_working_days=working_days,
        issued_on=date(2026, 11, 20),
    )
    assert "due_in_working_days" in error.fields


def test_250_working_days_is_allowed_when_the_plan_is_that_far_away(tracker):
    """22 working days in December 2025 after the 1st, then 228 in 2026 up to Thursday 3 December
    (248 in the year: 261 weekdays, 19 of them holidays, 6 make-up weekend days)."""
    far = date(2026, 12, 31)
    launch = approved(
        tracker,
        requirement("R1", "hr", complete_by=far, accept_by=far),
        trial_start=date(2027, 1, 4),
        trial_review=date(2027, 1, 15),
        go_live=date(2027, 1, 18),
    )
    outcome = tracker.issue_tickets(PM, launch.project_id, due_in_working_days=250, issued_on=date(2025, 12, 1))
    [item] = outcome.data["items"]
    assert tracker.load_ticket(item["id"]).due == date(2026, 12, 3)


def test_an_issued_event_stored_before_working_days_existed_still_loads(tracker):
    launch = approved(tracker)
    [item] = tracker.issue_tickets(PM, launch.project_id, ["R1"]).data["items"]
    stored = tracker.mapper.to_stored_event(tracker.history(item["id"])[0])
    state = tracker.mapper.transcoder.decode(stored.state)
    del state["due_in_working_days"], state["due_counted_from"]

    old = tracker.mapper.to_domain_event(replace(stored, state=tracker.mapper.transcoder.encode(state)))

    assert (old.due, old.due_in_working_days, old.due_counted_from) == (date(2026, 12, 2), None, None)


def issue_in_working_days(launch: Launch, working_days: int, issued_on: date) -> None:
    outcome = launch.tracker.issue_tickets(PM, launch.project_id, due_in_working_days=working_days, issued_on=issued_on)
    launch.tickets.update({item["requirement_ref"]: item["id"] for item in outcome.data["items"]})


def revised(tracker, launch: Launch, *requirements: dict) -> None:
    """An accepted customer change, and the plan revised to ``requirements`` and approved."""
    tracker.record_requirement_change(SALES, launch.project_id, "客戶調整上線範圍", "accepted", "需求變更單 BG-012")
    tracker.revise_plan(PM, launch.project_id, "customer_change", "customer change BG-012")
    launch.draft(plan(*requirements)).submit_plan().approve_plan()


@pytest.mark.backends()
def test_a_revision_keeps_a_working_day_due_date_the_revised_plan_still_allows(tracker):
    """Due 10 October (3 working days from 30 September); the revision changes R1's criteria and moves
    its completion date later: the PM's date stands. R2 is not changed and keeps it too."""
    launch = approved(tracker)
    issue_in_working_days(launch, 3, date(2026, 9, 30))

    revised(
        tracker,
        launch,
        requirement("R1", "hr", ("30 people hired",), complete_by=date(2026, 12, 3)),
        requirement("R2", "technology"),
    )

    r1, r2 = launch.ticket("R1"), launch.ticket("R2")
    assert (r1.due, r1.due_in_working_days, r1.acceptance_criteria) == (date(2026, 10, 10), 3, ["30 people hired"])
    assert (r2.due, r2.due_in_working_days) == (date(2026, 10, 10), 3)
    assert tracker.history(r1.id)[-1].due == date(2026, 10, 10)


@pytest.mark.backends()
def test_a_revision_that_moves_completion_before_the_working_day_due_date_brings_it_forward(tracker):
    launch = approved(tracker)
    issue_in_working_days(launch, 3, date(2026, 9, 30))

    revised(tracker, launch, requirement("R1", "hr", complete_by=date(2026, 10, 9)), requirement("R2", "technology"))

    r1 = launch.ticket("R1")
    assert (r1.due, r1.due_in_working_days) == (date(2026, 10, 9), None)
    assert tracker.history(r1.id)[-1].due == date(2026, 10, 9)

    revised(tracker, launch, requirement("R1", "hr", complete_by=date(2026, 12, 2)), requirement("R2", "technology"))

    assert launch.ticket("R1").due == date(2026, 12, 2), "once it follows the plan, it goes on following it"


def test_a_ticket_due_on_the_plan_date_follows_a_revision_that_moves_it(tracker):
    launch = approved(tracker)
    launch.issue_tickets()

    revised(tracker, launch, requirement("R1", "hr", complete_by=date(2026, 12, 3)), requirement("R2", "technology"))

    assert (launch.ticket("R1").due, launch.ticket("R2").due) == (date(2026, 12, 3), date(2026, 12, 2))
