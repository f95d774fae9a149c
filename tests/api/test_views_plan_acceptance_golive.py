"""The plan, acceptance and go-live views of one project, read over HTTP after real launches.

Each test records a launch through the app's own application service (or over HTTP
where the answer matters) and reads the views as users would. On PostgreSQL the views
are kept up to date by the app's projection runner in a thread, and every read waits
for them with ``?after=``; elsewhere the app projects in-process.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import uuid4

import pytest

from demo.workflow import (
    ADMIN_LEAD,
    AUDITOR,
    BRANCH_HEAD,
    DIRECTOR,
    EVERYONE,
    HR_LEAD,
    LEADS,
    OPS_LEAD,
    PM,
    SALES,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    TECH_LEAD,
    Launch,
    all_met,
    plan,
    requirement,
)
from domain.gates import REVIEW_ITEMS
from tests.api.views_support import SHANGHAI, UTC, Clock, read, running_app

GATES = [
    "plan_approved",
    "tickets_accepted",
    "manual_approved",
    "trial_started",
    "equipment_report",
    "corrective_actions_closed",
    "review_passed",
    "go_live_decision",
]


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI))


@pytest.fixture
def app(database_url, clock):
    with running_app(database_url, clock) as app:
        yield app


def P(launch: Launch, view: str = "") -> str:
    return f"/api/projects/{launch.project_id}{view}"


# Plan view -------------------------------------------------------------------------------------


def revised_launch(tracker) -> Launch:
    """v1 rejected; v2 (R1 hr, R2 technology, R3 administration) approved and worked;
    a customer change; v3 drops R3, adds R4 (operations) and moves R1's dates; approved."""
    launch = Launch(tracker).register().appoint()
    launch.draft(plan(requirement("R1", "hr"), requirement("R2", "technology"))).submit_plan()
    tracker.review_plan(PM, launch.project_id, ["hr", "operations"], "rejected", "人手不足：缺少質檢員")
    v2 = plan(requirement("R1", "hr"), requirement("R2", "technology"), requirement("R3", "administration"))
    launch.draft(v2).submit_plan().approve_plan().issue_tickets()
    tracker.start_ticket(HR_LEAD, launch.tickets["R1"])
    launch.deliver("R2")
    tracker.record_requirement_change(SALES, launch.project_id, "客戶要求增加排班", "accepted", "變更單 BG-01")
    tracker.revise_plan(PM, launch.project_id, "customer_change", "客戶需求變更")
    return launch


V3 = plan(
    requirement("R1", "hr", complete_by=date(2026, 12, 3), accept_by=date(2026, 12, 5)),
    requirement("R2", "technology"),
    requirement("R4", "operations", ("排班覆蓋 7×8 小時",)),
)


@pytest.mark.backends("sqlite", "postgres")
def test_plan_view_after_a_rejection_and_a_revision(http, tracker):
    launch = revised_launch(tracker)
    launch.draft(V3)

    # during the revision the draft shows only in versions; v2 stays in force
    during = read(http, AUDITOR, P(launch, "/plan"))
    assert [(v["plan_version"], v["status"]) for v in during["versions"]] == [
        (1, "rejected"),
        (2, "approved"),
        (3, "draft"),
    ]
    assert during["current"]["plan_version"] == 2
    assert [r["ref"] for r in during["current"]["requirements"]] == ["R1", "R2", "R3"]
    assert during["dropped"] == []

    launch.submit_plan()
    assert read(http, AUDITOR, P(launch, "/plan"))["versions"][2]["status"] == "submitted"
    tracker.review_plan(PM, launch.project_id, ["hr", "technology", "operations"], "approved", "同意修訂")
    launch.issue_tickets()

    view = read(http, PM, P(launch, "/plan"))
    assert view["project_id"] == str(launch.project_id)
    assert view["version"] == launch.project.version
    versions = {v["plan_version"]: v for v in view["versions"]}
    assert [(n, v["status"]) for n, v in versions.items()] == [(1, "rejected"), (2, "superseded"), (3, "approved")]
    assert [(r["outcome"], r["comments"], r["participants"]) for r in versions[1]["reviews"]] == [
        ("rejected", "人手不足：缺少質檢員", ["hr", "operations"])
    ]
    assert [r["outcome"] for r in versions[2]["reviews"]] == ["approved"]
    assert [(r["outcome"], r["comments"], r["reviewed_by"]) for r in versions[3]["reviews"]] == [
        ("approved", "同意修訂", PM.user)
    ]
    assert versions[3]["requirement_refs"] == ["R1", "R2", "R4"]

    current = view["current"]
    assert current["plan_version"] == 3
    assert current["trial_start"] == "2026-12-07" and current["go_live"] == "2026-12-21"
    assert [p["title"] for p in current["positions"]] == ["customer service representative", "team leader"]
    assert current["manual"] == {"requirements": "call flow and scripts", "due": "2026-12-04"}
    by_ref = {r["ref"]: r for r in current["requirements"]}
    assert list(by_ref) == ["R1", "R2", "R4"]
    assert by_ref["R1"]["complete_by"] == "2026-12-03" and by_ref["R1"]["accept_by"] == "2026-12-05"
    assert by_ref["R4"]["acceptance_criteria"] == ["排班覆蓋 7×8 小時"]
    # the kept tickets carried on through the revision; the new requirement has a new ticket
    assert by_ref["R1"]["ticket"] == {"id": str(launch.tickets["R1"]), "state": "in_progress"}
    assert by_ref["R2"]["ticket"] == {"id": str(launch.tickets["R2"]), "state": "accepted"}
    assert by_ref["R4"]["ticket"] == {"id": str(launch.tickets["R4"]), "state": "issued"}
    assert view["dropped"] == ["R3"]
    dropped_ticket = http.get(AUDITOR, f"/api/tickets/{launch.tickets['R3']}").get_json()
    assert dropped_ticket["state"] == "cancelled"
    assert view["milestones"] == [
        {"name": "trial_start", "planned": "2026-12-07", "actual": None},
        {"name": "trial_review", "planned": "2026-12-18", "actual": None},
        {"name": "go_live", "planned": "2026-12-21", "actual": None},
    ]

    # the withdrawn ticket no longer counts in the acceptance view, but by_state counts every ticket
    acceptance = read(http, PM, P(launch, "/acceptance"))
    assert acceptance["tickets"] == 3
    assert acceptance["by_state"] == {"in_progress": 1, "accepted": 1, "issued": 1, "cancelled": 1}
    assert acceptance["percent_accepted"] == pytest.approx(33.3)

    # milestones fill in as the trial starts, the review is held and go-live is decided
    for ref in ("R1", "R4"):
        launch.deliver(ref)
    launch.approve_manual()
    tracker.start_trial(PM, launch.project_id, date(2026, 12, 8), date(2026, 12, 19))
    actual = [m["actual"] for m in read(http, SALES, P(launch, "/plan"))["milestones"]]
    assert actual == ["2026-12-08", None, None]
    launch.file_equipment_report(end=date(2026, 12, 18)).open_review(held_on=date(2026, 12, 19))
    actual = [m["actual"] for m in read(http, SALES, P(launch, "/plan"))["milestones"]]
    assert actual == ["2026-12-08", "2026-12-19", None]
    launch.assess_all().conclude()
    launch.go_live(on=date(2026, 12, 22))
    view = read(http, SALES, P(launch, "/plan"))
    assert view["milestones"] == [
        {"name": "trial_start", "planned": "2026-12-07", "actual": "2026-12-08"},
        {"name": "trial_review", "planned": "2026-12-18", "actual": "2026-12-19"},
        {"name": "go_live", "planned": "2026-12-21", "actual": "2026-12-22"},
    ]
    assert {r["ref"]: r["ticket"]["state"] for r in view["current"]["requirements"]} == {
        "R1": "accepted",
        "R2": "accepted",
        "R4": "accepted",
    }


def test_plan_view_before_any_approval(http, tracker):
    launch = Launch(tracker).register()
    view = read(http, AUDITOR, P(launch, "/plan"))
    assert view["versions"] == [] and view["current"] is None and view["dropped"] == []
    assert [(m["name"], m["planned"], m["actual"]) for m in view["milestones"]] == [
        ("trial_start", None, None),
        ("trial_review", None, None),
        ("go_live", None, None),
    ]
    launch.appoint().draft().submit_plan()
    view = read(http, AUDITOR, P(launch, "/plan"))
    assert [(v["plan_version"], v["status"], v["reviews"]) for v in view["versions"]] == [(1, "submitted", [])]
    assert view["current"] is None


# Acceptance view -----------------------------------------------------------------------------------


def due(day: int, month: int = 12) -> dict:
    return {"complete_by": date(2026, month, day), "accept_by": date(2026, 12, 4)}


ACCEPTANCE_PLAN = plan(
    requirement("R1", "hr", **due(30, 11)),
    requirement("R2", "technology", **due(2)),
    requirement("R3", "administration", **due(3)),
    requirement("R4", "system_maintenance", **due(1)),
    requirement("R5", "operations", **due(2)),
    requirement("R6", "technology", **due(30, 11)),
)


def tickets_in_every_state(tracker) -> Launch:
    """R1 accepted, R2 in progress, R3 alternative proposed (no impact), R4 its second
    alternative under review (the first failed), R5 escalated to the branch head, R6 submitted."""
    launch = Launch(tracker).register().appoint().draft(ACCEPTANCE_PLAN).submit_plan().approve_plan()
    launch.issue_tickets()
    t = launch.tickets
    launch.deliver("R1")
    tracker.start_ticket(TECH_LEAD, t["R2"])
    tracker.flag_risk(ADMIN_LEAD, t["R3"], "工位交付延遲")
    tracker.propose_alternative(ADMIN_LEAD, t["R3"], "臨時場地過渡", True, None)
    tracker.flag_risk(SYSMAINT_LEAD, t["R4"], "IVR 供應商延期")
    tracker.propose_alternative(SYSMAINT_LEAD, t["R4"], "人工轉接", False, None)
    tracker.review_alternative(PM, t["R4"], 1, ["system_maintenance"], "failed", "不符合接通率")
    tracker.propose_alternative(SYSMAINT_LEAD, t["R4"], "第二供應商", False, date(2026, 12, 3))
    tracker.start_ticket(OPS_LEAD, t["R5"])
    tracker.flag_risk(OPS_LEAD, t["R5"], "排班人手不足")
    tracker.propose_alternative(OPS_LEAD, t["R5"], "加班排班", True, None)
    tracker.confirm_alternative(PM, t["R5"], 1, True)
    tracker.start_ticket(TECH_LEAD, t["R6"])
    tracker.submit_ticket(TECH_LEAD, t["R6"], "交付記錄")
    return launch


@pytest.mark.backends("sqlite", "postgres")
def test_acceptance_counts_states_departments_and_waiting_alternatives(http, tracker):
    launch = tickets_in_every_state(tracker)
    view = read(http, BRANCH_HEAD, P(launch, "/acceptance"))
    assert view["project_id"] == str(launch.project_id)
    assert view["tickets"] == 6
    assert view["percent_accepted"] == pytest.approx(16.7)
    assert view["by_state"] == {
        "accepted": 1,
        "in_progress": 1,
        "alternative_proposed": 1,
        "alternative_under_review": 1,
        "alternative_escalated": 1,
        "submitted": 1,
    }
    assert view["by_department"] == {
        "administration": {"alternative_proposed": 1},
        "hr": {"accepted": 1},
        "operations": {"alternative_escalated": 1},
        "system_maintenance": {"alternative_under_review": 1},
        "technology": {"in_progress": 1, "submitted": 1},
    }
    assert view["overdue"] == []  # 20 November in Shanghai: nothing is late yet
    waiting = {w["requirement_ref"]: w for w in view["awaiting_decision"]}
    assert set(waiting) == {"R3", "R4", "R5"}
    expected = {
        "R3": (1, "臨時場地過渡", True, "project_manager", "administration"),
        "R4": (2, "第二供應商", False, "project_manager", "system_maintenance"),
        "R5": (1, "加班排班", True, "branch_head", "operations"),
    }
    for ref, (n, description, meets, who, department) in expected.items():
        entry = waiting[ref]
        assert entry["ticket_id"] == str(launch.tickets[ref])
        assert (entry["alternative"], entry["description"], entry["meets_requirements"]) == (n, description, meets)
        assert (entry["waiting_for"], entry["department"]) == (who, department)
        assert datetime.fromisoformat(entry["since"]).tzinfo is not None

    # decisions take them off the list; accepting more raises the percentage
    t = launch.tickets
    tracker.confirm_alternative(PM, t["R3"], 1, False)
    tracker.review_alternative(PM, t["R4"], 2, ["system_maintenance", "technology"], "passed", "可行")
    tracker.approve_alternative(BRANCH_HEAD, t["R5"], 1, "approved", "同意")
    tracker.decide_acceptance(PM, t["R6"], "accepted", all_met(launch.ticket("R6")), "ok")
    view = read(http, PM, P(launch, "/acceptance"))
    assert view["awaiting_decision"] == []
    assert view["by_state"] == {"accepted": 2, "in_progress": 4}
    assert view["percent_accepted"] == pytest.approx(33.3)
    # the passed alternative moved R4's due date
    items = read(http, PM, f"/api/tickets?project={launch.project_id}&state=in_progress")["items"]
    assert {i["requirement_ref"]: i["due"] for i in items} == {
        "R2": "2026-12-02",
        "R3": "2026-12-03",
        "R4": "2026-12-03",
        "R5": "2026-12-02",
    }


def test_overdue_is_judged_by_the_date_in_shanghai(http, tracker, clock):
    launch = tickets_in_every_state(tracker)
    path = P(launch, "/acceptance")

    # 23:59 on 2 December in Shanghai: due today (R2, R5) is not late; R4 (due 1 December) is
    clock.moment = datetime(2026, 12, 2, 15, 59, tzinfo=UTC)
    view = read(http, PM, path)
    assert [(o["requirement_ref"], o["days_overdue"]) for o in view["overdue"]] == [("R4", 1)]
    assert view["overdue"][0] == {
        "ticket_id": str(launch.tickets["R4"]),
        "requirement_ref": "R4",
        "department": "system_maintenance",
        "state": "alternative_under_review",
        "due": "2026-12-01",
        "days_overdue": 1,
        "working_days_left": -1,
    }

    # 00:30 on 3 December in Shanghai, still 2 December in UTC: R2 and R5 are now a day late;
    # R3 (due 3 December) is due today; R6 is submitted and R1 accepted, so neither is late
    clock.moment = datetime(2026, 12, 2, 16, 30, tzinfo=UTC)
    view = read(http, PM, path)
    assert sorted((o["requirement_ref"], o["days_overdue"]) for o in view["overdue"]) == [
        ("R2", 1),
        ("R4", 2),
        ("R5", 1),
    ]
    # the same instant written in Shanghai time gives the same answer
    clock.moment = datetime(2026, 12, 3, 0, 30, tzinfo=SHANGHAI)
    assert read(http, PM, path)["overdue"] == view["overdue"]

    clock.moment = datetime(2026, 12, 10, 12, 0, tzinfo=SHANGHAI)
    overdue = read(http, PM, path)["overdue"]
    late = {o["requirement_ref"]: o["days_overdue"] for o in overdue}
    assert late == {"R2": 8, "R3": 7, "R4": 9, "R5": 8}
    # Thursday 10 December: the weekend of 5–6 December is no working day
    late = {o["requirement_ref"]: o["working_days_left"] for o in overdue}
    assert late == {"R2": -6, "R3": -5, "R4": -7, "R5": -6}


# Go-live view ---------------------------------------------------------------------------------


def gates_of(view: dict) -> dict[str, tuple[bool, str]]:
    assert [g["gate"] for g in view["gates"]] == GATES
    return {g["gate"]: (g["met"], g["why"]) for g in view["gates"]}


def refusal(response) -> tuple[str, str]:
    """The rule and reason of a 409 rule_violated answer."""
    body = response.get_json()
    assert response.status_code == 409, body
    assert body["errors"]["reason"] == "rule_violated"
    return body["errors"]["rule"], body["errors"]["why"]


def start_trial(http, launch: Launch):
    return http.post(PM, P(launch, "/trial"), {"start": "2026-12-07", "planned_end": "2026-12-18"})


def open_review(http, launch: Launch, held_on: str):
    return http.post(PM, P(launch, "/reviews"), {"held_on": held_on, "participants": ["operations", "technology"]})


def review_to_conclusion(http, review_id: str, unmet: tuple[str, ...] = ()) -> str:
    for item in REVIEW_ITEMS:
        body = {"met": item not in unmet, "evidence": f"{item} 證據"}
        assert http.put(PM, f"/api/reviews/{review_id}/items/{item}", body).status_code == 200
    answer = http.post(PM, f"/api/reviews/{review_id}/conclusion", {"summary": "試運營總結"})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["outcome"]


@pytest.mark.backends("sqlite", "postgres")
def test_go_live_gates_give_the_reasons_the_commands_refuse_with(http, tracker):
    launch = Launch(tracker).register().appoint()
    go_live = P(launch, "/go-live")
    view = read(http, SERVICE_MANAGER, go_live)
    assert view["phase"] == "planning" and view["ready"] is False and view["reviews"] == []
    gates = gates_of(view)
    assert gates["plan_approved"] == (False, "no plan version has been approved yet")
    assert gates["tickets_accepted"] == (False, "no approved plan, so no tickets yet")
    assert [name for name, (met, _) in gates.items() if met] == ["corrective_actions_closed"]  # no failed review

    launch.draft().submit_plan().approve_plan().issue_tickets().deliver("R1")
    gates = gates_of(read(http, SERVICE_MANAGER, go_live))
    assert gates["plan_approved"] == (True, "plan version 1 is approved")
    assert gates["tickets_accepted"] == (False, "not yet accepted: R2 (issued)")
    # the start of the trial is refused with exactly the gate's reason
    assert refusal(start_trial(http, launch)) == ("tickets_accepted", gates["tickets_accepted"][1])

    launch.deliver("R2")
    gates = gates_of(read(http, SERVICE_MANAGER, go_live))
    assert gates["tickets_accepted"] == (True, "every current ticket is accepted or cancelled")
    assert refusal(start_trial(http, launch)) == ("manual_approved", gates["manual_approved"][1])
    assert gates["manual_approved"] == (False, "no operations manual has been submitted")
    tracker.submit_manual(SERVICE_MANAGER, launch.project_id, "OM-SH-01", "初稿")
    gates = gates_of(read(http, SERVICE_MANAGER, go_live))
    assert gates["manual_approved"] == (False, "the latest manual draft awaits the PM's review")
    assert refusal(start_trial(http, launch)) == ("manual_approved", gates["manual_approved"][1])
    tracker.review_manual(PM, launch.project_id, "rejected", "缺少升級矩陣")
    gates = gates_of(read(http, SERVICE_MANAGER, go_live))
    assert gates["manual_approved"] == (False, "the latest manual draft was rejected")
    assert refusal(start_trial(http, launch)) == ("manual_approved", gates["manual_approved"][1])
    tracker.submit_manual(SERVICE_MANAGER, launch.project_id, "OM-SH-02", "補充升級矩陣")
    tracker.review_manual(PM, launch.project_id, "approved", "完整")
    gates = gates_of(read(http, SERVICE_MANAGER, go_live))
    assert gates["manual_approved"] == (True, "revision 2 approved")
    assert gates["trial_started"] == (False, "the trial operation has not started")

    assert start_trial(http, launch).status_code == 200
    view = read(http, SERVICE_MANAGER, go_live)
    gates = gates_of(view)
    assert view["phase"] == "trial_operation" and view["ready"] is False
    assert gates["trial_started"] == (True, "trial started 2026-12-07")
    assert gates["equipment_report"] == (False, "system maintenance has not filed the equipment operation report")
    assert refusal(open_review(http, launch, "2026-12-18")) == ("equipment_report", gates["equipment_report"][1])

    # review 1 fails
    launch.file_equipment_report()
    assert gates_of(read(http, SERVICE_MANAGER, go_live))["equipment_report"] == (
        True,
        "equipment operation report filed",
    )
    first = open_review(http, launch, "2026-12-18").get_json()["review_id"]
    view = read(http, SERVICE_MANAGER, go_live)
    assert view["phase"] == "trial_review"
    assert gates_of(view)["review_passed"] == (False, "trial review 1 is not concluded yet")
    assert view["reviews"] == [{"review_id": first, "held_on": "2026-12-18", "outcome": None, "decision": None}]
    assert review_to_conclusion(http, first, unmet=("personnel",)) == "failed"
    view = read(http, SERVICE_MANAGER, go_live)
    assert view["phase"] == "trial_operation"
    assert gates_of(view)["review_passed"] == (False, "trial review 1 failed; another review must pass")
    assert view["reviews"][0]["outcome"] == "failed"
    nonconformity = {
        "description": "夜班不足",
        "corrective_action": "增聘",
        "owner_department": "hr",
        "due": "2026-12-20",
    }
    assert http.post(PM, f"/api/reviews/{first}/nonconformities", nonconformity).status_code == 200
    gates = gates_of(read(http, SERVICE_MANAGER, go_live))
    why = "corrective actions not closed: review 1 action 1 (hr, open, due 2026-12-20)"
    assert gates["corrective_actions_closed"] == (False, why)
    action = f"/api/reviews/{first}/nonconformities/1"
    assert http.post(HR_LEAD, f"{action}/completion", {"evidence": "已增聘"}).status_code == 200
    assert http.post(PM, f"{action}/verification", {"effective": True, "comments": "有效"}).status_code == 200
    gates = gates_of(read(http, SERVICE_MANAGER, go_live))
    assert gates["corrective_actions_closed"] == (True, "every corrective action is closed")

    # review 2 passes; the trial is extended
    second = open_review(http, launch, "2026-12-22").get_json()["review_id"]
    assert review_to_conclusion(http, second) == "passed"
    gates = gates_of(read(http, SERVICE_MANAGER, go_live))
    assert gates["review_passed"] == (True, "trial review 2 passed")
    assert gates["go_live_decision"] == (False, "no go-live decision yet")
    extend = {"decision": "extend_trial", "extend_until": "2026-12-31"}
    assert http.post(BRANCH_HEAD, f"/api/reviews/{second}/decision", extend).status_code == 200
    view = read(http, SERVICE_MANAGER, go_live)
    gates = gates_of(view)
    assert view["ready"] is False
    assert gates["go_live_decision"] == (False, "the trial was extended until 2026-12-31")
    assert gates["equipment_report"][0] is False
    assert refusal(open_review(http, launch, "2026-12-31")) == ("equipment_report", gates["equipment_report"][1])
    assert view["reviews"][1] == {
        "review_id": second,
        "held_on": "2026-12-22",
        "outcome": "passed",
        "decision": {"decision": "extend_trial", "date": "2026-12-31"},
    }

    # a new equipment report, review 3 passes, go-live
    launch.file_equipment_report(end=date(2026, 12, 30))
    third = open_review(http, launch, "2026-12-31").get_json()["review_id"]
    assert not read(http, SERVICE_MANAGER, go_live)["ready"]
    assert review_to_conclusion(http, third) == "passed"
    assert not read(http, SERVICE_MANAGER, go_live)["ready"]
    decision = {"decision": "go_live", "go_live_on": "2027-01-04"}
    assert http.post(BRANCH_HEAD, f"/api/reviews/{third}/decision", decision).status_code == 200
    view = read(http, SERVICE_MANAGER, go_live)
    assert view["phase"] == "live" and view["ready"] is True
    gates = gates_of(view)
    assert all(met for met, _ in gates.values())
    assert gates["review_passed"] == (True, "trial review 3 passed")
    assert gates["go_live_decision"] == (True, "go-live decided for 2027-01-04")
    assert [(r["review_id"], r["held_on"], r["outcome"], r["decision"]) for r in view["reviews"]] == [
        (first, "2026-12-18", "failed", None),
        (second, "2026-12-22", "passed", {"decision": "extend_trial", "date": "2026-12-31"}),
        (third, "2026-12-31", "passed", {"decision": "go_live", "date": "2027-01-04"}),
    ]
    # the plan's milestones: the trial review held first, the go-live decided
    milestones = {m["name"]: m["actual"] for m in read(http, SERVICE_MANAGER, P(launch, "/plan"))["milestones"]}
    assert milestones == {"trial_start": "2026-12-07", "trial_review": "2026-12-18", "go_live": "2027-01-04"}


def test_go_live_gate_during_a_plan_revision(http, tracker):
    launch = Launch(tracker).advance_to("implementation").issue_tickets()
    tracker.revise_plan(PM, launch.project_id, "force_majeure", "颱風")
    gates = gates_of(read(http, AUDITOR, P(launch, "/go-live")))
    assert gates["plan_approved"] == (False, "a plan revision is in progress and not yet approved")


def test_the_demo_hotline_live_after_its_passed_trial_review(http, tracker):
    from demo import hotline

    project_id = hotline.load(tracker)
    view = read(http, AUDITOR, f"/api/projects/{project_id}/go-live")
    assert view["phase"] == "live" and view["ready"]
    assert [g["gate"] for g in view["gates"] if g["met"]] == GATES
    assert [(r["outcome"], r["decision"]) for r in view["reviews"]] == [
        ("passed", {"decision": "go_live", "date": "2026-12-21"})
    ]
    assert [p["period_end"] for p in view["trial_kpis"]["periods"]] == ["2026-12-13", "2026-12-18"]
    acceptance = read(http, AUDITOR, f"/api/projects/{project_id}/acceptance")
    assert acceptance["percent_accepted"] == 100.0 and acceptance["by_state"] == {"accepted": 4}
    current = read(http, AUDITOR, f"/api/projects/{project_id}/plan")["current"]
    assert {r["ref"]: r["ticket"]["state"] for r in current["requirements"]} == dict.fromkeys(
        ("R1", "R2", "R3", "R4"), "accepted"
    )


# Who may read, unknown projects ---------------------------------------------------------------

VIEWS = ("/plan", "/acceptance", "/go-live")


@pytest.mark.parametrize("view", VIEWS)
def test_unknown_project_is_404(http, view):
    for ident in (uuid4(), "not-a-uuid"):
        response = http.get(AUDITOR, f"/api/projects/{ident}{view}")
        assert response.status_code == 404
        assert response.get_json()["code"] == 404


@pytest.mark.parametrize("view", VIEWS)
def test_a_ticket_or_review_id_is_not_a_project(http, tracker, view):
    launch = Launch(tracker).advance_to("trial_review")
    for ident in (launch.tickets["R1"], launch.review_id):
        assert http.get(AUDITOR, f"/api/projects/{ident}{view}").status_code == 404


@pytest.mark.parametrize("view", VIEWS)
def test_views_need_a_token(http, tracker, view):
    launch = Launch(tracker).advance_to("planning")
    response = http.get(None, P(launch, view))
    assert response.status_code == 401
    assert response.get_json()["code"] == 401


def test_every_signed_in_role_may_read_the_views(http, tracker):
    launch = Launch(tracker).advance_to("trial_operation")
    for actor in (*EVERYONE, *LEADS.values(), DIRECTOR):
        for view in VIEWS:
            response = http.get(actor, P(launch, view))
            assert response.status_code == 200, (actor, view, response.get_json())


def test_after_must_be_a_position(http, tracker):
    launch = Launch(tracker).advance_to("planning")
    for bad in ("-1", "x", str(2**63)):
        response = http.get(AUDITOR, P(launch, f"/plan?after={bad}"))
        assert response.status_code == 422, bad
        assert "after" in str(response.get_json()["errors"])
