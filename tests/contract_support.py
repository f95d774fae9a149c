"""Contract terms as clients send them: the Shanghai hotline's (API.md's example) and the e-commerce bonus model."""

from __future__ import annotations

from typing import Any

from demo.contract import TERMS

HOTLINE_TERMS: dict[str, Any] = {
    **TERMS,
    "kpi_targets": [
        *TERMS["kpi_targets"],
        {"kpi": "average_handle_time", "target": 300, "unit": "seconds", "direction": "at_most"},
    ],
}
"""The demo's terms (DOMAIN.md's figures) with an ``at_most`` target besides."""

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
