"""The trial as one story: failed → nonconformities → passed → extend → (new equipment
report) → passed → go-live; and nothing but a passed review with a go-live decision
makes a project live."""

from __future__ import annotations

from datetime import date

import pytest

from demo.workflow import BRANCH_HEAD, PM, SYSMAINT_LEAD, Launch
from domain.errors import InvalidTransition, RuleViolated
from tests.trial_helpers import close_actions, event_types, everything, record_improvement, record_nonconformity


@pytest.mark.backends()
def test_trial_fails_is_corrected_passes_is_extended_and_goes_live(tracker):
    launch = Launch(tracker).advance_to("trial_operation").file_equipment_report()
    pid = launch.project_id

    # 1. first review fails on equipment and personnel: back to trial operation
    launch.open_review(date(2026, 12, 18))
    first = launch.review_id
    assert launch.project.phase == "trial_review"
    launch.assess_all(unmet=("equipment", "personnel"))
    assert launch.conclude() == "failed"
    assert launch.project.phase == "trial_operation"

    # 2. nonconformities with corrective actions; the trial goes on with an improvement
    record_nonconformity(tracker, first)
    record_nonconformity(
        tracker, first, description="weekend seats unstaffed", corrective_action="hire two", owner_department="hr"
    )
    record_improvement(tracker, launch, problem="IVR drops calls", measure="IVR patched", owner_department="technology")
    assert [n["n"] for n in tracker.load_review(first).nonconformities] == [1, 2]
    close_actions(tracker, first)  # each done by its department and verified effective by the PM

    # 3. second review (no new report needed after a failure) passes; the branch head extends
    launch.open_review(date(2026, 12, 21)).assess_all()
    second = launch.review_id
    assert launch.conclude() == "passed"
    assert launch.project.phase == "trial_review"
    tracker.decide_after_review(BRANCH_HEAD, second, "extend_trial", extend_until=date(2026, 12, 31))
    assert launch.project.phase == "trial_operation"
    assert launch.project.trial["planned_end"] == date(2026, 12, 31)

    # 4. the next review needs an equipment report filed after the extension
    before = everything(tracker, pid)
    with pytest.raises(RuleViolated) as refused:
        launch.open_review(date(2026, 12, 31))
    assert refused.value.rule == "equipment_report"
    assert everything(tracker, pid) == before
    tracker.file_equipment_report(SYSMAINT_LEAD, pid, date(2026, 12, 21), date(2026, 12, 30), "stable after patch")

    # 5. third review passes; the appointed PM decides go-live
    launch.open_review(date(2026, 12, 31)).assess_all()
    third = launch.review_id
    assert launch.conclude() == "passed"
    tracker.decide_after_review(PM, third, "go_live", go_live_on=date(2027, 1, 4))

    project = launch.project
    assert (project.phase, project.went_live_on) == ("live", date(2027, 1, 4))
    assert project.reviews == [
        {"review_id": first, "held_on": date(2026, 12, 18), "outcome": "failed", "decision": None},
        {
            "review_id": second,
            "held_on": date(2026, 12, 21),
            "outcome": "passed",
            "decision": {"decision": "extend_trial", "date": date(2026, 12, 31)},
        },
        {
            "review_id": third,
            "held_on": date(2026, 12, 31),
            "outcome": "passed",
            "decision": {"decision": "go_live", "date": date(2027, 1, 4)},
        },
    ]
    assert [tracker.load_review(r).state for r in (first, second, third)] == ["failed", "decided", "decided"]
    trial_events = event_types(tracker, pid)[event_types(tracker, pid).index("TrialStarted") :]
    assert trial_events == [
        "TrialStarted",
        "EquipmentReportFiled",
        "TrialReviewOpened",
        "TrialReviewConcluded",
        "ImprovementRecorded",
        "TrialReviewOpened",
        "TrialReviewConcluded",
        "TrialExtended",
        "EquipmentReportFiled",
        "TrialReviewOpened",
        "TrialReviewConcluded",
        "WentLive",
    ]
    went_live = tracker.history(pid)[-1]
    assert (went_live.actor, went_live.role, went_live.review_id) == (PM.user, "project_manager", third)


def test_nothing_but_a_passed_review_with_go_live_makes_the_project_live(tracker):
    launch = Launch(tracker).advance_to("trial_operation").file_equipment_report()
    pid = launch.project_id
    seen = []

    def try_go_live(review_id):
        before = everything(tracker, pid, review_id)
        with pytest.raises(InvalidTransition):
            tracker.decide_after_review(BRANCH_HEAD, review_id, "go_live", go_live_on=date(2027, 1, 4))
        assert everything(tracker, pid, review_id) == before
        seen.append(launch.project.phase)

    launch.open_review()
    try_go_live(launch.review_id)  # open, not assessed
    launch.assess_all()
    try_go_live(launch.review_id)  # open, every item met but not concluded
    launch.assess_all(unmet=("facilities",)).conclude()
    failed = launch.review_id
    try_go_live(failed)  # failed
    record_nonconformity(tracker, failed)
    try_go_live(failed)  # failed, even with its corrective actions recorded
    close_actions(tracker, failed)

    launch.open_review(date(2026, 12, 21)).assess_all().conclude()
    tracker.decide_after_review(BRANCH_HEAD, launch.review_id, "extend_trial", extend_until=date(2026, 12, 31))
    try_go_live(launch.review_id)  # passed, but the extension was decided

    assert seen == ["trial_review", "trial_review", "trial_operation", "trial_operation", "trial_operation"]
    assert launch.project.went_live_on is None
    assert "WentLive" not in event_types(tracker, pid)
