"""Plan revision (計劃更改): a customer change or force majeure re-opens planning; approval supersedes."""

from __future__ import annotations

from datetime import date

import pytest

from demo.workflow import PM, SALES, Launch, plan
from domain.errors import InvalidInput, InvalidTransition, NotAllowed, RuleViolated
from tests.project_support import assert_invalid_transition, last_event, not_the_pm, refused


def accepted_change(tracker, pid):
    tracker.record_requirement_change(SALES, pid, "客戶增加在線客服渠道", "accepted", "需求變更單 BG-007")


def approve_revision(launch, content=None):
    return launch.draft(content or plan(go_live=date(2026, 12, 28))).submit_plan().approve_plan()


def test_pm_revises_the_plan_after_an_accepted_customer_change(tracker):
    launch = Launch(tracker).advance_to("implementation")
    pid = launch.project_id
    accepted_change(tracker, pid)

    outcome = tracker.revise_plan(PM, pid, "customer_change", "online chat added (BG-007)")

    assert outcome.data == {"phase": "planning"}
    project = launch.project
    assert project.phase == "planning"
    assert project.revision["trigger"] == "customer_change"
    assert project.revision["reason"] == "online chat added (BG-007)"
    assert project.current_plan_version == 1
    assert project.plans[0]["status"] == "approved"
    event = last_event(tracker, pid)
    assert (type(event).__name__, event.actor, event.role) == ("PlanRevisionStarted", PM.user, "project_manager")
    assert (event.trigger, event.reason) == ("customer_change", "online chat added (BG-007)")


def test_pm_revises_the_plan_for_force_majeure_without_a_requirement_change(tracker):
    launch = Launch(tracker).advance_to("implementation")

    tracker.revise_plan(PM, launch.project_id, "force_majeure", "台風停電, site unusable for a week")

    project = launch.project
    assert project.phase == "planning"
    assert project.revision["trigger"] == "force_majeure"
    assert project.requirement_changes == []


def test_during_a_revision_the_approved_version_stays_in_force(tracker):
    launch = Launch(tracker).advance_to("implementation")
    tracker.revise_plan(PM, launch.project_id, "force_majeure", "typhoon")

    outcome = tracker.draft_plan(PM, launch.project_id, plan(go_live=date(2026, 12, 28)))

    assert outcome.data == {"plan_version": 2}
    project = launch.project
    assert [p["status"] for p in project.plans] == ["approved", "draft"]
    assert project.current_plan_version == 1
    assert project.current_plan["go_live"] == date(2026, 12, 21)


@pytest.mark.backends()
def test_approving_a_revision_supersedes_the_previous_version(tracker):
    launch = Launch(tracker).advance_to("implementation")
    tracker.revise_plan(PM, launch.project_id, "force_majeure", "typhoon")

    approve_revision(launch)

    project = launch.project
    assert project.phase == "implementation"
    assert [(p["plan_version"], p["status"]) for p in project.plans] == [(1, "superseded"), (2, "approved")]
    assert project.current_plan_version == 2
    assert project.current_plan["go_live"] == date(2026, 12, 28)
    assert project.revision is None
    assert project.plans[0]["content"]["go_live"] == date(2026, 12, 21)
    assert last_event(tracker, launch.project_id).plan_version == 2


def test_a_rejected_revision_keeps_the_approved_version_in_force(tracker):
    launch = Launch(tracker).advance_to("implementation")
    tracker.revise_plan(PM, launch.project_id, "force_majeure", "typhoon")
    launch.draft(plan(go_live=date(2026, 12, 28))).submit_plan()

    tracker.review_plan(PM, launch.project_id, ["hr"], "rejected", "go-live too late for the customer")

    project = launch.project
    assert project.phase == "planning"
    assert [p["status"] for p in project.plans] == ["approved", "rejected"]
    assert project.current_plan_version == 1
    assert project.revision["trigger"] == "force_majeure"


def _no_change(tracker, pid):
    pass


def _rejected_change(tracker, pid):
    tracker.record_requirement_change(SALES, pid, "24-hour service", "rejected", "BG-008")


@pytest.mark.parametrize("record_change", [_no_change, _rejected_change], ids=["no-change", "rejected-change"])
def test_pm_cannot_revise_for_a_customer_change_without_an_accepted_one(tracker, record_change):
    pid = Launch(tracker).advance_to("implementation").project_id
    record_change(tracker, pid)

    error = refused(tracker, pid, RuleViolated, tracker.revise_plan, PM, pid, "customer_change", "customer asked")

    assert error.rule == "requirement_change_required"


def test_a_change_accepted_before_the_approval_does_not_justify_a_revision(tracker):
    launch = Launch(tracker).advance_to("plan_review")
    accepted_change(tracker, launch.project_id)
    launch.approve_plan()
    pid = launch.project_id

    error = refused(tracker, pid, RuleViolated, tracker.revise_plan, PM, pid, "customer_change", "customer asked")

    assert error.rule == "requirement_change_required"


def test_each_customer_change_revision_needs_its_own_accepted_change(tracker):
    launch = Launch(tracker).advance_to("implementation")
    pid = launch.project_id
    accepted_change(tracker, pid)
    tracker.revise_plan(PM, pid, "customer_change", "online chat added")
    approve_revision(launch)

    error = refused(tracker, pid, RuleViolated, tracker.revise_plan, PM, pid, "customer_change", "again")
    assert error.rule == "requirement_change_required"

    accepted_change(tracker, pid)
    tracker.revise_plan(PM, pid, "customer_change", "e-mail channel added")
    assert launch.project.phase == "planning"


@pytest.mark.parametrize(
    ("trigger", "reason", "field"),
    [("whim", "customer asked", "trigger"), ("force_majeure", "  ", "reason"), ("", "", "trigger")],
)
def test_pm_cannot_revise_the_plan_without_a_known_trigger_and_reason(tracker, trigger, reason, field):
    pid = Launch(tracker).advance_to("implementation").project_id
    error = refused(tracker, pid, InvalidInput, tracker.revise_plan, PM, pid, trigger, reason)
    assert field in error.fields


@pytest.mark.parametrize("phase", ["planning", "plan_review", "trial_operation"])
def test_pm_cannot_revise_the_plan_outside_implementation(tracker, phase):
    pid = Launch(tracker).advance_to(phase).project_id
    error = refused(tracker, pid, InvalidTransition, tracker.revise_plan, PM, pid, "force_majeure", "typhoon")
    assert_invalid_transition(error, "revise_plan", phase)


@pytest.mark.parametrize("actor", not_the_pm())
def test_only_the_appointed_pm_may_revise_the_plan(tracker, actor):
    pid = Launch(tracker).advance_to("implementation").project_id
    refused(tracker, pid, NotAllowed, tracker.revise_plan, actor, pid, "force_majeure", "typhoon")
