"""Benchmark: the pages' server time with 5,000 projects and 1,000,000 events on PostgreSQL (UI.md: p95 < 100 ms).

    python bench/pages.py [--projects 5000] [--events 1000000] [--requests 200] [--workers 2]
                          [--database-url URL] [--reuse URL] [--keep] [--no-write]

1. Log: ``--projects`` launches made by the application's own commands on in-memory Trackers in
   worker processes (``demo/launch.py``), stopped at every phase in turn (planning, implementation,
   trial operation, trial review, live) with 50 project managers, each project then given
   coordination meetings until the log holds ``--events`` events; copied in recorded order into a
   fresh PostgreSQL schema with the library's ``recorder.insert_events``, VACUUM ANALYZEd, and the
   views rebuilt (``Runner.rebuild``). ``--reuse URL`` skips this for a schema made before with
   ``--keep``.
2. The app (``create_app``) on that schema; one account per role, signed in through ``/login``.
3. Each page ``--requests`` times after 5 warm-up requests, by the Flask test client in this process:
   the server's whole work for a request (routing, session, CSRF, views, templates, Babel) without a
   socket. p50/p95/max per page; results into docs/benchmarks.md ("Pages").
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import re
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.rebuild import fresh_store, settle  # noqa: E402
from demo.launch import SALES, STOPS, direct_client, launch_project  # noqa: E402
from domain.application import Tracker  # noqa: E402
from domain.roles import Actor  # noqa: E402

DEFAULT_POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
MANAGERS = 50
PASSWORD = "bench-password-" + secrets.token_hex(8)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PEOPLE = {
    "pm": Actor("pm.0", "project_manager"),
    "lead": Actor("lead.technology", "department_lead", "technology"),
    "sales": Actor("wang.fang", "sales"),
    "auditor": Actor("he.ping", "auditor"),
    "director": Actor("zhao.min", "operations_director"),
}


def make_chunk(task: tuple[int, int, int]) -> list[tuple[Any, int, str, bytes]]:
    """``projects`` launches (phases and PMs in turn from ``first``) padded with meetings to ``events``."""
    from datetime import date

    projects, events, first = task
    tracker = Tracker("memory://")
    run = direct_client(tracker)
    made = []
    for n in range(first, first + projects):
        pm, until = Actor(f"pm.{n % MANAGERS}", "project_manager"), STOPS[n % len(STOPS)]
        made.append((launch_project(run, until, pm)[0], pm, until))
    recorder = tracker.recorder
    turn = 0
    while (recorder.max_notification_id() or 0) < events:
        project_id, pm, until = made[turn % len(made)]
        if until == "live":  # meetings are held before go-live; a live project's changes come from sales
            tracker.record_requirement_change(SALES, project_id, f"change {turn}", "accepted", f"RC-{turn}")
        else:
            tracker.hold_meeting(pm, project_id, date(2026, 11, 30), ["hr", "technology"], [f"weekly check {turn}"])
        turn += 1
    notifications = recorder.select_notifications(1, recorder.max_notification_id() or 0)
    return [(n.originator_id, n.originator_version, n.topic, n.state) for n in notifications]


def make_log(url: str, args: argparse.Namespace) -> dict[str, float]:
    from eventsourcing.persistence import StoredEvent

    from projections.runner import Runner
    from store.views import ViewStore

    chunk = 100
    per_project = args.events // args.projects
    tasks = [(chunk, chunk * per_project, first) for first in range(0, args.projects, chunk)]
    started = time.perf_counter()
    # Workers are spawned, not forked: a fork while the store's pool threads hold locks can hang.
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        tracker = Tracker(url)
        for done, rows in enumerate(pool.imap_unordered(make_chunk, tasks), 1):
            print(f"\r{done}/{len(tasks)} chunks", end="", file=sys.stderr, flush=True)
            for start in range(0, len(rows), 1000):
                tracker.recorder.insert_events([StoredEvent(*row) for row in rows[start : start + 1000]])
    made = time.perf_counter() - started
    settle(url, tracker)
    began = time.perf_counter()
    Runner(tracker, ViewStore(url)).rebuild()
    events = tracker.recorder.max_notification_id() or 0
    tracker.close()
    return {"events": events, "made": made, "rebuilt": time.perf_counter() - began}


def signed_in(app: Any, actor: Actor) -> Any:
    args = ["users", "add", "--user", actor.user, "--role", actor.role, "--password-stdin", "--by", "bench"]
    if actor.department:
        args += ["--department", actor.department]
    runner = app.test_cli_runner()
    runner.invoke(args=args, input=PASSWORD + "\n")  # (refused on a reused schema: the account is there)
    runner.invoke(args=["users", "password", "--user", actor.user, "--password-stdin"], input=PASSWORD + "\n")
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post("/login", data={"username": actor.user, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 302, f"{actor.user} could not sign in ({answer.status_code})"
    return client


def pages(app: Any) -> list[tuple[str, str, str]]:
    """(what, who, path) for every page measured; ids picked from the views (a live project with its events)."""
    views = app.extensions["views"]
    reader = views.reader
    live = reader.where("project", [("state = ?", ("live",))], "code LIMIT 1")[0]
    ticket = reader.where("ticket", [("department = ?", ("technology",))], "code LIMIT 1")[0]
    return [
        ("/ (PM, 100 projects)", "pm", "/"),
        ("/ (department lead)", "lead", "/"),
        ("/ (auditor)", "auditor", "/"),
        ("/projects", "sales", "/projects"),
        ("/projects?q= (search)", "sales", "/projects?q=應急"),
        ("project page (live)", "sales", f"/projects/{live.id}"),
        ("plan page", "sales", f"/projects/{live.id}/plan"),
        ("ticket page", "lead", f"/tickets/{ticket.id}"),
        ("department board", "lead", "/departments/technology"),
        ("/audit", "auditor", "/audit"),
        ("project history", "auditor", f"/projects/{live.id}/history"),
    ]


def measure(app: Any, requests: int) -> list[dict[str, Any]]:
    clients = {who: signed_in(app, actor) for who, actor in PEOPLE.items()}
    rows = []
    for what, who, path in pages(app):
        client = clients[who]
        status = client.get(path).status_code
        if status != 200:
            print(f"{what}: {path} answers {status}; not measured", file=sys.stderr)
            continue
        for _ in range(4):
            client.get(path)
        times = []
        for _ in range(requests):
            began = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - began) * 1000)
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        rows.append({"what": what, "p50": statistics.median(times), "p95": p95, "max": times[-1]})
        print(f"{what:32} p50 {rows[-1]['p50']:6.1f} ms  p95 {p95:6.1f} ms  max {times[-1]:6.1f} ms", flush=True)
    return rows


def report(rows: list[dict[str, Any]], made: dict[str, float], args: argparse.Namespace) -> str:
    met = all(row["p95"] < 100 for row in rows)
    lines = [
        "## Pages",
        "",
        f"`python bench/pages.py --projects {args.projects} --events {args.events} --requests {args.requests}`, run "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL on localhost (load average at the end "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}).",
        "",
        f"The log: {made.get('events', 0):,.0f} events of {args.projects:,} launches stopped at every phase in turn, "
        f"{MANAGERS} PMs, padded with coordination meetings (made in {made.get('made', 0):.0f} s, views rebuilt in "
        f"{made.get('rebuilt', 0):.0f} s). Each page {args.requests} times after 5 warm-ups through the Flask test "
        "client in-process: the server's whole work per request without a socket.",
        "",
        "| page | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|",
        *(f"| {r['what']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} |" for r in rows),
        "",
        f"Target (UI.md): p95 < 100 ms for every page: {'met' if met else 'NOT met'}.",
        "",
    ]
    return "\n".join(lines)


def write_section(text: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    current = path.read_text()
    start = current.find("## Pages\n")
    if start == -1:
        path.write_text(current.rstrip("\n") + "\n\n" + text)
        return
    end = current.find("\n## ", start + 1)
    path.write_text(current[:start] + text + (current[end + 1 :] if end != -1 else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--reuse", help="a schema URL kept by an earlier --keep run")
    parser.add_argument("--keep", action="store_true", help="keep the schema (its URL is printed)")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--made", type=float, default=0, help="with --reuse: seconds the log took to make")
    parser.add_argument("--rebuilt", type=float, default=0, help="with --reuse: seconds the views took to rebuild")
    args = parser.parse_args()

    from api import create_app, shutdown

    made: dict[str, float] = {}
    drop = None
    if args.reuse:
        url = args.reuse
        tracker = Tracker(url)
        made = {"events": tracker.recorder.max_notification_id() or 0, "made": args.made, "rebuilt": args.rebuilt}
        tracker.close()
    else:
        url, drop = fresh_store(args.database_url)
        made = make_log(url, args)
        print(f"log: {made['events']:,} events in {made['made']:.0f} s; views rebuilt in {made['rebuilt']:.0f} s")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32), "PROJECTIONS_IN_PROCESS": True})
    try:
        rows = measure(app, args.requests)
    finally:
        shutdown(app)
        if drop is not None and not args.keep:
            drop()
        elif drop is not None:
            print(f"kept: {url}")
    if not args.no_write:
        write_section(report(rows, made, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
