"""Every round of the alternative loop is kept: failed reviews until one passes, an
escalation rejected and a new proposal approved, and decisions only on the latest one."""

from __future__ import annotations

from datetime import date

import pytest

from demo.workflow import BRANCH_HEAD, HR_LEAD, PM, all_met, stored
from domain.errors import NotFound, RuleViolated
from tests.ticket_support import DECIDERS, ORIGINAL_DUE, attempt, bring_to, launched, names, who

DEPARTMENTS = ["hr", "operations"]
ROUNDS = [
    ("hire 8 part-timers", date(2026, 12, 3), "failed", "part-timers cannot cover 7 × 8 h"),
    ("borrow 8 agents from the Suzhou site", date(2026, 12, 4), "failed", "Suzhou needs them for its own launch"),
    ("hire 8 through an agency, train in a week", date(2026, 12, 4), "passed", "customer agreed to the new date"),
]


def review_rounds(launch, tid):
    """Propose and review the three ROUNDS in turn; check the ticket after each failure."""
    tracker = launch.tracker
    for n, (description, new_due, outcome, comments) in enumerate(ROUNDS, 1):
        answer = tracker.propose_alternative(HR_LEAD, tid, description, False, new_due)
        assert answer.data == {"alternative": n, "state": "alternative_under_review"}
        tracker.review_alternative(PM, tid, n, DEPARTMENTS, outcome, comments)
        if outcome == "failed":
            ticket = launch.ticket("R1")
            assert (ticket.state, ticket.due) == ("at_risk", ORIGINAL_DUE)
            assert ticket.allowed_steps() == ["propose_alternative"]


@pytest.mark.backends()
def test_alternative_loop_keeps_every_round_until_a_review_passes(tracker):
    launch = launched(tracker)
    tid = bring_to(launch, "in_progress")
    tracker.flag_risk(HR_LEAD, tid, "only 20 of 28 hired")

    review_rounds(launch, tid)

    ticket = launch.ticket("R1")
    assert (ticket.state, ticket.due) == ("in_progress", date(2026, 12, 4))
    assert [(a["n"], a["description"], a["new_due"], a["status"]) for a in ticket.alternatives] == [
        (n, description, new_due, outcome) for n, (description, new_due, outcome, _) in enumerate(ROUNDS, 1)
    ]
    assert [
        [(d["status"], d["by"], d["participants"], d["comments"]) for d in a["decisions"]] for a in ticket.alternatives
    ] == [[(outcome, "li.lei", DEPARTMENTS, comments)] for _, _, outcome, comments in ROUNDS]
    assert names(tracker, tid) == [
        "Issued",
        "Started",
        "RiskFlagged",
        *["AlternativeProposed", "AlternativeReviewFailed"] * 2,
        "AlternativeProposed",
        "AlternativeReviewPassed",
    ]
    reviews = [e for e in tracker.history(tid) if type(e).__name__.startswith("AlternativeReview")]
    assert [(e.n, e.comments, e.participants, who(e)) for e in reviews] == [
        (n, comments, DEPARTMENTS, ("li.lei", "project_manager", None))
        for n, (_, _, _, comments) in enumerate(ROUNDS, 1)
    ]
    proposals = [e for e in tracker.history(tid) if type(e).__name__ == "AlternativeProposed"]
    assert {who(e) for e in proposals} == {("sun.li", "department_lead", "hr")}

    # As it was after the first failed review: at risk, one failed alternative.
    first_failure = tracker.repository.get(tid, version=5)
    assert first_failure.state == "at_risk"
    assert [a["status"] for a in first_failure.alternatives] == ["failed"]

    # The work then finishes as usual; the rounds stay on record.
    tracker.submit_ticket(HR_LEAD, tid, "28 contracts signed")
    tracker.decide_acceptance(PM, tid, "accepted", all_met(ticket), "ok")
    accepted = launch.ticket("R1")
    assert accepted.state == "accepted"
    assert accepted.alternatives == ticket.alternatives


@pytest.mark.backends()
def test_escalated_alternative_rejected_then_new_proposal_approved(tracker):
    launch = launched(tracker)
    tid = bring_to(launch, "at_risk")
    tracker.propose_alternative(HR_LEAD, tid, "agency staff", True, date(2026, 12, 3))
    tracker.confirm_alternative(PM, tid, 1, escalate=True)

    tracker.approve_alternative(BRANCH_HEAD, tid, 1, "rejected", "agency fails the confidentiality clause")

    ticket = launch.ticket("R1")
    assert (ticket.state, ticket.due) == ("at_risk", ORIGINAL_DUE)

    answer = tracker.propose_alternative(
        HR_LEAD, tid, "transfer 8 agents from the Pudong team", True, date(2026, 12, 4)
    )
    assert answer.data == {"alternative": 2, "state": "alternative_proposed"}
    tracker.confirm_alternative(PM, tid, 2, escalate=True)
    assert launch.ticket("R1").state == "alternative_escalated"
    tracker.approve_alternative(BRANCH_HEAD, tid, 2, "approved", "Pudong can spare them")

    ticket = launch.ticket("R1")
    assert (ticket.state, ticket.due) == ("in_progress", date(2026, 12, 4))
    assert [(a["n"], a["status"]) for a in ticket.alternatives] == [(1, "rejected"), (2, "approved")]
    assert [
        [(d["status"], d["by"], d["role"], d["comments"]) for d in a["decisions"]] for a in ticket.alternatives
    ] == [
        [
            ("escalated", "li.lei", "project_manager", ""),
            ("rejected", "qian.yu", "branch_head", "agency fails the confidentiality clause"),
        ],
        [
            ("escalated", "li.lei", "project_manager", ""),
            ("approved", "qian.yu", "branch_head", "Pudong can spare them"),
        ],
    ]
    assert names(tracker, tid)[3:] == [
        "AlternativeProposed",
        "AlternativeEscalated",
        "AlternativeRejected",
        "AlternativeProposed",
        "AlternativeEscalated",
        "AlternativeApproved",
    ]
    decisions = [e for e in tracker.history(tid) if type(e).__name__ in ("AlternativeRejected", "AlternativeApproved")]
    assert [(e.n, e.comments, who(e)) for e in decisions] == [
        (1, "agency fails the confidentiality clause", ("qian.yu", "branch_head", None)),
        (2, "Pudong can spare them", ("qian.yu", "branch_head", None)),
    ]


def test_failed_review_then_alternative_that_meets_requirements_is_confirmed(tracker):
    launch = launched(tracker)
    tid = bring_to(launch, "alternative_under_review")
    tracker.review_alternative(PM, tid, 1, ["hr"], "failed", "date too late")

    tracker.propose_alternative(HR_LEAD, tid, "overtime for the recruiters", True)
    tracker.confirm_alternative(PM, tid, 2)

    ticket = launch.ticket("R1")
    assert (ticket.state, ticket.due) == ("in_progress", ORIGINAL_DUE)
    assert [(a["meets_requirements"], a["status"]) for a in ticket.alternatives] == [
        (False, "failed"),
        (True, "confirmed"),
    ]


def test_a_later_risk_continues_the_alternative_numbering(tracker):
    launch = launched(tracker)
    tid = bring_to(launch, "alternative_proposed")
    tracker.confirm_alternative(PM, tid, 1)

    tracker.flag_risk(HR_LEAD, tid, "the agency went bankrupt")
    answer = tracker.propose_alternative(HR_LEAD, tid, "recruit directly", True)

    assert answer.data["alternative"] == 2
    ticket = launch.ticket("R1")
    assert [r["reason"] for r in ticket.risks] == ["two trainers are off sick", "the agency went bankrupt"]
    assert [a["status"] for a in ticket.alternatives] == ["confirmed", "proposed"]


@pytest.mark.backends("sqlite", "postgres")
def test_ticket_read_from_snapshots_keeps_every_round(make_tracker):
    with_snapshots = make_tracker(SNAPSHOT_INTERVAL="3")
    launch = launched(with_snapshots)
    tid = bring_to(launch, "at_risk")
    review_rounds(launch, tid)
    assert [s.originator_version for s in with_snapshots.snapshots.get(tid)] == [3, 6, 9]

    replayed = make_tracker(IS_SNAPSHOTTING_ENABLED="n").load_ticket(tid)
    from_snapshot = with_snapshots.load_ticket(tid)
    assert vars(from_snapshot) == vars(replayed)
    assert [a["status"] for a in from_snapshot.alternatives] == ["failed", "failed", "passed"]


# Decisions only on the latest pending alternative ------------------------------------


def second_alternative_pending(launch, step):
    """Alternative 1 turned down, alternative 2 pending a decision of ``step``."""
    tracker = launch.tracker
    if step == "review_alternative":
        tid = bring_to(launch, "alternative_under_review")
        tracker.review_alternative(PM, tid, 1, ["hr"], "failed", "too late")
        tracker.propose_alternative(HR_LEAD, tid, "second try", False, date(2026, 12, 4))
        return tid
    tid = bring_to(launch, "alternative_escalated")
    tracker.approve_alternative(BRANCH_HEAD, tid, 1, "rejected", "too costly")
    tracker.propose_alternative(HR_LEAD, tid, "second try", True, date(2026, 12, 4))
    if step == "approve_alternative":
        tracker.confirm_alternative(PM, tid, 2, escalate=True)
    return tid


@pytest.mark.parametrize("step", list(DECIDERS))
def test_decision_on_an_older_alternative_is_refused(tracker, step):
    tid = second_alternative_pending(launched(tracker), step)
    before = stored(tracker, tid)
    with pytest.raises(RuleViolated) as refused:
        attempt(tracker, step, DECIDERS[step], tid)  # decides alternative 1
    assert refused.value.rule == "latest_alternative"
    assert stored(tracker, tid) == before


@pytest.mark.parametrize("n", [0, 3, -1])
@pytest.mark.parametrize("step", list(DECIDERS))
def test_decision_on_an_unknown_alternative_is_not_found(tracker, step, n):
    tid = second_alternative_pending(launched(tracker), step)
    decide = {
        "confirm_alternative": lambda: tracker.confirm_alternative(PM, tid, n),
        "review_alternative": lambda: tracker.review_alternative(PM, tid, n, ["hr"], "passed", ""),
        "approve_alternative": lambda: tracker.approve_alternative(BRANCH_HEAD, tid, n, "approved", ""),
    }[step]
    before = stored(tracker, tid)
    with pytest.raises(NotFound) as refused:
        decide()
    assert refused.value.details == {"what": "alternative", "id": str(n)}
    assert stored(tracker, tid) == before
