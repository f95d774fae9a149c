"""Plan review (評審): the PM records participants, outcome and comments; approval starts implementation."""

from __future__ import annotations

import pytest

from demo.workflow import PM, Launch
from domain.errors import InvalidInput, InvalidTransition, NotAllowed
from tests.project_support import assert_invalid_transition, event_types, last_event, not_the_pm, refused


def reject(tracker, pid, comments="staffing too thin"):
    return tracker.review_plan(PM, pid, ["hr", "operations"], "rejected", comments)


def test_pm_approves_the_plan_and_implementation_starts(tracker):
    pid = Launch(tracker).advance_to("plan_review").project_id

    outcome = tracker.review_plan(PM, pid, ["hr", "technology"], "approved", "同意")

    assert outcome.data == {"phase": "implementation", "added": ["R1", "R2"], "dropped": [], "changed": []}
    project = tracker.load_project(pid)
    assert project.phase == "implementation"
    assert project.current_plan_version == 1
    [version] = project.plans
    assert version["status"] == "approved"
    [review] = version["reviews"]
    assert (review["outcome"], review["participants"], review["comments"], review["reviewed_by"]) == (
        "approved",
        ["hr", "technology"],
        "同意",
        PM.user,
    )
    event = last_event(tracker, pid)
    assert (type(event).__name__, event.actor, event.role, event.plan_version) == (
        "PlanApproved",
        PM.user,
        "project_manager",
        1,
    )
    assert (event.participants, event.comments) == (["hr", "technology"], "同意")


def test_pm_rejects_the_plan_with_comments_and_planning_resumes(tracker):
    pid = Launch(tracker).advance_to("plan_review").project_id

    outcome = reject(tracker, pid, "人員配置不足")

    assert outcome.data["phase"] == "planning"
    project = tracker.load_project(pid)
    assert project.phase == "planning"
    assert project.current_plan_version is None
    [version] = project.plans
    assert version["status"] == "rejected"
    assert [(r["outcome"], r["comments"]) for r in version["reviews"]] == [("rejected", "人員配置不足")]
    event = last_event(tracker, pid)
    assert (type(event).__name__, event.actor, event.comments, event.participants) == (
        "PlanRejected",
        PM.user,
        "人員配置不足",
        ["hr", "operations"],
    )


@pytest.mark.parametrize(
    ("participants", "outcome", "comments", "field"),
    [
        pytest.param(["hr"], "rejected", "  ", "comments", id="rejection-without-comments"),
        pytest.param([], "approved", "ok", "participants", id="no-participants"),
        pytest.param(["hr", "finance"], "approved", "ok", "participants", id="unknown-department"),
        pytest.param(["hr"], "postponed", "ok", "outcome", id="unknown-outcome"),
    ],
)
def test_pm_cannot_record_a_plan_review_with_bad_input(tracker, participants, outcome, comments, field):
    pid = Launch(tracker).advance_to("plan_review").project_id
    error = refused(tracker, pid, InvalidInput, tracker.review_plan, PM, pid, participants, outcome, comments)
    assert field in error.fields
    assert event_types(tracker, pid)[-1] == "PlanSubmitted"


@pytest.mark.parametrize("phase", ["planning", "implementation"])
def test_pm_cannot_review_a_plan_that_is_not_submitted(tracker, phase):
    launch = Launch(tracker).advance_to(phase)
    if phase == "planning":
        launch.draft()
    pid = launch.project_id
    error = refused(tracker, pid, InvalidTransition, tracker.review_plan, PM, pid, ["hr"], "approved", "ok")
    assert_invalid_transition(error, "review_plan", phase)


@pytest.mark.parametrize("actor", not_the_pm())
def test_only_the_appointed_pm_may_review_the_plan(tracker, actor):
    pid = Launch(tracker).advance_to("plan_review").project_id
    refused(tracker, pid, NotAllowed, tracker.review_plan, actor, pid, ["hr"], "approved", "ok")
