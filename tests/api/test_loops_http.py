"""Closing the loops over HTTP (API.md "Closing the loops …"): corrective actions and improvement
measures done by their owner department's lead and verified by the PM, the gate
``corrective_actions_closed`` on the second review and on go-live, the open ones on the department
boards; and the small reads beside them (the project's reviews, ``by_state``, ``as_of`` as a date,
``?q=``)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from demo.workflow import (
    AUDITOR,
    BRANCH_HEAD,
    HR_LEAD,
    OPS_LEAD,
    PM,
    REQUIREMENTS,
    SALES,
    SERVICE,
    SOURCES,
    SYSMAINT_LEAD,
    Launch,
    stored,
)
from tests.api.test_views_plan_acceptance_golive import V3, revised_launch
from tests.api.views_support import SHANGHAI, Clock, read, running_app
from tests.trial_helpers import concluded, record_improvement, record_nonconformity

pytestmark = pytest.mark.backends("sqlite", "postgres")


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 12, 22, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture
def app(database_url, clock):
    with running_app(database_url, clock) as app:
        yield app


def refused(http, who, path: str, body: dict, status: int, *aggregates) -> dict:
    """A refused command: its status, and nothing recorded on any of ``aggregates``."""
    tracker = http.client.application.extensions["tracker"]
    before = [stored(tracker, ident) for ident in aggregates]
    answer = http.post(who, path, body)
    assert answer.status_code == status, answer.get_json()
    assert [stored(tracker, ident) for ident in aggregates] == before
    return answer.get_json()


def ok(http, who, path: str, body: dict) -> dict:
    answer = http.post(who, path, body)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_a_corrective_action_closes_only_when_verified_effective_and_holds_the_next_review(http, tracker):
    launch = concluded(tracker, unmet=("equipment",))
    first = launch.review_id
    record_nonconformity(tracker, first)  # system maintenance, due 2026-12-20
    action = f"/api/reviews/{first}/nonconformities/1"

    # the overdue action is on system maintenance's board, and only there
    board = read(http, SYSMAINT_LEAD, "/api/departments/system_maintenance/tickets")
    assert [(a["kind"], a["n"], a["state"], a["due"], a["overdue"], a["days_left"]) for a in board["actions"]] == [
        ("corrective_action", 1, "open", "2026-12-20", True, -2)
    ]
    assert board["actions"][0]["review_id"] == str(first) and board["actions"][0]["project_code"] == "SH-HOTLINE"
    assert read(http, HR_LEAD, "/api/departments/hr/tickets")["actions"] == []

    # a lead of another department may not record it done; the PM may not verify it before
    assert refused(http, HR_LEAD, f"{action}/completion", {"evidence": "不是我們的"}, 403, first)["code"] == 403
    body = refused(http, PM, f"{action}/verification", {"effective": True, "comments": "太早"}, 409, first)
    assert body["errors"]["reason"] == "invalid_transition"

    assert (
        ok(http, SYSMAINT_LEAD, f"{action}/completion", {"evidence": "IVR 分支已修正，測試記錄 T-1"})["state"] == "done"
    )
    assert read(http, SYSMAINT_LEAD, "/api/departments/system_maintenance/tickets")["actions"] == []  # done: not owed
    no_due = refused(http, PM, f"{action}/verification", {"effective": False, "comments": "仍有掉線"}, 422, first)
    assert "new_due" in no_due["errors"]
    reopened = ok(
        http, PM, f"{action}/verification", {"effective": False, "comments": "仍有掉線", "new_due": "2026-12-28"}
    )
    assert (reopened["state"], reopened["due"]) == ("reopened", "2026-12-28")

    # the second review cannot pass while the action is open; the review stays open
    launch.file_equipment_report(date(2026, 12, 21))
    launch.open_review(date(2026, 12, 22)).assess_all()
    second = launch.review_id
    body = refused(http, PM, f"/api/reviews/{second}/conclusion", {"summary": "全部符合"}, 409, second, first)
    assert (body["errors"]["reason"], body["errors"]["rule"]) == ("rule_violated", "corrective_actions_closed")
    assert "review 1 action 1 (system_maintenance, reopened, due 2026-12-28)" in body["message"]
    gate = {g["gate"]: g for g in read(http, AUDITOR, f"/api/projects/{launch.project_id}/go-live")["gates"]}
    closed_gate = gate["corrective_actions_closed"]
    assert (closed_gate["met"], [(o["review"], o["n"], o["state"]) for o in closed_gate["open"]]) == (
        False,
        [(1, 1, "reopened")],
    )
    assert closed_gate["why"] in body["message"]  # the view and the command say the same

    ok(http, SYSMAINT_LEAD, f"{action}/completion", {"evidence": "閉館時間已調整，T-2"})
    ok(http, PM, f"{action}/verification", {"effective": True, "comments": "一週無掉線"})
    assert ok(http, PM, f"/api/reviews/{second}/conclusion", {"summary": "全部符合"})["outcome"] == "passed"
    gate = {g["gate"]: g for g in read(http, AUDITOR, f"/api/projects/{launch.project_id}/go-live")["gates"]}
    assert (gate["corrective_actions_closed"]["met"], gate["corrective_actions_closed"]["open"]) == (True, [])

    # every step is kept and shown with the action
    review = read(http, AUDITOR, f"/api/reviews/{first}")
    [shown] = review["nonconformities"]
    assert (shown["n"], shown["state"], shown["due"]) == (1, "closed", "2026-12-28")
    assert [c["evidence"] for c in shown["completions"]] == ["IVR 分支已修正，測試記錄 T-1", "閉館時間已調整，T-2"]
    assert [(v["effective"], v["new_due"], v["by"]) for v in shown["verifications"]] == [
        (False, "2026-12-28", PM.user),
        (True, None, PM.user),
    ]
    history = http.get(AUDITOR, f"/api/reviews/{first}/history").get_json()["items"]
    assert [e["type"] for e in history][-4:] == [
        "CorrectiveActionCompleted",
        "CorrectiveActionVerified",
        "CorrectiveActionCompleted",
        "CorrectiveActionVerified",
    ]

    # the project's reviews, oldest first
    reviews = read(http, AUDITOR, f"/api/projects/{launch.project_id}/reviews")["items"]
    assert [(r["id"], r["outcome"]) for r in reviews] == [(str(first), "failed"), (str(second), "passed")]


def test_no_go_live_decision_while_an_action_is_open(http, tracker):
    launch = concluded(tracker, unmet=("equipment",))
    first = launch.review_id
    launch.file_equipment_report(date(2026, 12, 21))
    launch.open_review(date(2026, 12, 22)).assess_all()
    assert launch.conclude() == "passed"
    record_nonconformity(tracker, first, owner_department="hr", due=date(2026, 12, 30))  # found late
    decision = f"/api/reviews/{launch.review_id}/decision"
    go_live = {"decision": "go_live", "go_live_on": "2027-01-04"}

    body = refused(http, BRANCH_HEAD, decision, go_live, 409, launch.project_id, launch.review_id, first)
    assert body["errors"]["rule"] == "corrective_actions_closed"
    assert body["errors"]["open"][0]["owner_department"] == "hr"

    ok(http, HR_LEAD, f"/api/reviews/{first}/nonconformities/1/completion", {"evidence": "培訓記錄"})
    ok(http, PM, f"/api/reviews/{first}/nonconformities/1/verification", {"effective": True, "comments": "有效"})
    assert ok(http, BRANCH_HEAD, decision, go_live)["phase"] == "live"


def test_improvement_measures_are_done_verified_and_overdue_on_the_board(http, tracker):
    launch = Launch(tracker).advance_to("trial_operation")
    measures = f"/api/projects/{launch.project_id}/trial/improvements"
    recorded = ok(
        http,
        PM,
        measures,
        {"problem": "早上排隊長", "measure": "早班加兩個座席", "owner_department": "operations", "due": "2026-12-14"},
    )
    assert recorded["improvement"] == 1
    record_improvement(tracker, launch, owner_department="operations", due=date(2026, 12, 31))

    board = read(http, OPS_LEAD, "/api/departments/operations/tickets")
    assert [(a["kind"], a["n"], a["title"], a["overdue"]) for a in board["actions"]] == [
        ("improvement", 1, "早班加兩個座席", True),
        ("improvement", 2, "two more seats on the morning shift", False),
    ]

    refused(http, HR_LEAD, f"{measures}/1/completion", {"evidence": "x"}, 403, launch.project_id)
    refused(http, OPS_LEAD, f"{measures}/3/completion", {"evidence": "x"}, 404, launch.project_id)
    ok(http, OPS_LEAD, f"{measures}/1/completion", {"evidence": "12 月 12 日起加座席"})
    reopened = ok(
        http, PM, f"{measures}/1/verification", {"effective": False, "comments": "仍排隊", "due_in_working_days": 2}
    )
    assert (reopened["state"], reopened["due"]) == ("reopened", "2026-12-24")  # Tuesday 22 → Thursday 24
    ok(http, OPS_LEAD, f"{measures}/1/completion", {"evidence": "加到三個座席"})
    ok(http, PM, f"{measures}/1/verification", {"effective": True, "comments": "排隊消失"})

    [first, second] = read(http, AUDITOR, f"/api/projects/{launch.project_id}")["trial"]["improvements"]
    assert (first["n"], first["state"], first["due"], len(first["completions"])) == (1, "closed", "2026-12-24", 2)
    assert (second["n"], second["state"]) == (2, "open")
    board = read(http, OPS_LEAD, "/api/departments/operations/tickets")
    assert [a["n"] for a in board["actions"]] == [2]


def test_acceptance_counts_cancelled_tickets_by_state(http, tracker):
    launch = revised_launch(tracker)
    launch.draft(V3).submit_plan()
    tracker.review_plan(PM, launch.project_id, ["hr"], "approved", "同意修訂")  # R3 dropped: its ticket cancelled

    view = read(http, AUDITOR, f"/api/projects/{launch.project_id}/acceptance")
    assert view["by_state"] == {"in_progress": 1, "accepted": 1, "cancelled": 1}
    assert view["tickets"] == 2  # the percentage still counts the current tickets only


def test_as_of_a_plain_date_is_the_end_of_that_day_in_shanghai(http, tracker, clock):
    launch = Launch(tracker).register()
    written = tracker.load_project(launch.project_id).created_on.astimezone(SHANGHAI).date().isoformat()
    then = http.get(AUDITOR, f"/api/projects/{launch.project_id}?as_of={written}")
    assert then.status_code == 200 and then.get_json()["version"] == 1
    before = http.get(AUDITOR, f"/api/projects/{launch.project_id}?as_of=2026-01-01")
    assert before.status_code == 404
    assert http.get(AUDITOR, f"/api/projects/{launch.project_id}?as_of=2026-13-01").status_code == 422


def test_projects_are_found_by_part_of_their_code_name_or_customer(http, tracker):
    Launch(tracker).register()  # 上海應急熱線 for 上海市應急管理服務中心
    tracker.register_project(SALES, "BJ-ECOM", "北京電商客服", "北京某電商", SERVICE, REQUIREMENTS, SOURCES)
    tracker.register_project(SALES, "SZ-BANK", "信用卡熱線", "上海浦東銀行", SERVICE, REQUIREMENTS, SOURCES)

    def found(query: str) -> list[str]:
        return [p["code"] for p in read(http, AUDITOR, "/api/projects", q=query)["items"]]

    assert found("上海") == ["SH-HOTLINE", "SZ-BANK"]  # by name, and by customer
    assert found("電商客服") == ["BJ-ECOM"]
    assert found("hotline") == ["SH-HOTLINE"]  # the code, case ignored
    assert found("不存在") == []
