"""The whole launch as a list of commands, runnable directly on the Tracker or over HTTP.

Both benchmark clients run exactly this sequence, so their rates compare like for like.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from domain.gates import REVIEW_ITEMS
from domain.roles import Actor

SALES = Actor("wang.fang", "sales")
DIRECTOR = Actor("zhao.min", "operations_director")
PM = Actor("li.lei", "project_manager")
SERVICE_MANAGER = Actor("chen.jing", "service_manager")
BRANCH_HEAD = Actor("qian.yu", "branch_head")
LEADS = {d: Actor(f"lead.{d}", "department_lead", d) for d in ("hr", "technology", "system_maintenance")}
ITEMS = REVIEW_ITEMS

# command name → (HTTP method, path template); {p} project, {t} ticket, {r} review, {n} alternative, {item}
ROUTES = {
    "register_project": ("POST", "/api/projects"),
    "appoint_project_manager": ("POST", "/api/projects/{p}/appointment"),
    "draft_plan": ("PUT", "/api/projects/{p}/plan"),
    "submit_plan": ("POST", "/api/projects/{p}/plan/submission"),
    "review_plan": ("POST", "/api/projects/{p}/plan/review"),
    "issue_tickets": ("POST", "/api/projects/{p}/tickets"),
    "start_ticket": ("POST", "/api/tickets/{t}/start"),
    "submit_ticket": ("POST", "/api/tickets/{t}/submission"),
    "decide_acceptance": ("POST", "/api/tickets/{t}/acceptance"),
    "submit_manual": ("PUT", "/api/projects/{p}/manual"),
    "review_manual": ("POST", "/api/projects/{p}/manual/review"),
    "start_trial": ("POST", "/api/projects/{p}/trial"),
    "file_equipment_report": ("POST", "/api/projects/{p}/trial/equipment-report"),
    "open_trial_review": ("POST", "/api/projects/{p}/reviews"),
    "assess_review_item": ("PUT", "/api/reviews/{r}/items/{item}"),
    "conclude_review": ("POST", "/api/reviews/{r}/conclusion"),
    "decide_after_review": ("POST", "/api/reviews/{r}/decision"),
}

# A client runs one command: (actor, command, path ids, body) → the answer as a dict.
Client = Callable[[Actor, str, dict[str, Any], dict[str, Any]], dict[str, Any]]


def requirement(ref: str, department: str) -> dict[str, Any]:
    return {
        "ref": ref,
        "title": f"requirement {ref}",
        "department": department,
        "complete_by": date(2026, 12, 2),
        "accept_by": date(2026, 12, 4),
        "acceptance_criteria": ["delivered as specified"],
    }


PLAN = {
    "positions": [{"title": "客服代表", "headcount": 25, "qualifications": "普通話", "duties": "接聽來電"}],
    "hardware": ["27 headsets"],
    "software": ["IVR"],
    "manual": {"requirements": "call flow", "due": date(2026, 12, 4)},
    "requirements": [requirement("R1", "hr"), requirement("R2", "technology"), requirement("R3", "system_maintenance")],
    "trial_start": date(2026, 12, 7),
    "trial_review": date(2026, 12, 18),
    "go_live": date(2026, 12, 21),
}
SERVICE = {
    "channels": ["inbound_hotline"],
    "days_per_week": 7,
    "daily_start": "09:00",
    "daily_end": "18:00",
    "seats": 25,
    "languages": ["Mandarin"],
}


STOPS = ("planning", "implementation", "trial_operation", "trial_review", "live")


def launch(run: Client) -> int:
    """Run one launch from intake to live; returns the number of commands sent."""
    return launch_project(run)[1]


def launch_project(run: Client, until: str = "live", pm: Actor = PM) -> tuple[Any, int]:
    """Run one launch up to the phase ``until`` (one of ``STOPS``) with ``pm`` as its PM; returns
    the project's id and the number of commands sent (the pages' benchmark stops launches early)."""
    sent = 0

    def do(actor: Actor, command: str, ids: dict[str, Any] | None = None, **body: Any) -> dict[str, Any]:
        nonlocal sent
        sent += 1
        return run(actor, command, ids or {}, body)

    code = f"BENCH-{uuid.uuid4().hex[:12]}"
    intake = {
        "code": code,
        "name": "上海應急熱線",
        "customer": "上海",
        "service": SERVICE,
        "requirements": [],
        "sources": [],
    }
    p = do(SALES, "register_project", **intake)["id"]
    do(DIRECTOR, "appoint_project_manager", {"p": p}, project_manager=pm.user, letter_reference="RM-1")
    do(pm, "draft_plan", {"p": p}, **PLAN)
    if until == "planning":
        return p, sent
    do(pm, "submit_plan", {"p": p})
    do(pm, "review_plan", {"p": p}, participants=["hr", "technology"], outcome="approved", comments="ok")
    items = do(pm, "issue_tickets", {"p": p})["items"]
    if until == "implementation":
        return p, sent
    for item in items:
        t, lead = item["id"], LEADS[item["department"]]
        do(lead, "start_ticket", {"t": t})
        do(lead, "submit_ticket", {"t": t}, evidence="delivered")
        check = [{"criterion": "delivered as specified", "met": True, "note": ""}]
        do(pm, "decide_acceptance", {"t": t}, outcome="accepted", criteria=check, comments="")
    do(SERVICE_MANAGER, "submit_manual", {"p": p}, document_reference="OM-1", revision_note="first")
    do(pm, "review_manual", {"p": p}, outcome="approved", comments="")
    do(pm, "start_trial", {"p": p}, start=date(2026, 12, 7), planned_end=date(2026, 12, 18))
    do(
        LEADS["system_maintenance"],
        "file_equipment_report",
        {"p": p},
        period_start=date(2026, 12, 7),
        period_end=date(2026, 12, 17),
        summary="no outage",
    )
    if until == "trial_operation":
        return p, sent
    r = do(pm, "open_trial_review", {"p": p}, held_on=date(2026, 12, 18), participants=["operations"])["review_id"]
    for item in ITEMS:
        do(pm, "assess_review_item", {"r": r, "item": item}, met=True, evidence="checked")
    if until == "trial_review":
        return p, sent
    do(pm, "conclude_review", {"r": r}, summary="all met")
    do(BRANCH_HEAD, "decide_after_review", {"r": r}, decision="go_live", go_live_on=date(2026, 12, 21))
    return p, sent


def direct_client(tracker: Any) -> Client:
    """Call the application service in-process, the way the API handlers do."""
    order = {"p": 0, "t": 0, "r": 0, "item": 1, "n": 1}

    def run(actor: Actor, command: str, ids: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        args = [value for _, value in sorted(ids.items(), key=lambda kv: order[kv[0]])]
        if command == "draft_plan":
            body = {"plan": body}
        outcome = getattr(tracker, command)(actor, *args, **body)
        return {"id": outcome.id, "version": outcome.version, "position": outcome.position, **outcome.data}

    return run
