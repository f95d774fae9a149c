"""The hotline's first live months: the trial review passed, go-live on 21 December 2026, then
December passed, January failed (answer rate 93.1 % against 95 %) with the customer's rectification
notice carried through its four steps, February passed, a seat change fulfilled and an extra
training still open — so the assessment, rectification, request and board pages have something to show.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from uuid import UUID

from domain.application import Tracker
from domain.gates import REVIEW_ITEMS
from domain.roles import Actor

BEIJING = timezone(timedelta(hours=8))
BRANCH_HEAD = Actor("qian.yu", "branch_head")
OPS_LEAD = Actor("ma.jun", "department_lead", "operations")
GO_LIVE = date(2026, 12, 21)
LIVE_MONTHS = [
    (date(2026, 12, 21), date(2026, 12, 31), ("96.1", "83.0", "92.4")),
    (date(2027, 1, 1), date(2027, 1, 31), ("93.1", "76.5", "90.2")),
    (date(2027, 2, 1), date(2027, 2, 28), ("96.8", "85.2", "93.5")),
]
"""Monthly KPI reports (answer rate, service level, satisfaction): December passed, January failed, February passed."""
KPIS = ("answer_rate", "service_level", "customer_satisfaction")
VOLUMES = [("2026-12", 9800, 0, "1100"), ("2027-01", 31500, 2100, "4650"), ("2027-02", 27900, 3900, "4200")]
"""(month, valid calls, of them on holidays, seat-hours) for the settlements."""
SEAT_CHANGE_ON, TRAINING_ON = date(2027, 2, 15), date(2027, 3, 12)
LAST_DAY = TRAINING_ON
"""The last day these months record something as having happened (the open extra-training request)."""


def run_live(
    tracker: Tracker, project_id: UUID, review_id: UUID, pm: Actor, sales: Actor, service_manager: Actor, it: Actor
) -> None:
    """From the opened trial review through go-live to mid-March 2027."""
    for item in REVIEW_ITEMS:
        tracker.assess_review_item(pm, review_id, item, True, f"trial records checked for {item}")
    tracker.conclude_review(pm, review_id, "two trial weeks on target; one short outage explained")
    tracker.decide_after_review(BRANCH_HEAD, review_id, "go_live", go_live_on=GO_LIVE)
    tracker.complete_improvement(OPS_LEAD, project_id, 1, "shift B refresher held 12-15, sign-in sheet")
    tracker.verify_improvement(pm, project_id, 1, True, "no skipped greeting in the 12-18 sample")
    for start, end, figures in LIVE_MONTHS:
        tracker.record_kpi_report(service_manager, project_id, start, end, dict(zip(KPIS, figures, strict=True)))
    for month, calls, holiday_calls, seat_hours in VOLUMES:
        tracker.record_volumes(service_manager, project_id, month, calls, holiday_calls, seat_hours, 92)
    tracker.record_outage(
        it,
        project_id,
        datetime(2027, 1, 19, 10, 0, tzinfo=BEIJING),
        datetime(2027, 1, 19, 11, 40, tzinfo=BEIJING),
        True,
        "IVR 語音平台故障 IVR platform failure",
    )
    rectify_january(tracker, project_id, pm, sales, service_manager)
    seat = tracker.record_customer_request(
        sales, project_id, "seat_change", SEAT_CHANGE_ON, "5 more seats from 1 March", "函 SH-EH-2027-021"
    ).data["request"]
    tracker.fulfil_customer_request(OPS_LEAD, project_id, seat, "30 seats staffed and logged in on 02-24")
    tracker.record_customer_request(
        sales, project_id, "extra_training", TRAINING_ON, "new flood-season script for all agents", "函 SH-EH-2027-034"
    )


def rectify_january(tracker: Tracker, project_id: UUID, pm: Actor, sales: Actor, service_manager: Actor) -> None:
    """The customer's rectification notice for the failed January, planned, completed and closed."""
    n = tracker.notify_rectification(sales, project_id, "2027-01", "整改通知 ZG-2027-003", date(2027, 2, 3)).data[
        "rectification"
    ]
    tracker.plan_rectification(
        pm, project_id, n, ["6 agents added to the 09:00–11:00 peak", "IVR failover tested weekly"]
    )
    tracker.complete_rectification(service_manager, project_id, n, "rota of 02-08 and failover test log")
    tracker.close_rectification(pm, project_id, n, "February answer rate 96.8 %: back on target")
