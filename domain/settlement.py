"""The monthly settlement: fee by the contract's fee model, availability deduction, VAT, total.

Pure functions (no I/O). Rounding rule: each money line (fee, bonus, deduction, net, VAT,
total) is rounded half up (ROUND_HALF_UP) to 0.01 as it is computed, and later lines use the
rounded figures. Money is returned as decimal strings with two places ("106848.00"); every
step is also written out as a readable line so that a person can check it by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from domain.availability import month_availability
from domain.contract import check_month
from domain.errors import InvalidInput, RuleViolated
from domain.fee_models import BASE_WITH_BONUS, band_for, month_index, ramp_step
from domain.reading import Errors, grouped, money_text, number, plain, round_money, round_whole, whole

MAX_CALLS = 10**9
MAX_SEAT_HOURS = 10**7


def check_volumes(
    valid_calls: Any = None, holiday_valid_calls: Any = None, seat_hours: Any = None, quality_score: Any = None
) -> dict[str, Any]:
    """``{valid_calls: int, holiday_valid_calls: int, seat_hours: str, quality_score: str | None}``.

    ``holiday_valid_calls`` may be None (no holiday work: 0); the others are required
    except ``quality_score`` (0–100, needed only under base_with_bonus).
    """
    errors: Errors = {
        field: "required"
        for field, value in (("valid_calls", valid_calls), ("seat_hours", seat_hours))
        if value is None
    }
    calls = None if valid_calls is None else whole(errors, "valid_calls", valid_calls, maximum=MAX_CALLS)
    holiday = 0
    if holiday_valid_calls is not None:
        holiday = whole(errors, "holiday_valid_calls", holiday_valid_calls, maximum=MAX_CALLS)
    hours = None if seat_hours is None else number(errors, "seat_hours", seat_hours, maximum=MAX_SEAT_HOURS)
    score = None
    if quality_score is not None:
        score = number(errors, "quality_score", quality_score, maximum=100, over_maximum="a score from 0 to 100")
    if errors:
        raise InvalidInput(errors)
    return {
        "valid_calls": calls,
        "holiday_valid_calls": holiday,
        "seat_hours": plain(hours) if hours is not None else None,
        "quality_score": None if score is None else plain(score),
    }


def check_settleable(terms: Mapping[str, Any], month: str) -> None:
    """A per-call contract settles nothing before its first month (judged before anything else)."""
    model = terms["fee_model"]
    if model["kind"] != BASE_WITH_BONUS and month_index(model["first_month"], month) < 1:
        raise RuleViolated(
            "month_before_first_month",
            f"{month} is before the contract's first month {model['first_month']}; nothing to settle",
        )


def settle(
    terms: Mapping[str, Any], month: str, volumes: Mapping[str, Any], outages: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The month's settlement under ``terms`` (the terms in force for ``month``)."""
    check_month(month, "month")
    check_settleable(terms, month)
    model = terms["fee_model"]
    lines: list[str] = []
    if model["kind"] == BASE_WITH_BONUS:
        result = _base_with_bonus(model, month, volumes, lines)
    else:
        result = _per_valid_call(model, month, volumes, lines)
    fee = result["fee"]
    sla = terms["availability"]
    availability = month_availability(outages, month, sla["target_percent"], sla["count_partial_points"])
    lines.append(_availability_line(availability))
    deducted = Decimal(availability["deduction_percent"])
    deduction = round_money(fee * deducted / 100)
    lines.append(f"deduction: {_deduction_reason(availability)} → {deducted} % of {_m(fee)} = {_m(deduction)}")
    net = round_money(fee - deduction)
    lines.append(f"net: {_m(fee)} − {_m(deduction)} = {_m(net)}")
    vat_percent = Decimal(str(terms["vat_percent"]))
    vat = round_money(net * vat_percent / 100)
    lines.append(f"VAT: {_m(net)} × {plain(vat_percent)} % = {_m(vat)}")
    total = round_money(net + vat)
    lines.append(f"total: {_m(net)} + {_m(vat)} = {_m(total)}")
    return {
        "month": month,
        "fee_model": model["kind"],
        "month_index": result["month_index"],
        "availability_percent": availability["availability_percent"],
        "outage_minutes": availability["outage_minutes"],
        "tier": availability["tier"],
        "points_below": availability["points_below"],
        "deduction_percent": availability["deduction_percent"],
        "report_required": availability["report_required"],
        "target_valid_calls": result["target_valid_calls"],
        "target_met": result["target_met"],
        "fee": money_text(fee),
        "bonus": money_text(result["bonus"]),
        "deduction": money_text(deduction),
        "net": money_text(net),
        "vat": money_text(vat),
        "total": money_text(total),
        "lines": lines,
    }


def _per_valid_call(model: Mapping[str, Any], month: str, volumes: Mapping[str, Any], lines: list[str]) -> dict:
    first = model["first_month"]
    index = month_index(first, month)
    price = Decimal(str(model["unit_prices"][ramp_step(index)]))
    ramp = Decimal(str(model["ramp_percent"][ramp_step(index)]))
    multiplier = Decimal(str(model["holiday_multiplier"]))
    per_hour = Decimal(str(model["calls_per_seat_hour"]))
    calls, holiday = int(volumes["valid_calls"]), int(volumes.get("holiday_valid_calls") or 0)
    hours = Decimal(str(volumes["seat_hours"]))
    lines.append(
        f"month {month} is month {index} counted from the first month {first}: "
        f"unit price {price} CNY, productivity ramp {plain(ramp)} %"
    )
    fee = round_money(calls * price + holiday * price * multiplier)
    lines.append(
        f"fee: {grouped(calls)} valid calls × {price} + {grouped(holiday)} holiday calls × {price} × "
        f"{plain(multiplier)} = {_m(fee)}"
    )
    target = round_whole(per_hour * hours * ramp / 100)
    achieved = calls + holiday
    lines.append(
        f"productivity target: {plain(per_hour)} calls per seat-hour × {grouped(hours)} seat-hours × "
        f"{plain(ramp)} % = {grouped(target)} valid calls (rounded half up); achieved {grouped(achieved)} "
        f"({grouped(calls)} + {grouped(holiday)} holiday) → {'met' if achieved >= target else 'not met'} "
        "(shown only: the fee does not change)"
    )
    return {
        "fee": fee,
        "bonus": Decimal(0),
        "month_index": index,
        "target_valid_calls": target,
        "target_met": achieved >= target,
    }


def _base_with_bonus(model: Mapping[str, Any], month: str, volumes: Mapping[str, Any], lines: list[str]) -> dict:
    if volumes.get("quality_score") is None:
        raise RuleViolated(
            "quality_score_required",
            f"the bonus of {month} needs the month's quality score; record the volumes with a quality_score",
        )
    score = Decimal(str(volumes["quality_score"]))
    base = Decimal(str(model["base_monthly_fee"]))
    band = band_for(score, model["coefficients"])
    coefficient = Decimal(str(band["coefficient"]))
    lines.append(f"quality score {plain(score)} → coefficient {plain(coefficient)} (band from {band['min_score']})")
    bonus = round_money(score / 100 * coefficient * base)
    lines.append(f"bonus: {plain(score)} ÷ 100 × {plain(coefficient)} × {_m(base)} = {_m(bonus)}")
    fee = round_money(base + bonus)
    lines.append(f"fee: base {_m(base)} + bonus {_m(bonus)} = {_m(fee)}")
    return {"fee": fee, "bonus": bonus, "month_index": None, "target_valid_calls": None, "target_met": None}


def _availability_line(availability: Mapping[str, Any]) -> str:
    return (
        f"availability: (1 − {availability['outage_minutes']} provider-caused outage minutes ÷ "
        f"({availability['days_in_month']} days × 1,440 = {grouped(availability['minutes_in_month'])} minutes)) "
        f"× 100 = {availability['availability_percent']} % (target {availability['target_percent']} %)"
    )


def _deduction_reason(availability: Mapping[str, Any]) -> str:
    tier, target = availability["tier"], availability["target_percent"]
    report = "; a written investigation report is required"
    if tier == "refusable":
        return f"availability at or below 65 %: the month's fee may be refused{report}"
    if tier == "report_50":
        return f"availability at or below 80 %: paid at 50 %{report}"
    if tier == "report_80":
        return f"availability at or below 90 %: paid at 80 %{report}"
    if tier == "points":
        gap = Decimal(target) - Decimal(availability["availability_percent"])
        counted = "each started point counts" if availability["count_partial_points"] else "whole points count"
        return f"{gap} points below the {target} % target, {counted}: {availability['points_below']} × 1 %"
    return f"availability at or above the {target} % target"


def _m(amount: Decimal) -> str:
    """Money in a line: ``106,848.00``."""
    return grouped(Decimal(money_text(amount)))
