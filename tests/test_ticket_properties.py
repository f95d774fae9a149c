"""Whatever people try on a ticket, in whatever order: refusals record nothing, and what
each accepted command answered is what the stored history replays to."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo.workflow import BRANCH_HEAD, HR_LEAD, OTHER_PM, PM, TECH_LEAD, Launch, all_met, stored
from domain.application import Tracker
from domain.errors import DomainError
from domain.ticket import OPEN_STATES

STATES = OPEN_STATES | {"accepted", "cancelled"}


def attempts(tracker: Tracker, tid, step: int, actor_pick: int):
    """One attempt per step kind; the actor is sometimes the wrong one."""
    ticket = tracker.load_ticket(tid)
    lead = (HR_LEAD, TECH_LEAD)[actor_pick % 2]
    pm = (PM, OTHER_PM)[actor_pick % 3 == 2]
    n = max(len(ticket.alternatives), 1)
    options = [
        lambda: tracker.start_ticket(lead, tid),
        lambda: tracker.flag_risk(lead, tid, "supplier late"),
        lambda: tracker.propose_alternative(lead, tid, "rent headsets", actor_pick % 2 == 0, date(2026, 12, 3)),
        lambda: tracker.propose_alternative(lead, tid, "fewer seats first", False),
        lambda: tracker.confirm_alternative(pm, tid, n, escalate=actor_pick % 2 == 1),
        lambda: tracker.approve_alternative(BRANCH_HEAD, tid, n, ("approved", "rejected")[actor_pick % 2], "no"),
        lambda: tracker.review_alternative(pm, tid, n, ["hr"], ("passed", "failed")[actor_pick % 2], "why"),
        lambda: tracker.submit_ticket(lead, tid, "evidence"),
        lambda: tracker.decide_acceptance(pm, tid, "accepted", all_met(ticket), ""),
        lambda: tracker.decide_acceptance(pm, tid, "returned", [], "redo"),
    ]
    return options[step % len(options)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 5)), min_size=1, max_size=25))
def test_any_sequence_of_attempts_keeps_history_consistent(script):
    tracker = Tracker("memory://")
    launch = Launch(tracker).advance_to("implementation").issue_tickets(["R1"])
    tid = launch.tickets["R1"]
    for step, actor_pick in script:
        before = stored(tracker, tid)
        try:
            outcome = attempts(tracker, tid, step, actor_pick)()
        except DomainError:
            assert stored(tracker, tid) == before
            continue
        replayed = tracker.load_ticket(tid)
        assert (outcome.version, outcome.data["state"]) == (replayed.version, replayed.state)
        assert replayed.state in STATES
        assert len(stored(tracker, tid)) == replayed.version
    final = tracker.load_ticket(tid)
    assert [e.originator_version for e in tracker.history(tid)] == list(range(1, final.version + 1))
    assert all(alt["n"] == i + 1 for i, alt in enumerate(final.alternatives))
