"""The contract's term (合同期限): checked with the terms, renewed automatically unless notice is given."""

from __future__ import annotations

from datetime import date

import pytest

from domain.contract import check_terms
from domain.errors import InvalidInput
from domain.term import add_months, term_as_of, term_in_force

FEE = {"kind": "base_with_bonus", "base_monthly_fee": "100000", "coefficients": [{"min_score": 0, "coefficient": 1}]}
TERM = {"start": "2026-12-21", "end": "2027-12-31", "renewal_months": 12, "renewal_notice_days": 30}


def test_the_term_is_kept_with_the_terms_in_plain_form():
    terms = check_terms({"fee_model": FEE, "term": {**TERM, "start": date(2026, 12, 21)}}, amendment=False)
    assert terms["term"] == TERM


def test_terms_without_a_term_stay_as_they_were():
    assert "term" not in check_terms({"fee_model": FEE}, amendment=False)


@pytest.mark.parametrize(
    ("term", "fields"),
    [
        ({**TERM, "end": "2026-12-21"}, {"term.end"}),
        (
            {**TERM, "renewal_months": -1, "renewal_notice_days": 1.5},
            {"term.renewal_months", "term.renewal_notice_days"},
        ),
        (
            {"start": "2026-02-30", "renewal_months": True},
            {"term.start", "term.end", "term.renewal_months", "term.renewal_notice_days"},
        ),
        ({**TERM, "auto": True}, {"term.auto"}),
        ("one year", {"term"}),
    ],
)
def test_a_bad_term_names_each_bad_field(term, fields):
    with pytest.raises(InvalidInput) as refused:
        check_terms({"fee_model": FEE, "term": term}, amendment=False)
    assert set(refused.value.fields) == fields


def test_before_its_end_the_term_runs_as_signed_and_notice_is_due_the_notice_days_before():
    now = term_as_of(TERM, date(2027, 6, 1))
    assert (now["renewals"], now["current_end"], now["notice_by"]) == (0, "2027-12-31", "2027-12-01")


def test_the_term_is_renewed_each_time_its_end_passes():
    assert term_as_of(TERM, date(2027, 12, 31))["current_end"] == "2027-12-31"
    renewed = term_as_of(TERM, date(2028, 1, 1))
    assert (renewed["renewals"], renewed["current_end"], renewed["notice_by"]) == (1, "2028-12-31", "2028-12-01")
    assert term_as_of(TERM, date(2031, 2, 1))["renewals"] == 4


def test_renewal_counts_months_from_the_original_end_without_drift():
    term = {"start": "2026-01-01", "end": "2027-01-31", "renewal_months": 1, "renewal_notice_days": 0}
    assert term_as_of(term, date(2027, 2, 1))["current_end"] == "2027-02-28"
    assert term_as_of(term, date(2027, 3, 1))["current_end"] == "2027-03-31"
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_a_term_never_renewed_has_no_notice_date():
    term = {**TERM, "renewal_months": 0}
    assert term_as_of(term, date(2029, 1, 1)) == {**term, "renewals": 0, "current_end": "2027-12-31", "notice_by": None}


def test_an_amendment_without_a_term_keeps_the_earlier_one():
    later = {**TERM, "end": "2028-06-30"}
    recordings = [{"term": TERM}, {"effective_from": "2027-03"}, {"effective_from": "2027-06", "term": later}]
    assert term_in_force(recordings, "2027-04") == TERM
    assert term_in_force(recordings, "2027-06") == later
    assert term_in_force([{"effective_from": None}], "2027-06") is None
