"""``/readyz`` tells a load balancer when not to send traffic; ``?after=`` never parks a server thread for long.

Ready: the store answers and no view lags more than ``READY_MAX_LAG_EVENTS`` events or has an
unprocessed event older than ``READY_MAX_LAG_SECONDS`` (a dead projector). ``?after=`` beyond the
log's head answers at once with the current lag, and at most ``VIEWS_AFTER_MAX_WAITING`` readers
wait at once; the others answer at once with ``X-Views-Lag`` too.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from demo.workflow import PM
from store.outage import StoreUnavailable, unavailable
from tests.api.conftest import Http
from tests.api.views_support import Clock, head, running_app
from tests.test_store_outage import Load


@pytest.mark.backends("sqlite", "postgres")
def test_readyz_is_503_when_the_views_lag_too_many_events_and_ready_once_caught_up(database_url):
    with running_app(database_url, runner=False, PROJECTIONS_IN_PROCESS=False, READY_MAX_LAG_EVENTS=2) as app:
        http, load = Http(app.test_client()), Load(Http(app.test_client()))
        for _ in range(3):
            assert load.send()[0].status_code == 201
        lagging = http.get(None, "/readyz")
        assert lagging.status_code == 503
        body = lagging.get_json()
        assert body["status"] == "lagging" and body["store"] == "ok"
        assert body["views"] == {"aggregates": head(app), "audit": head(app)}
        assert body["reasons"][0].startswith("views_lag_events")

        app.extensions["views"].runner.catch_up()
        ready = http.get(None, "/readyz")
        assert ready.status_code == 200
        assert ready.get_json()["views"] == {"aggregates": 0, "audit": 0}
        assert ready.get_json()["today"] == app.extensions["views"].today().isoformat()


@pytest.mark.backends("sqlite", "postgres")
def test_readyz_is_503_when_the_oldest_unprocessed_event_is_too_old(database_url):
    clock = Clock(datetime.now(UTC))
    with running_app(database_url, clock, runner=False, PROJECTIONS_IN_PROCESS=False) as app:
        http, load = Http(app.test_client()), Load(Http(app.test_client()))
        assert load.send()[0].status_code == 201
        clock.moment = datetime.now(UTC) + timedelta(seconds=5)
        assert http.get(None, "/readyz").status_code == 200, "one event, 5 s old: still ready"
        clock.moment = datetime.now(UTC) + timedelta(seconds=31)
        stale = http.get(None, "/readyz")
        assert stale.status_code == 503
        assert stale.get_json()["reasons"][0].startswith("views_lag_seconds")
        assert stale.get_json()["oldest_unprocessed_seconds"] > 30


@pytest.mark.backends("memory", "sqlite")
def test_in_process_views_never_make_the_app_unready(database_url):
    with running_app(database_url, READY_MAX_LAG_EVENTS=0, READY_MAX_LAG_SECONDS=0.001) as app:
        http, load = Http(app.test_client()), Load(Http(app.test_client()))
        assert load.send()[0].status_code == 201
        ready = http.get(None, "/readyz")
        assert ready.status_code == 200 and ready.get_json()["status"] == "ready"


@pytest.mark.backends("sqlite", "postgres")
def test_after_beyond_the_head_answers_at_once_with_the_current_lag(database_url):
    with running_app(database_url, runner=False, PROJECTIONS_IN_PROCESS=False) as app:
        http, load = Http(app.test_client()), Load(Http(app.test_client()))
        app.extensions["views"].runner.catch_up()
        reached = head(app)
        for _ in range(2):
            load.send()
        started = time.monotonic()
        answer = http.get(PM, f"/api/projects?after={head(app) + 1000}")
        assert answer.status_code == 200 and time.monotonic() - started < 1
        assert int(answer.headers["X-Views-Lag"]) == head(app) - reached

        app.extensions["views"].runner.catch_up()
        answer = http.get(PM, f"/api/projects?after={head(app) + 1000}")
        assert answer.status_code == 200 and "X-Views-Lag" not in answer.headers


@pytest.mark.backends("sqlite", "postgres")
def test_readers_beyond_the_cap_do_not_wait(database_url):
    config = {"PROJECTIONS_IN_PROCESS": False, "VIEWS_AFTER_MAX_WAITING": 1, "VIEWS_AFTER_TIMEOUT": 3}
    with running_app(database_url, runner=False, **config) as app:
        load = Load(Http(app.test_client()))
        position = load.send()[0].get_json()["position"]
        waited: list[float] = []

        def first_reader() -> None:
            started = time.monotonic()
            Http(app.test_client()).get(PM, f"/api/projects?after={position}")
            waited.append(time.monotonic() - started)

        reader = threading.Thread(target=first_reader)
        reader.start()
        time.sleep(0.5)  # (the first reader is waiting by now)
        started = time.monotonic()
        answer = Http(app.test_client()).get(PM, f"/api/projects?after={position}")
        assert answer.status_code == 200 and time.monotonic() - started < 1
        assert int(answer.headers["X-Views-Lag"]) == position
        reader.join(10)
        assert waited[0] >= 2.9, "the first reader waited for the views"


def test_a_locked_sqlite_database_is_an_outage_and_a_syntax_error_is_not(tmp_path):
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError) as locked:
            other.execute("SELECT * FROM t")
        with pytest.raises(sqlite3.OperationalError) as syntax:
            holder.execute("SELEKT 1")
    finally:
        holder.execute("ROLLBACK")
        other.close()
        holder.close()
    assert unavailable(locked.value)
    assert not unavailable(syntax.value)
    assert unavailable(StoreUnavailable("down"))
    assert not unavailable(ValueError("bad input"))


@pytest.mark.backends("sqlite", "postgres")
def test_once_a_reader_waited_in_vain_the_next_ones_do_not_wait_until_the_views_move(database_url):
    with running_app(database_url, runner=False, PROJECTIONS_IN_PROCESS=False, VIEWS_AFTER_TIMEOUT=1) as app:
        http, load = Http(app.test_client()), Load(Http(app.test_client()))
        position = load.send()[0].get_json()["position"]
        started = time.monotonic()
        assert http.get(PM, f"/api/projects?after={position}").headers["X-Views-Lag"] == str(position)
        assert time.monotonic() - started >= 0.9, "the first reader waited for the (stopped) projector"
        started = time.monotonic()
        assert http.get(PM, f"/api/projects?after={position}").headers["X-Views-Lag"] == str(position)
        assert time.monotonic() - started < 0.5, "the next one did not"

        app.extensions["views"].runner.catch_up()
        later = load.send()[0].get_json()["position"]
        threading.Timer(0.3, app.extensions["views"].runner.catch_up).start()
        answer = http.get(PM, f"/api/projects?after={later}")
        assert "X-Views-Lag" not in answer.headers, "the views moved: readers wait for them again"
