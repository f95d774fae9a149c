"""The availability SLA (DOMAIN.md "What the contracts add"), worked by hand.

Availability = (1 − provider-caused outage minutes ÷ (days in month × 1440)) × 100.
A 31-day month has 44,640 minutes (1 % = 446.4 min), a 30-day month 43,200 (1 % = 432 min),
February 2027 has 28 days = 40,320 minutes. Target 98 % unless a test says otherwise.
Expected values are computed by hand in the comments, never with the code under test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.availability import check_outage, month_availability
from domain.errors import InvalidInput

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def outage(started_at: datetime, ended_at: datetime, provider_caused: bool = True) -> dict:
    return {"started_at": started_at, "ended_at": ended_at, "provider_caused": provider_caused}


def lasting(start: datetime, minutes: float, provider_caused: bool = True) -> dict:
    return outage(start, start + timedelta(minutes=minutes), provider_caused)


def sla(outages: list[dict], month: str, target: str = "98", partial: bool = False) -> dict:
    return month_availability(outages, month, target, partial)


# --- no deduction -------------------------------------------------------------------


def test_month_without_outages_is_fully_available():
    result = sla([], "2027-01")
    assert result["availability_percent"] == "100.0000"
    assert result["outage_minutes"] == "0"
    assert (result["tier"], result["points_below"], result["deduction_percent"]) == ("none", 0, "0")
    assert result["report_required"] is False


def test_availability_exactly_98_percent_deducts_nothing():
    # 2 % of 44,640 = 892.8 minutes = 14 h 52 min 48 s; (1 − 892.8 ÷ 44,640) × 100 = 98 exactly
    result = sla([outage(at(2027, 1, 10, 9), at(2027, 1, 10, 23, 52, 48))], "2027-01")
    assert result["outage_minutes"] == "892.8"
    assert result["availability_percent"] == "98.0000"
    assert (result["tier"], result["points_below"], result["deduction_percent"]) == ("none", 0, "0")
    assert result["report_required"] is False


# --- points below target -----------------------------------------------------------


def test_availability_just_below_98_counts_no_whole_point_but_one_started_point():
    # 893 min ÷ 446.4 = 2.000448…% down → 97.999552… → shown 97.9996; 0.000448 points below 98
    outages = [lasting(at(2027, 1, 10, 9), 893)]
    whole = sla(outages, "2027-01", partial=False)
    assert whole["availability_percent"] == "97.9996"
    assert (whole["tier"], whole["points_below"], whole["deduction_percent"]) == ("points", 0, "0")
    started = sla(outages, "2027-01", partial=True)
    assert (started["tier"], started["points_below"], started["deduction_percent"]) == ("points", 1, "1")
    assert started["report_required"] is False


def test_count_partial_points_both_ways_on_a_quarter_point_shortfall():
    # 1,000 min ÷ 446.4 = 2.240143…% → 97.759857 → 97.7599; 0.2401 points below 98
    outages = [lasting(at(2027, 1, 3, 8), 1000)]
    assert sla(outages, "2027-01")["availability_percent"] == "97.7599"
    assert sla(outages, "2027-01", partial=False)["deduction_percent"] == "0"  # no whole point
    assert sla(outages, "2027-01", partial=True)["deduction_percent"] == "1"  # one started point


def test_count_partial_points_both_ways_on_two_and_a_half_points():
    # 2,000 min ÷ 446.4 = 4.480287…% → 95.519713 → 95.5197; 2.4803 points below 98
    outages = [lasting(at(2027, 1, 3, 8), 2000)]
    whole = sla(outages, "2027-01", partial=False)
    assert whole["availability_percent"] == "95.5197"
    assert (whole["points_below"], whole["deduction_percent"]) == (2, "2")  # floor(2.48)
    started = sla(outages, "2027-01", partial=True)
    assert (started["points_below"], started["deduction_percent"]) == (3, "3")  # ceil(2.48)


def test_a_lower_target_counts_points_from_that_target():
    # 432 min in April = 1 % → 99.0000; target 99.5 → 0.5 points below
    outages = [lasting(at(2027, 4, 2, 9), 432)]
    assert sla(outages, "2027-04", target="99.5", partial=False)["deduction_percent"] == "0"
    assert sla(outages, "2027-04", target="99.5", partial=True)["deduction_percent"] == "1"
    assert sla(outages, "2027-04", target="99.5")["target_percent"] == "99.5"


# --- absolute tiers ----------------------------------------------------------------


def test_availability_just_above_90_deducts_whole_points_only():
    # 4,319 min ÷ 432 = 9.997685…% → 90.002315 → 90.0023; 7.9977 points below 98
    outages = [outage(at(2027, 4, 10), at(2027, 4, 12, 23, 59))]  # 71 h 59 min = 4,319 min
    whole = sla(outages, "2027-04")
    assert whole["outage_minutes"] == "4319"
    assert whole["availability_percent"] == "90.0023"
    assert (whole["tier"], whole["points_below"], whole["deduction_percent"]) == ("points", 7, "7")
    assert sla(outages, "2027-04", partial=True)["deduction_percent"] == "8"


def test_availability_exactly_90_percent_pays_80_percent_with_a_report():
    # 3 days = 4,320 min = 10 % of 43,200 → 90.0000: at or below 90 → paid at 80 %, i.e. 20 % deducted
    result = sla([outage(at(2027, 4, 10), at(2027, 4, 13))], "2027-04")
    assert result["availability_percent"] == "90.0000"
    assert (result["tier"], result["deduction_percent"], result["report_required"]) == ("report_80", "20", True)
    assert result["points_below"] == 8  # 98 − 90, shown only; the tier decides the deduction


def test_availability_just_above_80_percent_stays_in_the_80_percent_tier():
    # 8,639 min ÷ 432 = 19.997685…% → 80.002315 → 80.0023: above 80, at or below 90
    result = sla([lasting(at(2027, 4, 1), 8639)], "2027-04")
    assert result["availability_percent"] == "80.0023"
    assert (result["tier"], result["deduction_percent"]) == ("report_80", "20")


def test_availability_exactly_80_percent_pays_half():
    # 6 days = 8,640 min = 20 % of 43,200 → 80.0000 → paid at 50 %
    result = sla([outage(at(2027, 4, 1), at(2027, 4, 7))], "2027-04")
    assert result["availability_percent"] == "80.0000"
    assert (result["tier"], result["deduction_percent"], result["report_required"]) == ("report_50", "50", True)


def test_availability_just_above_65_percent_pays_half():
    # 15,623 min ÷ 446.4 = 34.997760…% → 65.002240 → 65.0022
    result = sla([lasting(at(2027, 1, 5), 15623)], "2027-01")
    assert result["availability_percent"] == "65.0022"
    assert (result["tier"], result["deduction_percent"]) == ("report_50", "50")


def test_availability_exactly_65_percent_lets_the_customer_refuse_the_fee():
    # 35 % of 44,640 = 15,624 min = 10 days 20 h 24 min → 65.0000 → fee may be refused (100 % deducted)
    result = sla([outage(at(2027, 1, 5), at(2027, 1, 15, 20, 24))], "2027-01")
    assert result["outage_minutes"] == "15624"
    assert result["availability_percent"] == "65.0000"
    assert (result["tier"], result["deduction_percent"], result["report_required"]) == ("refusable", "100", True)


def test_outage_over_the_whole_month_is_clipped_to_zero_availability():
    # 2027-03-20 → 2027-05-10 covers all of April: 43,200 minutes → 0.0000
    result = sla([outage(at(2027, 3, 20), at(2027, 5, 10))], "2027-04")
    assert result["outage_minutes"] == "43200"
    assert result["availability_percent"] == "0.0000"
    assert (result["tier"], result["deduction_percent"]) == ("refusable", "100")


# --- which minutes count -----------------------------------------------------------


def test_only_provider_caused_outages_count_and_overlaps_count_once():
    outages = [
        outage(at(2027, 1, 8, 10), at(2027, 1, 8, 12)),  # provider 10:00–12:00
        outage(at(2027, 1, 8, 11), at(2027, 1, 8, 13, 30)),  # provider 11:00–13:30, overlaps → union 10:00–13:30
        outage(at(2027, 1, 8, 10, 30), at(2027, 1, 8, 11)),  # provider, inside the first: adds nothing
        outage(at(2027, 1, 8, 14), at(2027, 1, 8, 20), provider_caused=False),  # announced maintenance: ignored
    ]
    result = sla(outages, "2027-01")
    # union 10:00–13:30 = 210 min; 210 ÷ 446.4 = 0.470430…% → 99.529570 → 99.5296
    assert result["outage_minutes"] == "210"
    assert result["availability_percent"] == "99.5296"
    assert result["tier"] == "none"


def test_outage_crossing_midnight_of_new_year_in_shanghai_is_split_between_the_months():
    # 2026-12-31 15:00–17:30 UTC is 23:00–01:30 in Shanghai: 60 min in December, 90 in January
    crossing = [outage(datetime(2026, 12, 31, 15, tzinfo=UTC), datetime(2026, 12, 31, 17, 30, tzinfo=UTC))]
    december = sla(crossing, "2026-12")
    january = sla(crossing, "2027-01")
    assert december["outage_minutes"] == "60"
    assert december["availability_percent"] == "99.8656"  # 60 ÷ 446.4 = 0.134409 % → 99.865591
    assert january["outage_minutes"] == "90"
    assert january["availability_percent"] == "99.7984"  # 90 ÷ 446.4 = 0.201613 % → 99.798387


def test_same_outage_weighs_more_in_a_30_day_month_than_in_a_31_day_month():
    # 432 min = 7 h 12 min: exactly 1 % of April's 43,200; 432 ÷ 446.4 = 0.967742 % of March's 44,640
    april = sla([lasting(at(2027, 4, 6, 9), 432)], "2027-04")
    march = sla([lasting(at(2027, 3, 6, 9), 432)], "2027-03")
    assert (april["days_in_month"], april["minutes_in_month"]) == (30, 43200)
    assert (march["days_in_month"], march["minutes_in_month"]) == (31, 44640)
    assert april["availability_percent"] == "99.0000"
    assert march["availability_percent"] == "99.0323"  # 100 − 0.967742 = 99.032258


def test_outage_in_another_month_does_not_count():
    result = sla([outage(at(2027, 2, 1), at(2027, 2, 2))], "2027-01")
    assert (result["outage_minutes"], result["availability_percent"]) == ("0", "100.0000")


def test_outage_minutes_with_seconds_are_shown_to_four_places():
    # 20 s = 0.33333… min
    result = sla([outage(at(2027, 1, 8, 10), at(2027, 1, 8, 10, 0, 20))], "2027-01")
    assert result["outage_minutes"] == "0.3333"


# --- recording an outage -----------------------------------------------------------


def test_outage_ending_before_it_starts_is_refused():
    with pytest.raises(InvalidInput) as refused:
        check_outage(at(2027, 1, 8, 12), at(2027, 1, 8, 11))
    assert refused.value.fields == {"ended_at": "an outage cannot end before it starts"}


def test_outage_ending_when_it_starts_is_refused():
    with pytest.raises(InvalidInput) as refused:
        check_outage(at(2027, 1, 8, 12), at(2027, 1, 8, 12))
    assert set(refused.value.fields) == {"ended_at"}


def test_outage_times_without_offset_are_refused_naming_the_field():
    with pytest.raises(InvalidInput) as refused:
        check_outage(datetime(2027, 1, 8, 12), at(2027, 1, 8, 13))
    assert set(refused.value.fields) == {"started_at"}
    assert "offset" in refused.value.fields["started_at"]


def test_outage_with_offsets_in_order_is_accepted():
    check_outage(at(2027, 1, 8, 12), datetime(2027, 1, 8, 5, tzinfo=UTC))  # 12:00 +08 → 13:00 +08
