"""The contract page shows the month-by-month assessments and the termination right; the project
page offers each rectification step to the person it belongs to, now."""

from __future__ import annotations

import io
from datetime import date

import pytest

from demo.documents import png
from demo.workflow import PM, SALES, SERVICE_MANAGER, Launch
from tests.assessment_support import MET, MISSED, live_hotline, report
from tests.web.conftest import signed_in, stored

pytestmark = pytest.mark.backends()


@pytest.fixture
def failing(tracker) -> Launch:
    """Live; January to March 2027 failed, April passed, May's report missing (today 30 June 2027)."""
    launch = live_hotline(tracker)
    for month in ("2027-01", "2027-02", "2027-03"):
        report(tracker, launch, month, MISSED)
    report(tracker, launch, "2027-04", MET)
    return launch


def take(visitor, launch: Launch, step: str, **form):
    return visitor.post(
        f"/projects/{launch.project_id}/actions/{step}", {"version": str(launch.project.version), **form}
    )


def test_the_contract_page_shows_each_months_assessment(app, failing: Launch) -> None:
    page = signed_in(app, SALES).get(f"/projects/{failing.project_id}/contract").get_data(as_text=True)
    assessments = page.split("月度考核", 1)[1].split("</table>", 1)[0]
    assert assessments.count("未达标") >= 3 and "达标" in assessments and "未提交报告" in assessments
    assert "待考核" in assessments  # June is not over
    assert "客户有权终止合同：" not in page  # April passed: the run was reset
    english = signed_in(app, SALES, "en").get(f"/projects/{failing.project_id}/contract").get_data(as_text=True)
    assert "Monthly assessments" in english and "Report missing" in english


def test_three_failed_months_show_the_termination_right(app, tracker) -> None:
    launch = live_hotline(tracker)
    report(tracker, launch, "2026-12", MET, start=date(2026, 12, 21), end=date(2027, 2, 28))
    for month in ("2027-03", "2027-04", "2027-05"):
        report(tracker, launch, month, MISSED)
    page = signed_in(app, SALES).get(f"/projects/{launch.project_id}/contract").get_data(as_text=True)
    assert "客户有权终止合同：连续 3 个月未达标（2027-03, 2027-04, 2027-05）" in page
    assert "客户有权终止合同的连续未达标月数: 3" in page


def test_each_rectification_step_is_offered_to_its_person_and_recorded(app, tracker, failing: Launch) -> None:
    path = f"/projects/{failing.project_id}"
    sales, pm, manager = signed_in(app, SALES), signed_in(app, PM), signed_in(app, SERVICE_MANAGER)
    assert "登记整改通知" in sales.get(path).get_data(as_text=True)
    assert "登记整改通知" not in pm.get(path).get_data(as_text=True)
    assert "登记整改计划" not in pm.get(path).get_data(as_text=True)  # no notice yet

    notice = {"month": "2027-02", "notice_reference": "整改通知 ZG-02", "received_on": "2027-06-01"}
    assert take(sales, failing, "notify_rectification", **notice).status_code == 302
    assert "登记整改计划" in pm.get(path).get_data(as_text=True)
    assert "报告整改完成" not in manager.get(path).get_data(as_text=True)
    assert take(pm, failing, "plan_rectification", n="1", measures="高峰加派坐席\n每日检查接通率").status_code == 302
    assert "报告整改完成" in manager.get(path).get_data(as_text=True)
    assert take(manager, failing, "complete_rectification", n="1", evidence="6月接通率 96%").status_code == 302
    assert take(pm, failing, "close_rectification", n="1", comments="客户已确认").status_code == 302
    assert stored(tracker, failing.project_id)[-4:] == [
        "RectificationNotified", "RectificationPlanned", "RectificationCompleted", "RectificationClosed",
    ]  # fmt: skip
    assert tracker.load_project(failing.project_id).rectifications[0]["plan"]["measures"] == [
        "高峰加派坐席",
        "每日检查接通率",
    ]
    contract = sales.get(f"/projects/{failing.project_id}/contract").get_data(as_text=True)
    assert "ZG-02" in contract and "已关闭" in contract


def test_a_refused_notice_is_explained_and_records_nothing(app, tracker, failing: Launch) -> None:
    sales = signed_in(app, SALES)
    before = stored(tracker, failing.project_id)
    refused = take(
        sales, failing, "notify_rectification", month="2027-04", notice_reference="ZG", received_on="2027-06-01"
    )
    assert refused.status_code == 409
    assert "只有未达标或未提交报告的月份才能登记整改" in refused.get_data(as_text=True)
    refused = take(
        sales, failing, "notify_rectification", month="2027-02", notice_reference="ZG", received_on="2027-07-01"
    )
    assert refused.status_code == 422
    assert stored(tracker, failing.project_id) == before


def test_the_service_manager_attaches_a_photo_to_the_rectifications_completion(app, tracker, failing: Launch) -> None:
    tracker.notify_rectification(SALES, failing.project_id, "2027-02", "整改通知 ZG-02", date(2027, 6, 1))
    tracker.plan_rectification(PM, failing.project_id, 1, ["高峰加派坐席"])
    manager, path = signed_in(app, SERVICE_MANAGER), f"/projects/{failing.project_id}"
    action = f"{path}/actions/complete_rectification"
    form = manager.get(path).get_data(as_text=True).split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    assert 'enctype="multipart/form-data"' in form.split(">", 1)[0] and 'type="file"' in form
    body = {
        "version": str(failing.project.version),
        "n": "1",
        "evidence": "6月接通率 96%",
        "csrf_token": manager.csrf_token(),
        "files": [(io.BytesIO(png()), "接通率.png")],
    }

    sent = manager.client.post(action, data=body, content_type="multipart/form-data")

    assert sent.status_code == 302, sent.get_data(as_text=True)
    [sha] = tracker.history(failing.project_id)[-1].files
    page = signed_in(app, PM).get(sent.headers["Location"]).get_data(as_text=True)
    assert f'<img src="/files/{sha}" alt="接通率.png"' in page


def test_the_pms_work_lists_the_rectifications_waiting_for_them_overdue_marked(app, tracker, failing: Launch) -> None:
    """我的工作: a notice waits for the PM's plan (past its due date: overdue), then for nobody of theirs until
    the service manager reports it done, then for the PM's closure."""
    pm = signed_in(app, PM)
    assert "整改 1" not in pm.get("/").get_data(as_text=True)
    tracker.notify_rectification(SALES, failing.project_id, "2027-02", "整改通知 ZG-02", date(2027, 3, 1))
    work = pm.get("/").get_data(as_text=True)
    assert "整改 1: 登记整改计划 · 已逾期" in work
    tracker.plan_rectification(PM, failing.project_id, 1, ["加派坐席"])
    assert "整改 1" not in pm.get("/").get_data(as_text=True)
    tracker.complete_rectification(SERVICE_MANAGER, failing.project_id, 1, "6月接通率 96%")
    assert "整改 1: 关闭整改" in pm.get("/").get_data(as_text=True)
