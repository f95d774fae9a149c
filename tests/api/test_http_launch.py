"""The whole launch through HTTP only, intake to live, with every branch of the workflow.

Nothing here calls the application service: every step is a request with a JSON body
named as in API.md, dates as ISO strings and Chinese text as the users write it. The
story runs on SQLite and on PostgreSQL. Along the way every command answers ``version``
and a strictly increasing ``position``, every aggregate read carries ``ETag: "<version>"``,
and the history endpoints tell who did what.
"""

from __future__ import annotations

from typing import Any

import pytest

from demo.workflow import (
    ADMIN_LEAD,
    AUDITOR,
    BRANCH_HEAD,
    DIRECTOR,
    HR_LEAD,
    OPS_LEAD,
    PM,
    SALES,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    TECH_LEAD,
)
from domain.gates import REVIEW_ITEMS

LEADS = {lead.department: lead for lead in (HR_LEAD, TECH_LEAD, ADMIN_LEAD, SYSMAINT_LEAD, OPS_LEAD)}

NAME = "上海應急熱線"
CUSTOMER = "上海市應急管理服務中心"
SERVICE = {
    "channels": ["inbound_hotline", "online_chat"],
    "days_per_week": 7,
    "daily_start": "09:00",
    "daily_end": "18:00",
    "seats": 25,
    "languages": ["普通話", "粵語"],
}
INTAKE_REQUIREMENTS = [
    {"kind": "customer", "text": "接通率 ≥ 95 %，20 秒內接通 80 %", "source": "服務合同 第三條"},
    {"kind": "implicit", "text": "通話錄音保存一個月", "source": "項目需求單"},
    {"kind": "legal", "text": "客戶資料保密（個人信息保護法）", "source": "服務合同 第九條"},
]
SOURCES = [
    {"kind": "contract", "reference": "服務合同 HT-2026-118"},
    {"kind": "requirement_list", "reference": "項目需求單 XQ-07"},
]


def requirement(ref: str, department: str, title: str, *criteria: str) -> dict[str, Any]:
    return {
        "ref": ref,
        "title": title,
        "department": department,
        "complete_by": "2026-12-02",
        "accept_by": "2026-12-04",
        "acceptance_criteria": list(criteria),
    }


R1 = requirement("R1", "hr", "招聘並培訓 25 名客服代表", "28 人到崗", "培訓考核通過")
R2 = requirement("R2", "technology", "27 套耳機及 IP 軟電話", "設備到位並測試")
R3 = requirement("R3", "system_maintenance", "IVR 流程上線", "IVR 按流程圖運行")
R4 = requirement("R4", "operations", "排班表及質檢流程", "排班覆蓋 7×8 小時")
R5 = requirement("R5", "administration", "場地及工位", "30 個工位可用")
R6 = requirement("R6", "technology", "錄音保存一個月並可 FTP 導出", "錄音可檢索", "FTP 導出成功")


def plan_body(*requirements: dict[str, Any]) -> dict[str, Any]:
    return {
        "positions": [
            {"title": "客服代表", "headcount": 25, "qualifications": "普通話二級甲等", "duties": "接聽熱線"},
            {"title": "班長", "headcount": 2, "qualifications": "兩年經驗", "duties": "排班及現場管理"},
            {"title": "質檢員", "headcount": 1, "qualifications": "質檢經驗", "duties": "錄音抽檢"},
        ],
        "hardware": ["27 套耳機", "IP 軟電話"],
        "software": ["IVR", "錄音系統"],
        "manual": {"requirements": "呼叫流程、話術、升級矩陣", "due": "2026-12-04"},
        "requirements": list(requirements),
        "trial_start": "2026-12-07",
        "trial_review": "2026-12-18",
        "go_live": "2026-12-21",
    }


PLAN_V1 = plan_body(R1, R2, R3, R4, R5)
PLAN_V3 = plan_body(R1, R2, R3, R4, R6)


class Story:
    """Sends the story's requests and checks what every answer must carry."""

    def __init__(self, http) -> None:
        self.http = http
        self.positions: list[int] = []

    def command(self, method: str, actor, path: str, body: Any = None, status: int = 200, **kw) -> dict[str, Any]:
        response = self.http.call(method, actor, path, json=body, **kw)
        answer = response.get_json()
        assert response.status_code == status, answer
        assert isinstance(answer["version"], int) and answer["version"] >= 1
        assert isinstance(answer["position"], int)
        if self.positions:
            assert answer["position"] > self.positions[-1], "positions must strictly increase"
        self.positions.append(answer["position"])
        return answer

    def post(self, actor, path: str, body: Any = None, status: int = 200, **kw) -> dict[str, Any]:
        return self.command("POST", actor, path, body, status, **kw)

    def put(self, actor, path: str, body: Any = None, status: int = 200, **kw) -> dict[str, Any]:
        return self.command("PUT", actor, path, body, status, **kw)

    def read(self, path: str, actor=AUDITOR, **kw) -> dict[str, Any]:
        """An aggregate read: 200, and its ETag is its quoted version."""
        response = self.http.get(actor, path, **kw)
        state = response.get_json()
        assert response.status_code == 200, state
        assert response.headers["ETag"] == f'"{state["version"]}"'
        return state

    def history(self, path: str) -> list[dict[str, Any]]:
        response = self.http.get(AUDITOR, f"{path}/history")
        assert response.status_code == 200, response.get_json()
        items = response.get_json()["items"]
        assert [e["version"] for e in items] == list(range(1, len(items) + 1))
        for event in items:
            assert {"type", "version", "time", "actor", "role", "data"} <= event.keys()
            assert isinstance(event["data"], dict)
        return items

    def refused(self, method: str, actor, path: str, body: Any, status: int, reason: str) -> dict[str, Any]:
        response = self.http.call(method, actor, path, json=body)
        answer = response.get_json()
        assert response.status_code == status, answer
        assert answer["errors"]["reason"] == reason
        return answer


# --- the parts of the story -------------------------------------------------------


def intake_and_appointment(story: Story, code: str = "SH-HOTLINE-2026") -> str:
    created = story.post(
        SALES,
        "/api/projects",
        {
            "code": code,
            "name": NAME,
            "customer": CUSTOMER,
            "service": SERVICE,
            "requirements": INTAKE_REQUIREMENTS,
            "sources": SOURCES,
        },
        status=201,
    )
    assert (created["version"], created["phase"]) == (1, "intake")
    pid = created["id"]
    appointed = story.post(
        DIRECTOR,
        f"/api/projects/{pid}/appointment",
        {"project_manager": PM.user, "letter_reference": "任命書 RM-2026-045"},
    )
    assert (appointed["version"], appointed["phase"]) == (2, "planning")
    return pid


def plan_rejected_then_approved(story: Story, pid: str) -> None:
    first = story.put(PM, f"/api/projects/{pid}/plan", PLAN_V1)
    assert first["plan_version"] == 1
    story.post(PM, f"/api/projects/{pid}/plan/submission")
    rejected = story.post(
        PM,
        f"/api/projects/{pid}/plan/review",
        {"participants": ["hr", "technology"], "outcome": "rejected", "comments": "週末人手不足，請補充排班"},
    )
    assert rejected["phase"] == "planning"

    project = story.read(f"/api/projects/{pid}")
    second = story.put(PM, f"/api/projects/{pid}/plan", PLAN_V1, if_match=project["version"])
    assert second["plan_version"] == 2
    story.post(PM, f"/api/projects/{pid}/plan/submission", if_match=second["version"])
    approved = story.post(
        PM,
        f"/api/projects/{pid}/plan/review",
        {
            "participants": ["hr", "technology", "system_maintenance", "operations", "administration"],
            "outcome": "approved",
            "comments": "同意",
        },
    )
    assert approved["phase"] == "implementation"
    plans = story.read(f"/api/projects/{pid}")["plans"]
    assert [(p["plan_version"], p["status"]) for p in plans] == [(1, "rejected"), (2, "approved")]


def issue_tickets(story: Story, pid: str, body: dict[str, Any], expected: list[str]) -> dict[str, str]:
    issued = story.post(PM, f"/api/projects/{pid}/tickets", body, status=201)
    refs = {item["requirement_ref"]: item for item in issued["items"]}
    assert sorted(refs) == expected
    for item in issued["items"]:
        ticket = story.read(f"/api/tickets/{item['id']}")
        assert (ticket["state"], ticket["department"]) == ("issued", item["department"])
    return {ref: item["id"] for ref, item in refs.items()}


def ticket_path(tickets: dict[str, str], ref: str, step: str = "") -> str:
    return f"/api/tickets/{tickets[ref]}{step}"


def step(story: Story, actor, path: str, body: Any = None, state: str | None = None, status: int = 200) -> dict:
    answer = story.post(actor, path, body, status=status)
    if state is not None:
        assert answer["state"] == state
    return answer


def all_met(criteria: list[str]) -> list[dict[str, Any]]:
    return [{"criterion": c, "met": True, "note": "已核對"} for c in criteria]


def submit_and_accept(story: Story, tickets: dict[str, str], ref: str, evidence: str) -> None:
    ticket = story.read(ticket_path(tickets, ref))
    lead = LEADS[ticket["department"]]
    step(story, lead, ticket_path(tickets, ref, "/submission"), {"evidence": evidence}, "submitted")
    step(
        story,
        PM,
        ticket_path(tickets, ref, "/acceptance"),
        {"outcome": "accepted", "criteria": all_met(ticket["acceptance_criteria"]), "comments": "驗收通過"},
        "accepted",
    )


def r1_returned_then_accepted(story: Story, tickets: dict[str, str]) -> None:
    step(story, HR_LEAD, ticket_path(tickets, "R1", "/start"), None, "in_progress")
    step(story, HR_LEAD, ticket_path(tickets, "R1", "/submission"), {"evidence": "到崗名單 25 人"}, "submitted")
    step(
        story,
        PM,
        ticket_path(tickets, "R1", "/acceptance"),
        {
            "outcome": "returned",
            "criteria": [
                {"criterion": "28 人到崗", "met": False, "note": "只有 25 人"},
                {"criterion": "培訓考核通過", "met": True, "note": ""},
            ],
            "comments": "還差 3 人",
        },
        "in_progress",
    )
    submit_and_accept(story, tickets, "R1", "到崗名單 28 人，考核成績單")
    acceptances = story.read(ticket_path(tickets, "R1"))["acceptances"]
    assert [a["outcome"] for a in acceptances] == ["returned", "accepted"]


def r2_alternative_fails_review_then_passes(story: Story, tickets: dict[str, str]) -> None:
    """Risk → alternative that does not meet the requirements → review failed → a new one passes."""
    step(story, TECH_LEAD, ticket_path(tickets, "R2", "/start"), None, "in_progress")
    step(story, TECH_LEAD, ticket_path(tickets, "R2", "/risk"), {"reason": "耳機供應商延遲交貨"}, "at_risk")
    first = step(
        story,
        TECH_LEAD,
        ticket_path(tickets, "R2", "/alternatives"),
        {"description": "先用 15 套舊耳機", "meets_requirements": False},
        "alternative_under_review",
        status=201,
    )
    assert first["alternative"] == 1
    step(
        story,
        PM,
        ticket_path(tickets, "R2", "/alternatives/1/review"),
        {"participants": ["technology", "operations"], "outcome": "failed", "comments": "座席不足"},
        "at_risk",
    )


def r2_second_alternative(story: Story, tickets: dict[str, str]) -> None:
    second = step(
        story,
        TECH_LEAD,
        ticket_path(tickets, "R2", "/alternatives"),
        {"description": "向另一供應商採購 27 套", "meets_requirements": False, "new_due": "2026-12-03"},
        "alternative_under_review",
        status=201,
    )
    assert second["alternative"] == 2
    step(
        story,
        PM,
        ticket_path(tickets, "R2", "/alternatives/2/review"),
        {"participants": ["technology", "operations"], "outcome": "passed", "comments": "可接受"},
        "in_progress",
    )
    ticket = story.read(ticket_path(tickets, "R2"))
    assert ticket["due"] == "2026-12-03"
    assert [a["status"] for a in ticket["alternatives"]] == ["failed", "passed"]
    submit_and_accept(story, tickets, "R2", "設備驗收單")


def r3_escalation_rejected_then_approved(story: Story, tickets: dict[str, str]) -> None:
    """Risk → alternative meeting the requirements → escalated → rejected → a new one approved."""
    step(story, SYSMAINT_LEAD, ticket_path(tickets, "R3", "/start"), None, "in_progress")
    step(story, SYSMAINT_LEAD, ticket_path(tickets, "R3", "/risk"), {"reason": "IVR 廠商排期衝突"}, "at_risk")
    for n, outcome, after in ((1, "rejected", "at_risk"), (2, "approved", "in_progress")):
        proposed = step(
            story,
            SYSMAINT_LEAD,
            ticket_path(tickets, "R3", "/alternatives"),
            {"description": f"方案 {n}：改用雲端 IVR", "meets_requirements": True},
            "alternative_proposed",
            status=201,
        )
        assert proposed["alternative"] == n
        step(
            story,
            PM,
            ticket_path(tickets, "R3", f"/alternatives/{n}/confirmation"),
            {"escalate": True},
            "alternative_escalated",
        )
        step(
            story,
            BRANCH_HEAD,
            ticket_path(tickets, "R3", f"/alternatives/{n}/approval"),
            {"outcome": outcome, "comments": "費用過高" if outcome == "rejected" else "同意"},
            after,
        )
    submit_and_accept(story, tickets, "R3", "IVR 測試報告")


def r4_plain_confirmation(story: Story, tickets: dict[str, str]) -> None:
    step(story, OPS_LEAD, ticket_path(tickets, "R4", "/risk"), {"reason": "質檢員尚未到位"}, "at_risk")
    step(
        story,
        OPS_LEAD,
        ticket_path(tickets, "R4", "/alternatives"),
        {"description": "班長兼任質檢兩週", "meets_requirements": True},
        "alternative_proposed",
        status=201,
    )
    step(story, PM, ticket_path(tickets, "R4", "/alternatives/1/confirmation"), {"escalate": False}, "in_progress")
    submit_and_accept(story, tickets, "R4", "排班表 v2")


def plan_revision(story: Story, pid: str, tickets: dict[str, str]) -> None:
    """A customer change: R5 dropped (its ticket cancelled), R6 added (a new ticket)."""
    story.post(
        SALES,
        f"/api/projects/{pid}/requirement-changes",
        {
            "description": "客戶自行提供場地；新增錄音 FTP 導出",
            "review_outcome": "accepted",
            "reference": "變更單 BG-01",
        },
    )
    revising = story.post(
        PM, f"/api/projects/{pid}/plan/revision", {"trigger": "customer_change", "reason": "客戶需求變更 BG-01"}
    )
    assert revising["phase"] == "planning"
    # Work on kept requirements carries on while the plan is revised.
    r3_escalation_rejected_then_approved(story, tickets)

    drafted = story.put(PM, f"/api/projects/{pid}/plan", PLAN_V3)
    assert drafted["plan_version"] == 3
    story.post(PM, f"/api/projects/{pid}/plan/submission")
    approved = story.post(
        PM,
        f"/api/projects/{pid}/plan/review",
        {"participants": ["technology", "administration"], "outcome": "approved", "comments": "變更同意"},
    )
    assert (approved["added"], approved["dropped"], approved["changed"]) == (["R6"], ["R5"], [])
    assert approved["phase"] == "implementation"
    dropped = story.read(ticket_path(tickets, "R5"))
    assert dropped["state"] == "cancelled"
    assert dropped["cancellation"]["previous_state"] == "in_progress"
    assert story.read(ticket_path(tickets, "R1"))["state"] == "accepted"
    plans = story.read(f"/api/projects/{pid}")["plans"]
    assert [p["status"] for p in plans] == ["rejected", "superseded", "approved"]

    tickets.update(issue_tickets(story, pid, {"requirement_refs": ["R6"]}, ["R6"]))
    step(story, TECH_LEAD, ticket_path(tickets, "R6", "/start"), None, "in_progress")
    submit_and_accept(story, tickets, "R6", "FTP 導出記錄")


def manual_rejected_then_approved(story: Story, pid: str) -> None:
    first = story.put(
        SERVICE_MANAGER, f"/api/projects/{pid}/manual", {"document_reference": "OM-SH-01", "revision_note": "初稿"}
    )
    assert first["revision"] == 1
    story.post(PM, f"/api/projects/{pid}/manual/review", {"outcome": "rejected", "comments": "缺少升級矩陣"})
    second = story.put(
        SERVICE_MANAGER,
        f"/api/projects/{pid}/manual",
        {"document_reference": "OM-SH-02", "revision_note": "補充升級矩陣"},
    )
    assert second["revision"] == 2
    story.post(PM, f"/api/projects/{pid}/manual/review", {"outcome": "approved", "comments": "完整"})
    manual = story.read(f"/api/projects/{pid}")["manual"]
    assert manual["status"] == "approved"
    assert [r["review"]["outcome"] for r in manual["revisions"]] == ["rejected", "approved"]


def trial_records(story: Story, pid: str) -> None:
    story.post(
        SERVICE_MANAGER,
        f"/api/projects/{pid}/trial/audits",
        {"held_on": "2026-12-09", "findings": ["話術未按新版更新"], "conforming": False},
    )
    story.post(
        SERVICE_MANAGER,
        f"/api/projects/{pid}/trial/audits",
        {"held_on": "2026-12-11", "findings": [], "conforming": True},
    )
    story.post(
        SALES,
        f"/api/projects/{pid}/trial/feedback",
        {"received_on": "2026-12-10", "summary": "客戶反映高峰期等待時間過長"},
    )
    story.post(
        PM,
        f"/api/projects/{pid}/trial/improvements",
        {
            "problem": "高峰期排隊",
            "measure": "午間加開 3 個座席",
            "owner_department": "operations",
            "due": "2026-12-14",
        },
    )
    equipment_report(story, pid, "2026-12-07", "2026-12-17", "系統運行穩定，無中斷")


def equipment_report(story: Story, pid: str, start: str, end: str, summary: str) -> None:
    story.post(
        SYSMAINT_LEAD,
        f"/api/projects/{pid}/trial/equipment-report",
        {"period_start": start, "period_end": end, "summary": summary},
    )


def trial_review(story: Story, pid: str, held_on: str, unmet: tuple[str, ...] = ()) -> tuple[str, str]:
    """Open a review, assess the eight items, conclude; answer the review id and outcome."""
    opened = story.post(
        PM,
        f"/api/projects/{pid}/reviews",
        {"held_on": held_on, "participants": ["operations", "technology", "hr"]},
        status=201,
    )
    rid = opened["review_id"]
    assert opened["id"] == rid and opened["version"] == 1
    assert story.read(f"/api/projects/{pid}")["phase"] == "trial_review"
    for item in REVIEW_ITEMS:
        met = item not in unmet
        story.put(
            PM, f"/api/reviews/{rid}/items/{item}", {"met": met, "evidence": f"{item}：{'符合' if met else '不符合'}"}
        )
    concluded = story.post(PM, f"/api/reviews/{rid}/conclusion", {"summary": f"{held_on} 評審"})
    review = story.read(f"/api/reviews/{rid}")
    assert review["outcome"] == concluded["outcome"]
    return rid, concluded["outcome"]


def trial_to_live(story: Story, pid: str) -> list[str]:
    started = story.post(PM, f"/api/projects/{pid}/trial", {"start": "2026-12-07", "planned_end": "2026-12-18"})
    assert started["phase"] == "trial_operation"
    trial_records(story, pid)

    # 1. the first review fails: nonconformity, the trial continues
    first, outcome = trial_review(story, pid, "2026-12-18", unmet=("personnel",))
    assert outcome == "failed"
    assert story.read(f"/api/projects/{pid}")["phase"] == "trial_operation"
    recorded = story.post(
        PM,
        f"/api/reviews/{first}/nonconformities",
        {
            "description": "夜班人員不足",
            "corrective_action": "增聘 2 名客服代表",
            "owner_department": "hr",
            "due": "2026-12-20",
        },
    )
    assert recorded["nonconformity"] == 1
    action = f"/api/reviews/{first}/nonconformities/1"
    assert story.post(HR_LEAD, f"{action}/completion", {"evidence": "已到崗 2 人"})["state"] == "done"
    verified = story.post(PM, f"{action}/verification", {"effective": True, "comments": "夜班已足額"})
    assert verified["state"] == "closed"

    # 2. the second review passes; the branch head extends the trial
    second, outcome = trial_review(story, pid, "2026-12-21")
    assert outcome == "passed"
    extended = story.post(
        BRANCH_HEAD, f"/api/reviews/{second}/decision", {"decision": "extend_trial", "extend_until": "2026-12-31"}
    )
    assert extended["phase"] == "trial_operation"
    assert story.read(f"/api/projects/{pid}")["trial"]["planned_end"] == "2026-12-31"

    # 3. the next review needs an equipment report filed after the extension
    refused = story.refused(
        "POST",
        PM,
        f"/api/projects/{pid}/reviews",
        {"held_on": "2026-12-31", "participants": ["operations"]},
        409,
        "rule_violated",
    )
    assert refused["errors"]["rule"] == "equipment_report"
    equipment_report(story, pid, "2026-12-21", "2026-12-30", "延長期內運行穩定")

    # 4. the third review passes; the branch head takes it live
    third, outcome = trial_review(story, pid, "2026-12-31")
    assert outcome == "passed"
    live = story.post(
        BRANCH_HEAD, f"/api/reviews/{third}/decision", {"decision": "go_live", "go_live_on": "2027-01-04"}
    )
    assert live["phase"] == "live"
    return [first, second, third]


# --- the tests ------------------------------------------------------------------------


@pytest.mark.backends("sqlite", "postgres")
def test_whole_launch_over_http_from_intake_to_live(http):
    story = Story(http)
    pid = intake_and_appointment(story)

    project = story.read(f"/api/projects/{pid}")
    assert (project["name"], project["customer"]) == (NAME, CUSTOMER)
    assert project["service"] == SERVICE
    assert project["requirements"] == INTAKE_REQUIREMENTS
    assert project["sources"] == SOURCES
    raw = http.get(AUDITOR, f"/api/projects/{pid}").get_data()
    assert NAME.encode() in raw and CUSTOMER.encode() in raw, "Chinese is sent as UTF-8, not escaped"

    plan_rejected_then_approved(story, pid)
    tickets = issue_tickets(story, pid, {}, ["R1", "R2", "R3", "R4", "R5"])
    story.post(
        PM,
        f"/api/projects/{pid}/meetings",
        {"held_on": "2026-11-25", "participants": ["技術部", "人事部"], "decisions": ["耳機改由技術部採購"]},
    )
    r1_returned_then_accepted(story, tickets)
    r2_alternative_fails_review_then_passes(story, tickets)
    step(story, ADMIN_LEAD, ticket_path(tickets, "R5", "/start"), None, "in_progress")
    plan_revision(story, pid, tickets)
    r2_second_alternative(story, tickets)
    r4_plain_confirmation(story, tickets)
    manual_rejected_then_approved(story, pid)
    reviews = trial_to_live(story, pid)

    # The project as it ends: live, every ticket with its state, Chinese unchanged.
    project = story.read(f"/api/projects/{pid}")
    assert project["phase"] == "live"
    assert project["went_live_on"] == "2027-01-04"
    assert (project["name"], project["customer"], project["service"]) == (NAME, CUSTOMER, SERVICE)
    assert project["requirements"] == INTAKE_REQUIREMENTS
    assert project["meetings"][0]["decisions"] == ["耳機改由技術部採購"]
    assert all(set(t) == {"id", "requirement_ref", "department", "state"} for t in project["tickets"])
    assert {t["requirement_ref"]: (t["id"], t["department"], t["state"]) for t in project["tickets"]} == {
        "R1": (tickets["R1"], "hr", "accepted"),
        "R2": (tickets["R2"], "technology", "accepted"),
        "R3": (tickets["R3"], "system_maintenance", "accepted"),
        "R4": (tickets["R4"], "operations", "accepted"),
        "R5": (tickets["R5"], "administration", "cancelled"),
        "R6": (tickets["R6"], "technology", "accepted"),
    }
    assert [(r["outcome"], (r["decision"] or {}).get("decision")) for r in project["reviews"]] == [
        ("failed", None),
        ("passed", "extend_trial"),
        ("passed", "go_live"),
    ]

    # Histories: who did what, in order.
    events = story.history(f"/api/projects/{pid}")
    assert len(events) == project["version"]
    assert (events[0]["type"], events[0]["actor"], events[0]["role"]) == ("Registered", SALES.user, "sales")
    assert events[0]["data"]["name"] == NAME
    assert events[0]["data"]["service"] == SERVICE
    assert (events[-1]["type"], events[-1]["actor"], events[-1]["role"]) == (
        "WentLive",
        BRANCH_HEAD.user,
        "branch_head",
    )
    types = [e["type"] for e in events]
    for expected in (
        "ProjectManagerAppointed",
        "PlanRejected",
        "TicketsIssued",
        "RequirementChangeRecorded",
        "PlanRevisionStarted",
        "TicketsWithdrawn",
        "ManualRejected",
        "ManualApproved",
        "TrialStarted",
        "ProcessAuditRecorded",
        "CustomerFeedbackRelayed",
        "ImprovementRecorded",
        "EquipmentReportFiled",
        "TrialReviewConcluded",
        "TrialExtended",
    ):
        assert expected in types
    assert types.count("PlanApproved") == 2
    assert types.count("TrialReviewOpened") == 3

    r3 = story.history(ticket_path(tickets, "R3"))
    assert [(e["type"], e["role"]) for e in r3] == [
        ("Issued", "project_manager"),
        ("Started", "department_lead"),
        ("RiskFlagged", "department_lead"),
        ("AlternativeProposed", "department_lead"),
        ("AlternativeEscalated", "project_manager"),
        ("AlternativeRejected", "branch_head"),
        ("AlternativeProposed", "department_lead"),
        ("AlternativeEscalated", "project_manager"),
        ("AlternativeApproved", "branch_head"),
        ("SubmittedForAcceptance", "department_lead"),
        ("TicketAccepted", "project_manager"),
    ]
    assert r3[5]["data"]["comments"] == "費用過高"
    assert r3[1]["department"] == "system_maintenance"
    assert story.read(ticket_path(tickets, "R3"))["version"] == len(r3)

    r5 = story.history(ticket_path(tickets, "R5"))
    assert [e["type"] for e in r5] == ["Issued", "Started", "TicketCancelled"]

    first = story.history(f"/api/reviews/{reviews[0]}")
    assert [e["type"] for e in first] == ["Opened"] + ["ItemAssessed"] * 8 + [
        "Concluded",
        "NonconformityRecorded",
        "CorrectiveActionCompleted",
        "CorrectiveActionVerified",
    ]
    assert first[9]["data"]["unmet"] == ["personnel"]
    last = story.history(f"/api/reviews/{reviews[2]}")
    assert (last[-1]["type"], last[-1]["data"]["decision"], last[-1]["data"]["on"]) == (
        "DecisionMade",
        "go_live",
        "2027-01-04",
    )
    assert story.read(f"/api/reviews/{reviews[2]}")["state"] == "decided"


@pytest.mark.backends()
def test_operations_director_cancels_a_project_over_http(http):
    story = Story(http)
    pid = intake_and_appointment(story, code="SH-CANCELLED")
    story.put(PM, f"/api/projects/{pid}/plan", plan_body(R1, R2))
    story.post(PM, f"/api/projects/{pid}/plan/submission")
    story.post(PM, f"/api/projects/{pid}/plan/review", {"participants": ["hr"], "outcome": "approved", "comments": ""})
    tickets = issue_tickets(story, pid, {}, ["R1", "R2"])
    step(story, HR_LEAD, ticket_path(tickets, "R1", "/start"), None, "in_progress")
    submit_and_accept(story, tickets, "R1", "到崗名單")
    step(story, TECH_LEAD, ticket_path(tickets, "R2", "/start"), None, "in_progress")

    # Only the operations director may cancel, and only with a reason.
    refused = http.post(PM, f"/api/projects/{pid}/cancellation", json={"reason": "客戶撤回"})
    assert refused.status_code == 403
    blank = http.post(DIRECTOR, f"/api/projects/{pid}/cancellation", json={"reason": " "})
    assert (blank.status_code, list(blank.get_json()["errors"])) == (422, ["reason"])

    cancelled = story.post(DIRECTOR, f"/api/projects/{pid}/cancellation", {"reason": "客戶撤回招標"})
    assert cancelled["phase"] == "cancelled"
    project = story.read(f"/api/projects/{pid}")
    assert project["phase"] == "cancelled"
    assert project["cancellation"] == {"reason": "客戶撤回招標", "previous_phase": "implementation"}
    assert project["allowed_steps"] == []
    states = {t["requirement_ref"]: t["state"] for t in project["tickets"]}
    assert states == {"R1": "accepted", "R2": "cancelled"}
    r2 = story.read(ticket_path(tickets, "R2"))
    assert r2["cancellation"] == {"reason": "project cancelled: 客戶撤回招標", "previous_state": "in_progress"}
    history = story.history(f"/api/projects/{pid}")
    assert (history[-1]["type"], history[-1]["actor"], history[-1]["data"]["reason"]) == (
        "ProjectCancelled",
        DIRECTOR.user,
        "客戶撤回招標",
    )
    assert history[-1]["data"]["tickets_cancelled"] == [tickets["R2"]]

    # A cancelled project takes no further step.
    again = story.refused(
        "POST", DIRECTOR, f"/api/projects/{pid}/cancellation", {"reason": "再次"}, 409, "invalid_transition"
    )
    assert (again["errors"]["current"], again["errors"]["allowed"]) == ("cancelled", [])
    story.refused(
        "POST",
        SALES,
        f"/api/projects/{pid}/requirement-changes",
        {"description": "新需求", "review_outcome": "accepted", "reference": "BG-02"},
        409,
        "invalid_transition",
    )
    assert story.history(f"/api/projects/{pid}") == history
