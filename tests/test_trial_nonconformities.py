"""Nonconforming service handling (不合格服務控制, DOMAIN.md §10): a failed trial review gets
nonconformities with corrective actions; the trial goes on."""

from __future__ import annotations

from datetime import date

import pytest

from demo.workflow import AUDITOR, BRANCH_HEAD, OTHER_PM, PM, SERVICE_MANAGER, SYSMAINT_LEAD, Launch, stored
from domain.errors import InvalidInput, InvalidTransition, NotAllowed
from tests.trial_helpers import concluded, everything, in_review, last_event, record_nonconformity


def test_pm_records_nonconformities_with_corrective_actions_after_a_failed_review(tracker):
    launch = concluded(tracker, unmet=("equipment", "personnel"))
    project_before = stored(tracker, launch.project_id)

    first = record_nonconformity(tracker, launch.review_id)
    second = record_nonconformity(
        tracker,
        launch.review_id,
        description="two seats unstaffed on weekends",
        corrective_action="hire two part-time representatives",
        owner_department="hr",
        due=date(2026, 12, 24),
    )

    assert (first.data, second.data) == ({"nonconformity": 1}, {"nonconformity": 2})
    assert [(n["n"], n["owner_department"], n["due"]) for n in launch.review.nonconformities] == [
        (1, "system_maintenance", date(2026, 12, 20)),
        (2, "hr", date(2026, 12, 24)),
    ]
    assert launch.review.nonconformities[1]["corrective_action"] == "hire two part-time representatives"
    event = last_event(tracker, launch.review_id)
    assert (type(event).__name__, event.actor, event.role) == ("NonconformityRecorded", PM.user, "project_manager")
    assert event.description == "two seats unstaffed on weekends"
    # the review stays failed and the trial goes on; the project's own log is untouched
    assert launch.review.state == "failed"
    assert launch.project.phase == "trial_operation"
    assert stored(tracker, launch.project_id) == project_before


def _open(tracker):
    return in_review(tracker)


def _passed(tracker):
    return concluded(tracker)


def _decided(tracker):
    return Launch(tracker).advance_to("live")


@pytest.mark.parametrize(
    ("make", "state", "allowed"),
    [
        (_open, "open", ["assess_review_item", "conclude_review"]),
        (_passed, "passed", ["decide_after_review"]),
        (_decided, "decided", []),
    ],
    ids=["open", "passed", "decided"],
)
def test_pm_cannot_record_nonconformity_unless_the_review_failed(tracker, make, state, allowed):
    launch = make(tracker)

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(InvalidTransition) as refused:
        record_nonconformity(tracker, launch.review_id)
    assert everything(tracker, launch.project_id, launch.review_id) == before

    assert refused.value.current == state
    assert refused.value.allowed == allowed


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": " "}, "description"),
        ({"corrective_action": ""}, "corrective_action"),
        ({"owner_department": "marketing"}, "owner_department"),
    ],
)
def test_pm_cannot_record_nonconformity_with_bad_input(tracker, overrides, field):
    launch = concluded(tracker, unmet=("processes",))

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(InvalidInput) as refused:
        record_nonconformity(tracker, launch.review_id, **overrides)
    assert everything(tracker, launch.project_id, launch.review_id) == before

    assert list(refused.value.fields) == [field]


@pytest.mark.parametrize(
    "actor", [OTHER_PM, BRANCH_HEAD, SERVICE_MANAGER, SYSMAINT_LEAD, AUDITOR], ids=lambda a: f"{a.role}:{a.user}"
)
def test_only_the_appointed_pm_can_record_nonconformity(tracker, actor):
    launch = concluded(tracker, unmet=("processes",))

    before = everything(tracker, launch.project_id, launch.review_id)
    with pytest.raises(NotAllowed):
        record_nonconformity(tracker, launch.review_id, actor=actor)
    assert everything(tracker, launch.project_id, launch.review_id) == before
