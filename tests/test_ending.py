"""Term and end (DOMAIN.md "Term and end"): a live project's termination notice, the handover
checklist done by each item's department lead, and the PM's closure once every item is done and
the effective date reached — after which the project is read-only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from demo.workflow import (
    DIRECTOR,
    EFFECTIVE_ON,
    HANDOVER_LEADS,
    HR_LEAD,
    NOTICE_ON,
    OTHER_PM,
    PM,
    SALES,
    SALES_LEAD,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    TECH_LEAD,
    Launch,
    stored,
)
from domain import phases as ph
from domain.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound, RuleViolated
from domain.project import Project

MORNING, HOUR = datetime(2027, 3, 2, 1, tzinfo=UTC), timedelta(hours=1)


def terminating(tracker) -> Launch:
    return Launch(tracker).advance_to("terminating")


def test_a_customers_notice_turns_a_live_project_terminating(tracker):
    launch = Launch(tracker).advance_to("live")

    outcome = tracker.record_termination(SALES, launch.project_id, "customer", "kpi_failures", NOTICE_ON, EFFECTIVE_ON)

    assert outcome.data == {"phase": "terminating"}
    termination = launch.project.termination
    assert (termination.by, termination.reason, termination.notice_on, termination.effective_on) == (
        "customer",
        "kpi_failures",
        NOTICE_ON,
        EFFECTIVE_ON,
    )
    assert (termination.recorded_by, termination.handover) == (SALES.user, {})
    assert set(launch.project.allowed_steps()) >= {"record_handover", "close_project", "record_kpi_report"}


def test_the_provider_gives_notice_through_the_operations_director(tracker):
    launch = Launch(tracker).advance_to("live")
    tracker.record_termination(DIRECTOR, launch.project_id, "provider", "breach", NOTICE_ON, NOTICE_ON)
    assert launch.project.phase == "terminating"


@pytest.mark.parametrize(("actor", "by"), [(SALES, "provider"), (DIRECTOR, "customer"), (PM, "customer")])
def test_only_the_sides_recorder_records_a_notice(tracker, actor, by):
    launch = Launch(tracker).advance_to("live")
    before = stored(tracker, launch.project_id)
    with pytest.raises(NotAllowed):
        tracker.record_termination(actor, launch.project_id, by, "convenience", NOTICE_ON, EFFECTIVE_ON)
    assert stored(tracker, launch.project_id) == before


def test_a_notice_taking_effect_before_it_is_given_is_refused(tracker):
    launch = Launch(tracker).advance_to("live")
    with pytest.raises(InvalidInput) as refused:
        tracker.record_termination(SALES, launch.project_id, "customer", "someday", NOTICE_ON, date(2027, 1, 3))
    assert set(refused.value.fields) == {"reason", "effective_on"}


def test_termination_is_only_from_live(tracker):
    launch = Launch(tracker).advance_to("trial_operation")
    with pytest.raises(InvalidTransition) as refused:
        tracker.record_termination(SALES, launch.project_id, "customer", "expiry", NOTICE_ON, EFFECTIVE_ON)
    assert refused.value.current == "trial_operation"


def test_each_handover_item_is_done_once_by_its_departments_lead(tracker):
    launch = terminating(tracker)

    answer = tracker.record_handover(SALES_LEAD, launch.project_id, "final_settlement", "settlement signed FS-9")

    assert answer.data["missing"] == [
        "customer_data_returned",
        "recordings_returned",
        "access_revoked",
        "staff_released",
    ]
    done = launch.project.termination.handover["final_settlement"]
    assert (done.by, done.evidence) == (SALES_LEAD.user, "settlement signed FS-9")
    with pytest.raises(RuleViolated) as again:
        tracker.record_handover(SALES_LEAD, launch.project_id, "final_settlement", "once more")
    assert again.value.details["by"] == SALES_LEAD.user


@pytest.mark.parametrize(
    ("actor", "item"),
    [(HR_LEAD, "customer_data_returned"), (TECH_LEAD, "recordings_returned"), (SALES, "final_settlement")],
)
def test_the_wrong_departments_lead_may_not_record_a_handover_item(tracker, actor, item):
    launch = terminating(tracker)
    before = stored(tracker, launch.project_id)
    with pytest.raises(NotAllowed):
        tracker.record_handover(actor, launch.project_id, item, "not mine")
    assert stored(tracker, launch.project_id) == before


def test_an_unknown_handover_item_is_not_found(tracker):
    launch = terminating(tracker)
    with pytest.raises(NotFound):
        tracker.record_handover(TECH_LEAD, launch.project_id, "keys_returned", "keys")


def test_closure_waits_for_the_effective_date_and_every_item(tracker):
    launch = terminating(tracker).hand_over("customer_data_returned", "recordings_returned", "access_revoked")
    before = stored(tracker, launch.project_id)

    with pytest.raises(RuleViolated) as refused:
        tracker.close_project(PM, launch.project_id, "done", today=date(2027, 3, 30))

    assert refused.value.rule == "closure_ready"
    assert refused.value.details["missing"] == ["staff_released", "final_settlement"]
    assert refused.value.details["effective_on"] == "2027-03-31"
    assert stored(tracker, launch.project_id) == before

    launch.hand_over("staff_released", "final_settlement")
    with pytest.raises(RuleViolated) as early:
        tracker.close_project(PM, launch.project_id, "done", today=date(2027, 3, 30))
    assert early.value.details["missing"] == []

    closed = tracker.close_project(PM, launch.project_id, "service handed back", today=EFFECTIVE_ON)
    assert closed.data == {"phase": "closed"}
    closure = launch.project.closure
    assert (closure.summary, closure.closed_by, closure.closed_on) == ("service handed back", PM.user, EFFECTIVE_ON)


def test_only_the_appointed_pm_closes(tracker):
    launch = terminating(tracker).hand_over()
    with pytest.raises(NotAllowed):
        tracker.close_project(OTHER_PM, launch.project_id, "done", today=EFFECTIVE_ON)


def test_a_closed_project_allows_no_step_at_all(tracker):
    launch = Launch(tracker).advance_to("closed")
    assert launch.project.allowed_steps() == []
    assert all(ph.CLOSED not in phases for phases in Project.STEPS.values())
    before = stored(tracker, launch.project_id)
    refusals = [
        lambda: tracker.record_requirement_change(SALES, launch.project_id, "more seats", "accepted", "REF-1"),
        lambda: tracker.record_kpi_report(
            SERVICE_MANAGER, launch.project_id, date(2027, 3, 1), date(2027, 3, 31), {"answer_rate": "97"}
        ),
        lambda: tracker.record_handover(TECH_LEAD, launch.project_id, "access_revoked", "again"),
        lambda: tracker.close_project(PM, launch.project_id, "again", today=EFFECTIVE_ON),
        lambda: tracker.cancel_project(DIRECTOR, launch.project_id, "too late"),
        lambda: tracker.record_termination(SALES, launch.project_id, "customer", "expiry", NOTICE_ON, EFFECTIVE_ON),
        lambda: tracker.record_outage(SYSMAINT_LEAD, launch.project_id, MORNING, MORNING + HOUR, False, "power"),
    ]
    for refused in refusals:
        with pytest.raises(InvalidTransition) as error:
            refused()
        assert (error.value.current, error.value.allowed) == ("closed", [])
    with pytest.raises(InvalidTransition) as review_step:
        tracker.record_nonconformity(PM, launch.review_id, "late", "none", "hr", due=EFFECTIVE_ON)
    assert (review_step.value.current, review_step.value.allowed) == ("project closed", [])
    assert stored(tracker, launch.project_id) == before


@pytest.mark.parametrize("phase", ["live", "terminating", "closed"])
def test_a_project_is_not_cancelled_once_live(tracker, phase):
    launch = Launch(tracker).advance_to(phase)
    with pytest.raises(InvalidTransition) as refused:
        tracker.cancel_project(DIRECTOR, launch.project_id, "changed our minds")
    assert refused.value.current == phase


def test_the_service_goes_on_being_recorded_while_terminating(tracker):
    launch = terminating(tracker)
    tracker.record_kpi_report(
        SERVICE_MANAGER, launch.project_id, date(2027, 1, 1), date(2027, 1, 31), {"answer_rate": "97"}
    )
    assert len(launch.project.kpi_reports) == 1


def test_every_handover_lead_is_a_lead_of_the_items_department():
    from domain.ending_records import HANDOVER

    assert {item: lead.department for item, lead in HANDOVER_LEADS.items()} == HANDOVER
