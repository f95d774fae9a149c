"""``flask audit export``: the whole log taken away, as CSV for Excel or as JSON lines.

The export is checked against the event store itself (every stored event, decoded with
the application's own mapper), not against the view it is read from: the CSV must parse
back with the ``csv`` module to the same events, in log order, Chinese intact (commas,
quotes and line breaks in the text included), with a UTF-8 BOM in front; the JSON lines
likewise, with each event's data. ``--project``, ``--since`` and ``--until`` pick exactly
the events they name. On PostgreSQL the app does not run the projections itself: the
export must still hold every event written so far.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask

from api import create_app, shutdown
from demo.workflow import DIRECTOR, HR_LEAD, OTHER_PM, PM, Launch, plan, requirement
from domain.clock import SHANGHAI
from projections.summary import summary
from tests.api.conftest import SECRET

BOM = "\ufeff"
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
TRICKY = '招聘延遲，"粵語"客服難招, 見附件\n第二行：薪資 ¥8,000'
BASE_FIELDS = {
    "originator_id",
    "originator_version",
    "timestamp",
    "originator_topic",
    "actor",
    "role",
    "actor_department",
}


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "TESTING": True})
    yield app
    shutdown(app)


def export(app: Flask, *args: str) -> Any:
    result = app.test_cli_runner().invoke(args=["audit", "export", *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result


# The log as the event store has it -------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """``value`` as JSON gives it back (dates and times as ISO text, ids as text)."""
    return json.loads(
        json.dumps(value, ensure_ascii=False, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v))
    )


def stored_log(app: Flask) -> list[dict[str, Any]]:
    """Every stored event, oldest first, as the export must show it: read from the store, not the views."""
    tracker = app.extensions["tracker"]
    owners: dict[UUID, UUID] = {}
    rows = []
    for notification in tracker.recorder.select_notifications(1, 100_000):
        event = tracker.mapper.to_domain_event(notification)
        if event.originator_version == 1:
            owners[event.originator_id] = getattr(event, "project_id", event.originator_id)
        moment: datetime = event.timestamp
        rows.append(
            {
                "position": notification.id,
                "time": moment,
                "time_utc": moment.isoformat(),
                "time_shanghai": moment.astimezone(SHANGHAI).isoformat(),
                "actor": event.actor,
                "role": event.role,
                "department": event.actor_department,
                "project_id": str(owners[event.originator_id]),
                "aggregate_id": str(event.originator_id),
                "version": event.originator_version,
                "type": type(event).__name__,
                "data": jsonable({k: v for k, v in vars(event).items() if k not in BASE_FIELDS}),
                "summary": summary(event),
            }
        )
    return rows


def as_csv_rows(rows: list[dict[str, Any]]) -> list[list[str]]:
    """What the csv module reads back for ``rows`` (None is an empty cell)."""
    return [["" if row[c] is None else str(row[c]) for c in CSV_HEADER] for row in rows]


def parse_csv(text: str) -> list[list[str]]:
    assert text.startswith(BOM), text[:20]
    assert not text[1:].startswith(BOM)
    table = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert table[0] == CSV_HEADER
    return table[1:]


def parse_jsonl(text: str) -> list[dict[str, Any]]:
    assert not text.startswith(BOM)
    lines = text.split("\n")
    assert lines[-1] == ""  # every line ends with a newline, nothing after the last
    return [json.loads(line) for line in lines[:-1]]


def jsonl_view(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k not in ("time_utc",)} | {"time": row["time_utc"]} for row in rows]


def same_moment(exported: dict[str, Any], stored: dict[str, Any]) -> bool:
    return datetime.fromisoformat(exported["time"]) == stored["time"]


# A log worth exporting -------------------------------------------------------------------------


def story(tracker) -> dict[str, Any]:
    """Project A (tickets, a risk in tricky Chinese, a meeting), project B (appointed); a cut in between."""
    a = Launch(tracker).register().appoint()
    a.draft(plan(requirement("R1", "hr"), requirement("R2", "technology"))).submit_plan()
    tracker.review_plan(PM, a.project_id, ["hr"], "rejected", "人手不足：缺少質檢員")
    a.draft().submit_plan().approve_plan().issue_tickets()
    time.sleep(0.002)
    cut = datetime.now(UTC)
    time.sleep(0.002)
    tracker.start_ticket(HR_LEAD, a.tickets["R1"])
    tracker.flag_risk(HR_LEAD, a.tickets["R1"], TRICKY)
    b = Launch(tracker, code="B-ECOM").register()
    tracker.appoint_project_manager(DIRECTOR, b.project_id, OTHER_PM.user, "任命書 RM-2026-046")
    tracker.hold_meeting(PM, a.project_id, date(2026, 11, 25), ["hr", "technology"], ["加快招聘，週五前"])
    return {"a": a, "b": b, "cut": cut}


# CSV ------------------------------------------------------------------------------------------


@pytest.mark.backends()
def test_the_csv_export_parses_back_to_the_stored_events(app, tmp_path: Path):
    tracker = app.extensions["tracker"]
    told = story(tracker)
    log = stored_log(app)
    assert len(log) == tracker.recorder.max_notification_id() >= 15

    printed = export(app, "--format", "csv")
    assert printed.stdout_bytes.startswith(b"\xef\xbb\xbf")  # the BOM, so that Excel reads UTF-8
    table = parse_csv(printed.stdout)
    assert table == as_csv_rows(log)
    assert [int(row[0]) for row in table] == list(range(1, len(log) + 1))  # oldest first, none left out

    # To a file: the same bytes.
    target = tmp_path / "audit.csv"
    export(app, "--format", "csv", "--output", str(target))
    raw = target.read_bytes()
    assert raw == printed.stdout_bytes
    with target.open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f)) == [CSV_HEADER, *as_csv_rows(log)]

    # Chinese, commas, quotes and a line break survive, and the times are the events' own.
    risk = next(
        row for row in csv.DictReader(io.StringIO(printed.stdout[1:], newline="")) if row["type"] == "RiskFlagged"
    )
    assert risk["summary"] == f"sun.li (department_lead) flagged a risk: {TRICKY}"
    assert (risk["actor"], risk["role"], risk["department"]) == (HR_LEAD.user, "department_lead", "hr")
    assert risk["aggregate_id"] == str(told["a"].tickets["R1"]) and risk["project_id"] == str(told["a"].project_id)
    for row in csv.DictReader(io.StringIO(printed.stdout[1:], newline="")):
        utc, shanghai = datetime.fromisoformat(row["time_utc"]), datetime.fromisoformat(row["time_shanghai"])
        assert utc == shanghai and utc.utcoffset() == timedelta(0) and shanghai.utcoffset() == timedelta(hours=8)
    rejected = next(row for row in table if row[8] == "PlanRejected")
    assert rejected[9] == "li.lei (project_manager) rejected plan version 1: 人手不足：缺少質檢員"


@pytest.mark.backends()
def test_the_jsonl_export_is_the_stored_events_with_their_data(app):
    tracker = app.extensions["tracker"]
    told = story(tracker)
    log = stored_log(app)

    for args in (("--format", "jsonl"), ()):  # (jsonl is the default)
        exported = parse_jsonl(export(app, *args).stdout)
        assert len(exported) == len(log)
        for item, stored in zip(exported, log, strict=True):
            assert same_moment(item, stored)
            item = {k: v for k, v in item.items() if k != "time"}
            assert item == {k: v for k, v in stored.items() if k not in ("time", "time_utc")}

    by_type = {item["type"]: item for item in parse_jsonl(export(app).stdout)}
    assert by_type["RiskFlagged"]["data"] == {"reason": TRICKY}
    assert by_type["MeetingHeld"]["data"]["decisions"] == ["加快招聘，週五前"]
    assert by_type["MeetingHeld"]["data"]["held_on"] == "2026-11-25"
    assert by_type["Registered"]["data"]["customer"] == "上海市應急管理服務中心"
    assert by_type["ProjectManagerAppointed"]["project_id"] == str(told["b"].project_id)


# Filters -----------------------------------------------------------------------------------------


@pytest.mark.backends()
def test_the_export_filters_by_project_and_time(app):
    tracker = app.extensions["tracker"]
    told = story(tracker)
    log = stored_log(app)
    a, b, cut = str(told["a"].project_id), str(told["b"].project_id), told["cut"]

    def csv_export(*args: str) -> list[list[str]]:
        return parse_csv(export(app, "--format", "csv", *args).stdout)

    def positions(rows) -> list[int]:
        return [row["position"] for row in rows]

    only_b = [row for row in log if row["project_id"] == b]
    assert len(only_b) == 2
    assert csv_export("--project", b) == as_csv_rows(only_b)
    only_a = [row for row in log if row["project_id"] == a]
    assert len(only_a) == len(log) - 2
    assert csv_export("--project", a) == as_csv_rows(only_a)
    assert {row["aggregate_id"] for row in only_a} == {a, *(str(t) for t in told["a"].tickets.values())}
    assert csv_export("--project", "00000000-0000-0000-0000-000000000000") == []
    assert [item["position"] for item in parse_jsonl(export(app, "--project", b).stdout)] == positions(only_b)

    after = [row for row in log if row["time"] >= cut]
    before = [row for row in log if row["time"] < cut]
    assert after and before and len(after) + len(before) == len(log)
    assert positions(before) == list(range(1, len(before) + 1))  # the cut is between two writes
    naive_utc = cut.replace(tzinfo=None).isoformat()
    for since in (cut.isoformat(), cut.astimezone(SHANGHAI).isoformat(), naive_utc):  # a time without offset is UTC
        assert csv_export("--since", since) == as_csv_rows(after), since
    for until in (cut.isoformat(), cut.astimezone(SHANGHAI).isoformat(), naive_utc):
        assert csv_export("--until", until) == as_csv_rows(before), until
    assert csv_export("--since", cut.isoformat(), "--project", b) == as_csv_rows(only_b)
    assert csv_export("--until", cut.isoformat(), "--project", b) == []
    assert csv_export("--since", cut.isoformat(), "--until", cut.isoformat()) == []

    # An event's own time: --since includes it, --until leaves it out.
    middle = log[len(log) // 2]
    assert csv_export("--since", middle["time_utc"], "--until", middle["time_utc"]) == []
    on = csv_export("--since", middle["time_utc"], "--until", (middle["time"] + timedelta(microseconds=1)).isoformat())
    assert middle["position"] in [int(row[0]) for row in on]
    # Whole days and the plain formats.
    day = log[0]["time"].date()
    assert csv_export("--since", day.isoformat()) == as_csv_rows(log)
    assert csv_export("--until", day.isoformat()) == []
    assert csv_export("--since", f"{day} 00:00:00", "--until", f"{day + timedelta(days=1)}T00:00:00") == as_csv_rows(
        [row for row in log if row["time"].date() == day]
    )


@pytest.mark.backends("sqlite")
def test_a_bad_time_or_format_is_refused(app):
    story(app.extensions["tracker"])
    runner = app.test_cli_runner()
    for args in (("--since", "yesterday"), ("--until", "2026-13-01"), ("--format", "xlsx")):
        result = runner.invoke(args=["audit", "export", *args])
        assert result.exit_code == 2, (args, result.output)
        assert not result.stdout.startswith(BOM)


@pytest.mark.backends()
def test_an_empty_log_exports_a_header_only(app):
    assert parse_csv(export(app, "--format", "csv").stdout) == []
    assert export(app, "--format", "jsonl").stdout == ""


@pytest.mark.backends("postgres", "sqlite")
def test_the_export_includes_events_written_since_the_last_export(app):
    """The views the export reads are brought up to the log's head first (on PostgreSQL the
    app does not project in-process)."""
    tracker = app.extensions["tracker"]
    told = story(tracker)
    first = parse_jsonl(export(app).stdout)
    assert len(first) == tracker.recorder.max_notification_id()
    tracker.hold_meeting(PM, told["a"].project_id, date(2026, 11, 26), ["hr"], ["第二次協調會"])
    second = parse_jsonl(export(app).stdout)
    assert second[:-1] == first
    assert second[-1]["data"]["decisions"] == ["第二次協調會"]
    assert [row["position"] for row in stored_log(app)] == [item["position"] for item in second]
