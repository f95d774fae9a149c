"""Customer requests with notice periods (DOMAIN.md "Running the live service", 通知事項): sales
records what the customer's written notice asks; the kind names the owner department and the notice
period, counted in mainland-China working days from the day after it was received (the contract may
set other periods); the owner department's lead fulfils it once, with evidence."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from eventsourcing.domain import Snapshot

from demo.workflow import DIRECTOR, HR_LEAD, OPS_LEAD, PM, SALES, SYSMAINT_LEAD, Launch
from domain.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from domain.requests import visible_to
from tests.calendar_support import schedule_2027
from tests.contract_support import HOTLINE_TERMS, amendment
from tests.trial_helpers import event_types, everything

BEFORE_NATIONAL_DAY = date(2026, 9, 29)
"""A Tuesday: 30 September works, 1–7 October is the National Day holiday, Saturday 10 October a make-up working day."""
DUE_AFTER_NATIONAL_DAY = {
    "skill_group_change": ("system_maintenance", date(2026, 9, 30)),
    "ivr_change": ("system_maintenance", date(2026, 9, 30)),
    "extra_training": ("operations", date(2026, 10, 8)),  # 30 Sep, then 8 Oct after the holiday
    "equipment_spec": ("system_maintenance", date(2026, 10, 12)),  # … 9, Saturday 10 (make-up), Monday 12
    "staff_replacement": ("hr", date(2026, 10, 12)),
    "seat_change": ("operations", date(2026, 10, 14)),
    "volume_surge": ("hr", date(2026, 10, 26)),
}


def live(tracker) -> Launch:
    return Launch(tracker).advance_to("live")


def record(tracker, launch: Launch, kind: str = "seat_change", received_on: date = BEFORE_NATIONAL_DAY, **overrides):
    body = {"details": "早班增加 5 个座席", "reference": "客户函 2026-031", **overrides}
    return tracker.record_customer_request(SALES, launch.project_id, kind, received_on, **body)


@pytest.mark.parametrize("kind", sorted(DUE_AFTER_NATIONAL_DAY))
def test_each_kind_is_due_its_notice_period_in_working_days_across_national_day(tracker, kind):
    launch = live(tracker)

    answer = record(tracker, launch, kind)

    department, due = DUE_AFTER_NATIONAL_DAY[kind]
    assert answer.data == {"request": 1, "due": due, "owner_department": department, "provisional": False}
    request = tracker.load_project(launch.project_id).customer_request(1)
    assert (request.kind, request.state, request.due, request.provisional) == (kind, "open", due, False)


def test_a_make_up_sunday_counts_as_a_working_day(tracker):
    launch = live(tracker)

    answer = record(tracker, launch, "ivr_change", date(2026, 9, 18))  # Friday; Sunday 20 September is worked

    assert answer.data["due"] == date(2026, 9, 20)


def test_the_contract_sets_other_notice_periods_from_the_month_it_applies(tracker):
    launch = live(tracker)
    tracker.record_contract_terms(SALES, launch.project_id, {**HOTLINE_TERMS, "notice_days": {"seat_change": 3}})
    tracker.record_contract_terms(
        SALES, launch.project_id, amendment(effective_from="2026-11", notice_days={"seat_change": 10})
    )

    assert record(tracker, launch, "seat_change").data["due"] == date(2026, 10, 9)  # 30 Sep, 8 and 9 Oct
    assert record(tracker, launch, "volume_surge").data["due"] == date(2026, 10, 26)  # not overridden
    november = record(tracker, launch, "seat_change", date(2026, 11, 2))  # Monday: ten working days on
    assert november.data["due"] == date(2026, 11, 16)
    assert tracker.load_project(launch.project_id).customer_request(3).notice_days == 10


@pytest.mark.parametrize(
    ("notice_days", "field"),
    [
        ({"coffee_break": 2}, "notice_days.coffee_break"),
        ({"seat_change": 0}, "notice_days.seat_change"),
        ({"seat_change": "7"}, "notice_days.seat_change"),
        ({"seat_change": True}, "notice_days.seat_change"),
        ({"seat_change": 2.5}, "notice_days.seat_change"),
        (["seat_change", 7], "notice_days"),
    ],
)
def test_notice_days_in_the_contract_are_known_kinds_and_whole_working_days(tracker, notice_days, field):
    launch = live(tracker)
    before = everything(tracker, launch.project_id)

    with pytest.raises(InvalidInput) as refused:
        tracker.record_contract_terms(SALES, launch.project_id, {**HOTLINE_TERMS, "notice_days": notice_days})

    assert field in refused.value.details
    assert everything(tracker, launch.project_id) == before


def test_a_bad_kind_and_blank_text_record_nothing(tracker):
    launch = live(tracker)
    before = everything(tracker, launch.project_id)

    with pytest.raises(InvalidInput) as refused:
        record(tracker, launch, "coffee_break", details=" ", reference="")

    assert set(refused.value.details) == {"kind", "details", "reference"}
    assert everything(tracker, launch.project_id) == before


def test_only_sales_records_a_request(tracker):
    launch = live(tracker)
    with pytest.raises(NotAllowed):
        tracker.record_customer_request(PM, launch.project_id, "seat_change", BEFORE_NATIONAL_DAY, "x", "y")


def test_requests_are_taken_once_the_service_runs(tracker):
    launch = Launch(tracker).advance_to("implementation")
    with pytest.raises(InvalidTransition) as refused:
        record(tracker, launch)
    assert refused.value.details["current"] == "implementation"

    launch.issue_tickets()
    for ref in list(launch.tickets):
        launch.deliver(ref)
    launch.approve_manual().start_trial()
    assert record(tracker, launch).data["request"] == 1


def test_the_owner_department_lead_fulfils_a_request_once(tracker):
    launch = live(tracker)
    record(tracker, launch, "seat_change")
    record(tracker, launch, "volume_surge")
    before = everything(tracker, launch.project_id)

    for other in (HR_LEAD, SYSMAINT_LEAD, SALES):
        with pytest.raises(NotAllowed):
            tracker.fulfil_customer_request(other, launch.project_id, 1, "done")
    with pytest.raises(NotFound):
        tracker.fulfil_customer_request(OPS_LEAD, launch.project_id, 3, "done")
    with pytest.raises(InvalidInput):
        tracker.fulfil_customer_request(OPS_LEAD, launch.project_id, 1, "  ")
    assert everything(tracker, launch.project_id) == before

    answer = tracker.fulfil_customer_request(OPS_LEAD, launch.project_id, 1, "10 月 12 日起早班 30 座席")
    assert answer.data == {"request": 1, "state": "fulfilled"}
    with pytest.raises(InvalidTransition) as again:
        tracker.fulfil_customer_request(OPS_LEAD, launch.project_id, 1, "again")
    assert (again.value.details["current"], again.value.details["allowed"]) == ("fulfilled", [])

    project = tracker.load_project(launch.project_id)
    first, second = project.requests
    assert (first.state, first.fulfilment.evidence, first.fulfilment.by) == (
        "fulfilled",
        "10 月 12 日起早班 30 座席",
        "ma.jun",
    )
    assert (second.state, second.fulfilment) == ("open", None)
    assert event_types(tracker, launch.project_id)[-3:] == ["RequestRecorded", "RequestRecorded", "RequestFulfilled"]


def test_a_department_lead_sees_only_their_own_departments_requests(tracker):
    launch = live(tracker)
    for kind in ("seat_change", "volume_surge", "ivr_change"):
        record(tracker, launch, kind)
    requests = tracker.load_project(launch.project_id).requests

    assert [r.n for r in visible_to(HR_LEAD, requests)] == [2]
    assert [r.n for r in visible_to(OPS_LEAD, requests)] == [1]
    assert [r.n for r in visible_to(SALES, requests)] == [1, 2, 3]
    assert [r.n for r in visible_to(PM, requests)] == [1, 2, 3]


def test_a_snapshot_keeps_the_requests_and_one_from_before_them_has_none(tracker):
    launch = live(tracker)
    record(tracker, launch)
    tracker.fulfil_customer_request(OPS_LEAD, launch.project_id, 1, "done")
    replayed = tracker.repository.get(launch.project_id)
    stored = tracker.mapper.to_stored_event(Snapshot.take(replayed))
    tracker.snapshots.recorder.insert_events([stored])
    assert vars(tracker.repository.get(launch.project_id)) == vars(replayed)

    state = json.loads(stored.state)
    del state["state"]["requests"]
    older = replace(stored, state=json.dumps(state).encode())
    project = tracker.mapper.to_domain_event(older).mutate(None)
    assert list(project.requests) == []


def test_a_count_into_an_unpublished_year_is_provisional_until_the_year_is_recorded(tracker):
    launch = live(tracker)
    tracker.record_contract_terms(SALES, launch.project_id, {**HOTLINE_TERMS, "notice_days": {"volume_surge": 30}})
    counted = record(tracker, launch, "volume_surge", date(2026, 11, 30))
    assert (counted.data["due"], counted.data["provisional"]) == (date(2027, 1, 11), True)  # weekends only in 2027

    outcome = tracker.record_working_calendar(DIRECTOR, **schedule_2027())  # 元旦 Friday 1 January is a holiday

    assert [(r["type"], r["n"], r["new_due"]) for r in outcome.data["recounted"]] == [
        ("RequestDueRecounted", 1, date(2027, 1, 12))
    ]
    request = tracker.load_project(launch.project_id).customer_request(1)
    assert (request.due, request.provisional) == (date(2027, 1, 12), False)
