"""Trial operation: start, audits, customer feedback, improvements, equipment report, opening a review."""

from __future__ import annotations

from api.guard import Blueprint
from api.http import commands_on
from api.schemas.trial import (
    AuditIn,
    CompletionIn,
    EquipmentReportIn,
    FeedbackIn,
    ImprovementIn,
    ReviewOpenIn,
    TrialIn,
    VerificationIn,
)

blp = Blueprint("trial", __name__, url_prefix="/api/projects", description="Trial operation")
BLUEPRINTS = [blp]
ONE = "/<uuid:project_id>"


command = commands_on(blp, "project_id", ONE)


command("/trial", TrialIn, "start_trial", "Start the trial operation (PM).")
command("/trial/audits", AuditIn, "record_process_audit", "Record an internal process audit (service manager).")
command("/trial/feedback", FeedbackIn, "relay_customer_feedback", "Relay customer feedback (sales).")
command(
    "/trial/improvements",
    ImprovementIn,
    "record_improvement",
    "Record an improvement measure (PM); due on a date or in working days.",
    today_as="recorded_on",
)
command(
    "/trial/improvements/<int:n>/completion",
    CompletionIn,
    "complete_improvement",
    "Record an improvement measure done, with evidence (lead of its owner department).",
    extra_args=("n",),
)
command(
    "/trial/improvements/<int:n>/verification",
    VerificationIn,
    "verify_improvement",
    "Verify a done measure (PM): effective closes it; not effective reopens it with a new due date.",
    extra_args=("n",),
    today_as="recorded_on",
)
command(
    "/trial/equipment-report",
    EquipmentReportIn,
    "file_equipment_report",
    "File the equipment operation report (system maintenance lead).",
)
command("/reviews", ReviewOpenIn, "open_trial_review", "Open a trial review (PM).", status=201)
