"""我的工作, 项目列表 and a project's page, read through the same views and aggregates as the API."""

from __future__ import annotations

from datetime import date

import pytest

from demo.workflow import AUDITOR, HR_LEAD, PM, SALES, Launch, plan, requirement
from tests.web.conftest import Visitor, visible_text
from web import projects as project_pages

pytestmark = pytest.mark.backends()


@pytest.fixture
def launch(tracker) -> Launch:
    return Launch(tracker).advance_to("implementation").issue_tickets()


def page_of(app, person, path: str, language: str | None = None) -> str:
    visitor = Visitor(app.test_client(), language)
    visitor.sign_in(person.user)
    answer = visitor.get(path)
    assert answer.status_code == 200, answer.status_code
    return answer.get_data(as_text=True)


def test_a_pm_sees_their_projects_with_the_phase_and_what_blocks_the_next_step(app, launch: Launch) -> None:
    page = page_of(app, PM, "/")
    assert "我的项目" in page and launch.code in page and "项目实施" in page
    assert "待满足： 需求单已验收" in " ".join(page.split())


def test_a_lead_sees_the_departments_open_tickets_with_working_days_left(app, launch: Launch, tracker) -> None:
    page = page_of(app, HR_LEAD, "/")
    assert "本部门未完成的需求单 · 人事部" in page and "剩余工作日" in page
    ticket = launch.ticket("R1")
    assert ticket.title in page and "已下达" in page
    assert launch.ticket("R2").title not in page  # technology's ticket


def test_a_lead_is_told_working_days_are_not_known_before_the_years_holidays_are_published(app, tracker) -> None:
    late = requirement("R1", "hr", complete_by=date(2031, 3, 3), accept_by=date(2031, 3, 5))
    milestones = {"trial_start": date(2031, 3, 10), "trial_review": date(2031, 3, 21), "go_live": date(2031, 3, 24)}
    Launch(tracker).advance_to("planning").draft(plan(late, **milestones)).submit_plan().approve_plan().issue_tickets()
    page = visible_text(page_of(app, HR_LEAD, "/"), "zh-CN")
    assert "2031年3月3日 暂无法计算：当年节假日安排尚未公布" in page and "None" not in page


def test_an_auditor_sees_recent_changes(app, launch: Launch) -> None:
    page = page_of(app, AUDITOR, "/")
    assert "最近变更" in page and "项目已登记" in page and "已任命项目经理" in page


def test_the_project_list_finds_projects_by_chinese_name_code_or_customer(app, tracker, launch: Launch) -> None:
    Launch(tracker, code="BJ-SERVICE").register()
    everything = page_of(app, SALES, "/projects")
    assert launch.code in everything and "BJ-SERVICE" in everything
    assert "服务信息收集" in everything and "项目实施" in everything
    by_name = page_of(app, SALES, "/projects?q=應急熱線")
    assert launch.code in by_name and "BJ-SERVICE" in by_name  # both are named so
    by_code = page_of(app, SALES, "/projects?q=bj-serv")
    assert "BJ-SERVICE" in by_code and launch.code not in by_code
    assert "没有找到项目。" in page_of(app, SALES, "/projects?q=不存在的客户")


def test_the_project_list_pages_on(app, tracker, launch: Launch, monkeypatch) -> None:
    Launch(tracker, code="BJ-SERVICE").register()
    monkeypatch.setattr(project_pages, "PAGE_SIZE", 1)
    first = page_of(app, SALES, "/projects")
    assert "BJ-SERVICE" in first and launch.code not in first and "下一页" in first
    second = page_of(app, SALES, "/projects?offset=1")
    assert launch.code in second and "下一页" not in second


def test_the_project_page_shows_the_phase_stepper_gates_and_history(app, launch: Launch) -> None:
    page = page_of(app, SALES, f"/projects/{launch.project_id}")
    current = page.split('aria-current="step"', 1)[1].split("</li>", 1)[0]
    assert "项目实施" in current
    assert "计划已批准" in page and "已满足" in page and "需求单已验收" in page and "未满足" in page
    assert "尚未提交运营手册" in page and "尚未进行试运营评审" in page  # gates' whys, from the catalog
    assert "上线条件" in page and "最近记录" in page and "项目已登记" in page


def test_an_unknown_project_is_a_page_saying_so(app) -> None:
    visitor = Visitor(app.test_client())
    visitor.sign_in(SALES.user)
    answer = visitor.get("/projects/00000000-0000-4000-8000-000000000000")
    assert answer.status_code == 404 and "没有这个页面。" in answer.get_data(as_text=True)


def test_pages_are_not_api_operations(app) -> None:
    paths = app.test_client().get("/api/openapi.json").get_json()["paths"]
    assert all(path.startswith("/api/") for path in paths)
    assert not any(path.startswith(("/api/login", "/api/projects?")) for path in paths)


def test_the_project_search_takes_percent_and_underscore_as_typed(app, tracker, launch: Launch) -> None:
    Launch(tracker, code="SH_100%").register()
    assert "SH_100%" in page_of(app, SALES, "/projects?q=_100%25")
    assert "没有找到项目。" in page_of(app, SALES, "/projects?q=H%25")  # "%" is not a wildcard
