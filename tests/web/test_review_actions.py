"""Corrective actions on the trial review's page: the lead of the owner department records an
action done with evidence, the PM verifies it (effective closes it; not effective reopens it with a
new due date); nobody else is offered either step, and a forged post records nothing."""

from __future__ import annotations

import pytest

from demo.workflow import HR_LEAD, PM, TECH_LEAD, Launch
from tests.web.conftest import signed_in, stored
from tests.web.test_review_page import shown, step

pytestmark = pytest.mark.backends()
DONE, VERIFY = "记录完成", "验证"


@pytest.fixture
def launch(tracker) -> Launch:
    launch = Launch(tracker).advance_to("trial_review").assess_all(unmet=("personnel",))
    launch.conclude()
    tracker.record_nonconformity(PM, launch.review_id, "座席培训未完成", "补训并考核", "hr", due=launch.review.held_on)
    return launch


def test_the_lead_records_the_action_done_and_the_pm_reopens_then_closes_it(app, tracker, launch) -> None:
    lead, pm = signed_in(app, HR_LEAD), signed_in(app, PM)
    page = lead.get(f"/reviews/{launch.review_id}").get_data(as_text=True)
    assert f">{DONE}</button>" in page and f">{VERIFY}</button>" not in page and "待完成" in page

    page = shown(lead, step(lead, launch.review, "done-1", evidence="补训记录 12 人"))
    assert "补训记录 12 人" in page and "已完成待验证" in page and f">{DONE}</button>" not in page
    assert f">{VERIFY}</button>" in pm.get(f"/reviews/{launch.review_id}").get_data(as_text=True)

    before = stored(tracker, launch.review_id)
    refused = step(pm, launch.review, "verify-1", effective="false", comments="考核未通过")
    assert refused.status_code == 422 and 'id="verify-1-new_due-error"' in refused.get_data(as_text=True)
    assert stored(tracker, launch.review_id) == before
    page = shown(
        pm, step(pm, launch.review, "verify-1", effective="false", comments="考核未通过", new_due="2026-12-28")
    )
    assert "已重新开启" in page and "考核未通过" in page and "2026年12月28日" in page

    shown(lead, step(lead, launch.review, "done-1", evidence="再次考核全部通过"))
    page = shown(pm, step(pm, launch.review, "verify-1", effective="true", comments="有效"))
    assert "已关闭" in page and f">{VERIFY}</button>" not in page
    assert stored(tracker, launch.review_id)[-2:] == ["CorrectiveActionCompleted", "CorrectiveActionVerified"]


def test_a_lead_of_another_department_sees_no_button_and_a_forged_post_records_nothing(app, tracker, launch) -> None:
    other = signed_in(app, TECH_LEAD)
    page = other.get(f"/reviews/{launch.review_id}").get_data(as_text=True)
    assert f">{DONE}</button>" not in page and "补训并考核" in page
    before = stored(tracker, launch.review_id)
    assert step(other, launch.review, "done-1", evidence="伪造").status_code == 403
    assert step(other, launch.review, "done-9", evidence="伪造").status_code == 404
    assert stored(tracker, launch.review_id) == before
