"""Sales registers a project from 新建项目: service information, requirements of the three kinds and
their sources, through the same command as the API. Nobody else is offered it, a forged POST is
refused, and a form with a mistake shows it beside its field, keeps what was typed and records nothing."""

from __future__ import annotations

import pytest

from demo.workflow import PM, SALES
from domain.project import Project
from tests.web.conftest import signed_in

pytestmark = pytest.mark.backends()
NEW_PROJECT = "新建项目"
FORM = {
    "code": "BJ-12345",
    "name": "北京市民热线",
    "customer": "北京市政务服务中心",
    "service.channels": ["inbound_hotline", "online_chat"],
    "service.days_per_week": "7",
    "service.daily_start": "08:00",
    "service.daily_end": "20:00",
    "service.seats": "40",
    "service.languages": "普通话，粤语",
    "requirements.0.kind": "customer",
    "requirements.0.text": "接通率不低于 95%",
    "requirements.0.source": "服务合同",
    "requirements.1.kind": "implicit",
    "requirements.1.text": "",
    "requirements.2.kind": "legal",
    "requirements.2.text": "客户信息保密",
    "sources.0.kind": "contract",
    "sources.0.reference": "HT-2027-001",
    "sources.1.kind": "proposal",
    "sources.1.reference": "",
}


def registered(tracker, code: str) -> list[str]:
    """The new project's stored events (none when it was not registered)."""
    return [type(e).__name__ for e in tracker.events.get(Project.create_id(code))]


def test_sales_registers_a_project_and_lands_on_its_page(app, tracker) -> None:
    sales = signed_in(app, SALES)
    assert NEW_PROJECT in sales.get("/").get_data(as_text=True)
    assert NEW_PROJECT in sales.get("/projects").get_data(as_text=True)
    form = sales.get("/projects/new").get_data(as_text=True)
    assert '<label for="requirements-0-text">需求 1</label>' in form and "客户规定的要求" in form
    sent = sales.post("/projects/new", FORM)
    project_id = Project.create_id("BJ-12345")
    assert sent.status_code == 302 and sent.headers["Location"].startswith(f"/projects/{project_id}?after=")
    page = sales.get(sent.headers["Location"]).get_data(as_text=True)
    assert "BJ-12345 · 北京市民热线" in page and "服务信息收集" in page
    project = tracker.load_project(project_id)
    assert project.service["channels"] == ["inbound_hotline", "online_chat"]
    assert project.service["languages"] == ["普通话", "粤语"] and project.service["seats"] == 40
    assert [(r["kind"], r["text"]) for r in project.requirements] == [
        ("customer", "接通率不低于 95%"),
        ("legal", "客户信息保密"),
    ]
    assert project.sources == [{"kind": "contract", "reference": "HT-2027-001"}]


def test_nobody_else_sees_the_link_and_a_forged_post_is_refused(app, tracker) -> None:
    pm = signed_in(app, PM)
    assert NEW_PROJECT not in pm.get("/").get_data(as_text=True)
    assert NEW_PROJECT not in pm.get("/projects").get_data(as_text=True)
    shown = pm.get("/projects/new")
    assert shown.status_code == 403 and '<form method="post" action="/projects/new"' not in shown.get_data(as_text=True)
    refused = pm.post("/projects/new", FORM)
    assert refused.status_code == 403 and "您无权执行此操作" in refused.get_data(as_text=True)
    assert registered(tracker, "BJ-12345") == []


def test_a_requirement_without_its_text_is_shown_beside_it_and_nothing_is_recorded(app, tracker) -> None:
    sales = signed_in(app, SALES)
    form = {**FORM, "requirements.0.text": "", "requirements.0.source": "标书第 3 页"}
    refused = sales.post("/projects/new", form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    beside = page.split('id="requirements-0-text"', 1)[1].split("</span>", 2)[0]
    assert 'id="requirements-0-text-error">必填' in beside
    assert 'value="标书第 3 页"' in page and 'value="北京市民热线"' in page and 'value="客户信息保密"' in page
    assert 'value="online_chat" checked' in page
    assert registered(tracker, "BJ-12345") == []


def test_seats_in_words_and_hours_ending_before_they_start_are_shown_beside_their_fields(app, tracker) -> None:
    sales = signed_in(app, SALES)
    seats = sales.post("/projects/new", {**FORM, "service.seats": "四十"})
    assert seats.status_code == 422
    assert 'id="service-seats-error"' in seats.get_data(as_text=True) and 'value="四十"' in seats.get_data(as_text=True)
    hours = sales.post("/projects/new", {**FORM, "service.daily_end": "07:00"})
    assert hours.status_code == 422 and 'id="service-daily_end-error"' in hours.get_data(as_text=True)
    assert registered(tracker, "BJ-12345") == []
