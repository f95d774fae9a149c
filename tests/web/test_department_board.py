"""The department board and 我的工作: a department's open tickets across projects, overdue first
(judged by the app's clock in Shanghai), and what waits for the lead, the PM and the branch head."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from flask import Flask

from api import create_app, shutdown
from demo.workflow import BRANCH_HEAD, DIRECTOR, HR_LEAD, PM, SALES, TECH_LEAD, Launch, plan, requirement
from domain.clock import SHANGHAI
from tests.api.conftest import SECRET
from tests.web.conftest import PEOPLE, add_account, signed_in

pytestmark = pytest.mark.backends()
TODAY = datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI)
ROW = re.compile(r'>([^<]+)</a></td>\s*<td><a href="/tickets/[^"]+">([^<]+)</a>')


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    settings = {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "TESTING": True, "PROJECTIONS_IN_PROCESS": True,
                "CLOCK": lambda: TODAY}  # fmt: skip
    app = create_app(settings)
    for actor, name in PEOPLE.items():
        add_account(app, actor, name)
    yield app
    shutdown(app)


def hr_launch(tracker, code: str, dues: list[date]) -> Launch:
    """A project in implementation with one hr ticket per due date (H1, H2, …) and one technology ticket."""
    requirements = [requirement(f"H{i}", "hr", complete_by=due) for i, due in enumerate(dues, 1)]
    requirements.append(requirement("T1", "technology", complete_by=date(2026, 12, 1)))
    launch = Launch(tracker, code=code).register()
    tracker.appoint_project_manager(DIRECTOR, launch.project_id, PM.user, "任命书 RM-1")
    launch.draft(plan(*requirements)).submit_plan().approve_plan().issue_tickets()
    return launch


def rows(html: str) -> list[str]:
    """The board's rows as "project ref" in the order shown."""
    return [" ".join(found) for found in ROW.findall(html)]


def test_the_board_lists_the_departments_open_tickets_overdue_first(app, tracker) -> None:
    a = hr_launch(tracker, "A-HOTLINE", [date(2026, 12, 3), date(2026, 11, 20), date(2026, 11, 18)])
    b = hr_launch(tracker, "B-ECOM", [date(2026, 11, 25), date(2026, 12, 2)])
    tracker.start_ticket(HR_LEAD, a.tickets["H3"])
    tracker.submit_ticket(HR_LEAD, a.tickets["H3"], "录用名单")  # waiting for the PM: never late
    tracker.start_ticket(HR_LEAD, b.tickets["H2"])
    tracker.submit_ticket(HR_LEAD, b.tickets["H2"], "培训记录")
    tracker.decide_acceptance(PM, b.tickets["H2"], "accepted", [{"criterion": "works as specified", "met": True}])

    lead = signed_in(app, HR_LEAD)
    home = lead.get("/").get_data(as_text=True)
    assert 'href="/departments/hr">我的部门</a>' in home
    board = lead.get("/departments/hr").get_data(as_text=True)
    assert "部门看板 · 人事部" in board
    assert rows(board) == ["A-HOTLINE H2", "B-ECOM H1", "A-HOTLINE H3", "A-HOTLINE H1"]
    first = board.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert 'class="overdue"' in first and "2026年11月20日" in first and "-5 · 已逾期" in first
    assert not [row for row in rows(board) if row.endswith(" T1")]  # (not the technology department's)
    sales = signed_in(app, SALES)
    assert rows(sales.get("/departments/technology").get_data(as_text=True)) == ["A-HOTLINE T1", "B-ECOM T1"]
    assert sales.get("/departments/marketing").status_code == 404


def test_the_projects_tickets_are_listed_with_their_working_days_left(app, tracker) -> None:
    a = hr_launch(tracker, "A-HOTLINE", [date(2026, 12, 3), date(2026, 11, 20)])
    listed = signed_in(app, SALES).get(f"/projects/{a.project_id}/tickets").get_data(as_text=True)
    assert f'href="/tickets/{a.tickets["H2"]}">H2</a>' in listed
    h2 = listed.split(">H2</a>", 1)[1].split("</tr>", 1)[0]
    assert "人事部" in h2 and "已下达" in h2 and "2026年11月20日" in h2 and "已逾期" in h2
    assert signed_in(app, SALES).get("/projects/00000000-0000-4000-8000-000000000000/tickets").status_code == 404


def test_my_work_shows_what_tickets_wait_for_each_person(app, tracker) -> None:
    a = hr_launch(tracker, "A-HOTLINE", [date(2026, 12, 3), date(2026, 12, 2)])
    tracker.flag_risk(HR_LEAD, a.tickets["H1"], "招聘困难")
    tracker.flag_risk(TECH_LEAD, a.tickets["T1"], "设备延迟")
    tracker.propose_alternative(TECH_LEAD, a.tickets["T1"], "租用设备", True)
    tracker.start_ticket(HR_LEAD, a.tickets["H2"])
    tracker.submit_ticket(HR_LEAD, a.tickets["H2"], "录用名单")

    lead = signed_in(app, HR_LEAD).get("/").get_data(as_text=True)
    waiting = lead.split("有风险的需求单：请提出替代方案", 1)[1].split("</table>", 1)[0]
    assert f"/tickets/{a.tickets['H1']}" in waiting and "H2" not in waiting
    pm = signed_in(app, PM).get("/").get_data(as_text=True)
    alternatives = pm.split("等待您处理的替代方案", 1)[1].split("</table>", 1)[0]
    submitted = pm.split("待验收的需求单", 1)[1].split("</table>", 1)[0]
    assert ">T1</a>" in alternatives and ">H1</a>" not in alternatives and ">H2</a>" in submitted
    head = signed_in(app, BRANCH_HEAD)
    assert "没有" in head.get("/").get_data(as_text=True).split("待您决定的已上报替代方案", 1)[1]
    tracker.confirm_alternative(PM, a.tickets["T1"], 1, escalate=True)
    escalated = head.get("/").get_data(as_text=True).split("待您决定的已上报替代方案", 1)[1].split("</table>", 1)[0]
    assert f"/tickets/{a.tickets['T1']}" in escalated and "技术部" in escalated
