"""Helpers for the Project transition tests: role matrices, refusals that change nothing, history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest

from demo.workflow import AUDITOR, BRANCH_HEAD, DIRECTOR, HR_LEAD, OTHER_PM, PM, SALES, SERVICE_MANAGER, stored
from domain.application import Tracker

# One actor per role (the department lead stands for every lead).
ROSTER = {
    "sales": SALES,
    "operations_director": DIRECTOR,
    "project_manager": PM,
    "service_manager": SERVICE_MANAGER,
    "branch_head": BRANCH_HEAD,
    "department_lead": HR_LEAD,
    "auditor": AUDITOR,
}

# The steps the Project allows in each phase, as DOMAIN.md's life cycle describes them.
ALLOWED = {
    "intake": ["appoint_project_manager", "cancel_project", "record_contract_terms", "record_requirement_change"],
    "planning": [
        "appoint_project_manager",
        "cancel_project",
        "draft_plan",
        "hold_meeting",
        "record_contract_terms",
        "record_requirement_change",
        "review_manual",
        "submit_manual",
        "submit_plan",
    ],
    "plan_review": [
        "appoint_project_manager",
        "cancel_project",
        "hold_meeting",
        "record_contract_terms",
        "record_requirement_change",
        "review_manual",
        "review_plan",
        "submit_manual",
    ],
    "implementation": [
        "appoint_project_manager",
        "cancel_project",
        "hold_meeting",
        "issue_tickets",
        "record_contract_terms",
        "record_requirement_change",
        "review_manual",
        "revise_plan",
        "start_trial",
        "submit_manual",
    ],
    "trial_operation": [
        "appoint_project_manager",
        "cancel_project",
        "complete_improvement",
        "file_equipment_report",
        "fulfil_customer_request",
        "hold_meeting",
        "open_trial_review",
        "record_contract_terms",
        "record_customer_request",
        "record_improvement",
        "record_kpi_report",
        "record_outage",
        "record_process_audit",
        "record_requirement_change",
        "record_volumes",
        "relay_customer_feedback",
        "review_manual",
        "submit_manual",
        "verify_improvement",
    ],
    "live": [
        "close_rectification",
        "complete_improvement",
        "complete_rectification",
        "fulfil_customer_request",
        "hold_meeting",
        "issue_tickets",
        "notify_rectification",
        "plan_rectification",
        "record_contract_terms",
        "record_customer_request",
        "record_improvement",
        "record_kpi_report",
        "record_outage",
        "record_process_audit",
        "record_requirement_change",
        "record_termination",
        "record_volumes",
        "relay_customer_feedback",
        "review_manual",
        "revise_plan",
        "submit_manual",
        "verify_improvement",
    ],
    "terminating": [
        "close_project",
        "close_rectification",
        "complete_improvement",
        "complete_rectification",
        "fulfil_customer_request",
        "hold_meeting",
        "notify_rectification",
        "plan_rectification",
        "record_contract_terms",
        "record_customer_request",
        "record_handover",
        "record_improvement",
        "record_kpi_report",
        "record_outage",
        "record_process_audit",
        "record_requirement_change",
        "record_volumes",
        "relay_customer_feedback",
        "review_manual",
        "submit_manual",
        "verify_improvement",
    ],
    "closed": [],
    "cancelled": [],
}


def everyone_but(*roles: str) -> list[Any]:
    """Parameters for a role matrix: one actor of every role not in ``roles``."""
    return [pytest.param(actor, id=role) for role, actor in ROSTER.items() if role not in roles]


def not_the_pm() -> list[Any]:
    """Everyone who may not act as this project's PM, including a PM not appointed to it."""
    return [*everyone_but("project_manager"), pytest.param(OTHER_PM, id="pm_not_appointed")]


def refused(
    tracker: Tracker,
    aggregate_ids: UUID | list[UUID],
    error: type[Exception],
    command: Callable[..., Any],
    *args: Any,
    **kwargs: Any,
) -> Any:
    """Run a command that must be refused with ``error``; prove the stored events did not change."""
    ids = aggregate_ids if isinstance(aggregate_ids, list) else [aggregate_ids]
    before = [stored(tracker, ident) for ident in ids]
    with pytest.raises(error) as caught:
        command(*args, **kwargs)
    assert [stored(tracker, ident) for ident in ids] == before
    return caught.value


def event_types(tracker: Tracker, aggregate_id: UUID) -> list[str]:
    return [type(event).__name__ for event in tracker.history(aggregate_id)]


def last_event(tracker: Tracker, aggregate_id: UUID) -> Any:
    return tracker.history(aggregate_id)[-1]


def assert_invalid_transition(error: Any, step: str, current: str) -> None:
    assert error.step == step
    assert error.current == current
    assert error.allowed == ALLOWED[current]
    assert step not in error.allowed
