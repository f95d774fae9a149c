"""A projection process killed with SIGKILL in the middle of its work, and restarted, ends equal to a
full rebuild: every event applied exactly once — no duplicate, no gap — on SQLite and PostgreSQL.

The processes are real: the ``flask --app wsgi projections run`` command, and a small script running
``Runner`` in tiny random batches (so that a kill lands inside a batch or its commit more often
than between two); in some rounds both run at once. They are killed at random moments after
progress was made, several times, then the command is restarted until the views have caught up.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from demo.workflow import DIRECTOR, LEADS, Launch, plan, requirement
from domain.application import Tracker
from projections.runner import NAMES, Runner
from store.views import ViewStore
from tests.projection_support import (
    PROCESS_ENV,
    assert_views_equal,
    audit_positions,
    every_view,
    fresh_database,
    stopped,
    view_rows,
)

ROOT = Path(__file__).resolve().parent.parent
SECRET = "test-secret-key-of-at-least-32-bytes"
DEPARTMENTS = ("hr", "technology", "administration", "system_maintenance", "operations")
KILLS = 5
SCRIPT = """
import os, random, sys
from domain.application import Tracker
from projections.runner import Runner
from store.views import ViewStore

url, seed = os.environ["DATABASE_URL"], int(sys.argv[1])
tracker, store = Tracker(url), ViewStore(url)
runner, rnd = Runner(tracker, store), random.Random(seed)
while runner.run_once(rnd.randint(1, 25)):
    pass
"""


def write_log(tracker: Tracker) -> list[Any]:
    """A few thousand events: wide plans whose tickets are issued, some started, most projects cancelled;
    a few projects taken all the way to go-live. Returns the project ids."""
    ids = []
    for i in range(40):
        launch = Launch(tracker, code=f"BIG-{i:02}").advance_to("planning")
        requirements = (requirement(f"R{n:02}", DEPARTMENTS[n % len(DEPARTMENTS)]) for n in range(1, 31))
        launch.draft(plan(*requirements)).submit_plan().approve_plan().issue_tickets()
        for ref in list(launch.tickets)[: i % 7]:
            tracker.start_ticket(LEADS[launch.ticket(ref).department], launch.tickets[ref])
        if i % 3:
            tracker.cancel_project(DIRECTOR, launch.project_id, "customer withdrew")
        ids.append(launch.project_id)
    for i in range(10):
        ids.append(Launch(tracker, code=f"LIVE-{i:02}").advance_to("live").project_id)
    return ids


def start(url: str, command: list[str], log: Path) -> subprocess.Popen:
    """Start a projection process; what it prints goes to ``log``."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, **PROCESS_ENV}
    with log.open("a") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def flask_run() -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", "projections", "run", "--poll", "0.05"]


def script_run(seed: int) -> list[str]:
    return [sys.executable, "-c", SCRIPT, str(seed)]


def least(store: ViewStore) -> int:
    positions = store.positions()
    return min(positions.get(name, 0) for name in NAMES)


def progress(store: ViewStore, before: int, running: list[subprocess.Popen]) -> Callable[[], bool]:
    """Whether the views moved on from ``before`` (or every process has ended)."""
    return lambda: least(store) > before or all(process.poll() is not None for process in running)


def wait_until(condition: Callable[[], bool], timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting until {what}; projection process said:\n{log.read_text()}")
        time.sleep(0.005)


def stored_versions(tracker: Tracker, head: int) -> dict[str, int]:
    """Each aggregate's last version, from the event log itself."""
    versions: dict[str, int] = {}
    for notification in tracker.recorder.select_notifications(1, head):
        versions[str(notification.originator_id)] = notification.originator_version
    return versions


@pytest.mark.backends("sqlite", "postgres")
def test_killed_projection_process_restarted_ends_equal_to_a_rebuild(database_url: str, tmp_path: Path) -> None:
    seed = random.randrange(2**32)
    rnd = random.Random(seed)
    log = tmp_path / "projections.log"
    with fresh_database(database_url) as url:
        tracker, store = Tracker(url), ViewStore(url)
        process: subprocess.Popen | None = None
        running: list[subprocess.Popen] = []
        try:
            project_ids = write_log(tracker)
            head = tracker.recorder.max_notification_id()
            assert head > 2500
            killed_behind = []
            for round_ in range(KILLS):
                before = least(store)
                running = [start(url, script_run(rnd.randrange(2**32)), log)]
                if round_ % 2:  # two processes at once: the one overtaken backs out of its batch
                    running.append(start(url, flask_run(), log))
                wait_until(progress(store, before, running), 30, "progress", log)
                for victim in rnd.sample(running, len(running)):
                    time.sleep(rnd.uniform(0, 0.08))
                    victim.send_signal(signal.SIGKILL)
                    victim.wait()
                    if least(store) < head:
                        killed_behind.append(least(store))
            assert killed_behind, f"every kill came after the work was done (seed {seed}): make the log longer"

            log.write_text("")
            process = start(url, flask_run(), log)
            wait_until(lambda: "projections running" in log.read_text(), 30, "started", log)
            wait_until(lambda: least(store) == head, 60, "caught up", log)
            assert stopped(process, log) == 0, log.read_text()
            process = None

            assert store.positions() == dict.fromkeys(NAMES, head)
            assert audit_positions(store) == list(range(1, head + 1)), f"seed {seed}, killed at {killed_behind}"
            live_rows = view_rows(store, tracker.mapper)
            assert {row[0]: row[3] for row in live_rows["aggregates"]} == stored_versions(tracker, head)
            live_views = every_view(store, tracker.mapper, project_ids, page=200)

            runner = Runner(tracker, store)
            assert runner.rebuild() == head
            assert_views_equal(live_views, every_view(store, tracker.mapper, project_ids, page=200))
            assert live_rows == view_rows(store, tracker.mapper), f"seed {seed}, killed at {killed_behind}"
        finally:
            for leftover in [*running, *([process] if process else [])]:
                if leftover.poll() is None:
                    leftover.kill()
                    leftover.wait()
            store.close()
            tracker.close()
