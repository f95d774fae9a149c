"""The trial review's page: the PM assesses the 8 items with evidence and concludes; a failed review
gets nonconformities with corrective actions and the trial goes on; a second review passes and the
branch head decides go-live from the project page. Only whom the rights name is offered a step."""

from __future__ import annotations

import pytest

from demo.workflow import BRANCH_HEAD, HR_LEAD, PM, SALES, Launch
from domain.gates import REVIEW_ITEMS
from tests.web.conftest import signed_in, stored

pytestmark = pytest.mark.backends()
ASSESS, CONCLUDE, GO_LIVE = "记录评审项", "结束评审", "决定上线"


@pytest.fixture
def launch(tracker) -> Launch:
    return Launch(tracker).advance_to("trial_review")


def step(visitor, review, key: str, **form):
    return visitor.post(f"/reviews/{review.id}/actions/{key}", {"version": str(review.version), **form})


def shown(visitor, response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return visitor.get(response.headers["Location"]).get_data(as_text=True)


def assess_all(pm, launch: Launch, unmet: tuple[str, ...] = ()) -> str:
    page = ""
    for item in REVIEW_ITEMS:
        met = "false" if item in unmet else "true"
        page = shown(pm, step(pm, launch.review, f"item-{item}", met=met, evidence=f"{item} 的证据"))
    return page


def test_a_failed_review_gets_a_nonconformity_and_a_second_review_passes_to_go_live(app, tracker, launch) -> None:
    pm, head = signed_in(app, PM), signed_in(app, BRANCH_HEAD)
    first = launch.review_id
    page = pm.get(f"/reviews/{first}").get_data(as_text=True)
    assert page.count(f">{ASSESS}</button>") == 8 and CONCLUDE not in page  # nothing assessed yet
    page = assess_all(pm, launch, unmet=("personnel",))
    assert "personnel 的证据" in page and "未满足" in page and CONCLUDE in page
    page = shown(pm, step(pm, launch.review, "conclude", summary="人员培训未完成"))
    assert "不通过" in page and "人员培训未完成" in page and ASSESS not in page
    nonconformity = {"description": "座席培训未完成", "corrective_action": "补训并考核", "owner_department": "hr"}
    page = shown(pm, step(pm, launch.review, "nonconformity", due="2026-12-24", **nonconformity))
    assert "座席培训未完成" in page and "补训并考核" in page and "人事部" in page and "2026年12月24日" in page
    project_page = pm.get(f"/projects/{launch.project_id}").get_data(as_text=True)
    assert f"/reviews/{first}" in project_page and "发起评审" in project_page  # back in trial operation
    hr = signed_in(app, HR_LEAD)  # the corrective action is done, and verified effective
    shown(hr, step(hr, launch.review, "done-1", evidence="补训记录"))
    assert "已关闭" in shown(pm, step(pm, launch.review, "verify-1", effective="true", comments="考核通过"))

    launch.open_review()
    assert launch.review_id != first
    assess_all(pm, launch)
    page = shown(pm, step(pm, launch.review, "conclude", summary="全部满足"))
    assert "通过" in page and "不通过" not in page and GO_LIVE in page  # the PM may decide too
    project_page = head.get(f"/projects/{launch.project_id}").get_data(as_text=True)
    assert GO_LIVE in project_page and "延长试运营" in project_page
    page = shown(head, step(head, launch.review, "go_live", go_live_on="2026-12-21"))
    current = page.split('aria-current="step"', 1)[1].split("</li>", 1)[0]
    assert "正式运营" in current and f">{GO_LIVE}</button>" not in page
    review_page = head.get(f"/reviews/{launch.review_id}").get_data(as_text=True)
    assert "正式运营日期 2026年12月21日" in " ".join(review_page.split()) and "运营分部负责人" in review_page
    assert stored(tracker, launch.project_id)[-1] == "WentLive"


def test_the_branch_head_extends_the_trial_after_a_passed_review(app, tracker, launch) -> None:
    launch.assess_all().conclude()
    head = signed_in(app, BRANCH_HEAD)
    page = shown(head, step(head, launch.review, "extend_trial", extend_until="2026-12-31"))
    assert "试运营延长至 2026年12月31日" in " ".join(page.split())
    assert launch.project.phase == "trial_operation"


def test_who_may_not_sees_no_buttons_and_a_forged_post_records_nothing(app, tracker, launch) -> None:
    sales, head = signed_in(app, SALES), signed_in(app, BRANCH_HEAD)
    page = sales.get(f"/reviews/{launch.review_id}").get_data(as_text=True)
    assert "<form" in page and ASSESS not in page and "客户规定的要求" in page  # only the language switch's forms
    before = stored(tracker, launch.review_id)
    refused = step(sales, launch.review, "item-facilities", met="true", evidence="伪造")
    assert refused.status_code == 403 and "您无权执行此操作" in refused.get_data(as_text=True)
    assert step(head, launch.review, "item-facilities", met="true", evidence="伪造").status_code == 403
    assert f">{GO_LIVE}</button>" not in head.get(f"/reviews/{launch.review_id}").get_data(
        as_text=True
    )  # not concluded yet
    assert step(head, launch.review, "go_live", go_live_on="2026-12-21").status_code == 409
    assert stored(tracker, launch.review_id) == before


def test_form_errors_show_beside_their_fields_and_record_nothing(app, tracker, launch) -> None:
    pm = signed_in(app, PM)
    before = stored(tracker, launch.review_id)
    refused = step(pm, launch.review, "item-equipment", met="true", evidence="")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="item-equipment-evidence-error"' in page
    assert 'id="item-facilities-evidence-error"' not in page
    assert step(pm, launch.review, "item-equipment", met="maybe", evidence="有").status_code == 422
    assert step(pm, launch.review, "nonsense", summary="x").status_code == 422
    assert stored(tracker, launch.review_id) == before
    launch.assess_all(unmet=("facilities",))
    launch.conclude()
    before = stored(tracker, launch.review_id)
    nonconformity = {"description": "机房空调故障", "owner_department": "administration", "due": "2026-12-24"}
    refused = step(pm, launch.review, "nonconformity", corrective_action="", **nonconformity)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="nonconformity-corrective_action-error"' in page
    assert "机房空调故障</textarea>" in page and 'value="2026-12-24"' in page
    del nonconformity["due"]
    refused = step(pm, launch.review, "nonconformity", corrective_action="修空调", **nonconformity)
    assert refused.status_code == 422 and 'id="nonconformity-due-error"' in refused.get_data(as_text=True)
    assert stored(tracker, launch.review_id) == before
