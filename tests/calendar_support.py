"""A TEST schedule for 2027, made up but shaped like a real State Council notice (not the official one)."""

from __future__ import annotations

from datetime import date, timedelta

TEST_REFERENCE_2027 = "国办发明电〔2026〕99号 (test schedule)"
TEST_HOLIDAYS_2027 = [{"date": date(2027, 1, 1), "name": "元旦"}] + [
    {"date": date(2027, 2, 6) + timedelta(days=i), "name": "春节"} for i in range(7)
]
"""元旦 Friday 1 January; 春节 Saturday 6 – Friday 12 February (five weekdays off)."""
TEST_MAKEUP_DAYS_2027 = [date(2027, 1, 30), date(2027, 2, 20)]
"""Two make-up Saturdays (调休上班)."""


def schedule_2027(**changes) -> dict:
    return {
        "year": 2027,
        "holidays": TEST_HOLIDAYS_2027,
        "makeup_days": TEST_MAKEUP_DAYS_2027,
        "reference": TEST_REFERENCE_2027,
        **changes,
    }


def schedule_json(**changes) -> dict:
    """The test schedule as the PUT body (or the CLI file) gives it."""
    body = schedule_2027(**changes)
    del body["year"]
    return {
        **body,
        "holidays": [{"date": h["date"].isoformat(), "name": h["name"]} for h in body["holidays"]],
        "makeup_days": [d.isoformat() for d in body["makeup_days"]],
    }
