"""The launch procedure through the application's commands: actors, sample data and ``advance_to(phase)``.

Tests read like the workflow: ``project = launch.advance_to("implementation")``; ``bench/audit.py``
builds its long project with it too (so it lives in the product, imported by both).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from domain.application import Tracker
from domain.gates import REVIEW_ITEMS
from domain.roles import Actor

SALES = Actor("wang.fang", "sales")
DIRECTOR = Actor("zhao.min", "operations_director")
PM = Actor("li.lei", "project_manager")
OTHER_PM = Actor("han.mei", "project_manager")
SERVICE_MANAGER = Actor("chen.jing", "service_manager")
BRANCH_HEAD = Actor("qian.yu", "branch_head")
AUDITOR = Actor("he.ping", "auditor")
HR_LEAD = Actor("sun.li", "department_lead", "hr")
TECH_LEAD = Actor("zhou.qiang", "department_lead", "technology")
ADMIN_LEAD = Actor("wu.hong", "department_lead", "administration")
SYSMAINT_LEAD = Actor("zheng.hao", "department_lead", "system_maintenance")
OPS_LEAD = Actor("ma.jun", "department_lead", "operations")
SALES_LEAD = Actor("lin.na", "department_lead", "sales")
LEADS = {a.department: a for a in (HR_LEAD, TECH_LEAD, ADMIN_LEAD, SYSMAINT_LEAD, OPS_LEAD)}
EVERYONE = (SALES, DIRECTOR, PM, OTHER_PM, SERVICE_MANAGER, BRANCH_HEAD, AUDITOR, HR_LEAD, TECH_LEAD, SYSMAINT_LEAD)

SERVICE = {
    "channels": ["inbound_hotline"],
    "days_per_week": 7,
    "daily_start": "09:00",
    "daily_end": "18:00",
    "seats": 25,
    "languages": ["Mandarin"],
}
REQUIREMENTS = [
    {"kind": "customer", "text": "answer rate ≥ 95 %", "source": "contract"},
    {"kind": "implicit", "text": "recordings kept one month", "source": "requirement_list"},
    {"kind": "legal", "text": "customer data kept confidential", "source": "contract"},
]
SOURCES = [{"kind": "contract", "reference": "服務合同 HT-2026-118"}]


def requirement(ref: str, department: str, criteria: tuple[str, ...] = ("works as specified",), **dates: date) -> dict:
    return {
        "ref": ref,
        "title": f"requirement {ref}",
        "department": department,
        "complete_by": dates.get("complete_by", date(2026, 12, 2)),
        "accept_by": dates.get("accept_by", date(2026, 12, 4)),
        "acceptance_criteria": list(criteria),
    }


def plan(*requirements: dict, **overrides: Any) -> dict:
    """A valid plan draft; by default two requirements (R1 hr, R2 technology)."""
    content = {
        "positions": [
            {
                "title": "customer service representative",
                "headcount": 25,
                "qualifications": "Mandarin",
                "duties": "answer calls",
            },
            {"title": "team leader", "headcount": 2, "qualifications": "2 years", "duties": "shifts"},
        ],
        "hardware": ["27 headsets"],
        "software": ["IVR"],
        "manual": {"requirements": "call flow and scripts", "due": date(2026, 12, 4)},
        "requirements": list(requirements)
        or [requirement("R1", "hr", ("28 people hired", "training passed")), requirement("R2", "technology")],
        "trial_start": date(2026, 12, 7),
        "trial_review": date(2026, 12, 18),
        "go_live": date(2026, 12, 21),
    }
    content.update(overrides)
    return content


def all_met(ticket) -> list[dict]:
    return [{"criterion": c, "met": True, "note": "checked"} for c in ticket.acceptance_criteria]


PHASE_ORDER = (
    "intake",
    "planning",
    "plan_review",
    "implementation",
    "trial_operation",
    "trial_review",
    "live",
    "terminating",
    "closed",
)
NOTICE_ON, EFFECTIVE_ON = date(2027, 1, 4), date(2027, 3, 31)
"""The customer's termination notice in the happy path, and the day it takes effect."""
HANDOVER_LEADS = {
    "customer_data_returned": TECH_LEAD,
    "recordings_returned": SYSMAINT_LEAD,
    "access_revoked": TECH_LEAD,
    "staff_released": HR_LEAD,
    "final_settlement": SALES_LEAD,
}


@dataclass
class Launch:
    """One project being launched through ``tracker``, step by step."""

    tracker: Tracker
    code: str = "SH-HOTLINE"
    project_id: UUID | None = None
    tickets: dict[str, UUID] = field(default_factory=dict)
    review_id: UUID | None = None

    @property
    def project(self):
        return self.tracker.load_project(self.project_id)

    def ticket(self, ref: str):
        return self.tracker.load_ticket(self.tickets[ref])

    @property
    def review(self):
        return self.tracker.load_review(self.review_id)

    def register(self) -> Launch:
        self.project_id = self.tracker.register_project(
            SALES, self.code, "上海應急熱線", "上海市應急管理服務中心", SERVICE, REQUIREMENTS, SOURCES
        ).id
        return self

    def appoint(self) -> Launch:
        self.tracker.appoint_project_manager(DIRECTOR, self.project_id, PM.user, "任命書 RM-2026-045")
        return self

    def draft(self, content: dict | None = None) -> Launch:
        self.tracker.draft_plan(PM, self.project_id, content or plan())
        return self

    def submit_plan(self) -> Launch:
        self.tracker.submit_plan(PM, self.project_id)
        return self

    def approve_plan(self) -> Launch:
        self.tracker.review_plan(PM, self.project_id, ["hr", "technology"], "approved", "agreed")
        return self

    def issue_tickets(self, refs: list[str] | None = None) -> Launch:
        for item in self.tracker.issue_tickets(PM, self.project_id, refs).data["items"]:
            self.tickets[item["requirement_ref"]] = item["id"]
        return self

    def deliver(self, ref: str) -> Launch:
        """Start (if needed), submit and accept one ticket."""
        ticket = self.ticket(ref)
        lead = LEADS[ticket.department]
        if ticket.state == "issued":
            self.tracker.start_ticket(lead, ticket.id)
        self.tracker.submit_ticket(lead, ticket.id, "delivery record")
        self.tracker.decide_acceptance(PM, ticket.id, "accepted", all_met(ticket), "ok")
        return self

    def approve_manual(self) -> Launch:
        self.tracker.submit_manual(SERVICE_MANAGER, self.project_id, "OM-SH-01", "first issue")
        self.tracker.review_manual(PM, self.project_id, "approved", "complete")
        return self

    def start_trial(self) -> Launch:
        self.tracker.start_trial(PM, self.project_id, date(2026, 12, 7), date(2026, 12, 18))
        return self

    def file_equipment_report(self, end: date = date(2026, 12, 17)) -> Launch:
        self.tracker.file_equipment_report(SYSMAINT_LEAD, self.project_id, date(2026, 12, 7), end, "no outage")
        return self

    def open_review(self, held_on: date = date(2026, 12, 18)) -> Launch:
        self.review_id = self.tracker.open_trial_review(
            PM, self.project_id, held_on, ["operations", "technology"]
        ).data["review_id"]
        return self

    def assess_all(self, unmet: tuple[str, ...] = ()) -> Launch:
        for item in REVIEW_ITEMS:
            self.tracker.assess_review_item(PM, self.review_id, item, item not in unmet, f"evidence for {item}")
        return self

    def conclude(self) -> str:
        return self.tracker.conclude_review(PM, self.review_id, "trial summary").data["outcome"]

    def go_live(self, on: date = date(2026, 12, 21)) -> Launch:
        self.tracker.decide_after_review(BRANCH_HEAD, self.review_id, "go_live", go_live_on=on)
        return self

    def terminate(self, notice_on: date = NOTICE_ON, effective_on: date = EFFECTIVE_ON) -> Launch:
        self.tracker.record_termination(SALES, self.project_id, "customer", "expiry", notice_on, effective_on)
        return self

    def hand_over(self, *items: str) -> Launch:
        """The given handover items done by their leads (all of them when none is named)."""
        for item in items or HANDOVER_LEADS:
            self.tracker.record_handover(HANDOVER_LEADS[item], self.project_id, item, f"signed receipt for {item}")
        return self

    def close(self, today: date = EFFECTIVE_ON) -> Launch:
        self.tracker.close_project(PM, self.project_id, "service handed back", today=today)
        return self

    def advance_to(self, phase: str) -> Launch:
        """Run the happy path until the project is in ``phase``."""
        steps = {
            "intake": [self.register],
            "planning": [self.appoint],
            "plan_review": [self.draft, self.submit_plan],
            "implementation": [self.approve_plan],
            "trial_operation": [
                self.issue_tickets,
                lambda: [self.deliver(ref) for ref in list(self.tickets)],
                self.approve_manual,
                self.start_trial,
            ],
            "trial_review": [self.file_equipment_report, self.open_review],
            "live": [self.assess_all, self.conclude, self.go_live],
            "terminating": [self.terminate],
            "closed": [self.hand_over, self.close],
        }
        for name in PHASE_ORDER[: PHASE_ORDER.index(phase) + 1]:
            for step in steps[name]:
                step()
        assert self.project.phase == phase
        return self


def stored(tracker: Tracker, aggregate_id: UUID) -> list:
    """The aggregate's stored events as (version, topic, state) — to prove a refusal changed nothing."""
    return [(e.originator_version, e.topic, e.state) for e in tracker.recorder.select_events(aggregate_id)]
