"""Need to know (保密) on the pages: each person sees the contract page's sections their role may
read, no link to what they may not, a 403 page in their language on a direct URL, a history whose
figures are withheld from them, and a lead only their own department's tickets and board."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from demo.contract import TERMS
from demo.workflow import HR_LEAD, OTHER_PM, PM, SALES, SERVICE_MANAGER, SYSMAINT_LEAD, TECH_LEAD, Launch
from tests.web.conftest import signed_in

pytestmark = pytest.mark.backends()
CAUSE = "交换机故障"


@pytest.fixture
def on_trial(tracker) -> Launch:
    """The hotline on trial: terms, a KPI report, an outage and a month's volumes recorded."""
    launch = Launch(tracker).advance_to("trial_operation")
    project = launch.project_id
    tracker.record_contract_terms(SALES, project, TERMS)
    tracker.record_kpi_report(SERVICE_MANAGER, project, date(2026, 11, 23), date(2026, 11, 29), {"answer_rate": "93.5"})
    outage = datetime(2026, 12, 9, 2, tzinfo=UTC), datetime(2026, 12, 9, 3, tzinfo=UTC)
    tracker.record_outage(SYSMAINT_LEAD, project, *outage, True, CAUSE)
    tracker.record_volumes(SERVICE_MANAGER, project, TERMS["fee_model"].get("first_month", "2026-12"), 1000, 0, 10, 90)
    return launch


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_service_manager_sees_the_kpis_and_the_availability_but_no_money(app, on_trial: Launch) -> None:
    manager = signed_in(app, SERVICE_MANAGER)
    contract = f"/projects/{on_trial.project_id}/contract"
    assert f'href="{contract}"' in text(manager.get(f"/projects/{on_trial.project_id}"))
    page = manager.get(contract)
    assert page.status_code == 200
    shown = text(page)
    assert "接通率" in shown and "<svg" in shown, "the KPI chart"
    assert "99.8656 %" in shown, "the availability of the month"
    assert "现行条款" not in shown and "合计" not in shown and "¥" not in shown and "扣减" not in shown
    assert "合计" in text(signed_in(app, PM).get(contract)), "the appointed PM reads the money"


@pytest.mark.parametrize("reader", [TECH_LEAD, OTHER_PM], ids=lambda a: a.user)
def test_who_may_read_no_figures_gets_no_link_and_a_403_page_in_their_language(app, on_trial, reader) -> None:
    visitor = signed_in(app, reader)
    contract = f"/projects/{on_trial.project_id}/contract"
    assert f'href="{contract}"' not in text(visitor.get(f"/projects/{on_trial.project_id}"))
    refused = visitor.get(contract)
    assert refused.status_code == 403 and "您的角色无权查看此页面" in text(refused) and "接通率" not in text(refused)
    english = signed_in(app, reader, "en").get(contract)
    assert english.status_code == 403 and "This page is not for your role." in text(english)


def test_the_history_withholds_the_figures_from_whom_may_not_read_them(app, on_trial: Launch) -> None:
    history = f"/projects/{on_trial.project_id}/history"
    lead = text(signed_in(app, TECH_LEAD).get(history))
    assert "已隐去" in lead and CAUSE not in lead
    assert "项目已登记" in lead, "the other events are shown as ever"
    manager = text(signed_in(app, SERVICE_MANAGER).get(history))
    assert CAUSE in manager and "已隐去" in manager, "the outage shown, the volumes and terms withheld"
    assert "已隐去" not in text(signed_in(app, SALES).get(history))


def test_a_lead_sees_only_their_own_departments_tickets_and_board(app, on_trial: Launch) -> None:
    lead = signed_in(app, TECH_LEAD)
    listed = text(lead.get(f"/projects/{on_trial.project_id}/tickets"))
    assert f'/tickets/{on_trial.tickets["R2"]}"' in listed and f'/tickets/{on_trial.tickets["R1"]}"' not in listed
    assert lead.get("/departments/technology").status_code == 200
    refused = lead.get("/departments/hr")
    assert refused.status_code == 403 and "您的角色无权查看此页面" in text(refused)
    assert lead.get(f"/tickets/{on_trial.tickets['R1']}/history").status_code == 403
    assert signed_in(app, HR_LEAD).get(f"/tickets/{on_trial.tickets['R1']}/history").status_code == 200
    everything = text(signed_in(app, PM).get(f"/projects/{on_trial.project_id}/tickets"))
    assert all(f"/tickets/{ticket}" in everything for ticket in on_trial.tickets.values())
