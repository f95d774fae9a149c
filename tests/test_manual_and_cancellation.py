"""The operations manual (運營手冊) and cancelling a project before it goes live."""

from __future__ import annotations

import pytest

from demo.workflow import DIRECTOR, HR_LEAD, PM, SERVICE_MANAGER, Launch, plan, stored
from domain.errors import ConcurrentUpdate, InvalidInput, InvalidTransition, NotAllowed, RuleViolated
from tests.project_support import assert_invalid_transition, everyone_but, last_event, not_the_pm, refused


def submit_manual(tracker, pid, reference="OM-SH-01", note="first issue"):
    return tracker.submit_manual(SERVICE_MANAGER, pid, reference, note)


# Manual: submission -----------------------------------------------------------------------------


def test_service_manager_submits_the_manual_and_the_pm_approves_it(tracker):
    pid = Launch(tracker).advance_to("implementation").project_id

    outcome = submit_manual(tracker, pid, "運營手冊 OM-SH-01", "初版")

    assert outcome.data == {"revision": 1}
    project = tracker.load_project(pid)
    assert project.manual["status"] == "submitted"
    [revision] = project.manual["revisions"]
    assert (revision["document_reference"], revision["revision_note"], revision["submitted_by"]) == (
        "運營手冊 OM-SH-01",
        "初版",
        SERVICE_MANAGER.user,
    )
    submitted = last_event(tracker, pid)
    assert (type(submitted).__name__, submitted.actor, submitted.role) == (
        "ManualSubmitted",
        SERVICE_MANAGER.user,
        "service_manager",
    )

    tracker.review_manual(PM, pid, "approved", "complete")

    project = tracker.load_project(pid)
    assert project.manual["status"] == "approved"
    assert project.manual["revisions"][0]["review"]["outcome"] == "approved"
    assert project.manual["revisions"][0]["review"]["reviewed_by"] == PM.user
    approved = last_event(tracker, pid)
    assert (type(approved).__name__, approved.actor, approved.revision, approved.comments) == (
        "ManualApproved",
        PM.user,
        1,
        "complete",
    )


def test_service_manager_may_submit_the_manual_during_a_plan_revision(tracker):
    pid = Launch(tracker).advance_to("implementation").project_id
    tracker.revise_plan(PM, pid, "force_majeure", "typhoon")
    assert submit_manual(tracker, pid).data == {"revision": 1}


def test_pm_rejects_the_manual_and_the_next_revision_keeps_the_first(tracker):
    pid = Launch(tracker).advance_to("implementation").project_id
    submit_manual(tracker, pid)

    tracker.review_manual(PM, pid, "rejected", "escalation flow missing")
    assert tracker.load_project(pid).manual["status"] == "rejected"
    rejected = last_event(tracker, pid)
    assert (type(rejected).__name__, rejected.actor, rejected.comments) == (
        "ManualRejected",
        PM.user,
        "escalation flow missing",
    )

    assert submit_manual(tracker, pid, "OM-SH-02", "escalation flow added").data == {"revision": 2}
    first, second = tracker.load_project(pid).manual["revisions"]
    assert (first["review"]["outcome"], first["review"]["comments"]) == ("rejected", "escalation flow missing")
    assert (second["document_reference"], second["review"]) == ("OM-SH-02", None)


def test_service_manager_cannot_submit_a_second_draft_while_one_awaits_review(tracker):
    pid = Launch(tracker).advance_to("implementation").project_id
    submit_manual(tracker, pid)
    error = refused(tracker, pid, RuleViolated, submit_manual, tracker, pid, "OM-SH-02")
    assert error.rule == "manual_awaiting_review"


@pytest.mark.parametrize("phase", ["planning", "plan_review"])
def test_service_manager_cannot_submit_the_manual_before_a_plan_is_approved(tracker, phase):
    pid = Launch(tracker).advance_to(phase).project_id
    error = refused(tracker, pid, RuleViolated, submit_manual, tracker, pid)
    assert error.rule == "plan_approved"


def test_service_manager_cannot_submit_the_manual_without_its_reference(tracker):
    pid = Launch(tracker).advance_to("implementation").project_id
    error = refused(tracker, pid, InvalidInput, submit_manual, tracker, pid, "  ")
    assert "document_reference" in error.fields


@pytest.mark.parametrize("phase", ["intake"])
def test_service_manager_cannot_submit_the_manual_in_the_wrong_phase(tracker, phase):
    pid = Launch(tracker).advance_to(phase).project_id
    error = refused(tracker, pid, InvalidTransition, submit_manual, tracker, pid, "OM-SH-02")
    assert_invalid_transition(error, "submit_manual", phase)


@pytest.mark.parametrize("actor", everyone_but("service_manager"))
def test_only_the_service_manager_may_submit_the_manual(tracker, actor):
    pid = Launch(tracker).advance_to("implementation").project_id
    refused(tracker, pid, NotAllowed, tracker.submit_manual, actor, pid, "OM-SH-01", "first issue")


# Manual: review ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "comments", "field"),
    [("rejected", " ", "comments"), ("noted", "fine", "outcome")],
)
def test_pm_cannot_review_the_manual_with_bad_input(tracker, outcome, comments, field):
    pid = Launch(tracker).advance_to("implementation").project_id
    submit_manual(tracker, pid)
    error = refused(tracker, pid, InvalidInput, tracker.review_manual, PM, pid, outcome, comments)
    assert field in error.fields


@pytest.mark.parametrize("submitted", [False, True], ids=["nothing-submitted", "already-reviewed"])
def test_pm_cannot_review_the_manual_when_no_draft_awaits_review(tracker, submitted):
    pid = Launch(tracker).advance_to("implementation").project_id
    if submitted:
        submit_manual(tracker, pid)
        tracker.review_manual(PM, pid, "approved", "ok")
    error = refused(tracker, pid, RuleViolated, tracker.review_manual, PM, pid, "approved", "ok")
    assert error.rule == "manual_submitted"


def test_pm_cannot_review_the_manual_of_a_cancelled_project(tracker):
    pid = Launch(tracker).advance_to("implementation").project_id
    submit_manual(tracker, pid)
    tracker.cancel_project(DIRECTOR, pid, "customer withdrew")
    error = refused(tracker, pid, InvalidTransition, tracker.review_manual, PM, pid, "approved", "ok")
    assert_invalid_transition(error, "review_manual", "cancelled")


@pytest.mark.parametrize("actor", not_the_pm())
def test_only_the_appointed_pm_may_review_the_manual(tracker, actor):
    pid = Launch(tracker).advance_to("implementation").project_id
    submit_manual(tracker, pid)
    refused(tracker, pid, NotAllowed, tracker.review_manual, actor, pid, "approved", "ok")


# Cancellation ------------------------------------------------------------------------------------------


@pytest.mark.backends()
def test_director_cancels_the_project_and_its_open_tickets_in_one_write(tracker):
    launch = Launch(tracker).advance_to("implementation").issue_tickets().deliver("R1")
    pid, tickets = launch.project_id, dict(launch.tickets)

    outcome = tracker.cancel_project(DIRECTOR, pid, "客戶終止合同")

    assert outcome.data == {"phase": "cancelled"}
    project = launch.project
    assert project.phase == "cancelled"
    assert project.cancellation == {"reason": "客戶終止合同", "previous_phase": "implementation"}
    event = last_event(tracker, pid)
    assert (type(event).__name__, event.actor, event.role) == ("ProjectCancelled", DIRECTOR.user, "operations_director")
    assert (event.reason, event.tickets_cancelled) == ("客戶終止合同", [tickets["R2"]])
    assert launch.ticket("R1").state == "accepted"
    assert launch.ticket("R2").state == "cancelled"
    cancelled = last_event(tracker, tickets["R2"])
    assert (type(cancelled).__name__, cancelled.actor, cancelled.reason) == (
        "TicketCancelled",
        DIRECTOR.user,
        "project cancelled: 客戶終止合同",
    )
    assert outcome.position == tracker.recorder.max_notification_id()


@pytest.mark.parametrize(
    "phase", ["intake", "planning", "plan_review", "implementation", "trial_operation", "trial_review"]
)
def test_director_cancels_the_project_in_any_phase_before_live(tracker, phase):
    launch = Launch(tracker).advance_to(phase)
    tracker.cancel_project(DIRECTOR, launch.project_id, "customer withdrew")
    assert launch.project.phase == "cancelled"
    assert launch.project.cancellation["previous_phase"] == phase


def test_director_cannot_cancel_a_live_project(tracker):
    pid = Launch(tracker).advance_to("live").project_id
    error = refused(tracker, pid, InvalidTransition, tracker.cancel_project, DIRECTOR, pid, "too late")
    assert_invalid_transition(error, "cancel_project", "live")


def test_nothing_moves_a_cancelled_project(tracker):
    pid = Launch(tracker).advance_to("planning").project_id
    tracker.cancel_project(DIRECTOR, pid, "customer withdrew")

    again = refused(tracker, pid, InvalidTransition, tracker.cancel_project, DIRECTOR, pid, "again")
    assert_invalid_transition(again, "cancel_project", "cancelled")
    draft = refused(tracker, pid, InvalidTransition, tracker.draft_plan, PM, pid, plan())
    assert_invalid_transition(draft, "draft_plan", "cancelled")


def test_director_cannot_cancel_without_a_reason(tracker):
    pid = Launch(tracker).advance_to("planning").project_id
    error = refused(tracker, pid, InvalidInput, tracker.cancel_project, DIRECTOR, pid, "  ")
    assert "reason" in error.fields


@pytest.mark.parametrize("actor", everyone_but("operations_director"))
def test_only_the_director_may_cancel_the_project(tracker, actor):
    launch = Launch(tracker).advance_to("implementation").issue_tickets()
    ids = [launch.project_id, *launch.tickets.values()]
    refused(tracker, ids, NotAllowed, tracker.cancel_project, actor, launch.project_id, "customer withdrew")


@pytest.mark.backends()
def test_cancellation_is_not_saved_if_a_ticket_moved_meanwhile(tracker):
    launch = Launch(tracker).advance_to("implementation").issue_tickets()
    pid = launch.project_id
    # The director's request has cancelled everything in memory when the hr lead starts R1.
    project, open_tickets = tracker.load_project(pid), tracker.tickets_of(tracker.load_project(pid))
    project.cancel_project(DIRECTOR, "customer withdrew", [t.id for t in open_tickets])
    for ticket in open_tickets:
        ticket.cancel_ticket(DIRECTOR, "project cancelled: customer withdrew")
    tracker.start_ticket(HR_LEAD, launch.tickets["R1"])
    before = {ident: stored(tracker, ident) for ident in [pid, *launch.tickets.values()]}

    with pytest.raises(ConcurrentUpdate):
        tracker.commit(project, *open_tickets)

    assert {ident: stored(tracker, ident) for ident in before} == before
    assert launch.project.phase == "implementation"
    assert launch.ticket("R2").state == "issued"
