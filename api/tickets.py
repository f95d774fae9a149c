"""Requirement tickets: reading, history, and every step of working one."""

from __future__ import annotations

from api import render
from api.auth import current_actor
from api.guard import Blueprint
from api.http import add_reads, commands_on
from api.schemas.tickets import (
    AcceptanceIn,
    AlternativeIn,
    AlternativeReviewIn,
    ApprovalIn,
    ConfirmationIn,
    RiskIn,
    SubmissionIn,
    TicketOut,
)
from domain import reading_rights

blp = Blueprint("tickets", __name__, url_prefix="/api/tickets", description="Requirement tickets")
BLUEPRINTS = [blp]
ONE = "/<uuid:ticket_id>"
ALTERNATIVE = f"{ONE}/alternatives/<int:n>"


def readable(ticket) -> None:
    """A department lead reads only their own department's tickets (DOMAIN.md, need to know)."""
    reading_rights.require_read(current_actor(), "tickets", department=ticket.department)


add_reads(blp, ONE, "ticket", TicketOut, lambda ticket, _: render.ticket(ticket), guard=readable)


command = commands_on(blp, "ticket_id")


command(f"{ONE}/start", None, "start_ticket", "Start work on the ticket (lead of its department).")
command(f"{ONE}/risk", RiskIn, "flag_risk", "Notify the PM that the date or quality is at risk (lead).")
command(f"{ONE}/alternatives", AlternativeIn, "propose_alternative", "Propose an alternative plan (lead).", status=201)
command(
    f"{ALTERNATIVE}/confirmation",
    ConfirmationIn,
    "confirm_alternative",
    "Confirm an alternative that meets the requirements, or escalate it to the branch head (PM).",
    extra_args=("n",),
)
command(
    f"{ALTERNATIVE}/approval",
    ApprovalIn,
    "approve_alternative",
    "Approve or reject an escalated alternative (branch head).",
    extra_args=("n",),
)
command(
    f"{ALTERNATIVE}/review",
    AlternativeReviewIn,
    "review_alternative",
    "Review an alternative that affects the requirements: passed or failed (PM).",
    extra_args=("n",),
)
command(f"{ONE}/submission", SubmissionIn, "submit_ticket", "Submit the ticket for acceptance with evidence (lead).")
command(f"{ONE}/acceptance", AcceptanceIn, "decide_acceptance", "Accept criterion by criterion, or return (PM).")
