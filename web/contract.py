"""合同 / Contract: the terms in force and every recording of them, the KPI targets against each
reported period as a chart, the month-by-month assessments with the termination right and the
rectifications, the system availability per month and each month's settlement.

Read through the API's own views (``projections.contract``, ``kpis``, ``settlements``). Each section
is shown to those who may read its kind of figures (``domain.reading_rights``): the terms and the
settlements are commercial, the KPIs and the availability operational (the service manager and
the system-maintenance lead read those, without the fee deduction); a reader of neither gets 403.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from flask import g, render_template
from flask_babel import get_locale

from domain import reading_rights
from domain.availability import month_availability
from domain.contract import month_of, terms_for_month
from domain.errors import NotFound, RuleViolated
from projections import contract as contract_view
from projections import kpis, settlements
from projections.assessments import assessment_view
from projections.contract import recorded_terms
from web import ending
from web.blueprint import bp
from web.chart import kpi_charts
from web.home import views

MAX_MONTHS = 36


SECTIONS = ("contract_terms", "kpi_reports", "assessments", "availability", "settlements")


def readable_sections(project: Any) -> set[str]:
    """The page's sections the signed-in person may read (kinds of ``domain.reading_rights``)."""
    if g.get("person") is None:
        return set()
    return {kind for kind in SECTIONS if reading_rights.may_read(g.person.actor, kind, project)}


def may_read_contract(project: Any) -> bool:
    """Whether the page shows the person anything (the project page links to it only then)."""
    return bool(readable_sections(project))


def months(project: Any, today_month: str) -> list[str]:
    """The months something was recorded for (volumes, outages, the fee model's first month), to this month."""
    found = {v["month"] for v in project.volumes}
    found |= {str(o["started_at"])[:7] for o in project.outages}
    for terms in recorded_terms(project):
        first = (terms.get("fee_model") or {}).get("first_month")
        if first:
            found.add(first)
    if not found:
        return []
    month, wanted = min(found), []
    while month <= today_month and len(wanted) < MAX_MONTHS:
        wanted.append(month)
        year, number = int(month[:4]), int(month[5:])
        month = f"{year + number // 12:04d}-{number % 12 + 1:02d}"
    return wanted


def availability(project: Any, month: str) -> dict[str, Any] | None:
    terms = terms_for_month(recorded_terms(project), month)
    sla = (terms or {}).get("availability")
    if not sla:
        return None
    return month_availability(project.outages, month, sla["target_percent"], sla.get("count_partial_points", False))


MONEY = ("fee", "bonus", "deduction", "net", "vat", "total")


def settlement(project_id: UUID, month: str) -> dict[str, Any] | None:
    """The month's settlement as the API shows it (money as ``Decimal`` for the ``money`` filter);
    None for a month with no volumes or not settleable."""
    try:
        found = settlements.settlement_view(views().reader, project_id, month)
    except (RuleViolated, NotFound):
        return None
    return {**found, **{name: Decimal(found[name]) for name in MONEY if found.get(name) is not None}}


@bp.route("/projects/<uuid:project_id>/contract")
def contract(project_id: UUID):  # type: ignore[no-untyped-def]
    project = views().reader.one("project", project_id)
    shown = readable_sections(project)
    if not shown:
        return render_template("message.html", message_key="forbidden"), 403
    today_month = month_of(views().today())
    wanted = months(project, today_month)
    terms = contract_view.contract_view(views().reader, project_id, views().today())
    return render_template(
        "contract.html",
        project=project,
        terms=terms if "contract_terms" in shown else None,
        charts=kpi_charts(kpis.kpi_view(views().reader, project_id)["periods"]) if "kpi_reports" in shown else None,
        availability=[a for a in (availability(project, m) for m in wanted) if a] if "availability" in shown else None,
        settlements=[s for s in (settlement(project_id, m) for m in wanted) if s] if "settlements" in shown else None,
        assessments=assessment_view(project, views().today(), views().reader.working_days())
        if "assessments" in shown
        else None,
        money="contract_terms" in shown,
        english=get_locale().language == "en",
        term=ending.term_now(project) if "contract_terms" in shown else None,
    )
