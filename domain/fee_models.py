"""The two fee models of the contracts: per valid call with a ramp, and base fee with a quality bonus.

``check_fee_model`` validates and normalises the ``fee_model`` object of the contract terms
(canonical forms as in ``domain.reading``); the settlement reads the normalised form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from domain.reading import (
    Errors,
    join,
    money_text,
    month_number,
    month_problem,
    number,
    percent,
    plain,
    unknown_keys,
    whole,
)

PER_VALID_CALL = "per_valid_call"
BASE_WITH_BONUS = "base_with_bonus"
FEE_KINDS = (PER_VALID_CALL, BASE_WITH_BONUS)

PER_CALL_FIELDS = (
    "kind",
    "first_month",
    "unit_prices",
    "holiday_multiplier",
    "calls_per_seat_hour",
    "ramp_percent",
    "valid_call_min_seconds",
)
BONUS_FIELDS = ("kind", "base_monthly_fee", "coefficients")
BAND_FIELDS = ("min_score", "coefficient")

DEFAULT_HOLIDAY_MULTIPLIER = "3"
DEFAULT_CALLS_PER_SEAT_HOUR = "18"
DEFAULT_RAMP_PERCENT = ("80", "90", "100")
DEFAULT_VALID_CALL_MIN_SECONDS = 15
DEFAULT_COEFFICIENTS = (
    {"min_score": 90, "coefficient": "1.2"},
    {"min_score": 80, "coefficient": "1.1"},
    {"min_score": 70, "coefficient": "1"},
    {"min_score": 60, "coefficient": "0.8"},
    {"min_score": 0, "coefficient": "0.6"},
)
RAMP_MONTHS = 3
MAX_BANDS = 20
MAX_MONEY = Decimal(10) ** 12


def check_fee_model(errors: Errors, value: Any) -> dict[str, Any] | None:
    """The normalised fee model, or None with every problem put in ``errors``."""
    if value is None:
        errors["fee_model"] = f"required: an object with kind {' or '.join(FEE_KINDS)}"
        return None
    if not isinstance(value, Mapping):
        errors["fee_model"] = f"an object with kind {' or '.join(FEE_KINDS)}"
        return None
    kind = value.get("kind")
    if kind == PER_VALID_CALL:
        return _per_valid_call(errors, value)
    if kind == BASE_WITH_BONUS:
        return _base_with_bonus(errors, value)
    errors["fee_model.kind"] = " or ".join(FEE_KINDS)
    return None


def _given(body: Mapping[str, Any], key: str, default: Any) -> Any:
    value = body.get(key)
    return default if value is None else value


def _per_valid_call(errors: Errors, body: Mapping[str, Any]) -> dict[str, Any]:
    unknown_keys(errors, "fee_model", body, PER_CALL_FIELDS)
    first_month = body.get("first_month")
    if first_month is None:
        errors["fee_model.first_month"] = "required: the contract's first month as YYYY-MM (month 1 of the ramp)"
    elif problem := month_problem(first_month):
        errors["fee_model.first_month"] = problem
    prices = _three(errors, "fee_model.unit_prices", body.get("unit_prices"), "unit prices for months 1, 2 and 3 on")
    unit_prices = [
        number(errors, f"fee_model.unit_prices.{i}", price, above_minimum=True, maximum=MAX_MONEY)
        for i, price in enumerate(prices)
    ]
    multiplier = _given(body, "holiday_multiplier", DEFAULT_HOLIDAY_MULTIPLIER)
    multiplier = number(errors, "fee_model.holiday_multiplier", multiplier, above_minimum=True, maximum=100)
    per_hour = _given(body, "calls_per_seat_hour", DEFAULT_CALLS_PER_SEAT_HOUR)
    per_hour = number(errors, "fee_model.calls_per_seat_hour", per_hour, above_minimum=True, maximum=10_000)
    ramp = _three(errors, "fee_model.ramp_percent", _given(body, "ramp_percent", DEFAULT_RAMP_PERCENT), "percentages")
    ramp_percent = [percent(errors, f"fee_model.ramp_percent.{i}", p, positive=True) for i, p in enumerate(ramp)]
    min_seconds = whole(
        errors,
        "fee_model.valid_call_min_seconds",
        _given(body, "valid_call_min_seconds", DEFAULT_VALID_CALL_MIN_SECONDS),
        maximum=3600,
    )
    return {
        "kind": PER_VALID_CALL,
        "first_month": first_month,
        "unit_prices": [money_text(p) for p in unit_prices if p is not None],
        "holiday_multiplier": plain(multiplier) if multiplier is not None else None,
        "calls_per_seat_hour": plain(per_hour) if per_hour is not None else None,
        "ramp_percent": [plain(p) for p in ramp_percent if p is not None],
        "valid_call_min_seconds": min_seconds,
    }


def _three(errors: Errors, path: str, value: Any, what: str) -> Sequence[Any]:
    if not isinstance(value, list | tuple) or len(value) != RAMP_MONTHS:
        errors[path] = f"required: exactly {RAMP_MONTHS} {what}"
        return ()
    return value


def _base_with_bonus(errors: Errors, body: Mapping[str, Any]) -> dict[str, Any]:
    unknown_keys(errors, "fee_model", body, BONUS_FIELDS)
    base = body.get("base_monthly_fee")
    if base is None:
        errors["fee_model.base_monthly_fee"] = "required: the base monthly fee in CNY"
    else:
        base = number(errors, "fee_model.base_monthly_fee", base, above_minimum=True, maximum=MAX_MONEY, places=2)
    return {
        "kind": BASE_WITH_BONUS,
        "base_monthly_fee": money_text(base) if base is not None else None,
        "coefficients": _bands(errors, _given(body, "coefficients", DEFAULT_COEFFICIENTS)),
    }


def _bands(errors: Errors, value: Any) -> list[dict[str, Any]]:
    path = "fee_model.coefficients"
    if not isinstance(value, list | tuple) or not 1 <= len(value) <= MAX_BANDS:
        errors[path] = f"a list of 1 to {MAX_BANDS} bands {{min_score, coefficient}}"
        return []
    bands: list[dict[str, Any]] = []
    seen: dict[int, int] = {}
    for i, band in enumerate(value):
        at = join(path, i)
        if not isinstance(band, Mapping):
            errors[at] = "an object {min_score, coefficient}"
            continue
        unknown_keys(errors, at, band, BAND_FIELDS)
        score = whole(errors, f"{at}.min_score", band.get("min_score"), maximum=100)
        coefficient = number(errors, f"{at}.coefficient", band.get("coefficient"), maximum=100)
        if score is not None and score in seen:
            errors[f"{at}.min_score"] = f"min_score {score} is already used by {path}.{seen[score]}"
        elif score is not None:
            seen[score] = i
            if coefficient is not None:
                bands.append({"min_score": score, "coefficient": plain(coefficient)})
    if seen and 0 not in seen:
        errors.setdefault(path, "needs a band with min_score 0 (every score must find a coefficient)")
    return sorted(bands, key=lambda band: band["min_score"], reverse=True)


def band_for(score: Decimal, coefficients: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The band of the highest ``min_score`` not above ``score`` (≥ 90 → 1.2 in the default table)."""
    fitting = [band for band in coefficients if Decimal(band["min_score"]) <= score]
    return max(fitting, key=lambda band: Decimal(band["min_score"]))


def month_index(first_month: str, month: str) -> int:
    """1 for ``first_month`` itself, 2 for the month after, …; 0 or less before it."""
    return month_number(month) - month_number(first_month) + 1


def ramp_step(index: int) -> int:
    """Position in unit_prices / ramp_percent: months 1, 2, 3 and on → 0, 1, 2."""
    return min(index, RAMP_MONTHS) - 1
