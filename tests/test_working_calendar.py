"""Working days past the package's years: provisional counts, the director's recorded schedule, recounts.

From Monday 28 December 2026, 40 working days on weekends only (2027 unknown) end on Monday
22 February 2027; with the test schedule of 2027 (元旦 and five weekdays of 春节 off, two make-up
Saturdays: four working days fewer before then) they end on Friday 26 February.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from api import create_app, shutdown
from demo.workflow import DIRECTOR, HR_LEAD, PM, TECH_LEAD, Launch, plan, requirement
from domain.errors import InvalidInput, NotAllowed
from domain.working_calendar import calendar_id
from tests.calendar_support import TEST_REFERENCE_2027, schedule_2027, schedule_json
from tests.project_support import refused

ISSUED_ON = date(2026, 12, 28)
PROVISIONAL_DUE, RECOUNTED_DUE = date(2027, 2, 22), date(2027, 2, 26)
FAR = date(2027, 3, 31)


def launch_into_2027(tracker) -> Launch:
    reqs = [
        requirement(ref, dept, complete_by=FAR, accept_by=FAR)
        for ref, dept in (("R1", "hr"), ("R2", "technology"), ("R3", "administration"), ("R4", "operations"))
    ]
    content = plan(
        *reqs,
        manual={"requirements": "call flow", "due": FAR},
        trial_start=date(2027, 4, 5),
        trial_review=date(2027, 4, 16),
        go_live=date(2027, 4, 19),
    )
    return Launch(tracker).register().appoint().draft(content).submit_plan().approve_plan()


def issue(tracker, launch: Launch, ref: str, days: int, on: date) -> dict:
    outcome = tracker.issue_tickets(PM, launch.project_id, [ref], due_in_working_days=days, issued_on=on)
    return {**outcome.data["items"][0], "due": outcome.data["due"], "provisional": outcome.data["provisional"]}


@pytest.mark.backends()
def test_recording_2027_recounts_the_open_provisional_deadlines(tracker):
    launch = launch_into_2027(tracker)
    open_one = issue(tracker, launch, "R1", 40, ISSUED_ON)
    submitted = issue(tracker, launch, "R2", 40, ISSUED_ON)
    before_2027 = issue(tracker, launch, "R3", 3, date(2026, 12, 1))
    assert (open_one["due"], open_one["provisional"]) == (PROVISIONAL_DUE, True)
    assert before_2027["provisional"] is False
    tracker.start_ticket(TECH_LEAD, submitted["id"])
    tracker.submit_ticket(TECH_LEAD, submitted["id"], "servers racked")
    untouched = {t["id"]: len(tracker.history(t["id"])) for t in (submitted, before_2027)}

    outcome = tracker.record_working_calendar(DIRECTOR, **schedule_2027())

    assert outcome.id == calendar_id(2027)
    assert [(r["aggregate_id"], r["old_due"], r["new_due"]) for r in outcome.data["recounted"]] == [
        (open_one["id"], PROVISIONAL_DUE, RECOUNTED_DUE)
    ]
    ticket = tracker.load_ticket(open_one["id"])
    assert (ticket.due, ticket.due_provisional) == (RECOUNTED_DUE, False)
    recount = tracker.history(open_one["id"])[-1]
    assert (type(recount).__name__, recount.old_due, recount.new_due, recount.reference, recount.actor) == (
        "DueRecounted",
        PROVISIONAL_DUE,
        RECOUNTED_DUE,
        TEST_REFERENCE_2027,
        DIRECTOR.user,
    )
    assert {t: len(tracker.history(t)) for t in untouched} == untouched
    assert tracker.load_ticket(submitted["id"]).due == PROVISIONAL_DUE

    later = issue(tracker, launch, "R4", 40, ISSUED_ON)
    assert (later["due"], later["provisional"]) == (RECOUNTED_DUE, False)


def test_a_due_date_an_alternative_replaced_is_not_recounted(tracker):
    """The PM confirmed an alternative with its own date (15 March 2027): that date stands, not the count."""
    launch = launch_into_2027(tracker)
    ticket = issue(tracker, launch, "R1", 40, ISSUED_ON)
    tracker.start_ticket(HR_LEAD, ticket["id"])
    tracker.flag_risk(HR_LEAD, ticket["id"], "trainers booked elsewhere")
    tracker.propose_alternative(HR_LEAD, ticket["id"], "trainers from Beijing", True, date(2027, 3, 15))
    tracker.confirm_alternative(PM, ticket["id"], 1)
    versions = len(tracker.history(ticket["id"]))

    outcome = tracker.record_working_calendar(DIRECTOR, **schedule_2027())

    assert outcome.data["recounted"] == []
    replaced = tracker.load_ticket(ticket["id"])
    assert (replaced.due, replaced.due_provisional, len(tracker.history(ticket["id"]))) == (
        date(2027, 3, 15),
        False,
        versions,
    )


@pytest.mark.backends("memory")
def test_an_improvement_measure_counted_provisionally_is_recounted(tracker):
    launch = Launch(tracker).advance_to("trial_operation")
    outcome = tracker.record_improvement(
        PM, launch.project_id, "long waits", "add a shift", "operations", due_in_working_days=40, recorded_on=ISSUED_ON
    )
    assert (outcome.data["due"], outcome.data["provisional"]) == (PROVISIONAL_DUE, True)

    tracker.record_working_calendar(DIRECTOR, **schedule_2027())

    [measure] = tracker.load_project(launch.project_id).trial["improvements"]
    assert (measure["due"], measure["provisional"], measure["due_in_working_days"]) == (RECOUNTED_DUE, False, 40)
    event = tracker.history(launch.project_id)[-1]
    assert (type(event).__name__, event.old_due, event.new_due) == (
        "ImprovementDueRecounted",
        PROVISIONAL_DUE,
        RECOUNTED_DUE,
    )


@pytest.mark.backends("memory")
def test_a_corrective_action_counted_provisionally_is_recounted(tracker):
    launch = Launch(tracker).advance_to("trial_operation").file_equipment_report().open_review()
    launch.assess_all(unmet=("facilities",))
    assert launch.conclude() == "failed"
    outcome = tracker.record_nonconformity(
        PM, launch.review_id, "two seats missing", "order two", "hr", due_in_working_days=40, recorded_on=ISSUED_ON
    )
    assert (outcome.data["due"], outcome.data["provisional"]) == (PROVISIONAL_DUE, True)

    tracker.record_working_calendar(DIRECTOR, **schedule_2027())

    [action] = tracker.load_review(launch.review_id).nonconformities
    assert (action["due"], action["provisional"], action["due_counted_from"]) == (RECOUNTED_DUE, False, ISSUED_ON)
    event = tracker.history(launch.review_id)[-1]
    assert (type(event).__name__, event.n, event.old_due, event.new_due) == (
        "CorrectiveActionDueRecounted",
        1,
        PROVISIONAL_DUE,
        RECOUNTED_DUE,
    )


def test_only_the_operations_director_records_a_schedule(tracker):
    with pytest.raises(NotAllowed):
        tracker.record_working_calendar(PM, **schedule_2027())
    assert tracker.calendar_of(2027) is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reference": " "}, "reference"),
        ({"holidays": []}, "holidays"),
        ({"holidays": [{"date": date(2028, 1, 3), "name": "元旦"}]}, "holidays[0].date"),
        ({"holidays": [{"date": date(2027, 1, 1), "name": ""}]}, "holidays[0].name"),
        ({"holidays": [{"date": date(2027, 1, 2), "name": "元旦"}]}, "holidays"),  # a Saturday only
        ({"makeup_days": [date(2027, 2, 8)]}, "makeup_days[0]"),  # both holiday and make-up day
        ({"makeup_days": [date(2027, 2, 22)]}, "makeup_days[0]"),  # a Monday
        ({"makeup_days": [date(2026, 12, 26)]}, "makeup_days[0]"),  # outside the year
        ({"year": 1999}, "year"),
    ],
)
def test_a_bad_schedule_is_refused_naming_the_field_and_records_nothing(tracker, changes, field):
    head = tracker.recorder.max_notification_id()
    with pytest.raises(InvalidInput) as caught:
        tracker.record_working_calendar(DIRECTOR, **schedule_2027(**changes))
    assert field in caught.value.fields
    assert tracker.recorder.max_notification_id() == head


def test_a_correction_needs_a_reason_and_recounts_again(tracker):
    """The same schedule again changes nothing; a correction (20 February no longer a make-up day) needs a
    reason and moves the recounted due date one working day on."""
    launch = launch_into_2027(tracker)
    ticket = issue(tracker, launch, "R1", 40, ISSUED_ON)
    tracker.record_working_calendar(DIRECTOR, **schedule_2027())
    cal = tracker.calendar_of(2027).id

    refused(
        tracker,
        [cal, ticket["id"]],
        InvalidInput,
        tracker.record_working_calendar,
        DIRECTOR,
        **schedule_2027(makeup_days=[date(2027, 1, 30)]),
    )
    again = tracker.record_working_calendar(DIRECTOR, **schedule_2027())
    assert (again.version, again.data["recounted"], len(tracker.history(cal))) == (1, [], 1)
    outcome = tracker.record_working_calendar(
        DIRECTOR, **schedule_2027(makeup_days=[date(2027, 1, 30)]), reason="20 February is not a make-up day"
    )

    assert outcome.version == 2
    assert type(tracker.history(cal)[-1]).__name__ == "ScheduleRevised"
    assert tracker.load_ticket(ticket["id"]).due == date(2027, 3, 1)  # one working day fewer before it


def test_working_days_left_with_a_recorded_year_matches_counting_day_by_day(tracker):
    """W(due) − W(today), W counting working days up to a day: 2026 from the package, 2027 recorded."""
    tracker.record_working_calendar(DIRECTOR, **schedule_2027())
    calendar = tracker.working_days(range(2026, 2028))
    today = date(2026, 11, 20)

    def between(first: date, last: date) -> int:  # working days in (first, last]
        days = (last - first).days
        return sum(calendar.is_working_day(first + timedelta(days=i)) for i in range(1, days + 1))

    for due in (date(2026, 12, 31), date(2027, 1, 1), date(2027, 2, 26), date(2027, 12, 31)):
        assert calendar.working_days_left(today, due) == between(today, due)
        assert calendar.working_days_left(due, today) == -between(today, due)
    assert calendar.working_days_left(today, date(2028, 1, 3)) is None  # 2028: no schedule, never guessed


def test_the_packages_years_count_as_before(tracker):
    """Nothing recorded for 2026: the package's National Day holiday still counts (8, 9, Saturday 10 October)."""
    deadline = tracker.working_days_from(date(2026, 9, 30)).deadline(date(2026, 9, 30), 3)
    assert (deadline.due, deadline.provisional) == (date(2026, 10, 10), False)


def test_the_command_line_records_a_schedule_from_a_file(tmp_path):
    """``flask calendar record --year 2027 --file schedule.json --by zhao.min``; a bad file is refused."""

    secret = "test-secret-key-of-at-least-32-bytes"
    app = create_app({"DATABASE_URL": "memory://", "SECRET_KEY": secret, "TESTING": True})
    try:
        good, bad = tmp_path / "2027.json", tmp_path / "bad.json"
        good.write_text(json.dumps(schedule_json()), encoding="utf-8")
        bad.write_text(json.dumps(schedule_json(makeup_days=[date(2027, 3, 1)])), encoding="utf-8")
        cli = app.test_cli_runner()

        refused_run = cli.invoke(args=["calendar", "record", "--year", "2027", "--file", str(bad), "--by", "zhao.min"])
        assert refused_run.exit_code == 2 and "makeup_days[0]" in refused_run.output
        result = cli.invoke(args=["calendar", "record", "--year", "2027", "--file", str(good), "--by", "zhao.min"])

        assert result.exit_code == 0, result.output
        recorded = app.extensions["tracker"].calendar_of(2027)
        assert (recorded.reference, recorded.version) == (TEST_REFERENCE_2027, 1)
        assert tracker_history_actor(app) == ("zhao.min", "operations_director")
        assert "国办发明电" in cli.invoke(args=["calendar", "show", "--year", "2027"]).output
    finally:
        shutdown(app)


def tracker_history_actor(app) -> tuple[str, str]:
    [event] = app.extensions["tracker"].history(calendar_id(2027))
    return event.actor, event.role
