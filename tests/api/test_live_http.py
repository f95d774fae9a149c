"""Running the live service over HTTP (API.md: "In the live phase the plan revision, meetings, audits,
feedback, improvements and manual revisions are accepted as in their earlier phases"): each step on a
live project, the project still `live` after it, and a refused step recording nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from demo.workflow import (
    LEADS,
    OPS_LEAD,
    PM,
    SALES,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    Launch,
    plan,
    requirement,
    stored,
)
from tests.api.views_support import SHANGHAI, Clock, read, running_app

pytestmark = pytest.mark.backends("sqlite", "postgres")

KEPT = requirement("R1", "hr", ("28 people hired", "training passed"))
ADDED = requirement(
    "R3", "operations", ("weekend shift staffed",), complete_by=date(2027, 1, 20), accept_by=date(2027, 1, 22)
)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2027, 1, 12, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture
def app(database_url, clock):
    with running_app(database_url, clock) as app:
        yield app


def as_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value.isoformat() if isinstance(value, date) else value


def ok(http, who, path: str, body: dict | None = None, method: str = "post") -> dict:
    answer = getattr(http, method)(who, path, body)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def refused(http, who, path: str, body: dict | None, status: int, *aggregates, method: str = "post") -> dict:
    """A refused command: its status, and nothing recorded on any of ``aggregates``."""
    tracker = http.client.application.extensions["tracker"]
    before = [stored(tracker, ident) for ident in aggregates]
    answer = getattr(http, method)(who, path, body)
    assert answer.status_code == status, answer.get_json()
    assert [stored(tracker, ident) for ident in aggregates] == before
    return answer.get_json()


def phase(http, pid) -> str:
    answer = http.get(PM, f"/api/projects/{pid}")
    assert answer.status_code == 200
    return answer.get_json()["phase"]


def test_audits_feedback_and_meetings_are_recorded_while_live(http, tracker):
    pid = Launch(tracker).advance_to("live").project_id
    base = f"/api/projects/{pid}"

    ok(http, SERVICE_MANAGER, f"{base}/trial/audits", {"held_on": "2027-01-08", "findings": [], "conforming": True})
    ok(http, SALES, f"{base}/trial/feedback", {"received_on": "2027-01-09", "summary": "短隊列，客戶滿意"})
    meeting = {"held_on": "2027-01-10", "participants": ["operations"], "decisions": ["週末排班"]}
    ok(http, PM, f"{base}/meetings", meeting)

    project = http.get(PM, base).get_json()
    assert project["phase"] == "live"
    assert [a["held_on"] for a in project["trial"]["audits"]] == ["2027-01-08"]
    assert [f["summary"] for f in project["trial"]["feedback"]] == ["短隊列，客戶滿意"]
    assert project["meetings"][-1]["decisions"] == ["週末排班"]

    bad = {"held_on": "2027-01-08", "findings": [], "conforming": False}
    body = refused(http, SERVICE_MANAGER, f"{base}/trial/audits", bad, 422, pid)
    assert "findings" in body["errors"]
    refused(http, SALES, f"{base}/meetings", meeting, 403, pid)
    report = {"period_start": "2027-01-01", "period_end": "2027-01-10", "summary": "ok"}
    body = refused(http, SYSMAINT_LEAD, f"{base}/trial/equipment-report", report, 409, pid)
    assert body["errors"]["current"] == "live"


def test_an_improvement_recorded_while_live_is_done_verified_and_closed(http, tracker):
    pid = Launch(tracker).advance_to("live").project_id
    base = f"/api/projects/{pid}/trial/improvements"
    measure = {"problem": "09:00 排隊", "measure": "早班加兩席", "owner_department": "operations", "due": "2027-01-15"}

    assert ok(http, PM, base, measure)["improvement"] == 1
    refused(http, PM, f"{base}/1/completion", {"evidence": "not mine"}, 403, pid)
    ok(http, OPS_LEAD, f"{base}/1/completion", {"evidence": "排班表 R-12"})
    reopened = {"effective": False, "comments": "仍排隊", "new_due": "2027-01-25"}
    assert ok(http, PM, f"{base}/1/verification", reopened)["state"] == "reopened"
    ok(http, OPS_LEAD, f"{base}/1/completion", {"evidence": "排班表 R-13"})
    assert ok(http, PM, f"{base}/1/verification", {"effective": True, "comments": "已解決"})["state"] == "closed"
    assert phase(http, pid) == "live"


def test_the_manual_is_revised_and_reapproved_while_live(http, tracker):
    pid = Launch(tracker).advance_to("live").project_id
    base = f"/api/projects/{pid}/manual"

    draft = {"document_reference": "OM-SH-02", "revision_note": "週末話術"}
    assert ok(http, SERVICE_MANAGER, base, draft, "put")["revision"] == 2
    refused(http, SERVICE_MANAGER, base, draft, 409, pid, method="put")  # the draft awaits its review
    gates = read(http, PM, f"/api/projects/{pid}/go-live")
    manual = next(g for g in gates["gates"] if g["gate"] == "manual_approved")
    assert manual["met"] and "revision 1 in force" in manual["why"]
    ok(http, PM, f"{base}/review", {"outcome": "approved", "comments": "同意"})

    project = http.get(PM, f"/api/projects/{pid}").get_json()
    assert project["phase"] == "live"
    assert project["manual"]["status"] == "approved"
    assert [r["review"]["outcome"] for r in project["manual"]["revisions"]] == ["approved", "approved"]


def test_a_plan_revision_while_live_adds_and_drops_a_requirement_and_stays_live(http, tracker):
    launch = Launch(tracker).advance_to("live")
    pid = launch.project_id
    base = f"/api/projects/{pid}"
    dropped = launch.tickets["R2"]
    change = {"description": "增加週末服務", "review_outcome": "accepted", "reference": "變更單 CR-07"}
    ok(http, SALES, f"{base}/requirement-changes", change)

    # no draft before the revision starts; then the PM starts it and the phase stays
    refused(http, PM, f"{base}/plan", as_json(plan(KEPT, ADDED)), 409, pid, method="put")
    revision = {"trigger": "customer_change", "reason": "週末服務"}
    assert ok(http, PM, f"{base}/plan/revision", revision)["phase"] == "live"

    # the trial and go-live dates are history: moved → 422 naming them, nothing recorded
    moved = as_json(plan(KEPT, ADDED, trial_start=date(2027, 2, 1)))
    body = refused(http, PM, f"{base}/plan", moved, 422, pid, method="put")
    assert list(body["errors"]) == ["trial_start"]
    assert ok(http, PM, f"{base}/plan", as_json(plan(KEPT, ADDED)), "put")["plan_version"] == 2
    assert ok(http, PM, f"{base}/plan/submission")["phase"] == "live"
    review = {"participants": ["hr", "operations"], "outcome": "approved", "comments": "同意"}
    approved = ok(http, PM, f"{base}/plan/review", review)
    assert (approved["phase"], approved["added"], approved["dropped"]) == ("live", ["R3"], ["R2"])
    assert http.get(PM, f"/api/tickets/{dropped}").get_json()["state"] == "cancelled"

    issued = http.post(PM, f"{base}/tickets", {"requirement_refs": ["R3"]})
    assert issued.status_code == 201, issued.get_json()
    new = issued.get_json()["items"][0]["id"]
    lead = LEADS["operations"]
    ok(http, lead, f"/api/tickets/{new}/start")
    view = read(http, PM, f"{base}/go-live")
    assert view["ready"] and view["phase"] == "live"  # the new ticket in progress does not undo go-live
    ok(http, lead, f"/api/tickets/{new}/submission", {"evidence": "週末排班表"})
    criteria = [{"criterion": "weekend shift staffed", "met": True, "note": "checked"}]
    ok(http, PM, f"/api/tickets/{new}/acceptance", {"outcome": "accepted", "criteria": criteria, "comments": "ok"})

    acceptance = read(http, PM, f"{base}/acceptance")
    assert (acceptance["tickets"], acceptance["percent_accepted"]) == (2, 100.0)
    assert phase(http, pid) == "live"
