"""Benchmark: the auditor's tools on PostgreSQL — time travel into a long project, and verifying the chain.

    python bench/audit.py [--events 10000] [--samples 300] [--log 100000] [--repeat 3] [--no-write]

In one run, on one fresh PostgreSQL schema (dropped after):
1. History: one project is launched to implementation (tickets issued) and then given
   ``--events`` events through real commands — requirement changes (sales) and coordination
   meetings (PM), alternately — on the application service; after each command the time and
   the project's new version are written down.
2. Time travel: at ``--samples`` random times across that history, the project as it was —
   (a) directly, ``tracker.project_as_it_was(pid, tracker.version_at(pid, t))``;
   (b) over HTTP, ``GET /api/projects/{pid}?as_of=t`` with a bearer token (Flask test client, so
   the whole request — auth, query parsing, the read, rendering with the tickets as they stood,
   JSON, and the client decoding the body — without a socket). Every answer's version is checked
   against the versions written down around ``t``, and a further ``--exact`` reads at the recorded
   times must match exactly. Then one request at the last version and one at the middle one are
   taken apart (median of 7 of each part).
3. Verify: the log is grown to ``--log`` events with real launches (``demo/launch.py``) run on
   in-memory Trackers in worker processes and copied into the store with the chained recorder's
   ``insert_events`` (which links each event as it is inserted), then VACUUM ANALYZE; then,
   ``--repeat`` times each, alternately: the library's plain ``select_notifications`` paging
   alone, the chain table's paging alone, and ``store.chain.verify.verify(recorder)``.
Results are written into docs/benchmarks.md (section "Auditor tools"). Targets (issue 6): time
travel into a project with 10,000 events p99 < 100 ms; verify ≥ 30,000 events/s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import bisect
import multiprocessing
import os
import platform
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api import create_app, settle_heap  # noqa: E402
from api.auth import issue_token  # noqa: E402
from bench.api_lifecycle import percentiles  # noqa: E402
from bench.rebuild import EVENTS_PER_LAUNCH, make_chunk  # noqa: E402
from demo.workflow import AUDITOR, PM, SALES, Launch  # noqa: E402
from domain.application import Tracker  # noqa: E402
from store.chain import verify as chain_verify  # noqa: E402

SECTION = "## Auditor tools"
SECRET = "bench-secret-key-of-at-least-32-bytes"
TIME_TRAVEL_P99_MS = 100.0
VERIFY_RATE = 30_000.0


# 1. A long project ---------------------------------------------------------------------------


def build_history(tracker: Tracker, events: int) -> dict[str, Any]:
    """One project with at least ``events`` events; (time, version) after every command."""
    launch = Launch(tracker, code=f"AUDIT-{uuid.uuid4().hex[:10]}").advance_to("implementation").issue_tickets()
    pid = launch.project_id
    version = tracker.load_project(pid).version
    times: list[datetime] = [datetime.now(UTC)]
    versions: list[int] = [version]
    latencies: list[float] = []
    started = time.perf_counter()
    i = 0
    while version < events:
        began = time.perf_counter()
        if i % 2 == 0:
            outcome = tracker.record_requirement_change(SALES, pid, f"change {i}: add a queue", "accepted", f"CR-{i}")
        else:
            outcome = tracker.hold_meeting(
                PM, pid, date(2026, 11, 1) + timedelta(days=i % 60), ["hr", "technology"], [f"decision {i}"]
            )
        latencies.append(time.perf_counter() - began)
        version = outcome.version
        times.append(datetime.now(UTC))
        versions.append(version)
        i += 1
    return {
        "pid": pid,
        "times": times,
        "versions": versions,
        "commands": i,
        "seconds": time.perf_counter() - started,
        "first_version": versions[0],
        **{f"cmd_{k}": v for k, v in percentiles(latencies).items()},
    }


# 2. Time travel ------------------------------------------------------------------------------


def sample_times(history: dict[str, Any], samples: int, exact: int, seed: int) -> list[tuple[datetime, set[int]]]:
    """Random times across the history, each with the versions the project may have had then.

    A time between two recorded points t_i ≤ t < t_i+1 saw version v_i or v_i+1 (the next
    command's event is stamped somewhere in between); at a recorded time itself exactly v_i.
    """
    rng = random.Random(seed)
    times, versions = history["times"], history["versions"]
    first, span = times[0], (times[-1] - times[0]).total_seconds()
    chosen = []
    for _ in range(samples):
        moment = first + timedelta(seconds=rng.uniform(0, span))
        i = bisect.bisect_right(times, moment) - 1
        chosen.append((moment, {versions[i], versions[min(i + 1, len(versions) - 1)]}))
    for _ in range(exact):
        i = rng.randrange(len(times))
        chosen.append((times[i], {versions[i]}))
    rng.shuffle(chosen)
    return chosen


def travel_direct(tracker: Tracker, pid: Any, chosen: list[tuple[datetime, set[int]]]) -> dict[str, Any]:
    latencies, index_only, wrong = [], [], 0
    for moment, expected in chosen:
        began = time.perf_counter()
        version = tracker.version_at(pid, moment)
        indexed = time.perf_counter()
        project = tracker.project_as_it_was(pid, version)
        done = time.perf_counter()
        latencies.append(done - began)
        index_only.append(indexed - began)
        wrong += project.version not in expected or version != project.version
    return {"samples": len(chosen), "wrong": wrong, **percentiles(latencies), "index": percentiles(index_only)}


def travel_http(client: Any, token: str, pid: Any, chosen: list[tuple[datetime, set[int]]]) -> dict[str, Any]:
    latencies, answered, wrong = [], [], 0
    headers = {"Authorization": f"Bearer {token}"}
    for moment, expected in chosen:
        began = time.perf_counter()
        response = client.get(f"/api/projects/{pid}", query_string={"as_of": moment.isoformat()}, headers=headers)
        response.get_data()
        answered.append(time.perf_counter() - began)
        # Decoded (and timed), but only the version kept: a client in a process of its own would not
        # leave 10,000 decoded entries on the server's heap for its collector to sweep.
        version = response.get_json()["version"]
        latencies.append(time.perf_counter() - began)
        ok = response.status_code == 200 and version in expected
        wrong += not (ok and response.headers.get("ETag") == f'"{version}"')
    return {"samples": len(chosen), "wrong": wrong, **percentiles(latencies), "answered": percentiles(answered)}


def breakdown(app: Any, client: Any, token: str, pid: Any, moment: datetime, runs: int = 7) -> dict[str, float]:
    """Where one ``?as_of=`` request's time goes (ms, median of ``runs``): the parts the handler runs
    one after the other, then the whole request and the client decoding the body."""
    from api import render
    from api.schemas.projects import ProjectOut

    tracker = app.extensions["tracker"]
    headers = {"Authorization": f"Bearer {token}"}
    parts: dict[str, list[float]] = {}

    def timed(name: str, call: Any) -> Any:
        began = time.perf_counter()
        result = call()
        parts.setdefault(name, []).append((time.perf_counter() - began) * 1000)
        return result

    path, query = f"/api/projects/{pid}", {"as_of": moment.isoformat()}
    for _ in range(runs):
        with app.test_request_context():
            version = timed("index", lambda: tracker.version_at(pid, moment))
            project = timed("load", lambda v=version: tracker.project_as_it_was(pid, v))
            body = timed("render", lambda p=project: render.project(p, moment))
            dumped = timed("dump", lambda b=body: render.dump(ProjectOut(), b))
            encoded = timed("encode", lambda d=dumped: app.json.response(d))
        response = timed("request", lambda: client.get(path, query_string=query, headers=headers))
        timed("client_decode", response.get_json)
    result = {name: statistics.median(values) for name, values in parts.items()}
    result.update(version=version, bytes=len(encoded.get_data()), snapshot_bytes=snapshot_size(tracker, pid, version))
    return result


def snapshot_size(tracker: Tracker, pid: Any, version: int) -> int:
    found = tracker.snapshots.recorder.select_events(pid, lte=version, desc=True, limit=1) if tracker.snapshots else []
    return len(found[0].state) if found else 0


# 3. Verify -----------------------------------------------------------------------------------


def grow_log(tracker: Tracker, target: int, chunk: int, seed: int) -> dict[str, Any]:
    """Real launches on in-memory Trackers (worker processes), copied in with the chained recorder."""
    from eventsourcing.persistence import StoredEvent

    missing = max(0, target - (tracker.recorder.max_notification_id() or 0))
    tasks = [(chunk, 4, seed + i) for i in range(-(-missing // (chunk * EVENTS_PER_LAUNCH)))]
    started, inserting, added = time.perf_counter(), 0.0, 0
    with multiprocessing.get_context("spawn").Pool(os.cpu_count() or 2) as pool:
        for rows in pool.imap_unordered(make_chunk, tasks):
            began = time.perf_counter()
            tracker.recorder.insert_events([StoredEvent(*row) for row in rows])
            inserting += time.perf_counter() - began
            added += len(rows)
    return {"added": added, "seconds": time.perf_counter() - started, "inserting": inserting}


def settle(base_url: str, schema: str) -> None:
    """VACUUM ANALYZE the new rows, so that no timed reader pays for setting their hint bits."""
    with psycopg.connect(base_url, autocommit=True) as conn:
        tables = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,)).fetchall()
        for (table,) in tables:
            conn.execute(f'VACUUM ANALYZE "{schema}"."{table}"')


def page_events(recorder: Any) -> int:
    count = 0
    for _ in chain_verify._events(recorder):
        count += 1
    return count


def page_links(recorder: Any) -> int:
    count = 0
    for _ in chain_verify._links(recorder):
        count += 1
    return count


def verify_events(recorder: Any) -> int:
    result = chain_verify.verify(recorder)
    if not result.ok:
        raise RuntimeError(f"verification failed: {result}")
    return result.events


def measure_verify(tracker: Tracker, repeat: int) -> dict[str, dict[str, float]]:
    modes = {"select_notifications": page_events, "chain": page_links, "verify": verify_events}
    runs: dict[str, list[tuple[int, float, float]]] = {mode: [] for mode in modes}
    for _ in range(repeat):
        for mode, run in modes.items():
            started, cpu = time.perf_counter(), time.process_time()
            events = run(tracker.recorder)
            runs[mode].append((events, time.perf_counter() - started, time.process_time() - cpu))
    results = {}
    for mode, done in runs.items():
        rates = sorted(events / seconds for events, seconds, _ in done)
        results[mode] = {
            "events": done[0][0],
            "seconds": statistics.median(seconds for _, seconds, _ in done),
            "rate": statistics.median(rates),
            "low": rates[0],
            "high": rates[-1],
            "cpu_us": statistics.median(cpu / events * 1e6 for events, _, cpu in done),
        }
    return results


# Report --------------------------------------------------------------------------------------


def report(
    history: dict[str, Any],
    travel: dict[str, dict[str, Any]],
    grown: dict[str, Any],
    checked: dict[str, dict[str, float]],
    args: argparse.Namespace,
    load: dict[str, float],
) -> str:
    project_events = history["versions"][-1]
    direct, frozen, over_http = travel["direct"], travel["direct_frozen"], travel["http"]
    wrong = direct["wrong"] + over_http["wrong"]
    samples = direct["samples"]

    def verdict(p99: float) -> str:
        return "met" if p99 < TIME_TRAVEL_P99_MS and project_events >= 10_000 and not wrong else "NOT met"

    rate = checked["verify"]["rate"]
    verdict_verify = "met" if rate >= VERIFY_RATE else "NOT met"
    index = travel["direct"]["index"]
    last = travel["parts"]["last"]
    parts_rows = "\n".join(
        f"| {p['version']:,} | {p['bytes'] / 1e6:.2f} MB | {p['index']:.1f} | {p['load']:.1f} | {p['render']:.1f} "
        f"| {p['dump']:.1f} | {p['encode']:.1f} | {p['request']:.1f} | {p['client_decode']:.1f} |"
        for p in travel["parts"].values()
    )
    travel_rows = "\n".join(
        f"| {name} | {r['samples']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['max_ms']:.1f} "
        f"| {r['samples'] - r['wrong']}/{r['samples']} |"
        for name, r in (
            ("`version_at` + `project_as_it_was`, heap not settled", travel["direct"]),
            ("the same, heap settled as the server's (`api.settle_heap`)", travel["direct_frozen"]),
            ("`GET /api/projects/{id}?as_of=` as served, client decoding the body", travel["http"]),
            ("the same, until the answer is in hand (before decoding)", {**travel["http"]["answered"],
             "samples": travel["http"]["samples"], "wrong": travel["http"]["wrong"]}),
        )
    )
    verify_rows = "\n".join(
        f"| {name} | {r['events']:,} | {r['seconds']:.2f} | **{r['rate']:,.0f}** ({r['low']:,.0f}–{r['high']:,.0f}) "
        f"| {r['cpu_us']:.1f} |"
        for name, r in (
            ("`select_notifications` paging alone (library)", checked["select_notifications"]),
            ("chain table paging alone", checked["chain"]),
            ("`verify(recorder)`", checked["verify"]),
        )
    )
    share = checked["select_notifications"]["seconds"] / checked["verify"]["seconds"]
    return f"""{SECTION}

`python bench/audit.py --events {args.events} --samples {args.samples} --log {args.log} --repeat {args.repeat}`,
run {time.strftime("%Y-%m-%d %H:%M %Z")} on {platform.machine()}, {os.cpu_count()} cores, Python
{platform.python_version()}, PostgreSQL on localhost, snapshots every {args.snapshot_interval} events; 1-minute load
average {load["travel"]:.1f} when the time travel began, {load["verify"]:.1f} when the verification began.

**Time travel.** One project launched to implementation (tickets issued), then given
{history["commands"]:,} requirement changes and meetings by real commands: **{project_events:,} events**
(built in {history["seconds"]:.0f} s; command p50 {history["cmd_p50_ms"]:.1f} ms, p99
{history["cmd_p99_ms"]:.1f} ms as the project grew). Reads at {args.samples} times drawn uniformly across its
history plus {args.exact} at recorded times; every answer's version checked against the versions recorded
around that time (exactly, at the recorded times).

| read as it was | reads | p50 ms | p95 ms | p99 ms | max ms | right version |
|---|---|---|---|---|---|---|
{travel_rows}

The server (`wsgi.py`) calls `api.settle_heap()` once the app has started: `gc.freeze()` moves every object
the process holds by then out of the cyclic collector's sight. Each read of a large project leaves tens of
thousands of new objects alive for a while, so the collector often runs a full sweep, and without the freeze
that sweep also walks every object of the application itself: the difference between the first two rows is
those sweeps. The HTTP reads are timed in the process so served, through the Flask test client (the whole
request without a socket), and include the client decoding the JSON body unless the row says otherwise.

The time index lookup (`version_at`) alone: p50 {index["p50_ms"]:.2f} ms, p99 {index["p99_ms"]:.2f} ms; the rest
is loading the nearest snapshot (every {args.snapshot_interval} events; it holds the whole state, so it grows with
the history: {last["snapshot_bytes"] / 1e6:.1f} MB at {last["version"]:,} events) and the events after it. Snapshots
and events are fetched in PostgreSQL's binary format (`store.chain.recorders.BinaryStateReads`): as text a `bytea`
travels as hex, and fetching the largest snapshot took 19 ms instead of 2 ms (first run of this benchmark, fetching hex,
load average about 2.5: p99 118 ms direct, 231 ms over HTTP).

One request taken apart (ms, median of 7), at the last version and at the middle one:

| version | body | index | load | state + tickets as they stood | dump | JSON | whole request | client decodes |
|---|---|---|---|---|---|---|---|---|
{parts_rows}

The answer carries the whole state, every requirement change and meeting included
({last["bytes"] / 1e6:.1f} MB of JSON at {last["version"]:,} events). It used to be dumped by the marshmallow
schema (which copies every entry) and encoded by the standard `json` module (which calls back into Python for
each date and time): about 5 ms and 20–27 ms at the last version, together as long as the read; that run
measured p99 64.7 ms direct and 132.7 ms over HTTP. Now `api.render.dump` answers what the schema's dump
answers without the copies (`ProjectOut` still documents the answer; a test holds the two equal), orjson
encodes the body (`api/json.py`, the same text as `json` wrote), and the tickets' versions then are found in
one query (`Tracker.versions_at`). Most of what the request adds to the direct read is now the client decoding
the body.

**Verify.** The log grown to **{grown["total"]:,} events** (the project above plus
{grown["added"]:,} events of real launches made on in-memory Trackers and copied in with the chained
recorder's `insert_events`, {grown["inserting"]:.0f} s of inserting), VACUUM ANALYZE, then each read
{args.repeat} times, alternately (median, range):

| read of the whole log | events | seconds | events/s | CPU µs/event |
|---|---|---|---|---|
{verify_rows}

Reading the events the library's way is {share:.0%} of the verification's time; the rest is reading the
chain table and the two SHA-256 per event.

- Time travel into a project with {project_events:,} events, {samples * 2 - wrong}/{samples * 2} reads at the
  right version: p99 **{frozen["p99_ms"]:.1f} ms** read directly as the server reads (target p99 < 100 ms:
  {verdict(frozen["p99_ms"])});
  **{over_http["p99_ms"]:.1f} ms** over HTTP ({verdict(over_http["p99_ms"])}), where the answer also carries
  every one of the project's requirement changes and meetings as JSON ({last["bytes"] / 1e6:.1f} MB at
  {last["version"]:,} events) and the time includes the client decoding it; until the answer is in hand
  {over_http["answered"]["p99_ms"]:.1f} ms. Read directly in a process that has not settled its heap:
  {direct["p99_ms"]:.1f} ms.
- Verify: **{rate:,.0f} events/s** over {checked["verify"]["events"]:,} events (target ≥ 30,000 events/s:
  {verdict_verify}).
"""


def write_section(text: str) -> None:
    """Replace this script's section of docs/benchmarks.md (or add it at the end)."""
    path = ROOT / "docs" / "benchmarks.md"
    existing = path.read_text() if path.exists() else "# Benchmarks\n\nResults written by the scripts in `bench/`.\n"
    if SECTION in existing:
        before, _, after = existing.partition(SECTION)
        rest = after.split("\n## ", 1)
        existing = before.rstrip() + (("\n\n## " + rest[1]) if len(rest) > 1 else "")
    path.write_text(existing.rstrip() + "\n\n" + text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--postgres", default=os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--events", type=int, default=10_000, help="events in the long project")
    parser.add_argument("--samples", type=int, default=300, help="reads at random times")
    parser.add_argument("--exact", type=int, default=30, help="further reads at recorded times")
    parser.add_argument("--log", type=int, default=100_000, help="events in the log to verify")
    parser.add_argument("--chunk", type=int, default=20, help="launches per worker task")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md alone")
    args = parser.parse_args()

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(args.postgres, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{args.postgres}{'&' if '?' in args.postgres else '?'}schema={schema}"
    try:
        tracker = Tracker(url)
        args.snapshot_interval = tracker.snapshotting_intervals and next(iter(tracker.snapshotting_intervals.values()))
        history = build_history(tracker, args.events)
        print(f"history: {history['versions'][-1]} events in {history['seconds']:.0f} s", file=sys.stderr)
        settle(args.postgres, schema)
        chosen = sample_times(history, args.samples, args.exact, args.seed)
        pid = history["pid"]
        travel_direct(tracker, pid, chosen[:20])  # warm-up
        load = {"travel": os.getloadavg()[0]}
        travel = {"direct": travel_direct(tracker, pid, chosen)}
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})
        settle_heap()  # as wsgi.py does once the server has started
        travel["direct_frozen"] = travel_direct(tracker, pid, chosen)
        client = app.test_client()
        token = issue_token(app.config["SECRET_KEY"], AUDITOR, 1)
        travel_http(client, token, pid, chosen[:20])  # warm-up
        travel["http"] = travel_http(client, token, pid, chosen)
        times = history["times"]
        travel["parts"] = {
            "last": breakdown(app, client, token, pid, times[-1]),
            "middle": breakdown(app, client, token, pid, times[len(times) // 2]),
        }
        app.extensions["tracker"].close()
        print(f"time travel: {travel}", file=sys.stderr)

        grown = grow_log(tracker, args.log, args.chunk, args.seed)
        grown["total"] = tracker.recorder.max_notification_id()
        settle(args.postgres, schema)
        print(f"log: {grown}", file=sys.stderr)
        load["verify"] = os.getloadavg()[0]
        checked = measure_verify(tracker, args.repeat)
        tracker.close()
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    text = report(history, travel, grown, checked, args, load)
    print(text)
    if not args.no_write:
        write_section(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
