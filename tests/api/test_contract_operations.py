"""Contract terms, KPI reports, outages and volumes over HTTP; the contract, KPI and settlement views.

The project is the Shanghai hotline on trial from 2026-12-07; its terms are API.md's example
(per valid call, 1.68 CNY in month 1 = 2026-12, 98 % availability, VAT 6 %). Every refused
request must leave the stored history as it was.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from demo.workflow import AUDITOR, PM, SALES, SERVICE_MANAGER, SYSMAINT_LEAD, Launch, stored
from tests.api.conftest import Http
from tests.api.views_support import SHANGHAI, Clock, head, read, running_app
from tests.contract_support import BONUS_MODEL, HOTLINE_TERMS, amendment

pytestmark = pytest.mark.backends("sqlite", "postgres")

DECEMBER_VOLUMES = {"month": "2026-12", "valid_calls": 41000, "holiday_valid_calls": 1200, "seat_hours": 2200}
# Two overlapping provider-caused outages (merged: 12-09 10:00 → 12-10 08:20 = 1,340 min) and one that
# the customer's own equipment caused (not counted).
OUTAGES = [
    {"started_at": "2026-12-09T10:00:00+08:00", "ended_at": "2026-12-09T20:00:00+08:00", "provider_caused": True},
    {"started_at": "2026-12-09T18:00:00+08:00", "ended_at": "2026-12-10T08:20:00+08:00", "provider_caused": True},
    {"started_at": "2026-12-15T00:00:00+08:00", "ended_at": "2026-12-15T06:00:00+08:00", "provider_caused": False},
]


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 12, 20, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture
def on_trial(database_url, clock):
    """The app, a client, and a project in trial operation whose terms sales recorded."""
    with running_app(database_url, clock) as app:
        tracker = app.extensions["tracker"]
        launch = Launch(tracker).advance_to("trial_operation")
        tracker.record_contract_terms(SALES, launch.project_id, HOTLINE_TERMS)
        yield Http(app.test_client()), launch


def path(launch: Launch, tail: str) -> str:
    return f"/api/projects/{launch.project_id}{tail}"


def get_fresh(http: Http, who, tail: str, launch: Launch):
    """GET a view once it includes every event so far, whatever it answers."""
    return http.get(who, path(launch, f"{tail}?after={head(http.client.application)}"))


def refused_without_trace(http: Http, launch: Launch, method: str, who, tail: str, body) -> dict:
    before = stored(launch.tracker, launch.project_id)
    response = http.call(method, who, path(launch, tail), json=body)
    assert stored(launch.tracker, launch.project_id) == before
    answer = response.get_json()
    assert answer["code"] == response.status_code
    return answer


def test_sales_records_the_terms_and_the_pm_amends_them_from_a_later_month(on_trial, clock):
    http, launch = on_trial
    response = http.put(PM, path(launch, "/contract"), json=amendment())
    assert response.status_code == 200, response.get_json()

    contract = read(http, AUDITOR, path(launch, "/contract"))
    assert [(a["recorded_by"], a["recorded_role"], a["effective_from"]) for a in contract["amendments"]] == [
        (SALES.user, "sales", None),
        (PM.user, "project_manager", "2027-01"),
    ]
    assert contract["amendments"][1]["reason"] == "补充协议 BC-01"
    assert contract["in_force"]["kpi_targets"][0]["kpi"] == "answer_rate"
    assert float(contract["in_force"]["kpi_targets"][0]["target"]) == 95, "December still has the first terms"

    clock.moment = datetime(2027, 1, 4, 9, 0, tzinfo=SHANGHAI)
    january = read(http, AUDITOR, path(launch, "/contract"))
    assert float(january["in_force"]["kpi_targets"][0]["target"]) == 96


def test_an_amendment_without_reason_or_month_is_refused_and_records_nothing(on_trial):
    http, launch = on_trial
    no_reason = {k: v for k, v in amendment().items() if k != "reason"}
    answer = refused_without_trace(http, launch, "PUT", SALES, "/contract", no_reason)
    assert answer["code"] == 422 and "reason" in answer["errors"]

    no_month = {k: v for k, v in amendment().items() if k != "effective_from"}
    answer = refused_without_trace(http, launch, "PUT", SALES, "/contract", no_month)
    assert answer["code"] == 422 and "effective_from" in answer["errors"]


def test_terms_with_a_percentage_over_100_are_refused_naming_the_field(on_trial):
    http, launch = on_trial
    targets = [{"kpi": "answer_rate", "target": 120, "unit": "percent", "direction": "at_least"}]
    answer = refused_without_trace(http, launch, "PUT", SALES, "/contract", {**amendment(), "kpi_targets": targets})
    assert answer["code"] == 422
    assert any(field.startswith("kpi_targets.0") for field in answer["errors"]), answer["errors"]


@pytest.mark.parametrize(
    ("tail", "who", "body", "bad_field"),
    [
        (
            "/kpi-reports",
            SERVICE_MANAGER,
            {"period_start": "2026-12-07", "period_end": "2026-12-13", "figures": {"answer_rate": "101"}},
            "figures.answer_rate",
        ),
        (
            "/kpi-reports",
            SERVICE_MANAGER,
            {"period_start": "2026-12-13", "period_end": "2026-12-07", "figures": {"answer_rate": "96"}},
            "period_end",
        ),
        (
            "/kpi-reports",
            SERVICE_MANAGER,
            {"period_start": "2026-12-07", "period_end": "2026-12-13", "figures": {"calls_per_hour": "96"}},
            "figures.calls_per_hour",
        ),
        (
            "/outages",
            SYSMAINT_LEAD,
            {**OUTAGES[0], "ended_at": "2026-12-09T09:00:00+08:00", "cause": "交换机故障"},
            "ended_at",
        ),
        ("/volumes", SERVICE_MANAGER, {**DECEMBER_VOLUMES, "valid_calls": -1}, "valid_calls"),
        ("/volumes", SERVICE_MANAGER, {**DECEMBER_VOLUMES, "quality_score": "101"}, "quality_score"),
        ("/volumes", SERVICE_MANAGER, {**DECEMBER_VOLUMES, "month": "2026-13"}, "month"),
    ],
)
def test_bad_figures_get_422_naming_the_field_and_record_nothing(on_trial, tail, who, body, bad_field):
    http, launch = on_trial
    answer = refused_without_trace(http, launch, "POST", who, tail, body)
    assert answer["code"] == 422, answer
    assert bad_field in answer["errors"], answer["errors"]


def test_operational_records_wait_for_the_trial(database_url, clock):
    with running_app(database_url, clock) as app:
        http = Http(app.test_client())
        launch = Launch(app.extensions["tracker"]).advance_to("implementation")
        body = {**OUTAGES[0], "cause": "交换机故障"}
        answer = refused_without_trace(http, launch, "POST", SYSMAINT_LEAD, "/outages", body)
        assert answer["code"] == 409
        assert answer["errors"]["reason"] == "invalid_transition"
        assert answer["errors"]["current"] == "implementation"


def test_a_month_recorded_again_is_a_correction_that_must_say_why(on_trial):
    http, launch = on_trial
    assert http.post(SERVICE_MANAGER, path(launch, "/volumes"), json=DECEMBER_VOLUMES).status_code == 200
    corrected = {**DECEMBER_VOLUMES, "valid_calls": 40000}
    answer = refused_without_trace(http, launch, "POST", SERVICE_MANAGER, "/volumes", corrected)
    assert answer["code"] == 422 and "reason" in answer["errors"]
    response = http.post(SERVICE_MANAGER, path(launch, "/volumes"), json={**corrected, "reason": "話務系統重新統計"})
    assert response.status_code == 200

    settlement = read(http, AUDITOR, path(launch, "/settlements/2026-12"))
    assert settlement["fee"] == "73248.00"  # 40,000 × 1.68 = 67,200.00 + 1,200 × 1.68 × 3 = 6,048.00


def test_kpi_view_shows_each_period_against_the_targets(on_trial):
    http, launch = on_trial
    weeks = [
        ("2026-12-07", "2026-12-13", {"answer_rate": "96.2", "service_level": "78.5", "average_handle_time": "280"}),
        ("2026-12-14", "2026-12-18", {"answer_rate": "95", "service_level": "81", "customer_satisfaction": "92.4"}),
    ]
    for start, end, figures in weeks:
        body = {"period_start": start, "period_end": end, "figures": figures}
        assert http.post(SERVICE_MANAGER, path(launch, "/kpi-reports"), json=body).status_code == 200

    periods = read(http, PM, path(launch, "/kpis"))["periods"]
    assert [(p["period_start"], p["period_end"]) for p in periods] == [(s, e) for s, e, _ in weeks]
    answer_rate = periods[0]["kpis"][0]
    assert (answer_rate["kpi"], answer_rate["target"], answer_rate["actual"]) == ("answer_rate", 95, 96.2)  # numbers
    first = {k["kpi"]: (k["actual"] and float(k["actual"]), k["met"]) for k in periods[0]["kpis"]}
    assert first == {
        "answer_rate": (96.2, True),
        "service_level": (78.5, False),  # 80 % within 20 s required
        "customer_satisfaction": (None, None),  # not reported that week
        "average_handle_time": (280.0, True),  # at most 300 s
    }
    second = {k["kpi"]: k["met"] for k in periods[1]["kpis"]}
    assert second == {
        "answer_rate": True,  # exactly the target counts as met
        "service_level": True,
        "customer_satisfaction": True,
        "average_handle_time": None,
    }


def test_december_settlement_shows_every_step_with_outages_merged_and_a_one_point_deduction(on_trial):
    http, launch = on_trial
    for outage in OUTAGES:
        response = http.post(SYSMAINT_LEAD, path(launch, "/outages"), json={**outage, "cause": "故障 fault"})
        assert response.status_code == 200, response.get_json()
    assert http.post(SERVICE_MANAGER, path(launch, "/volumes"), json=DECEMBER_VOLUMES).status_code == 200

    settlement = read(http, AUDITOR, path(launch, "/settlements/2026-12"))
    assert {k: settlement[k] for k in ("month", "month_index", "outage_minutes", "availability_percent")} == {
        "month": "2026-12",
        "month_index": 1,
        "outage_minutes": "1340",  # 10:00 → next day 08:20, the customer's 6 hours left out
        "availability_percent": "96.9982",  # (1 − 1,340 ÷ 44,640) × 100
    }
    assert (settlement["tier"], settlement["report_required"]) == ("points", False)
    assert (settlement["target_valid_calls"], settlement["target_met"]) == (31680, True)  # 18 × 2,200 × 80 %
    assert {k: settlement[k] for k in ("fee", "bonus", "deduction", "net", "vat", "total")} == {
        "fee": "74928.00",  # 41,000 × 1.68 = 68,880.00 + 1,200 × 1.68 × 3 = 6,048.00
        "bonus": "0.00",
        "deduction": "749.28",  # 1 whole point below 98 % → 1 % of the fee
        "net": "74178.72",
        "vat": "4450.72",  # 74,178.72 × 6 % = 4,450.7232
        "total": "78629.44",
    }
    assert len(settlement["lines"]) >= 5 and all(isinstance(line, str) for line in settlement["lines"])


def test_settlement_refuses_a_month_before_the_first_and_404s_a_month_without_volumes(on_trial):
    http, launch = on_trial
    november = get_fresh(http, PM, "/settlements/2026-11", launch)
    assert november.status_code == 409
    assert november.get_json()["errors"]["rule"] == "month_before_first_month"
    assert get_fresh(http, PM, "/settlements/2027-01", launch).status_code == 404
    assert get_fresh(http, PM, "/settlements/2027-13", launch).status_code == 422


def test_bonus_model_needs_the_months_quality_score(on_trial):
    http, launch = on_trial
    terms = {**amendment(), "fee_model": BONUS_MODEL, "effective_from": "2026-12", "reason": "改為基本月費加獎勵"}
    assert http.put(PM, path(launch, "/contract"), json=terms).status_code == 200
    assert http.post(SERVICE_MANAGER, path(launch, "/volumes"), json=DECEMBER_VOLUMES).status_code == 200
    missing = get_fresh(http, PM, "/settlements/2026-12", launch)
    assert missing.status_code == 409 and missing.get_json()["errors"]["rule"] == "quality_score_required"

    scored = {**DECEMBER_VOLUMES, "quality_score": 85, "reason": "品質評分已出"}
    assert http.post(SERVICE_MANAGER, path(launch, "/volumes"), json=scored).status_code == 200
    settlement = read(http, PM, path(launch, "/settlements/2026-12"))
    # bonus = 85 ÷ 100 × 1.1 × 100,000.00 = 93,500.00; fee = base + bonus; no outage, no deduction
    assert (settlement["month_index"], settlement["target_valid_calls"]) == (None, None)
    assert (settlement["bonus"], settlement["fee"], settlement["deduction"]) == ("93500.00", "193500.00", "0.00")
    assert settlement["total"] == "205110.00"  # 193,500.00 × 1.06


def test_go_live_view_shows_the_trial_kpis_as_evidence_for_customer_requirements(on_trial):
    http, launch = on_trial
    body = {"period_start": "2026-12-07", "period_end": "2026-12-18", "figures": {"answer_rate": "96.2"}}
    assert http.post(SERVICE_MANAGER, path(launch, "/kpi-reports"), json=body).status_code == 200

    evidence = read(http, PM, path(launch, "/go-live"))["trial_kpis"]
    assert evidence["review_item"] == "customer_requirements"
    assert (evidence["trial_start"], evidence["trial_end"]) == ("2026-12-07", "2026-12-18")
    assert evidence["all_met"] is False, "three targets have no figure yet"
    assert [k["met"] for k in evidence["periods"][0]["kpis"] if k["kpi"] == "answer_rate"] == [True]


def test_nobody_but_the_service_manager_reports_kpis(on_trial):
    http, launch = on_trial
    body = {"period_start": "2026-12-07", "period_end": "2026-12-13", "figures": {"answer_rate": "96"}}
    for who in (PM, SALES, SYSMAINT_LEAD, AUDITOR):
        assert refused_without_trace(http, launch, "POST", who, "/kpi-reports", body)["code"] == 403
