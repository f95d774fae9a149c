"""Closing the loops (DOMAIN.md "Closing the loops"): corrective actions and improvement measures
are done by their owner department's lead and verified by the PM; a passing conclusion and a
go-live decision wait until every corrective action of an earlier failed review is closed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from eventsourcing.domain import Snapshot

from demo.workflow import BRANCH_HEAD, HR_LEAD, OPS_LEAD, PM, SYSMAINT_LEAD, Launch
from domain import gates
from domain.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound, RuleViolated
from tests.snapshot_forms import before_rows
from tests.trial_helpers import concluded, event_types, everything, record_improvement, record_nonconformity


def failed_with_action(tracker) -> Launch:
    """A failed first review with one corrective action owned by system maintenance, due 2026-12-20."""
    launch = concluded(tracker, unmet=("equipment",))
    record_nonconformity(tracker, launch.review_id)
    return launch


def second_review(tracker, launch: Launch) -> Launch:
    """Another report, another review with every item met (not concluded)."""
    launch.file_equipment_report(date(2026, 12, 22))
    launch.open_review(date(2026, 12, 23))
    return launch.assess_all()


def test_a_corrective_action_is_done_reopened_done_again_and_closed(tracker):
    launch = failed_with_action(tracker)
    review_id = launch.review_id

    done = tracker.complete_corrective_action(SYSMAINT_LEAD, review_id, 1, "IVR branch fixed, test log T-1")
    assert done.data == {"nonconformity": 1, "state": "done"}
    reopened = tracker.verify_corrective_action(
        PM, review_id, 1, False, "calls still drop at 18:05", new_due=date(2026, 12, 28)
    )
    assert reopened.data == {"nonconformity": 1, "state": "reopened", "due": date(2026, 12, 28)}
    tracker.complete_corrective_action(SYSMAINT_LEAD, review_id, 1, "closing time moved, test log T-2")
    closed = tracker.verify_corrective_action(PM, review_id, 1, True, "no drop in a week")

    assert closed.data["state"] == "closed"
    action = launch.review.nonconformities[0]
    assert (action.n, action.state, action.due) == (1, "closed", date(2026, 12, 28))
    assert [c.evidence for c in action.completions] == [
        "IVR branch fixed, test log T-1",
        "closing time moved, test log T-2",
    ]
    assert [(v.effective, v.new_due, v.by) for v in action.verifications] == [
        (False, date(2026, 12, 28), PM.user),
        (True, None, PM.user),
    ]
    assert event_types(tracker, review_id)[-4:] == [
        "CorrectiveActionCompleted",
        "CorrectiveActionVerified",
        "CorrectiveActionCompleted",
        "CorrectiveActionVerified",
    ]


def test_reopening_in_working_days_counts_from_the_day_of_verification(tracker):
    launch = failed_with_action(tracker)
    tracker.complete_corrective_action(SYSMAINT_LEAD, launch.review_id, 1, "fixed")

    answer = tracker.verify_corrective_action(
        PM, launch.review_id, 1, False, "not yet", due_in_working_days=3, recorded_on=date(2026, 12, 24)
    )

    assert answer.data["due"] == date(2026, 12, 29)
    action = launch.review.nonconformities[0]
    assert (action.state, action.due, action.due_in_working_days) == ("reopened", date(2026, 12, 29), 3)


def test_a_passing_conclusion_waits_for_every_corrective_action_to_be_closed(tracker):
    launch = failed_with_action(tracker)
    first = launch.review_id
    second_review(tracker, launch)

    before = everything(tracker, launch.project_id, first, launch.review_id)
    with pytest.raises(RuleViolated) as refused:
        tracker.conclude_review(PM, launch.review_id, "all met now")
    assert everything(tracker, launch.project_id, first, launch.review_id) == before
    assert refused.value.rule == "corrective_actions_closed"
    assert "review 1 action 1 (system_maintenance, open, due 2026-12-20)" in refused.value.why
    assert refused.value.details["open"][0]["n"] == 1

    tracker.complete_corrective_action(SYSMAINT_LEAD, first, 1, "fixed")
    with pytest.raises(RuleViolated):  # done is not closed: the PM has not verified it
        tracker.conclude_review(PM, launch.review_id, "all met now")
    tracker.verify_corrective_action(PM, first, 1, True, "works")

    assert launch.conclude() == "passed"
    launch.go_live(date(2026, 12, 28))
    assert launch.project.phase == "live"


def test_a_failing_conclusion_is_not_held_up_by_open_actions(tracker):
    launch = failed_with_action(tracker)
    launch.file_equipment_report(date(2026, 12, 22))
    launch.open_review(date(2026, 12, 23))
    launch.assess_all(unmet=("personnel",))

    assert launch.conclude() == "failed"


def test_no_go_live_decision_while_an_earlier_action_is_open(tracker):
    launch = failed_with_action(tracker)
    first = launch.review_id
    tracker.complete_corrective_action(SYSMAINT_LEAD, first, 1, "fixed")
    tracker.verify_corrective_action(PM, first, 1, True, "works")
    second_review(tracker, launch)
    assert launch.conclude() == "passed"
    record_nonconformity(
        tracker, first, description="found late", owner_department="hr"
    )  # the failed review still takes them

    before = everything(tracker, launch.project_id, first, launch.review_id)
    with pytest.raises(RuleViolated) as refused:
        launch.go_live(date(2026, 12, 28))
    assert everything(tracker, launch.project_id, first, launch.review_id) == before
    assert refused.value.rule == "corrective_actions_closed"

    tracker.decide_after_review(BRANCH_HEAD, launch.review_id, "extend_trial", extend_until=date(2027, 1, 8))
    assert launch.project.phase == "trial_operation"  # an extension is not held up


def test_only_the_owner_departments_lead_records_an_action_done(tracker):
    launch = failed_with_action(tracker)

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(NotAllowed):
        tracker.complete_corrective_action(HR_LEAD, launch.review_id, 1, "not ours")
    with pytest.raises(NotAllowed):
        tracker.complete_corrective_action(PM, launch.review_id, 1, "not mine")
    with pytest.raises(NotAllowed):
        tracker.verify_corrective_action(SYSMAINT_LEAD, launch.review_id, 1, True, "we say so")
    with pytest.raises(NotFound):
        tracker.complete_corrective_action(SYSMAINT_LEAD, launch.review_id, 2, "no such action")
    assert everything(tracker, launch.project_id, launch.review_id) == before


def test_verification_needs_a_done_action_and_a_new_due_date_when_not_effective(tracker):
    launch = failed_with_action(tracker)
    before = everything(tracker, launch.review_id)
    with pytest.raises(InvalidTransition) as refused:
        tracker.verify_corrective_action(PM, launch.review_id, 1, True, "too early")
    assert (refused.value.current, refused.value.allowed) == ("open", ["complete_corrective_action"])
    tracker.complete_corrective_action(SYSMAINT_LEAD, launch.review_id, 1, "fixed")
    done = everything(tracker, launch.review_id)
    assert done != before

    with pytest.raises(InvalidInput) as missing:
        tracker.verify_corrective_action(PM, launch.review_id, 1, False, "still drops")
    assert list(missing.value.fields) == ["new_due"]
    with pytest.raises(InvalidInput):
        tracker.verify_corrective_action(PM, launch.review_id, 1, True, "fine", new_due=date(2027, 1, 5))
    with pytest.raises(InvalidInput):
        tracker.verify_corrective_action(PM, launch.review_id, 1, True, " ")
    with pytest.raises(InvalidTransition):
        tracker.complete_corrective_action(SYSMAINT_LEAD, launch.review_id, 1, "done twice")
    assert everything(tracker, launch.review_id) == done


def test_improvement_measures_close_the_same_way(tracker):
    launch = Launch(tracker).advance_to("trial_operation")
    assert record_improvement(tracker, launch).data["improvement"] == 1
    record_improvement(tracker, launch, measure="a second measure", owner_department="hr")

    before = everything(tracker, launch.project_id)
    with pytest.raises(NotAllowed):
        tracker.complete_improvement(HR_LEAD, launch.project_id, 1, "not ours")
    with pytest.raises(NotFound):
        tracker.complete_improvement(OPS_LEAD, launch.project_id, 3, "no such measure")
    assert everything(tracker, launch.project_id) == before

    tracker.complete_improvement(OPS_LEAD, launch.project_id, 1, "two seats added on 12-12")
    tracker.verify_improvement(PM, launch.project_id, 1, False, "queues still long", new_due=date(2026, 12, 16))
    tracker.complete_improvement(OPS_LEAD, launch.project_id, 1, "three seats now")
    tracker.verify_improvement(PM, launch.project_id, 1, True, "queues gone")

    first, second = launch.project.trial.improvements
    assert (first.n, first.state, first.due, len(first.completions), len(first.verifications)) == (
        1,
        "closed",
        date(2026, 12, 16),
        2,
        2,
    )
    assert (second.n, second.state) == (2, "open")
    assert event_types(tracker, launch.project_id)[-4:] == [
        "ImprovementCompleted",
        "ImprovementVerified",
        "ImprovementCompleted",
        "ImprovementVerified",
    ]


def test_the_gate_names_the_open_actions_of_failed_reviews_only(tracker):
    launch = failed_with_action(tracker)
    gate = gates.corrective_actions_closed([launch.review])
    assert not gate.met
    assert [(a["review"], a["n"], a["state"]) for a in gate.open] == [(1, 1, "open")]
    assert gates.corrective_actions_closed([]).met


LOOP_KEYS = ("n", "state", "completions", "verifications")


def before_the_loops(data):
    """``data`` (a stored snapshot's JSON) as the code before closing the loops wrote it: no loop
    fields on improvement measures (nor their number) and corrective actions."""
    if isinstance(data, list):
        return [before_the_loops(item) for item in data]
    if not isinstance(data, dict):
        return data
    kind = data.get("_type_")
    if kind in ("improvement", "nonconformity"):
        dropped = LOOP_KEYS if kind == "improvement" else LOOP_KEYS[1:]
        return {**data, "_data_": {k: v for k, v in data["_data_"].items() if k not in dropped}}
    return {key: before_the_loops(value) for key, value in data.items()}


def test_snapshots_taken_before_the_loops_load_with_every_entry_open_and_numbered(make_tracker):
    tracker = make_tracker(IS_SNAPSHOTTING_ENABLED="y", SNAPSHOT_INTERVAL="0")
    launch = failed_with_action(tracker)
    record_improvement(tracker, launch)
    record_improvement(tracker, launch, measure="a second measure")
    record_nonconformity(tracker, launch.review_id, owner_department="hr")
    ids = (launch.project_id, launch.review_id)
    replayed = {ident: tracker.repository.get(ident) for ident in ids}

    for aggregate in replayed.values():
        stored = before_rows(tracker).to_stored_event(Snapshot.take(aggregate))  # (as snapshots were then)
        state = json.loads(stored.state)
        old = before_the_loops(state)
        assert old != state
        tracker.snapshots.recorder.insert_events([replace(stored, state=json.dumps(old).encode())])

    for ident in ids:
        loaded = tracker.repository.get(ident)
        assert vars(loaded) == vars(replayed[ident])
    project, review = tracker.load_project(launch.project_id), tracker.load_review(launch.review_id)
    assert [(m.n, m.state, m.completions) for m in project.trial.improvements] == [(1, "open", []), (2, "open", [])]
    assert [(a.n, a.state, a.verifications) for a in review.nonconformities] == [(1, "open", []), (2, "open", [])]
    tracker.complete_improvement(OPS_LEAD, launch.project_id, 2, "seats added")
    assert tracker.load_project(launch.project_id).improvement(2).state == "done"
