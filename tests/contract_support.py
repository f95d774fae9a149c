"""Contract terms as clients send them: the Shanghai hotline's (API.md's example) and the e-commerce bonus model."""

from __future__ import annotations

from typing import Any

HOTLINE_TERMS: dict[str, Any] = {
    "kpi_targets": [
        {"kpi": "answer_rate", "target": 95, "unit": "percent", "direction": "at_least"},
        {"kpi": "service_level", "target": 80, "unit": "percent", "within_seconds": 20, "direction": "at_least"},
        {"kpi": "customer_satisfaction", "target": 90, "unit": "percent", "direction": "at_least"},
        {"kpi": "average_handle_time", "target": 300, "unit": "seconds", "direction": "at_most"},
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

BONUS_MODEL: dict[str, Any] = {
    "kind": "base_with_bonus",
    "base_monthly_fee": "100000.00",
    "coefficients": [
        {"min_score": 90, "coefficient": "1.2"},
        {"min_score": 80, "coefficient": "1.1"},
        {"min_score": 70, "coefficient": "1.0"},
        {"min_score": 60, "coefficient": "0.8"},
        {"min_score": 0, "coefficient": "0.6"},
    ],
}


def amendment(**changes: Any) -> dict[str, Any]:
    """The hotline's terms amended from January 2027 (the answer rate target raised to 96 %)."""
    targets = [dict(t) for t in HOTLINE_TERMS["kpi_targets"]]
    targets[0]["target"] = 96
    return {**HOTLINE_TERMS, "kpi_targets": targets, "effective_from": "2027-01", "reason": "补充协议 BC-01", **changes}
