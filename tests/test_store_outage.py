"""Working through database outages, on PostgreSQL behind a proxy the tests cut (``tests/fault_proxy.py``).

While the database is unreachable commands and views answer 503 ``store_unavailable`` with
``Retry-After`` within 3 s, ``/healthz`` at once and ``/readyz`` 503 within 2 s; once it is back
everything recovers without a restart — commands, views, readiness and the projector — and
every command that was acknowledged is in the store.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from api import create_app, shutdown
from demo.workflow import PM, SALES, Launch
from domain.application import Tracker
from tests.api.conftest import SECRET, Http
from tests.api.test_http_errors import project_body
from tests.fault_proxy import FaultProxy

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[1]
CODES = itertools.count(1)


class Load:
    """Commands as a client sends them: each registers a new project; the 2xx answers are remembered.

    ``send(idempotency_key=...)`` adds an ``Idempotency-Key`` header (for retries that must not double).
    """

    def __init__(self, http: Http) -> None:
        self.http = http
        self.acknowledged: list[str] = []
        self.lock = threading.Lock()

    def send(self, idempotency_key: str | None = None) -> tuple[Any, float]:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        body = project_body(f"OUT-{uuid.uuid4().hex[:6]}-{next(CODES)}")
        started = time.monotonic()
        answer = self.http.post(SALES, "/api/projects", json=body, headers=headers)
        took = time.monotonic() - started
        if 200 <= answer.status_code < 300:
            with self.lock:
                self.acknowledged.append(answer.get_json()["id"])
        return answer, took


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def eventually(check: Callable[[], Any], within: float, what: str) -> Any:
    deadline = time.monotonic() + within
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, f"{what} did not happen within {within} s"
        time.sleep(0.2)


def through(url: str, proxy: FaultProxy | None, application_name: str) -> str:
    """``url`` with the proxy's port (if any) and an application name of the test's own."""
    parts = urlsplit(url)
    netloc = parts.netloc if proxy is None else parts.netloc.rsplit(":", 1)[0] + f":{proxy.port}"
    return urlunsplit(parts._replace(netloc=netloc, query=f"{parts.query}&application_name={application_name}"))


def stored_projects(url: str) -> set[str]:
    """The ids of every project registered in the store (read directly, not through the proxy)."""
    tracker = Tracker(url)
    try:
        notifications = tracker.recorder.select_notifications(1, 100_000)
        return {str(n.originator_id) for n in notifications if n.topic.endswith("Project.Registered")}
    finally:
        tracker.close()


def assert_store_unavailable(answer: Any, took: float, limit: float) -> None:
    body = answer.get_json()
    assert answer.status_code == 503, body
    assert body["errors"] == {"reason": "store_unavailable"}, body
    assert int(answer.headers["Retry-After"]) >= 1
    assert took < limit, f"answered after {took:.1f} s"


@pytest.fixture
def proxy(postgres_url: str) -> Iterator[FaultProxy]:
    parts = urlsplit(postgres_url)
    proxy = FaultProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    yield proxy
    proxy.close()


@contextmanager
def served(url: str, runner: bool = True, **config: Any) -> Iterator[Any]:
    """The app as production runs it (views projected elsewhere), with its runner in a thread."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "PROJECTIONS_IN_PROCESS": False, **config})
    stop = threading.Event()
    thread = threading.Thread(target=app.extensions["views"].runner.run_forever, args=(stop, 0.05), daemon=True)
    if runner:
        thread.start()
    try:
        yield app
    finally:
        stop.set()
        if runner:
            thread.join(15)
        shutdown(app)


def project_read(http: Http, project_id: str, position: int) -> Any:
    return http.get(PM, f"/api/projects?after={position}&customer=上海市應急管理服務中心&limit=500")


def test_an_outage_answers_503_at_once_and_everything_recovers_without_a_restart(postgres_schema_url, proxy):
    url = through(postgres_schema_url, proxy, f"outage-{uuid.uuid4().hex[:8]}")
    with served(url) as app:
        http, load = Http(app.test_client()), Load(Http(app.test_client()))
        answer, _ = load.send()
        assert answer.status_code == 201, answer.get_json()
        assert project_read(http, answer.get_json()["id"], answer.get_json()["position"]).status_code == 200
        assert http.get(None, "/readyz").status_code == 200

        proxy.cut()
        for _ in range(3):
            assert_store_unavailable(*load.send(), limit=3)
            assert_store_unavailable(*timed(lambda: http.get(PM, "/api/projects")), limit=3)
            assert_store_unavailable(*timed(lambda: http.get(PM, "/api/departments/hr/tickets")), limit=3)
            healthz, took = timed(lambda: http.get(None, "/healthz"))
            assert healthz.status_code == 200 and took < 0.5
            ready, took = timed(lambda: http.get(None, "/readyz"))
            assert ready.status_code == 503 and took < 2, ready.get_json()
            assert ready.get_json()["reasons"] == ["store_unavailable"]

        proxy.restore()
        answer = eventually(lambda: (a := load.send()[0]).status_code == 201 and a, 20, "a command succeeding")
        position = answer.get_json()["position"]
        fresh = eventually(
            lambda: (r := project_read(http, answer.get_json()["id"], position)).status_code == 200 and r, 20, "views"
        )
        assert "X-Views-Lag" not in fresh.headers, "the projector caught up"
        assert answer.get_json()["id"] in {p["id"] for p in fresh.get_json()["items"]}
        assert eventually(lambda: http.get(None, "/readyz").status_code == 200, 20, "ready again")
    assert stored_projects(postgres_schema_url) == set(load.acknowledged), "acknowledged = stored, nothing more"


def test_commands_under_load_through_a_cut_lose_nothing_that_was_acknowledged(postgres_schema_url, proxy):
    url = through(postgres_schema_url, proxy, f"load-{uuid.uuid4().hex[:8]}")
    with served(url, runner=False) as app:
        load, stop, slowest = Load(Http(app.test_client())), threading.Event(), []

        def client() -> None:
            mine = Load(Http(app.test_client()))
            while not stop.is_set():
                answer, took = mine.send()
                slowest.append(took)
                assert answer.status_code in (201, 503), answer.get_json()
                time.sleep(0.02)
            with load.lock:
                load.acknowledged += mine.acknowledged

        clients = [threading.Thread(target=client, daemon=True) for _ in range(3)]
        for thread in clients:
            thread.start()
        time.sleep(0.5)
        proxy.cut()
        time.sleep(2)
        proxy.restore()
        time.sleep(0.5)
        eventually(lambda: load.send()[0].status_code == 201, 20, "a command succeeding")
        stop.set()
        for thread in clients:
            thread.join(10)
    assert max(slowest) < 3, f"slowest answer {max(slowest):.1f} s"
    assert set(load.acknowledged) <= stored_projects(postgres_schema_url), "an acknowledged command was lost"


def meetings_recorded(url: str, project_id: Any) -> list[str]:
    """The decisions of every coordination meeting the project's history holds (read past the proxy)."""
    tracker = Tracker(url)
    try:
        return [e.decisions[0] for e in tracker.history(project_id) if type(e).__name__ == "MeetingHeld"]
    finally:
        tracker.close()


def test_commands_retried_with_their_key_through_a_cut_are_each_recorded_once(postgres_schema_url, proxy):
    """Clients retry each command with its ``Idempotency-Key`` until it is acknowledged, as the
    header's contract asks. A meeting is appended, not set, so a retry of a command that was
    committed while its answer was lost in the cut would record it twice: it must not."""
    url = through(postgres_schema_url, proxy, f"retry-{uuid.uuid4().hex[:8]}")
    with served(url, runner=False) as app:
        projects = [
            Launch(app.extensions["tracker"], code=f"RETRY-{n}").register().appoint().project_id for n in range(3)
        ]
        acknowledged: dict[Any, list[str]] = {project: [] for project in projects}
        stop, retried = threading.Event(), []

        def client(project: Any) -> None:
            http = Http(app.test_client())
            for n in itertools.count():
                if stop.is_set():
                    return
                key = f"meeting-{project}-{n}"
                body = {"held_on": "2026-12-01", "participants": ["hr"], "decisions": [key]}
                deadline = time.monotonic() + 30
                while True:
                    answer = http.post(
                        PM, f"/api/projects/{project}/meetings", json=body, headers={"Idempotency-Key": key}
                    )
                    if answer.status_code == 200:
                        acknowledged[project].append(key)
                        break
                    assert answer.status_code == 503, answer.get_json()
                    retried.append(key)
                    assert time.monotonic() < deadline, f"{key} never acknowledged"
                    time.sleep(0.05)

        clients = [threading.Thread(target=client, args=(project,), daemon=True) for project in projects]
        for thread in clients:
            thread.start()
        time.sleep(0.5)
        proxy.cut()
        time.sleep(2)
        proxy.restore()
        time.sleep(1.5)
        stop.set()
        for thread in clients:
            thread.join(40)
    assert retried, "no command met the cut"
    for project, keys in acknowledged.items():
        recorded = meetings_recorded(postgres_schema_url, project)
        assert keys, "no command was acknowledged"
        assert sorted(recorded) == sorted(keys), "a command was lost or recorded twice"


def test_the_projector_process_rides_out_a_cut_and_logs_it_once(postgres_schema_url, proxy, tmp_path):
    url = through(postgres_schema_url, proxy, f"projector-{uuid.uuid4().hex[:8]}")
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, "PYTHONPATH": str(ROOT)}
    flask = Path(sys.executable).with_name("flask")
    log_path = tmp_path / "projections.log"
    with served(postgres_schema_url, runner=False) as app, log_path.open("w") as log:
        http, load = Http(app.test_client()), Load(Http(app.test_client()))
        process = subprocess.Popen(
            [str(flask), "--app", "wsgi", "projections", "run", "--poll", "0.05"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            eventually(lambda: "projections running" in log_path.read_text() or process.poll(), 30, "start")
            assert process.poll() is None, log_path.read_text()
            proxy.cut()
            time.sleep(4)  # a few retries' worth
            answer, _ = load.send()  # (the app itself is not behind the proxy)
            assert answer.status_code == 201
            proxy.restore()
            position = answer.get_json()["position"]
            eventually(
                lambda: "X-Views-Lag" not in project_read(http, answer.get_json()["id"], position).headers,
                20,
                "the projector catching up",
            )
        finally:
            process.terminate()
            returncode = process.wait(20)
    text = log_path.read_text()
    assert returncode == 0, text
    assert text.count("projections: store unavailable") == 1, text
    assert text.count("projections: resumed") == 1, text


def test_the_projector_and_commands_survive_their_connections_being_terminated(postgres_schema_url, postgres_url):
    name = f"terminated-{uuid.uuid4().hex[:8]}"
    with served(through(postgres_schema_url, None, name)) as app:
        http, load = Http(app.test_client()), Load(Http(app.test_client()))
        first, _ = load.send()
        assert project_read(http, first.get_json()["id"], first.get_json()["position"]).status_code == 200

        with psycopg.connect(postgres_url, autocommit=True) as admin:
            ended = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = %s AND pid <> pg_backend_pid()",
                (name,),
            ).fetchone()[0]
        assert ended >= 2, "the app's and the views' connections were ended"

        answer, _ = load.send()
        assert answer.status_code == 201, answer.get_json()  # a broken connection is replaced, not reported
        fresh = project_read(http, answer.get_json()["id"], answer.get_json()["position"])
        assert fresh.status_code == 200 and "X-Views-Lag" not in fresh.headers
        assert answer.get_json()["id"] in {p["id"] for p in fresh.get_json()["items"]}
        assert http.get(None, "/readyz").status_code == 200
