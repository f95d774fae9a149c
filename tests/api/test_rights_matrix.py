"""Endpoint × role matrix: every command endpoint of API.md, tried by every role.

For each command endpoint of the Projects, Requirement tickets, Trial reviews and Contract tables
a fresh project is brought (through the domain) to the state where the command is
valid, then the command is sent over HTTP by one actor of each role, by a PM who is
not the appointed one and by department leads of the right and the wrong department.
API.md's "who" column decides: the allowed actors get 2xx and the event is recorded
as theirs; everybody else gets exactly 403 with the standard error body, and nothing
is recorded. Every GET of the API is tried by every actor too: DOMAIN.md "Who may read what"
(``domain.reading_rights``) decides who gets 200 and who 403, what a list leaves out and
which events' data a history withholds.

One app on the in-memory store serves the whole module (building an app per case
costs more than the case); each case launches its own project under a code of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask

from api import create_app
from demo.workflow import (
    AUDITOR,
    BRANCH_HEAD,
    DIRECTOR,
    OPS_LEAD,
    OTHER_PM,
    PM,
    SALES,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    TECH_LEAD,
    Launch,
    plan,
    stored,
)
from domain.project import Project
from domain.roles import Actor
from tests.api.conftest import SECRET, Http
from tests.contract_support import HOTLINE_TERMS, amendment

# A department lead whose department is "sales": not the sales role.
SALES_DEPT_LEAD = Actor("lin.tao", "department_lead", "sales")

# One actor per role, the PM who is not appointed, and leads of several departments.
# The ticket under test is R2 (technology): TECH_LEAD is its lead, the others are the
# wrong department; for the equipment report SYSMAINT_LEAD is right, the others wrong.
ACTORS = (
    SALES,
    DIRECTOR,
    PM,
    OTHER_PM,
    SERVICE_MANAGER,
    BRANCH_HEAD,
    AUDITOR,
    TECH_LEAD,
    SYSMAINT_LEAD,
    OPS_LEAD,
    SALES_DEPT_LEAD,
)
TICKET_REF = "R2"
TICKET_LEAD = TECH_LEAD
ERROR_KEYS = {"code", "status", "message", "errors"}


def label(actor: Actor) -> str:
    return f"{actor.role}:{actor.department}" if actor.department else f"{actor.role}:{actor.user}"


def jsonable(value: Any) -> Any:
    """Plan contents and the like with their dates as ISO strings, as a client sends them."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


# Setups: bring a fresh (unregistered) Launch to the state where the command is valid.


def nothing(launch: Launch) -> None:
    """POST /api/projects needs no project."""


def intake(launch: Launch) -> None:
    launch.advance_to("intake")


def planning(launch: Launch) -> None:
    launch.advance_to("planning")


def plan_drafted(launch: Launch) -> None:
    launch.advance_to("planning").draft()


def plan_review(launch: Launch) -> None:
    launch.advance_to("plan_review")


def implementation(launch: Launch) -> None:
    launch.advance_to("implementation")


def manual_submitted(launch: Launch) -> None:
    launch.advance_to("implementation")
    launch.tracker.submit_manual(SERVICE_MANAGER, launch.project_id, "OM-SH-01", "first issue")


def ready_for_trial(launch: Launch) -> None:
    launch.advance_to("implementation").issue_tickets()
    for ref in list(launch.tickets):
        launch.deliver(ref)
    launch.approve_manual()


def trial_operation(launch: Launch) -> None:
    launch.advance_to("trial_operation")


def equipment_reported(launch: Launch) -> None:
    launch.advance_to("trial_operation").file_equipment_report()


def terms_recorded(launch: Launch) -> None:
    launch.advance_to("planning")
    launch.tracker.record_contract_terms(SALES, launch.project_id, HOTLINE_TERMS)


def month_failed(launch: Launch) -> None:
    """Live, January 2027's answer rate below the target: a month a rectification may follow."""
    launch.advance_to("live")
    launch.tracker.record_contract_terms(SALES, launch.project_id, HOTLINE_TERMS)
    launch.tracker.record_kpi_report(
        SERVICE_MANAGER, launch.project_id, date(2027, 1, 1), date(2027, 1, 31), {"answer_rate": "90"}
    )


def rectification_notified(launch: Launch) -> None:
    month_failed(launch)
    launch.tracker.notify_rectification(SALES, launch.project_id, "2027-01", "ZG-01", date(2027, 2, 8))


def rectification_planned(launch: Launch) -> None:
    rectification_notified(launch)
    launch.tracker.plan_rectification(PM, launch.project_id, 1, ["more seats"])


def rectification_completed(launch: Launch) -> None:
    rectification_planned(launch)
    launch.tracker.complete_rectification(SERVICE_MANAGER, launch.project_id, 1, "answer rate back to 96 %")


def tickets_issued(launch: Launch) -> None:
    launch.advance_to("implementation").issue_tickets()


def ticket_in_progress(launch: Launch) -> None:
    tickets_issued(launch)
    launch.tracker.start_ticket(TICKET_LEAD, launch.tickets[TICKET_REF])


def ticket_at_risk(launch: Launch) -> None:
    tickets_issued(launch)
    launch.tracker.flag_risk(TICKET_LEAD, launch.tickets[TICKET_REF], "the headsets arrive late")


def alternative_meeting_requirements(launch: Launch) -> None:
    ticket_at_risk(launch)
    launch.tracker.propose_alternative(TICKET_LEAD, launch.tickets[TICKET_REF], "rent headsets meanwhile", True)


def alternative_escalated(launch: Launch) -> None:
    alternative_meeting_requirements(launch)
    launch.tracker.confirm_alternative(PM, launch.tickets[TICKET_REF], 1, escalate=True)


def alternative_under_review(launch: Launch) -> None:
    ticket_at_risk(launch)
    launch.tracker.propose_alternative(TICKET_LEAD, launch.tickets[TICKET_REF], "start with 20 seats", False)


def ticket_submitted(launch: Launch) -> None:
    ticket_in_progress(launch)
    launch.tracker.submit_ticket(TICKET_LEAD, launch.tickets[TICKET_REF], "delivery record")


def review_open(launch: Launch) -> None:
    launch.advance_to("trial_review")


def review_assessed(launch: Launch) -> None:
    launch.advance_to("trial_review").assess_all()


def review_passed(launch: Launch) -> None:
    review_assessed(launch)
    assert launch.conclude() == "passed"


def review_failed(launch: Launch) -> None:
    launch.advance_to("trial_review").assess_all(unmet=("facilities",))
    assert launch.conclude() == "failed"


def improvement_recorded(launch: Launch) -> None:
    """Trial operation with improvement measure 1, owned by operations."""
    launch.advance_to("trial_operation")
    launch.tracker.record_improvement(
        PM, launch.project_id, "queue", "two more seats", "operations", date(2026, 12, 14)
    )


def improvement_done(launch: Launch) -> None:
    improvement_recorded(launch)
    launch.tracker.complete_improvement(OPS_LEAD, launch.project_id, 1, "seats added")


def action_recorded(launch: Launch) -> None:
    """A failed review with corrective action 1, owned by operations."""
    review_failed(launch)
    launch.tracker.record_nonconformity(
        PM, launch.review_id, "queue", "two more seats", "operations", date(2026, 12, 28)
    )


def action_done(launch: Launch) -> None:
    action_recorded(launch)
    launch.tracker.complete_corrective_action(OPS_LEAD, launch.review_id, 1, "seats added")


def live(launch: Launch) -> None:
    launch.advance_to("live")


def terminating(launch: Launch) -> None:
    launch.advance_to("terminating")


def handed_over(launch: Launch) -> None:
    """Terminating, every handover item done, effective on a day already past (the matrix's clock is real)."""
    launch.advance_to("live").terminate(date(2026, 12, 1), date(2026, 12, 1)).hand_over()


NOTICE = {"reason": "expiry", "notice_on": "2027-01-04", "effective_on": "2027-03-31"}
def request_recorded(launch: Launch) -> None:
    """Trial operation with customer request 1, a seat change (operations)."""
    launch.advance_to("trial_operation")
    launch.tracker.record_customer_request(
        SALES, launch.project_id, "seat_change", date(2026, 9, 29), "5 座席", "函 31"
    )


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # placeholders: {project}, {ticket}, {review}
    setup: Callable[[Launch], None]
    body: dict[str, Any] | None
    allowed: tuple[Actor, ...]

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"


# Every command endpoint of API.md's Projects, Requirement tickets, Trial reviews and Contract and operations tables.
ENDPOINTS = (
    # Projects
    Endpoint(
        "POST",
        "/api/projects",
        nothing,
        {
            "code": "{code}",
            "name": "上海應急熱線",
            "customer": "上海市應急管理服務中心",
            "service": {
                "channels": ["inbound_hotline"],
                "days_per_week": 7,
                "daily_start": "09:00",
                "daily_end": "18:00",
                "seats": 25,
                "languages": ["Mandarin"],
            },
            "requirements": [{"kind": "customer", "text": "answer rate ≥ 95 %", "source": "contract"}],
            "sources": [{"kind": "contract", "reference": "服務合同 HT-2026-118"}],
        },
        (SALES,),
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/requirement-changes",
        intake,
        {"description": "add online chat", "review_outcome": "accepted", "reference": "需求變更單 BG-01"},
        (SALES,),
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/appointment",
        intake,
        {"project_manager": PM.user, "letter_reference": "任命書 RM-2026-045"},
        (DIRECTOR,),
    ),
    Endpoint("PUT", "/api/projects/{project}/plan", planning, jsonable(plan()), (PM,)),
    Endpoint("POST", "/api/projects/{project}/plan/submission", plan_drafted, None, (PM,)),
    Endpoint(
        "POST",
        "/api/projects/{project}/plan/review",
        plan_review,
        {"participants": ["hr", "technology"], "outcome": "approved", "comments": "agreed"},
        (PM,),
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/plan/revision",
        implementation,
        {"trigger": "force_majeure", "reason": "typhoon closed the site"},
        (PM,),
    ),
    Endpoint("POST", "/api/projects/{project}/tickets", implementation, {}, (PM,)),
    Endpoint(
        "POST",
        "/api/projects/{project}/meetings",
        planning,
        {"held_on": "2026-11-20", "participants": ["li.lei", "sun.li"], "decisions": ["hire by 2026-12-01"]},
        (PM,),
    ),
    Endpoint(
        "PUT",
        "/api/projects/{project}/manual",
        implementation,
        {"document_reference": "OM-SH-01", "revision_note": "first issue"},
        (SERVICE_MANAGER,),
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/manual/review",
        manual_submitted,
        {"outcome": "approved", "comments": "complete"},
        (PM,),
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/trial",
        ready_for_trial,
        {"start": "2026-12-07", "planned_end": "2026-12-18"},
        (PM,),
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/trial/audits",
        trial_operation,
        {"held_on": "2026-12-10", "findings": [], "conforming": True},
        (SERVICE_MANAGER,),
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/trial/feedback",
        trial_operation,
        {"received_on": "2026-12-10", "summary": "callers wait too long at 09:00"},
        (SALES,),
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/trial/improvements",
        trial_operation,
        {
            "problem": "queue at 09:00",
            "measure": "two more seats at 09:00",
            "owner_department": "operations",
            "due": "2026-12-14",
        },
        (PM,),
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/trial/improvements/1/completion",
        improvement_recorded,
        {"evidence": "seats added"},
        (OPS_LEAD,),
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/trial/improvements/1/verification",
        improvement_done,
        {"effective": True, "comments": "no queue any more"},
        (PM,),
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/trial/equipment-report",
        trial_operation,
        {"period_start": "2026-12-07", "period_end": "2026-12-17", "summary": "no outage"},
        (SYSMAINT_LEAD,),
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/cancellation",
        tickets_issued,
        {"reason": "the customer withdrew"},
        (DIRECTOR,),
    ),
    # Requirement tickets (R2, technology)
    Endpoint("POST", "/api/tickets/{ticket}/start", tickets_issued, None, (TICKET_LEAD,)),
    Endpoint("POST", "/api/tickets/{ticket}/risk", tickets_issued, {"reason": "headsets arrive late"}, (TICKET_LEAD,)),
    Endpoint(
        "POST",
        "/api/tickets/{ticket}/alternatives",
        ticket_at_risk,
        {"description": "rent headsets meanwhile", "meets_requirements": True},
        (TICKET_LEAD,),
    ),
    Endpoint(
        "POST",
        "/api/tickets/{ticket}/alternatives/1/confirmation",
        alternative_meeting_requirements,
        {"escalate": False},
        (PM,),
    ),
    Endpoint(
        "POST",
        "/api/tickets/{ticket}/alternatives/1/approval",
        alternative_escalated,
        {"outcome": "approved", "comments": "fine"},
        (BRANCH_HEAD,),
    ),
    Endpoint(
        "POST",
        "/api/tickets/{ticket}/alternatives/1/review",
        alternative_under_review,
        {"participants": ["technology", "operations"], "outcome": "passed", "comments": "acceptable"},
        (PM,),
    ),
    Endpoint(
        "POST", "/api/tickets/{ticket}/submission", ticket_in_progress, {"evidence": "delivery record"}, (TICKET_LEAD,)
    ),
    Endpoint(
        "POST",
        "/api/tickets/{ticket}/acceptance",
        ticket_submitted,
        {"outcome": "accepted", "criteria": [{"criterion": "works as specified", "met": True, "note": "checked"}]},
        (PM,),
    ),
    # Trial reviews
    Endpoint(
        "POST",
        "/api/projects/{project}/reviews",
        equipment_reported,
        {"held_on": "2026-12-18", "participants": ["operations", "technology"]},
        (PM,),
    ),
    Endpoint(
        "PUT",
        "/api/reviews/{review}/items/facilities",
        review_open,
        {"met": True, "evidence": "site inspected"},
        (PM,),
    ),
    Endpoint("POST", "/api/reviews/{review}/conclusion", review_assessed, {"summary": "two calm weeks"}, (PM,)),
    Endpoint(
        "POST",
        "/api/reviews/{review}/decision",
        review_passed,
        {"decision": "go_live", "go_live_on": "2026-12-21"},
        (BRANCH_HEAD, PM),
    ),
    Endpoint(
        "POST",
        "/api/reviews/{review}/nonconformities",
        review_failed,
        {
            "description": "two workstations missing",
            "corrective_action": "order two more",
            "owner_department": "administration",
            "due": "2026-12-28",
        },
        (PM,),
    ),
    Endpoint(
        "POST",
        "/api/reviews/{review}/nonconformities/1/completion",
        action_recorded,
        {"evidence": "seats added"},
        (OPS_LEAD,),
    ),
    Endpoint(
        "POST",
        "/api/reviews/{review}/nonconformities/1/verification",
        action_done,
        {"effective": False, "comments": "queue still long", "due_in_working_days": 3},
        (PM,),
    ),
    # Contract and operations
    Endpoint("PUT", "/api/projects/{project}/contract", planning, HOTLINE_TERMS, (SALES, PM)),
    Endpoint("PUT", "/api/projects/{project}/contract", terms_recorded, amendment(), (SALES, PM)),
    Endpoint(
        "POST",
        "/api/projects/{project}/kpi-reports",
        trial_operation,
        {"period_start": "2026-12-07", "period_end": "2026-12-13", "figures": {"answer_rate": "96.2"}},
        (SERVICE_MANAGER,),
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/outages",
        trial_operation,
        {
            "started_at": "2026-12-09T10:00:00+08:00",
            "ended_at": "2026-12-09T10:45:00+08:00",
            "provider_caused": True,
            "cause": "交换机故障 switch failure",
        },
        (SYSMAINT_LEAD,),
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/volumes",
        trial_operation,
        {"month": "2026-12", "valid_calls": 41000, "holiday_valid_calls": 0, "seat_hours": 2200},
        (SERVICE_MANAGER,),
    ),
    # Term and end: each side's notice by its recorder; a handover item by its department's lead
    Endpoint("POST", "/api/projects/{project}/termination", live, {"by": "customer", **NOTICE}, (SALES,)),
    Endpoint("POST", "/api/projects/{project}/termination", live, {"by": "provider", **NOTICE}, (DIRECTOR,)),
    Endpoint(
        "POST",
        "/api/projects/{project}/handover/customer_data_returned",
        terminating,
        {"evidence": "客户资料移交清单"},
        (TECH_LEAD,),
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/handover/final_settlement",
        terminating,
        {"evidence": "结算确认书"},
        (SALES_DEPT_LEAD,),
    ),
    Endpoint("POST", "/api/projects/{project}/closure", handed_over, {"summary": "服务结束"}, (PM,)),
    Endpoint(
        "POST",
        "/api/projects/{project}/requests",
        trial_operation,
        {"kind": "seat_change", "received_on": "2026-09-29", "details": "早班增加 5 个座席", "reference": "客户函 31"},
        (SALES,),
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/requests/1/fulfilment",
        request_recorded,
        {"evidence": "10 月 12 日起早班 30 座席"},
        (OPS_LEAD,),
    ),
    # Assessments and rectifications
    Endpoint(
        "POST",
        "/api/projects/{project}/rectifications",
        month_failed,
        {"month": "2027-01", "notice_reference": "整改通知 ZG-01", "received_on": "2027-02-08"},
        (SALES,),
    ),
    Endpoint(
        "POST", "/api/projects/{project}/rectifications/1/plan", rectification_notified, {"measures": ["m"]}, (PM,)
    ),
    Endpoint(
        "POST",
        "/api/projects/{project}/rectifications/1/completion",
        rectification_planned,
        {"evidence": "answer rate back"},
        (SERVICE_MANAGER,),
    ),
    Endpoint(
        "POST", "/api/projects/{project}/rectifications/1/closure", rectification_completed, {"comments": "ok"}, (PM,)
    ),
)

CASES = [
    pytest.param(endpoint, actor, id=f"{endpoint.name} as {label(actor)}") for endpoint in ENDPOINTS for actor in ACTORS
]


@pytest.fixture(scope="module")
def matrix_app() -> Iterator[Flask]:
    app = create_app({"DATABASE_URL": "memory://", "SECRET_KEY": SECRET, "TESTING": True})
    yield app
    app.extensions["tracker"].close()


@pytest.fixture
def client(matrix_app: Flask) -> Http:
    return Http(matrix_app.test_client())


@pytest.fixture
def service(matrix_app: Flask):
    return matrix_app.extensions["tracker"]


def fresh_launch(service) -> Launch:
    return Launch(service, code=f"RM-{uuid.uuid4().hex[:12]}")


def prepare(service, endpoint: Endpoint) -> tuple[str, Any, list]:
    """Set the state up; answer the concrete path, the body and the ids to watch."""
    launch = fresh_launch(service)
    endpoint.setup(launch)
    ids = {
        "project": launch.project_id,
        "ticket": launch.tickets.get(TICKET_REF),
        "review": launch.review_id,
    }
    path = endpoint.path.format(**ids)
    body = endpoint.body
    if body is not None and body.get("code") == "{code}":
        body = {**body, "code": launch.code}
    watched = [launch.project_id or Project.create_id(launch.code), *launch.tickets.values()]
    if launch.review_id is not None:
        watched.append(launch.review_id)
    return path, body, watched


def everything_stored(service, ids: list) -> dict:
    return {ident: stored(service, ident) for ident in ids}


def test_the_matrix_covers_every_command_endpoint_of_the_app(matrix_app: Flask) -> None:
    """No command route of these tables is left out of the matrix (nor one invented)."""
    routes = set()
    for rule in matrix_app.url_map.iter_rules():
        for method in rule.methods & {"POST", "PUT"}:
            path = rule.rule
            if path.startswith(("/api/projects", "/api/tickets", "/api/reviews")):
                routes.add((method, path))
    normalised = {(endpoint.method, _as_rule(endpoint.path)) for endpoint in ENDPOINTS}
    assert normalised == routes


def _as_rule(path: str) -> str:
    return (
        path.replace("{project}", "<uuid:project_id>")
        .replace("{ticket}", "<uuid:ticket_id>")
        .replace("{review}", "<uuid:review_id>")
        .replace("/alternatives/1/", "/alternatives/<int:n>/")
        .replace("/improvements/1/", "/improvements/<int:n>/")
        .replace("/rectifications/1/", "/rectifications/<int:n>/")
        .replace("/nonconformities/1/", "/nonconformities/<int:n>/")
        .replace("/requests/1/", "/requests/<int:n>/")
        .replace("/items/facilities", "/items/<item>")
        .replace("/handover/customer_data_returned", "/handover/<item>")
        .replace("/handover/final_settlement", "/handover/<item>")
    )


@pytest.mark.parametrize(("endpoint", "actor"), CASES)
def test_command_endpoint_answers_2xx_only_to_whom_api_md_allows(
    client: Http, service, endpoint: Endpoint, actor: Actor
) -> None:
    path, body, watched = prepare(service, endpoint)
    before = everything_stored(service, watched)
    position_before = service.recorder.max_notification_id() or 0

    response = client.call(endpoint.method, actor, path, json=body)

    if actor in endpoint.allowed:
        assert 200 <= response.status_code < 300, response.get_json()
        answer = response.get_json()
        assert answer["position"] > position_before
        last = service.history(answer["id"])[-1]
        assert (last.originator_version, last.actor, last.role) == (answer["version"], actor.user, actor.role)
        assert everything_stored(service, watched) != before
    else:
        assert response.status_code == 403, response.get_json()
        answer = response.get_json()
        assert set(answer) == ERROR_KEYS
        assert answer["code"] == 403
        assert answer["status"] == "Forbidden"
        assert isinstance(answer["message"], str)
        assert answer["message"]
        assert isinstance(answer["errors"], dict)
        assert everything_stored(service, watched) == before
        assert (service.recorder.max_notification_id() or 0) == position_before


def test_each_endpoint_allows_someone_and_refuses_the_auditor() -> None:
    for endpoint in ENDPOINTS:
        assert endpoint.allowed
        assert set(endpoint.allowed) <= set(ACTORS)
        assert AUDITOR not in endpoint.allowed
        assert OTHER_PM not in endpoint.allowed


# Reads: DOMAIN.md "Who may read what" (domain/reading_rights.py). Every GET of the API, tried by
# every actor: the readers get 200, everybody else exactly 403; lists leave out what the reader may
# not see, and histories keep the events but leave out the data of those carrying figures.

MONTH = "2026-12"
EVERY = frozenset(ACTORS)
COMMERCIAL = frozenset({SALES, DIRECTOR, PM, BRANCH_HEAD, AUDITOR})
"""Contract terms, volumes, settlements: not OTHER_PM (not appointed), the service manager nor any lead."""
OPERATIONAL = COMMERCIAL | {SERVICE_MANAGER, SYSMAINT_LEAD}
"""KPI reports, outages, availability."""
TECHNOLOGY = EVERY - {SYSMAINT_LEAD, OPS_LEAD, SALES_DEPT_LEAD}
"""R2 is technology's ticket: every role but the leads of other departments."""
AUDIT = frozenset({AUDITOR, DIRECTOR})

READ_ROWS = (
    ("/api/projects", EVERY),
    ("/api/projects/{project}", EVERY),
    ("/api/projects/{project}?version=3", EVERY),
    ("/api/projects/{project}?as_of=2099-01-01T00:00:00Z", EVERY),
    ("/api/projects/{project}/history", EVERY),
    ("/api/projects/{project}/plan", EVERY),
    ("/api/projects/{project}/plan/compare?from=2026-01-01T00:00:00Z&to=2099-01-01T00:00:00Z", EVERY),
    ("/api/projects/{project}/acceptance", EVERY),
    ("/api/projects/{project}/go-live", EVERY),
    ("/api/projects/{project}/reviews", EVERY),
    ("/api/projects/{project}/contract", COMMERCIAL),
    ("/api/projects/{project}/kpis", OPERATIONAL),
    ("/api/projects/{project}/assessments", OPERATIONAL),
    ("/api/projects/{project}/requests", EVERY),
    (f"/api/projects/{{project}}/settlements/{MONTH}", COMMERCIAL),
    ("/api/tickets", EVERY),
    ("/api/tickets/{ticket}", TECHNOLOGY),
    ("/api/tickets/{ticket}/history", TECHNOLOGY),
    ("/api/departments/technology/tickets", TECHNOLOGY),
    ("/api/reviews/{review}", EVERY),
    ("/api/reviews/{review}/history", EVERY),
    ("/api/calendar/2026", EVERY),
    ("/api/audit/events", AUDIT),
    ("/api/audit/verification", AUDIT),
    ("/api/notifications/deliveries", AUDIT),
)
NOT_DATA = ("/api/docs", "/api/openapi.json", "/api/files/")
"""Not read here: the docs, and files, whose readers are those of what they are evidence of
(tests/api/test_files*.py)."""
FIGURE_EVENTS = {"ContractTermsRecorded": COMMERCIAL, "VolumesRecorded": COMMERCIAL, "KpiReportRecorded": OPERATIONAL,
                 "OutageRecorded": OPERATIONAL}  # fmt: skip


@pytest.fixture(scope="module")
def launched(matrix_app: Flask) -> Launch:
    """A project in its trial review, with tickets, a review, contract terms, a KPI report, an outage
    and a month's volumes to read."""
    launch = fresh_launch(matrix_app.extensions["tracker"]).advance_to("trial_review")
    tracker, project = launch.tracker, launch.project_id
    tracker.record_contract_terms(SALES, project, HOTLINE_TERMS)
    tracker.record_kpi_report(SERVICE_MANAGER, project, date(2026, 12, 7), date(2026, 12, 13), {"answer_rate": "96"})
    outage = datetime(2026, 12, 9, 2, tzinfo=UTC), datetime(2026, 12, 9, 3, tzinfo=UTC)
    tracker.record_outage(SYSMAINT_LEAD, project, *outage, True, "交换机故障")
    tracker.record_volumes(SERVICE_MANAGER, project, MONTH, valid_calls=41000, holiday_valid_calls=0, seat_hours=2200)
    return launch


def test_the_read_rows_cover_every_get_of_the_api(matrix_app: Flask) -> None:
    """No GET route is left out of the reading rows: a new read must say who may read it."""
    routes = {
        rule.rule for rule in matrix_app.url_map.iter_rules() if "GET" in rule.methods and rule.rule.startswith("/api")
    }
    routes = {route for route in routes if not route.startswith(NOT_DATA)}
    covered = {
        _as_rule(path.split("?")[0])
        .replace(f"/settlements/{MONTH}", "/settlements/<month>")
        .replace("/departments/technology/", "/departments/<department>/")
        .replace("/calendar/2026", "/calendar/<int:year>")
        for path, _ in READ_ROWS
    }
    assert covered == routes


@pytest.mark.parametrize("actor", ACTORS, ids=label)
@pytest.mark.parametrize(("path", "readers"), READ_ROWS, ids=[path for path, _ in READ_ROWS])
def test_every_get_answers_its_readers_and_refuses_the_others(
    client: Http, launched: Launch, path: str, readers: frozenset, actor: Actor
) -> None:
    ids = {"project": launched.project_id, "ticket": launched.tickets[TICKET_REF], "review": launched.review_id}
    response = client.get(actor, path.format(**ids))
    if actor not in readers:
        assert response.status_code == 403, response.get_json()
        assert set(response.get_json()) == ERROR_KEYS
        return
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    if path.endswith("/history"):
        assert answer["items"]
    elif path in ("/api/projects/{project}", "/api/tickets/{ticket}", "/api/reviews/{review}"):
        assert answer["id"] == str(ids[path.split("/")[2].rstrip("s")])
        assert response.headers["ETag"] == f'"{answer["version"]}"'


@pytest.mark.parametrize("actor", ACTORS, ids=label)
def test_a_history_shows_every_event_but_the_figures_only_to_their_readers(
    client: Http, launched: Launch, actor: Actor
) -> None:
    items = client.get(actor, f"/api/projects/{launched.project_id}/history").get_json()["items"]
    everything = client.get(AUDITOR, f"/api/projects/{launched.project_id}/history").get_json()["items"]
    assert [(e["type"], e["version"], e["actor"]) for e in items] == [
        (e["type"], e["version"], e["actor"]) for e in everything
    ]
    for event in items:
        readers = FIGURE_EVENTS.get(event["type"], EVERY)
        assert event["redacted"] is (actor not in readers), event
        if event["redacted"]:
            assert event["data"] == {}
        else:
            assert event["data"] == next(e["data"] for e in everything if e["version"] == event["version"])
    assert {e["type"] for e in items} >= set(FIGURE_EVENTS)


@pytest.mark.parametrize("actor", ACTORS, ids=label)
def test_a_lead_s_ticket_lists_hold_their_own_department_s_only(client: Http, launched: Launch, actor: Actor) -> None:
    listed = client.get(actor, f"/api/tickets?project={launched.project_id}&limit=500").get_json()["items"]
    acceptance = client.get(actor, f"/api/projects/{launched.project_id}/acceptance").get_json()
    shown = {t["department"] for t in listed} | {t["department"] for t in acceptance["overdue"]}
    if actor.role == "department_lead":
        assert shown <= {actor.department}
        assert (str(launched.tickets[TICKET_REF]) in {t["id"] for t in listed}) is (actor is TICKET_LEAD)
    else:
        assert {t["id"] for t in listed} == {str(t) for t in launched.tickets.values()}
    assert acceptance["by_department"], "the counts are the project's summary: everyone reads them"
