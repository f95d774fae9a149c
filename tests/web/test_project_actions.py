"""The project page offers the steps the signed-in person may take now, and only those; taking one
sends the command, and the page shows its result at once. A refused step records nothing."""

from __future__ import annotations

import pytest

from demo.workflow import PM, SALES, Launch
from tests.web.conftest import signed_in, stored

pytestmark = pytest.mark.backends()
SUBMIT = "提交评审"


@pytest.fixture
def launch(tracker) -> Launch:
    return Launch(tracker).advance_to("planning").draft()


def test_the_pm_submits_the_plan_draft_from_the_project_page(app, tracker, launch: Launch) -> None:
    pm = signed_in(app, PM)
    path = f"/projects/{launch.project_id}"
    assert SUBMIT in pm.get(path).get_data(as_text=True)
    sent = pm.post(f"{path}/actions/submit_plan", {"version": str(launch.project.version)})
    assert sent.status_code == 302 and sent.headers["Location"].startswith(f"{path}?after=")
    page = pm.get(sent.headers["Location"]).get_data(as_text=True)
    current = page.split('aria-current="step"', 1)[1].split("</li>", 1)[0]
    assert "计划评审" in current and SUBMIT not in page
    assert stored(tracker, launch.project_id)[-1] == "PlanSubmitted"


def test_nobody_else_is_offered_the_step_and_a_forged_post_is_refused(app, tracker, launch: Launch) -> None:
    sales = signed_in(app, SALES)
    path = f"/projects/{launch.project_id}"
    assert SUBMIT not in sales.get(path).get_data(as_text=True)
    before = stored(tracker, launch.project_id)
    refused = sales.post(f"{path}/actions/submit_plan", {"version": str(launch.project.version)})
    assert refused.status_code == 403 and "您无权执行此操作" in refused.get_data(as_text=True)
    assert stored(tracker, launch.project_id) == before


def test_a_page_read_before_someone_elses_change_records_nothing(app, tracker, launch: Launch) -> None:
    pm = signed_in(app, PM)
    seen = launch.project.version
    launch.draft()  # the plan is saved again meanwhile
    before = stored(tracker, launch.project_id)
    refused = pm.post(f"/projects/{launch.project_id}/actions/submit_plan", {"version": str(seen)})
    assert refused.status_code == 409 and "其他人刚刚修改了此内容" in refused.get_data(as_text=True)
    assert stored(tracker, launch.project_id) == before


def test_a_step_without_the_csrf_token_or_a_version_records_nothing(app, tracker, launch: Launch) -> None:
    pm = signed_in(app, PM)
    path = f"/projects/{launch.project_id}/actions/submit_plan"
    before = stored(tracker, launch.project_id)
    assert pm.post(path, {"version": str(launch.project.version)}, with_token=False).status_code == 400
    assert pm.post(path, {"version": "x"}).status_code == 422
    assert pm.post(f"/projects/{launch.project_id}/actions/go_live", {"version": "1"}).status_code == 422
    assert stored(tracker, launch.project_id) == before
