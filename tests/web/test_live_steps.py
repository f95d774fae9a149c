"""A live project's page offers what goes on while the service runs, each to whom DOMAIN.md names:
process audits and manual drafts to the service manager, customer feedback and requirement changes
to sales, improvement measures, meetings and the plan revision to the appointed PM; the project
stays 正式运营 throughout."""

from __future__ import annotations

import pytest

from demo.workflow import PM, SALES, SERVICE_MANAGER, Launch, plan, requirement
from tests.web.conftest import signed_in, stored
from tests.web.test_trial_steps import current_phase, shown, take

pytestmark = pytest.mark.backends()


@pytest.fixture
def live(tracker) -> Launch:
    return Launch(tracker).advance_to("live")


def page_of(visitor, launch: Launch) -> str:
    return visitor.get(f"/projects/{launch.project_id}").get_data(as_text=True)


def test_the_service_manager_records_an_audit_and_submits_a_manual_revision_while_live(app, tracker, live) -> None:
    manager = signed_in(app, SERVICE_MANAGER)
    page = page_of(manager, live)
    assert "记录流程审核" in page and "提交运营手册" in page and "发起计划更改" not in page
    page = shown(manager, take(manager, live, "record_process_audit", held_on="2027-01-08", conforming="on"))
    assert "正式运营" in current_phase(page)
    page = shown(manager, take(manager, live, "submit_manual", document_reference="OM-SH-02"))
    assert "OM-SH-02" in page and "正式运营" in current_phase(page)
    assert stored(tracker, live.project_id)[-2:] == ["ProcessAuditRecorded", "ManualSubmitted"]
    assert ">批准</button>" in page_of(signed_in(app, PM), live)


def test_sales_relays_feedback_and_records_a_requirement_change_while_live(app, tracker, live) -> None:
    sales = signed_in(app, SALES)
    page = page_of(sales, live)
    assert "转达客户反馈" in page and "记录需求变更" in page and "记录协调会" not in page
    shown(sales, take(sales, live, "relay_customer_feedback", received_on="2027-01-09", summary="客户满意"))
    change = {"description": "增加周末服务", "review_outcome": "accepted", "reference": "变更单 CR-07"}
    page = shown(sales, take(sales, live, "record_requirement_change", **change))
    assert "正式运营" in current_phase(page)
    assert stored(tracker, live.project_id)[-2:] == ["CustomerFeedbackRelayed", "RequirementChangeRecorded"]


def test_the_pm_records_a_meeting_and_an_improvement_and_revises_the_plan_while_live(app, tracker, live) -> None:
    pm = signed_in(app, PM)
    page = page_of(pm, live)
    assert "记录协调会" in page and "记录改进措施" in page and "发起计划更改" in page
    before = stored(tracker, live.project_id)
    refused = take(pm, live, "hold_meeting", held_on="2027-01-10", decisions="排班")
    assert refused.status_code == 422 and stored(tracker, live.project_id) == before
    shown(pm, take(pm, live, "hold_meeting", held_on="2027-01-10", participants=["operations"], decisions="周末排班"))
    improvement = {"problem": "早高峰排队", "measure": "早班加两席", "owner_department": "operations"}
    shown(pm, take(pm, live, "record_improvement", due="2027-01-15", **improvement))

    page = shown(pm, take(pm, live, "revise_plan", trigger="force_majeure", reason="台风后机房迁移"))
    assert "正式运营" in current_phase(page) and "发起计划更改" not in page
    plan_page = pm.get(f"/projects/{live.project_id}/plan").get_data(as_text=True)
    assert "保存计划" in plan_page and "试运营和上线日期已成事实" in plan_page

    added = requirement("R3", "operations")
    tracker.draft_plan(PM, live.project_id, plan(*live.project.current_plan["requirements"], added))
    page = shown(pm, take(pm, live, "submit_plan"))
    assert "评审通过" in page and "正式运营" in current_phase(page)
    page = shown(pm, take(pm, live, "review_plan", participants=["operations"], outcome="approved"))
    assert "下达需求单" in page and "正式运营" in current_phase(page)
    revision = ["PlanRevisionStarted", "PlanDrafted", "PlanSubmitted", "PlanApproved"]
    assert stored(tracker, live.project_id)[-4:] == revision
