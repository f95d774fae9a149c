"""The alternative-plan loop (替代方案, DOMAIN.md §6) of a ticket at risk.

Meets the requirements → the PM confirms it or escalates it to the branch head, who
approves or rejects; impacts them → the PM reviews it with the departments, passed or
failed. A rejection or failed review puts the ticket at risk again. The long loops
and decisions on older alternatives are in test_alternative_loops.py; who may act in test_ticket_rights.py.
"""

from __future__ import annotations

import pytest

from demo.workflow import BRANCH_HEAD, HR_LEAD, PM, stored
from domain.errors import InvalidInput, InvalidTransition
from tests.ticket_support import (
    ALLOWED,
    DECIDERS,
    NEW_DUE,
    ORIGINAL_DUE,
    attempt,
    bring_to,
    last,
    launched,
    names,
    who,
    wrong_states,
)

PM_WHO = ("li.lei", "project_manager", None)
BRANCH_HEAD_WHO = ("qian.yu", "branch_head", None)


@pytest.mark.parametrize(
    ("meets", "state", "status"),
    [(True, "alternative_proposed", "proposed"), (False, "alternative_under_review", "under_review")],
    ids=["meets_requirements", "impacts_requirements"],
)
def test_lead_proposes_alternative_for_ticket_at_risk(tracker, meets, state, status):
    launch = launched(tracker)
    tid = bring_to(launch, "at_risk")

    outcome = tracker.propose_alternative(HR_LEAD, tid, "hire 5 through an agency", meets, NEW_DUE)

    assert outcome.data == {"alternative": 1, "state": state}
    ticket = launch.ticket("R1")
    assert ticket.state == state
    assert ticket.due == ORIGINAL_DUE  # not adopted until decided
    [alternative] = ticket.alternatives
    assert alternative == ticket.alternative(1)
    assert {k: alternative[k] for k in ("n", "description", "meets_requirements", "new_due", "status")} == {
        "n": 1,
        "description": "hire 5 through an agency",
        "meets_requirements": meets,
        "new_due": NEW_DUE,
        "status": status,
    }
    assert (alternative["proposed_by"], alternative["decisions"]) == ("sun.li", [])
    event = last(tracker, tid)
    assert type(event).__name__ == "AlternativeProposed"
    assert who(event) == ("sun.li", "department_lead", "hr")
    assert (event.n, event.description, event.meets_requirements, event.new_due) == (
        1,
        "hire 5 through an agency",
        meets,
        NEW_DUE,
    )


@pytest.mark.backends()
def test_pm_confirms_alternative_and_its_new_due_date_is_adopted(tracker):
    launch = launched(tracker)
    tid = bring_to(launch, "alternative_proposed")

    outcome = tracker.confirm_alternative(PM, tid, 1)

    assert outcome.data == {"state": "in_progress"}
    ticket = launch.ticket("R1")
    assert (ticket.state, ticket.due) == ("in_progress", NEW_DUE)
    assert ticket.alternative(1)["status"] == "confirmed"
    [decision] = ticket.alternative(1)["decisions"]
    assert (decision["status"], decision["by"], decision["role"]) == ("confirmed", "li.lei", "project_manager")
    event = last(tracker, tid)
    assert (type(event).__name__, event.n, who(event)) == ("AlternativeConfirmed", 1, PM_WHO)
    assert ticket.allowed_steps() == ALLOWED["in_progress"]


def test_confirmed_alternative_without_new_due_keeps_the_due_date(tracker):
    launch = launched(tracker)
    tid = bring_to(launch, "at_risk")
    tracker.propose_alternative(HR_LEAD, tid, "trainers from the Beijing site", True)

    tracker.confirm_alternative(PM, tid, 1)

    ticket = launch.ticket("R1")
    assert (ticket.state, ticket.due, ticket.alternative(1)["new_due"]) == ("in_progress", ORIGINAL_DUE, None)


def test_pm_escalates_alternative_to_branch_head(tracker):
    launch = launched(tracker)
    tid = bring_to(launch, "alternative_proposed")

    tracker.confirm_alternative(PM, tid, 1, escalate=True)

    ticket = launch.ticket("R1")
    assert (ticket.state, ticket.due) == ("alternative_escalated", ORIGINAL_DUE)
    assert ticket.alternative(1)["status"] == "escalated"
    event = last(tracker, tid)
    assert (type(event).__name__, event.n, who(event)) == ("AlternativeEscalated", 1, PM_WHO)
    assert ticket.allowed_steps() == ALLOWED["alternative_escalated"]


def test_branch_head_approves_escalated_alternative(tracker):
    launch = launched(tracker)
    tid = bring_to(launch, "alternative_escalated")

    tracker.approve_alternative(BRANCH_HEAD, tid, 1, "approved", "agency is on our supplier list")

    ticket = launch.ticket("R1")
    assert (ticket.state, ticket.due) == ("in_progress", NEW_DUE)
    alternative = ticket.alternative(1)
    assert alternative["status"] == "approved"
    assert [(d["status"], d["by"], d["comments"]) for d in alternative["decisions"]] == [
        ("escalated", "li.lei", ""),
        ("approved", "qian.yu", "agency is on our supplier list"),
    ]
    event = last(tracker, tid)
    assert (type(event).__name__, event.n, who(event)) == ("AlternativeApproved", 1, BRANCH_HEAD_WHO)
    assert event.comments == "agency is on our supplier list"


def test_branch_head_rejects_escalated_alternative_with_comments(tracker):
    launch = launched(tracker)
    tid = bring_to(launch, "alternative_escalated")

    tracker.approve_alternative(BRANCH_HEAD, tid, 1, "rejected", "agency staff fail the confidentiality clause")

    ticket = launch.ticket("R1")
    assert (ticket.state, ticket.due) == ("at_risk", ORIGINAL_DUE)
    assert ticket.allowed_steps() == ALLOWED["at_risk"]  # the department must propose a new one
    assert ticket.alternative(1)["status"] == "rejected"
    event = last(tracker, tid)
    assert (type(event).__name__, event.n, who(event)) == ("AlternativeRejected", 1, BRANCH_HEAD_WHO)
    assert event.comments == "agency staff fail the confidentiality clause"


def test_pm_review_passes_impacting_alternative(tracker):
    launch = launched(tracker)
    tid = bring_to(launch, "alternative_under_review")

    tracker.review_alternative(PM, tid, 1, ["hr", "operations"], "passed", "customer agreed to the date")

    ticket = launch.ticket("R1")
    assert (ticket.state, ticket.due) == ("in_progress", NEW_DUE)
    [decision] = ticket.alternative(1)["decisions"]
    assert (decision["status"], decision["participants"]) == ("passed", ["hr", "operations"])
    event = last(tracker, tid)
    assert (type(event).__name__, event.n, who(event)) == ("AlternativeReviewPassed", 1, PM_WHO)
    assert (event.participants, event.comments) == (["hr", "operations"], "customer agreed to the date")


def test_pm_review_fails_impacting_alternative_with_comments(tracker):
    launch = launched(tracker)
    tid = bring_to(launch, "alternative_under_review")

    tracker.review_alternative(PM, tid, 1, ["hr", "operations"], "failed", "the customer refuses a later date")

    ticket = launch.ticket("R1")
    assert (ticket.state, ticket.due) == ("at_risk", ORIGINAL_DUE)
    assert ticket.allowed_steps() == ALLOWED["at_risk"]  # the department must propose a new one
    assert ticket.alternative(1)["status"] == "failed"
    event = last(tracker, tid)
    assert (type(event).__name__, event.n, who(event)) == ("AlternativeReviewFailed", 1, PM_WHO)
    assert event.comments == "the customer refuses a later date"


# Wrong state and bad input -----------------------------------------------------------


@pytest.mark.parametrize(("step", "state"), wrong_states(*DECIDERS, "propose_alternative"))
def test_alternative_step_in_wrong_state_is_refused(tracker, step, state):
    tid = bring_to(launched(tracker), state)
    before = stored(tracker, tid)
    with pytest.raises(InvalidTransition) as refused:
        attempt(tracker, step, DECIDERS.get(step, HR_LEAD), tid)
    assert (refused.value.step, refused.value.current) == (step, state)
    assert refused.value.allowed == ALLOWED[state]
    assert stored(tracker, tid) == before


def test_pm_cannot_escalate_alternative_that_impacts_requirements(tracker):
    tid = bring_to(launched(tracker), "alternative_under_review")
    before = stored(tracker, tid)
    with pytest.raises(InvalidTransition) as refused:
        tracker.confirm_alternative(PM, tid, 1, escalate=True)
    assert refused.value.allowed == ["review_alternative"]
    assert stored(tracker, tid) == before


@pytest.mark.parametrize("description", ["", "  "])
def test_lead_cannot_propose_alternative_without_description(tracker, description):
    tid = bring_to(launched(tracker), "at_risk")
    before = stored(tracker, tid)
    with pytest.raises(InvalidInput) as refused:
        tracker.propose_alternative(HR_LEAD, tid, description, True, NEW_DUE)
    assert list(refused.value.fields) == ["description"]
    assert stored(tracker, tid) == before


@pytest.mark.parametrize(
    ("outcome", "comments", "field"),
    [("maybe", "ok", "outcome"), ("rejected", "", "comments"), ("rejected", "   ", "comments")],
    ids=["unknown_outcome", "rejected_without_comments", "rejected_with_blank_comments"],
)
def test_branch_head_decision_with_bad_input_is_refused(tracker, outcome, comments, field):
    tid = bring_to(launched(tracker), "alternative_escalated")
    before = stored(tracker, tid)
    with pytest.raises(InvalidInput) as refused:
        tracker.approve_alternative(BRANCH_HEAD, tid, 1, outcome, comments)
    assert list(refused.value.fields) == [field]
    assert stored(tracker, tid) == before


@pytest.mark.parametrize(
    ("participants", "outcome", "comments", "fields"),
    [
        ([], "passed", "ok", ["participants"]),
        (["hr", "catering"], "passed", "ok", ["participants"]),
        (["hr"], "approved", "ok", ["outcome"]),
        (["hr"], "failed", " ", ["comments"]),
        ([], "failed", "", ["participants", "comments"]),
    ],
    ids=["no_participants", "unknown_department", "unknown_outcome", "failed_without_comments", "several"],
)
def test_pm_review_with_bad_input_is_refused(tracker, participants, outcome, comments, fields):
    tid = bring_to(launched(tracker), "alternative_under_review")
    before = stored(tracker, tid)
    with pytest.raises(InvalidInput) as refused:
        tracker.review_alternative(PM, tid, 1, participants, outcome, comments)
    assert sorted(refused.value.fields) == sorted(fields)
    assert stored(tracker, tid) == before
    assert names(tracker, tid)[-1] == "AlternativeProposed"
