"""Benchmark: what a read "as it was" costs the cyclic collector, counted rather than timed.

    python bench/heap.py [--events 1000] [--samples 200] [--exact 20] [--callgrind]

The figure of ``bench/audit.py`` "read directly, heap not settled" swings with the machine's load;
what makes it is deterministic: how many objects a read allocates and leaves alive, and so how often
the collector runs a full (generation-2) sweep over the whole process and how many objects each
sweep walks. This script builds the same history as ``bench/audit.py`` (its own functions, so it runs
unchanged in a checkout of an older commit too), reads at the same times (``--loops`` times), then at
as many fixed versions (seeded: the same reads in every run, whatever the history's timing), and
counts, per loop:
collections per generation (``gc.callbacks``), the objects a full collection walked (the tracked
objects then) and their time; per read of the last version: the objects the collector tracks that the
project holds, the memory blocks it holds, and the peak of traced memory while reading. With
``--callgrind`` (run under ``valgrind --tool=callgrind --instr-atstart=no``), instructions are counted
only during the loop at fixed versions (``callgrind_control -i on/off``).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import audit  # noqa: E402


class Collections:
    """``gc.callbacks`` tally: per generation, how many collections, their time, what they collected."""

    def __init__(self, walk: bool) -> None:
        self.walk = walk
        self.runs = {0: 0, 1: 0, 2: 0}
        self.seconds = {0: 0.0, 1: 0.0, 2: 0.0}
        self.collected = {0: 0, 1: 0, 2: 0}
        self.walked: list[int] = []  # tracked objects at the start of each full collection
        self.began = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        generation = info["generation"]
        if phase == "start":
            if generation == 2 and self.walk:
                self.walked.append(len(gc.get_objects()))
            self.began = time.perf_counter()
        else:
            self.runs[generation] += 1
            self.seconds[generation] += time.perf_counter() - self.began
            self.collected[generation] += info["collected"]

    def summary(self) -> dict[str, Any]:
        return {
            "collections": self.runs,
            "ms": {g: round(s * 1000, 1) for g, s in self.seconds.items()},
            "collected": self.collected,
            "full_walked_median": statistics.median(self.walked) if self.walked else 0,
        }


def held_by_read(tracker: Any, pid: Any, version: int) -> dict[str, int]:
    """Objects (tracked by the collector, all) and memory blocks that one read's project keeps alive."""
    gc.collect()
    tracked, blocks = len(gc.get_objects()), sys.getallocatedblocks()
    project = tracker.project_as_it_was(pid, version)
    gc.collect()
    held = {"tracked": len(gc.get_objects()) - tracked, "blocks": sys.getallocatedblocks() - blocks}
    del project
    gc.collect()
    tracemalloc.start()
    project = tracker.project_as_it_was(pid, version)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    held.update(version=project.version, traced_kb=current // 1024, peak_kb=peak // 1024)
    return held


def cpu_and_wall(latencies: list[tuple[float, float]]) -> dict[str, Any]:
    """Percentiles of the reads' wall-clock time and of their own thread's CPU time (which waiting for a
    core the machine's other work holds does not count; the collector's work, done in the thread, does)."""
    wall = audit.percentiles([w for w, _ in latencies])
    cpu = audit.percentiles([c for _, c in latencies])
    return {"wrong": 0, **wall, "cpu": {k: round(v, 2) for k, v in cpu.items()}}


def read_times(tracker: Any, pid: Any, chosen: list) -> dict[str, Any]:
    """``audit.travel_direct``'s reads (``version_at`` + ``project_as_it_was`` at each time), timed on both clocks."""
    latencies, index, versions, project, wrong = [], [], [], None, 0
    for moment, expected in chosen:
        began, cpu = time.perf_counter(), time.thread_time()
        version = tracker.version_at(pid, moment)
        indexed = time.thread_time()
        project = tracker.project_as_it_was(pid, version)
        latencies.append((time.perf_counter() - began, time.thread_time() - cpu))
        index.append(indexed - cpu)
        versions.append(version)
        wrong += project.version not in expected
    index_cpu = {k: round(v, 2) for k, v in audit.percentiles(index).items()}
    mean_version = statistics.mean(versions)
    return {**cpu_and_wall(latencies), "wrong": wrong, "index_cpu": index_cpu, "mean_version": mean_version}


def read_versions(tracker: Any, pid: Any, versions: list[int]) -> dict[str, Any]:
    """``project_as_it_was`` at each of ``versions``, the last project held while the next is read (as
    ``audit.travel_direct`` holds it): the same work in every run and checkout."""
    latencies, project = [], None
    for version in versions:
        began, cpu = time.perf_counter(), time.thread_time()
        project = tracker.project_as_it_was(pid, version)
        latencies.append((time.perf_counter() - began, time.thread_time() - cpu))
    del project
    return cpu_and_wall(latencies)


def loop(read: Any, callgrind: bool, walk: bool) -> dict[str, Any]:
    """One pass of ``read()``, counted (``walk``: also count what each full collection walks, which
    costs a list of all objects then; that loop's timings are not clean)."""
    tracked = len(gc.get_objects())
    tally = Collections(walk)
    stats = gc.get_stats()
    gc.callbacks.append(tally)
    if callgrind:
        subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=True, capture_output=True)
    try:
        result = read()
    finally:
        if callgrind:
            subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=True, capture_output=True)
        gc.callbacks.remove(tally)
    after = gc.get_stats()
    return {
        "tracked_at_start": tracked,
        **tally.summary(),
        "stats_delta": [{k: a[k] - b[k] for k in a} for a, b in zip(after, stats, strict=True)],
        "walk_counted": walk,
        "p50_ms": round(result["p50_ms"], 1),
        "p99_ms": round(result["p99_ms"], 1),
        "cpu": result["cpu"],
        **{key: result[key] for key in ("index_cpu", "mean_version") if key in result},
        "wrong": result["wrong"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--postgres", default=os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--exact", type=int, default=20)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--loops", type=int, default=2, help="loops over the same reads (the second also counts walks)")
    parser.add_argument("--rounds", type=int, default=1, help="passes over the fixed versions, in one counted loop")
    parser.add_argument("--callgrind", action="store_true", help="count instructions in the versions loop only")
    args = parser.parse_args()

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(args.postgres, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{args.postgres}{'&' if '?' in args.postgres else '?'}schema={schema}"
    try:
        tracker = audit.Tracker(url)
        history = audit.build_history(tracker, args.events)
        audit.settle(args.postgres, schema)
        chosen = audit.sample_times(history, args.samples, args.exact, args.seed)
        pid = history["pid"]
        audit.travel_direct(tracker, pid, chosen[:20])  # warm-up, as audit.py
        loops = [loop(lambda: read_times(tracker, pid, chosen), False, i == 1) for i in range(args.loops)]
        last = history["versions"][-1]
        rng = random.Random(args.seed)
        versions = [rng.randint(history["first_version"], last) for _ in chosen]
        loops.append(loop(lambda: read_versions(tracker, pid, versions * args.rounds), args.callgrind, False))
        result = {
            "root": str(ROOT),
            "events": last,
            "load": os.getloadavg()[0],
            "loops": loops,
            "held_last": held_by_read(tracker, pid, last),
            "held_middle": held_by_read(tracker, pid, history["versions"][len(history["versions"]) // 2]),
        }
        tracker.close()
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
