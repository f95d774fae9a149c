"""The project plan (項目計劃書): the PM drafts it and submits it for review."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from demo.workflow import PM, Launch, plan, requirement
from domain.errors import InvalidInput, InvalidTransition, NotAllowed, RuleViolated
from tests.project_support import assert_invalid_transition, last_event, not_the_pm, refused


def reject(tracker, pid, comments="staffing too thin"):
    return tracker.review_plan(PM, pid, ["hr", "operations"], "rejected", comments)


# Drafting ---------------------------------------------------------------------------------


@pytest.mark.backends()
def test_pm_drafts_the_first_plan_version(tracker):
    pid = Launch(tracker).advance_to("planning").project_id

    outcome = tracker.draft_plan(PM, pid, plan())

    assert outcome.data == {"plan_version": 1}
    project = tracker.load_project(pid)
    assert project.phase == "planning"
    [version] = project.plans
    assert (version["plan_version"], version["status"], version["reviews"]) == (1, "draft", [])
    content = version["content"]
    assert [(r["ref"], r["department"]) for r in content["requirements"]] == [("R1", "hr"), ("R2", "technology")]
    assert content["requirements"][0]["acceptance_criteria"] == ["28 people hired", "training passed"]
    assert content["requirements"][0]["complete_by"] == date(2026, 12, 2)
    assert (content["trial_start"], content["trial_review"], content["go_live"]) == (
        date(2026, 12, 7),
        date(2026, 12, 18),
        date(2026, 12, 21),
    )
    assert content["manual"] == {"requirements": "call flow and scripts", "due": date(2026, 12, 4)}
    assert project.current_plan_version is None
    event = last_event(tracker, pid)
    assert type(event).__name__ == "PlanDrafted"
    assert (event.actor, event.role, event.plan_version) == (PM.user, "project_manager", 1)


def test_pm_rewrites_the_open_draft_in_the_same_plan_version(tracker):
    pid = Launch(tracker).advance_to("planning").draft().project_id

    outcome = tracker.draft_plan(PM, pid, plan(go_live=date(2026, 12, 28)))

    assert outcome.data == {"plan_version": 1}
    [version] = tracker.load_project(pid).plans
    assert version["status"] == "draft"
    assert version["content"]["go_live"] == date(2026, 12, 28)
    drafts = [e for e in tracker.history(pid) if type(e).__name__ == "PlanDrafted"]
    assert [(e.plan_version, e.content["go_live"]) for e in drafts] == [
        (1, date(2026, 12, 21)),
        (1, date(2026, 12, 28)),
    ]


def test_pm_drafts_a_new_plan_version_after_a_rejection(tracker):
    pid = Launch(tracker).advance_to("plan_review").project_id
    reject(tracker, pid)

    outcome = tracker.draft_plan(PM, pid, plan(go_live=date(2026, 12, 28)))

    assert outcome.data == {"plan_version": 2}
    first, second = tracker.load_project(pid).plans
    assert (first["status"], first["content"]["go_live"]) == ("rejected", date(2026, 12, 21))
    assert (second["plan_version"], second["status"], second["content"]["go_live"]) == (2, "draft", date(2026, 12, 28))


def _late(ref, **dates):
    return requirement(ref, "technology", **dates)


@pytest.mark.parametrize(
    ("content", "named"),
    [
        pytest.param(
            plan(requirement("R1", "hr"), _late("R7", complete_by=date(2026, 12, 5), accept_by=date(2026, 12, 3))),
            "R7",
            id="completion-after-acceptance",
        ),
        pytest.param(
            plan(requirement("R1", "hr"), _late("R7", accept_by=date(2026, 12, 9))), "R7", id="acceptance-after-trial"
        ),
        pytest.param(plan(manual={"requirements": "", "due": date(2026, 12, 8)}), "manual", id="manual-after-trial"),
        pytest.param(plan(trial_review=date(2026, 12, 6)), "trial review", id="review-before-trial"),
        pytest.param(plan(go_live=date(2026, 12, 17)), "go-live", id="go-live-before-review"),
    ],
)
def test_pm_cannot_draft_a_plan_with_dates_out_of_order(tracker, content, named):
    pid = Launch(tracker).advance_to("planning").project_id

    error = refused(tracker, pid, RuleViolated, tracker.draft_plan, PM, pid, content)

    assert error.rule == "plan_dates_ordered"
    assert named in error.why
    if named == "R7":
        assert "R1" not in error.why
    assert tracker.load_project(pid).plans == []


def _first_requirement(**changes):
    return plan(requirement("R1", "hr") | changes, requirement("R2", "technology"))


@pytest.mark.parametrize(
    ("content", "field"),
    [
        pytest.param(plan(requirements=[]), "requirements", id="no-requirement"),
        pytest.param(_first_requirement(ref=" "), "requirements.0.ref", id="no-ref"),
        pytest.param(
            plan(requirement("R1", "hr"), requirement("R1", "technology")), "requirements.1.ref", id="dup-ref"
        ),
        pytest.param(_first_requirement(department="finance"), "requirements.0.department", id="bad-department"),
        pytest.param(_first_requirement(complete_by="2026-12-02"), "requirements.0.complete_by", id="date-as-text"),
        pytest.param(_first_requirement(accept_by=None), "requirements.0.accept_by", id="no-acceptance-date"),
        pytest.param(
            _first_requirement(acceptance_criteria=[" "]), "requirements.0.acceptance_criteria", id="no-criteria"
        ),
        pytest.param(plan(trial_start=None), "trial_start", id="no-trial-start"),
        pytest.param(plan(go_live="soon"), "go_live", id="bad-go-live"),
        pytest.param(plan(go_live=datetime(2026, 12, 21, 9, 0)), "go_live", id="time-instead-of-date"),
        pytest.param(
            _first_requirement(acceptance_criteria="works"),
            "requirements.0.acceptance_criteria",
            id="criteria-not-a-list",
        ),
        pytest.param(plan(manual={"requirements": "scripts"}), "manual.due", id="no-manual-due"),
        pytest.param(plan(positions=[{"title": "agent", "headcount": 0}]), "positions.0.headcount", id="no-headcount"),
        pytest.param(plan(positions=[{"title": "", "headcount": 2}]), "positions.0.title", id="no-title"),
    ],
)
def test_pm_cannot_draft_a_plan_of_the_wrong_shape(tracker, content, field):
    pid = Launch(tracker).advance_to("planning").project_id
    error = refused(tracker, pid, InvalidInput, tracker.draft_plan, PM, pid, content)
    assert field in error.fields


@pytest.mark.parametrize("phase", ["plan_review", "implementation"])
def test_pm_cannot_draft_the_plan_outside_planning(tracker, phase):
    pid = Launch(tracker).advance_to(phase).project_id
    error = refused(tracker, pid, InvalidTransition, tracker.draft_plan, PM, pid, plan())
    assert_invalid_transition(error, "draft_plan", phase)


def test_pm_cannot_draft_the_plan_before_being_appointed(tracker):
    pid = Launch(tracker).advance_to("intake").project_id
    refused(tracker, pid, NotAllowed, tracker.draft_plan, PM, pid, plan())


@pytest.mark.parametrize("actor", not_the_pm())
def test_only_the_appointed_pm_may_draft_the_plan(tracker, actor):
    pid = Launch(tracker).advance_to("planning").project_id
    refused(tracker, pid, NotAllowed, tracker.draft_plan, actor, pid, plan())


# Submission ---------------------------------------------------------------------------------


def test_pm_submits_the_plan_draft_for_review(tracker):
    pid = Launch(tracker).advance_to("planning").draft().project_id

    outcome = tracker.submit_plan(PM, pid)

    assert outcome.data == {"phase": "plan_review"}
    project = tracker.load_project(pid)
    assert project.phase == "plan_review"
    assert project.plans[0]["status"] == "submitted"
    event = last_event(tracker, pid)
    assert (type(event).__name__, event.actor, event.role, event.plan_version) == (
        "PlanSubmitted",
        PM.user,
        "project_manager",
        1,
    )


def test_pm_cannot_submit_plan_without_a_draft(tracker):
    pid = Launch(tracker).advance_to("planning").project_id
    error = refused(tracker, pid, RuleViolated, tracker.submit_plan, PM, pid)
    assert error.rule == "draft_required"


def test_pm_cannot_resubmit_a_rejected_plan_without_a_new_draft(tracker):
    pid = Launch(tracker).advance_to("plan_review").project_id
    reject(tracker, pid)
    error = refused(tracker, pid, RuleViolated, tracker.submit_plan, PM, pid)
    assert error.rule == "draft_required"


@pytest.mark.parametrize("phase", ["plan_review", "implementation"])
def test_pm_cannot_submit_the_plan_outside_planning(tracker, phase):
    pid = Launch(tracker).advance_to(phase).project_id
    error = refused(tracker, pid, InvalidTransition, tracker.submit_plan, PM, pid)
    assert_invalid_transition(error, "submit_plan", phase)


@pytest.mark.parametrize("actor", not_the_pm())
def test_only_the_appointed_pm_may_submit_the_plan(tracker, actor):
    pid = Launch(tracker).advance_to("planning").draft().project_id
    refused(tracker, pid, NotAllowed, tracker.submit_plan, actor, pid)
