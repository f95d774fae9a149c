"""Monthly assessment (月度考核) and the customer's termination right, computed from the events.

Pure functions (no I/O). Each calendar month from the go-live month on is judged from the KPI
reports covering it against the targets of the terms in force for that month:

- ``open``: the month is not over, or it is over, no report covers it yet and the 5th working day
  of the next month (mainland-China calendar) has not passed;
- ``missing``: no report covers it and that 5th working day has passed (the contracts oblige the
  provider to report);
- ``passed``: every target met; ``failed``: any missed.

How reports count (docs/decisions/assessments.md): a report covers every month its period
overlaps, so a weekly report covers its month(s) and a quarterly one each of its three months. A
month is judged on all the reports covering it: for each target the worst figure reported decides
(the lowest for ``at_least``, the highest for ``at_most``); a targeted KPI no covering report gives
is not met. A report recorded late still judges its month: records are often entered after the fact.

Termination right: ``missing`` counts as failed (an unreported month cannot be shown met), ``open``
months neither count nor break the run, a ``passed`` month resets it. The right stands while the
current run reaches the terms' ``termination_after_failed_months``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain.contract import failed_months_allowed, month_of, terms_for_month
from domain.kpis import is_met
from domain.working_days import WorkingDays

PASSED = "passed"
FAILED = "failed"
MISSING = "missing"
OPEN = "open"
REPORT_BY_WORKING_DAY = 5
"""A month's KPI report is due by this working day of the next month."""


def month_bounds(month: str) -> tuple[date, date]:
    first = date(int(month[:4]), int(month[5:7]), 1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def months_between(first: date, last: date) -> list[str]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(month_of(day))
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def report_due(month: str, calendar: WorkingDays) -> date:
    """The 5th working day of the month after ``month``."""
    return calendar.deadline(month_bounds(month)[1], REPORT_BY_WORKING_DAY).due


def assess_month(
    month: str,
    terms: Sequence[Mapping[str, Any]],
    reports: Sequence[Mapping[str, Any]],
    today: date,
    calendar: WorkingDays,
) -> dict[str, Any]:
    first, last = month_bounds(month)
    covering = [r for r in reports if _day(r["period_start"]) <= last and _day(r["period_end"]) >= first]
    in_force = terms_for_month(terms, month)
    targets = in_force["kpi_targets"] if in_force else []
    kpis = [_judged(target, covering) for target in targets]
    due = report_due(month, calendar)
    if today <= last or (not covering and today <= due):
        outcome = OPEN
    elif not covering:
        outcome = MISSING
    else:
        outcome = PASSED if all(k["met"] for k in kpis) else FAILED
    return {"month": month, "outcome": outcome, "report_due": due, "reports": len(covering), "kpis": kpis}


def assess(
    went_live_on: date | None,
    terms: Sequence[Mapping[str, Any]],
    reports: Sequence[Mapping[str, Any]],
    today: date,
    calendar: WorkingDays,
) -> dict[str, Any]:
    """Every month from the go-live month to today's, and the termination right they give."""
    months = months_between(went_live_on, today) if went_live_on is not None and went_live_on <= today else []
    items = [assess_month(month, terms, reports, today, calendar) for month in months]
    return {"items": items, **termination_right(items, terms, today)}


def termination_right(items: Sequence[Mapping[str, Any]], terms: Sequence[Mapping[str, Any]], today: date) -> dict:
    run: list[str] = []
    for item in items:
        if item["outcome"] == PASSED:
            run = []
        elif item["outcome"] in (FAILED, MISSING):
            run.append(item["month"])
    allowed = failed_months_allowed(terms_for_month(terms, run[-1] if run else month_of(today)))
    return {
        "consecutive_failed": len(run),
        "termination_after_failed_months": allowed,
        "termination_right": len(run) >= allowed,
        "failed_months": run,
    }


def _judged(target: Mapping[str, Any], covering: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The target against the worst figure the covering reports give (as recorded)."""
    figures = [str(f) for r in covering if (f := (r.get("figures") or {}).get(target["kpi"])) is not None]
    worst = None
    if figures:
        worst = (max if target["direction"] == "at_most" else min)(figures, key=Decimal)
    return {
        "kpi": target["kpi"],
        "target": target["target"],
        "direction": target["direction"],
        "actual": worst,
        "met": bool(is_met(target, worst)),
    }


def _day(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value
