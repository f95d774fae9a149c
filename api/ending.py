"""Term and end: the termination notice, the handover checklist, the closure (DOMAIN.md "Term and end")."""

from __future__ import annotations

from api.guard import Blueprint
from api.http import commands_on
from api.schemas.ending import ClosureIn, HandoverIn, TerminationIn
from domain.ending_records import HANDOVER

blp = Blueprint("ending", __name__, url_prefix="/api/projects", description="Term and end")
BLUEPRINTS = [blp]
ONE = "/<uuid:project_id>"


command = commands_on(blp, "project_id", ONE)


command(
    "/termination",
    TerminationIn,
    "record_termination",
    "Record a termination notice of a live project: the customer's (sales) or the provider's (operations "
    "director); the project is then terminating.",
)
command(
    "/handover/<item>",
    HandoverIn,
    "record_handover",
    "Record a handover item done, with evidence (the lead of its department): "
    + ", ".join(f"{item} ({department})" for item, department in HANDOVER.items())
    + ".",
    extra_args=("item",),
)
command(
    "/closure",
    ClosureIn,
    "close_project",
    "Close a terminating project (PM): every handover item done and the effective date reached, else 409 "
    "rule_violated naming what is missing. A closed project takes no command.",
    today_as="today",
)
