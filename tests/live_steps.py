"""The steps that make sense on a live or terminating project, for the rebuild property test: monthly
KPI reports passing or failing, rectifications through their four steps, customer requests and their
fulfilment, improvement measures done, verified or reopened, audits and feedback while live, the
termination notice, the handover items and the closure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from demo.workflow import DIRECTOR, HANDOVER_LEADS, LEADS, SALES, SERVICE_MANAGER
from domain.application import Tracker
from domain.assessments import month_bounds
from domain.loops import AWAITING_OWNER, DONE
from domain.project import Project
from domain.request_kinds import REQUEST_KINDS
from domain.request_records import OPEN

Step = tuple[str, Callable[[], Any]]
MONTHS = ("2026-12", "2027-01", "2027-02", "2027-03", "2027-04", "2027-05")
MET = {"answer_rate": "96.5", "service_level": "84", "customer_satisfaction": "92", "average_handle_time": "290"}
MISSED = {**MET, "answer_rate": "91.2"}
KINDS = tuple(REQUEST_KINDS)
NEXT_RECTIFICATION = {"notified": "plan", "planned": "complete", "completed": "close"}
BACKWARD = {"fail", "reopen", "terminate", "provider"}
"""First words of the steps a forward move never takes (they happen in random moves)."""


def live_steps(t: Tracker, project: Project, pm: Any) -> list[Step]:
    """The steps of a live or terminating project, forward ones first (each offered only while it has
    something left to do, so forward moves run on to the termination notice, the handover and closure;
    a terminating project's handover comes first, its rectifications and requests go on beside it)."""
    pid, reported = project.id, len(project.kpi_reports)
    live = project.phase == "live"
    steps = month_steps(t, project) if live and reported < 3 else []
    if project.phase == "terminating":
        for item in project.termination.missing():
            lead = HANDOVER_LEADS[item]
            steps.append((f"handover {item}", lambda i=item, lead=lead: t.record_handover(lead, pid, i, "receipt")))
        steps.append(("close", lambda: t.close_project(pm, pid, "handed back", today=date(2027, 6, 30))))
    steps += loop_steps(t, project, pm) + rectification_steps(t, project, pm)
    for request in project.requests:
        if request.state == OPEN:
            lead = LEADS[request.owner_department]
            steps.append((f"fulfil request {request.n}", lambda n=request.n, lead=lead: fulfil(t, lead, pid, n)))
    if len(project.requests) < 2:
        made = len(project.requests)
        kind, received = KINDS[made % len(KINDS)], date(2027, 1, 4) + timedelta(9 * made)
        steps.append((f"request {kind}", lambda: t.record_customer_request(SALES, pid, kind, received, "notice", "函")))
    if live:
        steps += (month_steps(t, project) if reported >= 3 else []) + ending_steps(t, project, pm)
    return steps


def fulfil(t: Tracker, lead: Any, pid: Any, n: int) -> Any:
    return t.fulfil_customer_request(lead, pid, n, "done as asked")


def month_steps(t: Tracker, project: Project) -> list[Step]:
    """The next month's KPI report (of six), every target met or (at random) the answer rate missed."""
    reported = len(project.kpi_reports)
    if reported >= len(MONTHS):
        return []
    month = MONTHS[reported]
    first, last = month_bounds(month)
    return [
        (f"kpi met {month}", lambda: t.record_kpi_report(SERVICE_MANAGER, project.id, first, last, MET)),
        (f"fail kpi {month}", lambda: t.record_kpi_report(SERVICE_MANAGER, project.id, first, last, MISSED)),
    ]


def ending_steps(t: Tracker, project: Project, pm: Any) -> list[Step]:
    """The notices that end the live service (the customer's once the six months are reported, at random
    after three), then the records the live phase keeps (improvements, audits, feedback: refused while
    the domain keeps them to the trial)."""
    pid, reported = project.id, len(project.kpi_reports)
    customer = (date(2027, 3, 1), date(2027, 4, 30))
    steps: list[Step] = []
    if reported >= len(MONTHS):
        steps.append(("expiry notice", lambda: t.record_termination(SALES, pid, "customer", "expiry", *customer)))
    if reported >= 3:
        provider = (date(2027, 2, 1), date(2027, 5, 31))
        steps += [
            ("terminate", lambda: t.record_termination(SALES, pid, "customer", "kpi_failures", *customer)),
            ("provider notice", lambda: t.record_termination(DIRECTOR, pid, "provider", "convenience", *provider)),
        ]
    if len(project.trial.improvements if project.trial else []) < 3:
        steps.append(
            ("live improvement", lambda: t.record_improvement(pm, pid, "queue", "more agents", "hr", date(2027, 2, 1)))
        )
    steps += [
        ("live audit", lambda: t.record_process_audit(SERVICE_MANAGER, pid, date(2027, 1, 12), ["no script"], False)),
        ("live feedback", lambda: t.relay_customer_feedback(SALES, pid, date(2027, 1, 14), "callers wait")),
    ]
    return steps


def loop_steps(t: Tracker, project: Project, pm: Any) -> list[Step]:
    """Each measure awaiting its owner done by that department's lead; each done one verified or reopened."""
    pid, steps = project.id, []
    for entry in project.trial.improvements if project.trial else []:
        n = entry.n
        if entry.state in AWAITING_OWNER:
            lead = LEADS[entry.owner_department]
            steps.append(
                (f"complete improvement {n}", lambda n=n, lead=lead: t.complete_improvement(lead, pid, n, "ok"))
            )
        elif entry.state == DONE:
            steps += [
                (f"verify improvement {n}", lambda n=n: t.verify_improvement(pm, pid, n, True, "effective")),
                (
                    f"reopen improvement {n}",
                    lambda n=n: t.verify_improvement(pm, pid, n, False, "again", new_due=date(2027, 3, 1)),
                ),
            ]
    return steps


def corrective_steps(t: Tracker, project: Project, pm: Any) -> list[Step]:
    """Each corrective action of a failed review done by its owner department's lead, then verified or reopened."""
    steps: list[Step] = []
    for record in project.reviews:
        if record["outcome"] != "failed":
            continue
        rid = record["review_id"]
        for entry in t.load_review(rid).nonconformities:
            n, lead = entry.n, LEADS[entry.owner_department]
            if entry.state in AWAITING_OWNER:
                steps.append(
                    (f"complete action {n}", lambda r=rid, n=n, a=lead: t.complete_corrective_action(a, r, n, "fixed"))
                )
            elif entry.state == DONE:
                steps += [
                    (f"verify action {n}", lambda r=rid, n=n: t.verify_corrective_action(pm, r, n, True, "effective")),
                    (
                        f"reopen action {n}",
                        lambda r=rid, n=n: t.verify_corrective_action(pm, r, n, False, "not yet", date(2027, 1, 8)),
                    ),
                ]
    return steps


def rectification_steps(t: Tracker, project: Project, pm: Any) -> list[Step]:
    """The customer's notice for a month not yet noticed, and the next step of each open rectification."""
    pid, steps = project.id, []
    noticed = {entry["month"] for entry in project.rectifications}
    failed = [m for m in MONTHS if any(_covers(r, m) and _missed(r) for r in project.kpi_reports)]
    missing = [m for m in MONTHS if not any(_covers(r, m) for r in project.kpi_reports)]
    for month in sorted({*failed[:1], *missing[:1]} - noticed):
        received = month_bounds(month)[1] + timedelta(3)
        notice = (
            f"rectification notice {month}",
            lambda m=month, on=received: t.notify_rectification(SALES, pid, m, "整改", on),
        )
        steps.append(notice)
    for entry in project.rectifications:
        n, step = entry["n"], NEXT_RECTIFICATION.get(entry["state"])
        if step == "plan":
            steps.append((f"plan rectification {n}", lambda n=n: t.plan_rectification(pm, pid, n, ["more agents"])))
        elif step == "complete":
            steps.append(
                (f"complete rectification {n}", lambda n=n: t.complete_rectification(SERVICE_MANAGER, pid, n, "rota"))
            )
        elif step == "close":
            steps.append((f"close rectification {n}", lambda n=n: t.close_rectification(pm, pid, n, "on target")))
    return steps


def _missed(report: Any) -> bool:
    return report["figures"].get("answer_rate") == MISSED["answer_rate"]


def _covers(report: Any, month: str) -> bool:
    first, last = month_bounds(month)
    return report["period_start"] <= last and report["period_end"] >= first
