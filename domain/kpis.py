"""KPI figures reported for a period, judged against the targets of the terms in force.

Pure functions (no I/O). Figures are stored as canonical plain decimal strings
(``"95.5"``, ``"300"``); see ``domain.reading``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from domain.contract import KPI_CODES, KPI_UNITS, MAX_SECONDS, PERCENT, month_of, terms_for_month
from domain.errors import InvalidInput
from domain.reading import Errors, number, percent, plain


def check_figures(figures: Mapping[str, Any]) -> dict[str, str]:
    """{kpi: canonical decimal string}; InvalidInput naming each bad ``figures.<kpi>``."""
    if not isinstance(figures, Mapping) or not figures:
        raise InvalidInput({"figures": "at least one figure {kpi: value}, KPIs: " + ", ".join(KPI_CODES)})
    errors: Errors = {}
    checked: dict[str, str] = {}
    for kpi, value in figures.items():
        path = f"figures.{kpi}"
        if kpi not in KPI_CODES:
            errors[path] = "not a KPI code (one of " + ", ".join(KPI_CODES) + ")"
            continue
        if KPI_UNITS[kpi] == PERCENT:
            figure = percent(errors, path, value)
        else:
            figure = number(errors, path, value, maximum=MAX_SECONDS)
        if figure is not None:
            checked[kpi] = plain(figure)
    if errors:
        raise InvalidInput(errors)
    return {kpi: checked[kpi] for kpi in KPI_CODES if kpi in checked}


def check_period(period_start: date, period_end: date) -> None:
    if period_end < period_start:
        raise InvalidInput({"period_end": "a period cannot end before it starts"})


def is_met(target: Mapping[str, Any], actual: str | None) -> bool | None:
    """at_least: actual ≥ target; at_most: actual ≤ target; None when the figure was not reported."""
    if actual is None:
        return None
    figure, goal = Decimal(str(actual)), Decimal(str(target["target"]))
    if target["direction"] == "at_most":
        return figure <= goal
    return figure >= goal


def kpi_periods(recordings: Sequence[Mapping[str, Any]], reports: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each report judged against the targets in force for the month of its ``period_start``.

    Reports come in recorded order; the answer is in ``period_start`` order (ties keep the
    recorded order). Keys other than period_start, period_end and figures pass through.
    """
    periods = []
    for report in sorted(reports, key=lambda report: _day(report["period_start"])):
        terms = terms_for_month(recordings, month_of(_day(report["period_start"])))
        targets = terms["kpi_targets"] if terms else []
        figures = report.get("figures") or {}
        kpis = [_judged(target, figures.get(target["kpi"])) for target in targets]
        targeted = {target["kpi"] for target in targets}
        kpis += [_untargeted(kpi, figures[kpi]) for kpi in _in_code_order(figures) if kpi not in targeted]
        period: dict[str, Any] = {
            "period_start": _day(report["period_start"]).isoformat(),
            "period_end": _day(report["period_end"]).isoformat(),
        }
        period.update({key: value for key, value in report.items() if key not in {*period, "figures"}})
        met = [entry["met"] for entry in kpis if entry["target"] is not None]
        period["kpis"] = kpis
        period["all_met"] = all(flag is True for flag in met) if met else None
        periods.append(period)
    return periods


def _day(value: date | str) -> date:
    """Dates as recorded in events: ``date`` objects, or ISO strings if stored that way."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _judged(target: Mapping[str, Any], actual: str | None) -> dict[str, Any]:
    return {
        "kpi": target["kpi"],
        "target": target["target"],
        "unit": target["unit"],
        "direction": target["direction"],
        "within_seconds": target.get("within_seconds"),
        "actual": actual,
        "met": is_met(target, actual),
    }


def _untargeted(kpi: str, actual: str) -> dict[str, Any]:
    return {
        "kpi": kpi,
        "target": None,
        "unit": KPI_UNITS.get(kpi),
        "direction": None,
        "within_seconds": None,
        "actual": actual,
        "met": None,
    }


def _in_code_order(figures: Mapping[str, Any]) -> list[str]:
    known = [kpi for kpi in KPI_CODES if kpi in figures]
    return known + [kpi for kpi in figures if kpi not in KPI_CODES]
