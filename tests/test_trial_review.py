"""The trial review (試運營評審, DOMAIN.md §10): opening it, assessing the eight items with
evidence, and the conclusion computed from them."""

from __future__ import annotations

from datetime import date

import pytest

from demo.workflow import (
    AUDITOR,
    BRANCH_HEAD,
    DIRECTOR,
    OTHER_PM,
    PM,
    REVIEW_ITEMS,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    Launch,
    stored,
)
from domain.errors import InvalidInput, InvalidTransition, NotAllowed, RuleViolated
from tests.trial_helpers import REVIEW_DAY, concluded, event_types, everything, in_review, last_event

NOT_THE_PM = [OTHER_PM, BRANCH_HEAD, SERVICE_MANAGER, SYSMAINT_LEAD, AUDITOR]
by_user = {"ids": lambda actor: f"{actor.role}:{actor.user}"}

# --- opening ----------------------------------------------------------------------


@pytest.mark.backends()
def test_pm_opens_trial_review_after_the_equipment_report(tracker):
    launch = Launch(tracker).advance_to("trial_operation").file_equipment_report()

    outcome = tracker.open_trial_review(PM, launch.project_id, REVIEW_DAY, ["operations", "system_maintenance"])

    review_id = outcome.data["review_id"]
    review, project = tracker.load_review(review_id), launch.project
    assert (review.state, review.outcome, review.project_id) == ("open", None, launch.project_id)
    assert review.participants == ["operations", "system_maintenance"]
    assert project.phase == "trial_review"
    assert project.reviews == [{"review_id": review_id, "held_on": REVIEW_DAY, "outcome": None, "decision": None}]
    opened = last_event(tracker, review_id)
    assert (type(opened).__name__, opened.actor, opened.role) == ("Opened", PM.user, "project_manager")
    assert event_types(tracker, launch.project_id)[-1] == "TrialReviewOpened"


def test_pm_cannot_open_trial_review_without_equipment_report(tracker):
    launch = Launch(tracker).advance_to("trial_operation")

    before = everything(tracker, launch.project_id)
    with pytest.raises(RuleViolated) as refused:
        launch.open_review()
    assert everything(tracker, launch.project_id) == before

    assert refused.value.rule == "equipment_report"
    assert launch.project.phase == "trial_operation"


@pytest.mark.parametrize(
    ("held_on", "participants", "field"),
    [
        (date(2026, 12, 6), ["operations"], "held_on"),
        (REVIEW_DAY, [], "participants"),
        (REVIEW_DAY, ["operations", "marketing"], "participants"),
    ],
    ids=["before_the_trial", "nobody", "unknown_department"],
)
def test_pm_cannot_open_trial_review_with_bad_input(tracker, held_on, participants, field):
    launch = Launch(tracker).advance_to("trial_operation").file_equipment_report()

    before = everything(tracker, launch.project_id)
    with pytest.raises(InvalidInput) as refused:
        tracker.open_trial_review(PM, launch.project_id, held_on, participants)
    assert everything(tracker, launch.project_id) == before

    assert list(refused.value.fields) == [field]


@pytest.mark.parametrize("phase", ["implementation", "trial_review", "live"])
def test_pm_cannot_open_trial_review_outside_trial_operation(tracker, phase):
    launch = Launch(tracker).advance_to(phase)

    before = everything(tracker, launch.project_id)
    with pytest.raises(InvalidTransition) as refused:
        tracker.open_trial_review(PM, launch.project_id, REVIEW_DAY, ["operations"])
    assert everything(tracker, launch.project_id) == before

    assert refused.value.current == phase
    assert "open_trial_review" not in refused.value.allowed


@pytest.mark.parametrize("actor", NOT_THE_PM, **by_user)
def test_only_the_appointed_pm_can_open_trial_review(tracker, actor):
    launch = Launch(tracker).advance_to("trial_operation").file_equipment_report()

    before = everything(tracker, launch.project_id)
    with pytest.raises(NotAllowed):
        tracker.open_trial_review(actor, launch.project_id, REVIEW_DAY, ["operations"])
    assert everything(tracker, launch.project_id) == before


# --- assessing the eight items ----------------------------------------------------


def test_pm_assesses_each_item_with_evidence(tracker):
    launch = in_review(tracker)

    tracker.assess_review_item(PM, launch.review_id, "equipment", False, "IVR failed twice")
    tracker.assess_review_item(PM, launch.review_id, "equipment", True, "IVR fixed, 3 days clean")

    assert launch.review.items == {"equipment": {"met": True, "evidence": "IVR fixed, 3 days clean", "by": PM.user}}
    event = last_event(tracker, launch.review_id)
    assert (type(event).__name__, event.actor, event.role) == ("ItemAssessed", PM.user, "project_manager")
    assert (event.item, event.met, event.evidence) == ("equipment", True, "IVR fixed, 3 days clean")
    assert launch.review.state == "open"


@pytest.mark.parametrize(
    ("item", "evidence", "fields"),
    [("coffee", "good", {"item"}), ("facilities", " ", {"evidence"}), ("coffee", "", {"item", "evidence"})],
)
def test_pm_cannot_assess_an_unknown_item_or_without_evidence(tracker, item, evidence, fields):
    launch = in_review(tracker)

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(InvalidInput) as refused:
        tracker.assess_review_item(PM, launch.review_id, item, True, evidence)
    assert everything(tracker, launch.project_id, launch.review_id) == before

    assert set(refused.value.fields) == fields


@pytest.mark.parametrize(("unmet", "state"), [((), "passed"), (("personnel",), "failed")])
def test_pm_cannot_reassess_items_of_a_concluded_review(tracker, unmet, state):
    launch = concluded(tracker, unmet=unmet)

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(InvalidTransition) as refused:
        tracker.assess_review_item(PM, launch.review_id, "personnel", True, "hired two more")
    assert everything(tracker, launch.project_id, launch.review_id) == before

    assert refused.value.current == state
    loop = ["complete_corrective_action", "record_nonconformity", "verify_corrective_action"]
    assert refused.value.allowed == (["decide_after_review"] if state == "passed" else loop)


@pytest.mark.parametrize("actor", NOT_THE_PM, **by_user)
def test_only_the_appointed_pm_can_assess_review_items(tracker, actor):
    launch = in_review(tracker)

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(NotAllowed):
        tracker.assess_review_item(actor, launch.review_id, "facilities", True, "site ready")
    assert everything(tracker, launch.project_id, launch.review_id) == before


# --- the conclusion ---------------------------------------------------------------


@pytest.mark.backends()
def test_review_passes_when_every_item_is_met(tracker):
    launch = in_review(tracker).assess_all()

    outcome = tracker.conclude_review(PM, launch.review_id, "two weeks without incident")

    assert outcome.data == {"outcome": "passed", "phase": "trial_review"}
    assert (launch.review.state, launch.review.outcome) == ("passed", "passed")
    assert launch.review.summary == "two weeks without incident"
    assert launch.project.phase == "trial_review"
    assert launch.project.reviews[-1]["outcome"] == "passed"
    event = last_event(tracker, launch.review_id)
    assert (type(event).__name__, event.actor, event.role, event.unmet) == ("Concluded", PM.user, "project_manager", [])
    assert last_event(tracker, launch.project_id).outcome == "passed"


@pytest.mark.parametrize("unmet_item", REVIEW_ITEMS)
def test_review_fails_when_any_item_is_unmet_and_the_trial_continues(tracker, unmet_item):
    launch = in_review(tracker).assess_all(unmet=(unmet_item,))

    outcome = tracker.conclude_review(PM, launch.review_id, "not ready yet")

    assert outcome.data == {"outcome": "failed", "phase": "trial_operation"}
    assert (launch.review.state, launch.review.outcome) == ("failed", "failed")
    assert last_event(tracker, launch.review_id).unmet == [unmet_item]
    project = launch.project
    assert project.phase == "trial_operation"
    assert project.reviews[-1]["outcome"] == "failed"
    assert type(last_event(tracker, launch.project_id)).__name__ == "TrialReviewConcluded"


def test_pm_cannot_conclude_review_with_unassessed_items(tracker):
    launch = in_review(tracker)
    for item in REVIEW_ITEMS[:6]:
        tracker.assess_review_item(PM, launch.review_id, item, True, "checked")

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(RuleViolated) as refused:
        tracker.conclude_review(PM, launch.review_id, "looks fine")
    assert everything(tracker, launch.project_id, launch.review_id) == before

    assert refused.value.rule == "review_items_assessed"
    assert refused.value.why == "not yet assessed: processes, personnel"
    assert launch.review.state == "open"


def test_pm_cannot_conclude_review_without_summary(tracker):
    launch = in_review(tracker).assess_all()

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(InvalidInput) as refused:
        tracker.conclude_review(PM, launch.review_id, "   ")
    assert everything(tracker, launch.project_id, launch.review_id) == before

    assert list(refused.value.fields) == ["summary"]


@pytest.mark.parametrize(("unmet", "state"), [((), "passed"), (("facilities",), "failed")])
def test_pm_cannot_conclude_a_review_twice(tracker, unmet, state):
    launch = concluded(tracker, unmet=unmet)

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(InvalidTransition) as refused:
        tracker.conclude_review(PM, launch.review_id, "again")
    assert everything(tracker, launch.project_id, launch.review_id) == before

    assert refused.value.current == state
    assert "conclude_review" not in refused.value.allowed


@pytest.mark.parametrize("actor", NOT_THE_PM, **by_user)
def test_only_the_appointed_pm_can_conclude_review(tracker, actor):
    launch = in_review(tracker).assess_all()

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(NotAllowed):
        tracker.conclude_review(actor, launch.review_id, "trial summary")
    assert everything(tracker, launch.project_id, launch.review_id) == before


def test_open_review_of_a_cancelled_project_takes_no_more_assessments(tracker):
    launch = Launch(tracker).advance_to("trial_review")
    tracker.cancel_project(DIRECTOR, launch.project_id, "customer withdrew")
    before = stored(tracker, launch.review_id)
    with pytest.raises(InvalidTransition) as refused:
        tracker.assess_review_item(PM, launch.review_id, "facilities", True, "site ready")
    assert (refused.value.current, refused.value.allowed) == ("project cancelled", [])
    assert stored(tracker, launch.review_id) == before
