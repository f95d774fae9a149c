"""Monthly settlements under both fee models (API.md "Settlement rules"), worked by hand.

Per-call contract: first month 2026-12, unit prices 1.68 / 1.49 / 1.34, holiday calls × 3,
18 valid calls per seat-hour at 80 / 90 / 100 % of target, VAT 6 %, availability ≥ 98 %.
Bonus contract: base 100,000.00, bonus = score ÷ 100 × coefficient × base.
Each money line is rounded half up to 0.01; expected figures are worked in the comments.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.contract import check_terms
from domain.errors import InvalidInput, RuleViolated
from domain.settlement import check_volumes, settle
from tests.contract_support import HOTLINE_TERMS

SHANGHAI = ZoneInfo("Asia/Shanghai")

PER_CALL = {k: v for k, v in HOTLINE_TERMS.items() if k != "kpi_targets"}
BONUS = {"fee_model": {"kind": "base_with_bonus", "base_monthly_fee": "100000.00"}, "vat_percent": 6}


def per_call_terms(partial: bool = False) -> dict:
    body = {**PER_CALL, "availability": {"target_percent": 98, "count_partial_points": partial}}
    return check_terms(body, amendment=False)


def bonus_terms(base: str = "100000.00") -> dict:
    return check_terms({**BONUS, "fee_model": {"kind": "base_with_bonus", "base_monthly_fee": base}}, amendment=False)


def volumes(valid: int = 0, holiday: int = 0, seat_hours: str = "0", score: str | None = None) -> dict:
    return {"valid_calls": valid, "holiday_valid_calls": holiday, "seat_hours": seat_hours, "quality_score": score}


def down(start: datetime, minutes: int, provider_caused: bool = True) -> dict:
    return {"started_at": start, "ended_at": start + timedelta(minutes=minutes), "provider_caused": provider_caused}


def money(result: dict) -> tuple[str, ...]:
    return tuple(result[key] for key in ("fee", "bonus", "deduction", "net", "vat", "total"))


# --- the per-call ramp -------------------------------------------------------------


def test_first_month_is_settled_at_the_month_1_price_with_holiday_calls_at_three_times():
    result = settle(per_call_terms(), "2026-12", volumes(60_000, 1_200, "4000"), [])
    assert result["month_index"] == 1
    # fee: 60,000 × 1.68 = 100,800.00; 1,200 × 1.68 × 3 = 6,048.00; sum 106,848.00
    # no outage → no deduction; VAT 106,848.00 × 6 % = 6,410.88; total 113,258.88
    assert money(result) == ("106848.00", "0.00", "0.00", "106848.00", "6410.88", "113258.88")
    # target 18 × 4,000 × 80 % = 57,600; achieved 60,000 + 1,200 = 61,200 ≥ 57,600
    assert (result["target_valid_calls"], result["target_met"]) == (57_600, True)
    assert (result["availability_percent"], result["tier"], result["report_required"]) == ("100.0000", "none", False)


def test_settlement_lines_show_every_step_with_its_figures():
    lines = settle(per_call_terms(), "2026-12", volumes(60_000, 1_200, "4000"), [])["lines"]
    assert "fee: 60,000 valid calls × 1.68 + 1,200 holiday calls × 1.68 × 3 = 106,848.00" in lines
    assert "net: 106,848.00 − 0.00 = 106,848.00" in lines
    assert "VAT: 106,848.00 × 6 % = 6,410.88" in lines
    assert "total: 106,848.00 + 6,410.88 = 113,258.88" in lines
    assert any("18 calls per seat-hour × 4,000 seat-hours × 80 % = 57,600" in line for line in lines)
    assert any("44,640 minutes" in line and "100.0000 %" in line for line in lines)


def test_second_month_uses_the_month_2_price_and_deducts_a_whole_point():
    outages = [down(datetime(2027, 1, 5, tzinfo=SHANGHAI), 1_400)]
    result = settle(per_call_terms(), "2027-01", volumes(70_000, 2_000, "4650"), outages)
    assert result["month_index"] == 2
    # availability: 1,400 ÷ 446.4 = 3.136201 % → 96.863799 → 96.8638; 1.136 points below 98 → 1 whole point
    assert (result["availability_percent"], result["outage_minutes"], result["tier"]) == ("96.8638", "1400", "points")
    # fee: 70,000 × 1.49 = 104,300.00; 2,000 × 1.49 × 3 = 8,940.00; sum 113,240.00
    # deduction 1 % = 1,132.40; net 112,107.60; VAT 112,107.60 × 6 % = 6,726.456 → 6,726.46; total 118,834.06
    assert money(result) == ("113240.00", "0.00", "1132.40", "112107.60", "6726.46", "118834.06")
    # target 18 × 4,650 × 90 % = 75,330; achieved 72,000 < 75,330 (shown only, the fee is unchanged)
    assert (result["target_valid_calls"], result["target_met"]) == (75_330, False)


def test_counting_started_points_deducts_two_percent_for_a_shortfall_of_1_136_points():
    outages = [down(datetime(2027, 1, 5, tzinfo=SHANGHAI), 1_400)]
    result = settle(per_call_terms(partial=True), "2027-01", volumes(70_000, 2_000, "4650"), outages)
    # ceil(1.136) = 2 → 2 % of 113,240.00 = 2,264.80; net 110,975.20
    # VAT 110,975.20 × 6 % = 6,658.512 → 6,658.51; total 117,633.71
    assert money(result) == ("113240.00", "0.00", "2264.80", "110975.20", "6658.51", "117633.71")


def test_third_month_at_exactly_90_percent_availability_is_paid_at_80_percent_with_a_report():
    # February 2027: 28 days = 40,320 min; 4,032 min = 10 % → 90.0000
    outages = [down(datetime(2027, 2, 10, tzinfo=SHANGHAI), 4_032)]
    result = settle(per_call_terms(), "2027-02", volumes(80_000, 500, "4480"), outages)
    assert result["month_index"] == 3
    assert (result["availability_percent"], result["tier"], result["report_required"]) == ("90.0000", "report_80", True)
    # fee: 80,000 × 1.34 = 107,200.00; 500 × 1.34 × 3 = 2,010.00; sum 109,210.00
    # deduction 20 % = 21,842.00; net 87,368.00; VAT 5,242.08; total 92,610.08
    assert money(result) == ("109210.00", "0.00", "21842.00", "87368.00", "5242.08", "92610.08")
    # target 18 × 4,480 × 100 % = 80,640; achieved 80,500 → not met
    assert (result["target_valid_calls"], result["target_met"]) == (80_640, False)
    assert any("paid at 80 %" in line and "investigation report" in line for line in result["lines"])


def test_fourth_month_stays_at_the_month_3_price_and_ignores_customer_caused_outages():
    outages = [down(datetime(2027, 3, 2, tzinfo=SHANGHAI), 10_000, provider_caused=False)]
    result = settle(per_call_terms(), "2027-03", volumes(90_001, 0, "4000.25"), outages)
    assert result["month_index"] == 4
    assert (result["availability_percent"], result["outage_minutes"], result["tier"]) == ("100.0000", "0", "none")
    # fee: 90,001 × 1.34 = 120,601.34; VAT 120,601.34 × 6 % = 7,236.0804 → 7,236.08; total 127,837.42
    assert money(result) == ("120601.34", "0.00", "0.00", "120601.34", "7236.08", "127837.42")
    # target 18 × 4,000.25 × 100 % = 72,004.5 → rounded half up 72,005; achieved 90,001
    assert (result["target_valid_calls"], result["target_met"]) == (72_005, True)


def test_month_before_the_first_month_is_refused_naming_both_months():
    with pytest.raises(RuleViolated) as refused:
        settle(per_call_terms(), "2026-11", volumes(1, 0, "1"), [])
    assert refused.value.rule == "month_before_first_month"
    assert "2026-11" in refused.value.why and "2026-12" in refused.value.why


# --- base fee with a quality bonus -------------------------------------------------


@pytest.mark.parametrize(
    ("score", "coefficient", "bonus", "fee"),
    [
        ("59", "0.6", "35400.00", "135400.00"),  # 0.59 × 0.6 × 100,000 = 35,400
        ("60", "0.8", "48000.00", "148000.00"),  # 0.60 × 0.8 × 100,000 = 48,000
        ("69", "0.8", "55200.00", "155200.00"),  # 0.69 × 0.8 × 100,000 = 55,200
        ("70", "1", "70000.00", "170000.00"),  # 0.70 × 1.0 × 100,000 = 70,000
        ("79", "1", "79000.00", "179000.00"),  # 0.79 × 1.0 × 100,000 = 79,000
        ("80", "1.1", "88000.00", "188000.00"),  # 0.80 × 1.1 × 100,000 = 88,000
        ("89", "1.1", "97900.00", "197900.00"),  # 0.89 × 1.1 × 100,000 = 97,900
        ("90", "1.2", "108000.00", "208000.00"),  # 0.90 × 1.2 × 100,000 = 108,000
        ("100", "1.2", "120000.00", "220000.00"),  # 1.00 × 1.2 × 100,000 = 120,000
    ],
)
def test_quality_bonus_uses_the_coefficient_of_the_score_band(score, coefficient, bonus, fee):
    result = settle(bonus_terms(), "2027-04", volumes(score=score), [])
    assert (result["bonus"], result["fee"]) == (bonus, fee)
    assert any(f"coefficient {coefficient} " in line for line in result["lines"])
    assert (result["month_index"], result["target_valid_calls"], result["target_met"]) == (None, None, None)


def test_bonus_month_with_an_outage_deducts_from_base_plus_bonus():
    # April: 1,300 min ÷ 432 = 3.009259 % → 96.990741 → 96.9907; 1.0093 points below 98 → 1 point
    outages = [down(datetime(2027, 4, 3, 9, tzinfo=SHANGHAI), 1_300)]
    result = settle(bonus_terms(), "2027-04", volumes(score="87"), outages)
    assert (result["availability_percent"], result["tier"]) == ("96.9907", "points")
    # bonus 0.87 × 1.1 × 100,000 = 95,700.00; fee 195,700.00; deduction 1 % = 1,957.00; net 193,743.00
    # VAT 193,743.00 × 6 % = 11,624.58; total 205,367.58
    assert money(result) == ("195700.00", "95700.00", "1957.00", "193743.00", "11624.58", "205367.58")
    assert "bonus: 87 ÷ 100 × 1.1 × 100,000.00 = 95,700.00" in result["lines"]


def test_vat_is_rounded_half_up_not_to_even():
    # score 0 → coefficient 0.6, bonus 0.00; fee 1,000.75; VAT 1,000.75 × 6 % = 60.045 → 60.05 (half-even: 60.04)
    result = settle(bonus_terms("1000.75"), "2027-04", volumes(score="0"), [])
    assert money(result) == ("1000.75", "0.00", "0.00", "1000.75", "60.05", "1060.80")


def test_bonus_month_without_a_quality_score_is_refused():
    with pytest.raises(RuleViolated) as refused:
        settle(bonus_terms(), "2027-04", volumes(1000, 0, "100"), [])
    assert refused.value.rule == "quality_score_required"


# --- recording the month's volumes -------------------------------------------------


def test_volumes_are_normalised():
    assert check_volumes(60_000, 1_200, 4000.5, 87) == {
        "valid_calls": 60_000,
        "holiday_valid_calls": 1_200,
        "seat_hours": "4000.5",
        "quality_score": "87",
    }
    assert check_volumes("10", None, "8", None) == {
        "valid_calls": 10,
        "holiday_valid_calls": 0,
        "seat_hours": "8",
        "quality_score": None,
    }


def test_bad_volumes_are_refused_naming_every_field():
    with pytest.raises(InvalidInput) as refused:
        check_volumes(-1, 2.5, True, 101)
    assert set(refused.value.fields) == {"valid_calls", "holiday_valid_calls", "seat_hours", "quality_score"}


def test_missing_volumes_are_named():
    with pytest.raises(InvalidInput) as refused:
        check_volumes(None, 0, None, None)
    assert refused.value.fields == {"valid_calls": "required", "seat_hours": "required"}
