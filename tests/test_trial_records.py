"""Records kept during the trial (DOMAIN.md §9): process audits, customer feedback,
improvement measures and the equipment operation report (設備運行情況報告)."""

from __future__ import annotations

from datetime import date

import pytest

from demo.workflow import (
    ADMIN_LEAD,
    AUDITOR,
    BRANCH_HEAD,
    DIRECTOR,
    HR_LEAD,
    OPS_LEAD,
    OTHER_PM,
    PM,
    SALES,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    TECH_LEAD,
    Launch,
    stored,
)
from domain.errors import InvalidInput, InvalidTransition, NotAllowed
from tests.trial_helpers import concluded, event_types, last_event, record_audit, record_improvement


@pytest.fixture
def launch(tracker):
    return Launch(tracker).advance_to("trial_operation")


def _who(event):
    return (event.actor, event.role, event.actor_department)


# --- the records ------------------------------------------------------------------


def test_service_manager_records_process_audits_with_findings(tracker, launch):
    record_audit(tracker, launch)
    record_audit(tracker, launch, held_on=date(2026, 12, 11), findings=["greeting skipped"], conforming=False)

    audits = launch.project.trial["audits"]
    assert [(a["held_on"], a["findings"], a["conforming"]) for a in audits] == [
        (date(2026, 12, 10), ["scripts followed"], True),
        (date(2026, 12, 11), ["greeting skipped"], False),
    ]
    assert audits[1]["recorded_by"] == SERVICE_MANAGER.user
    event = last_event(tracker, launch.project_id)
    assert type(event).__name__ == "ProcessAuditRecorded"
    assert _who(event) == (SERVICE_MANAGER.user, "service_manager", None)
    assert launch.project.phase == "trial_operation"


def test_sales_relays_customer_feedback(tracker, launch):
    tracker.relay_customer_feedback(SALES, launch.project_id, date(2026, 12, 9), "客戶反映等待時間過長")

    feedback = launch.project.trial["feedback"]
    assert [(f["received_on"], f["summary"], f["recorded_by"]) for f in feedback] == [
        (date(2026, 12, 9), "客戶反映等待時間過長", SALES.user)
    ]
    event = last_event(tracker, launch.project_id)
    assert type(event).__name__ == "CustomerFeedbackRelayed"
    assert _who(event) == (SALES.user, "sales", None)


def test_pm_records_improvement_measures(tracker, launch):
    record_improvement(tracker, launch)

    (improvement,) = launch.project.trial["improvements"]
    assert improvement["measure"] == "two more seats on the morning shift"
    assert (improvement["owner_department"], improvement["due"]) == ("operations", date(2026, 12, 14))
    event = last_event(tracker, launch.project_id)
    assert type(event).__name__ == "ImprovementRecorded"
    assert _who(event) == (PM.user, "project_manager", None)
    assert event.problem == "long queues at 09:00"


def test_system_maintenance_lead_files_equipment_report(tracker, launch):
    tracker.file_equipment_report(SYSMAINT_LEAD, launch.project_id, date(2026, 12, 7), date(2026, 12, 17), "no outage")

    (report,) = launch.project.trial["equipment_reports"]
    assert (report["period_start"], report["period_end"], report["summary"]) == (
        date(2026, 12, 7),
        date(2026, 12, 17),
        "no outage",
    )
    event = last_event(tracker, launch.project_id)
    assert type(event).__name__ == "EquipmentReportFiled"
    assert _who(event) == (SYSMAINT_LEAD.user, "department_lead", "system_maintenance")


def test_records_are_still_kept_while_the_review_is_open(tracker):
    launch = Launch(tracker).advance_to("trial_review")

    record_audit(tracker, launch)
    tracker.relay_customer_feedback(SALES, launch.project_id, date(2026, 12, 18), "satisfied")
    record_improvement(tracker, launch)
    launch.file_equipment_report(end=date(2026, 12, 18))

    assert event_types(tracker, launch.project_id)[-4:] == [
        "ProcessAuditRecorded",
        "CustomerFeedbackRelayed",
        "ImprovementRecorded",
        "EquipmentReportFiled",
    ]
    assert launch.project.phase == "trial_review"


# --- refusals ---------------------------------------------------------------------

RECORDS = {
    "record_process_audit": lambda tracker, launch, actor: record_audit(tracker, launch, actor),
    "relay_customer_feedback": lambda tracker, launch, actor: tracker.relay_customer_feedback(
        actor, launch.project_id, date(2026, 12, 9), "waiting too long"
    ),
    "record_improvement": lambda tracker, launch, actor: record_improvement(tracker, launch, actor),
    "file_equipment_report": lambda tracker, launch, actor: tracker.file_equipment_report(
        actor, launch.project_id, date(2026, 12, 7), date(2026, 12, 17), "no outage"
    ),
}
RECORDER = {
    "record_process_audit": SERVICE_MANAGER,
    "relay_customer_feedback": SALES,
    "record_improvement": PM,
    "file_equipment_report": SYSMAINT_LEAD,
}


@pytest.mark.parametrize(
    ("step", "phase"), [*((step, "implementation") for step in RECORDS), ("file_equipment_report", "live")]
)
def test_trial_records_are_refused_outside_the_trial(tracker, step, phase):
    """(Audits, feedback and improvement measures go on while live: tests/test_live_records.py.)"""
    launch = Launch(tracker).advance_to(phase)

    before = stored(tracker, launch.project_id)
    with pytest.raises(InvalidTransition) as refused:
        RECORDS[step](tracker, launch, RECORDER[step])
    assert stored(tracker, launch.project_id) == before

    assert refused.value.current == phase
    assert step not in refused.value.allowed
    assert ("start_trial" in refused.value.allowed) == (phase == "implementation")


WRONG_ACTORS = {
    "record_process_audit": [PM, SALES, BRANCH_HEAD, DIRECTOR, SYSMAINT_LEAD, AUDITOR],
    "relay_customer_feedback": [PM, SERVICE_MANAGER, BRANCH_HEAD, HR_LEAD, AUDITOR],
    "record_improvement": [OTHER_PM, SERVICE_MANAGER, SALES, BRANCH_HEAD, SYSMAINT_LEAD, AUDITOR],
    # other departments' leads may not file it: only system maintenance runs the equipment
    "file_equipment_report": [HR_LEAD, TECH_LEAD, ADMIN_LEAD, OPS_LEAD, PM, SERVICE_MANAGER, AUDITOR],
}


@pytest.mark.parametrize(
    ("step", "actor"),
    [(step, actor) for step, actors in WRONG_ACTORS.items() for actor in actors],
    ids=lambda value: getattr(value, "user", value),
)
def test_trial_records_are_refused_to_the_wrong_people(tracker, launch, step, actor):
    before = stored(tracker, launch.project_id)
    with pytest.raises(NotAllowed):
        RECORDS[step](tracker, launch, actor)
    assert stored(tracker, launch.project_id) == before


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"findings": [], "conforming": False}, ["findings"]),
        ({"held_on": date(2026, 12, 6)}, ["held_on"]),
    ],
    ids=["nonconforming_without_findings", "before_the_trial"],
)
def test_service_manager_cannot_record_a_bad_audit(tracker, launch, overrides, fields):
    before = stored(tracker, launch.project_id)
    with pytest.raises(InvalidInput) as refused:
        record_audit(tracker, launch, **overrides)
    assert stored(tracker, launch.project_id) == before

    assert list(refused.value.fields) == fields


def test_a_conforming_audit_may_have_no_findings(tracker, launch):
    record_audit(tracker, launch, findings=[], conforming=True)

    assert launch.project.trial["audits"][0]["findings"] == []


@pytest.mark.parametrize(
    ("received_on", "summary", "field"),
    [(date(2026, 12, 9), "  ", "summary"), (date(2026, 12, 1), "waiting too long", "received_on")],
)
def test_sales_cannot_relay_empty_or_early_feedback(tracker, launch, received_on, summary, field):
    before = stored(tracker, launch.project_id)
    with pytest.raises(InvalidInput) as refused:
        tracker.relay_customer_feedback(SALES, launch.project_id, received_on, summary)
    assert stored(tracker, launch.project_id) == before

    assert list(refused.value.fields) == [field]


def test_pm_cannot_record_an_improvement_without_problem_measure_or_department(tracker, launch):
    before = stored(tracker, launch.project_id)
    with pytest.raises(InvalidInput) as refused:
        record_improvement(tracker, launch, problem=" ", measure="", owner_department="marketing")
    assert stored(tracker, launch.project_id) == before

    assert set(refused.value.fields) == {"problem", "measure", "owner_department"}


def test_lead_cannot_file_a_report_ending_before_it_starts_or_without_summary(tracker, launch):
    before = stored(tracker, launch.project_id)
    with pytest.raises(InvalidInput) as refused:
        tracker.file_equipment_report(SYSMAINT_LEAD, launch.project_id, date(2026, 12, 17), date(2026, 12, 7), "")
    assert stored(tracker, launch.project_id) == before

    assert set(refused.value.fields) == {"period_end", "summary"}


def test_lead_files_another_equipment_report_after_a_failed_review(tracker):
    """A failed review sends the project back to trial operation, where records go on."""
    launch = concluded(tracker, unmet=("equipment",))

    launch.file_equipment_report(end=date(2026, 12, 19))

    assert launch.project.phase == "trial_operation"
    assert len(launch.project.trial["equipment_reports"]) == 2
