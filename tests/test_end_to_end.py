"""The whole launch, intake to live, with every detour a real project takes.

Plan rejected once, a customer change revising the plan (one requirement dropped,
one added, one moved), a ticket returned, a manual rejected, then trial, review and
go-live — on memory, SQLite and PostgreSQL alike.
"""

from datetime import date

import pytest

from demo.workflow import (
    BRANCH_HEAD,
    DIRECTOR,
    HR_LEAD,
    PM,
    SALES,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    TECH_LEAD,
    Launch,
    all_met,
    plan,
    requirement,
)

V1 = plan(requirement("R1", "hr"), requirement("R2", "technology"), requirement("R3", "administration"))
V3 = plan(
    requirement("R1", "hr"),
    requirement("R2", "technology", complete_by=date(2026, 12, 3)),
    requirement("R4", "system_maintenance", ("IVR flow live", "recordings exported over FTP")),
)


@pytest.mark.backends()
def test_whole_launch_from_intake_to_live(tracker):
    t = tracker
    launch = Launch(t).register().appoint()
    pid = launch.project_id

    # Plan v1 rejected, v2 approved.
    t.draft_plan(PM, pid, V1)
    t.submit_plan(PM, pid)
    t.review_plan(PM, pid, ["hr", "technology"], "rejected", "staffing too thin for weekends")
    assert launch.project.phase == "planning"
    assert t.draft_plan(PM, pid, V1).data["plan_version"] == 2
    t.submit_plan(PM, pid)
    t.review_plan(PM, pid, ["hr", "technology", "administration"], "approved", "agreed")
    launch.issue_tickets()
    assert sorted(launch.tickets) == ["R1", "R2", "R3"]

    # R1 is returned once before it is accepted.
    r1 = launch.ticket("R1")
    t.start_ticket(HR_LEAD, r1.id)
    t.submit_ticket(HR_LEAD, r1.id, "hiring list")
    shortfall = [{"criterion": "works as specified", "met": False, "note": "3 short"}]
    t.decide_acceptance(PM, r1.id, "returned", shortfall, "3 representatives missing")
    assert launch.ticket("R1").state == "in_progress"
    launch.deliver("R1")
    assert launch.ticket("R1").state == "accepted"

    # The customer changes requirements: revision drops R3, adds R4, moves R2.
    t.record_requirement_change(SALES, pid, "site provided by customer; IVR added", "accepted", "變更單 BG-01")
    t.revise_plan(PM, pid, "customer_change", "customer provides the site and wants an IVR")
    t.draft_plan(PM, pid, V3)
    t.submit_plan(PM, pid)
    approval = t.review_plan(PM, pid, ["hr", "technology", "system_maintenance"], "approved", "revision agreed")
    assert (approval.data["added"], approval.data["dropped"], approval.data["changed"]) == (["R4"], ["R3"], ["R2"])
    assert launch.ticket("R3").state == "cancelled"
    assert launch.ticket("R2").due == date(2026, 12, 3)
    assert launch.ticket("R1").state == "accepted"
    launch.issue_tickets()
    assert launch.ticket("R4").department == "system_maintenance"
    launch.deliver("R2").deliver("R4")

    # The manual is rejected once.
    t.submit_manual(SERVICE_MANAGER, pid, "OM-SH-01", "first issue")
    t.review_manual(PM, pid, "rejected", "escalation matrix missing")
    t.submit_manual(SERVICE_MANAGER, pid, "OM-SH-02", "escalation matrix added")
    t.review_manual(PM, pid, "approved", "complete")

    # Trial, review, go-live.
    launch.start_trial()
    t.record_process_audit(SERVICE_MANAGER, pid, date(2026, 12, 11), [], True)
    t.relay_customer_feedback(SALES, pid, date(2026, 12, 14), "answer times good")
    t.record_improvement(PM, pid, "long holds at lunch", "stagger breaks", "operations", date(2026, 12, 16))
    launch.file_equipment_report().open_review().assess_all()
    assert launch.conclude() == "passed"
    t.decide_after_review(BRANCH_HEAD, launch.review_id, "go_live", go_live_on=date(2026, 12, 21))

    project = launch.project
    assert project.phase == "live"
    assert project.went_live_on == date(2026, 12, 21)
    assert [(p["plan_version"], p["status"]) for p in project.plans] == [
        (1, "rejected"),
        (2, "superseded"),
        (3, "approved"),
    ]
    assert [r["review"]["outcome"] for r in project.manual["revisions"]] == ["rejected", "approved"]
    assert {t.requirement_ref: t.state for t in tracker.tickets_of(project)} == {
        "R1": "accepted",
        "R2": "accepted",
        "R3": "cancelled",
        "R4": "accepted",
    }
    history = tracker.history(pid)
    assert [e.originator_version for e in history] == list(range(1, project.version + 1))
    assert {(e.actor, e.role) for e in history} >= {
        (SALES.user, "sales"),
        (DIRECTOR.user, "operations_director"),
        (PM.user, "project_manager"),
        (SERVICE_MANAGER.user, "service_manager"),
        (SYSMAINT_LEAD.user, "department_lead"),
        (BRANCH_HEAD.user, "branch_head"),
    }
    cancelled = tracker.history(launch.tickets["R3"])[-1]
    assert type(cancelled).__name__ == "TicketCancelled"
    assert "dropped by plan version 3" in cancelled.reason


def test_tech_lead_sees_revised_due_date_in_ticket_history(tracker):
    launch = Launch(tracker).advance_to("implementation").issue_tickets()
    tracker.record_requirement_change(SALES, launch.project_id, "later delivery", "accepted", "BG-02")
    tracker.revise_plan(PM, launch.project_id, "customer_change", "later delivery")
    later = plan(requirement("R1", "hr"), requirement("R2", "technology", complete_by=date(2026, 12, 4)))
    tracker.draft_plan(PM, launch.project_id, later)
    tracker.submit_plan(PM, launch.project_id)
    tracker.review_plan(PM, launch.project_id, ["technology"], "approved", "ok")
    revised = tracker.history(launch.tickets["R2"])[-1]
    assert type(revised).__name__ == "RequirementRevised"
    assert revised.due == date(2026, 12, 4)
    assert revised.plan_version == 2
    ticket = launch.ticket("R2")
    tracker.start_ticket(TECH_LEAD, ticket.id)
    tracker.submit_ticket(TECH_LEAD, ticket.id, "done")
    tracker.decide_acceptance(PM, ticket.id, "accepted", all_met(ticket), "")
    assert launch.ticket("R2").state == "accepted"
