"""From the operations manual to the trial review through the project page: the service manager
submits the manual, the PM approves it and starts the trial, system maintenance files the equipment
operation report, the PM opens the review. Each step is offered only to whom DOMAIN.md names."""

from __future__ import annotations

from datetime import date

import pytest

from demo.workflow import PM, SALES, SERVICE_MANAGER, SYSMAINT_LEAD, TECH_LEAD, Launch
from tests.web.conftest import signed_in, stored

pytestmark = pytest.mark.backends()


@pytest.fixture
def ready(tracker) -> Launch:
    """A launch in implementation with every ticket accepted: only the manual is missing."""
    launch = Launch(tracker).advance_to("implementation").issue_tickets()
    for ref in list(launch.tickets):
        launch.deliver(ref)
    return launch


def take(visitor, launch: Launch, step: str, **form):
    path = f"/projects/{launch.project_id}/actions/{step}"
    return visitor.post(path, {"version": str(launch.project.version), **form})


def shown(visitor, response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return visitor.get(response.headers["Location"]).get_data(as_text=True)


def current_phase(page: str) -> str:
    return page.split('aria-current="step"', 1)[1].split("</li>", 1)[0]


def test_the_manual_is_submitted_and_approved_then_the_pm_starts_the_trial(app, tracker, ready: Launch) -> None:
    manager, pm = signed_in(app, SERVICE_MANAGER), signed_in(app, PM)
    path = f"/projects/{ready.project_id}"
    assert "提交运营手册" in manager.get(path).get_data(as_text=True)
    assert "开始试运营" not in pm.get(path).get_data(as_text=True)  # the manual is not approved yet
    page = shown(manager, take(manager, ready, "submit_manual", document_reference="OM-SH-01", revision_note="初稿"))
    assert "OM-SH-01" in page and "待评审" in page and "提交运营手册" not in page
    page = pm.get(path).get_data(as_text=True)
    assert ">批准</button>" in page and ">驳回</button>" in page
    page = shown(pm, take(pm, ready, "review_manual", outcome="approved", comments="内容完整"))
    assert "已批准" in page and "内容完整" in page and "开始试运营" in page
    page = shown(pm, take(pm, ready, "start_trial", start="2026-12-07", planned_end="2026-12-18"))
    assert "试运营" in current_phase(page) and "2026年12月18日" in page
    assert stored(tracker, ready.project_id)[-3:] == ["ManualSubmitted", "ManualApproved", "TrialStarted"]


def test_a_rejected_manual_needs_its_reason_and_can_be_submitted_again(app, tracker, ready: Launch) -> None:
    tracker.submit_manual(SERVICE_MANAGER, ready.project_id, "OM-SH-01", "first issue")
    pm, manager = signed_in(app, PM), signed_in(app, SERVICE_MANAGER)
    before = stored(tracker, ready.project_id)
    refused = take(pm, ready, "review_manual", outcome="rejected", comments="")
    assert refused.status_code == 422 and 'id="review_manual-comments-error"' in refused.get_data(as_text=True)
    assert stored(tracker, ready.project_id) == before
    page = shown(pm, take(pm, ready, "review_manual", outcome="rejected", comments="缺少话术"))
    assert "已驳回" in page and "缺少话术" in page
    assert "提交运营手册" in manager.get(f"/projects/{ready.project_id}").get_data(as_text=True)


def test_the_equipment_report_is_filed_and_the_pm_opens_a_review_linked_from_the_project(app, tracker) -> None:
    launch = Launch(tracker).advance_to("trial_operation")
    lead, pm = signed_in(app, SYSMAINT_LEAD), signed_in(app, PM)
    path = f"/projects/{launch.project_id}"
    assert "发起评审" not in pm.get(path).get_data(as_text=True)  # no equipment report yet
    assert "提交设备运行情况报告" in lead.get(path).get_data(as_text=True)
    report = {"period_start": "2026-12-07", "period_end": "2026-12-17", "summary": "设备运行正常，无中断"}
    page = shown(lead, take(lead, launch, "file_equipment_report", **report))
    assert "设备运行正常，无中断" in page and "设备运行情况报告" in page
    page = pm.get(path).get_data(as_text=True)
    assert "发起评审" in page and "参加部门" in page
    opened = take(pm, launch, "open_trial_review", held_on="2026-12-18", participants=["operations", "technology"])
    page = shown(pm, opened)
    review_id = launch.project.reviews[-1].review_id
    assert "试运营评审" in current_phase(page) and f"/reviews/{review_id}" in page
    assert tracker.load_review(review_id).participants == ["operations", "technology"]


def test_records_kept_during_the_trial_by_whom_domain_names(app, tracker) -> None:
    launch = Launch(tracker).advance_to("trial_operation")
    manager, sales, pm = signed_in(app, SERVICE_MANAGER), signed_in(app, SALES), signed_in(app, PM)
    audit = {"held_on": "2026-12-09", "findings": "录音未按时归档\n排班表未更新"}
    page = shown(manager, take(manager, launch, "record_process_audit", **audit))
    assert "录音未按时归档；排班表未更新" in page
    page = shown(sales, take(sales, launch, "relay_customer_feedback", received_on="2026-12-10", summary="等待时间长"))
    assert "等待时间长" in page
    improvement = {"problem": "高峰排队", "measure": "增加午间班次", "owner_department": "hr"}
    improvement["due_in_working_days"] = "5"
    page = shown(pm, take(pm, launch, "record_improvement", **improvement))
    assert "增加午间班次" in page and "人事部" in page
    trial = launch.project.trial
    assert trial.audits[-1].conforming is False and trial.improvements[-1].due_in_working_days == 5


def test_nobody_else_is_offered_the_trials_steps_and_forged_posts_record_nothing(app, tracker) -> None:
    launch = Launch(tracker).advance_to("trial_operation").file_equipment_report()
    tech, sales = signed_in(app, TECH_LEAD), signed_in(app, SALES)
    path = f"/projects/{launch.project_id}"
    page = tech.get(path).get_data(as_text=True)
    assert "提交设备运行情况报告" not in page and "发起评审" not in page
    before = stored(tracker, launch.project_id)
    report = {"period_start": "2026-12-07", "period_end": "2026-12-17", "summary": "正常"}
    assert take(tech, launch, "file_equipment_report", **report).status_code == 403
    refused = take(sales, launch, "open_trial_review", held_on="2026-12-18", participants=["operations"])
    assert refused.status_code == 403 and "您无权执行此操作" in refused.get_data(as_text=True)
    assert stored(tracker, launch.project_id) == before


def test_form_errors_show_beside_their_fields_and_keep_what_was_typed(app, tracker) -> None:
    launch = Launch(tracker).advance_to("trial_operation").file_equipment_report()
    lead, pm = signed_in(app, SYSMAINT_LEAD), signed_in(app, PM)
    before = stored(tracker, launch.project_id)
    report = {"period_start": "2026-12-17", "period_end": "2026-12-07", "summary": "设备正常"}
    refused = take(lead, launch, "file_equipment_report", **report)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="file_equipment_report-period_end-error"' in page
    assert 'value="2026-12-17"' in page and "设备正常</textarea>" in page
    refused = take(pm, launch, "record_improvement", problem="排队", measure="加班", owner_department="hr")
    assert refused.status_code == 422 and 'id="record_improvement-due-error"' in refused.get_data(as_text=True)
    refused = take(pm, launch, "open_trial_review", held_on="2026-12-18")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="open_trial_review-participants-error"' in page
    assert stored(tracker, launch.project_id) == before
    assert launch.project.trial.start == date(2026, 12, 7)
