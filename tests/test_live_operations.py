"""Running the live service (DOMAIN.md "Running the live service"): audits, customer feedback,
improvement measures and their loop, meetings and manual revisions go on being recorded while
live, and a customer's requirement change leads to a plan revision that never leaves `live`."""

from __future__ import annotations

from datetime import date

import pytest

from demo.workflow import (
    BRANCH_HEAD,
    OPS_LEAD,
    PM,
    SALES,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    TECH_LEAD,
    Launch,
    plan,
    requirement,
)
from domain import gates
from domain.errors import InvalidInput, InvalidTransition, NotAllowed, RuleViolated
from tests.project_support import event_types, refused

KEPT = requirement("R1", "hr", ("28 people hired", "training passed"))
ADDED = requirement(
    "R3", "operations", ("weekend shift staffed",), complete_by=date(2027, 1, 20), accept_by=date(2027, 1, 22)
)


def live(tracker) -> Launch:
    return Launch(tracker).advance_to("live")


def revising(tracker) -> Launch:
    """Live, with the customer's accepted change recorded by sales and the PM's revision started."""
    launch = live(tracker)
    tracker.record_requirement_change(SALES, launch.project_id, "weekend service added", "accepted", "變更單 CR-07")
    tracker.revise_plan(PM, launch.project_id, "customer_change", "weekend service from February")
    return launch


def ticket_states(launch: Launch) -> dict[str, str]:
    project = launch.project
    return {t.requirement_ref: launch.tracker.load_ticket(t.id).state for t in project.tickets if t.active}


def test_audits_feedback_and_meetings_go_on_being_recorded_while_live(tracker):
    launch = live(tracker)
    pid = launch.project_id

    tracker.record_process_audit(SERVICE_MANAGER, pid, date(2027, 1, 8), ["scripts followed"], True)
    tracker.relay_customer_feedback(SALES, pid, date(2027, 1, 9), "callers praise the short queues")
    tracker.hold_meeting(PM, pid, date(2027, 1, 10), ["operations", "technology"], ["weekend roster agreed"])

    project = launch.project
    assert project.phase == "live"
    assert [a.held_on for a in project.trial.audits] == [date(2027, 1, 8)]
    assert [f.summary for f in project.trial.feedback] == ["callers praise the short queues"]
    assert project.meetings[-1]["decisions"] == ["weekend roster agreed"]
    assert event_types(tracker, pid)[-3:] == ["ProcessAuditRecorded", "CustomerFeedbackRelayed", "MeetingHeld"]


def test_an_improvement_measure_recorded_while_live_is_done_and_verified(tracker):
    launch = live(tracker)
    pid = launch.project_id

    recorded = tracker.record_improvement(
        PM, pid, "queues at 09:00", "two more seats in the morning", "operations", due=date(2027, 1, 15)
    )
    assert recorded.data["improvement"] == 1
    tracker.complete_improvement(OPS_LEAD, pid, 1, "roster R-12")
    tracker.verify_improvement(PM, pid, 1, False, "queues still long", new_due=date(2027, 1, 25))
    tracker.complete_improvement(OPS_LEAD, pid, 1, "roster R-13")
    closed = tracker.verify_improvement(PM, pid, 1, True, "queues gone")

    assert closed.data["state"] == "closed"
    assert launch.project.phase == "live"
    assert [c.evidence for c in launch.project.improvement(1).completions] == ["roster R-12", "roster R-13"]


def test_refused_live_records_record_nothing(tracker):
    launch = live(tracker)
    pid = launch.project_id
    refused(tracker, pid, InvalidInput, tracker.record_process_audit, SERVICE_MANAGER, pid, date(2027, 1, 8), [], False)
    refused(tracker, pid, InvalidInput, tracker.relay_customer_feedback, SALES, pid, date(2026, 12, 1), "early")
    refused(tracker, pid, NotAllowed, tracker.hold_meeting, SALES, pid, date(2027, 1, 10), ["hr"], ["x"])
    report = (SYSMAINT_LEAD, pid, date(2027, 1, 1), date(2027, 1, 31), "no outage")
    error = refused(tracker, pid, InvalidTransition, tracker.file_equipment_report, *report)
    assert error.current == "live"


def test_the_manual_is_revised_and_reapproved_while_live_and_the_one_in_force_stays(tracker):
    launch = live(tracker)
    pid = launch.project_id

    revision = tracker.submit_manual(SERVICE_MANAGER, pid, "OM-SH-02", "weekend call flow").data["revision"]
    assert revision == 2
    under_review = gates.manual_approved(launch.project)
    assert under_review.met and "revision 1 in force" in under_review.why
    tracker.review_manual(PM, pid, "rejected", "the weekend IVR is missing")
    assert launch.project.manual.in_force == 1
    assert gates.manual_approved(launch.project).met

    tracker.submit_manual(SERVICE_MANAGER, pid, "OM-SH-03", "weekend call flow with IVR")
    tracker.review_manual(PM, pid, "approved", "complete")

    project = launch.project
    assert project.phase == "live"
    assert (project.manual.status, project.manual.in_force) == ("approved", 3)
    assert [(r.document_reference, r.review.outcome) for r in project.manual.revisions] == [
        ("OM-SH-01", "approved"),
        ("OM-SH-02", "rejected"),
        ("OM-SH-03", "approved"),
    ]


def test_before_the_trial_the_latest_manual_draft_must_be_approved(tracker):
    launch = Launch(tracker).advance_to("implementation").approve_manual()
    tracker.submit_manual(SERVICE_MANAGER, launch.project_id, "OM-SH-02", "second issue")
    assert not gates.manual_approved(launch.project).met


def test_a_requirement_change_while_live_revises_the_plan_without_leaving_live(tracker):
    launch = revising(tracker)
    pid = launch.project_id
    assert launch.project.phase == "live"
    assert {"draft_plan", "submit_plan"} <= set(launch.project.allowed_steps())
    old = launch.tickets["R2"]

    tracker.draft_plan(PM, pid, plan(KEPT, ADDED))
    assert launch.project.phase == "live"
    tracker.submit_plan(PM, pid)
    assert "review_plan" in launch.project.allowed_steps()
    approved = tracker.review_plan(PM, pid, ["hr", "operations"], "approved", "weekend service agreed")

    assert approved.data["phase"] == "live"
    assert (approved.data["added"], approved.data["dropped"]) == (["R3"], ["R2"])
    assert tracker.load_ticket(old).state == "cancelled"
    launch.issue_tickets(["R3"])
    assert ticket_states(launch) == {"R1": "accepted", "R3": "issued"}
    launch.deliver("R3")

    project = launch.project
    assert project.phase == "live"
    assert project.current_plan_version == 2
    assert ticket_states(launch) == {"R1": "accepted", "R3": "accepted"}
    assert "PlanRevisionStarted" in event_types(tracker, pid)


def test_the_go_live_view_stays_ready_while_a_new_ticket_is_worked(tracker):
    launch = revising(tracker)
    pid = launch.project_id
    tracker.draft_plan(PM, pid, plan(KEPT, ADDED))
    tracker.submit_plan(PM, pid)
    tracker.review_plan(PM, pid, ["operations"], "approved", "ok")
    launch.issue_tickets(["R3"])
    tracker.start_ticket(OPS_LEAD, launch.tickets["R3"])

    checks = gates.go_live_readiness(launch.project, ticket_states(launch), [launch.review])
    assert all(gate.met for gate in checks)
    tickets = next(gate for gate in checks if gate.name == "tickets_accepted")
    assert tickets.why.startswith("met at go-live on 2026-12-21; since then: not yet accepted: R3 (in_progress)")


def test_a_rejected_live_revision_goes_back_to_drafting_still_live(tracker):
    launch = revising(tracker)
    pid = launch.project_id
    tracker.draft_plan(PM, pid, plan(KEPT, ADDED))
    tracker.submit_plan(PM, pid)
    tracker.review_plan(PM, pid, ["operations"], "rejected", "weekend seats not costed")

    assert launch.project.phase == "live"
    assert {"draft_plan", "submit_plan"} <= set(launch.project.allowed_steps())
    assert tracker.draft_plan(PM, pid, plan(KEPT, ADDED)).data["plan_version"] == 3


def test_a_live_draft_keeps_the_trial_and_go_live_dates(tracker):
    launch = revising(tracker)
    pid = launch.project_id
    moved = plan(KEPT, ADDED, go_live=date(2027, 2, 1))
    error = refused(tracker, pid, InvalidInput, tracker.draft_plan, PM, pid, moved)
    assert list(error.fields) == ["go_live"]


def test_a_requirement_added_while_live_needs_only_completion_before_acceptance(tracker):
    launch = revising(tracker)
    pid = launch.project_id
    late = requirement("R3", "operations", complete_by=date(2027, 1, 25), accept_by=date(2027, 1, 22))
    error = refused(tracker, pid, RuleViolated, tracker.draft_plan, PM, pid, plan(KEPT, late))
    assert error.rule == "plan_dates_ordered"
    assert "R3: completion 2027-01-25 is after acceptance 2027-01-22" in str(error)


@pytest.mark.parametrize("step", ["draft_plan", "submit_plan", "review_plan"])
def test_no_plan_step_while_live_without_a_revision(tracker, step):
    launch = live(tracker)
    pid = launch.project_id
    commands = {
        "draft_plan": lambda: tracker.draft_plan(PM, pid, plan(KEPT, ADDED)),
        "submit_plan": lambda: tracker.submit_plan(PM, pid),
        "review_plan": lambda: tracker.review_plan(PM, pid, ["hr"], "approved", "ok"),
    }
    error = refused(tracker, pid, InvalidTransition, commands[step])
    assert (error.current, step in error.allowed) == ("live", False)
    assert "revise_plan" in error.allowed


def test_no_tickets_are_issued_while_a_live_revision_is_open(tracker):
    launch = revising(tracker)
    pid = launch.project_id
    error = refused(tracker, pid, InvalidTransition, tracker.issue_tickets, PM, pid, None)
    assert "issue_tickets" not in error.allowed
    refused(tracker, pid, InvalidTransition, tracker.revise_plan, PM, pid, "force_majeure", "typhoon")


def test_only_the_appointed_pm_revises_a_live_plan(tracker):
    launch = live(tracker)
    pid = launch.project_id
    refused(tracker, pid, NotAllowed, tracker.revise_plan, BRANCH_HEAD, pid, "force_majeure", "typhoon")
    refused(tracker, pid, NotAllowed, tracker.hold_meeting, TECH_LEAD, pid, date(2027, 1, 10), ["hr"], ["x"])
