"""The contract's term (合同期限): start, end, and the renewal rule, as DOMAIN.md "Term and end" has it.

``term {start, end, renewal_months, renewal_notice_days}``: the contract runs from ``start`` to
``end`` (both days included) and is renewed for ``renewal_months`` months unless notice is given
``renewal_notice_days`` days before the end. Stored as JSON-plain text (ISO dates, whole numbers).

How renewal is computed (pure, from the term and a day):

- the term is renewed automatically each time a day after its current end comes, with no
  stopping (``renewal_months`` 0: never renewed);
- the k-th renewal ends ``k × renewal_months`` months after the original ``end`` (the same day of
  the month, the month's last day when it has no such day), counted from the original end, so a
  31 January end renews to 28/29 February, then 31 March: no drift;
- ``notice_by`` is the last day on which notice stops the next renewal: the current end minus
  ``renewal_notice_days`` calendar days (none when the term is never renewed).

A termination notice ends the contract on its own ``effective_on`` whatever the renewals
(``domain.ending``); the term's figures are what the contract itself says.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from domain.reading import Errors, unknown_keys, whole

TERM_FIELDS = ("start", "end", "renewal_months", "renewal_notice_days")
MAX_RENEWAL_MONTHS = 120
MAX_NOTICE_DAYS = 3650


def check_term(errors: Errors, value: Any) -> dict[str, Any] | None:
    """The term in its stored form, or None (not given, or with ``errors`` set naming each bad field)."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        errors["term"] = "an object {start, end, renewal_months, renewal_notice_days}"
        return None
    unknown_keys(errors, "term", value, TERM_FIELDS)
    start, end = _day(errors, "term.start", value.get("start")), _day(errors, "term.end", value.get("end"))
    if start is not None and end is not None and not start < end:
        errors["term.end"] = "must be after term.start"
    months = _count(errors, "term.renewal_months", value.get("renewal_months"), MAX_RENEWAL_MONTHS)
    notice = _count(errors, "term.renewal_notice_days", value.get("renewal_notice_days"), MAX_NOTICE_DAYS)
    if any(key.startswith("term") for key in errors):
        return None
    assert start is not None and end is not None
    return {"start": start.isoformat(), "end": end.isoformat(), "renewal_months": months, "renewal_notice_days": notice}


def _day(errors: Errors, path: str, value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    errors[path] = "required: a date as YYYY-MM-DD"
    return None


def _count(errors: Errors, path: str, value: Any, maximum: int) -> int | None:
    if value is None:
        errors[path] = "required: a whole number, 0 or more"
        return None
    if isinstance(value, bool):
        errors[path] = "a whole number"
        return None
    return whole(errors, path, value, minimum=0, maximum=maximum)


def term_in_force(recordings: Sequence[Mapping[str, Any]], month: str) -> dict[str, Any] | None:
    """The term as last recorded among the terms applying by ``month`` (an amendment without a term
    keeps the earlier one)."""
    chosen: tuple[str, int, Mapping[str, Any]] | None = None
    for position, terms in enumerate(recordings):
        since = terms.get("effective_from") or ""
        if terms.get("term") is not None and since <= month and (chosen is None or (since, position) >= chosen[:2]):
            chosen = (since, position, terms["term"])
    return dict(chosen[2]) if chosen is not None else None


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` months on; the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_as_of(term: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The term with, as of ``today``: ``renewals`` so far, ``current_end`` and ``notice_by``."""
    end, months = date.fromisoformat(term["end"]), term["renewal_months"]
    renewals, current = 0, end
    if months > 0 and today > end:
        renewals = max(0, _months_between(end, today)) // months
        current = add_months(end, renewals * months)
        while current < today:
            renewals += 1
            current = add_months(end, renewals * months)
    notice_by = current - timedelta(days=term["renewal_notice_days"]) if months > 0 else None
    return {**term, "renewals": renewals, "current_end": current.isoformat(), "notice_by": _iso(notice_by)}


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month - 1


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
