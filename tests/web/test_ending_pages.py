"""Term and end through the project page: the contract's term as of today, the termination notice
offered to sales (the customer's) and the operations director (the provider's), each handover item
offered to its department's lead only, the closure offered to the PM only once it is allowed, and
a closed project offering nothing."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from flask import Flask

from api import create_app, shutdown
from demo.documents import pdf
from demo.workflow import DIRECTOR, HR_LEAD, PM, SALES, SALES_LEAD, SYSMAINT_LEAD, TECH_LEAD, Launch
from domain.clock import SHANGHAI
from tests.api.conftest import SECRET
from tests.web.conftest import PEOPLE, add_account, signed_in, stored

pytestmark = pytest.mark.backends()
FEE = {"kind": "base_with_bonus", "base_monthly_fee": "100000", "coefficients": [{"min_score": 0, "coefficient": 1}]}
TERM = {"start": "2026-12-21", "end": "2027-12-31", "renewal_months": 12, "renewal_notice_days": 30}


class Clock:
    moment = datetime(2027, 1, 5, 10, 0, tzinfo=SHANGHAI)

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(database_url: str, clock: Clock) -> Iterator[Flask]:
    settings = {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "TESTING": True, "PROJECTIONS_IN_PROCESS": True,
                "CLOCK": clock}  # fmt: skip
    app = create_app(settings)
    for actor, name in PEOPLE.items():
        add_account(app, actor, name)
    yield app
    shutdown(app)


def take(visitor, launch: Launch, path: str, **form):
    return visitor.post(f"/projects/{launch.project_id}/{path}", {"version": str(launch.project.version), **form})


def shown(visitor, response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return visitor.get(response.headers["Location"]).get_data(as_text=True)


def test_a_live_project_is_terminated_handed_over_and_closed_from_its_page(app, tracker, clock) -> None:
    launch = Launch(tracker).advance_to("live")
    tracker.record_contract_terms(SALES, launch.project_id, {"fee_model": FEE, "term": TERM})
    sales, director, pm = signed_in(app, SALES), signed_in(app, DIRECTOR), signed_in(app, PM)
    path = f"/projects/{launch.project_id}"

    page = sales.get(path).get_data(as_text=True)
    assert "合同期限" in page and "2027年12月31日" in page and "2027年12月1日" in page  # the end, notice by
    assert "记录终止通知" in page and "记录终止通知" in director.get(path).get_data(as_text=True)
    assert "记录终止通知" not in pm.get(path).get_data(as_text=True)
    assert "合同期限" not in signed_in(app, TECH_LEAD).get(path).get_data(as_text=True)  # a lead reads no contract
    contract = sales.get(f"{path}/contract").get_data(as_text=True)
    assert "合同期限" in contract and "自2026年12月21日至2027年12月31日" in contract

    notice = {"reason": "kpi_failures", "notice_on": "2027-01-04", "effective_on": "2027-01-03"}
    refused = take(sales, launch, "actions/record_termination", **notice)
    assert refused.status_code == 422 and 'id="record_termination-effective_on-error"' in refused.get_data(as_text=True)
    page = shown(sales, take(sales, launch, "actions/record_termination", **{**notice, "effective_on": "2027-03-31"}))
    current = page.split('aria-current="step"', 1)[1].split("</li>", 1)[0]
    assert "终止交接" in current and "考核指标未达标" in page and "客户" in page
    assert "记录终止通知" not in page

    # each item offered to its department's lead only; sales (a role, not the sales lead) gets none
    tech, hr = signed_in(app, TECH_LEAD), signed_in(app, HR_LEAD)
    page = tech.get(path).get_data(as_text=True)
    assert page.count("记录交接完成") == 2  # customer data and access, technology's two items
    assert "记录交接完成" not in sales.get(path).get_data(as_text=True)
    before = stored(tracker, launch.project_id)
    assert take(hr, launch, "handover/customer_data_returned", evidence="不是我们的").status_code == 403
    assert stored(tracker, launch.project_id) == before
    page = shown(tech, take(tech, launch, "handover/customer_data_returned", evidence="资料移交清单 D-1"))
    assert "资料移交清单 D-1" in page and TECH_LEAD.user in page and page.count("记录交接完成") == 1

    for lead, item in (
        (TECH_LEAD, "access_revoked"),
        (SYSMAINT_LEAD, "recordings_returned"),
        (HR_LEAD, "staff_released"),
        (SALES_LEAD, "final_settlement"),
    ):
        tracker.record_handover(lead, launch.project_id, item, "签收单")
    assert "关闭项目" not in pm.get(path).get_data(as_text=True)  # the effective date is not reached
    clock.moment = datetime(2027, 3, 31, 9, 0, tzinfo=SHANGHAI)
    assert "关闭项目" in pm.get(path).get_data(as_text=True)
    page = shown(pm, take(pm, launch, "actions/close_project", summary="服务已移交客户"))
    current = page.split('aria-current="step"', 1)[1].split("</li>", 1)[0]
    assert "已关闭" in current and "服务已移交客户" in page
    for visitor in (sales, director, pm, tech):
        assert '<form method="post" action="/projects/' not in visitor.get(path).get_data(as_text=True)
    assert stored(tracker, launch.project_id)[-2:] == ["HandoverItemCompleted", "ProjectClosed"]


def test_the_pages_speak_english_too(app, tracker) -> None:
    launch = Launch(tracker).advance_to("terminating")
    page = signed_in(app, TECH_LEAD, "en").get(f"/projects/{launch.project_id}").get_data(as_text=True)
    assert "Terminating" in page and "Customer data returned" in page and "Record handover done" in page


def test_my_work_shows_each_lead_their_handover_items_and_the_pm_what_closure_waits_for(app, tracker, clock) -> None:
    launch = Launch(tracker).advance_to("terminating").hand_over("customer_data_returned")
    tech = signed_in(app, TECH_LEAD).get("/").get_data(as_text=True)
    assert "等待您完成的交接事项" in tech and "系统权限已撤销" in tech and "客户资料已归还" not in tech
    pm = signed_in(app, PM).get("/").get_data(as_text=True)
    assert "终止交接中的项目" in pm and "未完成的交接事项：4项" in pm
    launch.hand_over("recordings_returned", "access_revoked", "staff_released", "final_settlement")
    clock.moment = datetime(2027, 3, 31, 9, 0, tzinfo=SHANGHAI)
    assert "可以关闭" in signed_in(app, PM).get("/").get_data(as_text=True)


def test_a_lead_attaches_the_signed_handover_record_and_the_project_page_lists_it(app, tracker) -> None:
    launch = Launch(tracker).advance_to("live")
    tracker.record_termination(
        SALES, launch.project_id, "customer", "kpi_failures", date(2027, 1, 4), date(2027, 3, 31)
    )
    tech, path = signed_in(app, TECH_LEAD), f"/projects/{launch.project_id}"
    html = tech.get(path).get_data(as_text=True)
    form = html.split(f'action="{path}/handover/customer_data_returned"', 1)[1].split("</form>", 1)[0]
    assert 'enctype="multipart/form-data"' in form.split(">", 1)[0] and 'type="file"' in form
    record = pdf("Customer data handover", ("list D-1", "signed: customer"))
    sent = tech.client.post(
        f"{path}/handover/customer_data_returned",
        data={
            "version": str(launch.project.version),
            "evidence": "资料移交清单 D-1",
            "csrf_token": tech.csrf_token(),
            "files": [(io.BytesIO(record), "资料移交清单.pdf")],
        },
        content_type="multipart/form-data",
    )

    assert sent.status_code == 302, sent.get_data(as_text=True)
    [sha] = tracker.history(launch.project_id)[-1].files
    page = signed_in(app, PM).get(sent.headers["Location"]).get_data(as_text=True)
    assert f'<a href="/files/{sha}">资料移交清单.pdf</a>' in page
    opened = signed_in(app, PM).get(f"/files/{sha}")
    assert (opened.status_code, opened.data) == (200, record)
