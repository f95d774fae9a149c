"""Contract terms: KPI targets, availability SLA, fee model, VAT, and from which month they apply.

Pure functions (no I/O). ``check_terms`` turns a request body into normalised, JSON-plain
terms, or raises ``InvalidInput`` naming every bad field by its dotted path
(``kpi_targets.1.target``, ``fee_model.unit_prices.0``).

Canonical forms (see ``domain.reading``): percentages, coefficients and factors are plain
decimal strings without trailing zeros (``"98"``, ``"1.2"``); money has two decimal places
(``"100000.00"``, ``"1.68"``); whole numbers (seconds, scores' band limits) stay ints.
Rounding rule for everything computed from the terms: each money line is rounded half up
(ROUND_HALF_UP) to 0.01.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from domain.errors import InvalidInput
from domain.fee_models import check_fee_model
from domain.reading import Errors, month_problem, number, percent, plain, unknown_keys, whole
from domain.request_kinds import check_notice_days
from domain.term import check_term

KPI_CODES = (
    "answer_rate",
    "service_level",
    "average_response_time",
    "average_handle_time",
    "first_contact_resolution",
    "customer_satisfaction",
    "complaint_rate",
)
PERCENT = "percent"
SECONDS = "seconds"
KPI_UNITS = {
    "answer_rate": PERCENT,
    "service_level": PERCENT,
    "average_response_time": SECONDS,
    "average_handle_time": SECONDS,
    "first_contact_resolution": PERCENT,
    "customer_satisfaction": PERCENT,
    "complaint_rate": PERCENT,
}
DIRECTIONS = ("at_least", "at_most")
MAX_SECONDS = 1_000_000
MAX_WITHIN_SECONDS = 3600

TERMS_FIELDS = (
    "kpi_targets",
    "availability",
    "fee_model",
    "vat_percent",
    "effective_from",
    "termination_after_failed_months",
    "term",
    "notice_days",
)
LEFT_TO_CALLER = ("reason", "expected_version")
KPI_TARGET_FIELDS = ("kpi", "target", "unit", "direction", "within_seconds")
AVAILABILITY_FIELDS = ("target_percent", "count_partial_points")
DEFAULT_AVAILABILITY = {"target_percent": "98", "count_partial_points": False}
DEFAULT_VAT_PERCENT = "6"
DEFAULT_FAILED_MONTHS = 3
"""Consecutive failed months giving the customer the right to terminate ("連續多次未達到") unless the terms say."""
MAX_FAILED_MONTHS = 24


def check_terms(terms: Mapping[str, Any], *, amendment: bool) -> dict[str, Any]:
    """Normalised terms ``{kpi_targets, availability, fee_model, vat_percent, effective_from}``, and
    ``term`` when given (``domain.term``).
    ``notice_days {request kind: working days}`` when given (``domain.request_kinds``).

    ``reason`` (and ``expected_version``) are the caller's and ignored here; any other
    unknown key, at any level, is refused.
    """
    if not isinstance(terms, Mapping):
        raise InvalidInput({"terms": "an object with the contract terms"})
    errors: Errors = {}
    unknown_keys(errors, "", terms, TERMS_FIELDS + LEFT_TO_CALLER)
    kpi_targets = _kpi_targets(errors, terms.get("kpi_targets"))
    availability = _availability(errors, terms.get("availability"))
    fee_model = check_fee_model(errors, terms.get("fee_model"))
    vat = terms.get("vat_percent")
    vat_percent = DEFAULT_VAT_PERCENT if vat is None else _plain(percent(errors, "vat_percent", vat))
    notice_days = check_notice_days(errors, terms.get("notice_days"))
    effective_from = terms.get("effective_from")
    if effective_from is None and amendment:
        errors["effective_from"] = "an amendment must say from which month it applies"
    elif effective_from is not None and (problem := month_problem(effective_from)):
        errors["effective_from"] = problem
    term = check_term(errors, terms.get("term"))
    failed_months = terms.get("termination_after_failed_months")
    if failed_months is not None:
        path = "termination_after_failed_months"
        failed_months = whole(errors, path, failed_months, minimum=1, maximum=MAX_FAILED_MONTHS)
    if errors:
        raise InvalidInput(errors)
    checked = {
        "kpi_targets": kpi_targets,
        "availability": availability,
        "fee_model": fee_model,
        "vat_percent": vat_percent,
        "effective_from": effective_from,
        "termination_after_failed_months": failed_months or DEFAULT_FAILED_MONTHS,
    }
    if term is not None:
        checked["term"] = term
    if notice_days:  # (only when the contract sets notice periods: terms recorded before keep their form)
        checked["notice_days"] = notice_days
    return checked


def failed_months_allowed(terms: Mapping[str, Any] | None) -> int:
    """The terms' ``termination_after_failed_months`` (terms recorded before it existed: the default)."""
    return int((terms or {}).get("termination_after_failed_months") or DEFAULT_FAILED_MONTHS)


def _plain(value: Any) -> str | None:
    return None if value is None else plain(value)


def _kpi_targets(errors: Errors, value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or len(value) > 3 * len(KPI_CODES):
        errors["kpi_targets"] = "a list of KPI targets {kpi, target, unit, direction, within_seconds}"
        return []
    seen: dict[str, int] = {}
    targets = []
    for i, item in enumerate(value):
        path = f"kpi_targets.{i}"
        if not isinstance(item, Mapping):
            errors[path] = "an object {kpi, target, unit, direction, within_seconds}"
            continue
        unknown_keys(errors, path, item, KPI_TARGET_FIELDS)
        kpi = item.get("kpi")
        if not isinstance(kpi, str) or kpi not in KPI_CODES:
            errors[f"{path}.kpi"] = "one of " + ", ".join(KPI_CODES)
            kpi = None
        elif kpi in seen:
            errors[f"{path}.kpi"] = f"{kpi} is already listed at kpi_targets.{seen[kpi]}"
        else:
            seen[kpi] = i
        targets.append(_kpi_target(errors, path, kpi, item))
    return targets


def _kpi_target(errors: Errors, path: str, kpi: str | None, item: Mapping[str, Any]) -> dict[str, Any]:
    natural = KPI_UNITS.get(kpi) if kpi else None
    unit = item.get("unit")
    if unit is None:
        unit = natural
    elif natural is not None and unit != natural:
        errors[f"{path}.unit"] = f"the unit of {kpi} is {natural}"
    direction = item.get("direction")
    if not isinstance(direction, str) or direction not in DIRECTIONS:
        errors[f"{path}.direction"] = "required: at_least or at_most"
    target = item.get("target")
    if target is None:
        errors[f"{path}.target"] = "required: the target value"
    elif natural == PERCENT:
        target = percent(errors, f"{path}.target", target)
    else:
        target = number(errors, f"{path}.target", target, maximum=MAX_SECONDS)
    within = item.get("within_seconds")
    if kpi == "service_level":
        if within is None:
            errors[f"{path}.within_seconds"] = "required for service_level: answered within how many seconds"
        else:
            within = whole(errors, f"{path}.within_seconds", within, minimum=1, maximum=MAX_WITHIN_SECONDS)
    elif within is not None:
        errors[f"{path}.within_seconds"] = "only service_level has within_seconds"
    return {
        "kpi": kpi,
        "target": _plain(target),
        "unit": unit,
        "direction": direction,
        "within_seconds": within if kpi == "service_level" else None,
    }


def _availability(errors: Errors, value: Any) -> dict[str, Any]:
    if value is None:
        return dict(DEFAULT_AVAILABILITY)
    if not isinstance(value, Mapping):
        errors["availability"] = "an object {target_percent, count_partial_points}"
        return dict(DEFAULT_AVAILABILITY)
    unknown_keys(errors, "availability", value, AVAILABILITY_FIELDS)
    target = value.get("target_percent")
    if target is not None:
        target = _plain(percent(errors, "availability.target_percent", target, positive=True))
    partial = value.get("count_partial_points")
    if partial is not None and not isinstance(partial, bool):
        errors["availability.count_partial_points"] = "true or false"
    return {
        "target_percent": DEFAULT_AVAILABILITY["target_percent"] if target is None else target,
        "count_partial_points": partial is True,
    }


def terms_for_month(recordings: Sequence[Mapping[str, Any]], month: str) -> dict[str, Any] | None:
    """The terms that settle ``month``: latest ``effective_from`` not after it; on a tie the last recorded.

    Terms without ``effective_from`` apply from the start (before any month).
    """
    best: tuple[str, int] | None = None
    chosen: Mapping[str, Any] | None = None
    for position, terms in enumerate(recordings):
        since = terms.get("effective_from") or ""
        if since <= month and (best is None or (since, position) >= best):
            best, chosen = (since, position), terms
    return dict(chosen) if chosen is not None else None


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def check_month(text: str, field: str) -> str:
    """``text`` itself when it is a "YYYY-MM" month; InvalidInput({field: why}) otherwise."""
    if problem := month_problem(text):
        raise InvalidInput({field: problem})
    return text
