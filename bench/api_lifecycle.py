"""Benchmark: the whole launch over HTTP (gunicorn, 2 workers, PostgreSQL) against direct calls.

    python bench/api_lifecycle.py [--launches 30] [--rate 50] [--seconds 20]

In one run, on one fresh PostgreSQL schema:
1. direct: the launch sequence called on the application service in-process;
2. HTTP, closed loop: the same sequence through gunicorn (2 workers), by one client and by as
   many clients as workers (the API's rate: what two workers serve when kept busy);
3. HTTP, open loop: commands offered at ``--rate`` per second by paced clients; latency is
   measured from each command's scheduled time, so a slow server cannot hide its queue.
Results are written into docs/benchmarks.md (section "API lifecycle"). Targets (issue 4):
HTTP rate ≥ 0.5 × direct rate; command p99 < 50 ms at 50 commands/s offered.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench  # noqa: E402, F401  (today fixed after the launches' dates: TRACKER_TODAY)
from api.auth import issue_token  # noqa: E402
from demo.launch import ROUTES, Client, direct_client, launch  # noqa: E402
from domain.application import Tracker  # noqa: E402
from domain.roles import Actor  # noqa: E402

SECRET = "bench-secret-key-of-at-least-32-bytes"
SECTION = "## API lifecycle"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_client(port: int) -> Client:
    """One keep-alive connection per thread; the launch's commands as API.md's requests."""
    local = threading.local()
    tokens: dict[Actor, str] = {}

    def run(actor: Actor, command: str, ids: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        token = tokens.setdefault(actor, issue_token(SECRET, actor, 1))
        method, template = ROUTES[command]
        payload = json.dumps(body, default=lambda o: o.isoformat() if isinstance(o, date) else str(o))
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        local.conn.request(method, template.format(**ids), body=payload if body else None, headers=headers)
        response = local.conn.getresponse()
        answer = json.loads(response.read() or b"{}")
        if response.status >= 300:
            raise RuntimeError(f"{command}: {response.status} {answer}")
        return answer

    return run


def timed(client: Client, latencies: list[float], pace: float | None = None, offset: float = 0.0) -> Client:
    """Record each command's latency; with ``pace`` (seconds between commands) measure from the schedule."""
    state = {"next": time.perf_counter() + offset}

    def run(*args: Any) -> dict[str, Any]:
        if pace is not None:
            scheduled = state["next"]
            state["next"] += pace
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            start = scheduled
        else:
            start = time.perf_counter()
        answer = client(*args)
        latencies.append(time.perf_counter() - start)
        return answer

    return run


def closed_loop(client: Client, launches: int, clients: int = 1) -> dict[str, float]:
    """``clients`` threads each running ``launches / clients`` launches back to back, no pause."""
    latencies: list[float] = []
    counts: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        mine: list[float] = []
        sent = sum(launch(timed(client, mine)) for _ in range(launches // clients))
        with lock:
            latencies.extend(mine)
            counts.append(sent)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    commands = sum(counts)
    return {"commands": commands, "seconds": elapsed, "rate": commands / elapsed, **percentiles(latencies)}


def open_loop(client: Client, rate: float, seconds: float, clients: int = 5) -> dict[str, float]:
    """``clients`` paced threads, each launching back to back at rate/clients commands per second."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(i: int) -> None:
        mine: list[float] = []
        run = timed(client, mine, pace=clients / rate, offset=i / rate)  # staggered: arrivals evenly spread
        while time.perf_counter() < deadline:
            launch(run)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"commands": len(latencies), "seconds": elapsed, "rate": len(latencies) / elapsed, **percentiles(latencies)}


def percentiles(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    cut = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50_ms": cut[49] * 1000, "p95_ms": cut[94] * 1000, "p99_ms": cut[98] * 1000, "max_ms": ordered[-1] * 1000}


def start_gunicorn(url: str, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET}
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread", "--threads", "4"]
    command += ["-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    server = subprocess.Popen([*command, "wsgi:app"], cwd=ROOT, env=env)
    for _ in range(100):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
        finally:
            conn.close()
    server.kill()
    raise RuntimeError("gunicorn did not become ready")


def report(results: dict[str, dict[str, float]], args: argparse.Namespace) -> str:
    direct, single = results["direct"], results["http_one_client"]
    loaded = results["http_open_loop"]
    ratio = results["http_two_clients"]["rate"] / direct["rate"]
    single_ratio = single["rate"] / direct["rate"]
    rows = "\n".join(
        f"| {name} | {r['commands']:.0f} | {r['rate']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} "
        f"| {r['max_ms']:.1f} |"
        for name, r in results.items()
    )
    verdict_rate = "met" if ratio >= 0.5 else "NOT met"
    verdict_p99 = "met" if loaded["p99_ms"] < 50 and loaded["rate"] >= 0.9 * args.rate else "NOT met"
    return f"""{SECTION}

`python bench/api_lifecycle.py --launches {args.launches} --rate {args.rate} --seconds {args.seconds}`,
run {time.strftime("%Y-%m-%d %H:%M %Z")} on {platform.machine()}, {os.cpu_count()} cores, Python
{platform.python_version()}, PostgreSQL on localhost; gunicorn with {args.workers} gthread workers (4 threads
each). One launch = {results["direct"]["commands"] / args.launches:.0f} commands (intake → plan → 3 tickets →
manual → trial → review with 8 items → go-live). Open-loop latency counts from each command's scheduled time.

| run | commands | commands/s | p50 ms | p95 ms | p99 ms | max ms |
|---|---|---|---|---|---|---|
{rows}

- HTTP rate / direct rate: **{ratio:.2f}** with {args.workers} clients keeping the {args.workers} workers busy
  (target ≥ 0.5: {verdict_rate}); **{single_ratio:.2f}** with one client, where every command waits for the
  previous one over the loopback (the per-request cost of HTTP, auth, validation and JSON).
- p99 at {args.rate} commands/s offered: **{loaded["p99_ms"]:.1f} ms** at {loaded["rate"]:.1f} commands/s
  achieved (target < 50 ms: {verdict_p99}).
"""


def write_section(text: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    existing = path.read_text() if path.exists() else "# Benchmarks\n\nResults written by the scripts in `bench/`.\n"
    if SECTION in existing:
        before, _, after = existing.partition(SECTION)
        rest = after.split("\n## ", 1)
        existing = before + (("## " + rest[1]) if len(rest) > 1 else "")
    path.write_text(existing.rstrip() + "\n\n" + text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--postgres", default=os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--launches", type=int, default=30)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md alone")
    args = parser.parse_args()

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(args.postgres, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{args.postgres}{'&' if '?' in args.postgres else '?'}schema={schema}"
    results: dict[str, dict[str, float]] = {}
    server = None
    try:
        tracker = Tracker(url)
        launch(direct_client(tracker))  # warm-up: tables, caches
        results["direct"] = closed_loop(direct_client(tracker), args.launches)
        tracker.close()
        port = free_port()
        server = start_gunicorn(url, port, args.workers)
        client = http_client(port)
        launch(client)
        results["http_one_client"] = closed_loop(client, args.launches)
        results["http_two_clients"] = closed_loop(client, args.launches, clients=args.workers)
        results["http_open_loop"] = open_loop(client, args.rate, args.seconds)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    text = report(results, args)
    print(text)
    if not args.no_write:
        write_section(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
