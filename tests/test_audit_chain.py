"""The tamper-evident chain, tampered with for real: straight in the database, as someone
with database rights (and not the application) could.

Each tamper — one byte of a stored event changed, an event deleted, two events swapped
(their contents, or their positions), a link rewritten, an unchained event slipped in —
must be found by ``store.chain.verify.verify`` at the first bad position, with the problem named,
and the same answer must come from ``flask audit verify`` (exit 1) and from
``GET /api/audit/verification``. An untouched log verifies, and ``flask audit head``
prints the head that ``verify`` reached. Writers in threads on two Trackers (PostgreSQL and
SQLite) still leave a chain that verifies.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import date
from typing import Any
from urllib.parse import parse_qs
from uuid import uuid4

import psycopg
import pytest
from flask import Flask
from psycopg import sql

from api import create_app, shutdown
from demo.workflow import (
    AUDITOR,
    BRANCH_HEAD,
    DIRECTOR,
    HR_LEAD,
    OTHER_PM,
    PM,
    REQUIREMENTS,
    SALES,
    SERVICE,
    SERVICE_MANAGER,
    SOURCES,
    TECH_LEAD,
    Launch,
)
from domain.errors import ConcurrentUpdate
from store.chain.links import GENESIS, digest, link
from store.chain.verify import Verification, head, verify
from tests.api.conftest import SECRET, Http

VERIFICATION = "/api/audit/verification"
NOT_FOR_THEM = (SALES, PM, OTHER_PM, SERVICE_MANAGER, BRANCH_HEAD, HR_LEAD, TECH_LEAD)


# The database as an intruder sees it -----------------------------------------------------------


class StoredEvents:
    """Raw access to the events and the chain tables of one database (SQLite file or PostgreSQL schema)."""

    def __init__(self, database_url: str) -> None:
        self.postgres = database_url.startswith("postgresql")
        if self.postgres:
            base, _, query = database_url.partition("?")
            self.url, self.schema = base, parse_qs(query)["schema"][0]
            self.events = sql.SQL("{}.{}").format(sql.Identifier(self.schema), sql.Identifier("tracker_events"))
            self.chain = sql.SQL("{}.{}").format(sql.Identifier(self.schema), sql.Identifier("event_chain"))
            self.position = "notification_id"
        else:
            self.path = database_url.removeprefix("sqlite:///")
            self.events, self.chain, self.position = "stored_events", "event_chain", "rowid"

    @contextmanager
    def cursor(self) -> Iterator[Any]:
        """One transaction, committed on leaving."""
        if self.postgres:
            with psycopg.connect(self.url) as conn, conn.cursor() as cursor:
                yield cursor
        else:
            with closing(sqlite3.connect(self.path)) as conn, conn:
                yield conn.cursor()

    def run(self, cursor: Any, statement: str, params: tuple = ()) -> Any:
        """``statement`` with ``{events}``, ``{chain}``, ``{position}`` and ``?`` placeholders, in either dialect."""
        if self.postgres:
            query = sql.SQL(statement.replace("?", "%s")).format(
                events=self.events, chain=self.chain, position=sql.Identifier(self.position)
            )
            return cursor.execute(query, params)
        return cursor.execute(statement.format(events=self.events, chain=self.chain, position=self.position), params)

    def row(self, position: int) -> tuple:
        with self.cursor() as c:
            self.run(
                c,
                "SELECT originator_id, originator_version, topic, state FROM {events} WHERE {position} = ?",
                (position,),
            )
            found = c.fetchone()
        assert found is not None, position
        return tuple(found)

    # The tampers -----------------------------------------------------------------------------

    def change_one_byte(self, position: int) -> None:
        state = bytearray(self.row(position)[3])
        middle = len(state) // 2
        state[middle] ^= 0x01  # one bit of one byte
        with self.cursor() as c:
            self.run(c, "UPDATE {events} SET state = ? WHERE {position} = ?", (bytes(state), position))

    def delete(self, position: int) -> None:
        with self.cursor() as c:
            self.run(c, "DELETE FROM {events} WHERE {position} = ?", (position,))

    def swap_contents(self, first: int, second: int) -> None:
        """Exchange what two positions hold (originator, version, topic, state); the positions stay."""
        a, b = self.row(first), self.row(second)
        parked = (uuid4() if self.postgres else uuid4().hex, -1, "parked", b"")  # (the key must stay unique)
        assign = (
            "UPDATE {events} SET originator_id = ?, originator_version = ?, topic = ?, state = ? WHERE {position} = ?"
        )
        with self.cursor() as c:
            self.run(c, assign, (*parked, first))
            self.run(c, assign, (*a, second))
            self.run(c, assign, (*b, first))

    def swap_positions(self, first: int, second: int) -> None:
        """Exchange the positions (SQLite rowid, PostgreSQL notification id) of two events."""
        move = "UPDATE {events} SET {position} = ? WHERE {position} = ?"
        with self.cursor() as c:
            self.run(c, move, (-1, first))
            self.run(c, move, (first, second))
            self.run(c, move, (second, -1))

    def rewrite_link(self, position: int) -> None:
        with self.cursor() as c:
            self.run(c, "UPDATE {chain} SET hash = ? WHERE position = ?", ("f" * 64, position))

    def delete_link(self, position: int) -> None:
        with self.cursor() as c:
            self.run(c, "DELETE FROM {chain} WHERE position = ?", (position,))

    def slip_in(self, copy_of: int, version: int) -> None:
        """An event that was never chained: a copy of another with the next version of its aggregate."""
        ident, _, topic, state = self.row(copy_of)
        with self.cursor() as c:
            self.run(
                c,
                "INSERT INTO {events} (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)",
                (ident, version, topic, state),
            )


# A log to tamper with --------------------------------------------------------------------------


def story(tracker) -> Launch:
    """A project up to implementation with two tickets worked on, Chinese text throughout; a second project."""
    launch = Launch(tracker).advance_to("implementation").issue_tickets()
    tracker.start_ticket(HR_LEAD, launch.tickets["R1"])
    tracker.flag_risk(HR_LEAD, launch.tickets["R1"], "招聘延遲，粵語客服難招")
    tracker.hold_meeting(PM, launch.project_id, date(2026, 11, 25), ["hr", "technology"], ["加快招聘"])
    other = Launch(tracker, code="B-ECOM").register()
    tracker.appoint_project_manager(DIRECTOR, other.project_id, OTHER_PM.user, "任命書 RM-2026-046")
    return launch


def recomputed(recorder) -> list[tuple[int, str, str]]:
    """The chain an auditor computes by hand from the stored events (links.py only, not verify.py)."""
    rows, previous = [], GENESIS
    for event in recorder.select_notifications(1, 100_000):
        event_digest = digest(event.originator_id, event.originator_version, event.topic, event.state)
        previous = link(previous, event.id, event_digest)
        rows.append((event.id, event_digest, previous))
    return rows


@contextmanager
def app_on(database_url: str) -> Iterator[Flask]:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "TESTING": True})
    try:
        yield app
    finally:
        shutdown(app)


def cli(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["audit", *args])


def verification_over_http(app: Flask) -> dict[str, Any]:
    """What the auditor and the operations director read (they must agree); others are refused."""
    http = Http(app.test_client())
    assert http.get(None, VERIFICATION).status_code == 401
    for actor in NOT_FOR_THEM:
        refused = http.get(actor, VERIFICATION)
        assert refused.status_code == 403, actor
        assert refused.get_json()["code"] == 403
    bodies = []
    for actor in (AUDITOR, DIRECTOR):
        response = http.get(actor, VERIFICATION)
        assert response.status_code == 200, response.get_json()
        bodies.append(response.get_json())
    assert bodies[0] == bodies[1]
    return bodies[0]


def assert_http_matches(body: dict[str, Any], result: Verification) -> None:
    assert {key: body[key] for key in ("ok", "events", "head", "first_bad_position", "problem")} == {
        "ok": result.ok,
        "events": result.events,
        "head": result.head,
        "first_bad_position": result.first_bad_position,
        "problem": result.problem,
    }


# An untouched log ------------------------------------------------------------------------------


@pytest.mark.backends()
def test_an_untouched_log_verifies_and_its_head_is_the_last_link(database_url):
    with app_on(database_url) as app:
        tracker = app.extensions["tracker"]
        launch = story(tracker)
        count = tracker.recorder.max_notification_id()
        assert count >= BAD + 4

        result = verify(tracker.recorder)
        expected = recomputed(tracker.recorder)
        assert [row[0] for row in expected] == list(range(1, count + 1))
        assert tracker.recorder.chain(1, 100_000) == expected  # what was chained is what is stored
        assert result == Verification(True, count, expected[-1][2], count, None, None)
        assert head(tracker.recorder) == (count, expected[-1][2])

        verified = cli(app, "verify")
        assert verified.exit_code == 0, verified.output
        assert verified.output == f"verified {count} events, head {result.head}\n"
        printed = cli(app, "head")
        assert printed.exit_code == 0, printed.output
        assert printed.output == f"position {count} head {result.head}\n"
        assert_http_matches(verification_over_http(app), result)

        # More events: the chain grows at its end, every earlier link stays as the auditor wrote it down.
        tracker.hold_meeting(PM, launch.project_id, date(2026, 11, 26), ["hr"], ["第二次協調會"])
        later = verify(tracker.recorder)
        assert later.ok and later.events == count + 1 and later.head_position == count + 1
        assert later.head != result.head
        assert tracker.recorder.chain(1, count) == expected
        assert cli(app, "head").output == f"position {count + 1} head {later.head}\n"


@pytest.mark.backends()
def test_an_empty_log_verifies_at_the_genesis(database_url):
    with app_on(database_url) as app:
        result = verify(app.extensions["tracker"].recorder)
        assert result == Verification(True, 0, GENESIS, 0, None, None)
        assert cli(app, "verify").output == f"verified 0 events, head {GENESIS}\n"
        assert cli(app, "head").output == f"position 0 head {GENESIS}\n"
        assert_http_matches(verification_over_http(app), result)


@pytest.mark.backends("sqlite", "postgres")
def test_a_log_reopened_by_another_process_verifies_to_the_same_head(database_url, make_tracker):
    writer = make_tracker()
    story(writer)
    written = verify(writer.recorder)
    writer.close()
    reader = make_tracker()
    assert verify(reader.recorder) == written
    assert written.ok and written.events == reader.recorder.max_notification_id()


# Tampering -------------------------------------------------------------------------------------

Tamper = Callable[[StoredEvents, int], None]
BAD = 7  # a position in the middle of the story's log
TAMPERS: dict[str, tuple[Tamper, str]] = {
    "one byte of an event changed": (lambda db, last: db.change_one_byte(BAD), "changed"),
    "an event deleted": (lambda db, last: db.delete(BAD), "missing"),
    "two events' contents swapped": (lambda db, last: db.swap_contents(BAD, BAD + 3), "reordered"),
    "two events' positions swapped": (lambda db, last: db.swap_positions(BAD, BAD + 3), "reordered"),
    "neighbours swapped": (lambda db, last: db.swap_positions(BAD, BAD + 1), "reordered"),
    "a link rewritten": (lambda db, last: db.rewrite_link(BAD), "changed"),
    "a link deleted": (lambda db, last: db.delete_link(BAD), "changed"),
}


@pytest.mark.backends("sqlite", "postgres")
@pytest.mark.parametrize("tamper", list(TAMPERS))
def test_tampering_is_found_at_the_first_bad_position(database_url, make_tracker, tamper):
    make, problem = TAMPERS[tamper]
    with app_on(database_url) as app:
        tracker = app.extensions["tracker"]
        story(tracker)
        last = tracker.recorder.max_notification_id()
        chain = tracker.recorder.chain(1, 100_000)
        before = verify(tracker.recorder)
        assert before.ok

        make(StoredEvents(database_url), last)

        expected = Verification(False, BAD - 1, chain[BAD - 2][2], BAD - 1, BAD, problem)
        # Read afresh, as an auditor's own process would, and by the running app.
        assert verify(make_tracker().recorder) == expected
        assert verify(tracker.recorder) == expected

        verified = cli(app, "verify")
        assert verified.exit_code == 1, verified.output
        assert f"{problem} at position {BAD}" in verified.output
        assert verified.output.startswith("NOT verified")
        assert str(before.head) not in verified.output  # the old head is not claimed

        assert_http_matches(verification_over_http(app), expected)


@pytest.mark.backends("sqlite", "postgres")
def test_the_last_event_deleted_or_an_unchained_event_added_is_found(database_url):
    with app_on(database_url) as app:
        tracker = app.extensions["tracker"]
        story(tracker)
        db = StoredEvents(database_url)
        last = tracker.recorder.max_notification_id()
        chain = tracker.recorder.chain(1, 100_000)
        written_down = cli(app, "head").output

        # An event added after the last link: never chained.
        version = db.row(last)[1]
        db.slip_in(copy_of=last, version=version + 1)
        forged = verify(tracker.recorder)
        assert forged == Verification(False, last, chain[-1][2], last, last + 1, "changed")
        result = cli(app, "verify")
        assert result.exit_code == 1 and f"changed at position {last + 1}" in result.output
        assert_http_matches(verification_over_http(app), forged)
        assert cli(app, "head").output == written_down  # the chain itself did not move

        # The forgery removed, and the last true event with it.
        db.delete(last + 1)
        db.delete(last)
        gone = verify(tracker.recorder)
        assert gone == Verification(False, last - 1, chain[-2][2], last - 1, last, "missing")
        result = cli(app, "verify")
        assert result.exit_code == 1 and f"missing at position {last}" in result.output
        assert_http_matches(verification_over_http(app), gone)


@pytest.mark.backends("sqlite", "postgres")
def test_the_last_event_and_its_link_cut_off_are_found_by_the_head_written_down(database_url):
    """Cutting the tail together with its links leaves a consistent shorter chain: that is what
    ``audit head`` is for — the head written down earlier is no longer the head."""
    with app_on(database_url) as app:
        tracker = app.extensions["tracker"]
        story(tracker)
        last = tracker.recorder.max_notification_id()
        written_down = cli(app, "head").output
        db = StoredEvents(database_url)
        db.delete(last)
        db.delete_link(last)
        result = verify(tracker.recorder)
        assert result.ok and result.events == last - 1
        assert cli(app, "head").output != written_down
        assert cli(app, "head").output == f"position {last - 1} head {result.head}\n"


@pytest.mark.backends("sqlite", "postgres")
def test_a_tamper_is_still_named_after_more_events_are_written(database_url):
    """The app goes on recording after a tamper; verification still names the first bad position."""
    with app_on(database_url) as app:
        tracker = app.extensions["tracker"]
        launch = story(tracker)
        chain = tracker.recorder.chain(1, 100_000)
        StoredEvents(database_url).change_one_byte(2)
        tracker.start_ticket(TECH_LEAD, launch.tickets["R2"])
        result = verify(tracker.recorder)
        assert result == Verification(False, 1, chain[0][2], 1, 2, "changed")
        assert "changed at position 2" in cli(app, "verify").output


# Concurrent writers ----------------------------------------------------------------------------


@pytest.mark.backends("postgres", "sqlite")
def test_the_chain_of_concurrent_writers_verifies(make_tracker):
    """Two Trackers (as two web processes would have) write at once, from three threads each, on
    their own projects and on one shared project (some of those writes lose and roll back)."""
    writers = [make_tracker(), make_tracker()]
    shared = Launch(writers[0], code="SHARED").advance_to("planning").project_id
    start = threading.Barrier(6)
    errors: list[BaseException] = []
    conflicts = []

    def work(tracker, name: str) -> None:
        try:
            start.wait()
            for i in range(5):
                project_id = tracker.register_project(
                    SALES, f"{name}-{i}", f"項目 {name}-{i}", "客戶", SERVICE, REQUIREMENTS, SOURCES
                ).id
                tracker.appoint_project_manager(DIRECTOR, project_id, PM.user, f"任命書 {name}-{i}")
                try:
                    tracker.hold_meeting(PM, shared, date(2026, 11, 25), ["hr"], [f"{name} 第{i}次"])
                except ConcurrentUpdate:
                    conflicts.append(name)
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(writers[n % 2], f"W{n}")) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)

    auditor = make_tracker()
    notifications = auditor.recorder.select_notifications(1, 100_000)
    result = verify(auditor.recorder)
    assert result.ok, result
    assert result.events == len(notifications) == 2 + 6 * 5 * 2 + 6 * 5 - len(conflicts)
    assert [row[0] for row in auditor.recorder.chain(1, 100_000)] == [n.id for n in notifications]
    assert auditor.recorder.chain(1, 100_000) == recomputed(auditor.recorder)
    assert head(auditor.recorder) == (notifications[-1].id, result.head)
    assert auditor.load_project(shared).version == 2 + 6 * 5 - len(conflicts)


@pytest.mark.backends()
def test_a_write_that_loses_a_race_leaves_no_link(make_tracker, database_url):
    """The link is written in the event's own transaction: a write refused as a concurrent
    update rolls back its link too, and the next write chains on from the last stored event."""
    first = make_tracker()
    second = first if database_url == "memory://" else make_tracker()
    project_id = Launch(first).advance_to("planning").project_id
    mine, theirs = first.load_project(project_id), second.load_project(project_id)
    mine.hold_meeting(PM, date(2026, 11, 25), ["hr"], ["先到"])
    first.commit(mine)
    theirs.hold_meeting(PM, date(2026, 11, 25), ["hr"], ["後到"])
    with pytest.raises(ConcurrentUpdate):
        second.commit(theirs)
    assert verify(second.recorder) == verify(first.recorder)
    second.hold_meeting(PM, project_id, date(2026, 11, 26), ["hr"], ["重試"])
    result = verify(first.recorder)
    notifications = first.recorder.select_notifications(1, 100)
    assert result.ok and result.events == len(notifications) == 4
    assert first.recorder.chain(1, 100) == recomputed(first.recorder)
