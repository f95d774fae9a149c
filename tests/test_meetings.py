"""Coordination meetings (協調會議): the PM records date, participants and decisions."""

from __future__ import annotations

from datetime import date

import pytest

from demo.workflow import DIRECTOR, PM, Launch
from domain.errors import InvalidInput, InvalidTransition, NotAllowed
from tests.project_support import assert_invalid_transition, last_event, not_the_pm, refused

HELD_ON = date(2026, 11, 25)


@pytest.mark.parametrize("phase", ["planning", "plan_review", "implementation", "trial_operation", "trial_review"])
def test_pm_records_a_coordination_meeting(tracker, phase):
    launch = Launch(tracker).advance_to(phase)

    tracker.hold_meeting(PM, launch.project_id, HELD_ON, ["hr", "technology"], ["耳機 12月1日到貨", "培訓提前一天"])

    project = launch.project
    assert project.phase == phase
    assert project.meetings == [
        {"held_on": HELD_ON, "participants": ["hr", "technology"], "decisions": ["耳機 12月1日到貨", "培訓提前一天"]}
    ]
    event = last_event(tracker, launch.project_id)
    assert (type(event).__name__, event.actor, event.role) == ("MeetingHeld", PM.user, "project_manager")
    assert (event.held_on, event.participants, event.decisions) == (
        HELD_ON,
        ["hr", "technology"],
        ["耳機 12月1日到貨", "培訓提前一天"],
    )


def test_pm_cannot_record_a_meeting_without_participants(tracker):
    pid = Launch(tracker).advance_to("implementation").project_id
    error = refused(tracker, pid, InvalidInput, tracker.hold_meeting, PM, pid, HELD_ON, [], ["nothing"])
    assert "participants" in error.fields


def test_pm_cannot_record_a_meeting_on_a_cancelled_project(tracker):
    pid = Launch(tracker).advance_to("implementation").project_id
    tracker.cancel_project(DIRECTOR, pid, "customer withdrew")
    error = refused(tracker, pid, InvalidTransition, tracker.hold_meeting, PM, pid, HELD_ON, ["hr"], ["x"])
    assert_invalid_transition(error, "hold_meeting", "cancelled")


def test_no_pm_may_record_a_meeting_before_one_is_appointed(tracker):
    pid = Launch(tracker).advance_to("intake").project_id
    refused(tracker, pid, NotAllowed, tracker.hold_meeting, PM, pid, HELD_ON, ["hr"], ["x"])


@pytest.mark.parametrize("actor", not_the_pm())
def test_only_the_appointed_pm_may_record_a_meeting(tracker, actor):
    pid = Launch(tracker).advance_to("implementation").project_id
    refused(tracker, pid, NotAllowed, tracker.hold_meeting, actor, pid, HELD_ON, ["hr"], ["x"])
