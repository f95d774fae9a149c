"""Benchmark: rebuilding every view from a long log, against the library's plain read+decode of it.

    python bench/rebuild.py [--events 200000] [--sizes 50000,100000] [--repeat 3] [--database-url URL]
                            [--no-write] [--keep] [--reuse URL]

1. Log: real domain events of many project launches (``demo/launch.py``, 36 events each), made
   by the application's own commands on in-memory Trackers in worker processes — ``--in-flight``
   launches at a time per worker, their commands interleaved at random, as concurrent users' would
   be — and copied, in the order they were recorded, into a fresh store with the library's own
   ``recorder.insert_events`` (``--insert`` events at a time). PostgreSQL: a fresh schema, dropped after;
   SQLite (``--database-url sqlite:///...``): a fresh file, deleted after.
2. At each log size (``--sizes`` and ``--events``), ``--repeat`` times each, alternately, each in a
   fresh child process so that its peak RSS is its own: (a) the library's plain read+decode —
   ``recorder.select_notifications`` page by page and ``mapper.to_domain_event`` for each
   notification; (b) the rebuild — ``Runner(tracker, ViewStore(url)).rebuild()``, every view
   emptied and rebuilt from position 0.
Results are written into docs/benchmarks.md (section "Views rebuild", or "Views rebuild on SQLite").
Targets (PostgreSQL): rebuild ≥ 25,000 events/s and ≥ 40 % of the read+decode rate; peak RSS of
the rebuild < 300 MB and flat as the log grows.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from functools import partial
from pathlib import Path
from typing import Any

from eventsourcing.persistence import Mapper

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench  # noqa: E402, F401  (today fixed after the launches' dates: TRACKER_TODAY)
from demo.launch import Client, direct_client, launch  # noqa: E402
from domain.application import Tracker  # noqa: E402
from store import database as storage  # noqa: E402

DEFAULT_POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
EVENTS_PER_LAUNCH = 36
HEADER = (
    "| events in log | read+decode events/s | rebuild events/s | rebuild / read+decode | read+decode CPU µs/event "
    "| rebuild CPU µs/event | read+decode peak RSS MB | rebuild peak RSS MB |\n|---|---|---|---|---|---|---|---|"
)
QUICK_PATHS = """Neither the decoding nor the encoding is the library's generic path, though both make what it
makes. The rebuild decodes an event with the library's JSON decoder's C scanner called directly and a hook that
calls the C constructors of times, dates and ids directly (`EventDecoder`: the same event objects as
`mapper.to_domain_event`, checked against it on the first event of each class; anything unusual goes to the
library's path), where read+decode, the baseline, calls the library's `mapper.to_domain_event` as it is. It encodes
the snapshots byte for byte as the library's `Snapshot.take` and `mapper.to_stored_event` would (`SnapshotEncoder`,
checked likewise on the first aggregate of each class), keeping one C encoder, taking the events' times, which the
states hold, as the text they are stored as rather than formatting them again, and stamping the snapshots of a
batch with one time; the audit rows' times too are read from the stored events."""
HISTORY = """

The runner as first written (a query per event for states and owners, batches of 1,000, row-by-row upserts, DELETE
to empty the tables) rebuilt the same kind of 201,600-event log at about 4,200 events/s. The runner of the previous
measurement (the library's own decoding and snapshot encoding, the audit rows' times formatted anew), measured on
2026-11-23 against the current one on this machine, both with the current domain, on a 72,000-event log,
`--repeat 3`, six times each, alternately: rebuild / read+decode 0.37–0.43 (median 0.38) where the current one's
was 0.42–0.45 (median 0.43); of the CPU per event 0.38–0.44 (median 0.39) against 0.42–0.46 (median 0.45). Counted
in instructions (valgrind), which the machine's other work does not change, the rebuild took 198 thousand per event
before and 160 thousand now, read+decode 88 thousand."""
SQLITE_NOTE = " The targets are PostgreSQL's; these figures are for comparison."
RSS_FLAT = 0.10
"""'Flat': the peak RSS at the largest log at most 10 % above the one at the smallest."""


# Making the log ---------------------------------------------------------------------------


class Interleaver:
    """``n`` launches in flight, one command at a time, the next command from a launch picked at random."""

    def __init__(self, n: int, seed: int) -> None:
        self.turns = [threading.Event() for _ in range(n)]
        self.active = list(range(n))
        self.rng = random.Random(seed)

    def wait_turn(self, me: int) -> None:
        self.turns[me].wait()
        self.turns[me].clear()

    def hand_on(self, me: int, leaving: bool = False) -> None:
        """Called by the one thread holding the turn: give it to a random launch in flight."""
        if leaving:
            self.active.remove(me)
        if not self.active:
            return
        following = self.rng.choice(self.active)
        if following == me:
            return
        self.turns[following].set()
        if not leaving:
            self.wait_turn(me)

    def client(self, me: int, inner: Client) -> Client:
        def run(*args: Any) -> dict[str, Any]:
            try:
                return inner(*args)
            finally:
                self.hand_on(me)

        return run


def make_chunk(task: tuple[int, int, int]) -> list[tuple[Any, int, str, bytes]]:
    """``launches`` launches on a fresh in-memory Tracker, ``in_flight`` at a time; the stored events in log order."""
    launches, in_flight, seed = task
    tracker = Tracker("memory://")
    inner = direct_client(tracker)
    in_flight = min(in_flight, launches)
    shares = [launches // in_flight + (i < launches % in_flight) for i in range(in_flight)]
    interleaver = Interleaver(in_flight, seed)
    errors: list[BaseException] = []

    def worker(me: int) -> None:
        interleaver.wait_turn(me)
        try:
            client = interleaver.client(me, inner)
            for _ in range(shares[me]):
                launch(client)
        except BaseException as error:  # (raised below, once the other launches are done)
            errors.append(error)
        finally:
            interleaver.hand_on(me, leaving=True)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(in_flight)]
    for thread in threads:
        thread.start()
    interleaver.turns[interleaver.rng.choice(interleaver.active)].set()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    recorder = tracker.recorder
    notifications = recorder.select_notifications(1, recorder.max_notification_id() or 0)
    return [(n.originator_id, n.originator_version, n.topic, n.state) for n in notifications]


def grow_log(tracker: Tracker, pool: Any, target: int, args: argparse.Namespace, seed: int) -> dict[str, float]:
    """Add launches until the store holds at least ``target`` events."""
    from eventsourcing.persistence import StoredEvent

    have = tracker.recorder.max_notification_id() or 0
    missing = max(0, target - have)
    chunks = -(-missing // (args.chunk * EVENTS_PER_LAUNCH))
    tasks = [(args.chunk, args.in_flight, seed + i) for i in range(chunks)]
    started, inserting, added = time.perf_counter(), 0.0, 0
    for rows in pool.imap_unordered(make_chunk, tasks):
        began = time.perf_counter()
        for start in range(0, len(rows), args.insert):
            tracker.recorder.insert_events([StoredEvent(*row) for row in rows[start : start + args.insert]])
        inserting += time.perf_counter() - began
        added += len(rows)
    return {"added": added, "seconds": time.perf_counter() - started, "inserting": inserting}


def settle(url: str, tracker: Tracker) -> None:
    """VACUUM ANALYZE the new rows, so no timed reader pays for setting their hint bits."""
    env = storage.env_for(url)
    if env["PERSISTENCE_MODULE"] != "eventsourcing.postgres":
        return
    import psycopg

    schema = env.get("POSTGRES_SCHEMA", "public")
    with psycopg.connect(base_postgres_url(url), autocommit=True) as conn:
        conn.execute(f'VACUUM ANALYZE "{schema}"."{tracker.recorder.events_table_name}"')


def base_postgres_url(url: str) -> str:
    return url.split("?", 1)[0]


# Measuring (in child processes) -------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def high_water_mb() -> float:
    """The kernel's VmHWM: the peak RSS of this process image alone (a cross-check of ``ru_maxrss``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(mode: str, url: str, page: int) -> dict[str, Any]:
    """One measurement in this (fresh) process: what it did, how long, and the peak RSS."""
    from projections.runner import Runner
    from store.views import ViewStore

    tracker = Tracker(url)
    store = ViewStore(url) if mode == "rebuild" else None
    baseline = peak_rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    if mode == "read":
        # The library's own decoding (``Mapper.to_domain_event``), whatever mapper the application reads with
        # (``store.decoding.QuickMapper`` since issue 12): the baseline stays the library's path.
        recorder, decode, start, events = tracker.recorder, partial(Mapper.to_domain_event, tracker.mapper), 1, 0
        while notifications := recorder.select_notifications(start, page):
            for notification in notifications:
                decode(notification)
            events += len(notifications)
            start = notifications[-1].id + 1
    else:
        events = Runner(tracker, store).rebuild()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "events": events,
        "seconds": seconds,
        "rate": events / seconds,
        "cpu_us": cpu / events * 1e6,
        "rss_mb": peak_rss_mb(),
        "hwm_mb": high_water_mb(),
        "base_mb": baseline,
    }


LAUNCHER = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)"
"""A small process that starts the measured one. Linux keeps ``ru_maxrss`` across exec, so a child
forked straight from this (large) process would start with this process's peak as its own."""


def measure(mode: str, url: str, page: int) -> dict[str, Any]:
    command = [sys.executable, "-c", LAUNCHER, sys.executable, str(Path(__file__).resolve()), "--child", mode]
    done = subprocess.run(
        [*command, "--database-url", url, "--page", str(page)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{mode} child failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_size(url: str, events: int, args: argparse.Namespace) -> dict[str, Any]:
    """``--repeat`` times read+decode then rebuild, alternately (so that both meet the same machine)."""
    runs: dict[str, list[dict[str, Any]]] = {"read": [], "rebuild": []}
    for _ in range(args.repeat):
        for mode in runs:
            run = measure(mode, url, args.page)
            if run["events"] != events:
                raise RuntimeError(f"{mode} counted {run['events']} events, expected {events}")
            runs[mode].append(run)
    row: dict[str, Any] = {"events": events}
    for mode, done in runs.items():
        rates = sorted(run["rate"] for run in done)
        row[mode] = {
            "rate": statistics.median(rates),
            "low": rates[0],
            "high": rates[-1],
            "seconds": statistics.median(run["seconds"] for run in done),
            "cpu_us": statistics.median(run["cpu_us"] for run in done),
            "rss_mb": max(run["rss_mb"] for run in done),
            "hwm_mb": max(run["hwm_mb"] for run in done),
            "base_mb": min(run["base_mb"] for run in done),
        }
    return row


def rebuild_batch() -> int:
    from projections.runner import Runner

    return getattr(Runner, "rebuild_batch_size", None) or Runner.__init__.__defaults__[0]


# Report -----------------------------------------------------------------------------------


def report(rows: list[dict[str, Any]], made: dict[str, float], args: argparse.Namespace, postgres: bool) -> str:
    last, first = rows[-1], rows[0]
    rate_last, flat = last["rebuild"]["rate"], f"{RSS_FLAT:.0%}"
    ratio = rate_last / last["read"]["rate"]
    best = last["rebuild"]["high"] / last["read"]["high"]
    cpu_ratio = last["read"]["cpu_us"] / last["rebuild"]["cpu_us"]
    settled = ", and VACUUM ANALYZEd" if postgres else ""
    bound = (
        f"\nThe ratio is bound by CPU in one thread: per event the rebuild spends {1 / cpu_ratio:.1f} times the CPU "
        "of read+decode,\nread+decode included, nearly all of it Python under the GIL; the database's share runs on "
        "the other core.\n"
    )
    peak = max(r["rebuild"]["rss_mb"] for r in rows)
    growth = last["rebuild"]["rss_mb"] / first["rebuild"]["rss_mb"] - 1
    hwm_gap = max(abs(r[m]["rss_mb"] - r[m]["hwm_mb"]) for r in rows for m in ("read", "rebuild"))

    def rate(r: dict[str, Any]) -> str:
        return f"{r['rate']:,.0f} ({r['low']:,.0f}–{r['high']:,.0f})"

    table = "\n".join(
        f"| {r['events']:,} | {rate(r['read'])} | {rate(r['rebuild'])} "
        f"| {r['rebuild']['rate'] / r['read']['rate']:.2f} "
        f"| {r['read']['cpu_us']:.1f} | {r['rebuild']['cpu_us']:.1f} | {r['read']['rss_mb']:.0f} "
        f"| {r['rebuild']['rss_mb']:.0f} |"
        for r in rows
    )

    def verdict(target: str, ok: bool) -> str:
        return f" (target {target}: {'met' if ok else 'NOT met'})" if postgres else ""

    store = "PostgreSQL 15 on localhost" if postgres else "SQLite (one file, WAL)"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    command = "python bench/rebuild.py" + (f" --database-url {args.database_url}" if not postgres else "")
    command += f" --events {args.events} --sizes {args.sizes} --repeat {args.repeat}"
    return f"""{section_for(postgres)}

`{command}`, run {time.strftime("%Y-%m-%d %H:%M %Z")} on {platform.machine()}, {os.cpu_count()} cores,
Python {platform.python_version()}, {store} (load average at the end {load}, the benchmark's own
processes included; single runs vary, hence the repeats and the ranges).

The log: {made["events"]:,} events of {made["events"] // EVENTS_PER_LAUNCH:,} launches (intake → plan → 3
tickets → manual → trial → review with 8 items → go-live: 36 events on 5 aggregates each), made by the
application's own commands on in-memory Trackers in {args.workers} worker processes, {args.in_flight} launches in
flight in each, their commands interleaved at random as concurrent users' would be, then copied in recorded order
into a fresh {"schema" if postgres else "file"} with the library's `recorder.insert_events` ({args.insert:,} events per
insert; {made["seconds"]:.0f} s in all, {made["inserting"]:.0f} s of it inserting){settled}.

At each size, {args.repeat} times each, alternately, each in a fresh child process:
- read+decode: the library's plain read, `recorder.select_notifications(start, {args.page})` page by page, and
  `mapper.to_domain_event` on every notification;
- rebuild: `Runner(tracker, ViewStore(url)).rebuild()`: every view table emptied, then rebuilt from position 0
  in batches of {rebuild_batch():,}.

Rates are the median (lowest–highest) of the {args.repeat}; CPU is the child's user+system time per event (all
its threads). Peak RSS is the child's `ru_maxrss` at its end, the highest of the {args.repeat} (each child is
started through a small launcher process: Linux carries `ru_maxrss` across exec, so a child forked from the
benchmark itself would report the benchmark's own peak; the kernel's VmHWM agrees within {hwm_gap:.0f} MB). A child
that has imported the application and opened its connections, before doing anything, is at about
{first["rebuild"]["base_mb"]:.0f} MB.

{HEADER}
{table}

The rebuild (`projections/runner.py`) reads batches of {rebuild_batch():,} with the same library call; for each it
fetches in one query the stored states and owners of the aggregates the batch continues, decodes each event once,
applies it to both views, and writes the rows (PostgreSQL: by binary COPY, the aggregates through a temporary table
and one INSERT … ON CONFLICT; SQLite: `executemany`) with the positions in one transaction; batch N−1 is committed
by a helper thread while batch N is applied and batch N+1 read, and the cyclic garbage collector is paused
meanwhile. Its CPU per event is the read and decode, plus each aggregate's `mutate`, the snapshot encoding of
every aggregate a batch touched (once per aggregate per batch) and the audit rows; that Python work runs on one
core (the GIL), the database's beside it. With fewer batches (the smaller logs) the first read and the last
commit, which nothing overlaps, weigh more.{"" if postgres else SQLITE_NOTE}

{QUICK_PATHS}{HISTORY if postgres else ""}

- Rebuild rate at {last["events"]:,} events: **{rate_last:,.0f} events/s**{verdict("≥ 25,000", rate_last >= 25000)}.
- Rebuild / read+decode: **{ratio:.2f}**{verdict("≥ 0.40", ratio >= 0.40)}; of the fastest runs {best:.2f}, of the CPU
  per event {cpu_ratio:.2f}.
- Rebuild peak RSS: **{peak:.0f} MB** at most{verdict("< 300 MB", peak < 300)}; from {first["events"]:,} to
  {last["events"]:,} events it changed by **{growth:+.1%}**{verdict(f"flat: within {flat}", growth <= RSS_FLAT)}.
{bound if postgres and ratio < 0.40 else ""}"""


def section_for(postgres: bool) -> str:
    return "## Views rebuild" if postgres else "## Views rebuild on SQLite"


def write_section(text: str, section: str) -> None:
    """Replace the section (its heading line exactly) or append it."""
    path = ROOT / "docs" / "benchmarks.md"
    existing = path.read_text() if path.exists() else "# Benchmarks\n\nResults written by the scripts in `bench/`.\n"
    lines = existing.splitlines(keepends=True)
    heads = [i for i, line in enumerate(lines) if line.rstrip("\n") == section]
    if heads:
        start = heads[0]
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        kept = "".join(lines[:start]).rstrip() + "\n\n" + text.rstrip() + "\n"
        rest = "".join(lines[end:])
        path.write_text(kept + ("\n" + rest if rest else ""))
    else:
        path.write_text(existing.rstrip() + "\n\n" + text)


# Main -------------------------------------------------------------------------------------


def fresh_store(url: str) -> tuple[str, Any]:
    """A fresh schema (PostgreSQL) or file (SQLite); returns its URL and how to remove it."""
    env = storage.env_for(url)
    if env["PERSISTENCE_MODULE"] == "eventsourcing.postgres":
        import psycopg

        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")

        def drop() -> None:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")

        return f"{url}{'&' if '?' in url else '?'}schema={schema}", drop
    if "SQLITE_DBNAME" in env:
        path = Path(env["SQLITE_DBNAME"])
        if path.exists():
            raise SystemExit(f"{path} exists; the benchmark wants a fresh file")

        def remove() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

        return url, remove
    raise SystemExit("the benchmark needs a postgresql:// or sqlite:/// URL")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--events", type=int, default=200_000, help="the final size of the log")
    parser.add_argument("--sizes", default="50000,100000", help="smaller sizes measured on the way")
    parser.add_argument("--in-flight", type=int, default=100, help="launches in progress at a time, per worker")
    parser.add_argument("--chunk", type=int, default=400, help="launches per worker task")
    parser.add_argument("--insert", type=int, default=1000, help="events per insert_events call")
    parser.add_argument("--workers", type=int, default=2, help="processes making the log")
    parser.add_argument("--page", type=int, default=0, help="read+decode page size (default: the rebuild's)")
    parser.add_argument("--repeat", type=int, default=3, help="measurements of each kind per size (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="leave the store in place (prints its URL)")
    parser.add_argument("--reuse", metavar="URL", help="measure the log already at URL (kept by --keep); print only")
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md alone")
    parser.add_argument("--child", choices=("read", "rebuild"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # (so that an interrupted run still drops its schema)
    args.page = args.page or rebuild_batch()
    if args.child:
        print(json.dumps(child(args.child, args.database_url, args.page)))
        return 0

    postgres = storage.env_for(args.database_url)["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    if args.reuse:
        tracker = Tracker(args.reuse)
        events = tracker.recorder.max_notification_id() or 0
        tracker.close()
        print(json.dumps(measure_size(args.reuse, events, args), indent=1))
        return 0
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()} | {args.events})
    url, remove = fresh_store(args.database_url)
    rows: list[dict[str, Any]] = []
    made = {"events": 0, "seconds": 0.0, "inserting": 0.0}
    try:
        with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
            tracker = Tracker(url)
            for n, size in enumerate(sizes):
                grown = grow_log(tracker, pool, size, args, seed=args.seed * 1_000_000 + n * 10_000)
                made["seconds"] += grown["seconds"]
                made["inserting"] += grown["inserting"]
                made["events"] = tracker.recorder.max_notification_id() or 0
                print(f"log: {made['events']:,} events ({grown['seconds']:.0f} s)", file=sys.stderr, flush=True)
                settle(url, tracker)
                rows.append(measure_size(url, made["events"], args))
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
            tracker.close()
    finally:
        if args.keep:
            print(f"kept: {url}", file=sys.stderr)
        else:
            remove()
    text = report(rows, made, args, postgres)
    print(text)
    if not args.no_write:
        write_section(text, section_for(postgres))
    return 0


if __name__ == "__main__":
    sys.exit(main())
