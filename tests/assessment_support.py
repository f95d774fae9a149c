"""A live hotline with monthly KPI reports: the months the assessment and rectification tests judge."""

from __future__ import annotations

from datetime import date

from demo.workflow import DIRECTOR, SALES, SERVICE_MANAGER, Launch
from domain.assessments import month_bounds
from tests.calendar_support import schedule_2027

TERMS = {
    "kpi_targets": [
        {"kpi": "answer_rate", "target": 95, "unit": "percent", "direction": "at_least"},
        {"kpi": "average_handle_time", "target": 300, "unit": "seconds", "direction": "at_most"},
    ],
    "fee_model": {"kind": "base_with_bonus", "base_monthly_fee": "100000.00",
                  "coefficients": [{"min_score": 0, "coefficient": "1.0"}]},
}  # fmt: skip
MET = {"answer_rate": "96.5", "average_handle_time": "280"}
MISSED = {"answer_rate": "91.0", "average_handle_time": "280"}


def live_hotline(tracker, **terms) -> Launch:
    """Live since Monday 21 December 2026, the terms recorded, the 2027 (test) calendar recorded."""
    launch = Launch(tracker).advance_to("live")
    tracker.record_contract_terms(SALES, launch.project_id, {**TERMS, **terms})
    tracker.record_working_calendar(DIRECTOR, **schedule_2027())
    return launch


def report(tracker, launch: Launch, month: str, figures: dict, start: date | None = None, end: date | None = None):
    first, last = month_bounds(month)
    return tracker.record_kpi_report(SERVICE_MANAGER, launch.project_id, start or first, end or last, figures)
