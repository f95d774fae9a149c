"""After a passed trial review the branch head (or the appointed PM) decides: go live
(正式運營, DOMAIN.md §11) or extend the trial (a new end date, another review later)."""

from __future__ import annotations

from datetime import date

import pytest

from demo.workflow import AUDITOR, BRANCH_HEAD, DIRECTOR, OTHER_PM, PM, SALES, SERVICE_MANAGER, SYSMAINT_LEAD, Launch
from domain.errors import InvalidInput, InvalidTransition, NotAllowed, RuleViolated
from tests.trial_helpers import GO_LIVE_DAY, PLANNED_END, concluded, everything, in_review, last_event

EXTENDED_END = date(2026, 12, 31)
DECIDERS = pytest.mark.parametrize("actor", [BRANCH_HEAD, PM], ids=["branch_head", "appointed_pm"])


@pytest.mark.backends()
@DECIDERS
def test_go_live_decision_after_passed_review_makes_the_project_live(tracker, actor):
    launch = concluded(tracker)

    outcome = tracker.decide_after_review(actor, launch.review_id, "go_live", go_live_on=GO_LIVE_DAY)

    assert outcome.data == {"decision": "go_live", "phase": "live"}
    project, review = launch.project, launch.review
    assert (project.phase, project.went_live_on) == ("live", GO_LIVE_DAY)
    assert project.reviews[-1]["decision"] == {"decision": "go_live", "date": GO_LIVE_DAY}
    assert review.state == "decided"
    assert review.decision == {"decision": "go_live", "date": GO_LIVE_DAY, "by": actor.user, "role": actor.role}
    went_live = last_event(tracker, launch.project_id)
    assert (type(went_live).__name__, went_live.actor, went_live.role) == ("WentLive", actor.user, actor.role)
    assert went_live.review_id == launch.review_id
    assert type(last_event(tracker, launch.review_id)).__name__ == "DecisionMade"


@DECIDERS
def test_extend_decision_after_passed_review_returns_to_trial_with_the_new_end(tracker, actor):
    launch = concluded(tracker)

    outcome = tracker.decide_after_review(actor, launch.review_id, "extend_trial", extend_until=EXTENDED_END)

    assert outcome.data == {"decision": "extend_trial", "phase": "trial_operation"}
    project = launch.project
    assert project.phase == "trial_operation"
    assert project.trial["planned_end"] == EXTENDED_END
    assert project.went_live_on is None
    assert project.reviews[-1]["decision"] == {"decision": "extend_trial", "date": EXTENDED_END}
    assert launch.review.decision["decision"] == "extend_trial"
    extended = last_event(tracker, launch.project_id)
    assert (type(extended).__name__, extended.actor, extended.role) == ("TrialExtended", actor.user, actor.role)
    assert extended.extend_until == EXTENDED_END


# --- refusals ---------------------------------------------------------------------


@pytest.mark.parametrize("extend_until", [date(2026, 12, 16), PLANNED_END], ids=["before_end", "on_end"])
def test_extension_must_end_after_the_current_planned_end(tracker, extend_until):
    launch = concluded(tracker, held_on=date(2026, 12, 15))

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(RuleViolated) as refused:
        tracker.decide_after_review(BRANCH_HEAD, launch.review_id, "extend_trial", extend_until=extend_until)
    assert everything(tracker, launch.project_id, launch.review_id) == before

    assert refused.value.rule == "extension_after_planned_end"
    assert (launch.project.phase, launch.review.state) == ("trial_review", "passed")


def test_second_extension_must_end_after_the_first(tracker):
    launch = concluded(tracker)
    tracker.decide_after_review(BRANCH_HEAD, launch.review_id, "extend_trial", extend_until=EXTENDED_END)
    launch.file_equipment_report(end=date(2026, 12, 30)).open_review(date(2026, 12, 28)).assess_all().conclude()

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(RuleViolated) as refused:
        tracker.decide_after_review(BRANCH_HEAD, launch.review_id, "extend_trial", extend_until=date(2026, 12, 30))
    assert everything(tracker, launch.project_id, launch.review_id) == before

    assert refused.value.rule == "extension_after_planned_end"


@pytest.mark.parametrize(
    ("decision", "dates"),
    [("go_live", {"go_live_on": date(2026, 12, 17)}), ("extend_trial", {"extend_until": date(2026, 12, 17)})],
)
def test_decision_cannot_be_dated_before_the_review(tracker, decision, dates):
    launch = concluded(tracker)

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(RuleViolated) as refused:
        tracker.decide_after_review(BRANCH_HEAD, launch.review_id, decision, **dates)
    assert everything(tracker, launch.project_id, launch.review_id) == before

    assert refused.value.rule == "decision_after_review"


@pytest.mark.parametrize(
    ("decision", "dates", "field"),
    [
        ("postpone", {"go_live_on": GO_LIVE_DAY}, "decision"),
        ("postpone", {"extend_until": EXTENDED_END}, "decision"),
        ("go_live", {}, "go_live_on"),
        ("extend_trial", {}, "extend_until"),
        ("go_live", {"go_live_on": GO_LIVE_DAY, "extend_until": EXTENDED_END}, "extend_until"),
        ("extend_trial", {"go_live_on": GO_LIVE_DAY, "extend_until": EXTENDED_END}, "go_live_on"),
    ],
)
def test_decision_needs_a_known_kind_and_only_its_own_date(tracker, decision, dates, field):
    launch = concluded(tracker)

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(InvalidInput) as refused:
        tracker.decide_after_review(BRANCH_HEAD, launch.review_id, decision, **dates)
    assert everything(tracker, launch.project_id, launch.review_id) == before

    assert list(refused.value.fields) == [field]


def _extended(tracker):
    launch = concluded(tracker)
    tracker.decide_after_review(BRANCH_HEAD, launch.review_id, "extend_trial", extend_until=EXTENDED_END)
    return launch


@pytest.mark.parametrize(
    ("make", "state", "allowed"),
    [
        (in_review, "open", ["assess_review_item", "conclude_review"]),
        (
            lambda tracker: concluded(tracker, unmet=("legal_requirements",)),
            "failed",
            ["complete_corrective_action", "record_nonconformity", "verify_corrective_action"],
        ),
        (_extended, "decided", []),
        (lambda tracker: Launch(tracker).advance_to("live"), "decided", []),
    ],
    ids=["open", "failed", "extended", "live"],
)
def test_branch_head_cannot_decide_unless_the_review_passed_undecided(tracker, make, state, allowed):
    launch = make(tracker)

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(InvalidTransition) as refused:
        tracker.decide_after_review(BRANCH_HEAD, launch.review_id, "go_live", go_live_on=date(2027, 1, 4))
    assert everything(tracker, launch.project_id, launch.review_id) == before

    assert (refused.value.current, refused.value.allowed) == (state, allowed)


@pytest.mark.parametrize(
    "actor", [OTHER_PM, SALES, DIRECTOR, SERVICE_MANAGER, SYSMAINT_LEAD, AUDITOR], ids=lambda a: f"{a.role}:{a.user}"
)
def test_only_branch_head_or_appointed_pm_can_decide(tracker, actor):
    launch = concluded(tracker)

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(NotAllowed):
        tracker.decide_after_review(actor, launch.review_id, "go_live", go_live_on=GO_LIVE_DAY)
    assert everything(tracker, launch.project_id, launch.review_id) == before

    assert launch.project.phase == "trial_review"


# --- after an extension: a new equipment report before the next review -------------


def test_pm_cannot_open_review_after_extension_without_a_new_equipment_report(tracker):
    launch = concluded(tracker)
    launch.file_equipment_report(end=date(2026, 12, 18))  # filed while the decision was pending: too early
    tracker.decide_after_review(BRANCH_HEAD, launch.review_id, "extend_trial", extend_until=EXTENDED_END)

    before = everything(tracker, launch.project_id)
    with pytest.raises(RuleViolated) as refused:
        launch.open_review(date(2026, 12, 31))
    assert everything(tracker, launch.project_id) == before

    assert refused.value.rule == "equipment_report"
    assert "extended" in refused.value.why
    assert launch.project.phase == "trial_operation"


def test_pm_opens_review_after_extension_once_a_new_report_is_filed(tracker):
    launch = _extended(tracker)
    first = launch.review_id

    launch.file_equipment_report(end=date(2026, 12, 30)).open_review(date(2026, 12, 31))

    assert launch.project.phase == "trial_review"
    assert [r["review_id"] for r in launch.project.reviews] == [first, launch.review_id]
