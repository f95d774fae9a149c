"""KPI reports judged against the contract's targets (API.md ``GET …/kpis``)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.contract import check_terms
from domain.errors import InvalidInput
from domain.kpis import check_figures, check_period, is_met, kpi_periods

FEE = {"kind": "base_with_bonus", "base_monthly_fee": "100000.00"}
SIGNED = check_terms(
    {
        "kpi_targets": [
            {"kpi": "answer_rate", "target": 95, "direction": "at_least"},
            {"kpi": "service_level", "target": 80, "within_seconds": 20, "direction": "at_least"},
            {"kpi": "average_handle_time", "target": 300, "direction": "at_most"},
        ],
        "fee_model": FEE,
    },
    amendment=False,
)
AMENDED = check_terms(
    {"kpi_targets": [{"kpi": "answer_rate", "target": "97.5", "direction": "at_least"}], "fee_model": FEE,
     "effective_from": "2027-02"},
    amendment=True,
)  # fmt: skip


def report(start: date, end: date, **figures: str) -> dict:
    return {"period_start": start, "period_end": end, "figures": figures, "recorded_by": "wang.fang"}


# --- figures ---------------------------------------------------------------------


def test_figures_are_normalised_to_decimal_strings():
    assert check_figures({"average_handle_time": 285.0, "answer_rate": "96.50", "complaint_rate": 0}) == {
        "answer_rate": "96.5",
        "average_handle_time": "285",
        "complaint_rate": "0",
    }


def test_a_percentage_over_100_is_refused():
    with pytest.raises(InvalidInput) as refused:
        check_figures({"answer_rate": "100.01", "customer_satisfaction": 90})
    assert set(refused.value.fields) == {"figures.answer_rate"}


def test_unknown_kpi_in_a_report_is_refused_by_name():
    with pytest.raises(InvalidInput) as refused:
        check_figures({"hold_time": 30, "answer_rate": 95})
    assert set(refused.value.fields) == {"figures.hold_time"}


def test_negative_times_booleans_and_empty_reports_are_refused():
    with pytest.raises(InvalidInput) as refused:
        check_figures({"average_handle_time": -1, "answer_rate": True})
    assert set(refused.value.fields) == {"figures.average_handle_time", "figures.answer_rate"}
    with pytest.raises(InvalidInput) as refused:
        check_figures({})
    assert set(refused.value.fields) == {"figures"}


def test_a_period_cannot_end_before_it_starts():
    check_period(date(2027, 1, 1), date(2027, 1, 1))
    with pytest.raises(InvalidInput) as refused:
        check_period(date(2027, 1, 31), date(2027, 1, 1))
    assert set(refused.value.fields) == {"period_end"}


# --- met or not --------------------------------------------------------------------


def test_at_least_targets_are_met_from_the_target_up():
    target = {"kpi": "answer_rate", "target": "95", "direction": "at_least"}
    assert (is_met(target, "95"), is_met(target, "95.01"), is_met(target, "94.99")) == (True, True, False)


def test_at_most_targets_are_met_from_the_target_down():
    target = {"kpi": "average_handle_time", "target": "300", "direction": "at_most"}
    assert (is_met(target, "300"), is_met(target, "299.5"), is_met(target, "301")) == (True, True, False)


def test_unreported_figure_is_neither_met_nor_missed():
    assert is_met({"kpi": "answer_rate", "target": "95", "direction": "at_least"}, None) is None


# --- periods -----------------------------------------------------------------------


def test_each_period_lists_every_target_and_every_reported_figure():
    january = report(date(2027, 1, 1), date(2027, 1, 31), answer_rate="96", average_handle_time="310",
                     complaint_rate="0.4")  # fmt: skip
    [period] = kpi_periods([SIGNED], [january])
    assert period["period_start"] == "2027-01-01" and period["period_end"] == "2027-01-31"
    assert period["recorded_by"] == "wang.fang"
    assert period["kpis"] == [
        {"kpi": "answer_rate", "target": "95", "unit": "percent", "direction": "at_least", "within_seconds": None,
         "actual": "96", "met": True},
        {"kpi": "service_level", "target": "80", "unit": "percent", "direction": "at_least", "within_seconds": 20,
         "actual": None, "met": None},
        {"kpi": "average_handle_time", "target": "300", "unit": "seconds", "direction": "at_most",
         "within_seconds": None, "actual": "310", "met": False},
        {"kpi": "complaint_rate", "target": None, "unit": "percent", "direction": None, "within_seconds": None,
         "actual": "0.4", "met": None},
    ]  # fmt: skip
    assert period["all_met"] is False


def test_all_met_needs_every_target_reported_and_met():
    complete = report(date(2027, 1, 1), date(2027, 1, 31), answer_rate="95", service_level="81",
                      average_handle_time="300")  # fmt: skip
    missing_one = report(date(2027, 1, 1), date(2027, 1, 15), answer_rate="99", average_handle_time="200")
    first, second = kpi_periods([SIGNED], [complete, missing_one])
    assert first["all_met"] is True
    assert second["all_met"] is False


def test_periods_are_judged_by_the_terms_in_force_in_their_first_month():
    january = report(date(2027, 1, 25), date(2027, 2, 3), answer_rate="96")
    february = report(date(2027, 2, 1), date(2027, 2, 28), answer_rate="96")
    periods = kpi_periods([SIGNED, AMENDED], [february, january])
    assert [period["period_start"] for period in periods] == ["2027-01-25", "2027-02-01"]
    assert [kpi["target"] for kpi in periods[0]["kpis"]] == ["95", "80", "300"]  # signed terms
    assert periods[1]["kpis"] == [
        {"kpi": "answer_rate", "target": "97.5", "unit": "percent", "direction": "at_least", "within_seconds": None,
         "actual": "96", "met": False},
    ]  # fmt: skip
    assert periods[1]["all_met"] is False


def test_reports_starting_the_same_day_keep_their_recorded_order():
    first = {**report(date(2027, 3, 1), date(2027, 3, 31), answer_rate="90"), "recorded_by": "first"}
    second = {**report(date(2027, 3, 1), date(2027, 3, 15), answer_rate="99"), "recorded_by": "second"}
    assert [period["recorded_by"] for period in kpi_periods([SIGNED], [first, second])] == ["first", "second"]


def test_periods_without_terms_show_figures_without_targets():
    [period] = kpi_periods([], [report(date(2027, 1, 1), date(2027, 1, 31), answer_rate="96")])
    assert period["kpis"][0]["target"] is None and period["kpis"][0]["met"] is None
    assert period["all_met"] is None
