"""Input that cannot hurt: text with control characters, bodies that would break the parser, figures and
dates beyond what a call-centre launch can mean, all refused with 422 naming the field, recording nothing.

The set-up goes through the domain (``Launch``); every checked request goes over HTTP.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from demo.workflow import DIRECTOR, PM, SALES, SYSMAINT_LEAD, Launch, plan
from tests.api.test_http_errors import error_body, nothing_recorded, project_body, watched

JSON = {"Content-Type": "application/json"}


def register(http, tracker, body: Any, raw: bool = False):
    """POST a project (``raw``: ``body`` is the JSON text itself); the log must not move unless it is created."""
    data = body if raw else json.dumps(body)
    return http.post(SALES, "/api/projects", data=data, headers=JSON)


def refused(response) -> dict[str, Any]:
    """The 422 error body's fields."""
    return error_body(response, 422)["errors"]


@pytest.mark.backends()
def test_a_nul_anywhere_in_a_project_is_refused_naming_every_field(http, tracker):
    body = project_body("NUL-1")
    body.update(name="name\x00", customer="c\x00x", code="NUL\x00-1")
    body["service"]["languages"] = ["普通話", "粵\x00語"]
    body["requirements"] = [{"kind": "customer", "text": "ok"}, {"kind": "customer", "text": "a\x00"}]
    body["sources"] = [{"kind": "contract", "reference": "HT\x00"}]
    with nothing_recorded(tracker):
        errors = refused(register(http, tracker, body))
    assert sorted(errors) == [
        "code",
        "customer",
        "name",
        "requirements.1.text",
        "service.languages.1",
        "sources.0.reference",
    ]
    assert "U+0000" in errors["customer"][0]


@pytest.mark.backends()
def test_a_nul_in_the_appointed_project_manager_is_refused(http, tracker):
    launch = Launch(tracker).register()
    path = f"/api/projects/{launch.project_id}/appointment"
    with nothing_recorded(tracker, *watched(launch)):
        response = http.post(DIRECTOR, path, json={"project_manager": "li\x00lei", "letter_reference": "RM\x1b[2J"})
        assert sorted(refused(response)) == ["letter_reference", "project_manager"]


@pytest.mark.parametrize("char", ["\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f"])
def test_other_control_characters_are_refused(http, tracker, char):
    with nothing_recorded(tracker):
        assert list(refused(register(http, tracker, {**project_body("CTL"), "customer": f"a{char}b"}))) == ["customer"]


def test_tab_line_feed_and_carriage_return_are_text(http, tracker):
    body = {**project_body("TABS"), "name": "上海\t應急\r\n熱線", "customer": "line one\nline two"}
    response = register(http, tracker, body)
    assert response.status_code == 201, response.get_json()
    project = tracker.load_project(response.get_json()["id"])
    assert (project.name, project.customer) == ("上海\t應急\r\n熱線", "line one\nline two")


def test_a_control_character_in_a_field_name_is_refused(http, tracker):
    with nothing_recorded(tracker):
        response = register(http, tracker, {**project_body("KEY"), "cust\x00omer": "x"})
        assert list(refused(response)) == ["body"]


def test_control_characters_in_a_query_or_a_path_are_refused(http):
    assert list(refused(http.get(DIRECTOR, "/api/projects?customer=a%01b"))) == ["customer"]
    assert list(refused(http.get(DIRECTOR, "/api/projects?unknown=%7F"))) == ["unknown"]
    assert list(refused(http.get(DIRECTOR, "/api/departments/hr%00/tickets"))) == ["department"]


def nested(depth: int) -> str:
    """A JSON value of ``depth`` levels of lists (the body around it counts one more)."""
    return "[" * depth + "]" * depth


@pytest.mark.backends()
def test_deep_nesting_is_refused_before_it_is_parsed(http, tracker):
    with nothing_recorded(tracker):
        deepest = json.dumps(project_body("DEEP"))[:-1] + f', "extra": {nested(31)}}}'  # 32 levels: parsed
        assert list(refused(register(http, tracker, deepest, raw=True))) == ["extra"]
        too_deep = json.dumps(project_body("DEEP"))[:-1] + f', "extra": {nested(32)}}}'
        assert refused(register(http, tracker, too_deep, raw=True)) == {"body": ["nested deeper than 32 levels"]}
        huge = nested(100_000)  # 200 KB of brackets: the parser would recurse into a RecursionError
        assert list(refused(register(http, tracker, huge, raw=True))) == ["body"]
        in_text = {**project_body("DEEP"), "customer": nested(100)}  # brackets inside a string are text
    assert register(http, tracker, in_text).status_code == 201


@pytest.mark.backends()
def test_numbers_too_long_or_too_large_are_refused_before_they_are_parsed(http, tracker):
    def with_seats(literal: str) -> str:
        return json.dumps(project_body("BIG", seats=0)).replace('"seats": 0', f'"seats": {literal}')

    with nothing_recorded(tracker):
        for literal in ("9" * 5000, "1" + "0" * 30, "1e999", "-1E+400", "1e-999", "NaN", "Infinity", "-Infinity"):
            assert list(refused(register(http, tracker, with_seats(literal), raw=True))) == ["body"], literal
        assert list(refused(register(http, tracker, with_seats("9" * 30), raw=True))) == ["service.seats"]
        assert list(refused(register(http, tracker, with_seats(str(2**63)), raw=True))) == ["service.seats"]
        assert list(refused(register(http, tracker, with_seats("1e300"), raw=True))) == ["service.seats"]


SERVICE_EDGES = [
    ("seats", 1, 0),
    ("seats", 100_000, 100_001),
    ("days_per_week", 1, 0),
    ("days_per_week", 7, 8),
    ("languages", ["zh"] * 20, ["zh"] * 21),
    ("languages", ["x" * 64], ["x" * 65]),
]
PROJECT_EDGES = [
    ("code", "C" * 64, "C" * 65),
    ("name", "n" * 200, "n" * 201),
    ("customer", "c" * 200, "c" * 201),
    ("requirements", [{"kind": "customer", "text": "t" * 4000}], [{"kind": "customer", "text": "t" * 4001}]),
    ("requirements", [{"kind": "customer", "text": "t"}] * 200, [{"kind": "customer", "text": "t"}] * 201),
    ("sources", [{"kind": "contract", "reference": "r"}] * 100, [{"kind": "contract", "reference": "r"}] * 101),
]


@pytest.mark.parametrize(("field", "edge", "past"), SERVICE_EDGES, ids=lambda v: str(v)[:12])
def test_service_bounds_at_the_edge_and_one_past(http, tracker, field, edge, past):
    assert register(http, tracker, project_body("EDGE", **{field: edge})).status_code == 201
    with nothing_recorded(tracker):
        errors = refused(register(http, tracker, project_body("PAST", **{field: past})))
    assert [path.split(".")[:2] for path in errors] == [["service", field]], errors


@pytest.mark.parametrize(("field", "edge", "past"), PROJECT_EDGES, ids=lambda v: str(v)[:12])
def test_project_bounds_at_the_edge_and_one_past(http, tracker, field, edge, past):
    edge_body = {**project_body("EDGE"), field: edge}
    assert register(http, tracker, edge_body).status_code == 201
    past_body = {**project_body("PAST"), field: past}
    with nothing_recorded(tracker):
        errors = refused(register(http, tracker, past_body))
    assert [path.split(".")[0] for path in errors] == [field], errors


def plan_with(**changes: Any) -> dict[str, Any]:
    body = json.loads(json.dumps(plan(), default=str))
    for key, value in changes.items():
        if key == "headcount":
            body["positions"] = [{"title": "agent", "headcount": value}]
        elif key == "complete_by":
            body["requirements"][0]["complete_by"] = value
        else:
            body[key] = value
    return body


@pytest.mark.parametrize(
    ("change", "edge", "past", "field"),
    [
        ("headcount", 10_000, 10_001, "positions.0.headcount"),
        ("headcount", 1, 0, "positions.0.headcount"),
        ("complete_by", "2000-01-01", "1999-12-31", "requirements.0.complete_by"),
        ("go_live", "2100-12-31", "2101-01-01", "go_live"),
        ("hardware", ["pc"] * 100, ["pc"] * 101, "hardware"),
    ],
)
def test_plan_bounds_at_the_edge_and_one_past(http, tracker, change, edge, past, field):
    launch = Launch(tracker).advance_to("planning")
    path = f"/api/projects/{launch.project_id}/plan"
    accepted = http.put(PM, path, json=plan_with(**{change: edge}))
    assert field not in (accepted.get_json().get("errors") or {}), accepted.get_json()  # (a rule may still refuse it)
    with nothing_recorded(tracker, *watched(launch)):
        assert list(refused(http.put(PM, path, json=plan_with(**{change: past})))) == [field]


@pytest.mark.parametrize(
    ("started_at", "refused_too"),
    [
        ("2000-01-01T00:00:00+00:00", False),
        ("1999-12-31T23:59:59+00:00", True),
        ("2101-01-01T07:00:00+08:00", False),  # 2100-12-31 in UTC
        ("2101-01-01T09:00:00+08:00", True),
    ],
)
def test_times_are_bounded_in_utc(http, tracker, started_at, refused_too):
    launch = Launch(tracker).advance_to("trial_operation")
    body = {"started_at": started_at, "ended_at": "2026-12-10T14:30:00+08:00", "provider_caused": True, "cause": "x"}
    response = http.post(SYSMAINT_LEAD, f"/api/projects/{launch.project_id}/outages", json=body)
    errors = response.get_json().get("errors") or {}
    assert ("started_at" in errors) is refused_too, response.get_json()


def test_the_command_line_refuses_a_user_name_with_control_characters(app):
    """``users issue-token --user`` names the actor every event of that token records."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "issue-token", "--user", "li\x00lei", "--role", "sales"])
    assert result.exit_code == 2 and "U+0000" in result.output
    assert runner.invoke(args=["users", "issue-token", "--user", "li.lei", "--role", "sales"]).exit_code == 0


def test_status_and_readiness_count_the_events_a_view_skipped(app, http, tracker):
    first = register(http, tracker, project_body("FIRST")).get_json()["id"]
    stored = tracker.recorder.select_notifications(1, 1)[0]
    tracker.recorder.insert_events([StoredEvent(first, 2, "domain.project:Project.Gone", stored.state)])
    assert http.get(DIRECTOR, "/api/projects").status_code == 200  # (the views catch up, past that event)

    status = app.test_cli_runner().invoke(args=["projections", "status"])
    assert "skipped events: 2" in status.output
    assert "position 2 Project.Gone, skipped by aggregates" in status.output
    assert app.test_client().get("/readyz").get_json()["skipped_events"] == 2
