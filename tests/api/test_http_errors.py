"""Every way a request can fail, for every resource, and that a failure records nothing.

Resources: project, plan, manual, trial, ticket, review. For each: unknown id → 404,
wrong phase → 409 ``invalid_transition`` naming the current phase and the allowed
steps, invalid body → 422 naming the field (unknown fields too), stale ``If-Match`` →
409 ``concurrent_update``. Then business rules (409 ``rule_violated``), reading the
past (``?version`` / ``?as_of``) and the transport errors (400, 401, 403, 404, 405,
413, 415), all with the one error body ``{code, status, message, errors}``.

Set-up uses the domain directly (``Launch``); every checked request goes over HTTP.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from http import HTTPStatus
from typing import Any

import pytest

from demo.workflow import (
    AUDITOR,
    BRANCH_HEAD,
    DIRECTOR,
    PM,
    SALES,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    TECH_LEAD,
    Launch,
    plan,
    requirement,
    stored,
)
from domain.roles import Actor

UNKNOWN = "0b7e1d3a-5c1e-4a53-9d59-6f0c2a7e9b11"
SHANGHAI = timezone(timedelta(hours=8))
P = "/api/projects/{project}"
T = "/api/tickets/{ticket}"
R = "/api/reviews/{review}"
X = UNKNOWN


def as_json(value: Any) -> Any:
    """Domain sample data (with ``date`` objects) as a client sends it: ISO strings."""
    return json.loads(json.dumps(value, default=str))


PLAN = as_json(plan())
SERVICE = {
    "channels": ["inbound_hotline"],
    "days_per_week": 7,
    "daily_start": "09:00",
    "daily_end": "18:00",
    "seats": 25,
    "languages": ["普通話"],
}
TRIAL = {"start": "2026-12-07", "planned_end": "2026-12-18"}
AUDIT = {"held_on": "2026-12-08", "findings": [], "conforming": True}
ITEM = {"met": True, "evidence": "設施齊備"}
NONCONFORMITY = {"description": "夜班不足", "corrective_action": "增聘", "owner_department": "hr", "due": "2026-12-20"}


def project_body(code: str, **service: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": "上海應急熱線",
        "customer": "上海市應急管理服務中心",
        "service": {**SERVICE, **service},
    }


def error_body(response, code: int) -> dict[str, Any]:
    """The one error body: ``{code, status, message, errors}``."""
    body = response.get_json()
    assert response.status_code == code, body
    assert response.mimetype == "application/json"
    assert set(body) == {"code", "status", "message", "errors"}, body
    assert body["code"] == code
    assert body["status"] == HTTPStatus(code).phrase
    assert isinstance(body["message"], str) and body["message"].strip()
    assert isinstance(body["errors"], dict)
    return body


@contextmanager
def nothing_recorded(tracker, *aggregate_ids: Any) -> Iterator[None]:
    """The aggregates' stored events and the whole log are the same afterwards."""

    def snapshot() -> tuple:
        return [stored(tracker, i) for i in aggregate_ids], tracker.recorder.max_notification_id()

    before = snapshot()
    yield
    assert snapshot() == before, "a refused request must record nothing"


# --- set-ups beyond ``advance_to`` -----------------------------------------------------------


def nothing(launch: Launch) -> None:
    pass


def issued(launch: Launch) -> None:
    launch.issue_tickets()


def alternative_proposed(launch: Launch) -> None:
    """R2 at risk with alternative 1, which meets the requirements (awaits the PM's confirmation)."""
    launch.issue_tickets()
    launch.tracker.flag_risk(TECH_LEAD, launch.tickets["R2"], "supplier late")
    launch.tracker.propose_alternative(TECH_LEAD, launch.tickets["R2"], "older headsets", True)


def submitted(launch: Launch) -> None:
    launch.issue_tickets()
    launch.tracker.start_ticket(TECH_LEAD, launch.tickets["R2"])
    launch.tracker.submit_ticket(TECH_LEAD, launch.tickets["R2"], "交付記錄")


def delivered(launch: Launch) -> None:
    launch.issue_tickets().deliver("R1").deliver("R2")


def ready_for_trial(launch: Launch) -> None:
    delivered(launch)
    launch.approve_manual()


def review_passed(launch: Launch) -> None:
    launch.assess_all()
    launch.conclude()


@dataclass(frozen=True)
class Case:
    """One request against one resource, on a project set up to ``phase`` (then ``prepare``).

    ``request`` is ``"METHOD path"``; the path's ``{project}``, ``{ticket}`` (R2's) and
    ``{review}`` are filled from the set-up. ``expect`` is what the test checks for.
    """

    name: str
    phase: str
    actor: Actor
    request: str
    body: Any = None
    prepare: Callable[[Launch], None] = nothing
    expect: Any = None

    def set_up(self, tracker) -> Launch:
        launch = Launch(tracker).advance_to(self.phase)
        self.prepare(launch)
        return launch

    def send(self, http, launch: Launch, **kw: Any):
        method, path = self.request.split(" ", 1)
        return http.call(method, self.actor, self.url(path, launch), json=self.body, **kw)

    @staticmethod
    def url(path: str, launch: Launch) -> str:
        return path.format(project=launch.project_id, ticket=launch.tickets.get("R2"), review=launch.review_id)

    def resource(self, launch: Launch) -> str:
        """The aggregate the request acts on, as its GET path."""
        path = self.request.split(" ", 1)[1]
        prefix = next((p for p in (T, R) if path.startswith(p)), P)
        return self.url(prefix, launch)


def params(cases: list[Case]) -> list:
    return [pytest.param(case, id=case.name) for case in cases]


def watched(launch: Launch) -> list[Any]:
    """Every aggregate of the launch: none may change when a request is refused."""
    return [launch.project_id, *launch.tickets.values(), *([launch.review_id] if launch.review_id else [])]


# --- unknown id → 404 ------------------------------------------------------------------------

UNKNOWN_IDS = [
    Case("project", "trial_review", AUDITOR, f"GET /api/projects/{X}"),
    Case("project history", "trial_review", AUDITOR, f"GET /api/projects/{X}/history"),
    Case("project appointment", "trial_review", DIRECTOR, f"POST /api/projects/{X}/appointment",
         {"project_manager": PM.user, "letter_reference": "任命書"}),
    Case("plan", "trial_review", PM, f"PUT /api/projects/{X}/plan", PLAN),
    Case("plan submission", "trial_review", PM, f"POST /api/projects/{X}/plan/submission"),
    Case("manual", "trial_review", SERVICE_MANAGER, f"PUT /api/projects/{X}/manual", {"document_reference": "OM-1"}),
    Case("manual review", "trial_review", PM, f"POST /api/projects/{X}/manual/review", {"outcome": "approved"}),
    Case("trial", "trial_review", PM, f"POST /api/projects/{X}/trial", TRIAL),
    Case("trial audit", "trial_review", SERVICE_MANAGER, f"POST /api/projects/{X}/trial/audits", AUDIT),
    Case("ticket", "trial_review", AUDITOR, f"GET /api/tickets/{X}"),
    Case("ticket history", "trial_review", AUDITOR, f"GET /api/tickets/{X}/history"),
    Case("ticket start", "trial_review", TECH_LEAD, f"POST /api/tickets/{X}/start"),
    Case("ticket acceptance", "trial_review", PM, f"POST /api/tickets/{X}/acceptance", {"outcome": "accepted"}),
    Case("review", "trial_review", AUDITOR, f"GET /api/reviews/{X}"),
    Case("review history", "trial_review", AUDITOR, f"GET /api/reviews/{X}/history"),
    Case("review item", "trial_review", PM, f"PUT /api/reviews/{X}/items/facilities", ITEM),
    Case("review decision", "trial_review", BRANCH_HEAD, f"POST /api/reviews/{X}/decision",
         {"decision": "go_live", "go_live_on": "2026-12-21"}),
]  # fmt: skip


@pytest.mark.parametrize("case", params(UNKNOWN_IDS))
def test_unknown_id_is_404_and_records_nothing(http, tracker, case):
    launch = case.set_up(tracker)
    with nothing_recorded(tracker, *watched(launch)):
        answer = error_body(case.send(http, launch), 404)
    assert answer["errors"]["id"] == UNKNOWN


def test_an_id_of_another_kind_of_aggregate_is_404(http, tracker):
    launch = Launch(tracker).advance_to("trial_review")
    ticket = launch.tickets["R1"]
    for path in (f"/api/projects/{ticket}", f"/api/reviews/{ticket}", f"/api/tickets/{launch.review_id}"):
        error_body(http.get(AUDITOR, path), 404)
    with nothing_recorded(tracker, *watched(launch)):
        error_body(http.post(TECH_LEAD, f"/api/tickets/{launch.project_id}/start"), 404)


def test_unknown_alternative_is_404_and_records_nothing(http, tracker):
    launch = Launch(tracker).advance_to("implementation")
    alternative_proposed(launch)
    with nothing_recorded(tracker, *watched(launch)):
        path = f"/api/tickets/{launch.tickets['R2']}/alternatives/7/confirmation"
        answer = error_body(http.post(PM, path, json={"escalate": False}), 404)
    assert answer["errors"]["what"] == "alternative"


def test_a_malformed_id_is_404(http):
    error_body(http.get(AUDITOR, "/api/projects/not-a-uuid"), 404)
    error_body(http.post(TECH_LEAD, "/api/tickets/12345/start"), 404)


# --- wrong phase → 409 invalid_transition ----------------------------------------------------

WRONG_PHASE = [
    Case("project cancelled when live", "live", DIRECTOR, f"POST {P}/cancellation", {"reason": "客戶撤回"}),
    Case("project appointment when live", "live", DIRECTOR, f"POST {P}/appointment",
         {"project_manager": "han.mei", "letter_reference": "任命書 2"}),
    Case("plan drafted in implementation", "implementation", PM, f"PUT {P}/plan", PLAN),
    Case("plan reviewed in planning", "planning", PM, f"POST {P}/plan/review",
         {"participants": ["hr"], "outcome": "approved"}),
    Case("plan revised in planning", "planning", PM, f"POST {P}/plan/revision",
         {"trigger": "force_majeure", "reason": "颱風"}),
    Case("tickets issued in planning", "planning", PM, f"POST {P}/tickets", {}),
    Case("manual in intake", "intake", SERVICE_MANAGER, f"PUT {P}/manual",
         {"document_reference": "OM-2", "revision_note": "更新"}),
    Case("plan drafted when live without a revision", "live", PM, f"PUT {P}/plan", PLAN),
    Case("plan reviewed when live without a revision", "live", PM, f"POST {P}/plan/review",
         {"participants": ["hr"], "outcome": "approved"}),
    Case("trial started in planning", "planning", PM, f"POST {P}/trial", TRIAL),
    Case("trial audit in implementation", "implementation", SERVICE_MANAGER, f"POST {P}/trial/audits", AUDIT),
    Case("trial review opened when live", "live", PM, f"POST {P}/reviews",
         {"held_on": "2027-01-05", "participants": ["operations"]}),
    Case("ticket submitted before started", "implementation", TECH_LEAD, f"POST {T}/submission",
         {"evidence": "交付記錄"}, issued),
    Case("ticket accepted before submitted", "implementation", PM, f"POST {T}/acceptance",
         {"outcome": "accepted", "criteria": [{"criterion": "works as specified", "met": True}]}, issued),
    Case("alternative reviewed though it meets the requirements", "implementation", PM,
         f"POST {T}/alternatives/1/review", {"participants": ["technology"], "outcome": "passed"},
         alternative_proposed),
    Case("review decided while open", "trial_review", BRANCH_HEAD, f"POST {R}/decision",
         {"decision": "go_live", "go_live_on": "2026-12-21"}),
    Case("nonconformity on an open review", "trial_review", PM, f"POST {R}/nonconformities", NONCONFORMITY),
    Case("review item after the decision", "live", PM, f"PUT {R}/items/facilities", ITEM),
]  # fmt: skip


@pytest.mark.parametrize("case", params(WRONG_PHASE))
def test_wrong_phase_is_409_with_current_and_allowed_steps(http, tracker, case):
    launch = case.set_up(tracker)
    state = http.get(AUDITOR, case.resource(launch)).get_json()
    with nothing_recorded(tracker, *watched(launch)):
        answer = error_body(case.send(http, launch), 409)
    errors = answer["errors"]
    assert errors["reason"] == "invalid_transition"
    assert errors["current"] == state.get("phase", state.get("state"))
    assert errors["allowed"] == state["allowed_steps"]
    assert errors["step"] not in errors["allowed"]


def test_wrong_phase_names_each_allowed_step(http, tracker):
    launch = Launch(tracker).advance_to("implementation").issue_tickets()
    path = f"/api/tickets/{launch.tickets['R2']}/submission"
    answer = error_body(http.post(TECH_LEAD, path, json={"evidence": "x"}), 409)
    assert (answer["errors"]["current"], answer["errors"]["allowed"]) == ("issued", ["flag_risk", "start_ticket"])


# --- invalid body → 422 naming the field -----------------------------------------------------

INVALID_BODIES = [
    Case("project seats not a number", "intake", SALES, "POST /api/projects",
         project_body("X-1", seats="二十五"), expect="service.seats"),
    Case("project channel unknown", "intake", SALES, "POST /api/projects",
         project_body("X-2", channels=["fax"]), expect="service.channels.0"),
    Case("project hours end before they start", "intake", SALES, "POST /api/projects",
         project_body("X-3", daily_start="18:00", daily_end="09:00"), expect="service.daily_end"),
    Case("appointment without letter", "intake", DIRECTOR, f"POST {P}/appointment",
         {"project_manager": PM.user}, expect="letter_reference"),
    Case("requirement change outcome", "planning", SALES, f"POST {P}/requirement-changes",
         {"description": "新增渠道", "review_outcome": "maybe", "reference": "BG-1"}, expect="review_outcome"),
    Case("meeting date", "implementation", PM, f"POST {P}/meetings",
         {"held_on": "下週一", "participants": ["hr"]}, expect="held_on"),
    Case("plan requirement date", "planning", PM, f"PUT {P}/plan",
         {**PLAN, "requirements": [{**PLAN["requirements"][0], "complete_by": "2026-02-30"}]},
         expect="requirements.0.complete_by"),
    Case("plan headcount", "planning", PM, f"PUT {P}/plan",
         {**PLAN, "positions": [{"title": "客服代表", "headcount": 0}]}, expect="positions.0.headcount"),
    Case("plan manual due missing", "planning", PM, f"PUT {P}/plan",
         {**PLAN, "manual": {"requirements": "話術"}}, expect="manual.due"),
    Case("plan review outcome", "plan_review", PM, f"POST {P}/plan/review",
         {"participants": ["hr"], "outcome": "maybe"}, expect="outcome"),
    Case("plan review participant", "plan_review", PM, f"POST {P}/plan/review",
         {"participants": ["marketing"], "outcome": "approved"}, expect="participants.0"),
    Case("plan revision trigger", "implementation", PM, f"POST {P}/plan/revision",
         {"trigger": "whim", "reason": "想改"}, expect="trigger"),
    Case("manual without document", "implementation", SERVICE_MANAGER, f"PUT {P}/manual",
         {"revision_note": "初稿"}, expect="document_reference"),
    Case("manual review outcome", "implementation", PM, f"POST {P}/manual/review",
         {"outcome": "fine"}, expect="outcome"),
    Case("trial start date", "implementation", PM, f"POST {P}/trial",
         {**TRIAL, "start": "tomorrow"}, expect="start"),
    Case("trial ends before it starts", "implementation", PM, f"POST {P}/trial",
         {"start": "2026-12-18", "planned_end": "2026-12-07"}, expect="planned_end"),
    Case("audit conforming", "trial_operation", SERVICE_MANAGER, f"POST {P}/trial/audits",
         {**AUDIT, "conforming": "perhaps"}, expect="conforming"),
    Case("improvement department", "trial_operation", PM, f"POST {P}/trial/improvements",
         {"problem": "排隊", "measure": "加座席", "owner_department": "marketing", "due": "2026-12-14"},
         expect="owner_department"),
    Case("ticket risk reason blank", "implementation", TECH_LEAD, f"POST {T}/risk",
         {"reason": "   "}, issued, expect="reason"),
    Case("ticket alternative meets_requirements", "implementation", TECH_LEAD, f"POST {T}/alternatives",
         {"description": "舊耳機", "meets_requirements": "perhaps"}, issued, expect="meets_requirements"),
    Case("ticket acceptance outcome", "implementation", PM, f"POST {T}/acceptance",
         {"outcome": "maybe", "criteria": []}, submitted, expect="outcome"),
    Case("ticket acceptance criterion met", "implementation", PM, f"POST {T}/acceptance",
         {"outcome": "accepted", "criteria": [{"criterion": "works as specified", "met": "sort of"}]},
         submitted, expect="criteria.0.met"),
    Case("review item met", "trial_review", PM, f"PUT {R}/items/facilities",
         {"met": "perhaps", "evidence": "ok"}, expect="met"),
    Case("review item evidence missing", "trial_review", PM, f"PUT {R}/items/facilities",
         {"met": True}, expect="evidence"),
    Case("review item unknown", "trial_review", PM, f"PUT {R}/items/weather", ITEM, expect="item"),
    Case("review decision", "trial_review", BRANCH_HEAD, f"POST {R}/decision",
         {"decision": "later"}, review_passed, expect="decision"),
    Case("review nonconformity due", "trial_review", PM, f"POST {R}/nonconformities",
         {**NONCONFORMITY, "due": "soon"}, expect="due"),
]  # fmt: skip


@pytest.mark.parametrize("case", params(INVALID_BODIES))
def test_invalid_body_is_422_naming_the_field(http, tracker, case):
    launch = case.set_up(tracker)
    with nothing_recorded(tracker, *watched(launch)):
        answer = error_body(case.send(http, launch), 422)
    assert case.expect in answer["errors"], answer
    assert case.expect in answer["message"]


UNKNOWN_FIELDS = [
    Case("project", "intake", SALES, "POST /api/projects",
         {**project_body("X-9", colour="red"), "budget": 100}, expect={"budget", "service.colour"}),
    Case("appointment", "intake", DIRECTOR, f"POST {P}/appointment",
         {"project_manager": PM.user, "letter_reference": "任命書", "deputy": "han.mei"}, expect={"deputy"}),
    Case("plan", "planning", PM, f"PUT {P}/plan",
         {**PLAN, "budget": "100000", "requirements": [{**PLAN["requirements"][0], "owner": "sun.li"}]},
         expect={"budget", "requirements.0.owner"}),
    Case("manual", "implementation", SERVICE_MANAGER, f"PUT {P}/manual",
         {"document_reference": "OM-1", "pages": 40}, expect={"pages"}),
    Case("trial", "implementation", PM, f"POST {P}/trial", {**TRIAL, "shifts": 2}, ready_for_trial,
         expect={"shifts"}),
    Case("ticket", "implementation", TECH_LEAD, f"POST {T}/risk", {"reason": "供應商延遲", "severity": "high"},
         issued, expect={"severity"}),
    Case("acceptance criterion", "implementation", PM, f"POST {T}/acceptance",
         {"outcome": "accepted", "criteria": [{"criterion": "works as specified", "met": True, "by": "x"}]},
         submitted, expect={"criteria.0.by"}),
    Case("review", "trial_review", PM, f"PUT {R}/items/facilities", {**ITEM, "score": 5}, expect={"score"}),
]  # fmt: skip


@pytest.mark.parametrize("case", params(UNKNOWN_FIELDS))
def test_unknown_fields_are_422_naming_them(http, tracker, case):
    launch = case.set_up(tracker)
    with nothing_recorded(tracker, *watched(launch)):
        answer = error_body(case.send(http, launch), 422)
    assert set(answer["errors"]) == case.expect
    assert all(name in answer["message"] for name in case.expect)


def test_a_body_that_is_not_an_object_is_422(http, tracker):
    launch = Launch(tracker).advance_to("implementation")
    ready_for_trial(launch)
    with nothing_recorded(tracker, *watched(launch)):
        error_body(http.post(PM, f"/api/projects/{launch.project_id}/trial", json=["2026-12-07", "2026-12-18"]), 422)


# --- stale If-Match → 409 concurrent_update ---------------------------------------------------

MEANWHILE = {
    "requirement change": (SALES, f"POST {P}/requirement-changes",
                           {"description": "新增渠道", "review_outcome": "accepted", "reference": "BG-9"}),
    "meeting": (PM, f"POST {P}/meetings", {"held_on": "2026-11-30", "participants": ["hr"], "decisions": ["加快招聘"]}),
    "ticket started": (TECH_LEAD, f"POST {T}/start", None),
    "item assessed": (PM, f"PUT {R}/items/personnel", {"met": True, "evidence": "人員到位"}),
}  # fmt: skip

STALE = [
    Case("project", "intake", DIRECTOR, f"POST {P}/appointment",
         {"project_manager": PM.user, "letter_reference": "任命書"}, expect="requirement change"),
    Case("plan", "planning", PM, f"PUT {P}/plan", PLAN, expect="requirement change"),
    Case("manual", "implementation", SERVICE_MANAGER, f"PUT {P}/manual",
         {"document_reference": "OM-1", "revision_note": "初稿"}, expect="meeting"),
    Case("trial", "implementation", PM, f"POST {P}/trial", TRIAL, ready_for_trial, expect="meeting"),
    Case("ticket", "implementation", TECH_LEAD, f"POST {T}/risk", {"reason": "供應商延遲"}, issued,
         expect="ticket started"),
    Case("review", "trial_review", PM, f"PUT {R}/items/facilities", ITEM, expect="item assessed"),
]  # fmt: skip


@pytest.mark.backends()
@pytest.mark.parametrize("case", params(STALE))
def test_stale_if_match_is_409_concurrent_update(http, tracker, case):
    """Read the ETag; someone else changes the aggregate; the request with the old ETag is refused."""
    launch = case.set_up(tracker)
    read = http.get(AUDITOR, case.resource(launch))
    seen = read.headers["ETag"]
    assert seen == f'"{read.get_json()["version"]}"'
    actor, request, body = MEANWHILE[case.expect]
    meanwhile = Case("meanwhile", case.phase, actor, request, body).send(http, launch)
    assert meanwhile.status_code == 200, meanwhile.get_json()

    with nothing_recorded(tracker, *watched(launch)):
        answer = error_body(case.send(http, launch, headers={"If-Match": seen}), 409)
    errors = answer["errors"]
    assert errors["reason"] == "concurrent_update"
    assert errors["expected_version"] == int(seen.strip('"'))
    assert errors["current_version"] == errors["expected_version"] + 1

    # With the ETag as it is now, the same request goes through.
    fresh = http.get(AUDITOR, case.resource(launch)).headers["ETag"]
    done = case.send(http, launch, headers={"If-Match": fresh})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["version"] == int(fresh.strip('"')) + 1


@pytest.mark.parametrize("header", ["abc", '"-1"', "\u00b2", "9" * 5000])
def test_if_match_must_be_a_version(http, tracker, header):
    launch = Launch(tracker).advance_to("planning")
    plan_path = f"/api/projects/{launch.project_id}/plan"
    with nothing_recorded(tracker, *watched(launch)):
        answer = error_body(http.put(PM, plan_path, json=PLAN, headers={"If-Match": header}), 422)
    assert list(answer["errors"]) == ["If-Match"]


# --- business rules → 409 rule_violated --------------------------------------------------------

DAY = timedelta(days=1)
START = plan()["trial_start"]
UNMET = {"outcome": "accepted", "criteria": [{"criterion": "works as specified", "met": False, "note": "未完成"}]}

RULES = [
    Case("plan dates out of order", "planning", PM, f"PUT {P}/plan",
         as_json(plan(trial_review=START - DAY)), expect="plan_dates_ordered"),
    Case("acceptance after the trial start", "planning", PM, f"PUT {P}/plan",
         as_json(plan(requirement("R1", "hr", accept_by=START + DAY))), expect="plan_dates_ordered"),
    Case("trial with open tickets", "implementation", PM, f"POST {P}/trial", TRIAL, issued,
         expect="tickets_accepted"),
    Case("trial without an approved manual", "implementation", PM, f"POST {P}/trial", TRIAL, delivered,
         expect="manual_approved"),
    Case("duplicate project code", "intake", SALES, "POST /api/projects", project_body(" sh-hotline "),
         expect="code_unique"),
    Case("customer-change revision without a recorded change", "implementation", PM, f"POST {P}/plan/revision",
         {"trigger": "customer_change", "reason": "客戶要求"}, expect="requirement_change_required"),
    Case("manual before an approved plan", "planning", SERVICE_MANAGER, f"PUT {P}/manual",
         {"document_reference": "OM-1"}, expect="plan_approved"),
    Case("accepted with an unmet criterion", "implementation", PM, f"POST {T}/acceptance", UNMET, submitted,
         expect="criteria_met"),
    Case("review without an equipment report", "trial_operation", PM, f"POST {P}/reviews",
         {"held_on": "2026-12-18", "participants": ["operations"]}, expect="equipment_report"),
    Case("conclusion with items unassessed", "trial_review", PM, f"POST {R}/conclusion", {"summary": "總結"},
         expect="review_items_assessed"),
    Case("extension not after the planned end", "trial_review", BRANCH_HEAD, f"POST {R}/decision",
         {"decision": "extend_trial", "extend_until": "2026-12-18"}, review_passed,
         expect="extension_after_planned_end"),
    Case("go-live before the review", "trial_review", PM, f"POST {R}/decision",
         {"decision": "go_live", "go_live_on": "2026-12-10"}, review_passed, expect="decision_after_review"),
]  # fmt: skip


@pytest.mark.parametrize("case", params(RULES))
def test_rule_violation_is_409_naming_the_rule(http, tracker, case):
    launch = case.set_up(tracker)
    with nothing_recorded(tracker, *watched(launch)):
        answer = error_body(case.send(http, launch), 409)
    assert (answer["errors"]["reason"], answer["errors"]["rule"]) == ("rule_violated", case.expect)
    assert answer["message"] == answer["errors"]["why"]


@pytest.mark.backends("sqlite", "postgres")
def test_rule_violations_record_nothing_on_a_database(http, tracker):
    launch = Launch(tracker).advance_to("implementation")
    issued(launch)
    with nothing_recorded(tracker, *watched(launch)):
        answer = error_body(http.post(PM, f"/api/projects/{launch.project_id}/trial", json=TRIAL), 409)
        assert answer["errors"]["rule"] == "tickets_accepted"
        answer = error_body(http.post(SALES, "/api/projects", json=project_body("SH-HOTLINE")), 409)
        assert answer["errors"]["rule"] == "code_unique"


# --- reading the past: ?version= and ?as_of= ---------------------------------------------------


def read_at(http, path: str, **query: Any):
    return http.get(AUDITOR, path, query_string=query)


def event_times(http, path: str) -> list[datetime]:
    items = http.get(AUDITOR, f"{path}/history").get_json()["items"]
    return [datetime.fromisoformat(event["time"]) for event in items]


def past_of(tracker, resource: str) -> tuple[str, Callable[[dict], Any], list[Any]]:
    """A resource with some history: its path, what to look at, and how that looked at versions 1, 2, …"""
    launch = Launch(tracker).advance_to("trial_review")
    launch.tracker.assess_review_item(PM, launch.review_id, "facilities", True, "ok")
    if resource == "project":
        phases = ["intake", "planning", "planning", "plan_review", "implementation"]
        return f"/api/projects/{launch.project_id}", lambda s: s["phase"], phases
    if resource == "ticket":
        states = ["issued", "in_progress", "submitted", "accepted"]
        return f"/api/tickets/{launch.tickets['R1']}", lambda s: s["state"], states
    assessed = [{}, {"facilities": True}]
    return f"/api/reviews/{launch.review_id}", lambda s: {k: v["met"] for k, v in s["items"].items()}, assessed


@pytest.mark.backends()
@pytest.mark.parametrize("resource", ["project", "ticket", "review"])
def test_reads_as_of_a_version_or_a_time(http, tracker, resource):
    path, look, expected = past_of(tracker, resource)
    current = http.get(AUDITOR, path).get_json()["version"]
    times = event_times(http, path)
    assert len(times) == current
    for version, then in enumerate(expected, start=1):
        by_version = read_at(http, path, version=version)
        assert by_version.status_code == 200, by_version.get_json()
        assert by_version.get_json()["version"] == version
        assert by_version.headers["ETag"] == f'"{version}"'
        assert look(by_version.get_json()) == then
        # The same moment asked by time, in UTC and in Shanghai time.
        for moment in (times[version - 1], times[version - 1].astimezone(SHANGHAI)):
            by_time = read_at(http, path, as_of=moment.isoformat())
            assert by_time.status_code == 200, by_time.get_json()
            assert by_time.get_json()["version"] == version
            assert look(by_time.get_json()) == then

    with nothing_recorded(tracker):
        error_body(read_at(http, path, version=current + 1), 404)
        error_body(read_at(http, path, as_of=(times[0] - timedelta(seconds=1)).isoformat()), 404)
        assert "version" in error_body(read_at(http, path, version=0), 422)["errors"]
        assert "version" in error_body(read_at(http, path, version="latest"), 422)["errors"]
        assert "as_of" in error_body(read_at(http, path, as_of="2026-12-01T09:00:00"), 422)["errors"]
        assert "as_of" in error_body(read_at(http, path, version=1, as_of=times[0].isoformat()), 422)["errors"]
    now = http.get(AUDITOR, path)
    assert now.get_json()["version"] == current
    assert now.headers["ETag"] == f'"{current}"'


@pytest.mark.backends()
def test_a_version_too_large_for_the_store_is_404(http, tracker):
    launch = Launch(tracker).advance_to("trial_review")
    paths = (
        f"/api/projects/{launch.project_id}",
        f"/api/tickets/{launch.tickets['R1']}",
        f"/api/reviews/{launch.review_id}",
    )
    for path in paths:
        for version in (2**31, 2**63 - 1, 2**63, 10**20):
            error_body(read_at(http, path, version=version), 404)


def test_a_project_read_in_the_past_shows_its_tickets_as_they_were(http, tracker):
    launch = Launch(tracker).advance_to("implementation").issue_tickets()
    path = f"/api/projects/{launch.project_id}"
    issued_at = http.get(AUDITOR, path).get_json()["version"]
    launch.deliver("R1")
    launch.tracker.hold_meeting(PM, launch.project_id, START - 10 * DAY, ["hr"], ["加快招聘"])

    def states(response) -> dict[str, str]:
        return {t["requirement_ref"]: t["state"] for t in response.get_json()["tickets"]}

    assert states(read_at(http, path, version=issued_at)) == {"R1": "issued", "R2": "issued"}
    assert states(http.get(AUDITOR, path)) == {"R1": "accepted", "R2": "issued"}
    assert read_at(http, path, version=issued_at - 1).get_json()["tickets"] == []


# --- transport: malformed JSON, media type, size, routes, methods, auth ------------------------


def meetings_path(launch: Launch) -> str:
    return f"/api/projects/{launch.project_id}/meetings"


@pytest.mark.backends()
def test_malformed_json_is_400_and_records_nothing(http, tracker):
    launch = Launch(tracker).advance_to("implementation")
    with nothing_recorded(tracker, *watched(launch)):
        broken = '{"held_on": "2026-11-30",'
        response = http.post(PM, meetings_path(launch), data=broken, headers={"Content-Type": "application/json"})
        assert error_body(response, 400)["errors"]


@pytest.mark.backends()
def test_text_that_is_not_unicode_is_422_naming_the_field(http, tracker):
    """JSON can escape half a surrogate pair; such text cannot be stored as UTF-8."""
    launch = Launch(tracker).advance_to("implementation")
    body = '{"held_on": "2026-11-30", "participants": ["hr", "\\ud800"], "decisions": ["\\ud83d\\ude00 ok"]}'
    with nothing_recorded(tracker, *watched(launch)):
        response = http.post(PM, meetings_path(launch), data=body, headers={"Content-Type": "application/json"})
        assert list(error_body(response, 422)["errors"]) == ["participants.1"]
        project = '{"code": "\\udfff", "name": "n", "customer": "c", "service": {"channels": ["email"], '
        project += '"days_per_week": 5, "daily_start": "09:00", "daily_end": "18:00", "seats": 3, "languages": ["zh"]}}'
        response = http.post(SALES, "/api/projects", data=project, headers={"Content-Type": "application/json"})
        assert list(error_body(response, 422)["errors"]) == ["code"]
    # A proper pair (an emoji) is fine.
    body = '{"held_on": "2026-11-30", "participants": ["hr"], "decisions": ["\\ud83d\\ude00 ok"]}'
    response = http.post(PM, meetings_path(launch), data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.get_json()
    assert tracker.load_project(launch.project_id).meetings[-1]["decisions"] == ["\U0001f600 ok"]


def test_a_body_that_is_not_json_is_415(http, tracker):
    launch = Launch(tracker).advance_to("implementation")
    with nothing_recorded(tracker, *watched(launch)):
        plain = {"Content-Type": "text/plain; charset=utf-8"}
        error_body(http.post(PM, meetings_path(launch), data="held_on=2026-11-30", headers=plain), 415)
        error_body(http.post(PM, meetings_path(launch), data={"held_on": "2026-11-30"}), 415)


def test_a_body_over_one_mebibyte_is_413(http, tracker):
    launch = Launch(tracker).advance_to("implementation")
    decisions = ["決定" * 1000] * 200
    big = json.dumps({"held_on": "2026-11-30", "participants": ["hr"], "decisions": decisions}, ensure_ascii=False)
    assert len(big.encode()) > 1024 * 1024
    with nothing_recorded(tracker, *watched(launch)):
        response = http.post(PM, meetings_path(launch), data=big, headers={"Content-Type": "application/json"})
        error_body(response, 413)


def test_unknown_route_is_404_and_wrong_method_is_405(http, tracker):
    launch = Launch(tracker).advance_to("planning")
    project = f"/api/projects/{launch.project_id}"
    with nothing_recorded(tracker, *watched(launch)):
        error_body(http.get(AUDITOR, "/api/nothing-here"), 404)
        error_body(http.post(PM, f"{project}/budget", json={}), 404)
        error_body(http.call("DELETE", DIRECTOR, project), 405)
        wrong = http.put(PM, f"{project}/plan/submission", json={})
        error_body(wrong, 405)
        assert "POST" in wrong.headers["Allow"]


def test_no_token_is_401_and_a_write_without_the_right_is_403(http, tracker):
    launch = Launch(tracker).advance_to("planning")
    project = f"/api/projects/{launch.project_id}"
    with nothing_recorded(tracker, *watched(launch)):
        error_body(http.get(None, project), 401)
        error_body(http.put(None, f"{project}/plan", json=PLAN), 401)
        error_body(http.get(None, project, headers={"Authorization": "Bearer forged.token"}), 401)
        error_body(http.put(AUDITOR, f"{project}/plan", json=PLAN), 403)
        error_body(http.put(SYSMAINT_LEAD, f"{project}/plan", json=PLAN), 403)
