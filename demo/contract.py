"""The hotline's contract terms (DOMAIN.md's example) and the KPI figures of its two trial weeks."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from domain.application import Tracker
from domain.roles import Actor

BEIJING = timezone(timedelta(hours=8))

TERMS: dict[str, Any] = {
    "kpi_targets": [
        {"kpi": "answer_rate", "target": 95, "unit": "percent", "direction": "at_least"},
        {"kpi": "service_level", "target": 80, "unit": "percent", "within_seconds": 20, "direction": "at_least"},
        {"kpi": "customer_satisfaction", "target": 90, "unit": "percent", "direction": "at_least"},
    ],
    "availability": {"target_percent": 98, "count_partial_points": False},
    "fee_model": {
        "kind": "per_valid_call",
        "first_month": "2026-12",
        "unit_prices": ["1.68", "1.49", "1.34"],
        "holiday_multiplier": 3,
        "calls_per_seat_hour": 18,
        "ramp_percent": [80, 90, 100],
        "valid_call_min_seconds": 15,
    },
    "vat_percent": 6,
}
TRIAL_WEEKS = [
    (
        date(2026, 12, 7),
        date(2026, 12, 13),
        {"answer_rate": "96.4", "service_level": "82.1", "customer_satisfaction": "91.5"},
    ),
    (
        date(2026, 12, 14),
        date(2026, 12, 18),
        {"answer_rate": "97.2", "service_level": "84.0", "customer_satisfaction": "93.0"},
    ),
]


def record_terms(tracker: Tracker, sales: Actor, project_id: UUID) -> None:
    tracker.record_contract_terms(sales, project_id, TERMS)


def record_trial_operations(tracker: Tracker, service_manager: Actor, maintenance: Actor, project_id: UUID) -> None:
    """Two weekly KPI reports and one short outage the provider caused (a switch restarted)."""
    for start, end, figures in TRIAL_WEEKS:
        tracker.record_kpi_report(service_manager, project_id, start, end, figures)
    tracker.record_outage(
        maintenance,
        project_id,
        datetime(2026, 12, 10, 14, 5, tzinfo=BEIJING),
        datetime(2026, 12, 10, 14, 30, tzinfo=BEIJING),
        True,
        "交换机重启 switch restarted after a firmware fault",
    )
