"""A client that retries a command with the same ``Idempotency-Key`` records the step once.

- the retry answers the first answer again (status and body, ``position`` and extras included)
  and records nothing, also when the first attempt was committed after the client gave up;
- the same key for another body, path or user is 422 ``idempotency_key_reused``, recording nothing;
- a refused command keeps no key, so the corrected retry with that key records;
- concurrent requests with one key record once and all answer alike;
- keys are kept the retention (48 h by default, never under 24 h), then forgotten;
- the OpenAPI document offers the header on every command.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from flask import Flask, g

from api import create_app, idempotency, shutdown
from demo.workflow import DIRECTOR, PM, SALES, SERVICE, Launch, plan
from domain.errors import ConcurrentUpdate
from store.idempotency import Claim, claiming, forget_expired, retention_from
from tests.api.conftest import SECRET, Http

KEY = "Idempotency-Key"
PLAN = {**plan(), "manual": {"requirements": "call flow and scripts", "due": "2026-12-04"}}
PLAN.update(trial_start="2026-12-07", trial_review="2026-12-18", go_live="2026-12-21")
PLAN["requirements"] = [
    {**r, "complete_by": r["complete_by"].isoformat(), "accept_by": r["accept_by"].isoformat()}
    for r in PLAN["requirements"]
]


def project_body(code: str = "SH-HOTLINE") -> dict[str, Any]:
    return {"code": code, "name": "上海應急熱線", "customer": "上海市應急管理服務中心", "service": SERVICE}


def keyed(key: str) -> dict[str, dict[str, str]]:
    return {"headers": {KEY: key}}


def log_end(tracker) -> int:
    return tracker.recorder.max_notification_id() or 0


def recorded_since(tracker, position: int) -> list[Any]:
    return tracker.recorder.select_notifications(start=position + 1, limit=1000)


def reused(response) -> dict[str, Any]:
    body = response.get_json()
    assert response.status_code == 422, body
    assert body["errors"]["reason"] == "idempotency_key_reused"
    assert KEY in body["errors"]
    return body


@pytest.mark.backends()
def test_a_retry_with_the_same_key_answers_the_first_answer_and_records_nothing(http: Http, tracker):
    key = str(uuid4())
    first = http.post(SALES, "/api/projects", json=project_body(), **keyed(key))
    assert first.status_code == 201, first.get_json()
    end = log_end(tracker)
    again = http.post(SALES, "/api/projects", json=project_body(), **keyed(key))
    assert (again.status_code, again.get_json()) == (201, first.get_json())
    assert log_end(tracker) == end

    launch = Launch(tracker, project_id=UUID(first.get_json()["id"])).appoint()
    project = f"/api/projects/{launch.project_id}"
    steps = [
        ("PUT", project + "/plan", PLAN, 200, "plan_version"),
        ("POST", project + "/plan/submission", None, 200, "phase"),
        ("POST", project + "/plan/review", {"participants": ["hr", "technology"], "outcome": "approved"}, 200, "phase"),
        ("POST", project + "/tickets", {}, 201, "items"),
    ]
    for method, path, body, status, extra in steps:
        key = str(uuid4())
        first = http.call(method, PM, path, json=body, **keyed(key))
        assert first.status_code == status, first.get_json()
        assert extra in first.get_json()
        end = log_end(tracker)
        again = http.call(method, PM, path, json=body, **keyed(key))
        assert (again.status_code, again.get_json()) == (status, first.get_json()), path
        assert log_end(tracker) == end, path


@pytest.mark.backends()
def test_the_same_key_for_another_request_is_422_and_records_nothing(http: Http, tracker):
    key = str(uuid4())
    first = http.post(SALES, "/api/projects", json=project_body("SH-ONE"), **keyed(key)).get_json()
    end = log_end(tracker)
    reused(http.post(SALES, "/api/projects", json=project_body("SH-TWO"), **keyed(key)))
    reused(http.post(SALES.__class__("liu.yang", "sales"), "/api/projects", json=project_body("SH-ONE"), **keyed(key)))
    appointment = {"project_manager": PM.user, "letter_reference": "任命書 RM-2026-045"}
    reused(http.post(DIRECTOR, f"/api/projects/{first['id']}/appointment", json=appointment, **keyed(key)))
    assert log_end(tracker) == end


@pytest.mark.backends()
def test_a_command_committed_after_the_client_gave_up_is_found_by_its_retry(app: Flask, http: Http, tracker):
    """The first attempt commits but its answer never reaches the client; the retry, maybe to
    another server process, answers what was committed."""
    key, body = str(uuid4()), project_body()
    headers = {KEY: key}
    with app.test_request_context("/api/projects", method="POST", json=body, headers=headers):
        g.actor = SALES
        claim = Claim(key, idempotency.fingerprint())
    with claiming(claim):
        lost = tracker.register_project(SALES, body["code"], body["name"], body["customer"], SERVICE, [], [])
    end = log_end(tracker)

    retry_app = app if app.config["DATABASE_URL"] == "memory://" else create_app(dict(app.config, TESTING=True))
    try:
        retry = Http(retry_app.test_client()).post(SALES, "/api/projects", json=body, headers=headers)
    finally:
        if retry_app is not app:
            shutdown(retry_app)
    assert retry.status_code == 201
    assert retry.get_json() == {
        "id": str(lost.id),
        "version": lost.version,
        "position": lost.position,
        "phase": "intake",
    }
    assert log_end(tracker) == end


@pytest.mark.backends()
def test_a_refused_command_keeps_no_key_so_the_corrected_retry_records(http: Http, tracker):
    key = str(uuid4())
    end = log_end(tracker)
    invalid = http.post(
        SALES, "/api/projects", json={**project_body(), "service": {**SERVICE, "seats": -1}}, **keyed(key)
    )
    assert invalid.status_code == 422
    assert log_end(tracker) == end
    corrected = http.post(SALES, "/api/projects", json=project_body(), **keyed(key))
    assert corrected.status_code == 201

    key = str(uuid4())
    appointment = {"project_manager": PM.user, "letter_reference": "任命書 RM-2026-045"}
    path = f"/api/projects/{corrected.get_json()['id']}/appointment"
    end = log_end(tracker)
    assert http.post(SALES, path, json=appointment, **keyed(key)).status_code == 403
    assert log_end(tracker) == end
    assert http.post(DIRECTOR, path, json=appointment, **keyed(key)).status_code == 200


def race(app: Flask, key: str, requests: list[tuple[Any, str, str, Any]]) -> list[tuple[int, Any]]:
    """Send the requests (actor, method, path, body) at once, each from its own thread, with ``key``."""
    start, answers = threading.Barrier(len(requests)), []

    def send(actor: Any, method: str, path: str, body: Any) -> None:
        client = Http(app.test_client())
        start.wait()
        response = client.call(method, actor, path, json=body, headers={KEY: key})
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=send, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.backends()
def test_concurrent_requests_with_one_key_record_once(app: Flask, tracker):
    """Every request answers the one that recorded, whether it waited for the write or clashed with it."""
    project = Launch(tracker).register().appoint().project_id
    meeting = {"held_on": "2026-12-01", "participants": ["hr"], "decisions": ["start hiring"]}
    for actor, method, path, body in [
        (SALES, "POST", "/api/projects", project_body("SH-RACE")),
        (PM, "POST", f"/api/projects/{project}/meetings", meeting),
    ]:
        end = log_end(tracker)
        answers = race(app, str(uuid4()), [(actor, method, path, body)] * 6)
        assert len({str(answer) for answer in answers}) == 1, answers
        status, answer = answers[0]
        assert status in (200, 201), answer
        written = recorded_since(tracker, end)
        assert {str(n.originator_id) for n in written} == {answer["id"]}
        assert written[-1].id == answer["position"]
        assert len({n.originator_version for n in written}) == len(written)


@pytest.mark.backends()
def test_concurrent_requests_with_one_key_and_other_bodies_record_one_of_them(app: Flask, tracker):
    """Six intakes of six projects under one key: whichever writes first keeps the key; the others,
    whose own events clash with nothing, are rolled back by the key and told it is taken."""
    end = log_end(tracker)
    answers = race(app, str(uuid4()), [(SALES, "POST", "/api/projects", project_body(f"SH-{n}")) for n in range(6)])
    assert sorted(status for status, _ in answers) == [201, 422, 422, 422, 422, 422], answers
    for status, body in answers:
        if status == 422:
            assert body["errors"]["reason"] == "idempotency_key_reused"
    (recorded,) = [body for status, body in answers if status == 201]
    assert {str(n.originator_id) for n in recorded_since(tracker, end)} == {recorded["id"]}


@pytest.mark.backends()
def test_a_key_is_stored_once_even_when_two_writes_claim_it(tracker):
    """In the store itself: a second write under a stored key fails whole, its events with it."""
    project = Launch(tracker).register().appoint().project_id
    claim = Claim(str(uuid4()), "a fingerprint")
    with claiming(claim):
        first = tracker.hold_meeting(PM, project, date(2026, 12, 1), ["hr"], ["start hiring"])
        end = log_end(tracker)
        with pytest.raises(ConcurrentUpdate):
            tracker.hold_meeting(PM, project, date(2026, 12, 2), ["hr"], ["hire"])
    assert log_end(tracker) == end
    assert tracker.project_as_it_was(project).version == first.version
    assert tracker.recorder.recorded_answer(claim.key).answer["position"] == first.position


@pytest.mark.backends()
def test_keys_are_kept_the_retention_then_forgotten(http: Http, tracker):
    path = f"/api/projects/{Launch(tracker).register().appoint().project_id}/meetings"
    meeting = {"held_on": "2026-12-01", "participants": ["hr"], "decisions": ["start hiring"]}
    key = str(uuid4())
    first = http.post(PM, path, json=meeting, **keyed(key)).get_json()
    now = datetime.now(UTC)
    assert forget_expired(tracker.recorder, timedelta(hours=48), now + timedelta(hours=47)) == 0
    assert forget_expired(tracker.recorder, timedelta(hours=24), now + timedelta(hours=23, minutes=59)) == 0
    assert http.post(PM, path, json=meeting, **keyed(key)).get_json() == first

    assert forget_expired(tracker.recorder, timedelta(hours=48), now + timedelta(hours=49)) == 1
    retry = http.post(PM, path, json=meeting, **keyed(key))
    assert retry.status_code == 200
    assert retry.get_json()["version"] == first["version"] + 1, "a forgotten key no longer guards the retry"


def test_the_retention_is_48_hours_unless_set_and_never_under_24():
    assert retention_from(None) == timedelta(hours=48)
    assert retention_from("72") == timedelta(hours=72)
    for hours in ("23.9", "0", "-1"):
        with pytest.raises(ValueError, match="at least 24"):
            retention_from(hours)
    with pytest.raises(ValueError, match="at least 24"):
        create_app({"DATABASE_URL": "memory://", "SECRET_KEY": SECRET, "IDEMPOTENCY_RETENTION_HOURS": "12"})


@pytest.mark.parametrize("bad", ["", "x" * 256, "clé", "tab\there"])
def test_a_bad_key_is_422_naming_the_header_and_records_nothing(http: Http, tracker, bad):
    end = log_end(tracker)
    response = http.post(SALES, "/api/projects", json=project_body(), **keyed(bad))
    body = response.get_json()
    assert response.status_code == 422, body
    assert KEY in body["errors"]
    assert log_end(tracker) == end


def test_a_key_of_255_printable_characters_is_accepted(http: Http):
    key = "".join(chr(33 + i % 94) for i in range(254)) + "~"
    response = http.post(SALES, "/api/projects", json=project_body(), **keyed(key))
    assert response.status_code == 201, response.get_json()


def test_every_command_offers_the_header_in_the_openapi_document(http: Http):
    document = http.get(None, "/api/openapi.json").get_json()
    commands = [(path, method, op) for path, item in document["paths"].items() for method, op in item.items()]
    commands = [(path, method, op) for path, method, op in commands if method in ("post", "put", "patch", "delete")]
    assert len(commands) > 30
    for path, method, operation in commands:
        headers = [p for p in operation.get("parameters", []) if p["in"] == "header" and p["name"] == KEY]
        assert len(headers) == 1, (method, path)
        assert "retry" in headers[0]["description"]
