"""Who may take each ticket step: the lead of its department, the appointed PM, a branch head.

Every step is tried in a state where it is allowed, so the refusal is about rights
alone; nothing may be stored.
"""

from __future__ import annotations

import pytest

from demo.workflow import (
    ADMIN_LEAD,
    AUDITOR,
    BRANCH_HEAD,
    DIRECTOR,
    HR_LEAD,
    OPS_LEAD,
    OTHER_PM,
    PM,
    SALES,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    TECH_LEAD,
    stored,
)
from domain.errors import NotAllowed
from tests.ticket_support import READY_FOR, STEPS, attempt, bring_to, label, launched

OTHER_LEADS = [TECH_LEAD, ADMIN_LEAD, SYSMAINT_LEAD, OPS_LEAD]
NOT_LEADS = [PM, OTHER_PM, BRANCH_HEAD, SALES, DIRECTOR, SERVICE_MANAGER]
NOT_PMS = [HR_LEAD, TECH_LEAD, BRANCH_HEAD, SALES, DIRECTOR, SERVICE_MANAGER]
NOT_BRANCH_HEADS = [PM, OTHER_PM, HR_LEAD, SALES, DIRECTOR, SERVICE_MANAGER]


def ready(tracker, step):
    """Ticket R1 (hr) in a state where ``step`` is allowed."""
    return bring_to(launched(tracker), READY_FOR[step])


def refuse(tracker, step, actor):
    """Try ``step`` as ``actor``; it must be refused as NotAllowed with nothing stored."""
    tid = ready(tracker, step)
    before = stored(tracker, tid)
    with pytest.raises(NotAllowed) as refused:
        attempt(tracker, step, actor, tid)
    assert stored(tracker, tid) == before
    return refused.value


# Lead of another department -----------------------------------------------------------


@pytest.mark.parametrize("lead", OTHER_LEADS, ids=label)
def test_lead_of_another_department_cannot_start_ticket(tracker, lead):
    assert refuse(tracker, "start_ticket", lead).details["department"] == "hr"


@pytest.mark.parametrize("lead", OTHER_LEADS, ids=label)
def test_lead_of_another_department_cannot_flag_risk(tracker, lead):
    assert refuse(tracker, "flag_risk", lead).details["department"] == "hr"


@pytest.mark.parametrize("lead", OTHER_LEADS, ids=label)
def test_lead_of_another_department_cannot_propose_alternative(tracker, lead):
    assert refuse(tracker, "propose_alternative", lead).details["department"] == "hr"


@pytest.mark.parametrize("lead", OTHER_LEADS, ids=label)
def test_lead_of_another_department_cannot_submit_ticket(tracker, lead):
    assert refuse(tracker, "submit_ticket", lead).details["department"] == "hr"


# Wrong role for a lead step -------------------------------------------------------------


@pytest.mark.parametrize("actor", NOT_LEADS, ids=label)
def test_only_a_department_lead_may_start_ticket(tracker, actor):
    assert refuse(tracker, "start_ticket", actor).details["allowed_roles"] == ["department_lead"]


@pytest.mark.parametrize("actor", NOT_LEADS, ids=label)
def test_only_a_department_lead_may_flag_risk(tracker, actor):
    assert refuse(tracker, "flag_risk", actor).details["allowed_roles"] == ["department_lead"]


@pytest.mark.parametrize("actor", NOT_LEADS, ids=label)
def test_only_a_department_lead_may_propose_alternative(tracker, actor):
    assert refuse(tracker, "propose_alternative", actor).details["allowed_roles"] == ["department_lead"]


@pytest.mark.parametrize("actor", NOT_LEADS, ids=label)
def test_only_a_department_lead_may_submit_ticket(tracker, actor):
    assert refuse(tracker, "submit_ticket", actor).details["allowed_roles"] == ["department_lead"]


# The appointed PM -----------------------------------------------------------------------


@pytest.mark.parametrize("step", ["confirm_alternative", "review_alternative", "decide_acceptance"])
def test_pm_who_is_not_the_appointed_one_cannot_decide_on_ticket(tracker, step):
    assert refuse(tracker, step, OTHER_PM).details["appointed"] == "li.lei"


@pytest.mark.parametrize("actor", NOT_PMS, ids=label)
def test_only_the_pm_may_confirm_alternative(tracker, actor):
    assert refuse(tracker, "confirm_alternative", actor).details["allowed_roles"] == ["project_manager"]


@pytest.mark.parametrize("actor", NOT_PMS, ids=label)
def test_only_the_pm_may_review_alternative(tracker, actor):
    assert refuse(tracker, "review_alternative", actor).details["allowed_roles"] == ["project_manager"]


@pytest.mark.parametrize("actor", NOT_PMS, ids=label)
def test_only_the_pm_may_decide_acceptance(tracker, actor):
    assert refuse(tracker, "decide_acceptance", actor).details["allowed_roles"] == ["project_manager"]


# Branch head ----------------------------------------------------------------------------


@pytest.mark.parametrize("actor", NOT_BRANCH_HEADS, ids=label)
def test_only_a_branch_head_may_approve_escalated_alternative(tracker, actor):
    assert refuse(tracker, "approve_alternative", actor).details["allowed_roles"] == ["branch_head"]


# Auditor --------------------------------------------------------------------------------


@pytest.mark.parametrize("step", STEPS)
def test_auditor_cannot_change_ticket(tracker, step):
    assert refuse(tracker, step, AUDITOR).details["role"] == "auditor"
