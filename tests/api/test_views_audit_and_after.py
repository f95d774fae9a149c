"""The audit log view (JSON pages and CSV) and read-your-writes with ``?after=``.

The audit log is checked against itself: every filter must give exactly the events of
the unfiltered log that match, in the same newest-first order, on every page. The
``?after=`` tests run the projections the three ways the product does: in-process (the
SQLite default), the app's runner in a thread, and ``flask projections run`` in a
process of its own.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import threading
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from demo.workflow import (
    AUDITOR,
    BRANCH_HEAD,
    DIRECTOR,
    HR_LEAD,
    LEADS,
    OTHER_PM,
    PM,
    SALES,
    SERVICE_MANAGER,
    TECH_LEAD,
    Launch,
    plan,
    requirement,
)
from tests.api.conftest import SECRET, Http
from tests.api.views_support import SHANGHAI, UTC, Clock, head, read, running_app

ROOT = Path(__file__).resolve().parents[2]
CSV_HEADER = [
    "position",
    "time_shanghai",
    "time_utc",
    "actor",
    "role",
    "department",
    "project_id",
    "aggregate_id",
    "type",
    "summary",
]
AUDIT = "/api/audit/events"


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI))


@pytest.fixture
def app(database_url, clock):
    with running_app(database_url, clock) as app:
        yield app


# The audit log ---------------------------------------------------------------------------------


def audited_story(tracker) -> tuple[Launch, Launch]:
    """Project A: a rejected plan, an approved one, tickets worked by two leads; project B: appointed."""
    a = Launch(tracker).register().appoint()
    a.draft(plan(requirement("R1", "hr"), requirement("R2", "technology"))).submit_plan()
    tracker.review_plan(PM, a.project_id, ["hr"], "rejected", "人手不足：缺少質檢員")
    a.draft().submit_plan().approve_plan().issue_tickets()
    tracker.start_ticket(HR_LEAD, a.tickets["R1"])
    tracker.flag_risk(HR_LEAD, a.tickets["R1"], "招聘延遲，粵語客服難招")
    tracker.start_ticket(TECH_LEAD, a.tickets["R2"])
    b = Launch(tracker, code="B-ECOM").register()
    tracker.appoint_project_manager(DIRECTOR, b.project_id, OTHER_PM.user, "任命書 RM-2026-046")
    return a, b


def walk(http, path: str, /, limit: int, **params) -> list[dict]:
    """Every event of the log (as the auditor reads it), page by page, filtered by ``params``."""
    items: list[dict] = []
    cursor = None
    while True:
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        page = read(http, AUDITOR, path, **query)
        assert len(page["items"]) <= limit
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items
        assert len(page["items"]) == limit


def when(item: dict) -> datetime:
    return datetime.fromisoformat(item["time"])


def test_audit_log_is_for_the_auditor_and_the_operations_director(http, tracker):
    audited_story(tracker)
    for path in (AUDIT, f"{AUDIT}?format=csv"):
        assert http.get(None, path).status_code == 401
        for actor in (SALES, PM, OTHER_PM, SERVICE_MANAGER, BRANCH_HEAD, *LEADS.values()):
            response = http.get(actor, path)
            assert response.status_code == 403, (actor, path)
            assert response.get_json()["code"] == 403
        for actor in (AUDITOR, DIRECTOR):
            assert http.get(actor, path).status_code == 200


@pytest.mark.backends("sqlite", "postgres")
def test_audit_log_newest_first_with_who_when_and_what(http, tracker, app):
    a, b = audited_story(tracker)
    log = walk(http, AUDIT, limit=500)
    assert [e["position"] for e in log] == list(range(head(app), 0, -1))

    newest = log[0]
    assert (newest["type"], newest["actor"], newest["role"], newest["department"]) == (
        "ProjectManagerAppointed",
        DIRECTOR.user,
        "operations_director",
        None,
    )
    assert newest["project_id"] == newest["aggregate_id"] == str(b.project_id)
    assert newest["data"]["project_manager"] == OTHER_PM.user
    assert (
        newest["summary"] == "zhao.min (operations_director) appointed han.mei as project manager (任命書 RM-2026-046)"
    )

    rejected = next(e for e in log if e["type"] == "PlanRejected")
    assert rejected["data"]["comments"] == "人手不足：缺少質檢員"
    assert rejected["summary"] == "li.lei (project_manager) rejected plan version 1: 人手不足：缺少質檢員"
    risk = next(e for e in log if e["type"] == "RiskFlagged")
    assert (risk["actor"], risk["role"], risk["department"]) == (HR_LEAD.user, "department_lead", "hr")
    # a ticket's events belong to its project
    assert risk["aggregate_id"] == str(a.tickets["R1"]) and risk["project_id"] == str(a.project_id)
    assert risk["data"] == {"reason": "招聘延遲，粵語客服難招"}
    for event in log:
        moment = when(event)
        assert moment.utcoffset() is not None
        shanghai = datetime.fromisoformat(event["time_shanghai"])
        assert shanghai == moment and shanghai.utcoffset().total_seconds() == 8 * 3600
        assert event["project_id"] in (str(a.project_id), str(b.project_id))
    # the first event is the registration of A
    oldest = log[-1]
    assert (oldest["position"], oldest["type"], oldest["version"]) == (1, "Registered", 1)
    assert oldest["data"]["customer"] == "上海市應急管理服務中心"


@pytest.mark.backends("sqlite", "postgres")
def test_audit_log_filters(http, tracker):
    a, b = audited_story(tracker)
    log = walk(http, AUDIT, limit=500)

    def check(expected: list[dict], **filters: Any) -> list[dict]:
        found = walk(http, AUDIT, limit=4, **filters)
        assert [e["position"] for e in found] == [e["position"] for e in expected], filters
        assert found == expected
        return found

    assert check([e for e in log if e["project_id"] == str(b.project_id)], project=b.project_id)
    assert len(check([e for e in log if e["project_id"] == str(a.project_id)], project=a.project_id)) == len(log) - 2
    assert check([], project=uuid4()) == []
    for actor in (PM.user, HR_LEAD.user, SALES.user, "nobody"):
        check([e for e in log if e["actor"] == actor], actor=actor)
    for role in ("project_manager", "department_lead", "operations_director", "auditor"):
        check([e for e in log if e["role"] == role], role=role)
    assert len(check([e for e in log if e["department"] == "hr"], department="hr")) == 2
    assert len(check([e for e in log if e["department"] == "technology"], department="technology")) == 1
    assert len(check([e for e in log if e["type"] == "PlanRejected"], type="PlanRejected")) == 1
    assert len(check([e for e in log if e["type"] == "Issued"], type="Issued")) == 2
    check([e for e in log if e["type"] == "Started" and e["department"] == "hr"], type="Started", department="hr")
    check(
        [e for e in log if e["project_id"] == str(a.project_id) and e["role"] == "project_manager"],
        project=a.project_id,
        role="project_manager",
    )

    # since (from, inclusive) and until (before, exclusive), in any offset
    middle = log[len(log) // 2]
    moment = when(middle)
    since = check([e for e in log if when(e) >= moment], since=middle["time"])
    until = check([e for e in log if when(e) < moment], until=middle["time"])
    assert middle in since and middle not in until
    assert len(since) + len(until) == len(log)
    check([e for e in log if when(e) >= moment], since=moment.astimezone(SHANGHAI).isoformat())
    check([e for e in log if when(e) < moment], until=moment.astimezone(SHANGHAI).isoformat())
    check(log, since="2000-01-01T00:00:00+00:00", until="2100-01-01T00:00:00+08:00")
    check(log, since="0999-01-01T00:00:00+00:00")  # times are compared as times, whatever the year
    check(log, since="0001-01-01T00:00:00+00:00", until="9999-12-31T23:59:59+00:00")
    check([], since="9999-01-01T00:00:00+00:00")
    check([], until="2000-01-01T00:00:00Z")
    check(
        [e for e in log if e["role"] == "department_lead" and when(e) >= moment],
        since=middle["time"],
        role="department_lead",
    )


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=501",
        "cursor=abc",
        "cursor=-5",
        "cursor=99999999999999999999",  # beyond any position
        "cursor=%EF%BC%95",  # a full-width 5
        "actor=li%00lei",  # a NUL character: no database text holds one
        "role=%00",
        "type=Started%00",
        "since=0001-01-01T00:00:00%2B08:00",  # before the first instant in UTC
        "until=9999-12-31T23:59:59-08:00",  # after the last
        "format=csv&since=0001-01-01T00:00:00%2B08:00",
        "project=SH-HOTLINE",
        "department=finance",
        "since=2026-12-01T09:00:00",  # no offset: which day would that be?
        "until=yesterday",
        "format=xlsx",
    ],
)
def test_audit_log_refuses_bad_queries(http, query):
    response = http.get(AUDITOR, f"{AUDIT}?{query}")
    assert response.status_code == 422, query
    assert response.get_json()["errors"]


@pytest.mark.backends("sqlite", "postgres")
def test_audit_log_pages_have_no_gaps_and_no_duplicates(http, tracker):
    a, _ = audited_story(tracker)
    log = walk(http, AUDIT, limit=500)
    for limit in (1, 3, 7, len(log) - 1, len(log)):
        pages = walk(http, AUDIT, limit=limit)
        assert [e["position"] for e in pages] == [e["position"] for e in log], limit
    first = read(http, AUDITOR, AUDIT, limit=5)
    assert [e["position"] for e in first["items"]] == [e["position"] for e in log[:5]]
    second = read(http, AUDITOR, AUDIT, limit=5, cursor=first["next_cursor"])
    assert [e["position"] for e in second["items"]] == [e["position"] for e in log[5:10]]
    # new events do not shift a page already handed out: the cursor is a position
    tracker.hold_meeting(PM, a.project_id, date(2026, 11, 25), ["hr"], ["每週例會"])
    again = read(http, AUDITOR, AUDIT, limit=5, cursor=first["next_cursor"])
    assert again["items"] == second["items"]
    assert read(http, AUDITOR, AUDIT, limit=1)["items"][0]["type"] == "MeetingHeld"


@pytest.mark.backends("sqlite", "postgres")
def test_audit_log_as_csv(http, tracker):
    a, _ = audited_story(tracker)
    log = walk(http, AUDIT, limit=500)
    response = http.get(DIRECTOR, f"{AUDIT}?format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.mimetype_params.get("charset", "utf-8").lower() == "utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, so that Excel shows Chinese"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == CSV_HEADER
    records = [dict(zip(CSV_HEADER, row, strict=True)) for row in rows[1:]]
    assert len(records) == len(log)
    for record, event in zip(records, log, strict=True):
        assert int(record["position"]) == event["position"]
        for column in ("actor", "role", "project_id", "aggregate_id", "type", "summary"):
            assert record[column] == event[column], column
        assert record["department"] == (event["department"] or "")
        utc, shanghai = datetime.fromisoformat(record["time_utc"]), datetime.fromisoformat(record["time_shanghai"])
        assert utc == shanghai == when(event)
        assert utc.utcoffset().total_seconds() == 0 and shanghai.utcoffset().total_seconds() == 8 * 3600
    by_type = {r["type"]: r for r in records}
    assert "人手不足：缺少質檢員" in by_type["PlanRejected"]["summary"]
    assert "上海市應急管理服務中心" in records[-1]["summary"]
    assert "招聘延遲，粵語客服難招" in by_type["RiskFlagged"]["summary"]

    # the same filters; every matching row, whatever the page size
    response = http.get(AUDITOR, f"{AUDIT}?format=csv&limit=1&project={a.project_id}&role=department_lead")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline="")))
    expected = [e for e in log if e["project_id"] == str(a.project_id) and e["role"] == "department_lead"]
    assert len(expected) == 3
    assert [int(r[0]) for r in rows[1:]] == [e["position"] for e in expected]
    response = http.get(AUDITOR, f"{AUDIT}?format=csv&type=NoSuchEvent")
    assert response.get_data().decode("utf-8-sig").splitlines() == [",".join(CSV_HEADER)]


# Read your writes: ?after= ---------------------------------------------------------------------


def implementation_with_tickets(app) -> Launch:
    launch = Launch(app.extensions["tracker"]).advance_to("implementation").issue_tickets()
    app.extensions["views"].runner.catch_up()
    return launch


def start_r1(http, launch: Launch) -> int:
    answer = http.post(HR_LEAD, f"/api/tickets/{launch.tickets['R1']}/start")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["position"]


def r1_state_in_plan(body: dict) -> str:
    return next(r["ticket"]["state"] for r in body["current"]["requirements"] if r["ref"] == "R1")


def timed_get(http, actor, path: str):
    started = time.monotonic()
    response = http.get(actor, path)
    return response, time.monotonic() - started


def every_view_after(http, launch: Launch, position: int) -> None:
    """Every view read with ?after=position shows R1 started, without lag."""
    pid, r1 = launch.project_id, str(launch.tickets["R1"])

    def get(path: str, actor=AUDITOR) -> dict:
        response = http.get(actor, f"{path}{'&' if '?' in path else '?'}after={position}")
        assert response.status_code == 200, (path, response.get_json())
        assert "X-Views-Lag" not in response.headers, path
        return response.get_json()

    assert r1_state_in_plan(get(f"/api/projects/{pid}/plan")) == "in_progress"
    assert get(f"/api/projects/{pid}/acceptance")["by_state"] == {"in_progress": 1, "issued": 1}
    assert "R1 (in_progress)" in get(f"/api/projects/{pid}/go-live")["gates"][1]["why"]
    assert [t["state"] for t in get(f"/api/tickets?project={pid}&department=hr")["items"]] == ["in_progress"]
    assert [t["state"] for t in get("/api/departments/hr/tickets")["items"]] == ["in_progress"]
    assert get("/api/projects")["items"][0]["version"] == launch.project.version
    newest = get(f"{AUDIT}?limit=1")["items"][0]
    assert (newest["position"], newest["type"], newest["aggregate_id"]) == (position, "Started", r1)


@pytest.mark.backends("sqlite", "postgres")
def test_after_waits_for_the_projection_runner(database_url, clock):
    with running_app(database_url, clock, runner=False, PROJECTIONS_IN_PROCESS=False) as app:
        http = Http(app.test_client())
        views = app.extensions["views"]
        assert views.in_process is False
        launch = implementation_with_tickets(app)
        position = start_r1(http, launch)

        # without ?after= the view answers at once, as far as it got: R1 not started yet
        response, elapsed = timed_get(http, PM, f"/api/projects/{launch.project_id}/plan")
        assert response.status_code == 200 and elapsed < 2
        assert r1_state_in_plan(response.get_json()) == "issued"

        stop = threading.Event()

        def run_later() -> None:
            if not stop.wait(0.5):
                views.runner.run_forever(stop, 0.05)

        runner = threading.Thread(target=run_later, daemon=True)
        runner.start()
        try:
            response, elapsed = timed_get(http, PM, f"/api/projects/{launch.project_id}/plan?after={position}")
            assert response.status_code == 200
            assert "X-Views-Lag" not in response.headers
            assert 0.4 <= elapsed < 4.5, "it waited for the runner, not for the time limit"
            assert r1_state_in_plan(response.get_json()) == "in_progress"
            every_view_after(http, launch, position)
        finally:
            stop.set()
            runner.join(10)
        assert views.store.positions() == {"aggregates": position, "audit": position}


@pytest.mark.backends("sqlite", "postgres")
def test_after_without_a_runner_answers_after_the_time_limit_with_the_lag(database_url, clock):
    # PostgreSQL does not project in-process unless told; SQLite is told not to
    config = {} if "postgresql" in database_url else {"PROJECTIONS_IN_PROCESS": False}
    with running_app(database_url, clock, runner=False, **config) as app:
        http = Http(app.test_client())
        assert app.extensions["views"].in_process is False
        launch = implementation_with_tickets(app)
        caught_up = head(app)
        position = start_r1(http, launch)
        tracker = app.extensions["tracker"]
        tracker.start_ticket(TECH_LEAD, launch.tickets["R2"])

        response, elapsed = timed_get(http, PM, f"/api/projects/{launch.project_id}/acceptance?after={position}")
        assert response.status_code == 200
        assert 4.8 <= elapsed < 10
        assert int(response.headers["X-Views-Lag"]) == position - caught_up > 0
        assert response.get_json()["by_state"] == {"issued": 2}, "the answer is the view as far as it got"

        # a position the views already have is answered at once, without lag
        response, elapsed = timed_get(http, PM, f"/api/projects/{launch.project_id}/acceptance?after={caught_up}")
        assert response.status_code == 200 and elapsed < 2
        assert "X-Views-Lag" not in response.headers

        # once the views catch up, the same read is fresh at once
        app.extensions["views"].runner.catch_up()
        response, elapsed = timed_get(http, PM, f"/api/projects/{launch.project_id}/acceptance?after={head(app)}")
        assert elapsed < 2 and "X-Views-Lag" not in response.headers
        assert response.get_json()["by_state"] == {"in_progress": 2}


@pytest.mark.backends("sqlite", "postgres")
def test_after_with_flask_projections_run_in_its_own_process(database_url, clock, tmp_path):
    config = {} if "postgresql" in database_url else {"PROJECTIONS_IN_PROCESS": False}
    with running_app(database_url, clock, runner=False, **config) as app:
        http = Http(app.test_client())
        assert app.extensions["views"].in_process is False
        launch = implementation_with_tickets(app)

        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET, "PYTHONPATH": str(ROOT)}
        flask = Path(sys.executable).with_name("flask")
        log_path = tmp_path / "projections.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [str(flask), "--app", "wsgi", "projections", "run", "--poll", "0.05"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                deadline = time.monotonic() + 60
                while "projections running from positions" not in log_path.read_text():
                    assert process.poll() is None, log_path.read_text()
                    assert time.monotonic() < deadline, "the projections process did not start"
                    time.sleep(0.05)

                position = start_r1(http, launch)
                response, _ = timed_get(http, PM, f"/api/projects/{launch.project_id}/plan?after={position}")
                assert response.status_code == 200, response.get_json()
                assert "X-Views-Lag" not in response.headers, log_path.read_text()
                assert r1_state_in_plan(response.get_json()) == "in_progress"
                every_view_after(http, launch, position)

                # and it keeps up with the next command too
                answer = http.post(TECH_LEAD, f"/api/tickets/{launch.tickets['R2']}/start")
                body = read(
                    http, PM, f"/api/projects/{launch.project_id}/acceptance?after={answer.get_json()['position']}"
                )
                assert body["by_state"] == {"in_progress": 2}
            finally:
                process.terminate()
                returncode = process.wait(20)
        assert returncode == 0, log_path.read_text()


@pytest.mark.backends("memory", "sqlite")
def test_in_process_views_are_fresh_at_once(http, app):
    assert app.extensions["views"].in_process is True
    launch = Launch(app.extensions["tracker"]).advance_to("implementation").issue_tickets()
    position = start_r1(http, launch)
    for path in (
        f"/api/projects/{launch.project_id}/plan?after={position}",
        f"/api/projects/{launch.project_id}/plan",
    ):
        response, elapsed = timed_get(http, PM, path)
        assert response.status_code == 200 and elapsed < 2
        assert "X-Views-Lag" not in response.headers
        assert r1_state_in_plan(response.get_json()) == "in_progress"
    every_view_after(http, launch, position)
    # a position beyond the log is not waited for in-process: the views are at the head
    response, elapsed = timed_get(http, PM, f"/api/projects/{launch.project_id}/plan?after={position + 1000}")
    assert response.status_code == 200 and elapsed < 2


@pytest.mark.backends("postgres")
def test_postgres_apps_do_not_project_in_process_by_default(database_url):
    with running_app(database_url, runner=False) as app:
        assert app.extensions["views"].in_process is False
    with running_app(database_url, runner=False, PROJECTIONS_IN_PROCESS=True) as app:
        assert app.extensions["views"].in_process is True


def test_the_clock_decides_today_in_shanghai(app, clock):
    views = app.extensions["views"]
    clock.moment = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    assert views.today().isoformat() == "2027-01-01"
    clock.moment = datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC)
    assert views.today().isoformat() == "2026-12-31"
