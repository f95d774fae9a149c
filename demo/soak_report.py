"""The soak's figures from its samples, and the "Soak" section of docs/benchmarks.md.

The cut window runs from the moment the database is stopped until the first ``/readyz`` 200 after it
answers again, plus a grace (requests already waiting then may still fail). If ``/readyz`` never answers
200 again the window ends at the database's return plus the grace, and the report says so. Quarters are
of the load's wall-clock time; latency counts answered (2xx) requests outside the cut.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

from demo.soak_load import Outcome, Sample

SECTION = "## Soak"


@dataclass
class Timeline:
    start: float  # the load began
    end: float  # the load ended
    cut_began: float | None = None  # database stop began
    db_up: float | None = None  # database answered again
    ready_again: float | None = None  # first /readyz 200 after db_up
    views_caught_up: float | None = None
    grace: float = 2.0

    def in_cut(self, sample: Sample) -> bool:
        if self.cut_began is None:
            return False
        until = (self.ready_again or self.db_up or self.end) + self.grace
        return self.cut_began <= sample.start + sample.seconds and sample.start <= until

    def quarter(self, moment: float) -> int:
        return min(3, int(4 * (moment - self.start) / max(self.end - self.start, 1e-9)))


def recovery(ready: list[tuple[float, int, dict]], timeline: Timeline) -> None:
    """Fill in when /readyz answered 200 again and when the views reached the store's position of then."""
    if timeline.db_up is None:
        return
    target = None
    for moment, status, body in ready:
        if moment < timeline.db_up or status != 200:
            continue
        if target is None:
            timeline.ready_again, target = moment, body.get("position", 0)
        views = body.get("views") or {}
        if body.get("position", 0) - max(views.values(), default=0) >= target:
            timeline.views_caught_up = moment
            return


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def flat(first: float, last: float, tolerance: float = 0.10) -> bool:
    return abs(last - first) <= tolerance * first


def latency_rows(samples: list[Sample], timeline: Timeline) -> tuple[list[str], bool]:
    rows, p99_flat = [], False
    for label, kinds in (("all", ("command", "read")), ("commands", ("command",)), ("reads", ("read",))):
        by_quarter = {0: [], 3: []}
        for s in samples:
            if s.kind in kinds and 200 <= s.status < 300 and not timeline.in_cut(s):
                by_quarter.setdefault(timeline.quarter(s.start), []).append(s.seconds * 1000)
        first, last = by_quarter[0], by_quarter[3]
        p50 = (percentile(first, 50), percentile(last, 50))
        p99 = (percentile(first, 99), percentile(last, 99))
        change = (p99[1] / p99[0] - 1) * 100 if p99[0] else float("nan")
        rows.append(
            f"| {label} | {len(first)} / {len(last)} | {p50[0]:.1f} / {p50[1]:.1f} | {p99[0]:.1f} / {p99[1]:.1f} "
            f"| {change:+.0f} % |"
        )
        if label == "all":
            p99_flat = flat(*p99)
    return rows, p99_flat


def rss_rows(
    rss: list[tuple[float, float, float | None, tuple[int, ...]]], timeline: Timeline
) -> tuple[list[str], bool]:
    quarters: dict[int, list] = {0: [], 3: []}
    for sample in rss:
        if timeline.start <= sample[0] <= timeline.end:
            quarters.setdefault(timeline.quarter(sample[0]), []).append(sample)
    rows, ok = [], True
    for label, index in (("gunicorn workers (sum)", 1), ("projector", 2)):
        first = [s[index] for s in quarters[0] if s[index] is not None]
        last = [s[index] for s in quarters[3] if s[index] is not None]
        if not first or not last:
            rows.append(f"| {label} | – | – | gone |")
            ok = False
            continue
        a, b = statistics.mean(first), statistics.mean(last)
        rows.append(f"| {label} | {a:.0f} | {b:.0f} | {(b / a - 1) * 100:+.0f} % |")
        ok = ok and flat(a, b)
    return rows, ok


def label(sample: Sample) -> str:
    return f"{sample.status or 'no answer'} ({sample.kind})"


def since(moment: float | None, origin: float | None) -> str:
    return "never" if moment is None or origin is None else f"{moment - origin:.1f} s"


def report(
    samples: list[Sample],
    outcomes: list[Outcome],
    timeline: Timeline,
    rss: list,
    ready: list[tuple[float, int, dict]],
    events: dict[str, int],
    context: dict[str, Any],
) -> str:
    outside = [s for s in samples if not timeline.in_cut(s)]
    inside = [s for s in samples if timeline.in_cut(s)]
    errors_out = [s for s in outside if not 200 <= s.status < 300]
    errors_in = Counter(label(s) for s in inside if not 200 <= s.status < 300)
    errors_out_by = Counter(label(s) for s in errors_out)
    after_up = Counter(
        status or "no answer" for moment, status, _ in ready if timeline.db_up and moment >= timeline.db_up
    )
    stale = sum(s.stale for s in outside)
    latency, p99_ok = latency_rows(samples, timeline)
    memory, rss_ok = rss_rows(rss, timeline)
    rate = len(errors_out) / len(outside) if outside else 0.0
    acked = [o for o in outcomes if 200 <= o.status < 300]
    retried = sum(o.attempts > 1 for o in acked)
    doubtful = [o for o in outcomes if o.doubtful]
    all_in = events["missing"] == 0 and events["surplus"] >= 0
    if events["surplus"] <= 0:
        doubled = "met"
    elif events["surplus"] <= events["doubtful_bound"]:
        doubled = "not shown (the surplus is within what commands of unknown outcome may have recorded)"
    else:
        doubled = "**NOT met**"
    workers_seen = len({pid for sample in rss for pid in sample[3]})

    def met(ok: bool) -> str:
        return "met" if ok else "**NOT met**"

    if timeline.cut_began is None:
        window = "none: the load ended before its middle, or the database did not stop"
    else:
        until = (timeline.ready_again or timeline.db_up or timeline.end) + timeline.grace
        window = (
            f"{since(timeline.cut_began, timeline.start)} after the start, {since(until, timeline.cut_began)} long "
            f"(grace {timeline.grace:g} s)"
        )
        if timeline.db_up is None:
            window += " (the database did not start again)"
        elif timeline.ready_again is None:
            window += " (`/readyz` never answered 200 again: the window ends at the database's return + grace)"
    lines = [
        SECTION,
        "",
        f"`{context['command']}`, run {context['date']} on {context['machine']}; load average at the end "
        f"{context['load']}. Private PostgreSQL 15 cluster (own port, own data directory); gunicorn "
        f'{context["workers"]} gthread workers × 4 threads and `flask projections run`, as in README "Production"; '
        f"{context['threads']} client threads at {context['rate']} requests/s in all, each command followed by "
        "one view read; commands carry an `Idempotency-Key` and are retried with it on 502/503/504 or no answer. "
        f"Database stopped (`pg_ctl stop -m fast`) {context['cut']} s in the middle, then started again.",
        "",
        "| | |",
        "|---|---|",
        f"| requests | {len(samples)} ({sum(s.kind == 'command' for s in samples)} command attempts, "
        f"{sum(s.kind == 'read' for s in samples)} reads) |",
        f"| commands acknowledged (2xx) | {len(acked)} ({retried} after a retry) of {len(outcomes)} |",
        f"| errors outside the cut | {len(errors_out)} = {rate:.2%} {dict(errors_out_by) if errors_out_by else ''} |",
        f"| errors inside the cut | {sum(errors_in.values())} {dict(errors_in) if errors_in else ''} |",
        f"| stale view reads outside the cut (`X-Views-Lag`) | {stale} |",
        f"| cut window | {window} |",
        f"| after the database answered again: `/readyz` 200 | {since(timeline.ready_again, timeline.db_up)} "
        f"(its answers from then on: {dict(after_up)}) |",
        f"| … first 2xx command | {since(context.get('first_command'), timeline.db_up)} |",
        f"| … views caught up with the store | {since(timeline.views_caught_up, timeline.db_up)} |",
        f"| events recorded during the load | {events['stored']} (expected from the acknowledged commands "
        f"{events['expected']}; surplus {events['surplus']}, at most {events['doubtful_bound']} from "
        f"{len(doubtful)} commands whose outcome the client could not know) |",
        f"| acknowledged commands whose event is missing | {events['missing']} |",
        f"| processes that exited during the run | {context.get('exited') or 'none'} |",
        f"| gunicorn worker processes seen | {workers_seen} ({context['workers']} at a time) |",
        f"| tracebacks in the servers' logs | {context.get('tracebacks') or 'none'} |",
        "",
        "| latency (ms, 2xx outside the cut) | requests Q1 / Q4 | p50 Q1 / Q4 | p99 Q1 / Q4 | p99 change |",
        "|---|---|---|---|---|",
        *latency,
        "",
        "| resident memory (MB, mean of samples) | Q1 | Q4 | change |",
        "|---|---|---|---|",
        *memory,
        "",
        f"- Error rate outside the cut: **{rate:.2%}** (target 0: {met(not errors_out)}).",
        f"- p99 last quarter vs first: target ±10 %: {met(p99_ok)}; RSS last quarter vs first ±10 %: {met(rss_ok)}.",
        f"- Every acknowledged command's events in the store: {met(all_in)}; none doubled by retries: {doubled}.",
        "",
    ]
    return "\n".join(lines)


def write_section(path, text: str) -> None:
    existing = path.read_text() if path.exists() else "# Benchmarks\n\nResults written by the scripts in `bench/`.\n"
    if SECTION + "\n" in existing:
        before, _, after = existing.partition(SECTION + "\n")
        rest = after.split("\n## ", 1)
        existing = before + (("## " + rest[1]) if len(rest) > 1 else "")
    path.write_text(existing.rstrip() + "\n\n" + text)
