"""Customer requests with notice periods over HTTP (API.md "Closing the loops, live operations,
requests, term and end"): sales records a request and gets its due date and owner department; the
list judges each against the views' today (overdue, working days left); a department lead sees
only their own department's; the lead of the owner department fulfils it once."""

from __future__ import annotations

from datetime import datetime

import pytest

from demo.workflow import AUDITOR, HR_LEAD, OPS_LEAD, PM, SALES, SYSMAINT_LEAD, Launch, stored
from tests.api.views_support import SHANGHAI, Clock, read, running_app
from tests.contract_support import HOTLINE_TERMS

pytestmark = pytest.mark.backends("sqlite", "postgres")

KINDS = (
    "seat_change",
    "skill_group_change",
    "ivr_change",
    "equipment_spec",
    "volume_surge",
    "extra_training",
    "staff_replacement",
)


@pytest.fixture
def clock() -> Clock:
    """Friday 9 October 2026, the second working day after the National Day holiday."""
    return Clock(datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture
def app(database_url, clock):
    with running_app(database_url, clock) as app:
        yield app


def post(http, who, path: str, body: dict, status: int = 200) -> dict:
    answer = http.post(who, path, body)
    assert answer.status_code == status, answer.get_json()
    return answer.get_json()


def request(kind: str, received_on: str = "2026-09-29", **overrides) -> dict:
    return {
        "kind": kind,
        "received_on": received_on,
        "details": "客户书面通知",
        "reference": "函 2026-031",
        **overrides,
    }


def test_each_kind_is_due_across_national_day_and_judged_against_today(http, tracker):
    launch = Launch(tracker).advance_to("live")
    requests = f"/api/projects/{launch.project_id}/requests"

    answers = [post(http, SALES, requests, request(kind)) for kind in KINDS]

    assert [(a["request"], a["due"], a["owner_department"]) for a in answers] == [
        (1, "2026-10-14", "operations"),
        (2, "2026-09-30", "system_maintenance"),
        (3, "2026-09-30", "system_maintenance"),
        (4, "2026-10-12", "system_maintenance"),  # Saturday 10 October is a make-up working day
        (5, "2026-10-26", "hr"),
        (6, "2026-10-08", "operations"),
        (7, "2026-10-12", "hr"),
    ]
    items = read(http, AUDITOR, requests)["items"]
    assert [(i["n"], i["kind"], i["state"], i["overdue"], i["working_days_left"]) for i in items] == [
        (1, "seat_change", "open", False, 4),  # Saturday 10, Monday 12, 13, 14
        (2, "skill_group_change", "open", True, -2),  # 8 and 9 October since it was due
        (3, "ivr_change", "open", True, -2),
        (4, "equipment_spec", "open", False, 2),
        (5, "volume_surge", "open", False, 12),
        (6, "extra_training", "open", True, -1),
        (7, "staff_replacement", "open", False, 2),
    ]
    assert [i["n"] for i in read(http, HR_LEAD, requests)["items"]] == [5, 7]
    project = read(http, OPS_LEAD, f"/api/projects/{launch.project_id}")
    assert [(r["n"], r["kind"]) for r in project["requests"]] == [(1, "seat_change"), (6, "extra_training")]
    assert len(read(http, PM, f"/api/projects/{launch.project_id}")["requests"]) == 7

    board = read(http, SYSMAINT_LEAD, "/api/departments/system_maintenance/tickets")["requests"]
    assert [(r["project_code"], r["n"], r["overdue"], r["working_days_left"]) for r in board] == [
        (launch.code, 2, True, -2),
        (launch.code, 3, True, -2),
        (launch.code, 4, False, 2),
    ]
    assert http.get(HR_LEAD, "/api/departments/system_maintenance/tickets").status_code == 403  # not their board


def test_the_contract_notice_days_set_the_due_date(http, tracker):
    launch = Launch(tracker).advance_to("live")
    contract = f"/api/projects/{launch.project_id}/contract"
    bad = http.put(SALES, contract, {**HOTLINE_TERMS, "notice_days": {"seat_change": 0, "coffee": 2}})
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]) == {"notice_days.seat_change.value", "notice_days.coffee.key"}
    answer = http.put(SALES, contract, {**HOTLINE_TERMS, "notice_days": {"seat_change": 3}})
    assert answer.status_code == 200, answer.get_json()
    assert read(http, SALES, contract)["in_force"]["notice_days"] == {"seat_change": 3}

    recorded = post(http, SALES, f"/api/projects/{launch.project_id}/requests", request("seat_change"))

    assert recorded["due"] == "2026-10-09"  # 30 September, 8 and 9 October


def test_the_owner_department_lead_fulfils_once_and_no_one_else(http, tracker):
    launch = Launch(tracker).advance_to("live")
    requests = f"/api/projects/{launch.project_id}/requests"
    post(http, SALES, requests, request("extra_training"))
    before = stored(tracker, launch.project_id)

    for other in (HR_LEAD, SALES, PM):
        refused = http.post(other, f"{requests}/1/fulfilment", {"evidence": "培训已完成"})
        assert refused.status_code == 403, refused.get_json()
    assert http.post(OPS_LEAD, f"{requests}/2/fulfilment", {"evidence": "x"}).status_code == 404
    assert http.post(OPS_LEAD, f"{requests}/1/fulfilment", {"evidence": ""}).status_code == 422
    assert stored(tracker, launch.project_id) == before

    done = post(http, OPS_LEAD, f"{requests}/1/fulfilment", {"evidence": "10 月 9 日追加培训，签到表 T-7"})
    assert (done["request"], done["state"]) == (1, "fulfilled")
    again = post(http, OPS_LEAD, f"{requests}/1/fulfilment", {"evidence": "again"}, status=409)
    assert again["errors"]["reason"] == "invalid_transition"
    assert (again["errors"]["current"], again["errors"]["allowed"]) == ("fulfilled", [])

    [item] = read(http, OPS_LEAD, requests)["items"]
    assert (item["state"], item["overdue"], item["working_days_left"]) == ("fulfilled", False, None)
    assert item["fulfilment"]["evidence"] == "10 月 9 日追加培训，签到表 T-7"
    assert read(http, OPS_LEAD, "/api/departments/operations/tickets")["requests"] == []
    history = http.get(AUDITOR, f"/api/projects/{launch.project_id}/history").get_json()["items"]
    assert [e["type"] for e in history[-2:]] == ["RequestRecorded", "RequestFulfilled"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (request("coffee_break"), {"kind"}),
        (request("seat_change", received_on="29/09/2026"), {"received_on"}),
        ({"kind": "seat_change"}, {"received_on", "details", "reference"}),
        (request("seat_change", details=" "), {"details"}),
    ],
)
def test_a_bad_request_is_refused_naming_its_fields_and_records_nothing(http, tracker, body, fields):
    launch = Launch(tracker).advance_to("live")
    before = stored(tracker, launch.project_id)

    refused = post(http, SALES, f"/api/projects/{launch.project_id}/requests", body, status=422)

    assert fields <= set(refused["errors"])
    assert stored(tracker, launch.project_id) == before


def test_requests_wait_for_the_service_to_run(http, tracker):
    launch = Launch(tracker).advance_to("implementation")
    refused = post(http, SALES, f"/api/projects/{launch.project_id}/requests", request("seat_change"), status=409)
    assert (refused["errors"]["reason"], refused["errors"]["current"]) == ("invalid_transition", "implementation")
