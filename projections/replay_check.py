"""Replay check: rebuild every view from zero in a scratch store and compare with the live views.

The scratch store is an in-memory SQLite database whatever the live store is; it is
replayed to exactly the live views' position, then every view is computed from both.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from domain.errors import NotFound
from domain.phases import PHASES
from domain.roles import AUDITOR, DEPARTMENTS, Actor
from domain.ticket import ACCEPTED, CANCELLED, OPEN_STATES
from projections import (
    acceptance,
    assessments,
    contract,
    department_board,
    go_live,
    kpis,
    plan,
    project_list,
    requests,
    review_list,
    settlements,
    ticket_list,
)
from projections.audit_log import audit_rows
from projections.reading import Reader
from projections.runner import Runner
from projections.summary import describe_row
from store.views import ViewStore

if TYPE_CHECKING:  # (the application service, named for readers; imported at run time by api/)
    from domain.application import Tracker

EVERYTHING = 10**9
READER = Actor("replay.check", AUDITOR)
"""Whom the lists are read for: an auditor reads every request (a lead only their department's)."""
TICKET_STATES = (*sorted(OPEN_STATES), ACCEPTED, CANCELLED)


def every_view(store: Any, mapper: Any, today: date) -> dict[str, Any]:
    """Every view of API.md's "Views" section, as the given view tables hold them."""
    reader = Reader(store, mapper)
    projects = project_list.project_list(reader, {}, EVERYTHING, None)
    views: dict[str, Any] = {"projects": projects}
    for phase in PHASES:
        views[f"projects {phase}"] = project_list.project_list(reader, {"phase": phase}, EVERYTHING, None)
    for state in (None, *TICKET_STATES):
        views[f"tickets {state or 'all'}"] = ticket_list.ticket_list(reader, {"state": state}, today, EVERYTHING, None)
    views["tickets overdue"] = ticket_list.ticket_list(reader, {"overdue": True}, today, EVERYTHING, None)
    for item in projects["items"]:
        pid = item["id"]
        for name, build in (("plan", plan.plan_view), ("go-live", go_live.go_live_view)):
            views[f"{name} {pid}"] = _or_missing(build, reader, pid)
        views[f"acceptance {pid}"] = _or_missing(acceptance.acceptance_view, reader, pid, today)
        views[f"contract {pid}"] = _or_missing(contract.contract_view, reader, pid, today)
        views[f"kpis {pid}"] = _or_missing(kpis.kpi_view, reader, pid)
        views.update(live_service_views(reader, pid, today))
        for month in _settled_months(reader, pid):
            views[f"settlement {pid} {month}"] = _or_missing(settlements.settlement_view, reader, pid, month)
    for department in DEPARTMENTS:
        views[f"board {department}"] = department_board.department_board(reader, department, today)
    views["audit"] = [describe_row(mapper, row) for row in audit_rows(store, {})]
    return views


def live_service_views(reader: Reader, project_id: Any, today: date) -> dict[str, Any]:
    """The project's views of its live service and end: its months and rectifications, its customer's
    requests, its reviews (the termination, handover and closure are in its project row and the audit)."""
    return {
        f"assessments {project_id}": _or_missing(_assessments, reader, project_id, today),
        f"requests {project_id}": _or_missing(requests.request_list, reader, project_id, today, READER),
        f"reviews {project_id}": _or_missing(_reviews, reader, project_id),
    }


def _assessments(reader: Reader, project_id: Any, today: date) -> dict[str, Any]:
    return assessments.assessment_view(reader.one("project", project_id), today, reader.working_days())


def _reviews(reader: Reader, project_id: Any) -> list[tuple[Any, ...]]:
    return [(r.id, r.version, r.state, r.outcome) for r in review_list.review_list(reader, project_id)]


def _settled_months(reader: Reader, project_id: Any) -> list[str]:
    """The months whose volumes the project has (each one's settlement is a view)."""
    try:
        return sorted({volumes["month"] for volumes in reader.one("project", project_id).volumes})
    except NotFound:
        return []


def _or_missing(build: Any, *args: Any) -> Any:
    """A view that cannot even be computed from damaged tables is a difference, not a crash."""
    try:
        return build(*args)
    except NotFound as error:
        return {"not found": str(error)}
    except Exception as error:
        return {"broken": f"{type(error).__name__}: {error}"}


def replay_check(tracker: Tracker, live: ViewStore, today: date) -> tuple[int, list[str]]:
    """(position compared, names of the views that differ) — an empty list means they match."""
    positions = live.positions()
    position = min(positions.values(), default=0)
    scratch = ViewStore("memory://")
    try:
        runner = Runner(tracker, scratch)
        while (done := min(scratch.positions().values(), default=0)) < position:
            if not runner.run_once(limit=position - done):
                break
        live_views, replayed = every_view(live, tracker.mapper, today), every_view(scratch, tracker.mapper, today)
    finally:
        scratch.close()
    names = sorted(live_views.keys() | replayed.keys())
    return position, [name for name in names if live_views.get(name) != replayed.get(name)]
