"""The Shanghai emergency hotline of DOMAIN.md: launched, live since 21 December 2026, run to mid-March 2027.

25 seats, inbound, Mandarin, 7 days × 8 h (09:00–18:00). Every step goes through the
application service as the named users would, so the history reads like a real one.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from demo import documents
from demo.contract import record_terms, record_trial_operations
from demo.live import run_live
from domain.application import Tracker
from domain.roles import Actor

CODE = "SH-HOTLINE-2026"

SALES = Actor("wang.fang", "sales")
DIRECTOR = Actor("zhao.min", "operations_director")
PM = Actor("li.lei", "project_manager")
SERVICE_MANAGER = Actor("chen.jing", "service_manager")
LEADS = {
    dept: Actor(user, "department_lead", dept)
    for dept, user in (
        ("hr", "sun.li"),
        ("technology", "zhou.qiang"),
        ("administration", "wu.hong"),
        ("system_maintenance", "zheng.hao"),
    )
}

SERVICE = {
    "channels": ["inbound_hotline"],
    "days_per_week": 7,
    "daily_start": "09:00",
    "daily_end": "18:00",
    "seats": 25,
    "languages": ["Mandarin"],
}
INTAKE_REQUIREMENTS = [
    {
        "kind": "customer",
        "text": "18 valid calls per seat-hour; answer rate ≥ 95 %; 80 % answered within 20 s",
        "source": "contract",
    },
    {"kind": "customer", "text": "customer satisfaction ≥ 90 %; system availability ≥ 98 %", "source": "contract"},
    {
        "kind": "implicit",
        "text": "call recordings kept one month and exportable over FTP",
        "source": "requirement_list",
    },
    {"kind": "legal", "text": "customer data and call recordings kept confidential (保密)", "source": "contract"},
]
SOURCES = [
    {"kind": "tender", "reference": "招標文件 SH-EH-2026-07"},
    {"kind": "contract", "reference": "服務合同 HT-2026-118"},
    {"kind": "requirement_list", "reference": "項目需求單 XQ-2026-031"},
]


def requirement(ref: str, title: str, department: str, criteria: list[str]) -> dict:
    return {
        "ref": ref,
        "title": title,
        "department": department,
        "complete_by": date(2026, 12, 2),
        "accept_by": date(2026, 12, 4),
        "acceptance_criteria": criteria,
    }


PLAN = {
    "positions": [
        {
            "title": "customer service representative",
            "headcount": 25,
            "qualifications": "Mandarin, 6 months hotline experience",
            "duties": "answer inbound calls, log tickets",
        },
        {
            "title": "team leader",
            "headcount": 2,
            "qualifications": "2 years team leading",
            "duties": "shift scheduling, escalations",
        },
        {
            "title": "quality inspector",
            "headcount": 1,
            "qualifications": "QA certificate",
            "duties": "score recorded calls weekly",
        },
    ],
    "hardware": ["27 headsets", "27 IP softphones", "25 workstations"],
    "software": ["inbound/outbound seat licences", "IVR", "call recording with FTP export"],
    "manual": {
        "requirements": "call flow, escalation matrix, emergency scripts, data protection",
        "due": date(2026, 12, 4),
    },
    "requirements": [
        requirement(
            "R1", "Staff: 25 CSRs, 2 team leaders, 1 quality inspector", "hr", ["28 people hired", "training passed"]
        ),
        requirement(
            "R2", "27 headsets, IP softphones and seat licences", "technology", ["27 seats make and take calls"]
        ),
        requirement("R3", "Site and 25 workstations", "administration", ["site handed over", "25 workstations ready"]),
        requirement(
            "R4",
            "IVR flow; recordings kept 1 month with FTP export",
            "system_maintenance",
            ["IVR flow live", "recording exported over FTP"],
        ),
    ],
    "trial_start": date(2026, 12, 7),
    "trial_review": date(2026, 12, 18),
    "go_live": date(2026, 12, 21),
}


LETTER = ("Appointment of the project manager", "Shanghai emergency hotline: li.lei", "signed: zhao.min")
SIGNED = "signed and stamped on site"


def load(tracker: Tracker) -> UUID:
    """Record the hotline from intake through its trial review and first live months; returns the project id."""
    project_id = tracker.register_project(
        SALES,
        CODE,
        "上海應急熱線 Shanghai emergency hotline",
        "上海市應急管理服務中心",
        SERVICE,
        INTAKE_REQUIREMENTS,
        SOURCES,
    ).id
    record_terms(tracker, SALES, project_id)
    letter = documents.upload(tracker, DIRECTOR, "任命書 RM-2026-045.pdf", documents.pdf("RM-2026-045", LETTER))
    tracker.appoint_project_manager(DIRECTOR, project_id, PM.user, "任命書 RM-2026-045", letter)
    tracker.draft_plan(PM, project_id, PLAN)
    tracker.submit_plan(PM, project_id)
    tracker.review_plan(
        PM,
        project_id,
        ["hr", "technology", "administration", "system_maintenance", "operations"],
        "approved",
        "plan agreed with all departments",
    )
    issued = tracker.issue_tickets(PM, project_id).data["items"]
    tracker.hold_meeting(
        PM,
        project_id,
        date(2026, 11, 25),
        ["hr", "technology", "administration", "system_maintenance"],
        ["weekly stand-up on Wednesdays", "FTP account requested from customer"],
    )
    for item in issued:
        lead, ticket_id = LEADS[item["department"]], item["id"]
        tracker.start_ticket(lead, ticket_id)
        criteria = tracker.load_ticket(ticket_id).acceptance_criteria
        ref = item["requirement_ref"]
        record = documents.upload(
            tracker, lead, f"交付記錄 {ref}.pdf", documents.pdf(f"Delivery record {ref}", (f"ticket {ref}", SIGNED))
        )
        tracker.submit_ticket(lead, ticket_id, f"delivery record for {ref}", record)
        tracker.decide_acceptance(
            PM,
            ticket_id,
            "accepted",
            [{"criterion": c, "met": True, "note": "checked on site"} for c in criteria],
            "accepted",
        )
    tracker.submit_manual(SERVICE_MANAGER, project_id, "運營手冊 v1 OM-SH-01", "first issue")
    tracker.review_manual(PM, project_id, "approved", "complete")
    tracker.start_trial(PM, project_id, date(2026, 12, 7), date(2026, 12, 18))
    tracker.record_process_audit(
        SERVICE_MANAGER, project_id, date(2026, 12, 11), ["two calls without greeting script"], False
    )
    tracker.relay_customer_feedback(SALES, project_id, date(2026, 12, 14), "customer pleased with answer times")
    tracker.record_improvement(
        PM, project_id, "greeting script skipped", "refresher training for shift B", "operations", date(2026, 12, 16)
    )
    record_trial_operations(tracker, SERVICE_MANAGER, LEADS["system_maintenance"], project_id)
    maintenance = LEADS["system_maintenance"]
    photo = documents.upload(tracker, maintenance, "機房 2026-12-17.png", documents.png())
    tracker.file_equipment_report(
        maintenance,
        project_id,
        date(2026, 12, 7),
        date(2026, 12, 17),
        "one 25-minute outage on 12-10 (switch restart); recordings exported daily",
        photo,
    )
    review_id = tracker.open_trial_review(
        PM, project_id, date(2026, 12, 18), ["operations", "technology", "hr", "administration", "system_maintenance"]
    ).data["review_id"]
    run_live(tracker, project_id, review_id, PM, SALES, SERVICE_MANAGER, LEADS["system_maintenance"])
    return project_id
