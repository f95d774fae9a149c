"""The project page's steps from the operations manual to the trial review: who DOMAIN.md names, when
the phase and the step's precondition allow it, each sent as the API's command with its schema.

运营手册 (the service manager submits, the PM 批准 / 驳回), 开始试运营 (the PM, once plan, tickets and
manual are ready), records kept during the trial (process audits, customer feedback, improvement
measures, the equipment operation report) and 发起评审 (the PM, once the report is filed).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext

from api.schemas.plan import ManualIn, ManualReviewIn
from api.schemas.trial import AuditIn, EquipmentReportIn, FeedbackIn, ImprovementIn, ReviewOpenIn, TrialIn
from domain import gates
from domain.roles import DEPARTMENT_LEAD, DEPARTMENTS, PROJECT_MANAGER, SALES, SERVICE_MANAGER, SYSTEM_MAINTENANCE
from web import glossary
from web.actions import project_step
from web.forms import FILES, Field, Step, Values, form_values
from web.home import views

DEPARTMENT_CHOICES = tuple((code, glossary.DEPARTMENTS[code]) for code in DEPARTMENTS)


def is_pm(project: Any, actor: Any) -> bool:
    return actor.role == PROJECT_MANAGER and actor.user == project.project_manager


def ready_for_trial(project: Any) -> bool:
    """The gates ``start_trial`` checks (plan approved, tickets accepted, manual approved), as the views have them."""
    reader = views().reader
    states = {str(t.id): t.state for t in reader.where("ticket", [("project_id = ?", (str(project.id),))])}
    current = {t.requirement_ref: states.get(str(t.id), "") for t in project.tickets if t.active}
    return all(gate.met for gate in project.readiness_for_trial(current))


def deadline(step: Step, form: Values) -> dict[str, Any]:
    """A due date or a number of working days (a number only when it is one: else the schema says so)."""
    values = form_values(step, form)
    days = values.get("due_in_working_days", "")
    if days.isascii() and days.isdigit() and len(days) < 6:
        values["due_in_working_days"] = int(days)
    return values


DUE_FIELDS = (
    Field("owner_department", lazy_gettext("Owner department"), "select", DEPARTMENT_CHOICES),
    Field("due", lazy_gettext("Due date"), "date", required=False),
    Field("due_in_working_days", lazy_gettext("Or due in working days"), "number", required=False),
)

project_step(
    Step(
        "submit_manual",
        "submit_manual",
        word="submit_manual",
        schema=ManualIn,
        fields=(
            Field("document_reference", lazy_gettext("Document reference")),
            Field("revision_note", lazy_gettext("Revision note"), "textarea", required=False),
        ),
        applies=lambda p, a: (
            a.role == SERVICE_MANAGER and p.current_plan is not None and p.manual.status != "submitted"
        ),
    )
)
project_step(
    Step(
        "review_manual",
        "review_manual",
        schema=ManualReviewIn,
        fields=(Field("comments", lazy_gettext("Review comments"), "textarea", required=False),),
        buttons=(("outcome", "approved", "approve"), ("outcome", "rejected", "reject")),
        applies=lambda p, a: is_pm(p, a) and p.manual.status == "submitted",
    )
)
project_step(
    Step(
        "start_trial",
        "start_trial",
        schema=TrialIn,
        fields=(
            Field("start", lazy_gettext("Trial start"), "date"),
            Field("planned_end", lazy_gettext("Planned trial end"), "date"),
        ),
        applies=lambda p, a: is_pm(p, a) and ready_for_trial(p),
    )
)
AUDIT = Step(
    "record_process_audit",
    "record_process_audit",
    word="record_audit",
    schema=AuditIn,
    fields=(
        Field("held_on", lazy_gettext("Audit date"), "date"),
        Field("findings", lazy_gettext("Findings (one a line)"), "textarea", required=False),
        Field("conforming", lazy_gettext("Conforming"), "checkbox", required=False),
    ),
    parse=lambda form: {
        **form_values(AUDIT, form),
        "findings": [line.strip() for line in form.get("findings", "").splitlines() if line.strip()],
    },
    applies=lambda p, a: a.role == SERVICE_MANAGER,
)
project_step(AUDIT)
project_step(
    Step(
        "relay_customer_feedback",
        "relay_customer_feedback",
        word="relay_feedback",
        schema=FeedbackIn,
        fields=(
            Field("received_on", lazy_gettext("Received on"), "date"),
            Field("summary", lazy_gettext("What the customer said"), "textarea"),
        ),
        applies=lambda p, a: a.role == SALES,
    )
)
IMPROVEMENT = Step(
    "record_improvement",
    "record_improvement",
    word="record_improvement",
    schema=ImprovementIn,
    fields=(
        Field("problem", lazy_gettext("Problem"), "textarea"),
        Field("measure", glossary.THINGS["improvement"], "textarea"),
        *DUE_FIELDS,
    ),
    parse=lambda form: deadline(IMPROVEMENT, form),
    today_as="recorded_on",
    applies=is_pm,
)
project_step(IMPROVEMENT)
project_step(
    Step(
        "file_equipment_report",
        "file_equipment_report",
        word="file_equipment_report",
        schema=EquipmentReportIn,
        fields=(
            Field("period_start", lazy_gettext("Period start"), "date"),
            Field("period_end", lazy_gettext("Period end"), "date"),
            Field("summary", lazy_gettext("How the equipment ran"), "textarea"),
            FILES,
        ),
        applies=lambda p, a: a.role == DEPARTMENT_LEAD and a.department == SYSTEM_MAINTENANCE,
    )
)
OPEN_REVIEW = Step(
    "open_trial_review",
    "open_trial_review",
    word="open_review",
    schema=ReviewOpenIn,
    fields=(
        Field("held_on", lazy_gettext("Review date"), "date"),
        Field("participants", lazy_gettext("Participating departments"), "checkboxes", DEPARTMENT_CHOICES),
    ),
    parse=lambda form: {**form_values(OPEN_REVIEW, form), "participants": list(form.getlist("participants"))},
    applies=lambda p, a: is_pm(p, a) and gates.equipment_report(p).met,
)
project_step(OPEN_REVIEW)
