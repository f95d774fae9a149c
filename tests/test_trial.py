"""Starting the trial operation (試運營, DOMAIN.md §9): only from implementation, only when ready.

Ready means: the current plan approved, every current ticket accepted (or cancelled),
the operations manual approved. Only the appointed PM starts it and sets its period.
"""

from __future__ import annotations

from datetime import date

import pytest

from demo.workflow import (
    AUDITOR,
    BRANCH_HEAD,
    DIRECTOR,
    HR_LEAD,
    OTHER_PM,
    PM,
    SALES,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    TECH_LEAD,
    Launch,
    plan,
    requirement,
    stored,
)
from domain.errors import InvalidInput, InvalidTransition, NotAllowed, RuleViolated
from tests.trial_helpers import PLANNED_END, TRIAL_START, everything, last_event, ready_for_trial

# --- the transition ---------------------------------------------------------------


@pytest.mark.backends()
def test_pm_starts_trial_when_plan_tickets_and_manual_are_ready(tracker):
    launch = ready_for_trial(tracker)

    outcome = tracker.start_trial(PM, launch.project_id, TRIAL_START, PLANNED_END)

    project = launch.project
    assert project.phase == "trial_operation"
    assert outcome.data["phase"] == "trial_operation"
    assert outcome.version == project.version
    assert (project.trial["start"], project.trial["planned_end"]) == (TRIAL_START, PLANNED_END)
    assert project.trial["audits"] == project.trial["feedback"] == project.trial["equipment_reports"] == []
    event = last_event(tracker, launch.project_id)
    assert type(event).__name__ == "TrialStarted"
    assert (event.actor, event.role) == (PM.user, "project_manager")
    assert (event.start, event.planned_end) == (TRIAL_START, PLANNED_END)


def test_pm_may_start_a_trial_that_ends_the_day_it_starts(tracker):
    launch = ready_for_trial(tracker)

    tracker.start_trial(PM, launch.project_id, TRIAL_START, TRIAL_START)

    assert launch.project.trial["planned_end"] == TRIAL_START


def test_cancelled_ticket_does_not_hold_up_the_trial(tracker):
    """A revision dropped R2: its open ticket is cancelled and only R1 must be accepted."""
    launch = Launch(tracker).advance_to("implementation").issue_tickets().deliver("R1")
    tracker.revise_plan(PM, launch.project_id, "force_majeure", "typhoon closed the second site")
    launch.draft(plan(requirement("R1", "hr", ("28 people hired", "training passed"))))
    launch.submit_plan().approve_plan().approve_manual()
    assert launch.ticket("R2").state == "cancelled"

    tracker.start_trial(PM, launch.project_id, TRIAL_START, PLANNED_END)

    assert launch.project.phase == "trial_operation"


def test_pm_appointed_later_starts_trial_and_former_pm_cannot(tracker):
    launch = ready_for_trial(tracker)
    tracker.appoint_project_manager(DIRECTOR, launch.project_id, OTHER_PM.user, "任命書 RM-2026-051")

    before = stored(tracker, launch.project_id)
    with pytest.raises(NotAllowed):
        tracker.start_trial(PM, launch.project_id, TRIAL_START, PLANNED_END)
    assert stored(tracker, launch.project_id) == before

    tracker.start_trial(OTHER_PM, launch.project_id, TRIAL_START, PLANNED_END)
    assert launch.project.phase == "trial_operation"
    assert last_event(tracker, launch.project_id).actor == OTHER_PM.user


# --- refusals: readiness gates ----------------------------------------------------


@pytest.mark.backends()
def test_pm_cannot_start_trial_with_open_tickets(tracker):
    launch = Launch(tracker).advance_to("implementation").issue_tickets().deliver("R1")
    tracker.start_ticket(TECH_LEAD, launch.tickets["R2"])
    tracker.submit_ticket(TECH_LEAD, launch.tickets["R2"], "softphones installed")
    launch.approve_manual()

    before = everything(tracker, launch.project_id, *launch.tickets.values())
    with pytest.raises(RuleViolated) as refused:
        tracker.start_trial(PM, launch.project_id, TRIAL_START, PLANNED_END)
    assert everything(tracker, launch.project_id, *launch.tickets.values()) == before

    assert refused.value.rule == "tickets_accepted"
    assert "R2 (submitted)" in refused.value.why
    assert "R1" not in refused.value.why
    assert launch.project.phase == "implementation"


def test_pm_cannot_start_trial_before_tickets_are_issued(tracker):
    launch = Launch(tracker).advance_to("implementation").approve_manual()

    before = everything(tracker, launch.project_id)
    with pytest.raises(RuleViolated) as refused:
        tracker.start_trial(PM, launch.project_id, TRIAL_START, PLANNED_END)
    assert everything(tracker, launch.project_id) == before

    assert refused.value.rule == "tickets_accepted"
    assert "no ticket issued for R1, R2" in refused.value.why


def _manual_submitted(tracker, launch):
    tracker.submit_manual(SERVICE_MANAGER, launch.project_id, "OM-SH-01", "first issue")


def _manual_rejected(tracker, launch):
    _manual_submitted(tracker, launch)
    tracker.review_manual(PM, launch.project_id, "rejected", "escalation scripts missing")


def _manual_rejected_after_approval(tracker, launch):
    launch.approve_manual()
    tracker.submit_manual(SERVICE_MANAGER, launch.project_id, "OM-SH-02", "new IVR flow")
    tracker.review_manual(PM, launch.project_id, "rejected", "IVR flow does not match the plan")


@pytest.mark.parametrize(
    ("manual", "why"),
    [
        (lambda tracker, launch: None, "no operations manual has been submitted"),
        (_manual_submitted, "awaits the PM's review"),
        (_manual_rejected, "was rejected"),
        (_manual_rejected_after_approval, "was rejected"),
    ],
    ids=["none", "submitted", "rejected", "latest_revision_rejected"],
)
def test_pm_cannot_start_trial_without_an_approved_manual(tracker, manual, why):
    launch = Launch(tracker).advance_to("implementation").issue_tickets()
    for ref in list(launch.tickets):
        launch.deliver(ref)
    manual(tracker, launch)

    before = stored(tracker, launch.project_id)
    with pytest.raises(RuleViolated) as refused:
        tracker.start_trial(PM, launch.project_id, TRIAL_START, PLANNED_END)
    assert stored(tracker, launch.project_id) == before

    assert refused.value.rule == "manual_approved"
    assert why in refused.value.why


# --- refusals: input, phase, rights -----------------------------------------------


def test_pm_cannot_start_trial_ending_before_it_starts(tracker):
    launch = ready_for_trial(tracker)

    before = stored(tracker, launch.project_id)
    with pytest.raises(InvalidInput) as refused:
        tracker.start_trial(PM, launch.project_id, TRIAL_START, date(2026, 12, 6))
    assert stored(tracker, launch.project_id) == before

    assert list(refused.value.fields) == ["planned_end"]


@pytest.mark.parametrize(
    ("phase", "one_allowed_step"),
    [
        ("planning", "draft_plan"),
        ("plan_review", "review_plan"),
        ("trial_operation", "open_trial_review"),
        ("trial_review", "conclude_trial_review"),
        ("live", "record_requirement_change"),
    ],
)
def test_pm_cannot_start_trial_outside_implementation(tracker, phase, one_allowed_step):
    launch = Launch(tracker).advance_to(phase)

    before = stored(tracker, launch.project_id)
    with pytest.raises(InvalidTransition) as refused:
        tracker.start_trial(PM, launch.project_id, TRIAL_START, PLANNED_END)
    assert stored(tracker, launch.project_id) == before

    assert refused.value.current == phase
    assert one_allowed_step in refused.value.allowed
    assert "start_trial" not in refused.value.allowed


@pytest.mark.parametrize(
    "actor",
    [OTHER_PM, SALES, DIRECTOR, SERVICE_MANAGER, BRANCH_HEAD, AUDITOR, HR_LEAD, SYSMAINT_LEAD],
    ids=lambda actor: f"{actor.role}:{actor.user}",
)
def test_only_the_appointed_pm_can_start_trial(tracker, actor):
    launch = ready_for_trial(tracker)

    before = stored(tracker, launch.project_id)
    with pytest.raises(NotAllowed):
        tracker.start_trial(actor, launch.project_id, TRIAL_START, PLANNED_END)
    assert stored(tracker, launch.project_id) == before

    assert launch.project.phase == "implementation"
