"""Reading numbers, months and objects from JSON bodies; writing figures back in canonical form.

Numbers may arrive as JSON numbers (int or float) or as decimal strings ("1.68"); booleans,
NaN, Infinity, exponent strings ("1e5") and absurd sizes are refused. Canonical forms, which
are what gets stored in events and sent as JSON:

- plain decimals (percentages, coefficients, factors, KPI figures, seat-hours, scores): the
  shortest decimal string, no exponent, no trailing zeros: ``"98"``, ``"1.2"``, ``"95.5"``, ``"0"``;
- money (fees, unit prices, amounts): at least two decimal places, more only when a price is
  given with more: ``"100000.00"``, ``"1.68"``, ``"1.675"``;
- whole counts (calls, seconds, scores' band limits) stay ``int``.

Rounding rule: each money line is rounded half up (ROUND_HALF_UP) to 0.01 (``round_money``).
The readers collect problems into an ``errors`` dict {dotted field path: why} so that a
caller can name every bad field in one ``InvalidInput``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

MAX_MAGNITUDE = Decimal(10) ** 15
MAX_TEXT = 40
CENT = Decimal("0.01")
_DECIMAL_TEXT = re.compile(r"-?\d{1,20}(\.\d{1,12})?")
_WHOLE_TEXT = re.compile(r"-?\d{1,15}")
_MONTH_TEXT = re.compile(r"(\d{4})-(\d{2})")

Errors = dict[str, str]


def to_decimal(value: Any) -> Decimal:
    """A finite Decimal from a JSON number or decimal string; ValueError(why) otherwise."""
    if value is None or isinstance(value, bool):
        raise ValueError("a number")
    if isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("a finite number")
        result = Decimal(repr(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("a finite number")
        result = value
    elif isinstance(value, str):
        if len(value) > MAX_TEXT or not _DECIMAL_TEXT.fullmatch(value):
            raise ValueError("a number such as 12 or 1.68")
        result = Decimal(value)
    else:
        raise ValueError("a number")
    if abs(result) >= MAX_MAGNITUDE:
        raise ValueError("too large")
    return result


def places_of(value: Decimal) -> int:
    """Decimal places that carry a digit (trailing zeros do not count)."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -int(exponent))


def number(
    errors: Errors,
    path: str,
    value: Any,
    *,
    minimum: Decimal | int = 0,
    above_minimum: bool = False,
    maximum: Decimal | int | None = None,
    over_maximum: str | None = None,
    places: int = 4,
) -> Decimal | None:
    """A bounded decimal, or None with ``errors[path]`` set."""
    try:
        result = to_decimal(value)
    except ValueError as why:
        errors[path] = str(why)
        return None
    if above_minimum and result <= minimum:
        errors[path] = f"must be more than {minimum}"
    elif result < minimum:
        errors[path] = f"must be at least {minimum}"
    elif maximum is not None and result > maximum:
        errors[path] = over_maximum or f"must be at most {maximum}"
    elif places_of(result) > places:
        errors[path] = f"at most {places} decimal places"
    else:
        return result
    return None


def percent(errors: Errors, path: str, value: Any, *, positive: bool = False) -> Decimal | None:
    """A percentage 0..100 (or 0 < p ≤ 100 when ``positive``)."""
    return number(
        errors, path, value, above_minimum=positive, maximum=100, over_maximum="a percentage cannot be over 100"
    )


def whole(errors: Errors, path: str, value: Any, *, minimum: int = 0, maximum: int = 10**12) -> int | None:
    """A whole number (int, integral float or digit string) within bounds, or None with the error set."""
    result: int | None = None
    integral_float = isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) < 2**53
    if isinstance(value, int) and not isinstance(value, bool):
        result = value
    elif integral_float or (isinstance(value, str) and _WHOLE_TEXT.fullmatch(value)):
        result = int(value)
    if result is None:
        errors[path] = "a whole number"
    elif result < minimum:
        errors[path] = f"must be at least {minimum}"
    elif result > maximum:
        errors[path] = f"must be at most {maximum}"
    else:
        return result
    return None


def plain(value: Decimal) -> str:
    """Canonical plain decimal: ``Decimal("98.50")`` → ``"98.5"``, ``Decimal("1E+2")`` → ``"100"``."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def money_text(value: Decimal) -> str:
    """Canonical money: two places, or more when the amount has more (``"1.675"``)."""
    if places_of(value) <= 2:
        return format(value.quantize(CENT), "f")
    return plain(value)


def round_money(value: Decimal) -> Decimal:
    """The one rounding rule for money: half up to 0.01."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round_fraction(value: Fraction, places: int) -> Decimal:
    """An exact fraction rounded half up (away from zero on a tie) to ``places`` decimals."""
    scaled = abs(value) * 10**places
    digits = math.floor(scaled + Fraction(1, 2))
    return Decimal(-digits if value < 0 else digits).scaleb(-places)


def grouped(value: Decimal | int) -> str:
    """For readable lines: thousands separated, ``106,848.00``."""
    return format(value, ",")


def month_problem(text: Any) -> str | None:
    """Why ``text`` is not a "YYYY-MM" month, or None when it is one."""
    match = _MONTH_TEXT.fullmatch(text) if isinstance(text, str) else None
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        return "a month as YYYY-MM"
    return None


def month_number(month: str) -> int:
    """Months counted from year 0, so that differences are month counts."""
    year, number_ = month.split("-")
    return int(year) * 12 + int(number_) - 1


def unknown_keys(errors: Errors, path: str, body: Mapping[Any, Any], allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    for key in body:
        if key not in allowed:
            errors[join(path, str(key))] = "unknown field (expected: " + ", ".join(allowed) + ")"


def join(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)
