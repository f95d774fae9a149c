"""Recording contract terms (API.md "Contract and operations"): validation, defaults, amendments."""

from __future__ import annotations

from datetime import date

import pytest

from domain.contract import KPI_CODES, KPI_UNITS, check_month, check_terms, month_of, terms_for_month
from domain.errors import InvalidInput
from tests.contract_support import HOTLINE_TERMS

HOTLINE = {**HOTLINE_TERMS, "reason": "signed contract"}


def refused_fields(body: dict, amendment: bool = False) -> dict[str, str]:
    with pytest.raises(InvalidInput) as refused:
        check_terms(body, amendment=amendment)
    return refused.value.fields


def with_fee(**fee_model) -> dict:
    return {"fee_model": fee_model}


def test_hotline_terms_are_normalised_to_canonical_strings():
    assert check_terms(HOTLINE, amendment=False) == {
        "kpi_targets": [
            {"kpi": "answer_rate", "target": "95", "unit": "percent", "direction": "at_least", "within_seconds": None},
            {"kpi": "service_level", "target": "80", "unit": "percent", "direction": "at_least", "within_seconds": 20},
            {
                "kpi": "customer_satisfaction",
                "target": "90",
                "unit": "percent",
                "direction": "at_least",
                "within_seconds": None,
            },
            {
                "kpi": "average_handle_time",
                "target": "300",
                "unit": "seconds",
                "direction": "at_most",
                "within_seconds": None,
            },
        ],
        "availability": {"target_percent": "98", "count_partial_points": False},
        "fee_model": {
            "kind": "per_valid_call",
            "first_month": "2026-12",
            "unit_prices": ["1.68", "1.49", "1.34"],
            "holiday_multiplier": "3",
            "calls_per_seat_hour": "18",
            "ramp_percent": ["80", "90", "100"],
            "valid_call_min_seconds": 15,
        },
        "vat_percent": "6",
        "effective_from": None,
        "termination_after_failed_months": 3,
    }


def test_first_terms_take_the_contract_defaults():
    terms = check_terms(
        with_fee(kind="per_valid_call", first_month="2026-12", unit_prices=[1.68, "1.49", 1.3]), amendment=False
    )
    assert terms["kpi_targets"] == []
    assert terms["availability"] == {"target_percent": "98", "count_partial_points": False}
    assert terms["vat_percent"] == "6"
    assert terms["fee_model"] == {
        "kind": "per_valid_call",
        "first_month": "2026-12",
        "unit_prices": ["1.68", "1.49", "1.30"],
        "holiday_multiplier": "3",
        "calls_per_seat_hour": "18",
        "ramp_percent": ["80", "90", "100"],
        "valid_call_min_seconds": 15,
    }


def test_kpi_unit_defaults_to_the_natural_unit():
    terms = check_terms(
        {**with_fee(kind="base_with_bonus", base_monthly_fee=100000),
         "kpi_targets": [{"kpi": "average_response_time", "target": "12.50", "direction": "at_most"}]},
        amendment=False,
    )  # fmt: skip
    assert terms["kpi_targets"][0]["unit"] == "seconds"
    assert terms["kpi_targets"][0]["target"] == "12.5"
    assert KPI_UNITS["complaint_rate"] == "percent" and len(KPI_CODES) == 7


def test_bonus_fee_model_defaults_to_the_contract_table_sorted_from_the_top():
    terms = check_terms(with_fee(kind="base_with_bonus", base_monthly_fee=100000), amendment=False)
    assert terms["fee_model"] == {
        "kind": "base_with_bonus",
        "base_monthly_fee": "100000.00",
        "coefficients": [
            {"min_score": 90, "coefficient": "1.2"},
            {"min_score": 80, "coefficient": "1.1"},
            {"min_score": 70, "coefficient": "1"},
            {"min_score": 60, "coefficient": "0.8"},
            {"min_score": 0, "coefficient": "0.6"},
        ],
    }


def test_own_coefficient_table_is_sorted_by_min_score_descending():
    bands = [{"min_score": 0, "coefficient": "0.5"}, {"min_score": 85, "coefficient": 1.25}]
    terms = check_terms(
        with_fee(kind="base_with_bonus", base_monthly_fee="5000.5", coefficients=bands), amendment=False
    )
    assert terms["fee_model"]["base_monthly_fee"] == "5000.50"
    assert terms["fee_model"]["coefficients"] == [
        {"min_score": 85, "coefficient": "1.25"},
        {"min_score": 0, "coefficient": "0.5"},
    ]


# --- refusals ----------------------------------------------------------------------


def test_kpi_target_percentage_over_100_is_refused():
    body = {**HOTLINE, "kpi_targets": [{"kpi": "answer_rate", "target": 101, "direction": "at_least"}]}
    assert refused_fields(body) == {"kpi_targets.0.target": "a percentage cannot be over 100"}


def test_unknown_kpi_and_repeated_kpi_are_refused_by_position():
    body = {
        **HOTLINE,
        "kpi_targets": [
            {"kpi": "answer_rate", "target": 95, "direction": "at_least"},
            {"kpi": "hold_time", "target": 30, "direction": "at_most"},
            {"kpi": "answer_rate", "target": 90, "direction": "at_least"},
        ],
    }
    fields = refused_fields(body)
    assert set(fields) == {"kpi_targets.1.kpi", "kpi_targets.2.kpi"}
    assert "kpi_targets.0" in fields["kpi_targets.2.kpi"]


def test_every_bad_kpi_field_is_named_at_once():
    body = {
        **HOTLINE,
        "kpi_targets": [
            {"kpi": "service_level", "target": 80, "unit": "seconds"},  # wrong unit, no direction, no within_seconds
            {"kpi": "answer_rate", "target": 95, "direction": "above", "within_seconds": 20, "weight": 2},
            {"kpi": "average_handle_time", "direction": "at_most"},  # no target
        ],
    }
    assert set(refused_fields(body)) == {
        "kpi_targets.0.unit",
        "kpi_targets.0.direction",
        "kpi_targets.0.within_seconds",
        "kpi_targets.1.direction",
        "kpi_targets.1.within_seconds",
        "kpi_targets.1.weight",
        "kpi_targets.2.target",
    }


def test_bad_fee_model_figures_are_named_by_path():
    body = with_fee(
        kind="per_valid_call",
        unit_prices=["1.68", "-1", "abc"],
        ramp_percent=[80, 0, 120],
        holiday_multiplier=True,
        calls_per_seat_hour=float("nan"),
        valid_call_min_seconds=1.5,
        discount=3,
    )
    assert set(refused_fields(body)) == {
        "fee_model.first_month",
        "fee_model.unit_prices.1",
        "fee_model.unit_prices.2",
        "fee_model.ramp_percent.1",
        "fee_model.ramp_percent.2",
        "fee_model.holiday_multiplier",
        "fee_model.calls_per_seat_hour",
        "fee_model.valid_call_min_seconds",
        "fee_model.discount",
    }


def test_unit_prices_must_be_exactly_three():
    body = with_fee(kind="per_valid_call", first_month="2026-12", unit_prices=["1.68", "1.49"])
    assert set(refused_fields(body)) == {"fee_model.unit_prices"}


def test_absurd_and_exponent_numbers_are_refused():
    body = {**with_fee(kind="base_with_bonus", base_monthly_fee="1e400"), "vat_percent": "Infinity"}
    assert set(refused_fields(body)) == {"fee_model.base_monthly_fee", "vat_percent"}
    assert set(refused_fields(with_fee(kind="base_with_bonus", base_monthly_fee=10**20))) == {
        "fee_model.base_monthly_fee"
    }


def test_coefficient_table_needs_a_zero_band_and_distinct_scores():
    bands = [{"min_score": 90, "coefficient": "1.2"}, {"min_score": 90, "coefficient": "1.1"}]
    fields = refused_fields(with_fee(kind="base_with_bonus", base_monthly_fee="1", coefficients=bands))
    assert set(fields) == {"fee_model.coefficients", "fee_model.coefficients.1.min_score"}


def test_availability_and_vat_bounds_are_checked():
    body = {**HOTLINE, "availability": {"target_percent": 0, "count_partial_points": "yes"}, "vat_percent": 101}
    assert set(refused_fields(body)) == {
        "availability.target_percent",
        "availability.count_partial_points",
        "vat_percent",
    }
    assert set(refused_fields({**HOTLINE, "availability": {"target_percent": "100.5"}})) == {
        "availability.target_percent"
    }


def test_missing_or_unknown_fee_model_is_refused():
    assert set(refused_fields({})) == {"fee_model"}
    assert set(refused_fields(with_fee(kind="per_minute"))) == {"fee_model.kind"}


def test_unknown_top_level_field_is_refused_but_reason_is_left_to_the_caller():
    assert set(refused_fields({**HOTLINE, "vat": 6})) == {"vat"}
    check_terms({**HOTLINE, "reason": "new prices"}, amendment=False)


def test_amendment_without_effective_from_is_refused():
    assert refused_fields(HOTLINE, amendment=True) == {
        "effective_from": "an amendment must say from which month it applies"
    }


def test_amendment_with_effective_from_is_accepted():
    assert check_terms({**HOTLINE, "effective_from": "2027-03"}, amendment=True)["effective_from"] == "2027-03"


def test_effective_from_must_be_a_month():
    assert set(refused_fields({**HOTLINE, "effective_from": "2027-13"})) == {"effective_from"}
    assert set(refused_fields({**HOTLINE, "effective_from": "2027-3"})) == {"effective_from"}


# --- which terms settle a month -------------------------------------------------


def terms(label: str, effective_from: str | None = None) -> dict:
    return {"label": label, "effective_from": effective_from}


def test_first_terms_apply_from_the_start():
    assert terms_for_month([terms("signed")], "1999-01")["label"] == "signed"


def test_amendment_applies_from_its_month_and_never_rewrites_earlier_months():
    recordings = [terms("signed"), terms("new prices", "2027-03")]
    assert terms_for_month(recordings, "2027-02")["label"] == "signed"
    assert terms_for_month(recordings, "2027-03")["label"] == "new prices"
    assert terms_for_month(recordings, "2028-01")["label"] == "new prices"


def test_latest_effective_from_wins_even_when_recorded_earlier():
    recordings = [terms("signed"), terms("from May", "2027-05"), terms("from March", "2027-03")]
    assert terms_for_month(recordings, "2027-04")["label"] == "from March"
    assert terms_for_month(recordings, "2027-06")["label"] == "from May"


def test_on_a_tie_the_terms_recorded_last_win():
    recordings = [terms("signed"), terms("first try", "2027-03"), terms("corrected", "2027-03")]
    assert terms_for_month(recordings, "2027-03")["label"] == "corrected"


def test_no_terms_apply_before_the_first_effective_month():
    assert terms_for_month([terms("late", "2027-03")], "2027-02") is None
    assert terms_for_month([], "2027-02") is None


def test_months_are_read_and_written_as_year_and_month():
    assert month_of(date(2027, 1, 31)) == "2027-01"
    assert check_month("2026-12", "month") == "2026-12"
    with pytest.raises(InvalidInput) as refused:
        check_month("2026-00", "month")
    assert set(refused.value.fields) == {"month"}
