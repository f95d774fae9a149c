"""The reading-rights table (DOMAIN.md "Who may read what"), on its own."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from demo.workflow import (
    AUDITOR,
    BRANCH_HEAD,
    DIRECTOR,
    HR_LEAD,
    OTHER_PM,
    PM,
    SALES,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    TECH_LEAD,
)
from domain import reading_rights
from domain.errors import NotAllowed
from domain.reading_rights import EVENT_KINDS, READERS, departments_read, may_read, require_read

PROJECT = SimpleNamespace(project_manager=PM.user)
EVERYONE = (SALES, DIRECTOR, PM, OTHER_PM, SERVICE_MANAGER, BRANCH_HEAD, AUDITOR, HR_LEAD, TECH_LEAD, SYSMAINT_LEAD)


def readers(kind: str, department: str | None = None) -> set[str]:
    return {a.user for a in EVERYONE if may_read(a, kind, PROJECT, department)}


def test_commercial_figures_are_for_sales_the_appointed_pm_the_director_the_branch_head_and_the_auditor():
    for kind in ("contract_terms", "volumes", "settlements"):
        assert readers(kind) == {a.user for a in (SALES, PM, DIRECTOR, BRANCH_HEAD, AUDITOR)}, kind


def test_operational_figures_add_the_service_manager_and_the_system_maintenance_lead():
    for kind in ("kpi_reports", "assessments", "outages", "availability"):
        assert readers(kind) == {
            a.user for a in (SALES, PM, DIRECTOR, BRANCH_HEAD, AUDITOR, SERVICE_MANAGER, SYSMAINT_LEAD)
        }


def test_a_lead_reads_their_own_departments_tickets_requests_and_handover_items_and_every_other_role_all():
    for kind in ("tickets", "requests", "handover_items"):
        assert readers(kind, "hr") == {a.user for a in EVERYONE if a not in (TECH_LEAD, SYSMAINT_LEAD)}
        assert departments_read(HR_LEAD, kind) == {"hr"}
        assert departments_read(OTHER_PM, kind) is None


def test_the_audit_log_readers_read_every_kind_so_the_audit_log_needs_no_redaction():
    for kind in READERS:
        assert may_read(AUDITOR, kind, PROJECT) and may_read(DIRECTOR, kind, PROJECT), kind


def test_every_event_carrying_figures_names_a_kind_of_the_table():
    assert set(EVENT_KINDS.values()) <= set(READERS)
    assert set(reading_rights.WHAT) == set(READERS)


@pytest.mark.parametrize(
    ("actor", "kind", "says"),
    [
        (OTHER_PM, "contract_terms", "not the appointed project manager"),
        (TECH_LEAD, "tickets", "reads only their own department's tickets, not those of hr"),
        (SERVICE_MANAGER, "settlements", "a service_manager may not read settlements"),
    ],
)
def test_a_refusal_says_why_and_who_may_read(actor, kind, says):
    with pytest.raises(NotAllowed) as refused:
        require_read(actor, kind, PROJECT, "hr")
    assert says in refused.value.message
    assert refused.value.details["step"] == f"read_{kind}" and refused.value.details["readers"]
