"""Bodies and answers of "Contract and operations": terms, KPI reports, outages, volumes, KPIs, settlements.

The schemas check shapes and types; the domain (``domain.contract`` and friends) checks the
figures themselves (ranges, KPI units, what each fee model needs) and names every bad field.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from api.schemas.common import Number, day, moment, optional_text, text, whole, yes_no
from domain.calendar import MAX_WORKING_DAYS
from domain.contract import DIRECTIONS, KPI_CODES
from domain.request_kinds import REQUEST_KINDS

MONTH = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"
"""A month of the years 2000–2100, as every date a command records."""
FEE_KINDS = ("per_valid_call", "base_with_bonus")
KIND_FIELDS = {
    "per_valid_call": {
        "first_month",
        "unit_prices",
        "holiday_multiplier",
        "calls_per_seat_hour",
        "ramp_percent",
        "valid_call_min_seconds",
    },
    "base_with_bonus": {"base_monthly_fee", "coefficients"},
}


class DecimalText(fields.Field):
    """A figure as a decimal string ("1.68") or a JSON number; the domain reads it as a Decimal."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$", **kwargs.pop("metadata", {})}
        metadata.setdefault("description", "a decimal, as a string or a JSON number")
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValidationError("a number or a decimal string")
        if isinstance(value, str) and len(value) > 40:
            raise ValidationError("at most 40 characters")
        return value


def month(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Regexp(MONTH, error="a month as YYYY-MM, 2000-01 to 2100-12"), **kwargs)


class KpiTargetIn(Schema):
    kpi = fields.String(required=True, validate=validate.OneOf(KPI_CODES))
    target = DecimalText(required=True)
    unit = fields.String(validate=validate.OneOf(("percent", "seconds")))
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    within_seconds = fields.Integer(
        validate=validate.Range(1, 3600), metadata={"description": "service level only: answered within N s"}
    )


class AvailabilityIn(Schema):
    target_percent = DecimalText(required=True)
    count_partial_points = yes_no(metadata={"description": "a started point below target counts (default false)"})


class CoefficientIn(Schema):
    min_score = fields.Integer(required=True, validate=validate.Range(0, 100))
    coefficient = DecimalText(required=True)


class FeeModelIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(FEE_KINDS))
    first_month = month()
    unit_prices = fields.List(DecimalText(), validate=validate.Length(equal=3))
    holiday_multiplier = DecimalText()
    calls_per_seat_hour = DecimalText()
    ramp_percent = fields.List(DecimalText(), validate=validate.Length(equal=3))
    valid_call_min_seconds = fields.Integer(validate=validate.Range(0, 3600))
    base_monthly_fee = DecimalText()
    coefficients = fields.List(fields.Nested(CoefficientIn), validate=validate.Length(1, 20))

    @validates_schema
    def _one_kind(self, data: dict[str, Any], **_kwargs: Any) -> None:
        other = KIND_FIELDS["base_with_bonus" if data.get("kind") == "per_valid_call" else "per_valid_call"]
        wrong = sorted(other & set(data)) if data.get("kind") in FEE_KINDS else []
        if wrong:
            raise ValidationError({name: [f"not a term of the {data['kind']} fee model"] for name in wrong})


class TermIn(Schema):
    """The contract's term: ``start`` < ``end``; renewed for ``renewal_months`` (0: never) unless notice
    is given ``renewal_notice_days`` days before the end."""

    start = day(required=True)
    end = day(required=True, metadata={"description": "the contract's last day (after start)"})
    renewal_months = whole(0, 120, required=True, metadata={"description": "months of each automatic renewal; 0: none"})
    renewal_notice_days = whole(
        0, 3650, required=True, metadata={"description": "notice to stop a renewal: days before the end"}
    )


class TermOut(Schema):
    start = fields.String(required=True, metadata={"format": "date"})
    end = fields.String(required=True, metadata={"format": "date"})
    renewal_months = fields.Integer(required=True)
    renewal_notice_days = fields.Integer(required=True)
    renewals = fields.Integer(required=True, metadata={"description": "automatic renewals up to today"})
    current_end = fields.String(
        required=True, metadata={"format": "date", "description": "the end after those renewals"}
    )
    notice_by = fields.String(
        allow_none=True,
        metadata={"format": "date", "description": "last day notice stops the next renewal; null: never renewed"},
    )


class ContractIn(Schema):
    kpi_targets = fields.List(fields.Nested(KpiTargetIn), validate=validate.Length(max=20))
    availability = fields.Nested(AvailabilityIn)
    fee_model = fields.Nested(FeeModelIn, required=True)
    vat_percent = DecimalText()
    effective_from = month(metadata={"description": "first month the terms apply to (required for an amendment)"})
    notice_days = fields.Dict(
        keys=fields.String(validate=validate.OneOf(tuple(REQUEST_KINDS))),
        values=fields.Integer(strict=True, validate=validate.Range(1, MAX_WORKING_DAYS)),
        metadata={"description": "request kind → notice period in working days, overriding the defaults"},
    )
    termination_after_failed_months = fields.Integer(
        validate=validate.Range(1, 24),
        metadata={"description": "consecutive failed months giving the customer the right to terminate (default 3)"},
    )
    reason = optional_text(metadata={"description": "why the terms change (required for an amendment)"})
    term = fields.Nested(
        TermIn, metadata={"description": "start, end and renewal (kept by a later amendment without one)"}
    )


class KpiReportIn(Schema):
    period_start = day(required=True)
    period_end = day(required=True)
    figures = fields.Dict(
        keys=fields.String(validate=validate.Length(max=64)),
        values=DecimalText(),
        required=True,
        validate=validate.Length(max=20),
        metadata={"description": "KPI code → the period's figure (percent, or seconds for the two times)"},
    )


class OutageIn(Schema):
    started_at = moment(required=True)
    ended_at = moment(required=True)
    provider_caused = yes_no(required=True)
    cause = text()


class VolumesIn(Schema):
    month = month(required=True)
    valid_calls = fields.Integer(required=True, validate=validate.Range(0, 10**9))
    holiday_valid_calls = fields.Integer(load_default=0, validate=validate.Range(0, 10**9))
    seat_hours = DecimalText(required=True)
    quality_score = DecimalText(allow_none=True, metadata={"description": "0–100; needed under base_with_bonus"})
    reason = optional_text(metadata={"description": "why a month already recorded is corrected"})


class Amendment(Schema):
    effective_from = fields.String(allow_none=True)
    recorded_by = fields.String(required=True)
    recorded_role = fields.String(required=True)
    recorded_at = fields.DateTime(required=True)
    reason = fields.String(required=True)
    terms = fields.Dict(required=True)


class ContractOut(Schema):
    project_id = fields.UUID(required=True)
    in_force = fields.Dict(allow_none=True, metadata={"description": "the terms for the current month"})
    amendments = fields.List(fields.Nested(Amendment), required=True)
    term = fields.Nested(TermOut, allow_none=True, metadata={"description": "the term in force, as of today"})


class KpiLine(Schema):
    kpi = fields.String(required=True)
    target = Number(allow_none=True)
    unit = fields.String(allow_none=True)
    direction = fields.String(allow_none=True)
    within_seconds = fields.Integer(allow_none=True)
    actual = Number(allow_none=True)
    met = fields.Boolean(allow_none=True)


class KpiPeriod(Schema):
    period_start = fields.String(required=True, metadata={"format": "date"})
    period_end = fields.String(required=True, metadata={"format": "date"})
    recorded_by = fields.String()
    recorded_at = fields.DateTime()
    all_met = fields.Boolean(allow_none=True)
    kpis = fields.List(fields.Nested(KpiLine), required=True)


class KpisOut(Schema):
    project_id = fields.UUID(required=True)
    periods = fields.List(fields.Nested(KpiPeriod), required=True)


class TrialKpis(Schema):
    """The trial period's KPI outcome, evidence for the review item "customer-specified requirements"."""

    review_item = fields.String(required=True)
    trial_start = fields.Date(allow_none=True)
    trial_end = fields.Date(allow_none=True)
    all_met = fields.Boolean(allow_none=True, metadata={"description": "null: no KPI report or no targets yet"})
    periods = fields.List(fields.Nested(KpiPeriod), required=True)


class SettlementOut(Schema):
    project_id = fields.UUID(required=True)
    month = fields.String(required=True)
    month_index = fields.Integer(allow_none=True)
    availability_percent = fields.String(required=True)
    outage_minutes = fields.String(required=True)
    tier = fields.String(
        required=True, validate=validate.OneOf(("none", "points", "report_80", "report_50", "refusable"))
    )
    report_required = fields.Boolean(required=True)
    target_valid_calls = fields.Integer(allow_none=True)
    target_met = fields.Boolean(allow_none=True)
    fee = fields.String(required=True)
    bonus = fields.String(required=True)
    deduction = fields.String(required=True)
    net = fields.String(required=True)
    vat = fields.String(required=True)
    total = fields.String(required=True)
    lines = fields.List(fields.String(), required=True)
