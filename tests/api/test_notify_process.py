"""The delivery process as operators run it (``flask --app wsgi notify run``), killed for real:
a sender killed between sending and recording sends again with the same delivery id and never makes
a second delivery; with two processes on PostgreSQL one delivers, the other takes over when it dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from demo.workflow import DIRECTOR, HR_LEAD, Launch
from projections.notifications import Notifications
from store.notifications import Channels, Deliveries
from tests.api.conftest import SECRET
from tests.notify_receivers import Receiver, http_receiver
from tests.projection_support import PROCESS_ENV, stopped

ROOT = Path(__file__).resolve().parent.parent.parent
HOOK_SECRET = "webhook-test-secret-of-at-least-32-bytes"


@contextmanager
def delivering(database_url: str, log: Path) -> Iterator[subprocess.Popen]:
    env = {**os.environ, **PROCESS_ENV, "DATABASE_URL": database_url, "SECRET_KEY": SECRET}
    env.update(NOTIFY_BACKOFF="0.01", NOTIFY_SWEEP_EVERY="100000")
    flask = str(Path(sys.executable).parent / "flask")
    with log.open("ab") as out:
        process = subprocess.Popen(
            [flask, "--app", "wsgi", "notify", "run", "--poll", "0.05"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            stopped(process, log)


def eventually(check: Callable[[], object], log: Path, timeout: float = 30.0) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.05)
    pytest.fail(f"not within {timeout} s; the processes' log:\n{log.read_text()}")


def started(app, base: str) -> Deliveries:
    """The projection started (deliveries from now on), the accounts and the HR department's webhook."""
    tracker = app.extensions["tracker"]
    store = app.extensions["views"].store
    Notifications(tracker, store, app.extensions["notify_render"]).position()
    tracker.add_account(DIRECTOR, HR_LEAD)
    Channels(store).add("department:hr", "webhook", f"{base}/webhook/hr", HOOK_SECRET, None)
    return Deliveries(store)


def issue_one(app, code: str) -> None:
    Launch(app.extensions["tracker"], code=code).advance_to("implementation").issue_tickets(["R1"])


def sent(deliveries: Deliveries, rule: str | None = None) -> list[dict]:
    return [row for row in deliveries.log() if row["status"] == "sent" and rule in (None, row["rule"])]


@pytest.mark.backends("sqlite", "postgres")
def test_a_sender_killed_between_sending_and_recording_sends_again_with_the_same_delivery_id(app, tmp_path):
    receiver, log = Receiver(webhook_secret=HOOK_SECRET), tmp_path / "notify.log"
    first: list[subprocess.Popen] = []

    def kill_the_sender(request: dict) -> None:
        if len(receiver.requests) == 1:  # it has sent; it dies before it hears the answer and records it
            first[0].send_signal(signal.SIGKILL)
            first[0].wait()

    receiver.on_arrival = kill_the_sender
    with http_receiver(receiver) as base:
        deliveries = started(app, base)
        issue_one(app, "SH-ONE")
        with delivering(app.config["DATABASE_URL"], log) as process:
            first.append(process)
            eventually(lambda: process.poll() is not None, log)
        made = deliveries.log()  # the ticket issued, and the due-date sweep's overdue notice
        assert {row["status"] for row in made} == {"pending"}
        with delivering(app.config["DATABASE_URL"], log) as second:
            rows = eventually(lambda: len(sent(deliveries)) == len(made) and sent(deliveries), log)

    assert sorted(row["id"] for row in rows) == sorted(row["id"] for row in made)  # no second delivery made
    assert {row["sent_by"] for row in rows} == {rows[0]["sent_by"]} and rows[0]["sent_by"].endswith(f":{second.pid}")
    ids = [request["headers"]["X-Delivery-Id"] for request in receiver.requests]
    assert ids[0] == ids[1] and sorted(ids[1:]) == sorted(row["id"] for row in made)  # the repeat has the same id


@pytest.mark.backends("postgres")
def test_one_process_delivers_and_the_other_takes_over_when_it_dies(app, tmp_path):
    receiver, log = Receiver(webhook_secret=HOOK_SECRET), tmp_path / "notify.log"
    with http_receiver(receiver) as base:
        deliveries = started(app, base)
        url = app.config["DATABASE_URL"]
        with delivering(url, log) as leader:
            issue_one(app, "SH-ONE")
            eventually(lambda: len(sent(deliveries, "ticket_issued")) == 1, log)
            with delivering(url, log) as standby:
                time.sleep(1.5)  # (the second has started and stands by)
                issue_one(app, "SH-TWO")
                eventually(lambda: len(sent(deliveries, "ticket_issued")) == 2, log)
                leader.send_signal(signal.SIGKILL)
                leader.wait()
                issue_one(app, "SH-THREE")
                eventually(lambda: len(sent(deliveries, "ticket_issued")) == 3, log)

    issued = sorted(sent(deliveries, "ticket_issued"), key=lambda row: row["created_at"])
    assert [row["sent_by"].rsplit(":", 1)[1] for row in issued] == [str(leader.pid), str(leader.pid), str(standby.pid)]
    assert len(receiver.accepted()) == len(sent(deliveries))
