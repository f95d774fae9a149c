"""Department boards and the project and ticket lists: content, filters and pagination.

Several projects are launched through the app's application service (two customers,
two project managers, every phase up to live); the lists are walked page by page with
the cursors they hand out. Overdue is judged by the date in Shanghai of the app's clock.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid4

import pytest

from demo.workflow import (
    AUDITOR,
    DIRECTOR,
    EVERYONE,
    HR_LEAD,
    LEADS,
    OTHER_PM,
    PM,
    SALES,
    SERVICE,
    SOURCES,
    TECH_LEAD,
    Launch,
    plan,
    requirement,
)
from tests.api.views_support import SHANGHAI, UTC, Clock, read, running_app

DEPARTMENTS = ("sales", "operations", "technology", "hr", "administration", "system_maintenance")


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture
def app(database_url, clock):
    with running_app(database_url, clock) as app:
        yield app


def walk(http, actor, path: str, limit: int, **params) -> list[dict]:
    """Every item of a list, page by page; checks each page's size and its cursor."""
    items: list[dict] = []
    cursor = None
    for _ in range(1000):
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        page = read(http, actor, path, **query)
        assert len(page["items"]) <= limit
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items
        assert len(page["items"]) == limit, "only the last page may be short"
    raise AssertionError("the cursors never ended")


def item_key(item: dict) -> str:
    return str(item.get("id") or item.get("ticket_id"))


# Department board -------------------------------------------------------------------------------


def hr_heavy_launch(tracker, code: str, hr_dues: list[date], project_manager=PM) -> Launch:
    """A project in implementation with one hr ticket per due date and one technology ticket."""
    requirements = [
        requirement(f"H{i}", "hr", complete_by=due, accept_by=date(2026, 12, 4)) for i, due in enumerate(hr_dues, 1)
    ]
    requirements.append(requirement("T1", "technology", complete_by=date(2026, 11, 20)))
    launch = Launch(tracker, code=code).register()
    tracker.appoint_project_manager(DIRECTOR, launch.project_id, project_manager.user, "任命書")
    tracker.draft_plan(project_manager, launch.project_id, plan(*requirements))
    tracker.submit_plan(project_manager, launch.project_id)
    tracker.review_plan(project_manager, launch.project_id, ["hr"], "approved", "ok")
    for item in tracker.issue_tickets(project_manager, launch.project_id).data["items"]:
        launch.tickets[item["requirement_ref"]] = item["id"]
    return launch


@pytest.mark.backends("sqlite", "postgres")
def test_department_board_lists_open_tickets_across_projects_overdue_first(http, tracker):
    a = hr_heavy_launch(tracker, "A-HOTLINE", [date(2026, 11, 20), date(2026, 12, 3), date(2026, 11, 30)])
    b = hr_heavy_launch(
        tracker, "B-ECOM", [date(2026, 12, 1), date(2026, 11, 26), date(2026, 11, 20)], project_manager=OTHER_PM
    )
    # A-H3 accepted (not open), B-H3 submitted (open, but waiting for the PM: never late)
    tracker.start_ticket(HR_LEAD, a.tickets["H3"])
    tracker.submit_ticket(HR_LEAD, a.tickets["H3"], "錄用名單")
    criteria = [{"criterion": "works as specified", "met": True, "note": "ok"}]
    tracker.decide_acceptance(PM, a.tickets["H3"], "accepted", criteria, "ok")
    tracker.start_ticket(HR_LEAD, b.tickets["H3"])
    tracker.submit_ticket(HR_LEAD, b.tickets["H3"], "培訓記錄")
    tracker.flag_risk(HR_LEAD, b.tickets["H2"], "招聘困難")

    board = read(http, HR_LEAD, "/api/departments/hr/tickets")
    assert board["department"] == "hr"
    rows = [(i["project_code"], i["requirement_ref"], i["state"], i["due"], i["overdue"]) for i in board["items"]]
    assert rows == [
        ("A-HOTLINE", "H1", "issued", "2026-11-20", True),
        ("B-ECOM", "H2", "at_risk", "2026-11-26", True),
        ("B-ECOM", "H3", "submitted", "2026-11-20", False),
        ("B-ECOM", "H1", "issued", "2026-12-01", False),
        ("A-HOTLINE", "H2", "issued", "2026-12-03", False),
    ]
    first = board["items"][0]
    assert first == {
        "ticket_id": str(a.tickets["H1"]),
        "project_id": str(a.project_id),
        "project_code": "A-HOTLINE",
        "requirement_ref": "H1",
        "title": "requirement H1",
        "state": "issued",
        "due": "2026-11-20",
        "overdue": True,
        "days_left": -8,
        "working_days_left": -5,  # due Friday 20 November, today Saturday 28 November: 23–27 November
    }
    assert {i["project_id"] for i in board["items"]} == {str(a.project_id), str(b.project_id)}

    technology = read(http, TECH_LEAD, "/api/departments/technology/tickets")["items"]
    assert [(i["project_code"], i["requirement_ref"], i["overdue"]) for i in technology] == [
        ("A-HOTLINE", "T1", True),
        ("B-ECOM", "T1", True),
    ]
    empty = {"department": "sales", "items": [], "actions": [], "requests": []}
    assert read(http, AUDITOR, "/api/departments/sales/tickets") == empty

    # a cancelled project's tickets leave the board
    tracker.cancel_project(DIRECTOR, b.project_id, "客戶取消合同")
    rows = [
        (i["project_code"], i["requirement_ref"]) for i in read(http, AUDITOR, "/api/departments/hr/tickets")["items"]
    ]
    assert rows == [("A-HOTLINE", "H1"), ("A-HOTLINE", "H2")]


def test_department_board_follows_the_clock(http, tracker, clock):
    a = hr_heavy_launch(tracker, "A-HOTLINE", [date(2026, 12, 2), date(2026, 12, 1)])

    def overdue() -> list[str]:
        items = read(http, HR_LEAD, "/api/departments/hr/tickets")["items"]
        return [i["requirement_ref"] for i in items if i["overdue"]]

    clock.moment = datetime(2026, 12, 1, 15, 59, tzinfo=UTC)  # 23:59 on 1 December in Shanghai
    assert overdue() == []
    clock.moment = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)  # midnight: 2 December in Shanghai
    assert overdue() == ["H2"]
    items = read(http, HR_LEAD, "/api/departments/hr/tickets")["items"]
    assert [(i["requirement_ref"], i["days_left"]) for i in items] == [("H2", -1), ("H1", 0)]
    a.deliver("H2")
    assert overdue() == []


def test_unknown_department_is_404(http):
    for department in ("finance", "HR", "人事部"):
        response = http.get(AUDITOR, f"/api/departments/{department}/tickets")
        assert response.status_code == 404, department
        assert response.get_json()["code"] == 404


def test_department_board_needs_a_token_and_a_lead_reads_only_their_own(http, tracker):
    hr_heavy_launch(tracker, "A-HOTLINE", [date(2026, 12, 2)])
    assert http.get(None, "/api/departments/hr/tickets").status_code == 401
    for actor in (a for a in EVERYONE if a.role != "department_lead"):
        for department in DEPARTMENTS:
            assert http.get(actor, f"/api/departments/{department}/tickets").status_code == 200, (actor, department)
    for lead in LEADS.values():
        for department in DEPARTMENTS:
            expected = 200 if department == lead.department else 403
            assert http.get(lead, f"/api/departments/{department}/tickets").status_code == expected, (lead, department)


# Project list ---------------------------------------------------------------------------------

CUSTOMERS = ("上海市應急管理服務中心", "杭州某電商有限公司")


def register(tracker, code: str, customer: str):
    return tracker.register_project(SALES, code, f"項目 {code}", customer, SERVICE, [], SOURCES).id


def many_projects(tracker) -> dict[str, dict]:
    """Eleven projects: phases from intake to live, two customers, two PMs."""
    projects: dict[str, dict] = {}
    for i in range(1, 8):
        code, customer = f"P{i:02d}", CUSTOMERS[i % 2]
        pid = register(tracker, code, customer)
        pm = None
        if i >= 3:
            pm = (PM if i % 3 else OTHER_PM).user
            tracker.appoint_project_manager(DIRECTOR, pid, pm, f"任命書 {code}")
        projects[code] = {"id": str(pid), "customer": customer, "project_manager": pm}
    for code, phase in (("Q01", "plan_review"), ("Q02", "implementation"), ("Q03", "trial_operation"), ("Q04", "live")):
        launch = Launch(tracker, code=code).advance_to(phase)
        projects[code] = {
            "id": str(launch.project_id),
            "customer": "上海市應急管理服務中心",
            "project_manager": PM.user,
        }
    for code, entry in projects.items():
        entry["phase"] = tracker.load_project(UUID(entry["id"])).phase
        entry["code"] = code
    return projects


@pytest.mark.backends("sqlite", "postgres")
def test_project_list_filters_and_pages(http, tracker):
    projects = many_projects(tracker)

    everything = walk(http, SALES, "/api/projects", limit=3)
    assert [p["code"] for p in everything] == sorted(projects)
    assert len({p["id"] for p in everything}) == len(projects)
    for item in everything:
        expected = projects[item["code"]]
        assert (item["id"], item["customer"], item["project_manager"], item["phase"]) == (
            expected["id"],
            expected["customer"],
            expected["project_manager"],
            expected["phase"],
        )
        assert item["name"] == ("上海應急熱線" if item["code"].startswith("Q") else f"項目 {item['code']}")
    live = next(p for p in everything if p["code"] == "Q04")
    assert live["went_live_on"] == "2026-12-21" and live["current_plan_version"] == 1

    # one page holds them all; the walk gives the same list whatever the page size
    whole = read(http, SALES, "/api/projects", limit=500)
    assert whole["next_cursor"] is None and whole["items"] == everything
    for limit in (1, 2, 5, 11):
        assert walk(http, SALES, "/api/projects", limit=limit) == everything

    def codes(**filters) -> list[str]:
        return [p["code"] for p in walk(http, AUDITOR, "/api/projects", limit=2, **filters)]

    for phase in ("intake", "planning", "plan_review", "implementation", "trial_operation", "live", "cancelled"):
        assert codes(phase=phase) == sorted(c for c, p in projects.items() if p["phase"] == phase), phase
    for customer in CUSTOMERS:
        assert codes(customer=customer) == sorted(c for c, p in projects.items() if p["customer"] == customer)
    assert codes(customer="上海") == []  # the customer is matched whole
    for pm in (PM.user, OTHER_PM.user, "nobody"):
        assert codes(project_manager=pm) == sorted(c for c, p in projects.items() if p["project_manager"] == pm)
    both = codes(phase="planning", customer=CUSTOMERS[1], project_manager=PM.user)
    assert both == sorted(
        c
        for c, p in projects.items()
        if p["phase"] == "planning" and p["customer"] == CUSTOMERS[1] and p["project_manager"] == PM.user
    )
    assert both  # the filters are not vacuous

    # a project that moves on moves between the filtered lists
    tracker.cancel_project(DIRECTOR, UUID(projects["P01"]["id"]), "客戶撤回")
    assert codes(phase="cancelled") == ["P01"]
    assert "P01" not in codes(phase="intake")


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=501",
        "limit=-1",
        "limit=ten",
        "cursor=not-a-cursor",
        "cursor=bzp4",  # "o:x" encoded: the right shape, not a number
        "cursor=" + "A" * 201,
        "cursor=bzo5" + "OTk5" * 10,  # "o:999…9": more rows than a database can count
        "cursor=bzrvvJE",  # "o:１" (a full-width digit)
        "phase=launched",
        "customer=%E4%B8%8A%00",  # a NUL character: no database text holds one
        "project_manager=%00",
    ],
)
def test_project_list_refuses_bad_queries(http, query):
    response = http.get(SALES, f"/api/projects?{query}")
    assert response.status_code == 422, query
    body = response.get_json()
    assert body["code"] == 422 and body["errors"]


def test_lists_accept_the_limits_at_their_bounds(http, tracker):
    for i in range(3):
        register(tracker, f"L{i}", CUSTOMERS[0])
    assert len(read(http, SALES, "/api/projects", limit=1)["items"]) == 1
    assert len(read(http, SALES, "/api/projects", limit=500)["items"]) == 3
    assert len(read(http, SALES, "/api/projects")["items"]) == 3  # default 50
    assert read(http, SALES, "/api/tickets", limit=500) == {"items": [], "next_cursor": None}


def test_default_page_is_fifty(http, tracker):
    for i in range(52):
        register(tracker, f"D{i:02d}", CUSTOMERS[i % 2])
    page = read(http, AUDITOR, "/api/projects")
    assert len(page["items"]) == 50 and page["next_cursor"]
    rest = read(http, AUDITOR, "/api/projects", cursor=page["next_cursor"])
    assert [p["code"] for p in rest["items"]] == ["D50", "D51"] and rest["next_cursor"] is None


# Ticket list ----------------------------------------------------------------------------------


def two_projects_with_tickets(tracker) -> tuple[Launch, Launch]:
    a = hr_heavy_launch(tracker, "A-HOTLINE", [date(2026, 11, 20), date(2026, 12, 3), date(2026, 11, 30)])
    b = hr_heavy_launch(
        tracker, "B-ECOM", [date(2026, 12, 1), date(2026, 11, 26), date(2026, 11, 20)], project_manager=OTHER_PM
    )
    tracker.start_ticket(HR_LEAD, a.tickets["H3"])
    tracker.start_ticket(HR_LEAD, b.tickets["H3"])
    tracker.submit_ticket(HR_LEAD, b.tickets["H3"], "培訓記錄")
    tracker.start_ticket(TECH_LEAD, b.tickets["T1"])
    tracker.submit_ticket(TECH_LEAD, b.tickets["T1"], "設備清單")
    criteria = [{"criterion": "works as specified", "met": True, "note": "ok"}]
    tracker.decide_acceptance(OTHER_PM, b.tickets["T1"], "accepted", criteria, "ok")
    return a, b


@pytest.mark.backends("sqlite", "postgres")
def test_ticket_list_filters_and_pages(http, tracker, clock):
    a, b = two_projects_with_tickets(tracker)
    everything = walk(http, SALES, "/api/tickets", limit=3)
    assert len(everything) == 8 and len({t["id"] for t in everything}) == 8
    ids = {str(t) for launch in (a, b) for t in launch.tickets.values()}
    assert {t["id"] for t in everything} == ids
    assert [t["due"] for t in everything] == sorted(t["due"] for t in everything)
    for limit in (1, 2, 7, 8):
        assert walk(http, SALES, "/api/tickets", limit=limit) == everything
    whole = read(http, SALES, "/api/tickets", limit=500)
    assert whole == {"items": everything, "next_cursor": None}
    own = walk(http, HR_LEAD, "/api/tickets", limit=2)  # a lead's list: their own department's tickets
    assert own == [t for t in everything if t["department"] == "hr"] and own
    assert walk(http, HR_LEAD, "/api/tickets", limit=2, department="technology") == []

    by_id = {t["id"]: t for t in everything}
    a_h1 = by_id[str(a.tickets["H1"])]
    assert a_h1 == {
        "id": str(a.tickets["H1"]),
        "project_id": str(a.project_id),
        "requirement_ref": "H1",
        "title": "requirement H1",
        "department": "hr",
        "state": "issued",
        "due": "2026-11-20",
        "overdue": True,
        "working_days_left": -5,
        "version": 1,
    }
    accepted = by_id[str(b.tickets["T1"])]
    assert accepted["state"] == "accepted" and accepted["working_days_left"] is None  # no deadline runs

    def refs(**filters) -> list[tuple[str, str]]:
        code = {str(a.project_id): "A", str(b.project_id): "B"}
        found = walk(http, AUDITOR, "/api/tickets", limit=2, **filters)
        return sorted((code[t["project_id"]], t["requirement_ref"]) for t in found)

    assert refs(project=a.project_id) == [("A", "H1"), ("A", "H2"), ("A", "H3"), ("A", "T1")]
    assert refs(department="technology") == [("A", "T1"), ("B", "T1")]
    assert refs(state="submitted") == [("B", "H3")]
    assert refs(state="accepted") == [("B", "T1")]
    assert refs(state="in_progress") == [("A", "H3")]
    assert refs(state="cancelled") == []
    assert refs(project=b.project_id, department="hr", state="issued") == [("B", "H1"), ("B", "H2")]
    # 28 November in Shanghai: late unless submitted or accepted
    late = [("A", "H1"), ("A", "T1"), ("B", "H2")]
    assert refs(overdue="true") == late
    assert all(t["overdue"] for t in walk(http, AUDITOR, "/api/tickets", limit=2, overdue="true"))
    assert refs(overdue="true", department="hr") == [("A", "H1"), ("B", "H2")]
    assert refs(overdue="true", project=b.project_id) == [("B", "H2")]

    # 00:00 on 1 December in Shanghai (still 30 November in UTC): A-H3 (due 30 November) is late now
    clock.moment = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert refs(overdue="true") == [("A", "H1"), ("A", "H3"), ("A", "T1"), ("B", "H2")]
    clock.moment = datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC)
    assert refs(overdue="true") == late
    # a list's overdue flag and the overdue filter agree
    flagged = sorted(t["id"] for t in walk(http, AUDITOR, "/api/tickets", limit=3) if t["overdue"])
    assert flagged == sorted(t["id"] for t in walk(http, AUDITOR, "/api/tickets", limit=3, overdue="true"))

    # a revision that drops a requirement cancels its ticket; it stays in the list as cancelled
    tracker.revise_plan(PM, a.project_id, "force_majeure", "颱風")
    revised = plan(
        requirement("H1", "hr", complete_by=date(2026, 11, 20)),
        requirement("H3", "hr", complete_by=date(2026, 11, 30)),
        requirement("T1", "technology", complete_by=date(2026, 11, 20)),
    )
    tracker.draft_plan(PM, a.project_id, revised)
    tracker.submit_plan(PM, a.project_id)
    tracker.review_plan(PM, a.project_id, ["hr"], "approved", "ok")
    assert refs(state="cancelled") == [("A", "H2")]
    assert refs(project=a.project_id, department="hr", state="issued") == [("A", "H1")]


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=501",
        "cursor=%%%",
        "cursor=bzp4",  # "o:x": the right shape, not a number
        "cursor=bzo5" + "OTk5" * 10,
        "project=not-a-uuid",
        "department=finance",
        "state=done",
        "overdue=yes",
    ],
)
def test_ticket_list_refuses_bad_queries(http, query):
    response = http.get(PM, f"/api/tickets?{query}")
    assert response.status_code == 422, query
    assert response.get_json()["errors"]


def test_lists_need_a_token_and_any_role_may_read_them(http, tracker):
    hr_heavy_launch(tracker, "A-HOTLINE", [date(2026, 12, 2)])
    for path in ("/api/projects", "/api/tickets"):
        assert http.get(None, path).status_code == 401
        for actor in (*EVERYONE, *LEADS.values()):
            response = http.get(actor, path)
            assert response.status_code == 200, (actor, path)
            items = response.get_json()["items"]
            if path == "/api/tickets" and actor.role == "department_lead":  # their own department's only
                assert all(t["department"] == actor.department for t in items), actor
            else:
                assert items


def test_unknown_project_filter_gives_an_empty_list(http, tracker):
    hr_heavy_launch(tracker, "A-HOTLINE", [date(2026, 12, 2)])
    assert read(http, AUDITOR, "/api/tickets", project=uuid4()) == {"items": [], "next_cursor": None}
