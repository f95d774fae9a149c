"""Term and end over HTTP (API.md "… term and end"): the term in the contract view, the termination
notice, the handover checklist, the closure waiting for every item and the effective date, and a
closed project refusing every command of the API (nothing recorded)."""

from __future__ import annotations

from datetime import datetime

import pytest

from demo.workflow import (
    AUDITOR,
    BRANCH_HEAD,
    DIRECTOR,
    HR_LEAD,
    OPS_LEAD,
    OTHER_PM,
    PM,
    SALES,
    SALES_LEAD,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    TECH_LEAD,
    Launch,
    stored,
)
from domain.ending_records import HANDOVER
from tests.api.test_http_launch import R1, plan_body
from tests.api.views_support import SHANGHAI, Clock, read, running_app

pytestmark = pytest.mark.backends("sqlite", "postgres")

FEE = {"kind": "base_with_bonus", "base_monthly_fee": "100000", "coefficients": [{"min_score": 0, "coefficient": 1}]}
TERM = {"start": "2026-12-21", "end": "2027-12-31", "renewal_months": 12, "renewal_notice_days": 30}
NOTICE = {"by": "customer", "reason": "kpi_failures", "notice_on": "2027-01-04", "effective_on": "2027-03-31"}


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2027, 1, 5, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture
def app(database_url, clock):
    with running_app(database_url, clock) as app:
        yield app


def refused(http, who, path: str, body, status: int, *aggregates, method: str = "POST") -> dict:
    """A refused command: its status, and nothing recorded on any of ``aggregates``."""
    tracker = http.client.application.extensions["tracker"]
    before = [stored(tracker, ident) for ident in aggregates]
    answer = http.call(method, who, path, json=body)
    assert answer.status_code == status, answer.get_json()
    assert [stored(tracker, ident) for ident in aggregates] == before
    return answer.get_json()


def ok(http, who, path: str, body: dict, method: str = "POST") -> dict:
    answer = http.call(method, who, path, json=body)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_termination_handover_and_closure_over_http(http, tracker, clock):
    launch = Launch(tracker).advance_to("live")
    pid, project = launch.project_id, f"/api/projects/{launch.project_id}"
    ok(http, SALES, f"{project}/contract", {"fee_model": FEE, "term": TERM}, method="PUT")
    term = read(http, SALES, f"{project}/contract")["term"]
    assert (term["end"], term["renewals"], term["current_end"], term["notice_by"]) == (
        "2027-12-31",
        0,
        "2027-12-31",
        "2027-12-01",
    )
    bad = refused(
        http,
        SALES,
        f"{project}/contract",
        {"fee_model": FEE, "term": {**TERM, "end": "2026-01-01"}},
        422,
        pid,
        method="PUT",
    )
    assert "term.end" in bad["errors"]

    # the customer's notice is for sales to record, not the operations director; never before it is given
    refused(http, DIRECTOR, f"{project}/termination", NOTICE, 403, pid)
    early = refused(http, SALES, f"{project}/termination", {**NOTICE, "effective_on": "2027-01-03"}, 422, pid)
    assert "effective_on" in early["errors"]
    assert ok(http, SALES, f"{project}/termination", NOTICE)["phase"] == "terminating"
    assert [p["code"] for p in read(http, AUDITOR, "/api/projects", phase="terminating")["items"]] == ["SH-HOTLINE"]

    # each item by its department's lead, once
    handover = f"{project}/handover"
    refused(http, HR_LEAD, f"{handover}/customer_data_returned", {"evidence": "不是我們的"}, 403, pid)
    refused(http, SALES, f"{handover}/final_settlement", {"evidence": "銷售不是部門負責人"}, 403, pid)
    refused(http, TECH_LEAD, f"{handover}/keys_returned", {"evidence": "鑰匙"}, 404, pid)
    done = ok(http, TECH_LEAD, f"{handover}/customer_data_returned", {"evidence": "客戶資料移交清單 D-1"})
    assert (done["item"], "customer_data_returned" in done["missing"]) == ("customer_data_returned", False)
    again = refused(http, TECH_LEAD, f"{handover}/customer_data_returned", {"evidence": "再一次"}, 409, pid)
    assert again["errors"]["rule"] == "handover_once"
    ok(http, SYSMAINT_LEAD, f"{handover}/recordings_returned", {"evidence": "錄音光碟 R-1"})
    ok(http, TECH_LEAD, f"{handover}/access_revoked", {"evidence": "賬號停用記錄"})

    # closure waits for every item and for the effective date
    closure = f"{project}/closure"
    body = refused(http, PM, closure, {"summary": "服務結束"}, 409, pid)
    assert (body["errors"]["rule"], body["errors"]["missing"]) == (
        "closure_ready",
        ["staff_released", "final_settlement"],
    )
    ok(http, HR_LEAD, f"{handover}/staff_released", {"evidence": "人員調配表"})
    ok(http, SALES_LEAD, f"{handover}/final_settlement", {"evidence": "結算確認書 FS-1"})
    body = refused(http, PM, closure, {"summary": "服務結束"}, 409, pid)
    assert (body["errors"]["missing"], body["errors"]["effective_on"], body["errors"]["today"]) == (
        [],
        "2027-03-31",
        "2027-01-05",
    )
    refused(http, OTHER_PM, closure, {"summary": "服務結束"}, 403, pid)
    clock.moment = datetime(2027, 3, 31, 9, 0, tzinfo=SHANGHAI)
    assert ok(http, PM, closure, {"summary": "服務結束"})["phase"] == "closed"

    shown = read(http, AUDITOR, project)
    assert (shown["phase"], shown["allowed_steps"]) == ("closed", [])
    assert shown["termination"]["by"] == "customer" and shown["termination"]["effective_on"] == "2027-03-31"
    assert shown["termination"]["handover"]["final_settlement"]["by"] == SALES_LEAD.user
    assert (shown["closure"]["summary"], shown["closure"]["closed_on"]) == ("服務結束", "2027-03-31")
    history = [e["type"] for e in http.get(AUDITOR, f"{project}/history").get_json()["items"]]
    assert history[-8:] == [
        "ContractTermsRecorded",
        "TerminationNoticed",
        *["HandoverItemCompleted"] * 5,
        "ProjectClosed",
    ]

    # the views still answer for an ended project
    assert read(http, AUDITOR, f"{project}/go-live")["phase"] == "closed"
    assert read(http, AUDITOR, f"{project}/acceptance")["percent_accepted"] == 100
    assert [p["code"] for p in read(http, AUDITOR, "/api/projects", phase="closed")["items"]] == ["SH-HOTLINE"]
    csv = http.get(AUDITOR, f"/api/audit/events?format=csv&project={pid}").get_data(as_text=True)
    assert (
        "recorded the customer's termination notice (kpi_failures) given on 2027-01-04, effective on 2027-03-31" in csv
    )
    assert "recorded the handover item final_settlement done: 結算確認書 FS-1" in csv
    assert "closed the project: 服務結束" in csv


P = "/api/projects/{pid}"
R = "/api/reviews/{rid}"
T = "/api/tickets/{tid}"
DAY = "2027-03-01"
COMMANDS = {
    f"POST {P}/requirement-changes": (
        SALES,
        {"description": "加座席", "review_outcome": "accepted", "reference": "C-1"},
    ),
    f"POST {P}/appointment": (DIRECTOR, {"project_manager": OTHER_PM.user, "letter_reference": "RM-2"}),
    f"POST {P}/meetings": (PM, {"held_on": DAY, "participants": ["hr"], "decisions": []}),
    f"POST {P}/cancellation": (DIRECTOR, {"reason": "太晚"}),
    f"PUT {P}/plan": (PM, plan_body(R1)),
    f"POST {P}/plan/submission": (PM, None),
    f"POST {P}/plan/review": (PM, {"participants": ["hr"], "outcome": "approved"}),
    f"POST {P}/plan/revision": (PM, {"trigger": "customer_change", "reason": "x"}),
    f"POST {P}/tickets": (PM, {}),
    f"PUT {P}/manual": (SERVICE_MANAGER, {"document_reference": "OM-2"}),
    f"POST {P}/manual/review": (PM, {"outcome": "approved"}),
    f"POST {P}/trial": (PM, {"start": DAY, "planned_end": "2027-03-10"}),
    f"POST {P}/trial/audits": (SERVICE_MANAGER, {"held_on": DAY, "findings": [], "conforming": True}),
    f"POST {P}/trial/feedback": (SALES, {"received_on": DAY, "summary": "滿意"}),
    f"POST {P}/trial/improvements": (PM, {"problem": "p", "measure": "m", "owner_department": "hr", "due": DAY}),
    f"POST {P}/trial/improvements/1/completion": (HR_LEAD, {"evidence": "e"}),
    f"POST {P}/trial/improvements/1/verification": (PM, {"effective": True, "comments": "c"}),
    f"POST {P}/trial/equipment-report": (
        SYSMAINT_LEAD,
        {"period_start": DAY, "period_end": DAY, "summary": "s"},
    ),
    f"POST {P}/reviews": (PM, {"held_on": DAY, "participants": ["hr"]}),
    f"POST {P}/kpi-reports": (
        SERVICE_MANAGER,
        {"period_start": DAY, "period_end": "2027-03-31", "figures": {"answer_rate": "97"}},
    ),
    f"POST {P}/outages": (
        SYSMAINT_LEAD,
        {
            "started_at": "2027-03-02T09:00:00+08:00",
            "ended_at": "2027-03-02T10:00:00+08:00",
            "provider_caused": False,
            "cause": "停電",
        },
    ),
    f"POST {P}/volumes": (SERVICE_MANAGER, {"month": "2027-03", "valid_calls": 1, "seat_hours": "1"}),
    f"PUT {P}/contract": (SALES, {"fee_model": FEE, "term": TERM}),
    f"POST {P}/requests": (
        SALES,
        {"kind": "seat_change", "received_on": DAY, "details": "加 5 座席", "reference": "函 9"},
    ),
    f"POST {P}/requests/1/fulfilment": (OPS_LEAD, {"evidence": "e"}),
    f"POST {P}/rectifications": (
        SALES,
        {"month": "2027-01", "notice_reference": "ZG-9", "received_on": DAY},
    ),
    f"POST {P}/rectifications/1/plan": (PM, {"measures": ["m"]}),
    f"POST {P}/rectifications/1/completion": (SERVICE_MANAGER, {"evidence": "e"}),
    f"POST {P}/rectifications/1/closure": (PM, {"comments": "c"}),
    f"POST {P}/termination": (SALES, NOTICE),
    f"POST {P}/handover/access_revoked": (TECH_LEAD, {"evidence": "again"}),
    f"POST {P}/closure": (PM, {"summary": "again"}),
    f"PUT {R}/items/facilities": (PM, {"met": True, "evidence": "e"}),
    f"POST {R}/conclusion": (PM, {"summary": "s"}),
    f"POST {R}/decision": (BRANCH_HEAD, {"decision": "go_live", "go_live_on": DAY}),
    f"POST {R}/nonconformities": (
        PM,
        {"description": "d", "corrective_action": "a", "owner_department": "hr", "due": DAY},
    ),
    f"POST {R}/nonconformities/1/completion": (HR_LEAD, {"evidence": "e"}),
    f"POST {R}/nonconformities/1/verification": (PM, {"effective": True, "comments": "c"}),
    f"POST {T}/start": (HR_LEAD, {}),
    f"POST {T}/risk": (HR_LEAD, {"reason": "r"}),
    f"POST {T}/alternatives": (HR_LEAD, {"description": "d", "meets_requirements": True}),
    f"POST {T}/alternatives/1/confirmation": (PM, {}),
    f"POST {T}/alternatives/1/approval": (BRANCH_HEAD, {"outcome": "approved", "comments": "c"}),
    f"POST {T}/alternatives/1/review": (PM, {"participants": ["hr"], "outcome": "passed"}),
    f"POST {T}/submission": (HR_LEAD, {"evidence": "e"}),
    f"POST {T}/acceptance": (PM, {"outcome": "accepted", "criteria": []}),
}
"""Every command route of the API on a project, its review or its ticket, as someone who may send it."""
ON_A_PROJECT = ("/api/projects/", "/api/tickets/", "/api/reviews/")
"""Where the commands on a project, its tickets and its reviews live (registering one is not among them)."""


def test_the_table_names_every_command_route(app):
    routes = {
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"})
        if rule.rule.startswith(ON_A_PROJECT)
    }

    def pattern(key: str) -> str:
        method, path = key.split(" ", 1)
        for name, kind in (
            ("{pid}", "<uuid:project_id>"),
            ("{rid}", "<uuid:review_id>"),
            ("{tid}", "<uuid:ticket_id>"),
        ):
            path = path.replace(name, kind)
        path = path.replace("/1/", "/<int:n>/").replace("/items/facilities", "/items/<item>")
        return f"{method} {path.replace('/handover/access_revoked', '/handover/<item>')}"

    assert {pattern(key) for key in COMMANDS} == routes


@pytest.fixture
def closed(tracker) -> Launch:
    return Launch(tracker).advance_to("closed")


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_closed_project_refuses_every_command(http, closed, command):
    method, path = command.split(" ", 1)
    ticket = next(iter(closed.tickets.values()))
    path = path.format(pid=closed.project_id, rid=closed.review_id, tid=ticket)
    who, body = COMMANDS[command]
    answer = refused(http, who, path, body, 409, closed.project_id, closed.review_id, ticket, method=method)
    assert (answer["errors"]["reason"], answer["errors"]["allowed"]) == ("invalid_transition", [])
    if path.startswith("/api/projects/"):
        assert answer["errors"]["current"] == "closed"


def test_a_lead_reads_only_their_own_departments_handover_items(http, tracker, clock):
    """DOMAIN.md "Who may read what": a department lead sees their own department's handover items."""
    launch = Launch(tracker).advance_to("terminating").hand_over()
    path = f"/api/projects/{launch.project_id}"
    everyone = http.get(PM, path).get_json()["termination"]["handover"]
    assert sorted(everyone) == sorted(HANDOVER)
    technology = http.get(TECH_LEAD, path).get_json()["termination"]["handover"]
    assert sorted(technology) == ["access_revoked", "customer_data_returned"]
    assert http.get(TECH_LEAD, f"{path}?as_of=2099-01-01").get_json()["termination"]["handover"] == technology
