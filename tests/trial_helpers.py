"""Helpers for the trial-operation and trial-review tests (sections 9–11 of DOMAIN.md)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from demo.workflow import LEADS, PM, SERVICE_MANAGER, Launch, stored
from domain.application import Tracker

TRIAL_START = date(2026, 12, 7)
PLANNED_END = date(2026, 12, 18)
REVIEW_DAY = date(2026, 12, 18)
GO_LIVE_DAY = date(2026, 12, 21)


def ready_for_trial(tracker: Tracker) -> Launch:
    """Implementation done: every ticket accepted, the manual approved, the trial not yet started."""
    launch = Launch(tracker).advance_to("implementation")
    launch.issue_tickets()
    for ref in list(launch.tickets):
        launch.deliver(ref)
    launch.approve_manual()
    return launch


def in_review(tracker: Tracker, held_on: date = REVIEW_DAY) -> Launch:
    """A trial review opened after the equipment report; nothing assessed yet."""
    launch = Launch(tracker).advance_to("trial_operation")
    return launch.file_equipment_report().open_review(held_on)


def concluded(tracker: Tracker, unmet: tuple[str, ...] = (), held_on: date = REVIEW_DAY) -> Launch:
    """A review with every item assessed and concluded: passed, or failed on ``unmet``."""
    launch = in_review(tracker, held_on)
    launch.assess_all(unmet=unmet)
    launch.conclude()
    return launch


def everything(tracker: Tracker, *aggregate_ids: UUID) -> tuple:
    """The stored events of each aggregate and the log's head: proof that a refusal recorded nothing at all."""
    return (*(stored(tracker, ident) for ident in aggregate_ids), tracker.recorder.max_notification_id())


def last_event(tracker: Tracker, aggregate_id: UUID):
    return tracker.history(aggregate_id)[-1]


def event_types(tracker: Tracker, aggregate_id: UUID) -> list[str]:
    return [type(event).__name__ for event in tracker.history(aggregate_id)]


def record_audit(tracker: Tracker, launch: Launch, actor=SERVICE_MANAGER, **overrides):
    args = {"held_on": date(2026, 12, 10), "findings": ["scripts followed"], "conforming": True, **overrides}
    return tracker.record_process_audit(actor, launch.project_id, **args)


def record_improvement(tracker: Tracker, launch: Launch, actor=PM, **overrides):
    args = {
        "problem": "long queues at 09:00",
        "measure": "two more seats on the morning shift",
        "owner_department": "operations",
        "due": date(2026, 12, 14),
        **overrides,
    }
    return tracker.record_improvement(actor, launch.project_id, **args)


def record_nonconformity(tracker: Tracker, review_id: UUID, actor=PM, **overrides):
    args = {
        "description": "IVR drops calls after 18:00",
        "corrective_action": "fix the IVR closing-time branch",
        "owner_department": "system_maintenance",
        "due": date(2026, 12, 20),
        **overrides,
    }
    return tracker.record_nonconformity(actor, review_id, **args)


def close_actions(tracker: Tracker, review_id: UUID) -> None:
    """Each open corrective action of the review recorded done by its owner's lead and verified effective."""
    for action in tracker.load_review(review_id).nonconformities:
        if action.state != "closed":
            tracker.complete_corrective_action(LEADS[action.owner_department], review_id, action.n, "done")
            tracker.verify_corrective_action(PM, review_id, action.n, True, "effective")
