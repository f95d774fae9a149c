"""Customer requests (通知事项) on the pages: sales records one on the project page; the lead of its
owner department sees it on 我的工作 with the working days left, overdue first, and fulfils it on
the project page; a lead of another department sees neither it nor a button, and a forged post
records nothing."""

from __future__ import annotations

import io
from datetime import date

import pytest

from demo.documents import pdf
from demo.workflow import HR_LEAD, OPS_LEAD, SALES, Launch
from tests.web.conftest import signed_in, stored
from tests.web.test_review_page import shown

RECORD, FULFIL = "登记通知事项", "确认办结"


@pytest.fixture
def launch(tracker) -> Launch:
    return Launch(tracker).advance_to("live")


def record(visitor, launch: Launch, **form):
    version = str(launch.project.version)
    return visitor.post(f"/projects/{launch.project_id}/actions/record_customer_request", {"version": version, **form})


def fulfil(visitor, launch: Launch, n: int, **form):
    version = str(launch.project.version)
    return visitor.post(f"/projects/{launch.project_id}/requests/{n}/fulfilment", {"version": version, **form})


def test_sales_records_requests_and_the_owner_lead_fulfils_theirs(app, tracker, launch) -> None:
    sales, hr = signed_in(app, SALES), signed_in(app, HR_LEAD)
    assert f">{RECORD}</button>" in sales.get(f"/projects/{launch.project_id}").get_data(as_text=True)
    assert f">{RECORD}</button>" not in hr.get(f"/projects/{launch.project_id}").get_data(as_text=True)

    form = {"received_on": "2026-09-29", "reference": "客户函 2026-031"}
    shown(sales, record(sales, launch, kind="seat_change", details="早班增加 5 个座席", **form))
    page = shown(sales, record(sales, launch, kind="volume_surge", details="双十一话务量翻倍", **form))
    assert "座席变更" in page and "话务量激增" in page and "2026年10月14日" in page and "2026年10月26日" in page

    page = hr.get(f"/projects/{launch.project_id}").get_data(as_text=True)
    assert "双十一话务量翻倍" in page and "早班增加 5 个座席" not in page and f">{FULFIL}</button>" in page
    home = hr.get("/").get_data(as_text=True)
    assert "本部门待办的通知事项" in home and "双十一话务量翻倍" in home and launch.code in home

    page = shown(hr, fulfil(hr, launch, 2, evidence="新增 20 名座席员，花名册 HR-88"))
    assert "已办结" in page and "花名册 HR-88" in page and f">{FULFIL}</button>" not in page
    assert "双十一话务量翻倍" not in hr.get("/").get_data(as_text=True)
    assert stored(tracker, launch.project_id)[-1] == "RequestFulfilled"


def test_a_lead_of_another_department_cannot_fulfil_and_bad_input_records_nothing(app, tracker, launch) -> None:
    sales, hr = signed_in(app, SALES), signed_in(app, HR_LEAD)
    form = {"kind": "seat_change", "received_on": "2026-09-29", "details": "早班增加 5 个座席", "reference": "函 31"}
    shown(sales, record(sales, launch, **form))
    before = stored(tracker, launch.project_id)

    assert fulfil(hr, launch, 1, evidence="伪造").status_code == 403
    assert fulfil(hr, launch, 9, evidence="伪造").status_code == 404
    refused = record(sales, launch, **{**form, "kind": "coffee_break"})
    assert refused.status_code == 422 and 'id="record_customer_request-kind-error"' in refused.get_data(as_text=True)
    assert stored(tracker, launch.project_id) == before

    ops = signed_in(app, OPS_LEAD)
    home = ops.get("/").get_data(as_text=True)
    assert "早班增加 5 个座席" in home and "已逾期" in home


def test_the_department_board_lists_the_requests_it_owes_to_those_who_may_see_them(app, tracker, launch) -> None:
    tracker.record_customer_request(
        SALES, launch.project_id, "volume_surge", date(2026, 9, 29), "双十一话务量翻倍", "函 7"
    )
    heading = "该部门待办的通知事项"

    page = signed_in(app, HR_LEAD).get("/departments/hr").get_data(as_text=True)
    assert heading in page and "双十一话务量翻倍" in page and "话务量激增" in page
    assert "双十一话务量翻倍" in signed_in(app, SALES).get("/departments/hr").get_data(as_text=True)
    assert heading not in signed_in(app, OPS_LEAD).get("/departments/hr").get_data(as_text=True)


@pytest.mark.backends("sqlite", "postgres")
def test_the_owner_lead_attaches_the_signed_record_when_fulfilling(app, tracker, launch) -> None:
    tracker.record_customer_request(
        SALES, launch.project_id, "extra_training", date(2026, 9, 29), "追加培训", "客户函 2026-031"
    )
    ops, path = signed_in(app, OPS_LEAD), f"/projects/{launch.project_id}"
    action = f"{path}/requests/1/fulfilment"
    form = ops.get(path).get_data(as_text=True).split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    assert 'enctype="multipart/form-data"' in form.split(">", 1)[0] and 'type="file"' in form
    record = pdf("Training sign-in sheet", ("T-7",))
    body = {
        "version": str(launch.project.version),
        "evidence": "培训签到表 T-7",
        "csrf_token": ops.csrf_token(),
        "files": [(io.BytesIO(record), "签到表.pdf")],
    }

    page = shown(ops, ops.client.post(action, data=body, content_type="multipart/form-data"))

    [sha] = tracker.history(launch.project_id)[-1].files
    assert "已办结" in page and f'<a href="/files/{sha}">签到表.pdf</a>' in page
