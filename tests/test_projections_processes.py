"""Two web processes and one projection process on one PostgreSQL database, commands sent to both
web processes from several threads at once: the views converge to the state a rebuild gives.

Real processes: two gunicorn servers (``wsgi:app``; on PostgreSQL they do not run projections
themselves) and ``flask --app wsgi projections run``, all on a fresh schema. Each project's
commands alternate between the two servers; reads with ``?after=`` on the other server see them.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from api.auth import issue_token
from demo.workflow import (
    AUDITOR,
    BRANCH_HEAD,
    DIRECTOR,
    LEADS,
    PM,
    REQUIREMENTS,
    SALES,
    SERVICE,
    SERVICE_MANAGER,
    SOURCES,
    SYSMAINT_LEAD,
    plan,
    requirement,
)
from domain.application import Tracker
from domain.gates import REVIEW_ITEMS
from domain.roles import DEPARTMENTS, Actor
from projections.runner import NAMES, Runner
from store.views import ViewStore
from tests.projection_support import PROCESS_ENV, assert_views_equal, every_view, stopped, view_rows

ROOT = Path(__file__).resolve().parent.parent
SECRET = "test-secret-key-of-at-least-32-bytes"
LAG_HEADER = "X-Views-Lag"
PLAN = plan(
    requirement("R1", "hr", ("28 people hired", "training passed")),
    requirement("R2", "technology"),
    requirement("R3", "system_maintenance"),
)
REVISED = plan(
    requirement("R1", "hr", ("28 people hired",), complete_by=date(2026, 12, 1)),
    requirement("R2", "technology"),
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def encode(value: Any) -> str:
    return json.dumps(value, default=lambda o: o.isoformat() if isinstance(o, date) else str(o))


class Api:
    """Requests as an actor; commands go to the two servers in turn, each answer's position is kept."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.turn = itertools.count()
        self.positions: list[int] = []
        self.sent: Counter[int] = Counter()
        self.lock = threading.Lock()

    def request(self, port: int, method: str, path: str, actor: Actor, body: Any = None) -> tuple[int, dict, Any]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            headers = {"Authorization": f"Bearer {issue_token(SECRET, actor, 1)}"}
            if body is not None:
                headers["Content-Type"] = "application/json"
            conn.request(method, path, body=None if body is None else encode(body), headers=headers)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), json.loads(response.read() or b"null")
        finally:
            conn.close()

    def command(self, actor: Actor, method: str, path: str, body: Any = None) -> dict[str, Any]:
        port = self.ports[next(self.turn) % len(self.ports)]
        status, _, answer = self.request(port, method, path, actor, body)
        assert status < 300, f"{method} {path} on :{port} as {actor.role}: {status} {answer}"
        with self.lock:
            self.positions.append(answer["position"])
            self.sent[port] += 1
        return answer

    def view(self, port: int, path: str, after: int | None = None, actor: Actor = AUDITOR) -> Any:
        if after is not None:
            path += ("&" if "?" in path else "?") + f"after={after}"
        status, headers, answer = self.request(port, "GET", path, actor)
        assert status == 200, f"GET {path} on :{port}: {status} {answer}"
        assert LAG_HEADER not in headers, f"GET {path} on :{port}: views still lag {headers[LAG_HEADER]}"
        return answer


def launch(api: Api, number: int) -> str:
    """One project through the API; how far it goes and which detours it takes depend on ``number``."""
    code = f"HTTP-{number}"
    body = {"code": code, "name": code, "customer": "客戶", "service": SERVICE}
    p = api.command(SALES, "POST", "/api/projects", {**body, "requirements": REQUIREMENTS, "sources": SOURCES})["id"]
    api.command(
        DIRECTOR, "POST", f"/api/projects/{p}/appointment", {"project_manager": PM.user, "letter_reference": "RM"}
    )
    api.command(PM, "PUT", f"/api/projects/{p}/plan", PLAN)
    api.command(PM, "POST", f"/api/projects/{p}/plan/submission")
    review = {"participants": ["hr", "technology"], "outcome": "approved", "comments": "ok"}
    approved = api.command(PM, "POST", f"/api/projects/{p}/plan/review", review)
    reader = api.ports[number % 2]  # either server: read-your-writes whichever one took the command
    assert api.view(reader, f"/api/projects/{p}/plan", approved["position"])["current"]["plan_version"] == 1
    tickets = {t["requirement_ref"]: t for t in api.command(PM, "POST", f"/api/projects/{p}/tickets", {})["items"]}
    kind = number % 4
    if kind == 3:  # cancelled while its tickets are being worked on
        api.command(LEADS["hr"], "POST", f"/api/tickets/{tickets['R1']['id']}/start")
        api.command(DIRECTOR, "POST", f"/api/projects/{p}/cancellation", {"reason": "customer withdrew"})
        return p
    if kind == 2:  # a plan revision drops R3 (its ticket is cancelled) and changes R1
        api.command(PM, "POST", f"/api/projects/{p}/plan/revision", {"trigger": "force_majeure", "reason": "typhoon"})
        api.command(PM, "PUT", f"/api/projects/{p}/plan", REVISED)
        api.command(PM, "POST", f"/api/projects/{p}/plan/submission")
        api.command(PM, "POST", f"/api/projects/{p}/plan/review", review)
        del tickets["R3"]
    if kind == 1:  # R1 at risk: an alternative escalated to the branch head and approved
        t = tickets["R1"]["id"]
        api.command(LEADS["hr"], "POST", f"/api/tickets/{t}/risk", {"reason": "hiring slow"})
        alternative = {"description": "agency staff", "meets_requirements": True, "new_due": "2026-12-05"}
        n = api.command(LEADS["hr"], "POST", f"/api/tickets/{t}/alternatives", alternative)["alternative"]
        api.command(PM, "POST", f"/api/tickets/{t}/alternatives/{n}/confirmation", {"escalate": True})
        decision = {"outcome": "approved", "comments": "fine"}
        api.command(BRANCH_HEAD, "POST", f"/api/tickets/{t}/alternatives/{n}/approval", decision)
    for ref, item in sorted(tickets.items()):
        deliver(api, item["id"], LEADS[item["department"]], returned_once=kind == 2 and ref == "R2")
    if kind == 1:
        return p  # left in implementation, every ticket accepted
    manual = {"document_reference": "OM-1", "revision_note": "first"}
    api.command(SERVICE_MANAGER, "PUT", f"/api/projects/{p}/manual", manual)
    api.command(PM, "POST", f"/api/projects/{p}/manual/review", {"outcome": "approved", "comments": ""})
    api.command(PM, "POST", f"/api/projects/{p}/trial", {"start": "2026-12-07", "planned_end": "2026-12-18"})
    report = {"period_start": "2026-12-07", "period_end": "2026-12-17", "summary": "no outage"}
    api.command(SYSMAINT_LEAD, "POST", f"/api/projects/{p}/trial/equipment-report", report)
    opened = api.command(PM, "POST", f"/api/projects/{p}/reviews", {"held_on": "2026-12-18", "participants": ["hr"]})
    r = opened["review_id"]
    for item in REVIEW_ITEMS:
        api.command(PM, "PUT", f"/api/reviews/{r}/items/{item}", {"met": True, "evidence": "checked"})
    api.command(PM, "POST", f"/api/reviews/{r}/conclusion", {"summary": "all met"})
    decided = api.command(
        BRANCH_HEAD, "POST", f"/api/reviews/{r}/decision", {"decision": "go_live", "go_live_on": "2026-12-21"}
    )
    assert api.view(reader, f"/api/projects/{p}/go-live", decided["position"])["ready"] is True
    return p


def deliver(api: Api, t: str, lead: Actor, returned_once: bool) -> None:
    """Start (if still issued), submit and accept a ticket; returned once first if asked."""
    state = api.view(api.ports[0], f"/api/tickets/{t}")["state"]
    if state == "issued":
        api.command(lead, "POST", f"/api/tickets/{t}/start")
    api.command(lead, "POST", f"/api/tickets/{t}/submission", {"evidence": "delivered"})
    criteria = [
        {"criterion": c, "met": True, "note": ""}
        for c in api.view(api.ports[1], f"/api/tickets/{t}")["acceptance_criteria"]
    ]
    if returned_once:
        api.command(
            PM, "POST", f"/api/tickets/{t}/acceptance", {"outcome": "returned", "criteria": [], "comments": "redo"}
        )
        api.command(lead, "POST", f"/api/tickets/{t}/submission", {"evidence": "delivered again"})
    api.command(
        PM, "POST", f"/api/tickets/{t}/acceptance", {"outcome": "accepted", "criteria": criteria, "comments": ""}
    )


def views_over_http(api: Api, port: int, project_ids: list[str], after: int) -> dict[str, Any]:
    """Every view as one server answers it, once it has caught up to ``after``."""
    views: dict[str, Any] = {}
    for p in project_ids:
        for name in ("plan", "acceptance", "go-live"):
            views[f"{name} {p}"] = api.view(port, f"/api/projects/{p}/{name}", after)
    for department in DEPARTMENTS:
        views[f"board {department}"] = api.view(port, f"/api/departments/{department}/tickets", after)
    for path in ("/api/projects?limit=2", "/api/tickets?limit=5", "/api/audit/events?limit=40"):
        items, cursor = [], None
        while True:
            page = api.view(port, path + (f"&cursor={quote(cursor)}" if cursor else ""), after)
            items += page["items"]
            if not (cursor := page["next_cursor"]):
                break
        views[path] = items
    return views


def wait_ready(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"server on :{port} exited:\n{log.read_text()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.05)
    pytest.fail(f"server on :{port} not ready:\n{log.read_text()}")


def wait_running(projector: subprocess.Popen, log: Path) -> None:
    """The projection process has started its loop (a fresh checkout compiles every module first,
    which can take longer than a view's 5-second ``?after=`` wait)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if projector.poll() is not None:
            pytest.fail(f"projection process exited:\n{log.read_text()}")
        if "projections running" in log.read_text():
            return
        time.sleep(0.05)
    pytest.fail(f"projection process did not start:\n{log.read_text()}")


@contextmanager
def processes(url: str, folder: Path) -> Iterator[tuple[list[int], subprocess.Popen, Path]]:
    """Two gunicorn servers and a projection process; each stopped with SIGTERM (SIGKILL if it hangs)."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, **PROCESS_ENV}
    started: list[subprocess.Popen] = []

    def start(name: str, command: list[str]) -> tuple[subprocess.Popen, Path]:
        log = folder / f"{name}.log"
        with log.open("w") as out:
            started.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
        return started[-1], log

    try:
        ports = [free_port(), free_port()]
        servers = [
            start(f"web-{port}", [sys.executable, "-m", "gunicorn", "-w", "1", "-k", "gthread", "--threads", "4",
                                  "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"])
            for port in ports
        ]  # fmt: skip
        projector, log = start("projections", [sys.executable, "-m", "flask", "--app", "wsgi", "projections", "run"])
        for port, (server, server_log) in zip(ports, servers, strict=True):
            wait_ready(port, server, server_log)
        wait_running(projector, log)
        yield ports, projector, log
    finally:
        for process in started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in started:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.mark.postgres
def test_two_web_processes_and_a_projection_process_converge_to_the_rebuilt_views(
    postgres_schema_url: str, tmp_path: Path
) -> None:
    url = postgres_schema_url
    tracker, store = Tracker(url), ViewStore(url)  # the tables exist before three processes start at once
    try:
        with processes(url, tmp_path) as (ports, projector, projector_log):
            api = Api(ports)
            with ThreadPoolExecutor(6) as pool:
                project_ids = list(pool.map(lambda n: launch(api, n), range(6)))
            assert all(api.sent[port] > 50 for port in ports), api.sent
            last = max(api.positions)
            assert last == tracker.recorder.max_notification_id()
            served = [views_over_http(api, port, project_ids, last) for port in ports]
            assert_views_equal(served[0], served[1])

            status = subprocess.run(
                [sys.executable, "-m", "flask", "--app", "wsgi", "projections", "status"],
                cwd=ROOT,
                env={**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET},
                capture_output=True,
                text=True,
                timeout=30,
                check=True,
            ).stdout
            lines = [f"log head: {last}", *(f"{n}: position {last}, lag 0" for n in NAMES), "skipped events: 0"]
            assert status.splitlines() == lines

            assert stopped(projector, projector_log) == 0, projector_log.read_text()
            live_views, live_rows = every_view(store, tracker.mapper, project_ids), view_rows(store, tracker.mapper)

            assert Runner(tracker, store).rebuild() == last
            assert_views_equal(live_views, every_view(store, tracker.mapper, project_ids))
            assert live_rows == view_rows(store, tracker.mapper)
            assert_views_equal(served[0], views_over_http(api, ports[0], project_ids, last))
            assert_views_equal(served[1], views_over_http(api, ports[1], project_ids, last))
    finally:
        store.close()
        tracker.close()
