"""A KPI's target against each reported period, as a small SVG drawn on the server (no script, no
library): one bar per period (met or not), the target as a line, the axes labelled from the catalog."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

WIDTH, HEIGHT = 600, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 92, 16, 44  # the target is named in the right margin, clear of the bars


@dataclass
class Chart:
    kpi: str
    target: float | None
    bars: list[dict[str, Any]] = field(default_factory=list)
    ticks: list[dict[str, Any]] = field(default_factory=list)
    target_y: float | None = None
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom_y: int = HEIGHT - BOTTOM
    right_x: int = WIDTH - RIGHT


def number(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def kpi_charts(periods: list[dict[str, Any]]) -> list[Chart]:
    """One chart per KPI that has a target or a figure, periods in the order reported."""
    kpis: dict[str, Chart] = {}
    for index, reported in enumerate(periods):
        period = {**reported, **{end: day(reported[end]) for end in ("period_start", "period_end")}}
        for item in period["kpis"]:
            chart = kpis.setdefault(item["kpi"], Chart(item["kpi"], number(item.get("target"))))
            if chart.target is None:
                chart.target = number(item.get("target"))
            actual = number(item.get("actual"))
            chart.bars.append({"index": index, "period": period, "actual": actual, "met": item.get("met")})
    for chart in kpis.values():
        lay_out(chart, len(periods))
    return list(kpis.values())


def lay_out(chart: Chart, count: int) -> None:
    values = [bar["actual"] for bar in chart.bars if bar["actual"] is not None]
    if chart.target is not None:
        values.append(chart.target)
    top = max(values or [1.0]) * 1.1 or 1.0
    plot_height = chart.bottom_y - TOP
    slot = (chart.right_x - chart.left) / max(count, 1)

    def y(value: float) -> float:
        return round(chart.bottom_y - value / top * plot_height, 1)

    for bar in chart.bars:
        bar["x"] = round(chart.left + bar["index"] * slot + slot * 0.2, 1)
        bar["width"] = round(slot * 0.6, 1)
        bar["y"] = y(bar["actual"]) if bar["actual"] is not None else chart.bottom_y
        bar["height"] = round(chart.bottom_y - bar["y"], 1)
        bar["label_x"] = round(chart.left + bar["index"] * slot + slot / 2, 1)
    chart.ticks = [{"value": round(top * share, 2), "y": y(top * share)} for share in (0, 0.5, 1)]
    chart.target_y = y(chart.target) if chart.target is not None else None
