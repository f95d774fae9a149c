"""PM appointment (任命): the operations director appoints the project manager, and may re-appoint."""

from __future__ import annotations

from datetime import date

import pytest

from demo.workflow import DIRECTOR, OTHER_PM, PM, Launch
from domain.errors import InvalidInput, InvalidTransition, NotAllowed, RuleViolated
from tests.project_support import assert_invalid_transition, everyone_but, last_event, refused


def test_director_appoints_the_pm_and_planning_starts(tracker):
    pid = Launch(tracker).advance_to("intake").project_id

    outcome = tracker.appoint_project_manager(DIRECTOR, pid, PM.user, "任命書 RM-2026-045")

    assert outcome.data == {"phase": "planning"}
    assert outcome.version == 2
    project = tracker.load_project(pid)
    assert project.phase == "planning"
    assert project.project_manager == PM.user
    assert project.appointments == [{"project_manager": PM.user, "letter_reference": "任命書 RM-2026-045"}]
    event = last_event(tracker, pid)
    assert type(event).__name__ == "ProjectManagerAppointed"
    assert (event.actor, event.role) == (DIRECTOR.user, "operations_director")
    assert (event.project_manager, event.letter_reference, event.previous) == (PM.user, "任命書 RM-2026-045", None)


@pytest.mark.parametrize("phase", ["planning", "implementation", "trial_operation"])
def test_director_reappoints_another_pm_without_changing_the_phase(tracker, phase):
    launch = Launch(tracker).advance_to(phase)
    pid = launch.project_id

    tracker.appoint_project_manager(DIRECTOR, pid, OTHER_PM.user, "任命書 RM-2026-051")

    project = launch.project
    assert project.phase == phase
    assert project.project_manager == OTHER_PM.user
    assert [a["project_manager"] for a in project.appointments] == [PM.user, OTHER_PM.user]
    event = last_event(tracker, pid)
    assert (event.project_manager, event.previous, event.letter_reference) == (
        OTHER_PM.user,
        PM.user,
        "任命書 RM-2026-051",
    )


def test_only_the_newly_appointed_pm_acts_after_a_reappointment(tracker):
    pid = Launch(tracker).advance_to("planning").project_id
    tracker.appoint_project_manager(DIRECTOR, pid, OTHER_PM.user, "RM-2026-051")

    error = refused(tracker, pid, NotAllowed, tracker.hold_meeting, PM, pid, date(2026, 11, 20), ["hr"], ["kick-off"])
    assert error.details["appointed"] == OTHER_PM.user

    tracker.hold_meeting(OTHER_PM, pid, date(2026, 11, 20), ["hr"], ["kick-off"])
    assert last_event(tracker, pid).actor == OTHER_PM.user


def test_director_cannot_reappoint_the_pm_already_appointed(tracker):
    pid = Launch(tracker).advance_to("planning").project_id

    error = refused(tracker, pid, RuleViolated, tracker.appoint_project_manager, DIRECTOR, pid, PM.user, "RM-2")

    assert error.rule == "already_appointed"


@pytest.mark.parametrize("actor", everyone_but("operations_director"))
def test_only_the_director_may_appoint_the_pm(tracker, actor):
    pid = Launch(tracker).advance_to("intake").project_id
    refused(tracker, pid, NotAllowed, tracker.appoint_project_manager, actor, pid, PM.user, "RM-2026-045")
    assert tracker.load_project(pid).phase == "intake"


@pytest.mark.parametrize(
    ("pm", "letter", "field"),
    [
        ("", "RM-2026-045", "project_manager"),
        ("  ", "RM-2026-045", "project_manager"),
        (PM.user, " ", "letter_reference"),
    ],
)
def test_director_cannot_appoint_without_a_pm_or_the_letter(tracker, pm, letter, field):
    pid = Launch(tracker).advance_to("intake").project_id
    error = refused(tracker, pid, InvalidInput, tracker.appoint_project_manager, DIRECTOR, pid, pm, letter)
    assert field in error.fields


def test_director_cannot_appoint_a_pm_once_live(tracker):
    pid = Launch(tracker).advance_to("live").project_id
    error = refused(tracker, pid, InvalidTransition, tracker.appoint_project_manager, DIRECTOR, pid, OTHER_PM.user, "R")
    assert_invalid_transition(error, "appoint_project_manager", "live")


def test_director_cannot_appoint_a_pm_to_a_cancelled_project(tracker):
    pid = Launch(tracker).advance_to("intake").project_id
    tracker.cancel_project(DIRECTOR, pid, "customer withdrew")
    error = refused(tracker, pid, InvalidTransition, tracker.appoint_project_manager, DIRECTOR, pid, PM.user, "RM-1")
    assert_invalid_transition(error, "appoint_project_manager", "cancelled")
