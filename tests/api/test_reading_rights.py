"""Need to know (保密), on SQLite and PostgreSQL: a technology lead, another project's PM and the
service manager are refused the commercial figures (contract, settlements; their events' data in
the history), the service manager and the system-maintenance lead read the operational ones
(KPIs), and a lead's ticket lists and boards hold their own department's tickets only.

The project is the Shanghai hotline in its trial (terms from sales, a KPI report, an outage and
December's volumes recorded).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from demo.workflow import (
    AUDITOR,
    HR_LEAD,
    OTHER_PM,
    PM,
    SALES,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    TECH_LEAD,
    Launch,
)
from tests.api.conftest import Http
from tests.api.views_support import SHANGHAI, Clock, head, running_app
from tests.contract_support import HOTLINE_TERMS

pytestmark = pytest.mark.backends("sqlite", "postgres")

COMMERCIAL = ("/contract", "/settlements/2026-12")
OPERATIONAL = ("/kpis",)


@pytest.fixture
def on_trial(database_url):
    clock = Clock(datetime(2026, 12, 20, 10, 0, tzinfo=SHANGHAI))
    with running_app(database_url, clock) as app:
        tracker = app.extensions["tracker"]
        launch = Launch(tracker).advance_to("trial_operation")
        project = launch.project_id
        tracker.record_contract_terms(SALES, project, HOTLINE_TERMS)
        week = date(2026, 12, 7), date(2026, 12, 13)
        tracker.record_kpi_report(SERVICE_MANAGER, project, *week, {"answer_rate": "96"})
        outage = datetime(2026, 12, 9, 2, tzinfo=UTC), datetime(2026, 12, 9, 3, tzinfo=UTC)
        tracker.record_outage(SYSMAINT_LEAD, project, *outage, True, "交换机故障")
        volumes = {"valid_calls": 41000, "holiday_valid_calls": 0, "seat_hours": 2200}
        tracker.record_volumes(SERVICE_MANAGER, project, "2026-12", **volumes)
        yield Http(app.test_client()), launch


def get(http: Http, who, launch: Launch, tail: str):
    return http.get(who, f"/api/projects/{launch.project_id}{tail}?after={head(http.client.application)}")


@pytest.mark.parametrize("reader", [TECH_LEAD, OTHER_PM, SERVICE_MANAGER], ids=lambda a: a.user)
def test_who_does_not_need_the_money_is_refused_it_in_views_and_history(on_trial, reader):
    http, launch = on_trial
    for tail in COMMERCIAL:
        refused = get(http, reader, launch, tail)
        assert refused.status_code == 403, (tail, refused.get_json())
        assert refused.get_json()["errors"]["step"] in ("read_contract_terms", "read_settlements")
        assert get(http, PM, launch, tail).status_code == 200, tail
    history = http.get(reader, f"/api/projects/{launch.project_id}/history").get_json()["items"]
    money = [e for e in history if e["type"] in ("ContractTermsRecorded", "VolumesRecorded")]
    assert len(money) == 2 and all(e["redacted"] and e["data"] == {} for e in money)
    assert all(not e["redacted"] for e in history if e["type"] not in ("ContractTermsRecorded", "VolumesRecorded",
               "KpiReportRecorded", "OutageRecorded"))  # fmt: skip


def test_the_other_projects_pm_is_refused_the_kpis_too_with_who_is_appointed(on_trial):
    http, launch = on_trial
    refused = get(http, OTHER_PM, launch, "/kpis")
    assert refused.status_code == 403
    assert "not the appointed project manager" in refused.get_json()["message"]
    history = http.get(OTHER_PM, f"/api/projects/{launch.project_id}/history").get_json()["items"]
    assert all(e["redacted"] for e in history if e["type"] in ("KpiReportRecorded", "OutageRecorded"))


@pytest.mark.parametrize("reader", [SERVICE_MANAGER, SYSMAINT_LEAD], ids=lambda a: a.user)
def test_the_service_manager_and_the_system_maintenance_lead_read_the_operational_figures(on_trial, reader):
    http, launch = on_trial
    kpis = get(http, reader, launch, "/kpis")
    assert kpis.status_code == 200 and kpis.get_json()["periods"]
    history = http.get(reader, f"/api/projects/{launch.project_id}/history").get_json()["items"]
    outage = next(e for e in history if e["type"] == "OutageRecorded")
    assert not outage["redacted"] and outage["data"]["cause"] == "交换机故障"
    assert all(e["redacted"] for e in history if e["type"] in ("ContractTermsRecorded", "VolumesRecorded"))


def test_a_technology_lead_reads_no_kpis_and_only_technology_tickets(on_trial):
    http, launch = on_trial
    assert get(http, TECH_LEAD, launch, "/kpis").status_code == 403
    listed = http.get(TECH_LEAD, "/api/tickets?limit=500").get_json()["items"]
    assert listed and {t["department"] for t in listed} == {"technology"}
    assert http.get(TECH_LEAD, "/api/tickets?department=hr").get_json() == {"items": [], "next_cursor": None}
    hr_ticket = next(t for t in http.get(AUDITOR, "/api/tickets?department=hr").get_json()["items"])
    assert http.get(TECH_LEAD, f"/api/tickets/{hr_ticket['id']}").status_code == 403
    assert http.get(TECH_LEAD, f"/api/tickets/{hr_ticket['id']}/history").status_code == 403
    assert http.get(HR_LEAD, f"/api/tickets/{hr_ticket['id']}").status_code == 200
    assert http.get(TECH_LEAD, "/api/departments/hr/tickets").status_code == 403
    assert http.get(PM, f"/api/tickets/{hr_ticket['id']}").status_code == 200  # PMs read every ticket, as before
    project = http.get(TECH_LEAD, f"/api/projects/{launch.project_id}").get_json()
    assert {t["department"] for t in project["tickets"]} > {"technology"}, "the project's summary lists every ticket"
