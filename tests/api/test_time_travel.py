"""Time travel over a whole launch: what ``?as_of=`` and ``?version=`` answer is what was seen then.

A launch is walked from registration to go-live — a rejected plan, a revision that drops,
adds and moves requirements, tickets worked and accepted, the manual, the trial, the
review and the decision. After every step (every phase boundary among them) the test
notes the time and reads the project, each ticket and the review as a user would. At
the end each of those moments is asked for again, by time (in UTC, in Shanghai time,
with ``Z``) and by version, and the answer — body and ETag — must be exactly what the
test saw at that moment.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from demo.workflow import (
    AUDITOR,
    BRANCH_HEAD,
    EVERYONE,
    HR_LEAD,
    PM,
    SALES,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    Launch,
    plan,
    requirement,
)
from domain.clock import SHANGHAI
from domain.gates import REVIEW_ITEMS


@dataclass
class Moment:
    label: str
    at: datetime
    seen: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)
    """path → (JSON body, ETag) as read at ``at``."""


class Walk:
    """A launch recorded step by step, with what everyone could read after each step."""

    def __init__(self, http, tracker) -> None:
        self.http, self.tracker = http, tracker
        self.launch = Launch(tracker)
        self.moments: list[Moment] = []
        self.created: dict[str, datetime] = {}  # path → a time just before it existed

    def paths(self) -> list[str]:
        launch = self.launch
        paths = [f"/api/projects/{launch.project_id}"] if launch.project_id else []
        paths += [f"/api/tickets/{ticket_id}" for ticket_id in launch.tickets.values()]
        if launch.review_id:
            paths.append(f"/api/reviews/{launch.review_id}")
        return paths

    def step(self, label: str, action) -> None:
        known = set(self.paths())
        before = datetime.now(UTC)
        action()
        for path in self.paths():
            if path not in known:
                self.created[path] = before
        moment = Moment(label, datetime.now(UTC))
        for path in self.paths():
            response = self.http.get(AUDITOR, path)
            assert response.status_code == 200, response.get_json()
            moment.seen[path] = (response.get_json(), response.headers["ETag"])
        self.moments.append(moment)

    def phase(self) -> str:
        return self.moments[-1].seen[self.paths()[0]][0]["phase"]


V3 = plan(
    requirement("R1", "hr", ("28 people hired", "training passed"), complete_by=date(2026, 12, 3)),
    requirement("R2", "technology"),
    requirement("R4", "operations", ("排班覆蓋 7×8 小時",)),
)


def full_launch(http, tracker) -> Walk:
    walk = Walk(http, tracker)
    launch, t = walk.launch, tracker
    boundaries: list[str] = []

    def step(label: str, action) -> None:
        walk.step(label, action)
        if not boundaries or boundaries[-1] != walk.phase():
            boundaries.append(walk.phase())

    step("registered", launch.register)
    step("appointed", launch.appoint)
    v1 = plan(requirement("R1", "hr", ("28 people hired", "training passed")), requirement("R2", "technology"))
    step("v1 drafted", lambda: launch.draft(v1))
    step("v1 submitted", launch.submit_plan)
    step("v1 rejected", lambda: t.review_plan(PM, launch.project_id, ["hr"], "rejected", "人手不足：缺少質檢員"))
    v2 = plan(
        requirement("R1", "hr", ("28 people hired", "training passed")),
        requirement("R2", "technology"),
        requirement("R3", "administration"),
    )
    step("v2 drafted", lambda: launch.draft(v2))
    step("v2 submitted", launch.submit_plan)
    step("v2 approved", launch.approve_plan)
    step("tickets issued", launch.issue_tickets)
    step("R1 started", lambda: t.start_ticket(HR_LEAD, launch.tickets["R1"]))
    step("R1 at risk", lambda: t.flag_risk(HR_LEAD, launch.tickets["R1"], "招聘延遲，粵語客服難招"))
    step("R1 alternative", lambda: t.propose_alternative(HR_LEAD, launch.tickets["R1"], "外包招聘", True))
    step("R1 alternative confirmed", lambda: t.confirm_alternative(PM, launch.tickets["R1"], 1))
    step("R2 delivered", lambda: launch.deliver("R2"))
    step(
        "customer change",
        lambda: t.record_requirement_change(SALES, launch.project_id, "客戶要求增加排班", "accepted", "變更單 BG-01"),
    )
    step("revision started", lambda: t.revise_plan(PM, launch.project_id, "customer_change", "客戶需求變更"))
    step("v3 drafted", lambda: launch.draft(V3))
    step("v3 submitted", launch.submit_plan)
    step("v3 approved", launch.approve_plan)
    step("R4 issued", launch.issue_tickets)
    for ref in ("R1", "R4"):
        step(f"{ref} delivered", lambda ref=ref: launch.deliver(ref))
    step("manual submitted", lambda: t.submit_manual(SERVICE_MANAGER, launch.project_id, "OM-SH-01", "第一版"))
    step("manual approved", lambda: t.review_manual(PM, launch.project_id, "approved", "complete"))
    step("trial started", launch.start_trial)
    step("equipment report", launch.file_equipment_report)
    step("review opened", launch.open_review)
    for item in REVIEW_ITEMS:
        step(
            f"{item} assessed", lambda item=item: t.assess_review_item(PM, launch.review_id, item, True, f"證據 {item}")
        )
    step("review concluded", launch.conclude)
    step("went live", launch.go_live)

    assert boundaries == [
        "intake",
        "planning",
        "plan_review",
        "planning",
        "plan_review",
        "implementation",
        "planning",
        "plan_review",
        "implementation",
        "trial_operation",
        "trial_review",
        "live",
    ]
    assert {x["requirement_ref"]: x["state"] for x in walk.moments[-1].seen[walk.paths()[0]][0]["tickets"]} == {
        "R1": "accepted",
        "R2": "accepted",
        "R3": "cancelled",
        "R4": "accepted",
    }
    return walk


def get(http, path: str, **query: Any):
    return http.get(AUDITOR, path, query_string=query)


def seen_as(response) -> tuple[dict[str, Any], str]:
    assert response.status_code == 200, response.get_json()
    return response.get_json(), response.headers["ETag"]


@pytest.fixture
def walk(http, tracker) -> Walk:
    return full_launch(http, tracker)


@pytest.mark.backends()
def test_the_state_as_of_each_moment_is_what_was_seen_then(http, walk):
    assert len(walk.moments) == 37
    for moment in walk.moments:
        for path, then in moment.seen.items():
            for when in (
                moment.at.isoformat(),
                moment.at.astimezone(SHANGHAI).isoformat(),
                moment.at.isoformat().replace("+00:00", "Z"),
            ):
                assert seen_as(get(http, path, as_of=when)) == then, (moment.label, path, when)


def first_seen(walk: Walk) -> dict[str, dict[int, tuple[str, tuple[dict[str, Any], str]]]]:
    """path → version → (label, (body, ETag)) of the first moment that version was seen."""
    found: dict[str, dict[int, tuple[str, tuple[dict[str, Any], str]]]] = {}
    for moment in walk.moments:
        for path, (body, etag) in moment.seen.items():
            assert etag == f'"{body["version"]}"'
            versions = found.setdefault(path, {})
            if "/projects/" not in path and body["version"] in versions:
                assert versions[body["version"]][1] == (body, etag)  # one version of a ticket is one state
            versions.setdefault(body["version"], (moment.label, (body, etag)))
    return found


WRITES_THAT_CANCEL_TICKETS = {"v3 approved"}
"""Steps whose one write records the project's event first and then cancels tickets."""


@pytest.mark.backends()
def test_the_state_at_each_version_is_what_was_seen_when_it_reached_that_version(http, walk):
    """A ticket or review read at version n is what it was at version n; the project too, with its
    tickets as they stood when the project reached version n (the first moment it was seen)."""
    for path, versions in first_seen(walk).items():
        assert list(versions) == sorted(versions)
        for version, (label, then) in versions.items():
            assert seen_as(get(http, path, version=version)) == then, (path, version, label)
        assert seen_as(http.get(AUDITOR, path)) == walk.moments[-1].seen[path]
        assert get(http, path, version=max(versions) + 1).status_code == 404


@pytest.mark.backends()
def test_a_project_version_shows_the_tickets_its_own_write_cancelled(http, walk):
    """The plan approval records the project's event, then cancels R3 in the same write: the project
    at that version shows R3 cancelled, by version and at any time from the write's own time on."""
    versions = first_seen(walk)[walk.paths()[0]]
    ((version, (_, then)),) = [(v, seen) for v, seen in versions.items() if seen[0] in WRITES_THAT_CANCEL_TICKETS]
    assert {t["requirement_ref"]: t["state"] for t in then[0]["tickets"]}["R3"] == "cancelled"
    assert seen_as(get(http, walk.paths()[0], version=version)) == then
    project_events = walk.http.get(AUDITOR, f"{walk.paths()[0]}/history").get_json()["items"]
    approved_at = next(e["time"] for e in project_events if e["version"] == version)
    assert seen_as(get(http, walk.paths()[0], as_of=approved_at)) == then
    # R3's own history puts its cancellation after the project's event; read as of that instant the
    # write is already whole, and the ticket is cancelled too.
    r3 = f"/api/tickets/{walk.launch.tickets['R3']}"
    assert seen_as(get(http, r3, as_of=approved_at))[0]["state"] == "cancelled"


@pytest.mark.backends()
def test_before_it_existed_is_404_saying_when_it_was_created(http, walk):
    for path, before in walk.created.items():
        created = datetime.fromisoformat(get(http, f"{path}/history").get_json()["items"][0]["time"])
        noun = {"projects": "project", "tickets": "ticket", "reviews": "trial review"}[path.split("/")[2]]
        for when in (before, before.astimezone(SHANGHAI), before - timedelta(days=365 * 100)):
            response = get(http, path, as_of=when.isoformat())
            assert response.status_code == 404, (path, when)
            body = response.get_json()
            assert body["code"] == 404
            assert body["message"].startswith(f"{noun} {path.split('/')[3]} did not exist yet at ")
            assert datetime.fromisoformat(body["errors"]["created"]) == created
            assert datetime.fromisoformat(body["errors"]["as_of"]) == when
    unknown = get(http, f"/api/projects/{uuid4()}", as_of=walk.moments[-1].at.isoformat())
    assert (unknown.status_code, unknown.get_json()["errors"]["what"]) == (404, "project")
    # A ticket did not exist at a moment before it was issued, though its project did.
    r4 = f"/api/tickets/{walk.launch.tickets['R4']}"
    earlier = next(m for m in walk.moments if m.label == "v3 approved")
    assert get(http, r4, as_of=earlier.at.isoformat()).status_code == 404


@pytest.mark.backends()
def test_far_past_and_far_future(http, walk):
    """Times at the ends of the calendar: before anything → 404, after everything → the state now."""
    for path in walk.paths():
        now = walk.moments[-1].seen[path]
        for when in ("9999-12-31T23:59:59+00:00", "9999-12-31T23:59:59.999999-14:00", "2999-01-01T00:00:00+08:00"):
            assert seen_as(get(http, path, as_of=when)) == now, when
        for when in ("0001-01-01T00:00:00+00:00", "0001-01-01T00:00:00+14:00", "0999-12-31T23:59:59+00:00"):
            response = get(http, path, as_of=when)
            assert response.status_code == 404, (path, when, response.get_json())


@pytest.mark.backends("memory", "sqlite")
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"as_of": "2026-12-01T09:00:00"}, "as_of"),  # no offset
        ({"as_of": "2026-02-30"}, "as_of"),  # a plain date is taken (the end of that day), not this one
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": "2026-13-01T09:00:00+08:00"}, "as_of"),
        ({"as_of": ""}, "as_of"),
        ({"version": "0"}, "version"),
        ({"version": "-1"}, "version"),
        ({"version": "latest"}, "version"),
        ({"version": "1.5"}, "version"),
        ({"version": ""}, "version"),
        ({"version": "1", "as_of": "2026-12-01T09:00:00+08:00"}, "as_of"),
    ],
)
def test_a_bad_time_or_version_is_422(http, tracker, query, field):
    launch = Launch(tracker).advance_to("trial_review")
    paths = (
        f"/api/projects/{launch.project_id}",
        f"/api/tickets/{launch.tickets['R1']}",
        f"/api/reviews/{launch.review_id}",
    )
    for path in paths:
        response = get(http, path, **query)
        assert response.status_code == 422, (path, query)
        body = response.get_json()
        assert body["code"] == 422
        assert field in str(body["errors"]), body


@pytest.mark.backends("sqlite")
def test_time_travel_is_for_every_signed_in_role_and_records_nothing(http, tracker):
    launch = Launch(tracker).advance_to("implementation")
    at = datetime.now(UTC)
    time.sleep(0.002)
    tracker.hold_meeting(PM, launch.project_id, date(2026, 11, 25), ["hr"], ["加快招聘"])
    path = f"/api/projects/{launch.project_id}"
    before = tracker.recorder.max_notification_id()
    answers = {str(seen_as(get(http, path, as_of=at.isoformat()))) for _ in range(2)}
    for actor in (*EVERYONE, BRANCH_HEAD, SYSMAINT_LEAD):
        response = http.get(actor, path, query_string={"as_of": at.isoformat()})
        answers.add(str(seen_as(response)))
    assert len(answers) == 1
    assert http.get(None, path, query_string={"as_of": at.isoformat()}).status_code == 401
    assert tracker.recorder.max_notification_id() == before


# --- the project's answer is dumped and encoded fast; it must be what the schema and json write ---


@pytest.mark.backends("memory")
def test_the_project_answer_is_the_schema_dump(app, http, walk):
    """``render.dump`` (no copies of the history lists) answers what ``ProjectOut().dump`` does, in its order."""
    from api import render
    from api.schemas.projects import ProjectOut

    tracker = app.extensions["tracker"]
    project_id = walk.launch.project_id
    with app.test_request_context():
        for version in range(1, tracker.load_project(project_id).version + 1):
            body = render.project(tracker.project_as_it_was(project_id, version), version=version)
            fast, marshmallow = render.dump(ProjectOut(), body), ProjectOut().dump(body)
            assert list(fast) == list(marshmallow)
            assert app.json.dumps(fast) == app.json.dumps(marshmallow), version
    then = http.get(AUDITOR, f"/api/projects/{project_id}", query_string={"version": 3})
    assert then.headers["ETag"] == '"3"' and then.mimetype == "application/json"


def test_response_bodies_are_what_json_writes(app):
    """Bodies are written by orjson, byte for byte what the standard encoder wrote; what orjson
    refuses (keys that are not text, integers beyond 64 bits) is written by the standard encoder."""
    import json
    import uuid
    from decimal import Decimal

    shanghai = datetime(2026, 12, 1, 9, 30, tzinfo=SHANGHAI)
    sample = {
        "utc": datetime(2026, 12, 1, 1, 30, 0, 123456, tzinfo=UTC),
        "shanghai": shanghai,
        "whole_second": datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        "naive": datetime(2026, 12, 1, 9, 30, 5),
        "day": date(2026, 12, 1),
        "id": uuid.UUID("6f1d3c3e-2b1a-4f55-9a51-7c0f1b8e2d10"),
        "money": Decimal("1.68"),
        "text": '排班覆蓋 7×8 小時 "quoted" \\ \n\t\u2028 é',
        "numbers": [0, -1, 2**63 - 1, 1.5, 0.1, 1e-07, 1e16, True, False, None],
        "nested": [{"a": [], "b": {}}, ("tuple", 1)],
    }

    def standard(obj: Any) -> bytes:
        text = json.dumps(obj, default=app.json.default, ensure_ascii=False, separators=(",", ":"))
        return f"{text}\n".encode()

    def floats_as_json_writes(raw: bytes) -> bytes:
        """The two write the shortest form of the same number; json adds a sign and a zero to exponents."""
        return raw.replace(b"1e-7", b"1e-07").replace(b"1e16", b"1e+16")

    with app.app_context():
        for obj in (sample, [sample, sample], {1: "int key", "x": {2: None}}, {"big": 2**70}, "text", 5, None):
            body = app.json.response(obj).get_data()
            assert floats_as_json_writes(body) == standard(obj), obj
            assert json.loads(body) == json.loads(standard(obj))
