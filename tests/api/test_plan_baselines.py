"""Plan baselines for auditors: ``GET …/plan?as_of=`` and ``GET …/plan/compare?from=&to=``.

A plan goes through a rejection, an approval, work on its tickets and a revision that
drops one requirement, adds one, moves the dates and the department of others, changes
the staffing and every milestone. At each moment the test reads the live plan view (built
by the projections); afterwards the plan ``as_of`` each moment must be exactly that view,
and a comparison between two moments must show exactly what the plan in force changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from demo.workflow import AUDITOR, EVERYONE, HR_LEAD, PM, SALES, Launch, plan, requirement
from tests.api.views_support import SHANGHAI, read, running_app

POSITIONS_V2 = [
    {"title": "customer service representative", "headcount": 25, "qualifications": "Mandarin", "duties": "answer"},
    {"title": "team leader", "headcount": 2, "qualifications": "2 years", "duties": "shifts"},
    {"title": "trainer", "headcount": 1, "qualifications": "5 years", "duties": "training"},
]
POSITIONS_V3 = [
    {"title": "customer service representative", "headcount": 30, "qualifications": "Mandarin", "duties": "answer"},
    {"title": "trainer", "headcount": 1, "qualifications": "5 years", "duties": "training and coaching"},
    {"title": "質檢員", "headcount": 2, "qualifications": "QA", "duties": "錄音抽檢"},
]
V1 = plan(requirement("R1", "hr"), requirement("R2", "technology"))
V2 = plan(
    requirement("R1", "hr", ("28 people hired",)),
    requirement("R2", "technology"),
    requirement("R3", "administration"),
    requirement("R5", "operations", complete_by=date(2026, 12, 1)),
    positions=POSITIONS_V2,
)
V3 = plan(
    # R1: both dates later; R2: another department; R5: same dates, new criteria (not a move); R3 dropped; R4 added
    requirement("R1", "hr", ("28 people hired",), complete_by=date(2026, 12, 3), accept_by=date(2026, 12, 5)),
    requirement("R2", "system_maintenance"),
    requirement("R5", "operations", ("排班覆蓋 7×8 小時",), complete_by=date(2026, 12, 1)),
    requirement("R4", "operations", ("新增夜班",)),
    positions=POSITIONS_V3,
    trial_start=date(2026, 12, 9),
    trial_review=date(2026, 12, 20),
    go_live=date(2026, 12, 28),
)


@pytest.fixture
def app(database_url):
    """The app with its projections kept up to date (in-process, or by its runner on PostgreSQL)."""
    with running_app(database_url) as app:
        yield app


@dataclass
class Baselines:
    launch: Launch
    times: dict[str, datetime]
    views: dict[str, dict[str, Any]]  # label → the live plan view read at that time

    def path(self, view: str = "/plan") -> str:
        return f"/api/projects/{self.launch.project_id}{view}"


def revised(http, tracker) -> Baselines:
    launch = Launch(tracker)
    times: dict[str, datetime] = {"before": datetime.now(UTC)}
    views: dict[str, dict[str, Any]] = {}

    def moment(label: str) -> None:
        views[label] = read(http, AUDITOR, f"/api/projects/{launch.project_id}/plan")
        times[label] = datetime.now(UTC)

    launch.register()
    moment("registered")
    launch.appoint().draft(V1)
    moment("v1 drafted")
    launch.submit_plan()
    tracker.review_plan(PM, launch.project_id, ["hr"], "rejected", "人手不足：缺少質檢員")
    moment("v1 rejected")
    launch.draft(V2).submit_plan().approve_plan()
    moment("v2 approved")
    launch.issue_tickets()
    tracker.start_ticket(HR_LEAD, launch.tickets["R1"])
    launch.deliver("R2")
    moment("v2 worked")
    tracker.record_requirement_change(SALES, launch.project_id, "客戶要求增加夜班", "accepted", "變更單 BG-01")
    tracker.revise_plan(PM, launch.project_id, "customer_change", "客戶需求變更")
    launch.draft(V3)
    moment("v3 drafted")
    launch.submit_plan()
    moment("v3 submitted")
    tracker.review_plan(PM, launch.project_id, ["hr", "operations"], "approved", "同意修訂")
    moment("v3 approved")
    launch.issue_tickets()
    launch.deliver("R4")
    moment("v3 worked")
    return Baselines(launch, times, views)


@pytest.fixture
def baselines(http, tracker) -> Baselines:
    return revised(http, tracker)


def get(http, path: str, who=AUDITOR, **query: Any):
    return http.get(who, path, query_string=query)


def ok(response) -> dict[str, Any]:
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def compare(http, b: Baselines, since: str, until: str, **kw: Any) -> dict[str, Any]:
    return ok(
        get(
            http,
            b.path("/plan/compare"),
            **{"from": b.times[since].isoformat(), "to": b.times[until].isoformat()},
            **kw,
        )
    )


def changes(body: dict[str, Any]) -> dict[str, Any]:
    return {
        key: body[key]
        for key in ("from_plan_version", "to_plan_version", "added", "dropped", "moved", "staffing", "milestones")
    }


NOTHING = {"added": [], "dropped": [], "moved": [], "staffing": [], "milestones": []}


# The plan as it was ------------------------------------------------------------------------------


@pytest.mark.backends("sqlite", "postgres")
def test_the_plan_as_of_each_moment_is_the_view_read_then(http, baselines):
    b = baselines
    for label, seen in b.views.items():
        for when in (b.times[label], b.times[label].astimezone(SHANGHAI)):
            then = ok(get(http, b.path(), as_of=when.isoformat()))
            assert datetime.fromisoformat(then.pop("as_of")) == when
            assert then == seen, label

    # What those views said, so that the comparison above compares something.
    status = {label: [(v["plan_version"], v["status"]) for v in view["versions"]] for label, view in b.views.items()}
    assert status == {
        "registered": [],
        "v1 drafted": [(1, "draft")],
        "v1 rejected": [(1, "rejected")],
        "v2 approved": [(1, "rejected"), (2, "approved")],
        "v2 worked": [(1, "rejected"), (2, "approved")],
        "v3 drafted": [(1, "rejected"), (2, "approved"), (3, "draft")],
        "v3 submitted": [(1, "rejected"), (2, "approved"), (3, "submitted")],
        "v3 approved": [(1, "rejected"), (2, "superseded"), (3, "approved")],
        "v3 worked": [(1, "rejected"), (2, "superseded"), (3, "approved")],
    }
    current = {label: (view["current"] or {}).get("plan_version") for label, view in b.views.items()}
    assert current == {
        "registered": None,
        "v1 drafted": None,
        "v1 rejected": None,
        "v2 approved": 2,
        "v2 worked": 2,
        "v3 drafted": 2,
        "v3 submitted": 2,
        "v3 approved": 3,
        "v3 worked": 3,
    }
    tickets = {
        label: {r["ref"]: (r["ticket"] or {}).get("state") for r in view["current"]["requirements"]}
        for label, view in b.views.items()
        if view["current"]
    }
    assert tickets["v2 approved"] == {"R1": None, "R2": None, "R3": None, "R5": None}
    assert tickets["v2 worked"] == {"R1": "in_progress", "R2": "accepted", "R3": "issued", "R5": "issued"}
    assert tickets["v3 submitted"] == tickets["v2 worked"]
    assert tickets["v3 worked"] == {"R1": "in_progress", "R2": "accepted", "R5": "issued", "R4": "accepted"}
    assert b.views["v3 worked"]["dropped"] == ["R3"]


@pytest.mark.backends("sqlite", "postgres")
def test_the_plan_before_the_project_existed_is_404(http, baselines):
    b = baselines
    for when in (b.times["before"], b.times["before"] - timedelta(days=3650)):
        response = get(http, b.path(), as_of=when.isoformat())
        assert response.status_code == 404
        assert response.get_json()["code"] == 404
    assert get(http, f"/api/projects/{uuid4()}/plan", as_of=b.times["v3 worked"].isoformat()).status_code == 404


# Comparing two moments --------------------------------------------------------------------------


@pytest.mark.backends("sqlite", "postgres")
def test_a_revision_shows_exactly_what_was_added_dropped_and_moved(http, baselines):
    b = baselines
    body = compare(http, b, "v2 approved", "v3 approved")
    assert body["project_id"] == str(b.launch.project_id)
    assert datetime.fromisoformat(body["from"]) == b.times["v2 approved"]
    assert datetime.fromisoformat(body["to"]) == b.times["v3 approved"]
    assert changes(body) == {
        "from_plan_version": 2,
        "to_plan_version": 3,
        "added": ["R4"],
        "dropped": ["R3"],
        "moved": [
            {"ref": "R1", "field": "complete_by", "old": "2026-12-02", "new": "2026-12-03"},
            {"ref": "R1", "field": "accept_by", "old": "2026-12-04", "new": "2026-12-05"},
            {"ref": "R2", "field": "department", "old": "technology", "new": "system_maintenance"},
        ],
        "staffing": [
            {"title": "customer service representative", "old": 25, "new": 30},
            {"title": "team leader", "old": 2, "new": None},
            {"title": "質檢員", "old": None, "new": 2},
        ],
        "milestones": [
            {"name": "trial_start", "old": "2026-12-07", "new": "2026-12-09"},
            {"name": "trial_review", "old": "2026-12-18", "new": "2026-12-20"},
            {"name": "go_live", "old": "2026-12-21", "new": "2026-12-28"},
        ],
    }
    # The same comparison between any two moments with those plans in force, in any offset.
    assert changes(compare(http, b, "v2 worked", "v3 worked")) == changes(body)
    shanghai = {
        "from": b.times["v3 drafted"].astimezone(SHANGHAI).isoformat(),
        "to": b.times["v3 worked"].astimezone(SHANGHAI).isoformat(),
    }
    assert changes(ok(get(http, b.path("/plan/compare"), **shanghai))) == changes(body)

    # Backwards, everything is undone.
    back = changes(compare(http, b, "v3 approved", "v2 approved"))
    assert back["added"] == ["R3"] and back["dropped"] == ["R4"]
    assert back["moved"] == [{**m, "old": m["new"], "new": m["old"]} for m in body["moved"]]
    assert back["staffing"] == [{**s, "old": s["new"], "new": s["old"]} for s in body["staffing"]]
    assert back["milestones"] == [{**m, "old": m["new"], "new": m["old"]} for m in body["milestones"]]


@pytest.mark.backends("sqlite", "postgres")
def test_nothing_changes_while_a_revision_is_only_drafted_or_submitted(http, baselines):
    b = baselines
    for since, until in (
        ("v2 approved", "v2 worked"),
        ("v2 approved", "v3 drafted"),
        ("v2 approved", "v3 submitted"),
        ("v3 approved", "v3 worked"),
        ("v3 worked", "v3 worked"),
    ):
        body = changes(compare(http, b, since, until))
        assert {k: v for k, v in body.items() if k in NOTHING} == NOTHING, (since, until)
        assert body["from_plan_version"] == body["to_plan_version"]
    # A rejected or draft plan is never in force.
    for since, until in (("before", "v1 rejected"), ("registered", "v1 drafted"), ("v1 drafted", "v1 rejected")):
        assert changes(compare(http, b, since, until)) == {
            "from_plan_version": None,
            "to_plan_version": None,
            **NOTHING,
        }


@pytest.mark.backends("sqlite", "postgres")
def test_the_first_approval_adds_everything(http, baselines):
    b = baselines
    for since in ("before", "registered", "v1 rejected"):
        body = changes(compare(http, b, since, "v2 approved"))
        assert body == {
            "from_plan_version": None,
            "to_plan_version": 2,
            "added": ["R1", "R2", "R3", "R5"],
            "dropped": [],
            "moved": [],
            "staffing": [
                {"title": "customer service representative", "old": None, "new": 25},
                {"title": "team leader", "old": None, "new": 2},
                {"title": "trainer", "old": None, "new": 1},
            ],
            "milestones": [
                {"name": "trial_start", "old": None, "new": "2026-12-07"},
                {"name": "trial_review", "old": None, "new": "2026-12-18"},
                {"name": "go_live", "old": None, "new": "2026-12-21"},
            ],
        }
    assert changes(compare(http, b, "before", "v3 worked"))["added"] == ["R1", "R2", "R4", "R5"]


@pytest.mark.backends("sqlite")
def test_baselines_are_for_every_signed_in_role_and_check_their_input(http, baselines):
    b = baselines
    good = {"from": b.times["v2 approved"].isoformat(), "to": b.times["v3 approved"].isoformat()}
    answers = [ok(get(http, b.path("/plan/compare"), who, **good)) for who in EVERYONE]
    assert all(answer == answers[0] for answer in answers)
    as_of = b.times["v2 worked"].isoformat()
    assert all(ok(get(http, b.path(), who, as_of=as_of)) == ok(get(http, b.path(), as_of=as_of)) for who in EVERYONE)
    assert get(http, b.path("/plan/compare"), None, **good).status_code == 401
    assert get(http, b.path(), None, as_of=as_of).status_code == 401

    for query, field in (
        ({"to": good["to"]}, "from"),
        ({"from": good["from"]}, "to"),
        ({**good, "from": "2026-12-01T09:00:00"}, "from"),
        ({**good, "to": "tomorrow"}, "to"),
    ):
        response = get(http, b.path("/plan/compare"), **query)
        assert response.status_code == 422, query
        assert field in response.get_json()["errors"], response.get_json()
    for bad in ("2026-12-01T09:00:00", "2026-12-32", "now"):
        response = get(http, b.path(), as_of=bad)
        assert response.status_code == 422, bad
        assert "as_of" in response.get_json()["errors"]
    assert get(http, f"/api/projects/{uuid4()}/plan/compare", **good).status_code == 404
