"""试运营评审记录 / The trial review's page (``/reviews/<id>``): the 8 items with their evidence, the
outcome, the decision, nonconformities and their corrective actions, and the steps the signed-in
person may take on it now, each sent as the API's command (``api/reviews.py``) with its schema.

The appointed PM assesses the items, concludes (the outcome is computed: passed only if every item
is met) and records nonconformities after a failed review; the lead of an action's owner department
records it done, and the PM verifies it (closing the loop: ``domain.loops``); after a passed review
the branch head or the PM decides 决定上线 or 延长试运营 (offered on the project page too). A refusal re-shows the page
with its messages, recording nothing; success shows the result at once (``?after=<position>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext, lazy_pgettext

from api.schemas.reviews import ConclusionIn, DecisionIn, ItemIn, NonconformityIn
from api.schemas.trial import CompletionIn, VerificationIn
from domain import gates
from domain.loops import AWAITING_OWNER, DONE
from domain.phases import ENDED, TRIAL_REVIEW
from domain.roles import BRANCH_HEAD, DEPARTMENT_LEAD
from domain.trial_review import FAILED, OPEN, PASSED
from web import refusals
from web.actions import version_posted
from web.blueprint import bp
from web.forms import FILES, Field, Result, Step, Values, form_values, perform
from web.home import views
from web.trial import DUE_FIELDS, deadline, is_pm

MET_CHOICES = (("true", lazy_gettext("Met")), ("false", lazy_gettext("Not met")))
EVIDENCE = lazy_pgettext("review item", "Evidence")
"""What a review item was judged on (评审依据), not a ticket's 交付证明."""
EFFECTIVE_CHOICES = (("true", lazy_gettext("Effective")), ("false", lazy_gettext("Not effective")))


@dataclass(frozen=True)
class ReviewStep:
    """A step on the review page: the form (``step``), when it is offered, and the item it is about."""

    step: Step
    offered: Any
    item: str | int | None = None


def item_answer(step: Step, form: Values) -> dict[str, Any]:
    values = form_values(step, form)
    met = values.get("met")
    values["met"] = {"true": True, "false": False}.get(met, met)
    return values


def verdict(step: Step, form: Values) -> dict[str, Any]:
    values = form_values(step, form)
    effective = values.get("effective")
    values["effective"] = {"true": True, "false": False}.get(effective, effective)
    return values


def decision(kind: str, step: Step, form: Values) -> dict[str, Any]:
    return {**form_values(step, form), "decision": kind}


ASSESS = Step(
    "assess_review_item",
    "assess_review_item",
    word="assess_item",
    schema=ItemIn,
    fields=(
        Field("met", lazy_gettext("Assessment"), "select", MET_CHOICES),
        Field("evidence", EVIDENCE, "textarea"),
        FILES,
    ),
    parse=lambda form: item_answer(ASSESS, form),
)
CONCLUDE = Step(
    "conclude_review",
    "conclude_review",
    word="conclude_review",
    schema=ConclusionIn,
    fields=(Field("summary", lazy_gettext("Review summary"), "textarea"),),
)
NONCONFORMITY = Step(
    "record_nonconformity",
    "record_nonconformity",
    word="record_nonconformity",
    schema=NonconformityIn,
    fields=(
        Field("description", lazy_gettext("Nonconformity description"), "textarea"),
        Field("corrective_action", lazy_gettext("Corrective action to take"), "textarea"),
        *DUE_FIELDS,
    ),
    parse=lambda form: deadline(NONCONFORMITY, form),
    today_as="recorded_on",
)
COMPLETE_ACTION = Step(
    "complete_corrective_action",
    "complete_corrective_action",
    word="complete_action",
    schema=CompletionIn,
    fields=(Field("evidence", lazy_gettext("Evidence"), "textarea"), FILES),
)
VERIFY_ACTION = Step(
    "verify_corrective_action",
    "verify_corrective_action",
    word="verify_action",
    schema=VerificationIn,
    fields=(
        Field("effective", lazy_gettext("Verdict"), "select", EFFECTIVE_CHOICES),
        Field("comments", lazy_gettext("Verification comments"), "textarea"),
        Field("new_due", lazy_gettext("New due date (when not effective)"), "date", required=False),
    ),
    parse=lambda form: verdict(VERIFY_ACTION, form),
    today_as="recorded_on",
)
ACTION_STEPS = {"done": COMPLETE_ACTION, "verify": VERIFY_ACTION}
"""Steps on one corrective action, keyed ``done-<n>`` / ``verify-<n>`` on the page."""
GO_LIVE = Step(
    "decide_after_review",
    "decide_after_review",
    word="decide_go_live",
    schema=DecisionIn,
    fields=(Field("go_live_on", lazy_gettext("Go-live date"), "date"),),
    parse=lambda form: decision("go_live", GO_LIVE, form),
)
EXTEND = Step(
    "decide_after_review",
    "decide_after_review",
    word="extend_trial",
    schema=DecisionIn,
    fields=(Field("extend_until", lazy_gettext("Extend the trial until"), "date"),),
    parse=lambda form: decision("extend_trial", EXTEND, form),
)


def runs_review(review: Any, project: Any, actor: Any) -> bool:
    return is_pm(project, actor) and project.phase not in ENDED


def may_decide(review: Any, project: Any, actor: Any) -> bool:
    return review.state == PASSED and (actor.role == BRANCH_HEAD or is_pm(project, actor))


REVIEW_STEPS: dict[str, ReviewStep] = {
    **{
        f"item-{item}": ReviewStep(ASSESS, lambda r, p, a: r.state == OPEN and runs_review(r, p, a), item)
        for item in gates.REVIEW_ITEMS
    },
    "conclude": ReviewStep(
        CONCLUDE,
        lambda r, p, a: r.state == OPEN and runs_review(r, p, a) and gates.review_items_assessed(r.items).met,
    ),
    "nonconformity": ReviewStep(NONCONFORMITY, lambda r, p, a: r.state == FAILED and runs_review(r, p, a)),
    "go_live": ReviewStep(GO_LIVE, may_decide),
    "extend_trial": ReviewStep(EXTEND, may_decide),
}
DECISIONS = ("go_live", "extend_trial")


def offered(review: Any, project: Any, actor: Any) -> dict[str, ReviewStep]:
    steps = {key: s for key, s in REVIEW_STEPS.items() if s.offered(review, project, actor)}
    return {**steps, **action_steps(review, project, actor)}


def action_steps(review: Any, project: Any, actor: Any) -> dict[str, ReviewStep]:
    """The owner department's lead records an open or reopened action done; the PM verifies a done one."""
    if review.state != FAILED or project.phase in ENDED:
        return {}
    steps = {}
    for action in review.nonconformities:
        owner = actor.role == DEPARTMENT_LEAD and actor.department == action.owner_department
        if action.state in AWAITING_OWNER and owner:
            steps[f"done-{action.n}"] = ReviewStep(COMPLETE_ACTION, True, action.n)
        if action.state == DONE and is_pm(project, actor):
            steps[f"verify-{action.n}"] = ReviewStep(VERIFY_ACTION, True, action.n)
    return steps


def review_step(key: str) -> ReviewStep | None:
    """The step a posted ``key`` names (a corrective action's by its number)."""
    kind, _, n = key.partition("-")
    if kind in ACTION_STEPS and n.isascii() and n.isdigit() and len(n) < 6:
        return ReviewStep(ACTION_STEPS[kind], True, int(n))
    return REVIEW_STEPS.get(key)


@bp.app_template_global()
def review_decisions(project: Any) -> tuple[Any, dict[str, ReviewStep]]:
    """For the project page: the current review awaiting a decision, and the decisions the person may take."""
    if project.phase != TRIAL_REVIEW or not project.reviews or project.reviews[-1].outcome != PASSED:
        return None, {}
    review = views().reader.one("review", project.reviews[-1].review_id)
    steps = offered(review, project, g.person.actor)
    return review, {key: steps[key] for key in DECISIONS if key in steps}


@bp.route("/reviews/<uuid:review_id>")
def review(review_id: UUID):  # type: ignore[no-untyped-def]
    after = request.args.get("after", "")
    if after.isascii() and after.isdigit() and len(after) < 19:
        views().ready(int(after))
    return review_page(review_id)


def review_page(review_id: UUID, result: Result | None = None, failed: str | None = None):  # type: ignore[no-untyped-def]
    reader = views().reader
    review = reader.one("review", review_id)
    project = reader.one("project", review.project_id)
    page = render_template(
        "review.html",
        review=review,
        project=project,
        items=gates.REVIEW_ITEMS,
        evidence_word=EVIDENCE,
        steps=offered(review, project, g.person.actor),
        result=result,
        failed=failed,
    )
    return page, result.status if result else 200


@bp.route("/reviews/<uuid:review_id>/actions/<key>", methods=["POST"])
def take_review_step(review_id: UUID, key: str):  # type: ignore[no-untyped-def]
    chosen = review_step(key)
    version = version_posted()
    if chosen is None or version is None:
        return review_page(review_id, Result(status=422, message=str(refusals.INVALID)))
    ids = [review_id] if chosen.item is None else [review_id, chosen.item]
    result = perform(chosen.step, ids, request.form, version)
    if not result.ok:
        return review_page(review_id, result, failed=key)
    if key in DECISIONS:
        project_id = views().reader.one("review", review_id).project_id
        return redirect(url_for("web.project", project_id=project_id, after=result.outcome.position))
    return redirect(url_for("web.review", review_id=review_id, after=result.outcome.position))
