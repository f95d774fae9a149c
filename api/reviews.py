"""Trial reviews: reading, history, the 8 items, conclusion, decision, nonconformities."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from api import render
from api.http import add_command, history, read, tracker, with_etag
from api.schemas.common import AsOfQuery, History
from api.schemas.reviews import ConclusionIn, DecisionIn, ItemIn, NonconformityIn, ReviewOut

blp = Blueprint("reviews", __name__, url_prefix="/api/reviews", description="Trial reviews")
BLUEPRINTS = [blp]
ONE = "/<uuid:review_id>"


@blp.route(ONE)
class OneReview(MethodView):
    @blp.arguments(AsOfQuery, location="query")
    @blp.response(200, ReviewOut)
    def get(self, args, review_id):
        """The trial review, now or as it was (``version`` / ``as_of``)."""
        review = read(tracker().review_as_it_was, review_id, args)
        return with_etag(review, render.review(review))


@blp.route(f"{ONE}/history")
class ReviewHistory(MethodView):
    @blp.response(200, History)
    def get(self, review_id):
        """Every event of the review, oldest first."""
        return history(tracker().load_review(review_id).id)


def command(rule: str, schema, method: str, doc: str, **options) -> None:
    add_command(blp, rule, schema, method, doc, id_arg="review_id", **options)


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
