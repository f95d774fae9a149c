"""The demo's second, smaller project: an outbound card-renewal campaign in implementation.

The hotline (``demo.hotline``) waits at its trial review, which gives the PM a review to
conclude; this one leaves work for the others a newcomer signs in as: the technology lead has
a ticket in progress, and an alternative plan for the site waits for the branch head's decision.
Recorded through the same commands as the hotline, as the named people would.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from demo.hotline import DIRECTOR, LEADS, PM, SALES
from domain.application import Tracker
from domain.roles import Actor

CODE = "SZ-CARDS-2027"
NAME = "苏州银行信用卡续卡外呼"
CUSTOMER = "苏州某商业银行信用卡中心"
TECH_LEAD = LEADS["technology"]
ADMIN_LEAD = LEADS["administration"]
BRANCH_HEAD = Actor("qian.yu", "branch_head")

SERVICE = {
    "channels": ["outbound"],
    "days_per_week": 5,
    "daily_start": "09:00",
    "daily_end": "17:30",
    "seats": 10,
    "languages": ["Mandarin"],
}
INTAKE_REQUIREMENTS = [
    {"kind": "customer", "text": "800 renewal calls a day; renewal rate ≥ 30 %", "source": "contract"},
    {"kind": "implicit", "text": "calls recorded and kept three months", "source": "requirement_list"},
    {"kind": "legal", "text": "no calls after 20:00; cardholder data kept confidential", "source": "contract"},
]
SOURCES = [
    {"kind": "contract", "reference": "服务合同 HT-2027-009"},
    {"kind": "requirement_list", "reference": "项目需求单 XQ-2027-002"},
]


def requirement(ref: str, title: str, department: str, criteria: list[str]) -> dict:
    return {
        "ref": ref,
        "title": title,
        "department": department,
        "complete_by": date(2026, 12, 23),
        "accept_by": date(2026, 12, 28),
        "acceptance_criteria": criteria,
    }


PLAN = {
    "positions": [
        {
            "title": "outbound agent",
            "headcount": 10,
            "qualifications": "Mandarin, outbound sales experience",
            "duties": "renewal calls",
        },
    ],
    "hardware": ["10 headsets", "10 workstations"],
    "software": ["predictive dialler", "call recording"],
    "manual": {"requirements": "renewal script, do-not-call list, data protection", "due": date(2026, 12, 28)},
    "requirements": [
        requirement(
            "R1", "Predictive dialler and 10 outbound lines", "technology", ["10 seats dial out", "calls recorded"]
        ),
        requirement("R2", "Site with 10 workstations", "administration", ["site handed over", "10 workstations ready"]),
    ],
    "trial_start": date(2027, 1, 4),
    "trial_review": date(2027, 1, 15),
    "go_live": date(2027, 1, 18),
}


def load(tracker: Tracker) -> UUID:
    """Record the campaign into implementation: R1 in progress, R2's alternative escalated."""
    project_id = tracker.register_project(SALES, CODE, NAME, CUSTOMER, SERVICE, INTAKE_REQUIREMENTS, SOURCES).id
    tracker.appoint_project_manager(DIRECTOR, project_id, PM.user, "任命书 RM-2027-003")
    tracker.draft_plan(PM, project_id, PLAN)
    tracker.submit_plan(PM, project_id)
    tracker.review_plan(PM, project_id, ["technology", "administration", "operations"], "approved", "plan agreed")
    tickets = {item["requirement_ref"]: item["id"] for item in tracker.issue_tickets(PM, project_id).data["items"]}
    tracker.start_ticket(TECH_LEAD, tickets["R1"])
    site = tickets["R2"]
    tracker.start_ticket(ADMIN_LEAD, site)
    tracker.flag_risk(ADMIN_LEAD, site, "the landlord delays the handover of the third floor")
    tracker.propose_alternative(
        ADMIN_LEAD, site, "rent 10 seats at the Wuzhong branch for the first month", True, date(2026, 12, 30)
    )
    tracker.confirm_alternative(PM, site, 1, escalate=True)
    return project_id
