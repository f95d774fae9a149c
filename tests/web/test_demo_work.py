"""``demo load`` leaves work waiting for each role a newcomer signs in as: the live hotline's open
extra-training request on the operations board, and the smaller campaign's technology lead's ticket in
progress and an alternative escalated to the branch head, both on their 我的工作 pages."""

from __future__ import annotations

import pytest
from flask import Flask

from demo import hotline, live, outbound
from demo.workflow import BRANCH_HEAD, TECH_LEAD
from domain.project import Project
from tests.web.conftest import signed_in, visible_text
from tests.web.test_catalog import leaks

pytestmark = pytest.mark.backends()


@pytest.fixture
def demo_loaded(app: Flask) -> Flask:
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert f"{outbound.CODE} loaded" in result.output
    return app


def test_the_technology_lead_finds_the_campaigns_ticket_in_progress(demo_loaded: Flask) -> None:
    html = signed_in(demo_loaded, TECH_LEAD).get("/").get_data(as_text=True)
    text = visible_text(html, "zh-CN")
    title = outbound.PLAN["requirements"][0]["title"]
    assert "技术部" in text and f"{outbound.CODE} {title} 进行中" in text


def test_the_branch_head_finds_the_escalated_alternative_to_decide(demo_loaded: Flask) -> None:
    html = signed_in(demo_loaded, BRANCH_HEAD).get("/").get_data(as_text=True)
    text = visible_text(html, "zh-CN")
    site = outbound.PLAN["requirements"][1]["title"]
    alternative = "rent 10 seats at the Wuzhong branch for the first month"
    heads = "待您决定的已上报替代方案 项目 需求单 部门 替代方案 建议完成日期"
    ref = outbound.PLAN["requirements"][1]["ref"]
    assert f"{heads} {outbound.CODE} {ref} {site} 行政部 {alternative} 2026年12月30日" in text
    data = [outbound.CODE, "SH-HOTLINE-2026", site, "rent 10 seats at the Wuzhong branch for the first month",
            "上海應急熱線 Shanghai emergency hotline", "li.lei", "钱宇", "qian.yu"]  # fmt: skip
    assert leaks(html, "zh-CN", data) == []


def test_loading_the_demo_again_records_nothing_more(demo_loaded: Flask, tracker) -> None:
    before = tracker.recorder.max_notification_id()
    again = demo_loaded.test_cli_runner().invoke(args=["demo", "load"])
    assert again.exit_code == 0 and f"{outbound.CODE} was already loaded" in again.output
    assert tracker.recorder.max_notification_id() == before


def test_the_operations_lead_finds_the_hotlines_open_training_request(demo_loaded: Flask) -> None:
    html = signed_in(demo_loaded, live.OPS_LEAD).get("/departments/operations").get_data(as_text=True)
    text = visible_text(html, "zh-CN")
    heads = "该部门待办的通知事项 项目 事项类型 客户要求 收到日期 截止日期 剩余工作日"
    request = "SH-HOTLINE-2026 追加培训 new flood-season script for all agents 2027年3月12日 2027年3月16日"
    assert f"{heads} {request}" in text


def test_the_pm_reads_the_hotlines_months_rectification_and_requests(demo_loaded: Flask) -> None:
    pid = Project.create_id(hotline.CODE)
    pm = signed_in(demo_loaded, hotline.PM)
    contract = pm.get(f"/projects/{pid}/contract").get_data(as_text=True)
    project = pm.get(f"/projects/{pid}").get_data(as_text=True)
    months = visible_text(contract, "zh-CN")
    assert "2026-12 达标 2027年1月7日" in months and "2027-01 未达标 2027年2月5日" in months
    assert "2027-02 达标 2027年3月5日" in months
    assert "1 2027-01 整改通知 ZG-2027-003 2027年2月3日 2027年2月17日 已关闭" in months
    requests = visible_text(project, "zh-CN")
    assert "1 座席变更 2027年2月15日 5 more seats from 1 March 运营部 2027年2月24日 已办结" in requests
    assert "2 追加培训 2027年3月12日 new flood-season script for all agents 运营部 2027年3月16日 待办" in requests
