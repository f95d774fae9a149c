"""Intake (服務信息收集): sales registers a project and records the customer's requirement changes."""

from __future__ import annotations

import copy
from uuid import uuid4

import pytest

from demo.workflow import DIRECTOR, REQUIREMENTS, SALES, SERVICE, SOURCES, Launch, stored
from domain.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound, RuleViolated
from domain.project import Project
from tests.project_support import assert_invalid_transition, event_types, everyone_but, last_event, refused

CODE = "SH-HOTLINE"


def register(tracker, code=CODE, service=None, requirements=None, sources=None, actor=SALES, **names):
    return tracker.register_project(
        actor,
        code,
        names.get("name", "上海應急熱線"),
        names.get("customer", "上海市應急管理服務中心"),
        SERVICE if service is None else service,
        REQUIREMENTS if requirements is None else requirements,
        SOURCES if sources is None else sources,
    )


# Registration ---------------------------------------------------------------------------


@pytest.mark.backends()
def test_sales_registers_a_project_in_intake(tracker):
    outcome = register(tracker)

    assert outcome.data == {"phase": "intake"}
    assert outcome.version == 1
    project = tracker.load_project(outcome.id)
    assert (project.code, project.name, project.customer) == (CODE, "上海應急熱線", "上海市應急管理服務中心")
    assert project.phase == "intake"
    assert project.project_manager is None
    assert project.service == SERVICE
    assert [r["kind"] for r in project.requirements] == ["customer", "implicit", "legal"]
    assert project.sources == SOURCES
    [event] = tracker.history(outcome.id)
    assert type(event).__name__ == "Registered"
    assert (event.actor, event.role) == (SALES.user, "sales")
    assert event.requirements[0]["text"] == "answer rate ≥ 95 %"


def test_project_id_follows_from_its_code(tracker):
    outcome = register(tracker, code="  SH-Hotline ")
    assert outcome.id == Project.create_id(CODE)
    assert tracker.load_project(outcome.id).code == "SH-Hotline"


@pytest.mark.backends()
@pytest.mark.parametrize("second_code", [CODE, "sh-hotline", " SH-HOTLINE  "])
def test_sales_cannot_register_a_second_project_with_the_same_code(tracker, second_code):
    pid = register(tracker).id

    error = refused(tracker, pid, RuleViolated, register, tracker, code=second_code, name="another hotline")

    assert error.rule == "code_unique"
    assert event_types(tracker, pid) == ["Registered"]
    assert tracker.load_project(pid).name == "上海應急熱線"


@pytest.mark.parametrize("actor", everyone_but("sales"))
def test_only_sales_may_register_a_project(tracker, actor):
    refused(tracker, Project.create_id(CODE), NotAllowed, register, tracker, actor=actor)
    assert stored(tracker, Project.create_id(CODE)) == []


def _service(**changes):
    service = copy.deepcopy(SERVICE)
    service.update(changes)
    return service


@pytest.mark.parametrize(
    ("service", "field"),
    [
        pytest.param(_service(channels=[]), "service.channels", id="no-channel"),
        pytest.param(_service(channels=["fax"]), "service.channels", id="unknown-channel"),
        pytest.param(_service(channels=["inbound_hotline", "wechat"]), "service.channels", id="one-bad-channel"),
        pytest.param(_service(seats=0), "service.seats", id="zero-seats"),
        pytest.param(_service(seats=-3), "service.seats", id="negative-seats"),
        pytest.param(_service(seats="25"), "service.seats", id="seats-as-text"),
        pytest.param(_service(days_per_week=0), "service.days_per_week", id="zero-days"),
        pytest.param(_service(days_per_week=8), "service.days_per_week", id="eight-days"),
        pytest.param(_service(languages=[]), "service.languages", id="no-language"),
        pytest.param(_service(daily_start="9:00"), "service.daily_start", id="start-not-hh-mm"),
        pytest.param(_service(daily_start="24:00"), "service.daily_start", id="start-past-midnight"),
        pytest.param(_service(daily_start="18:00", daily_end="09:00"), "service.daily_end", id="start-after-end"),
        pytest.param(_service(daily_start="09:00", daily_end="09:00"), "service.daily_end", id="no-hours"),
        pytest.param(_service(daily_end="25:00"), "service.daily_end", id="end-not-a-time"),
        pytest.param(_service(seats=True), "service.seats", id="seats-as-boolean"),
    ],
)
def test_sales_cannot_register_with_bad_service_information(tracker, service, field):
    error = refused(tracker, Project.create_id(CODE), InvalidInput, register, tracker, service=service)
    assert field in error.fields
    assert stored(tracker, Project.create_id(CODE)) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "  "}, "code"),
        ({"name": ""}, "name"),
        ({"customer": " "}, "customer"),
        ({"requirements": [{"kind": "wish", "text": "be nice"}]}, "requirements.0.kind"),
        ({"requirements": [*REQUIREMENTS, {"kind": "legal", "text": " "}]}, "requirements.3.text"),
        ({"sources": [{"kind": "email", "reference": "x"}]}, "sources.0.kind"),
        ({"sources": [{"kind": "tender", "reference": ""}]}, "sources.0.reference"),
    ],
)
def test_sales_cannot_register_with_missing_or_unknown_intake_data(tracker, changes, field):
    code = changes.pop("code", CODE)
    error = refused(tracker, Project.create_id(code), InvalidInput, register, tracker, code=code, **changes)
    assert field in error.fields


def test_every_bad_intake_field_is_named_at_once(tracker):
    service = _service(channels=["fax"], seats=0, languages=[])
    error = refused(tracker, Project.create_id(CODE), InvalidInput, register, tracker, service=service, customer="")
    assert {"customer", "service.channels", "service.seats", "service.languages"} <= set(error.fields)


# Requirement changes ---------------------------------------------------------------------


@pytest.mark.parametrize("phase", ["intake", "implementation", "live"])
def test_sales_records_a_requirement_change(tracker, phase):
    launch = Launch(tracker).advance_to(phase)
    pid = launch.project_id

    tracker.record_requirement_change(SALES, pid, "客戶要求增加在線客服", "accepted", "需求變更單 BG-007")

    project = launch.project
    assert project.phase == phase
    [change] = project.requirement_changes
    assert (change["description"], change["review_outcome"], change["reference"]) == (
        "客戶要求增加在線客服",
        "accepted",
        "需求變更單 BG-007",
    )
    assert change["recorded_by"] == SALES.user
    event = last_event(tracker, pid)
    assert type(event).__name__ == "RequirementChangeRecorded"
    assert (event.actor, event.role, event.review_outcome) == (SALES.user, "sales", "accepted")


def test_sales_records_a_rejected_requirement_change_too(tracker):
    pid = Launch(tracker).advance_to("planning").project_id
    tracker.record_requirement_change(SALES, pid, "24-hour service", "rejected", "BG-008")
    assert last_event(tracker, pid).review_outcome == "rejected"


@pytest.mark.parametrize("actor", everyone_but("sales"))
def test_only_sales_may_record_a_requirement_change(tracker, actor):
    pid = Launch(tracker).advance_to("planning").project_id
    refused(tracker, pid, NotAllowed, tracker.record_requirement_change, actor, pid, "more seats", "accepted", "BG-1")


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("  ", "accepted", "BG-1"), "description"),
        (("more seats", "pending", "BG-1"), "review_outcome"),
        (("more seats", "accepted", " "), "reference"),
    ],
)
def test_sales_cannot_record_a_requirement_change_without_its_written_record(tracker, args, field):
    pid = Launch(tracker).advance_to("planning").project_id
    error = refused(tracker, pid, InvalidInput, tracker.record_requirement_change, SALES, pid, *args)
    assert field in error.fields


def test_sales_cannot_record_a_requirement_change_on_a_cancelled_project(tracker):
    pid = Launch(tracker).advance_to("planning").project_id
    tracker.cancel_project(DIRECTOR, pid, "customer withdrew")

    error = refused(
        tracker, pid, InvalidTransition, tracker.record_requirement_change, SALES, pid, "x", "accepted", "y"
    )

    assert_invalid_transition(error, "record_requirement_change", "cancelled")


def test_sales_cannot_record_a_requirement_change_on_an_unknown_project(tracker):
    unknown = uuid4()
    refused(
        tracker, unknown, NotFound, tracker.record_requirement_change, SALES, unknown, "more seats", "accepted", "BG"
    )
    assert stored(tracker, unknown) == []
