"""The auditor's pages: the audit log filtered, in sentences of the page's language, and its CSV;
an aggregate's history and how it was at a chosen time; the contract with its KPI chart and settlements."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from demo.contract import TERMS
from demo.workflow import AUDITOR, DIRECTOR, HR_LEAD, PM, SALES, SERVICE_MANAGER, Launch
from domain.clock import SHANGHAI
from tests.web.conftest import signed_in, stored

pytestmark = pytest.mark.backends()


@pytest.fixture
def launch(tracker) -> Launch:
    return Launch(tracker).advance_to("implementation").issue_tickets()


def test_the_auditor_filters_the_log_and_reads_chinese_sentences(app, launch: Launch) -> None:
    auditor = signed_in(app, AUDITOR)
    home = auditor.get("/").get_data(as_text=True)
    assert 'href="/audit"' in home and "审计日志" in home
    page = auditor.get("/audit?role=project_manager&type=PlanSubmitted").get_data(as_text=True)
    assert "li.lei（项目经理）将计划第 1 版提交评审" in page
    assert "登记了项目" not in page, "only the PM's plan submissions are shown"
    everything = auditor.get("/audit").get_data(as_text=True)
    assert f"为 {launch.project.customer} 登记了项目 {launch.project.code}" in everything
    assert auditor.get("/audit?since=2999-01-01").get_data(as_text=True).count("<tr>") == 2, "only the head row"
    verified = auditor.get("/audit?verify=1").get_data(as_text=True)
    assert "校验通过" in verified and "链头" in verified


def test_the_auditor_downloads_the_csv_with_chinese_headers(app, launch: Launch) -> None:
    answer = signed_in(app, AUDITOR).get("/audit/export?type=Registered")
    assert answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["位置", "时间（上海）", "时间（协调世界时）", "操作人"]
    assert len(rows) == 2 and rows[1][8] == "Registered" and "登记了项目" in rows[1][9]
    english = signed_in(app, DIRECTOR, "en").get("/audit/export?type=Registered").get_data(as_text=True)
    assert english.lstrip("\ufeff").startswith("Position,Time (Shanghai)")


def test_a_project_manager_is_refused_the_audit_log(app, launch: Launch) -> None:
    pm = signed_in(app, PM)
    assert 'href="/audit"' not in pm.get("/").get_data(as_text=True)
    refused = pm.get("/audit")
    assert refused.status_code == 403 and "无权查看" in refused.get_data(as_text=True)
    assert pm.get("/audit/export").status_code == 403


def test_the_history_shows_the_timeline_and_the_earlier_phase_as_of_a_date(app, tracker, launch: Launch) -> None:
    pm = signed_in(app, PM)
    project_page = pm.get(f"/projects/{launch.project_id}").get_data(as_text=True)
    assert f'href="/projects/{launch.project_id}/history"' in project_page and "查看历史" in project_page
    history = pm.get(f"/projects/{launch.project_id}/history").get_data(as_text=True)
    assert "项目已登记" in history and "计划评审通过" in history
    registered = tracker.history(launch.project_id)[0].timestamp
    moment = registered.astimezone(SHANGHAI)  # the launch's events all fall within a second: to the microsecond
    then = pm.get(f"/projects/{launch.project_id}/history?as_of={moment:%Y-%m-%d}&at={moment:%H:%M:%S.%f}")
    was = then.get_data(as_text=True).split('class="phase-then">', 1)[1].split("<", 1)[0]
    assert then.status_code == 200 and was == "服务信息收集"
    assert "项目实施" in pm.get(f"/projects/{launch.project_id}/history?as_of=2999-12-31").get_data(as_text=True)
    assert pm.get(f"/projects/{launch.project_id}/history?as_of=2000-01-01").status_code == 404
    ticket = launch.tickets[next(iter(launch.tickets))]
    assert "需求单已下达" in pm.get(f"/tickets/{ticket}/history").get_data(as_text=True)


@pytest.fixture
def on_trial(tracker) -> Launch:
    launch = Launch(tracker).advance_to("trial_operation")
    tracker.record_contract_terms(SALES, launch.project_id, TERMS)
    figures = {"answer_rate": "93.5", "service_level": "85"}
    tracker.record_kpi_report(SERVICE_MANAGER, launch.project_id, date(2026, 11, 23), date(2026, 11, 29), figures)
    return launch


def test_the_contract_page_draws_the_kpis_and_shows_the_settlement_lines(app, tracker, on_trial: Launch) -> None:
    month = TERMS["fee_model"].get("first_month", "2026-12")
    tracker.record_volumes(SERVICE_MANAGER, on_trial.project_id, month, 1000, 0, 10, 90)
    page = signed_in(app, SALES).get(f"/projects/{on_trial.project_id}/contract").get_data(as_text=True)
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "接通率" in svg and "<rect" in svg and "目标值" in svg
    assert "服务费" in page and "增值税" in page and "合计" in page and "¥" in page


def test_a_department_lead_is_refused_the_contract(app, tracker, on_trial: Launch) -> None:
    before = stored(tracker, on_trial.project_id)
    refused = signed_in(app, HR_LEAD).get(f"/projects/{on_trial.project_id}/contract")
    assert refused.status_code == 403 and "接通率" not in refused.get_data(as_text=True)
    assert stored(tracker, on_trial.project_id) == before
