"""Monthly assessments, the termination right and rectifications over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from demo.workflow import AUDITOR, HR_LEAD, PM, SALES, SERVICE_MANAGER, SYSMAINT_LEAD
from tests.api.conftest import Http
from tests.api.views_support import read, running_app
from tests.assessment_support import MET, MISSED, live_hotline, report
from tests.web.conftest import stored

pytestmark = pytest.mark.backends("sqlite", "postgres")


@pytest.fixture
def app(database_url):
    with running_app(database_url, TRACKER_TODAY="2027-05-31") as app:
        yield app


def test_three_failed_months_give_the_termination_right_and_a_passed_month_resets_it(http, tracker):
    launch = live_hotline(tracker)
    for month in ("2027-01", "2027-02", "2027-03"):
        report(tracker, launch, month, MISSED)
    path = f"/api/projects/{launch.project_id}/assessments"

    body = read(http, SERVICE_MANAGER, path)

    assert [(i["month"], i["outcome"]) for i in body["items"]] == [
        ("2026-12", "missing"), ("2027-01", "failed"), ("2027-02", "failed"), ("2027-03", "failed"),
        ("2027-04", "missing"), ("2027-05", "open"),
    ]  # fmt: skip
    assert body["termination_right"] is True and body["consecutive_failed"] == 5
    assert body["failed_months"] == ["2026-12", "2027-01", "2027-02", "2027-03", "2027-04"]
    answer_rate = body["items"][1]["kpis"][0]
    assert answer_rate == {"kpi": "answer_rate", "target": 95, "direction": "at_least", "actual": 91, "met": False}

    report(tracker, launch, "2027-04", MET)
    body = read(http, SYSMAINT_LEAD, path)
    assert (body["consecutive_failed"], body["termination_right"], body["failed_months"]) == (0, False, [])


def test_a_reader_without_the_right_to_operational_figures_gets_403(http, tracker):
    launch = live_hotline(tracker)
    response = http.get(HR_LEAD, f"/api/projects/{launch.project_id}/assessments")
    assert response.status_code == 403, response.get_json()
    assert http.get(AUDITOR, f"/api/projects/{launch.project_id}/assessments").status_code == 200


def test_a_rectification_over_http_and_overdue_in_the_assessments(http, tracker):
    launch = live_hotline(tracker)
    report(tracker, launch, "2027-01", MISSED)
    base = f"/api/projects/{launch.project_id}/rectifications"
    notice = {"month": "2027-01", "notice_reference": "整改通知 ZG-01", "received_on": "2027-05-10"}
    created = http.post(SALES, base, json=notice)
    assert created.status_code == 201, created.get_json()
    assert (created.get_json()["rectification"], created.get_json()["due"]) == (1, "2027-05-24")

    body = read(http, PM, f"/api/projects/{launch.project_id}/assessments")
    assert body["overdue_rectifications"] == [1]
    [entry] = body["rectifications"]
    assert (entry["state"], entry["overdue"], entry["working_days_left"]) == ("notified", True, -5)

    assert http.post(PM, f"{base}/1/plan", json={"measures": ["加派坐席"]}).status_code == 200
    assert http.post(SERVICE_MANAGER, f"{base}/1/completion", json={"evidence": "接通率 96%"}).status_code == 200
    body = read(http, PM, f"/api/projects/{launch.project_id}/assessments")
    assert body["overdue_rectifications"] == [] and body["rectifications"][0]["state"] == "completed"
    assert http.post(PM, f"{base}/1/closure", json={"comments": "客户确认"}).status_code == 200


def test_refused_rectification_steps_record_nothing(http: Http, tracker):
    launch = live_hotline(tracker)
    report(tracker, launch, "2027-01", MISSED)
    report(tracker, launch, "2027-02", MET)
    base = f"/api/projects/{launch.project_id}/rectifications"
    before = stored(tracker, launch.project_id)
    notice = {"month": "2027-01", "notice_reference": "ZG-01", "received_on": "2027-05-10"}
    cases = [
        (PM, base, notice, 403),
        (SALES, base, {**notice, "month": "2027-02"}, 409),
        (SALES, base, {**notice, "received_on": "2027-06-01"}, 422),
        (SALES, base, {**notice, "due_in_working_days": 0}, 422),
        (SALES, base, {"month": "2027-01"}, 422),
        (PM, f"{base}/1/plan", {"measures": ["m"]}, 404),
    ]
    for actor, path, body, status in cases:
        response = http.post(actor, path, json=body)
        assert response.status_code == status, (body, response.get_json())
    assert stored(tracker, launch.project_id) == before

    assert http.post(SALES, base, json=notice).status_code == 201
    early = http.post(SERVICE_MANAGER, f"{base}/1/completion", json={"evidence": "done"})
    assert early.status_code == 409
    assert early.get_json()["errors"]["allowed"] == ["plan_rectification"]
    assert tracker.load_project(launch.project_id).rectifications[0]["received_on"] == date(2027, 5, 10)


def test_terms_take_termination_after_failed_months(http, tracker):
    launch = live_hotline(tracker, termination_after_failed_months=2)
    body = read(http, SALES, f"/api/projects/{launch.project_id}/contract")
    assert body["in_force"]["termination_after_failed_months"] == 2
    bad = {"fee_model": {"kind": "base_with_bonus", "base_monthly_fee": "1.00",
                         "coefficients": [{"min_score": 0, "coefficient": "1"}]},
           "termination_after_failed_months": 0, "effective_from": "2027-06", "reason": "r"}  # fmt: skip
    response = http.put(SALES, f"/api/projects/{launch.project_id}/contract", json=bad)
    assert response.status_code == 422 and "termination_after_failed_months" in response.get_json()["errors"]
