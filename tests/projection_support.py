"""Support for the projection tests: fresh databases, every view read at once, the raw view rows.

``every_view`` reads each view the API serves straight from the view tables (no runner
involved), so the same call before and after ``Runner.rebuild()`` compares what the live
projection built with what a replay from zero builds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from domain.errors import NotFound, RuleViolated
from domain.roles import DEPARTMENTS
from domain.ticket import OPEN_STATES
from projections import (
    acceptance,
    contract,
    department_board,
    go_live,
    kpis,
    plan,
    project_list,
    settlements,
    ticket_list,
)
from projections.audit_log import audit_rows
from projections.reading import Reader
from projections.replay_check import live_service_views
from projections.summary import describe_row
from store.codecs import decode

TODAY = date(2026, 12, 3)
"""The day the views are computed for: after the default ``complete_by`` (2026-12-02), so some tickets are late."""

LIVE_TODAY = date(2027, 3, 15)
"""The day the live service's views are computed for: months assessed, requests and rectifications overdue or not."""

PROCESS_ENV = {"PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"}
"""For processes started by the tests: output as it comes, and every thread's stack on a fatal signal."""


def stopped(process: subprocess.Popen, log: Path, timeout: float = 10) -> int:
    """Stop a process with SIGTERM as an operator would; its exit code.

    One that has not ended within ``timeout`` is aborted, and the failure shows where each of its
    threads was (``PROCESS_ENV``'s fault handler writes the stacks to its log).
    """
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        process.wait()
        pytest.fail(f"still running {timeout} s after SIGTERM; its log, with its threads' stacks:\n{log.read_text()}")


STATES = (*sorted(OPEN_STATES), "accepted", "cancelled")


def server_url(database_url: str) -> str:
    """The PostgreSQL server URL of a schema URL (its ``?schema=`` dropped)."""
    parts = urlsplit(database_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


@contextmanager
def fresh_database(database_url: str) -> Iterator[str]:
    """A database URL of its own, on the same backend as ``database_url``: a new SQLite file or PostgreSQL schema."""
    if database_url.startswith("sqlite"):
        with tempfile.TemporaryDirectory(prefix="views-") as folder:
            yield f"sqlite:///{os.path.join(folder, 'tracker.sqlite3')}"
        return
    server = server_url(database_url)
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{server}?schema={schema}"
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def all_pages(fetch: Any, limit: int) -> list[dict]:
    """Every item of a paged list, page by page (checks the cursors as a side effect)."""
    items, cursor = [], None
    while True:
        page = fetch(limit, cursor)
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def one_view(build: Any, *args: Any) -> Any:
    try:
        return build(*args)
    except (NotFound, RuleViolated) as error:
        return (type(error).__name__, str(error))


def every_view(store: Any, mapper: Any, project_ids: list[Any], today: date = TODAY, page: int = 3) -> dict[str, Any]:
    """Every view of API.md's "Views" section as the view tables hold them now (lists also in pages of ``page``)."""
    reader = Reader(store, mapper)
    views: dict[str, Any] = {}
    for pid in project_ids:
        views[f"plan {pid}"] = one_view(plan.plan_view, reader, pid)
        views[f"acceptance {pid}"] = one_view(acceptance.acceptance_view, reader, pid, today)
        views[f"go-live {pid}"] = one_view(go_live.go_live_view, reader, pid)
        views[f"contract {pid}"] = one_view(contract.contract_view, reader, pid, today)
        views[f"kpis {pid}"] = one_view(kpis.kpi_view, reader, pid)
        views[f"settlement {pid}"] = one_view(settlements.settlement_view, reader, pid, "2026-12")
        views[f"tickets of {pid}"] = ticket_list.ticket_list(reader, {"project": pid}, today, 500, None)
        views[f"audit of {pid}"] = [describe_row(mapper, r) for r in audit_rows(store, {"project": pid})]
        views.update(live_service_views(reader, pid, LIVE_TODAY))
    for department in DEPARTMENTS:
        views[f"board {department}"] = department_board.department_board(reader, department, today)
        views[f"board {department} live"] = department_board.department_board(reader, department, LIVE_TODAY)
        views[f"tickets in {department}"] = ticket_list.ticket_list(
            reader, {"department": department}, today, 500, None
        )
    for state in STATES:
        views[f"tickets {state}"] = ticket_list.ticket_list(reader, {"state": state}, today, 500, None)
    views["projects"] = project_list.project_list(reader, {}, 500, None)
    views["projects paged"] = all_pages(lambda n, c: project_list.project_list(reader, {}, n, c), page)
    views["tickets"] = ticket_list.ticket_list(reader, {}, today, 500, None)
    views["tickets paged"] = all_pages(lambda n, c: ticket_list.ticket_list(reader, {}, today, n, c), page)
    views["tickets overdue"] = ticket_list.ticket_list(reader, {"overdue": True}, today, 500, None)
    views["audit"] = [describe_row(mapper, r) for r in audit_rows(store, {})]
    return views


def view_rows(store: Any, mapper: Any) -> dict[str, Any]:
    """The view tables themselves; aggregate states decoded (their snapshot bytes carry the time taken)."""
    aggregates = store.execute(
        "SELECT id, kind, project_id, version, state, department, customer, project_manager, code, due, topic, doc "
        "FROM view_aggregates ORDER BY id"
    )
    return {
        "aggregates": [
            (*row[:11], comparable(decode(mapper, (row[0], row[3], row[10], row[11])))) for row in aggregates
        ],
        "audit": [(*row[:10], bytes(row[10])) for row in store.execute("SELECT * FROM view_audit ORDER BY position")],
        "owners": store.execute("SELECT aggregate_id, project_id FROM view_owners ORDER BY aggregate_id"),
    }


def comparable(aggregate: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


def audit_positions(store: Any) -> list[int]:
    return [row[0] for row in store.execute("SELECT position FROM view_audit ORDER BY position")]


def assert_views_equal(live: dict[str, Any], rebuilt: dict[str, Any]) -> None:
    """Equal, with the first differing view named (a whole-dict diff of every view is unreadable)."""
    assert live.keys() == rebuilt.keys()
    for name in live:
        assert live[name] == rebuilt[name], f"view {name!r} differs between live and rebuilt"
