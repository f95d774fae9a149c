"""Contract terms and operational records on the Project aggregate: who, when, and refusals that record nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from demo.workflow import DIRECTOR, OTHER_PM, PM, SALES, SERVICE_MANAGER, SYSMAINT_LEAD, TECH_LEAD, Launch, stored
from domain.errors import InvalidInput, InvalidTransition, NotAllowed
from projections.summary import summary
from tests.contract_support import HOTLINE_TERMS, amendment

pytestmark = pytest.mark.backends("memory")
BEIJING = timezone(timedelta(hours=8))


def test_sales_records_terms_at_intake_and_the_event_says_who(tracker):
    launch = Launch(tracker).advance_to("intake")
    tracker.record_contract_terms(SALES, launch.project_id, HOTLINE_TERMS)
    last = tracker.history(launch.project_id)[-1]
    assert (type(last).__name__, last.actor, last.role) == ("ContractTermsRecorded", SALES.user, "sales")
    assert launch.project.contract_terms[0]["terms"]["fee_model"]["first_month"] == "2026-12"


def test_a_pm_who_is_not_the_appointed_one_cannot_amend_the_terms(tracker):
    launch = Launch(tracker).advance_to("planning")
    tracker.record_contract_terms(PM, launch.project_id, HOTLINE_TERMS)
    before = stored(tracker, launch.project_id)
    with pytest.raises(NotAllowed):
        tracker.record_contract_terms(OTHER_PM, launch.project_id, amendment())
    with pytest.raises(NotAllowed):
        tracker.record_contract_terms(DIRECTOR, launch.project_id, amendment())
    assert stored(tracker, launch.project_id) == before


def test_an_amendment_must_say_why_and_from_which_month(tracker):
    launch = Launch(tracker).advance_to("planning")
    tracker.record_contract_terms(SALES, launch.project_id, HOTLINE_TERMS)
    before = stored(tracker, launch.project_id)
    with pytest.raises(InvalidInput) as refused:
        tracker.record_contract_terms(SALES, launch.project_id, {**HOTLINE_TERMS, "reason": " "})
    assert {"reason", "effective_from"} <= set(refused.value.details)
    assert stored(tracker, launch.project_id) == before


def test_terms_cannot_change_once_the_project_is_cancelled(tracker):
    launch = Launch(tracker).advance_to("planning")
    tracker.cancel_project(DIRECTOR, launch.project_id, "the customer withdrew")
    with pytest.raises(InvalidTransition) as refused:
        tracker.record_contract_terms(SALES, launch.project_id, HOTLINE_TERMS)
    assert refused.value.current == "cancelled"


def test_kpis_outages_and_volumes_wait_for_the_trial(tracker):
    launch = Launch(tracker).advance_to("implementation")
    pid = launch.project_id
    before = stored(tracker, pid)
    with pytest.raises(InvalidTransition):
        tracker.record_kpi_report(SERVICE_MANAGER, pid, date(2026, 12, 7), date(2026, 12, 13), {"answer_rate": "96"})
    with pytest.raises(InvalidTransition):
        tracker.record_volumes(SERVICE_MANAGER, pid, "2026-12", 41000, 0, 2200)
    start = datetime(2026, 12, 9, 10, tzinfo=BEIJING)
    with pytest.raises(InvalidTransition):
        tracker.record_outage(SYSMAINT_LEAD, pid, start, start + timedelta(minutes=45), True, "switch")
    assert stored(tracker, pid) == before


def test_only_the_system_maintenance_lead_records_outages_and_they_stay_after_go_live(tracker):
    launch = Launch(tracker).advance_to("live")
    start = datetime(2027, 1, 5, 9, tzinfo=BEIJING)
    with pytest.raises(NotAllowed):
        tracker.record_outage(TECH_LEAD, launch.project_id, start, start + timedelta(hours=1), True, "switch")
    tracker.record_outage(SYSMAINT_LEAD, launch.project_id, start, start + timedelta(hours=1), False, "客户机房断电")
    outage = launch.project.outages[-1]
    assert (outage["provider_caused"], outage["cause"], outage["recorded_by"]) == (False, "客户机房断电", "zheng.hao")
    assert outage["started_at"] == start


def test_recording_a_month_again_corrects_it(tracker):
    launch = Launch(tracker).advance_to("trial_operation")
    pid = launch.project_id
    tracker.record_volumes(SERVICE_MANAGER, pid, "2026-12", 41000, 1200, 2200)
    tracker.record_volumes(SERVICE_MANAGER, pid, "2026-12", 40000, 1200, 2200, reason="recounted")
    corrected = launch.project.volumes_for("2026-12")
    assert (corrected["valid_calls"], corrected["reason"]) == (40000, "recounted")
    assert len(launch.project.volumes) == 2, "the first figures stay in the history"


def test_the_audit_log_says_in_one_line_what_each_contract_record_was(tracker):
    launch = Launch(tracker).advance_to("trial_operation")
    pid = launch.project_id
    tracker.record_contract_terms(SALES, pid, HOTLINE_TERMS)
    tracker.record_contract_terms(SALES, pid, amendment())
    tracker.record_kpi_report(SERVICE_MANAGER, pid, date(2026, 12, 7), date(2026, 12, 13), {"answer_rate": "96.5"})
    start = datetime(2026, 12, 9, 10, tzinfo=BEIJING)
    tracker.record_outage(SYSMAINT_LEAD, pid, start, start + timedelta(minutes=45), True, "交换机故障")
    tracker.record_volumes(SERVICE_MANAGER, pid, "2026-12", 40000, 0, 2200)

    assert [summary(event) for event in tracker.history(pid)[-5:]] == [
        "wang.fang (sales) recorded the contract terms",
        "wang.fang (sales) recorded the contract terms applying from 2027-01 (补充协议 BC-01)",
        "chen.jing (service_manager) reported KPIs for 2026-12-07 to 2026-12-13: answer_rate 96.5",
        "zheng.hao (department_lead) recorded an outage from 2026-12-09 10:00:00+08:00 to 2026-12-09 10:45:00+08:00"
        " (caused by the provider): 交换机故障",
        "chen.jing (service_manager) recorded the volumes of 2026-12: 40000 valid calls",
    ]
