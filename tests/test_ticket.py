"""Working a requirement ticket (DOMAIN.md §6): start, flag risk, submit, acceptance.

The alternative-plan loop is in test_alternatives.py; who may take which step in
test_ticket_rights.py.
"""

from __future__ import annotations

import uuid

import pytest

from demo.workflow import HR_LEAD, PM, all_met, stored
from domain.errors import InvalidInput, InvalidTransition, NotFound, RuleViolated
from tests.ticket_support import (
    ALLOWED,
    LEAD_STEPS,
    ORIGINAL_DUE,
    PM_STEPS,
    R1_CRITERIA,
    attempt,
    bring_to,
    last,
    launched,
    names,
    who,
    wrong_states,
)

# Happy steps ------------------------------------------------------------------------


@pytest.mark.backends()
def test_lead_starts_ticket_of_their_department(tracker):
    launch = launched(tracker)
    tid = launch.tickets["R1"]
    assert launch.ticket("R1").state == "issued"

    outcome = tracker.start_ticket(HR_LEAD, tid)

    ticket = launch.ticket("R1")
    assert (ticket.state, ticket.department, ticket.due) == ("in_progress", "hr", ORIGINAL_DUE)
    assert outcome.version == ticket.version == 2
    assert outcome.data == {"state": "in_progress"}
    assert names(tracker, tid) == ["Issued", "Started"]
    issued, started = tracker.history(tid)
    assert who(issued) == ("li.lei", "project_manager", None)
    assert (issued.department, issued.acceptance_criteria) == ("hr", R1_CRITERIA)
    assert who(started) == ("sun.li", "department_lead", "hr")


def test_lead_flags_risk_with_reason(tracker):
    launch = launched(tracker)
    tid = bring_to(launch, "in_progress")

    tracker.flag_risk(HR_LEAD, tid, "two trainers are off sick")

    ticket = launch.ticket("R1")
    assert ticket.state == "at_risk"
    assert ticket.due == ORIGINAL_DUE
    assert [(r["reason"], r["flagged_by"]) for r in ticket.risks] == [("two trainers are off sick", "sun.li")]
    event = last(tracker, tid)
    assert type(event).__name__ == "RiskFlagged"
    assert who(event) == ("sun.li", "department_lead", "hr")
    assert event.reason == "two trainers are off sick"
    assert ticket.allowed_steps() == ALLOWED["at_risk"]


def test_lead_may_flag_risk_before_starting_ticket(tracker):
    launch = launched(tracker)
    tid = bring_to(launch, "issued")

    tracker.flag_risk(HR_LEAD, tid, "no recruiter available this month")

    assert launch.ticket("R1").state == "at_risk"
    assert names(tracker, tid) == ["Issued", "RiskFlagged"]


def test_lead_submits_ticket_for_acceptance_with_evidence(tracker):
    launch = launched(tracker)
    tid = bring_to(launch, "in_progress")

    tracker.submit_ticket(HR_LEAD, tid, "28 signed contracts, training attendance sheet")

    ticket = launch.ticket("R1")
    assert ticket.state == "submitted"
    assert [(s["evidence"], s["by"]) for s in ticket.submissions] == [
        ("28 signed contracts, training attendance sheet", "sun.li")
    ]
    event = last(tracker, tid)
    assert type(event).__name__ == "SubmittedForAcceptance"
    assert who(event) == ("sun.li", "department_lead", "hr")
    assert event.evidence == "28 signed contracts, training attendance sheet"


@pytest.mark.backends()
def test_pm_accepts_ticket_when_every_criterion_is_checked_and_met(tracker):
    launch = launched(tracker)
    tid = bring_to(launch, "submitted")
    criteria = [
        {"criterion": "28 people hired", "met": True, "note": "contracts seen"},
        {"criterion": "training passed", "met": True, "note": "exam results 100 %"},
    ]

    tracker.decide_acceptance(PM, tid, "accepted", criteria, "well done")

    ticket = launch.ticket("R1")
    assert ticket.state == "accepted"
    assert ticket.allowed_steps() == ALLOWED["accepted"]
    [acceptance] = ticket.acceptances
    assert (acceptance["outcome"], acceptance["by"], acceptance["comments"]) == ("accepted", "li.lei", "well done")
    assert acceptance["criteria"] == criteria
    event = last(tracker, tid)
    assert type(event).__name__ == "TicketAccepted"
    assert who(event) == ("li.lei", "project_manager", None)
    assert event.criteria == criteria


@pytest.mark.backends()
def test_pm_returns_ticket_with_reasons_then_it_is_resubmitted_and_accepted(tracker):
    launch = launched(tracker)
    tid = bring_to(launch, "submitted")
    checked = [
        {"criterion": "28 people hired", "met": True, "note": ""},
        {"criterion": "training passed", "met": False, "note": "3 failed the exam"},
    ]

    tracker.decide_acceptance(PM, tid, "returned", checked, "retrain the three who failed")

    ticket = launch.ticket("R1")
    assert ticket.state == "in_progress"
    returned = last(tracker, tid)
    assert type(returned).__name__ == "TicketReturned"
    assert who(returned) == ("li.lei", "project_manager", None)
    assert (returned.comments, returned.criteria) == ("retrain the three who failed", checked)

    tracker.submit_ticket(HR_LEAD, tid, "re-exam results")
    tracker.decide_acceptance(PM, tid, "accepted", all_met(ticket), "ok now")

    ticket = launch.ticket("R1")
    assert ticket.state == "accepted"
    assert [a["outcome"] for a in ticket.acceptances] == ["returned", "accepted"]
    assert ticket.acceptances[0]["comments"] == "retrain the three who failed"
    assert [s["evidence"] for s in ticket.submissions] == ["delivery record", "re-exam results"]
    assert names(tracker, tid) == [
        "Issued",
        "Started",
        "SubmittedForAcceptance",
        "TicketReturned",
        "SubmittedForAcceptance",
        "TicketAccepted",
    ]


# Business rule and bad input --------------------------------------------------------


@pytest.mark.parametrize(
    ("criteria", "why"),
    [
        (
            [{"criterion": "28 people hired", "met": True}, {"criterion": "training passed", "met": False}],
            "not met: training passed",
        ),
        ([{"criterion": "28 people hired", "met": True}], "not checked: training passed"),
        ([], "not checked: 28 people hired, training passed"),
    ],
    ids=["one_unmet", "one_unchecked", "none_checked"],
)
def test_pm_cannot_accept_ticket_unless_every_criterion_is_met(tracker, criteria, why):
    launch = launched(tracker)
    tid = bring_to(launch, "submitted")
    before = stored(tracker, tid)
    with pytest.raises(RuleViolated) as refused:
        tracker.decide_acceptance(PM, tid, "accepted", criteria, "ok")
    assert refused.value.rule == "criteria_met"
    assert f"({why})" in refused.value.why
    assert stored(tracker, tid) == before
    assert launch.ticket("R1").state == "submitted"


@pytest.mark.parametrize(
    ("outcome", "criteria", "comments", "field"),
    [
        ("approved", [{"criterion": c, "met": True} for c in R1_CRITERIA], "ok", "outcome"),
        ("accepted", [{"criterion": "seats installed", "met": True}], "ok", "criteria"),
        ("returned", [{"criterion": "customer signed off", "met": False}], "wrong", "criteria"),
        ("returned", [{"criterion": c, "met": True} for c in R1_CRITERIA], "  ", "comments"),
        ("accepted", R1_CRITERIA, "ok", "criteria"),
        (
            "accepted",
            [
                {"criterion": "training passed", "met": False, "note": "3 failed the exam"},
                *[{"criterion": c, "met": True} for c in R1_CRITERIA],
            ],
            "ok",
            "criteria",
        ),
    ],
    ids=[
        "unknown_outcome",
        "unknown_criterion",
        "unknown_criterion_on_return",
        "return_without_reasons",
        "criteria_not_checked_items",
        "criterion_checked_twice",
    ],
)
def test_pm_acceptance_with_bad_input_is_refused(tracker, outcome, criteria, comments, field):
    tid = bring_to(launched(tracker), "submitted")
    before = stored(tracker, tid)
    with pytest.raises(InvalidInput) as refused:
        tracker.decide_acceptance(PM, tid, outcome, criteria, comments)
    assert list(refused.value.fields) == [field]
    assert stored(tracker, tid) == before


@pytest.mark.parametrize("reason", ["", "   "])
def test_lead_cannot_flag_risk_without_reason(tracker, reason):
    tid = bring_to(launched(tracker), "in_progress")
    before = stored(tracker, tid)
    with pytest.raises(InvalidInput) as refused:
        tracker.flag_risk(HR_LEAD, tid, reason)
    assert list(refused.value.fields) == ["reason"]
    assert stored(tracker, tid) == before


@pytest.mark.parametrize("evidence", ["", " \n "])
def test_lead_cannot_submit_ticket_without_evidence(tracker, evidence):
    tid = bring_to(launched(tracker), "in_progress")
    before = stored(tracker, tid)
    with pytest.raises(InvalidInput) as refused:
        tracker.submit_ticket(HR_LEAD, tid, evidence)
    assert list(refused.value.fields) == ["evidence"]
    assert stored(tracker, tid) == before


@pytest.mark.parametrize("step", [*LEAD_STEPS, *PM_STEPS])
def test_step_on_unknown_ticket_is_not_found(tracker, step):
    launched(tracker)
    unknown = uuid.uuid4()
    actor = PM if step in PM_STEPS else HR_LEAD
    with pytest.raises(NotFound):
        attempt(tracker, step, actor, unknown)
    with pytest.raises(NotFound):
        tracker.history(unknown)


# Wrong state ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "state"), wrong_states("start_ticket", "flag_risk", "submit_ticket", "decide_acceptance")
)
def test_ticket_step_in_wrong_state_is_refused(tracker, step, state):
    tid = bring_to(launched(tracker), state)
    actor = PM if step == "decide_acceptance" else HR_LEAD
    before = stored(tracker, tid)
    with pytest.raises(InvalidTransition) as refused:
        attempt(tracker, step, actor, tid)
    assert (refused.value.step, refused.value.current) == (step, state)
    assert refused.value.allowed == ALLOWED[state]
    assert stored(tracker, tid) == before


@pytest.mark.parametrize("step", LEAD_STEPS)
def test_cancelled_ticket_refuses_every_lead_step(tracker, step):
    launch = launched(tracker)
    tid = bring_to(launch, "cancelled")
    ticket = launch.ticket("R1")
    assert ticket.cancellation == {"reason": "requirement dropped by plan version 2", "previous_state": "issued"}
    assert who(last(tracker, tid)) == ("li.lei", "project_manager", None)
    before = stored(tracker, tid)
    with pytest.raises(InvalidTransition) as refused:
        attempt(tracker, step, HR_LEAD, tid)
    assert (refused.value.current, refused.value.allowed) == ("cancelled", [])
    assert stored(tracker, tid) == before
