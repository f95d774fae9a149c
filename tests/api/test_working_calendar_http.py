"""The working-day calendar over HTTP: the director records 2027 (a TEST schedule, see
tests/calendar_support.py), provisional ticket deadlines are recounted, and anyone signed in reads it."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import pytest

from demo.workflow import (
    AUDITOR,
    BRANCH_HEAD,
    DIRECTOR,
    HR_LEAD,
    PM,
    SALES,
    SERVICE_MANAGER,
    TECH_LEAD,
    Launch,
    plan,
    requirement,
)
from tests.api.views_support import SHANGHAI, Clock, head, read, running_app
from tests.calendar_support import TEST_REFERENCE_2027, schedule_json

FAR = date(2027, 3, 31)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 12, 28, 9, 0, tzinfo=SHANGHAI))


@pytest.fixture
def app(database_url, clock):
    with running_app(database_url, clock) as app:
        yield app


@pytest.mark.backends("sqlite", "postgres")
def test_recording_2027_recounts_an_open_provisional_ticket_and_not_a_submitted_one(http, tracker, app):
    """40 working days from Monday 28 December 2026: Monday 22 February 2027 on weekends only; Friday
    26 February with the schedule (元旦 and five weekdays of 春节 off, two make-up Saturdays)."""
    reqs = [requirement(r, d, complete_by=FAR, accept_by=FAR) for r, d in (("R1", "hr"), ("R2", "technology"))]
    content = plan(
        *reqs,
        manual={"requirements": "call flow", "due": FAR},
        trial_start=date(2027, 4, 5),
        trial_review=date(2027, 4, 16),
        go_live=date(2027, 4, 19),
    )
    launch = Launch(tracker).register().appoint().draft(content).submit_plan().approve_plan()
    issued = http.post(PM, f"/api/projects/{launch.project_id}/tickets", json={"due_in_working_days": 40})
    assert issued.status_code == 201, issued.get_json()
    assert (issued.get_json()["due"], issued.get_json()["provisional"]) == ("2027-02-22", True)
    ids = {i["department"]: i["id"] for i in issued.get_json()["items"]}
    tracker.start_ticket(TECH_LEAD, UUID(ids["technology"]))
    tracker.submit_ticket(TECH_LEAD, UUID(ids["technology"]), "servers racked")

    assert http.get(AUDITOR, "/api/calendar/2027").get_json()["source"] == "provisional"
    [listed] = read(http, AUDITOR, "/api/tickets", department="hr")["items"]
    assert listed["working_days_left"] is None  # the views never count a provisional year
    refused = http.put(PM, "/api/calendar/2027", json=schedule_json())
    assert refused.status_code == 403
    before = head(app)
    bad = http.put(DIRECTOR, "/api/calendar/2027", json=schedule_json(makeup_days=[date(2027, 2, 8)]))
    assert bad.status_code == 422 and "makeup_days[0]" in bad.get_json()["errors"], bad.get_json()
    assert head(app) == before

    response = http.put(DIRECTOR, "/api/calendar/2027", json=schedule_json())

    assert response.status_code == 200, response.get_json()
    [recount] = response.get_json()["recounted"]
    assert (recount["old_due"], recount["new_due"], recount["provisional"]) == ("2027-02-22", "2027-02-26", False)
    hr = http.get(AUDITOR, f"/api/tickets/{ids['hr']}").get_json()
    assert (hr["due"], hr["due_provisional"]) == ("2027-02-26", False)
    history = http.get(AUDITOR, f"/api/tickets/{ids['hr']}/history").get_json()["items"]
    assert (history[0]["data"]["due"], history[-1]["type"], history[-1]["data"]["reference"]) == (
        "2027-02-22",
        "DueRecounted",
        TEST_REFERENCE_2027,
    )
    [listed] = read(http, AUDITOR, "/api/tickets", department="hr")["items"]
    assert (listed["due"], listed["working_days_left"]) == ("2027-02-26", 40)  # today is the day it counted from
    tech = http.get(AUDITOR, f"/api/tickets/{ids['technology']}").get_json()
    assert (tech["due"], tech["state"]) == ("2027-02-22", "submitted")

    shown = http.get(AUDITOR, "/api/calendar/2027").get_json()
    assert (shown["source"], shown["reference"], shown["version"]) == ("recorded", TEST_REFERENCE_2027, 1)
    assert shown["history"][0]["type"] == "ScheduleRecorded" and shown["history"][0]["actor"] == DIRECTOR.user
    assert len(shown["holidays"]) == 8 and shown["makeup_days"] == ["2027-01-30", "2027-02-20"]
    assert http.get(AUDITOR, "/api/calendar/2026").get_json()["source"] == "package"
    assert http.get(AUDITOR, "/api/calendar/1999").status_code == 404
    [recorded] = read(http, AUDITOR, "/api/audit/events", type="ScheduleRecorded")["items"]
    assert (
        recorded["summary"]
        == f"zhao.min (operations_director) recorded the working-day schedule of 2027 ({TEST_REFERENCE_2027})"
    )
    [moved] = read(http, AUDITOR, "/api/audit/events", type="DueRecounted")["items"]
    assert moved["summary"].endswith("recounted the due date with the 2027 schedule: 2027-02-22 → 2027-02-26")


@pytest.mark.backends("sqlite")
@pytest.mark.parametrize("actor", [SALES, PM, SERVICE_MANAGER, BRANCH_HEAD, AUDITOR, HR_LEAD], ids=lambda a: a.role)
def test_only_the_operations_director_may_record_a_schedule(http, app, actor):
    before = head(app)
    response = http.put(actor, "/api/calendar/2027", json=schedule_json())
    assert response.status_code == 403, response.get_json()
    assert head(app) == before
    assert http.put(None, "/api/calendar/2027", json=schedule_json()).status_code == 401
    assert http.get(actor, "/api/calendar/2027").status_code == 200
