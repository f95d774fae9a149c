"""A ticket worked through its page: the lead starts it, flags a risk and proposes an alternative,
the PM escalates it, the branch head approves it, the lead submits and the PM accepts criterion by
criterion (or returns it). Each step shows at once; each person is offered only their own steps."""

from __future__ import annotations

import re

import pytest

from demo.workflow import BRANCH_HEAD, HR_LEAD, PM, TECH_LEAD, Launch
from tests.web.conftest import Visitor, signed_in, stored

pytestmark = pytest.mark.backends()
VERSION = re.compile(r'name="version" value="(\d+)"')
BUTTON = re.compile(r"<button[^>]*>([^<]+)</button>")


@pytest.fixture
def launch(tracker) -> Launch:
    return Launch(tracker).advance_to("implementation").issue_tickets()


def page(visitor: Visitor, path: str) -> str:
    return visitor.get(path).get_data(as_text=True)


def act(visitor: Visitor, ticket_id, step: str, **form: str) -> str:
    """Take ``step`` from the ticket's page as it is now; answer the page shown after it."""
    path = f"/tickets/{ticket_id}"
    version = VERSION.search(page(visitor, path)).group(1)
    sent = visitor.post(f"{path}/actions/{step}", {"version": version, **form})
    assert sent.status_code == 302 and sent.headers["Location"].startswith(f"{path}?after="), sent.status_code
    return page(visitor, sent.headers["Location"])


def buttons(html: str) -> list[str]:
    """The buttons in the page's main part (the header's sign-out and language switch left out)."""
    return BUTTON.findall(html.split('<main id="main">', 1)[1])


def state(html: str) -> str:
    return html.split('id="ticket-state">', 1)[1].split("<", 1)[0]


def deliver_to_acceptance(app, launch: Launch) -> tuple[Visitor, str]:
    lead = signed_in(app, HR_LEAD)
    r1 = launch.tickets["R1"]
    act(lead, r1, "start_ticket")
    act(lead, r1, "submit_ticket", evidence="录用名单 28 人")
    return signed_in(app, PM), r1


def test_a_ticket_is_worked_through_its_alternative_round_to_acceptance(app, tracker, launch: Launch) -> None:
    lead, r1 = signed_in(app, HR_LEAD), launch.tickets["R1"]
    opened = page(lead, f"/tickets/{r1}")
    assert state(opened) == "已下达" and "28 people hired" in opened
    assert buttons(opened) == ["开始处理", "报告风险"]

    shown = act(lead, r1, "start_ticket")
    assert state(shown) == "进行中" and buttons(shown) == ["报告风险", "提交验收"]
    shown = act(lead, r1, "flag_risk", reason="招聘进度落后")
    assert state(shown) == "有风险" and "招聘进度落后" in shown and buttons(shown) == ["提出替代方案"]
    shown = act(lead, r1, "propose_alternative", description="外包招聘 10 人", meets_requirements="true",
                new_due="2026-12-03")  # fmt: skip
    assert state(shown) == "已提出替代方案" and "外包招聘 10 人" in shown
    assert buttons(shown) == []  # the PM decides now

    pm = signed_in(app, PM)
    offered = page(pm, f"/tickets/{r1}")
    assert buttons(offered) == ["确认", "上报"]
    shown = act(pm, r1, "confirm_alternative", escalate="true")
    assert state(shown) == "已上报" and "li.lei" in shown

    head = signed_in(app, BRANCH_HEAD)
    offered = page(head, f"/tickets/{r1}")
    assert buttons(offered) == ["批准", "驳回"]
    shown = act(head, r1, "approve_alternative", outcome="approved", comments="同意外包")
    assert state(shown) == "进行中" and "已批准" in shown and "qian.yu" in shown and "同意外包" in shown
    assert "2026年12月3日" in shown  # the alternative's date is the ticket's due date now

    shown = act(lead, r1, "submit_ticket", evidence="录用名单 28 人")
    assert state(shown) == "待验收" and "录用名单 28 人" in shown and buttons(shown) == []

    offered = page(pm, f"/tickets/{r1}")
    assert "验收准则 1：28 people hired" in offered and "验收准则 2：training passed" in offered
    assert buttons(offered) == ["验收通过", "退回"]
    shown = act(pm, r1, "decide_acceptance", outcome="accepted", comments="齐全",
                **{"criteria.0.met": "true", "criteria.0.note": "名单已核对", "criteria.1.met": "true"})  # fmt: skip
    assert state(shown) == "已验收" and "验收通过" in shown and "名单已核对" in shown
    assert buttons(shown) == []
    assert stored(tracker, r1)[-1] == "TicketAccepted"


def test_the_pm_returns_a_submission_with_the_criterion_not_met(app, tracker, launch: Launch) -> None:
    pm, r1 = deliver_to_acceptance(app, launch)
    offered = page(pm, f"/tickets/{r1}")
    assert buttons(offered) == ["验收通过", "退回"]
    shown = act(pm, r1, "decide_acceptance", outcome="returned", comments="培训未完成",
                **{"criteria.0.met": "true", "criteria.1.met": "false", "criteria.1.note": "缺考核记录"})  # fmt: skip
    assert state(shown) == "进行中" and "已退回" in shown and "缺考核记录" in shown and "培训未完成" in shown
    assert "未满足" in shown
    assert stored(tracker, r1)[-1] == "TicketReturned"


def test_a_lead_may_neither_read_nor_work_another_departments_ticket(app, tracker, launch: Launch) -> None:
    tech, r1 = signed_in(app, TECH_LEAD), launch.tickets["R1"]
    shown = tech.get(f"/tickets/{r1}")
    assert shown.status_code == 403 and "您的角色无权查看此页面" in shown.get_data(as_text=True)
    assert 'id="ticket-state"' not in shown.get_data(as_text=True)
    before = stored(tracker, r1)
    refused = tech.post(f"/tickets/{r1}/actions/start_ticket", {"version": "1"})
    assert refused.status_code == 403 and "ticket-state" not in refused.get_data(as_text=True)
    refused = tech.post(f"/tickets/{r1}/actions/flag_risk", {"version": "1", "reason": "伪造"})
    assert refused.status_code == 403
    assert stored(tracker, r1) == before


def test_the_pm_is_not_offered_the_leads_steps_nor_the_lead_the_pms(app, tracker, launch: Launch) -> None:
    _, r1 = deliver_to_acceptance(app, launch)
    lead = signed_in(app, HR_LEAD)
    assert buttons(page(lead, f"/tickets/{r1}")) == []
    before = stored(tracker, r1)
    refused = lead.post(f"/tickets/{r1}/actions/decide_acceptance", {"version": "3", "outcome": "accepted",
                        "criteria.0.met": "true", "criteria.1.met": "true"})  # fmt: skip
    assert refused.status_code == 403
    assert stored(tracker, r1) == before


def test_form_errors_are_shown_beside_their_fields_and_nothing_is_recorded(app, tracker, launch: Launch) -> None:
    lead, r1 = signed_in(app, HR_LEAD), launch.tickets["R1"]
    before = stored(tracker, r1)
    refused = lead.post(f"/tickets/{r1}/actions/flag_risk", {"version": "1", "reason": "  "})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="flag_risk-reason-error"' in html and "必填" in html
    proposal = {"version": "1", "description": "外包招聘", "meets_requirements": "true"}
    refused = lead.post(f"/tickets/{r1}/actions/propose_alternative", proposal)
    assert refused.status_code == 409 and "当前阶段" in refused.get_data(as_text=True)  # no risk flagged yet
    assert stored(tracker, r1) == before

    act(lead, r1, "flag_risk", reason="招聘进度落后")
    before = stored(tracker, r1)
    refused = lead.post(f"/tickets/{r1}/actions/propose_alternative", {**proposal, "version": "2",
                        "meets_requirements": ""})  # fmt: skip
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="propose_alternative-meets_requirements-error"' in html
    assert ">外包招聘</textarea>" in html  # what was typed is kept
    assert stored(tracker, r1) == before


def test_acceptance_needs_a_decision_on_every_criterion(app, tracker, launch: Launch) -> None:
    pm, r1 = deliver_to_acceptance(app, launch)
    before = stored(tracker, r1)
    version = VERSION.search(page(pm, f"/tickets/{r1}")).group(1)
    refused = pm.post(f"/tickets/{r1}/actions/decide_acceptance",
                      {"version": version, "outcome": "accepted", "criteria.0.met": "true",
                       "criteria.0.note": "名单已核对"})  # fmt: skip
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="decide_acceptance-criteria.1.met-error"' in html
    assert "名单已核对" in html  # what was typed is kept
    refused = pm.post(f"/tickets/{r1}/actions/decide_acceptance",
                      {"version": version, "outcome": "accepted", "criteria.0.met": "true",
                       "criteria.1.met": "false"})  # fmt: skip
    assert refused.status_code == 409 and "规则" in refused.get_data(as_text=True)
    assert stored(tracker, r1) == before


def test_a_stale_page_or_an_unknown_step_records_nothing(app, tracker, launch: Launch) -> None:
    lead, r1 = signed_in(app, HR_LEAD), launch.tickets["R1"]
    before = stored(tracker, r1)
    assert lead.post(f"/tickets/{r1}/actions/go_live", {"version": "1"}).status_code == 422
    assert lead.post(f"/tickets/{r1}/actions/start_ticket", {"version": "x"}).status_code == 422
    assert lead.post(f"/tickets/{r1}/actions/start_ticket", {"version": "1"}, with_token=False).status_code == 400
    launch.tracker.flag_risk(HR_LEAD, r1, "meanwhile")
    before = stored(tracker, r1)
    assert lead.post(f"/tickets/{r1}/actions/flag_risk", {"version": "1", "reason": "again"}).status_code == 409
    assert stored(tracker, r1) == before


def test_an_alternative_that_misses_the_requirements_is_reviewed_with_the_departments(app, tracker, launch) -> None:
    lead, r2 = signed_in(app, TECH_LEAD), launch.tickets["R2"]
    act(lead, r2, "flag_risk", reason="设备延迟")
    act(lead, r2, "propose_alternative", description="先用旧设备", meets_requirements="false")
    pm = signed_in(app, PM)
    offered = page(pm, f"/tickets/{r2}")
    assert state(offered) == "替代方案评审中" and buttons(offered) == ["评审通过", "评审不通过"]
    assert "<legend>参加评审的部门</legend>" in offered and "系统维护开发部" in offered
    before = stored(tracker, r2)
    version = VERSION.search(offered).group(1)
    refused = pm.post(f"/tickets/{r2}/actions/review_alternative", {"version": version, "outcome": "failed"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="review_alternative-participants-error"' in html
    both = ["technology", "operations"]
    refused = pm.post(
        f"/tickets/{r2}/actions/review_alternative", {"version": version, "outcome": "failed", "participants": both}
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="review_alternative-comments-error"' in html
    assert 'value="technology" checked' in html  # the ticked departments are kept
    assert stored(tracker, r2) == before
    shown = act(pm, r2, "review_alternative", outcome="failed", participants=both, comments="质量不达标")
    assert state(shown) == "有风险" and "评审不通过" in shown and "质量不达标" in shown and "运营部" in shown
    act(lead, r2, "propose_alternative", description="租用新设备", meets_requirements="false")
    shown = act(pm, r2, "review_alternative", outcome="passed", participants=["technology"])
    assert state(shown) == "进行中" and "<h3>替代方案 2 · 评审通过</h3>" in shown
    assert "<h3>替代方案 1 · 评审不通过</h3>" in shown  # every round is kept
