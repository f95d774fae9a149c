"""The launch's first half from the pages: the director appoints the PM, the PM saves the plan on the
plan page and submits it, the review is recorded (评审通过, or 评审不通过 with a reason), the PM issues
the tickets; each result is on the page at once, and the plan page shows versions and differences."""

from __future__ import annotations

from datetime import timedelta

import pytest

from demo.workflow import DIRECTOR, PM, SALES, Launch
from domain import clock
from tests.web.conftest import signed_in, stored

pytestmark = pytest.mark.backends()
PLAN_FORM = {
    "trial_start": "2026-12-07",
    "trial_review": "2026-12-18",
    "go_live": "2026-12-21",
    "manual.due": "2026-12-04",
    "manual.requirements": "来电流程与话术",
    "hardware": "耳麦 27 副\n工位 25 个",
    "software": "IVR",
    "requirements.0.ref": "R1",
    "requirements.0.title": "接通率不低于 95%",
    "requirements.0.department": "hr",
    "requirements.0.complete_by": "2026-12-02",
    "requirements.0.accept_by": "2026-12-04",
    "requirements.0.acceptance_criteria": "招聘 28 人\n培训考核通过",
    "requirements.1.ref": "",
    "requirements.1.title": "",
    "requirements.1.department": "",
    "requirements.2.ref": "R2",
    "requirements.2.title": "录音保存一个月",
    "requirements.2.department": "technology",
    "requirements.2.complete_by": "2026-12-02",
    "requirements.2.accept_by": "2026-12-04",
    "requirements.2.acceptance_criteria": "录音可检索",
}


def follow(visitor, sent) -> str:
    assert sent.status_code == 302, sent.get_data(as_text=True)
    return visitor.get(sent.headers["Location"]).get_data(as_text=True)


def current_phase(page: str) -> str:
    return page.split('aria-current="step"', 1)[1].split("</li>", 1)[0]


def step(visitor, launch: Launch, code: str, **data):
    path = f"/projects/{launch.project_id}/actions/{code}"
    return visitor.post(path, {"version": str(launch.project.version), **data})


def save_plan(visitor, launch: Launch, form: dict | None = None):
    data = {"version": str(launch.project.version), **(form or PLAN_FORM)}
    return visitor.post(f"/projects/{launch.project_id}/plan", data)


def test_the_director_appoints_the_pm_from_the_project_page(app, tracker) -> None:
    launch = Launch(tracker).register()
    director = signed_in(app, DIRECTOR)
    assert "任命项目经理" in director.get(f"/projects/{launch.project_id}").get_data(as_text=True)
    assert "任命项目经理" not in signed_in(app, SALES).get(f"/projects/{launch.project_id}").get_data(as_text=True)
    sent = step(director, launch, "appoint_project_manager", project_manager="li.lei", letter_reference="RM-2027-01")
    page = follow(director, sent)
    assert "计划编制" in current_phase(page) and "li.lei" in page
    assert stored(tracker, launch.project_id)[-1] == "ProjectManagerAppointed"


def test_an_appointment_without_the_letter_is_shown_beside_it_and_records_nothing(app, tracker) -> None:
    launch = Launch(tracker).register()
    director = signed_in(app, DIRECTOR)
    before = stored(tracker, launch.project_id)
    refused = step(director, launch, "appoint_project_manager", project_manager="li.lei")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="appoint_project_manager-letter_reference-error"' in page
    assert 'value="li.lei"' in page and stored(tracker, launch.project_id) == before


def test_the_pm_saves_submits_has_it_approved_and_issues_tickets(app, tracker) -> None:
    launch = Launch(tracker).advance_to("planning")
    pm = signed_in(app, PM)
    plan_path = f"/projects/{launch.project_id}/plan"
    form = pm.get(plan_path).get_data(as_text=True)
    assert "保存计划" in form and 'value="answer rate ≥ 95 %"' in form  # the intake's requirements, as rows
    page = follow(pm, save_plan(pm, launch))
    assert "草稿" in page and 'value="录音保存一个月"' in page and "招聘 28 人\n培训考核通过</textarea>" in page
    project_page = follow(pm, step(pm, launch, "submit_plan"))
    assert "计划评审" in current_phase(project_page) and "评审通过" in project_page and "评审不通过" in project_page
    under_review = pm.get(plan_path).get_data(as_text=True)
    assert "第 1 版 · 已提交评审" in under_review and "<li>录音可检索</li>" in under_review
    approved = step(pm, launch, "review_plan", participants=["hr", "technology"], outcome="approved")
    assert "项目实施" in current_phase(follow(pm, approved))
    plan = pm.get(plan_path).get_data(as_text=True)
    assert "第 1 版" in plan and "录音保存一个月" in plan and "未下达" in plan and "保存计划" not in plan
    issued = follow(pm, step(pm, launch, "issue_tickets"))
    assert "下达需求单" not in issued
    plan = pm.get(plan_path).get_data(as_text=True)
    assert plan.count("已下达") == 2 and "2026年12月2日" in plan and "未下达" not in plan
    assert stored(tracker, launch.project_id)[-1] == "TicketsIssued"


def test_a_rejection_needs_a_reason_and_sends_the_plan_back(app, tracker) -> None:
    launch = Launch(tracker).advance_to("plan_review")
    pm = signed_in(app, PM)
    before = stored(tracker, launch.project_id)
    refused = step(pm, launch, "review_plan", participants=["hr", "technology"], outcome="rejected")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="review_plan-comments-error"' in page
    assert 'value="technology" checked' in page and stored(tracker, launch.project_id) == before
    sent = step(pm, launch, "review_plan", participants=["hr"], outcome="rejected", comments="试运营日期太紧")
    assert "计划编制" in current_phase(follow(pm, sent))
    versions = pm.get(f"/projects/{launch.project_id}/plan").get_data(as_text=True)
    assert "评审不通过" in versions and "试运营日期太紧" in versions and "保存计划" in versions


def test_a_plan_row_without_criteria_is_shown_beside_it_and_records_nothing(app, tracker) -> None:
    launch = Launch(tracker).advance_to("planning")
    pm = signed_in(app, PM)
    before = stored(tracker, launch.project_id)
    refused = save_plan(pm, launch, {**PLAN_FORM, "requirements.2.acceptance_criteria": " "})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="requirements-1-acceptance_criteria-error"' in page and 'value="录音保存一个月"' in page
    assert stored(tracker, launch.project_id) == before


def test_only_the_appointed_pm_may_save_the_plan(app, tracker) -> None:
    launch = Launch(tracker).advance_to("planning")
    sales = signed_in(app, SALES)
    assert "保存计划" not in sales.get(f"/projects/{launch.project_id}/plan").get_data(as_text=True)
    before = stored(tracker, launch.project_id)
    assert save_plan(sales, launch).status_code == 403
    assert stored(tracker, launch.project_id) == before


def test_the_plan_page_shows_every_version_and_what_changed_between_two_days(app, tracker) -> None:
    launch = Launch(tracker).advance_to("implementation")
    sales = signed_in(app, SALES)
    today = clock.today_in_shanghai(clock.now())
    path = f"/projects/{launch.project_id}/plan"
    page = sales.get(path, query_string={"from": str(today - timedelta(days=1)), "to": str(today)}).get_data(
        as_text=True
    )
    assert "评审通过" in page and "li.lei" in page
    differences = page.split('aria-label="差异"', 1)[1]
    assert "— → 1" in differences and "新增: R1, R2" in differences and "试运营开始" in differences
    wrong = sales.get(path, query_string={"from": "2026-02-30", "to": str(today)}).get_data(as_text=True)
    assert 'id="from-error"' in wrong and 'aria-label="差异"' not in wrong


def test_the_director_cancels_with_a_reason(app, tracker) -> None:
    launch = Launch(tracker).advance_to("planning")
    director = signed_in(app, DIRECTOR)
    before = stored(tracker, launch.project_id)
    assert step(director, launch, "cancel_project").status_code == 422
    assert stored(tracker, launch.project_id) == before
    page = follow(director, step(director, launch, "cancel_project", reason="客户撤回招标"))
    assert "已取消" in current_phase(page) and "取消项目" not in page
