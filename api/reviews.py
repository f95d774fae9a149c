"""Trial reviews: reading, history, the 8 items, conclusion, decision, nonconformities."""

from __future__ import annotations

from api import render
from api.guard import Blueprint
from api.http import add_reads, commands_on
from api.schemas.reviews import ConclusionIn, DecisionIn, ItemIn, NonconformityIn, ReviewOut
from api.schemas.trial import CompletionIn, VerificationIn

blp = Blueprint("reviews", __name__, url_prefix="/api/reviews", description="Trial reviews")
BLUEPRINTS = [blp]
ONE = "/<uuid:review_id>"


add_reads(blp, ONE, "review", ReviewOut, lambda review, _: render.review(review), noun="trial review")


command = commands_on(blp, "review_id")


command(
    f"{ONE}/items/<item>",
    ItemIn,
    "assess_review_item",
    "Assess one review item with evidence (PM).",
    verb="put",
    extra_args=("item",),
)
command(f"{ONE}/conclusion", ConclusionIn, "conclude_review", "Conclude: passed only if every item is met (PM).")
command(f"{ONE}/decision", DecisionIn, "decide_after_review", "Go live or extend the trial (branch head or PM).")
command(
    f"{ONE}/nonconformities",
    NonconformityIn,
    "record_nonconformity",
    "Record a nonconformity and its corrective action (PM); due on a date or in working days.",
    today_as="recorded_on",
)
command(
    f"{ONE}/nonconformities/<int:n>/completion",
    CompletionIn,
    "complete_corrective_action",
    "Record a corrective action done, with evidence (lead of its owner department).",
    extra_args=("n",),
)
command(
    f"{ONE}/nonconformities/<int:n>/verification",
    VerificationIn,
    "verify_corrective_action",
    "Verify a done corrective action (PM): effective closes it; not effective reopens it with a new due date.",
    extra_args=("n",),
    today_as="recorded_on",
)
