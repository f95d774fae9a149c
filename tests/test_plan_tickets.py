"""Issuing requirement tickets (需求單) from the approved plan, and what a revision does to them."""

from __future__ import annotations

from datetime import date

import pytest

from demo.workflow import HR_LEAD, PM, SALES, Launch, plan, requirement, stored
from domain.errors import ConcurrentUpdate, InvalidInput, InvalidTransition, NotAllowed, RuleViolated
from domain.ticket import RequirementTicket
from tests.project_support import assert_invalid_transition, event_types, last_event, not_the_pm, refused


def test_pm_issues_a_ticket_for_every_requirement_without_one(tracker):
    pid = Launch(tracker).advance_to("implementation").project_id

    outcome = tracker.issue_tickets(PM, pid)

    items = outcome.data["items"]
    assert [(i["requirement_ref"], i["department"]) for i in items] == [("R1", "hr"), ("R2", "technology")]
    hr = tracker.load_ticket(items[0]["id"])
    assert (hr.project_id, hr.state, hr.department, hr.title) == (pid, "issued", "hr", "requirement R1")
    assert (hr.due, hr.accept_by) == (date(2026, 12, 2), date(2026, 12, 4))
    assert hr.acceptance_criteria == ["28 people hired", "training passed"]
    [issued] = tracker.history(hr.id)
    assert (type(issued).__name__, issued.actor, issued.role) == ("Issued", PM.user, "project_manager")
    project = tracker.load_project(pid)
    assert [(t["id"], t["requirement_ref"], t["active"]) for t in project.tickets] == [
        (items[0]["id"], "R1", True),
        (items[1]["id"], "R2", True),
    ]
    event = last_event(tracker, pid)
    assert (type(event).__name__, event.actor) == ("TicketsIssued", PM.user)
    assert [t["id"] for t in event.tickets] == [i["id"] for i in items]


def test_pm_issues_tickets_for_chosen_requirements_then_the_rest(tracker):
    pid = Launch(tracker).advance_to("implementation").project_id

    first = tracker.issue_tickets(PM, pid, ["R2"]).data["items"]
    rest = tracker.issue_tickets(PM, pid).data["items"]

    assert [i["requirement_ref"] for i in first] == ["R2"]
    assert [i["requirement_ref"] for i in rest] == ["R1"]
    assert [t["requirement_ref"] for t in tracker.load_project(pid).tickets] == ["R2", "R1"]


def test_pm_cannot_issue_a_ticket_for_a_requirement_not_in_the_plan(tracker):
    pid = Launch(tracker).advance_to("implementation").project_id
    error = refused(tracker, pid, InvalidInput, tracker.issue_tickets, PM, pid, ["R1", "R9"])
    assert "requirement_refs" in error.fields
    assert "R9" in error.fields["requirement_refs"]


def test_pm_cannot_issue_a_second_ticket_for_a_requirement(tracker):
    launch = Launch(tracker).advance_to("implementation").issue_tickets(["R1"])
    pid = launch.project_id

    error = refused(tracker, pid, RuleViolated, tracker.issue_tickets, PM, pid, ["R2", "R1"])

    assert error.rule == "ticket_exists"
    assert "R1" in error.why
    assert [t["requirement_ref"] for t in launch.project.tickets] == ["R1"]


def test_pm_cannot_issue_tickets_when_every_requirement_has_one(tracker):
    pid = Launch(tracker).advance_to("implementation").issue_tickets().project_id
    error = refused(tracker, pid, RuleViolated, tracker.issue_tickets, PM, pid)
    assert error.rule == "nothing_to_issue"


@pytest.mark.parametrize("phase", ["planning", "plan_review", "trial_operation"])
def test_pm_cannot_issue_tickets_outside_implementation(tracker, phase):
    pid = Launch(tracker).advance_to(phase).project_id
    error = refused(tracker, pid, InvalidTransition, tracker.issue_tickets, PM, pid)
    assert_invalid_transition(error, "issue_tickets", phase)


@pytest.mark.parametrize("actor", not_the_pm())
def test_only_the_appointed_pm_may_issue_tickets(tracker, actor):
    pid = Launch(tracker).advance_to("implementation").project_id
    refused(tracker, pid, NotAllowed, tracker.issue_tickets, actor, pid)
    assert tracker.load_project(pid).tickets == []


@pytest.mark.backends()
def test_issued_tickets_and_the_project_record_are_saved_in_one_write(tracker):
    pid = Launch(tracker).advance_to("implementation").project_id
    # The PM's request has built its tickets when another request issues R1 first.
    stale = tracker.load_project(pid)
    requirements = stale.refs_to_issue(None)
    tickets = [RequirementTicket.issue(PM, pid, req) for req in requirements]
    stale.issue_tickets(PM, [(t.id, req) for t, req in zip(tickets, requirements, strict=True)])
    tracker.issue_tickets(PM, pid, ["R1"])
    before = stored(tracker, pid)

    with pytest.raises(ConcurrentUpdate):
        tracker.commit(stale, *tickets)

    assert stored(tracker, pid) == before
    assert all(stored(tracker, t.id) == [] for t in tickets)
    assert [t["requirement_ref"] for t in tracker.load_project(pid).tickets] == ["R1"]


# A revision that keeps R1 (changed), keeps R4 (unchanged), drops R2 and adds R3 ---------------------------


def _revised_plan():
    return plan(
        requirement("R1", "hr", ("30 people hired", "training passed"), accept_by=date(2026, 12, 5)),
        requirement("R4", "administration"),
        requirement("R3", "operations", ("online chat scripts approved",)),
    )


@pytest.mark.backends()
def test_revision_dropping_one_requirement_and_adding_one(tracker):
    launch = Launch(tracker).advance_to("planning")
    launch.draft(plan(requirement("R1", "hr"), requirement("R2", "technology"), requirement("R4", "administration")))
    launch.submit_plan().approve_plan().issue_tickets()
    pid, tickets = launch.project_id, dict(launch.tickets)
    tracker.start_ticket(HR_LEAD, tickets["R1"])
    tracker.record_requirement_change(SALES, pid, "drop IVR; add online chat", "accepted", "BG-009")
    tracker.revise_plan(PM, pid, "customer_change", "customer change BG-009")
    launch.draft(_revised_plan()).submit_plan()

    outcome = tracker.review_plan(PM, pid, ["hr", "operations"], "approved", "revision agreed")

    assert (outcome.data["added"], outcome.data["dropped"], outcome.data["changed"]) == (["R3"], ["R2"], ["R1"])
    dropped = launch.ticket("R2")
    assert dropped.state == "cancelled"
    cancelled = last_event(tracker, dropped.id)
    assert (type(cancelled).__name__, cancelled.actor, cancelled.role) == (
        "TicketCancelled",
        PM.user,
        "project_manager",
    )
    assert cancelled.reason == "requirement dropped by plan version 2"
    kept = launch.ticket("R1")
    assert (kept.state, kept.accept_by, kept.acceptance_criteria) == (
        "in_progress",
        date(2026, 12, 5),
        ["30 people hired", "training passed"],
    )
    revised = last_event(tracker, kept.id)
    assert (type(revised).__name__, revised.plan_version, revised.reopened) == ("RequirementRevised", 2, False)
    assert event_types(tracker, tickets["R4"]) == ["Issued"]
    assert event_types(tracker, pid)[-2:] == ["PlanApproved", "TicketsWithdrawn"]
    withdrawn = last_event(tracker, pid)
    assert (withdrawn.ticket_ids, withdrawn.reason) == ([tickets["R2"]], "requirement dropped by plan version 2")

    new = tracker.issue_tickets(PM, pid).data["items"]

    assert [(i["requirement_ref"], i["department"]) for i in new] == [("R3", "operations")]
    active = {t["requirement_ref"]: t["id"] for t in launch.project.tickets if t["active"]}
    assert active == {"R1": tickets["R1"], "R4": tickets["R4"], "R3": new[0]["id"]}


def test_tickets_of_kept_requirements_carry_on_while_the_revision_is_reviewed(tracker):
    launch = Launch(tracker).advance_to("implementation").issue_tickets()
    tracker.revise_plan(PM, launch.project_id, "force_majeure", "typhoon")
    launch.draft(plan()).submit_plan()

    tracker.start_ticket(HR_LEAD, launch.tickets["R1"])
    launch.approve_plan()

    assert launch.ticket("R1").state == "in_progress"
    assert event_types(tracker, launch.tickets["R1"]) == ["Issued", "Started"]
    assert event_types(tracker, launch.tickets["R2"]) == ["Issued"]
