"""The project page's steps for changes and coordination on a live project: sales records a
customer's requirement change (with its review's outcome), the appointed PM starts a plan revision
(计划更改) and records coordination meetings (协调会).

Offered on live projects only for now (``OFFERED_IN``): before go-live the API takes them as before,
and the pages of the launch's first half keep their short list of steps (the whole-launch browser
walk expects none left once the tickets are issued). Widening ``OFFERED_IN`` is all it takes.

While live the revision never leaves the phase (``domain.revision_in_place``): once started, the plan
page offers the appointed PM the 保存计划 form, then 提交评审 and the review are offered here as before.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext

from api.schemas.plan import RevisionIn
from api.schemas.projects import MeetingIn, RequirementChangeIn
from domain.phases import LIVE
from domain.planning import REVISION_TRIGGERS
from domain.project import CHANGE_OUTCOMES
from domain.roles import DEPARTMENTS, SALES, Actor
from web import glossary
from web.actions import project_step
from web.forms import Field, Step, Values, form_values
from web.plan_form import lines
from web.project_steps import is_appointed_pm

DEPARTMENT_CHOICES = tuple((code, glossary.word("department", code)) for code in DEPARTMENTS)
OFFERED_IN = frozenset({LIVE})


def is_sales(project: Any, actor: Actor) -> bool:
    return project.phase in OFFERED_IN and actor.role == SALES


def is_live_pm(project: Any, actor: Actor) -> bool:
    return project.phase in OFFERED_IN and is_appointed_pm(project, actor)


def meeting_body(form: Values) -> dict[str, Any]:
    return {
        **form_values(MEETING, form),
        "participants": list(form.getlist("participants")),
        "decisions": lines(form.get("decisions", "")),
    }


CHANGE = project_step(
    Step(
        "record_requirement_change",
        "record_requirement_change",
        schema=RequirementChangeIn,
        fields=(
            Field("description", lazy_gettext("What the customer changed"), "textarea"),
            Field(
                "review_outcome",
                lazy_gettext("Outcome of its review"),
                "select",
                tuple((code, glossary.word("outcome", code)) for code in CHANGE_OUTCOMES),
            ),
            Field("reference", lazy_gettext("Written record's reference")),
        ),
        applies=is_sales,
    )
)
REVISION = project_step(
    Step(
        "revise_plan",
        "revise_plan",
        schema=RevisionIn,
        fields=(
            Field(
                "trigger",
                lazy_gettext("Trigger"),
                "select",
                tuple((code, glossary.word("outcome", code)) for code in REVISION_TRIGGERS),
            ),
            Field("reason", lazy_gettext("Why the plan must change"), "textarea"),
        ),
        applies=is_live_pm,
    )
)
MEETING = project_step(
    Step(
        "hold_meeting",
        "hold_meeting",
        schema=MeetingIn,
        fields=(
            Field("held_on", lazy_gettext("Meeting date"), "date"),
            Field("participants", lazy_gettext("Departments at the meeting"), "checkboxes", DEPARTMENT_CHOICES),
            Field("decisions", lazy_gettext("Decisions (one a line)"), "textarea", required=False),
        ),
        parse=meeting_body,
        applies=is_live_pm,
    )
)
