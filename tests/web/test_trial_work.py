"""My work, the trial's part: the service manager's manuals to write, projects in trial to audit and
reviews under way; the branch head's go-live decisions waiting."""

from __future__ import annotations

import pytest

from demo.workflow import BRANCH_HEAD, SERVICE_MANAGER, Launch
from tests.web.conftest import signed_in

pytestmark = pytest.mark.backends()


def test_the_service_manager_sees_the_manual_to_write_until_it_is_submitted(app, tracker) -> None:
    launch = Launch(tracker).advance_to("implementation")
    manager = signed_in(app, SERVICE_MANAGER)
    page = manager.get("/").get_data(as_text=True)
    assert "待编写的运营手册" in page and f"/projects/{launch.project_id}" in page
    tracker.submit_manual(SERVICE_MANAGER, launch.project_id, "OM-SH-01", "first issue")
    page = manager.get("/").get_data(as_text=True)
    section = page.split("待编写的运营手册", 1)[1].split("<h2>", 1)[0]
    assert launch.code not in section


def test_the_service_manager_sees_projects_in_trial_and_reviews_under_way(app, tracker) -> None:
    launch = Launch(tracker).advance_to("trial_review")
    page = signed_in(app, SERVICE_MANAGER).get("/").get_data(as_text=True)
    assert "试运营中的项目：内部业务流程审核" in page and "尚未审核" in page
    assert "进行中的试运营评审" in page and f"/reviews/{launch.review_id}" in page


def test_the_branch_head_sees_a_go_live_decision_waiting_after_a_passed_review(app, tracker) -> None:
    launch = Launch(tracker).advance_to("trial_review")
    head = signed_in(app, BRANCH_HEAD)
    assert f"/reviews/{launch.review_id}" not in head.get("/").get_data(as_text=True)
    launch.assess_all().conclude()
    page = head.get("/").get_data(as_text=True)
    assert "待决定上线" in page and f"/reviews/{launch.review_id}" in page
    launch.go_live()
    assert f"/reviews/{launch.review_id}" not in head.get("/").get_data(as_text=True)
