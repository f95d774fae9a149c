"""Soak: mixed commands and view reads for ``--minutes`` against gunicorn + projector on PostgreSQL,
with the database stopped for ``--cut`` seconds in the middle.

    python bench/soak.py [--minutes 20] [--cut 10] [--threads 4] [--rate 20] [--write]

Everything runs on this machine: a private PostgreSQL cluster (bench/soak_cluster.py; the shared
server is never restarted), gunicorn and ``flask projections run`` (bench/soak_services.py), client
threads (demo/soak_load.py). One launch is walked through first, alone, to learn how many events each step
of it records. Targets (issue 11): no error outside the cut; p99 latency and resident memory of the
last quarter within ±10 % of the first; every acknowledged command's events stored, none twice.
``--write`` puts the report into docs/benchmarks.md (section "Soak"); without it it is only printed.
Processes and the cluster are stopped and removed at the end, on errors and on Ctrl-C too.
"""

from __future__ import annotations

import argparse
import atexit
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.soak_cluster import PrivateCluster, free_port  # noqa: E402
from bench.soak_services import Services, Watch, environment, issue_tokens  # noqa: E402
from demo.launch import BRANCH_HEAD, DIRECTOR, LEADS, PM, SALES, SERVICE_MANAGER, launch  # noqa: E402
from demo.soak_load import Budget, SoakClient  # noqa: E402
from demo.soak_report import Timeline, recovery, report, write_section  # noqa: E402
from domain.roles import Actor  # noqa: E402

READER = Actor("soak.auditor", "auditor")
ACTORS = [SALES, DIRECTOR, PM, SERVICE_MANAGER, BRANCH_HEAD, *LEADS.values(), READER]
EVENTS = "tracker_events"


def stored_events(url: str) -> int:
    with psycopg.connect(url, connect_timeout=10) as conn:
        return conn.execute(f"SELECT count(*) FROM {EVENTS}").fetchone()[0]


def calibrate(client: SoakClient, url: str) -> dict[int, int]:
    """Events each step of the launch records, from one launch sent alone (also the warm-up)."""
    per_step: dict[int, int] = {}
    before = stored_events(url)

    def counted(actor, command, ids, body):
        nonlocal before
        answer = client.command(actor, command, ids, body)
        now = stored_events(url)
        per_step[client.local.step] = now - before
        before = now
        return answer

    launch(counted)
    return per_step


def check_events(client: SoakClient, url: str, per_step: dict[int, int], baseline: int) -> dict[str, int]:
    """Acknowledged commands against the store: positions present, counts as the calibration expects."""
    acked = [o for o in client.outcomes if 200 <= o.status < 300]
    positions = sorted({o.position for o in acked if o.position})
    with psycopg.connect(url, connect_timeout=10) as conn:
        present = f"SELECT count(*) FROM {EVENTS} WHERE notification_id = ANY(%s)"
        found = conn.execute(present, (positions,)).fetchone()[0]
        stored = conn.execute(f"SELECT count(*) FROM {EVENTS}").fetchone()[0] - baseline
    expected = sum(per_step[o.step] for o in acked)
    bound = sum(per_step[o.step] for o in client.outcomes if o.doubtful)
    return {
        "stored": stored,
        "expected": expected,
        "surplus": stored - expected,
        "doubtful_bound": bound,
        "missing": len(positions) - found,
    }


def restart_midway(
    cluster: PrivateCluster, timeline: Timeline, after: float, cut: float, cancel: threading.Event
) -> threading.Thread:
    """Stop the database ``after`` seconds from now for ``cut`` seconds, unless the load ended first."""

    def run() -> None:
        if cancel.wait(after):
            return
        timeline.cut_began = time.time()
        cluster.stop("fast")
        time.sleep(cut)
        try:
            cluster.start()
        except subprocess.CalledProcessError as error:
            print(f"soak: the database did not start again: {error.stderr}\n{cluster.log_tail()}", flush=True)
            return
        timeline.db_up = time.time()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def settle(watch: Watch, seconds: float = 30) -> None:
    """Give the projector time to catch up before the end's figures (bounded: it may be stuck)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if watch.ready and watch.ready[-1][1] == 200:
            views = watch.ready[-1][2].get("views") or {}
            if max(views.values(), default=0) == 0:
                return
        time.sleep(0.5)


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=20, help="length of the load (default 20)")
    parser.add_argument("--cut", type=float, default=10, help="seconds the database stays stopped (default 10)")
    parser.add_argument("--grace", type=float, default=2, help="seconds after /readyz is 200 still in the cut")
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--rate", type=float, default=20, help="requests per second, all threads (default 20)")
    parser.add_argument("--max-requests", type=int, default=100_000, help="request budget (default 100000)")
    parser.add_argument("--retry-for", type=float, default=30, help="seconds a command is retried (default 30)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--rss-every", type=float, default=5, help="seconds between memory samples")
    parser.add_argument("--pg-port", type=int, default=55432, help="private cluster's port (another if taken)")
    parser.add_argument("--logs", type=Path, help="folder for the servers' logs (default: a new temp folder)")
    parser.add_argument("--write", action="store_true", help="write the report into docs/benchmarks.md")
    return parser.parse_args()


def main() -> int:
    args = options()
    logs = args.logs or Path(tempfile.mkdtemp(prefix="soak-logs-"))
    logs.mkdir(parents=True, exist_ok=True)
    cluster = PrivateCluster(args.pg_port)
    services: Services | None = None
    atexit.register(cluster.close)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        cluster.create()
        env = environment(cluster.url)
        tokens = issue_tokens(env, ACTORS[:1])  # the first creates the tables, alone
        tokens.update(issue_tokens(env, ACTORS[1:]))
        services = Services(env, free_port(), logs, args.workers)
        atexit.register(services.stop)
        services.start()
        client = SoakClient(services.port, tokens, tokens[READER.user], args.retry_for)
        client.bind(Budget(float("inf"), 10**9))
        per_step = calibrate(client, cluster.url)
        baseline = stored_events(cluster.url)
        client.samples.clear()
        client.outcomes.clear()

        watch = Watch(services, args.rss_every)
        watch.start()
        seconds = args.minutes * 60
        timeline = Timeline(time.time(), 0.0, grace=args.grace)
        load_over = threading.Event()
        restart = restart_midway(cluster, timeline, seconds / 2, args.cut, load_over)
        print(f"soak: {args.minutes:g} min, database cut at {seconds / 2:.0f} s; logs in {logs}", flush=True)
        abandoned = client.run(args.threads, args.rate, seconds, args.max_requests)
        timeline.end = time.time()
        load_over.set()  # the request budget may end the load before its middle
        restart.join(timeout=args.cut + 120)
        settle(watch)
        watch.done.set()
        recovery(watch.ready, timeline)
        events = check_events(client, cluster.url, per_step, baseline)
        context = {
            "command": "python bench/soak.py " + " ".join(sys.argv[1:]),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "load": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
            "workers": str(args.workers),
            "threads": str(args.threads),
            "rate": f"{args.rate:g}",
            "cut": f"{args.cut:g}",
            "exited": ", ".join(f"{name} (code {code})" for name, code in services.exited().items()),
            "first_command": first_command_after(client, timeline),
            "tracebacks": tracebacks(logs),
        }
        text = report(client.samples, client.outcomes, timeline, watch.rss, watch.ready, events, context)
        print(text)
        print(f"launches abandoned: {len(abandoned)}; first reasons: {abandoned[:3]}")
        if args.write:
            write_section(ROOT / "docs" / "benchmarks.md", text)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave the cluster behind
        if services is not None:
            services.stop()
        cluster.close()


def first_command_after(client: SoakClient, timeline: Timeline) -> float | None:
    if timeline.db_up is None:
        return None
    done = [
        s.start + s.seconds
        for s in client.samples
        if s.kind == "command" and 200 <= s.status < 300 and s.start + s.seconds >= timeline.db_up
    ]
    return min(done, default=None)


def tracebacks(logs: Path) -> str:
    counts = {path.stem: path.read_text(errors="replace").count("Traceback") for path in sorted(logs.glob("*.log"))}
    return ", ".join(f"{name} {n}" for name, n in counts.items() if n)


if __name__ == "__main__":
    sys.exit(main())
