"""A whole launch through the pages in 简体中文, as the people who do it: sales registers the project,
the director appoints the PM, the PM plans, submits and approves the plan and issues the tickets; the
technology lead works through an alternative round the branch head approves; the PM accepts every
ticket criterion by criterion; the manual is approved, the trial runs, a first review fails and a
second passes; the branch head decides go-live. Then the auditor reads the audit log, the project as
it was before go-live, and downloads the log as CSV.

Everything is found by the words a person reads (labels, button and link names from the glossary)
and sent by clicking; the tracker is read only at the end, to check what was recorded.
"""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, expect

from demo.workflow import (
    ADMIN_LEAD,
    AUDITOR,
    BRANCH_HEAD,
    DIRECTOR,
    HR_LEAD,
    PM,
    SALES,
    SERVICE_MANAGER,
    SYSMAINT_LEAD,
    TECH_LEAD,
)
from domain.project import Project
from domain.roles import Actor
from tests.web.conftest import stored

pytestmark = pytest.mark.backends("sqlite", "postgres")

CODE, NAME, CUSTOMER = "BJ-12345", "北京市民热线", "北京市政务服务中心"
REVIEW_ITEMS = ("客户规定的要求", "隐含的要求", "法律法规要求", "试运营总结", "设施", "设备", "流程", "人员")
SHANGHAI = ZoneInfo("Asia/Shanghai")


class Walk:
    """One browser tab going through the launch; each person signs in, works, and signs out (退出)."""

    def __init__(self, page: Page, sign_in) -> None:
        self.page = page
        self._sign_in = sign_in
        self.signed_in: Actor | None = None

    def as_(self, person: Actor) -> Page:
        if self.signed_in is not None:
            self.page.get_by_role("button", name="退出", exact=True).click()
            expect(self.page.get_by_label("用户名")).to_be_visible()
        self._sign_in(self.page, person)
        self.signed_in = person
        expect(self.page.get_by_role("heading", name="我的工作")).to_be_visible()
        return self.page

    def button(self, name: str, within: Locator | Page | None = None) -> Locator:
        return (within or self.page).get_by_role("button", name=name, exact=True)

    def label(self, text: str, within: Locator | Page | None = None) -> Locator:
        return (within or self.page).get_by_label(text, exact=True)

    def actions(self) -> Locator:
        return self.page.get_by_role("region", name="可执行的操作")

    def open_project(self) -> None:
        self.page.get_by_role("link", name="项目列表", exact=True).click()
        self.page.get_by_role("link", name=CODE, exact=True).click()
        expect(self.page.get_by_role("heading", name=f"{CODE} · {NAME}")).to_be_visible()

    def phase_is(self, phase: str) -> None:
        expect(self.page.locator("[aria-current=step]")).to_contain_text(phase)

    def ticket_state_is(self, state: str) -> None:
        expect(self.page.locator("#ticket-state")).to_have_text(state)

    def open_ticket_of_project(self, ref: str) -> None:
        self.open_project()
        self.page.get_by_role("link", name="本项目的全部需求单", exact=True).click()
        self.page.get_by_role("link", name=ref, exact=True).click()


def register(walk: Walk) -> None:
    page = walk.as_(SALES)
    page.get_by_role("link", name="新建项目", exact=True).click()
    walk.label("项目编号").fill(CODE)
    walk.label("项目名称").fill(NAME)
    walk.label("客户").fill(CUSTOMER)
    walk.label("呼入热线").check()
    walk.label("每周服务天数").fill("7")
    walk.label("每日开始时间").fill("08:00")
    walk.label("每日结束时间").fill("20:00")
    walk.label("座席数").fill("40")
    walk.label("服务语言（用逗号分隔）").fill("普通话，粤语")
    walk.label("需求 1 的类别").select_option(label="客户规定的要求")
    walk.label("需求 1").fill("接通率不低于 95%")
    walk.label("需求 1 的来源").fill("服务合同")
    walk.label("需求 2 的类别").select_option(label="法律法规要求")
    walk.label("需求 2").fill("客户信息保密")
    walk.label("需求 2 的来源").fill("服务合同")
    walk.label("文件 1 的类别").select_option(label="服务合同")
    walk.label("文件 1 的编号").fill("HT-2027-001")
    walk.button("新建项目").click()
    expect(page.get_by_role("heading", name=f"{CODE} · {NAME}")).to_be_visible()
    walk.phase_is("服务信息收集")


def appoint(walk: Walk) -> None:
    walk.as_(DIRECTOR)
    walk.open_project()
    actions = walk.actions()
    walk.label("项目经理的用户名", actions).fill(PM.user)
    walk.label("任命书编号", actions).fill("任命书 RM-2027-001")
    walk.button("任命项目经理", actions).click()
    walk.phase_is("计划编制")


def plan(walk: Walk) -> None:
    page = walk.as_(PM)
    walk.open_project()
    page.get_by_role("link", name="项目计划书", exact=True).click()
    walk.label("试运营开始").fill("2026-12-14")
    walk.label("试运营评审").fill("2026-12-25")
    walk.label("正式运营").fill("2026-12-29")
    walk.label("运营手册完成日期").fill("2026-12-11")
    walk.label("运营手册要求").fill("来电流程与话术")
    walk.label("硬件设备及设施（每行一项）").fill("耳麦 42 副\n座席 40 个")
    walk.label("软件系统（每行一项）").fill("IVR")
    # The intake's requirements are offered as R1 and R2; a third is added in a blank row.
    expect(walk.label("需求 1 的编号")).to_have_value("R1")
    expect(walk.label("需求 2 的名称")).to_have_value("客户信息保密")
    rows = {
        1: ("R1", None, "人事部", ("招聘 42 名座席", "岗前培训考核通过")),
        2: ("R2", None, "技术部", ("录音系统上线", "数据加密存储")),
        3: ("R3", "职场装修", "行政部", ("职场验收合格",)),
    }
    for n, (ref, title, department, criteria) in rows.items():
        walk.label(f"需求 {n} 的编号").fill(ref)
        if title:
            walk.label(f"需求 {n} 的名称").fill(title)
        walk.label(f"需求 {n} 的负责部门").select_option(label=department)
        walk.label(f"需求 {n} 的完成日期").fill("2026-12-09")
        walk.label(f"需求 {n} 的验收日期").fill("2026-12-10")
        walk.label(f"需求 {n} 的验收准则（每行一条）").fill("\n".join(criteria))
    walk.button("保存计划").click()
    expect(page.get_by_role("heading", name="第 1 版 · 草稿")).to_be_visible()
    page.get_by_role("link", name=f"项目: {NAME}").click()
    walk.button("提交评审", walk.actions()).click()
    walk.phase_is("计划评审")
    actions = walk.actions()
    for department in ("人事部", "技术部", "行政部"):
        walk.label(department, actions).check()
    walk.label("评审意见（评审不通过时必填）", actions).fill("各部门同意")
    walk.button("评审通过", actions).click()
    walk.phase_is("项目实施")
    walk.button("下达需求单", walk.actions()).click()
    expect(walk.actions()).to_have_count(0)
    page.get_by_role("link", name="本项目的全部需求单", exact=True).click()
    expect(page.get_by_role("row")).to_have_count(4)  # the head and R1, R2, R3, each 已下达
    expect(page.get_by_role("cell", name="已下达", exact=True)).to_have_count(3)


def alternative_round(walk: Walk) -> None:
    """The technology lead cannot keep the date: risk, an alternative, escalated, approved, delivered."""
    page = walk.as_(TECH_LEAD)
    page.get_by_role("link", name="客户信息保密", exact=True).click()  # 我的工作: the department's tickets
    walk.ticket_state_is("已下达")
    walk.button("开始处理").click()
    walk.ticket_state_is("进行中")
    walk.label("影响进度或质量的原因").fill("加密设备到货推迟")
    walk.button("报告风险").click()
    walk.ticket_state_is("有风险")
    walk.label("替代方案内容").fill("先用软件加密，设备到货后切换")
    walk.label("仍能按时、按质满足客户要求").select_option(label="是")
    walk.button("提出替代方案").click()
    walk.ticket_state_is("已提出替代方案")

    page = walk.as_(PM)
    page.get_by_role("link", name="R2", exact=True).click()  # waiting for the PM on 我的工作
    walk.button("上报").click()
    walk.ticket_state_is("已上报")

    page = walk.as_(BRANCH_HEAD)
    page.get_by_role("link", name="R2", exact=True).click()  # escalated to them, on 我的工作
    walk.label("评审意见").fill("同意过渡方案")
    walk.button("批准").click()
    walk.ticket_state_is("进行中")
    expect(page.get_by_role("region", name="替代方案 1")).to_contain_text("同意过渡方案")

    page = walk.as_(TECH_LEAD)
    page.get_by_role("link", name="客户信息保密", exact=True).click()
    walk.label("交付证明（交付了什么）").fill("录音系统验收单 JS-01")
    walk.button("提交验收").click()
    walk.ticket_state_is("待验收")


def deliver(walk: Walk, lead: Actor, title: str) -> None:
    page = walk.as_(lead)
    page.get_by_role("link", name=title, exact=True).click()
    walk.button("开始处理").click()
    walk.ticket_state_is("进行中")
    walk.label("交付证明（交付了什么）").fill(f"{title}：交付记录")
    walk.button("提交验收").click()
    walk.ticket_state_is("待验收")


def accept(walk: Walk, ref: str, criteria: tuple[str, ...]) -> None:
    """The PM checks each criterion, notes what was seen, and accepts."""
    page = walk.page
    page.get_by_role("link", name="我的工作", exact=True).click()
    page.get_by_role("link", name=ref, exact=True).click()
    for n, criterion in enumerate(criteria, 1):
        walk.label(f"验收准则 {n}：{criterion}").select_option(label="已满足")
        walk.label(f"验收准则 {n} 的备注").fill(f"已核对：{criterion}")
    walk.button("验收通过").click()
    walk.ticket_state_is("已验收")
    expect(page.get_by_role("region", name="验收检查 1")).to_contain_text(f"已核对：{criteria[-1]}")


def deliver_all(walk: Walk) -> None:
    alternative_round(walk)
    deliver(walk, HR_LEAD, "接通率不低于 95%")
    deliver(walk, ADMIN_LEAD, "职场装修")
    walk.as_(PM)
    accept(walk, "R1", ("招聘 42 名座席", "岗前培训考核通过"))
    accept(walk, "R2", ("录音系统上线", "数据加密存储"))
    accept(walk, "R3", ("职场验收合格",))


def manual_and_trial(walk: Walk) -> None:
    page = walk.as_(SERVICE_MANAGER)
    page.get_by_role("link", name=f"{CODE} · {NAME}", exact=True).click()  # a manual to write
    actions = walk.actions()
    walk.label("文件编号", actions).fill("OM-BJ-01")
    walk.label("修订说明", actions).fill("首版")
    walk.button("提交运营手册", actions).click()
    expect(page.get_by_role("cell", name="OM-BJ-01", exact=True)).to_be_visible()

    walk.as_(PM)
    walk.open_project()
    actions = walk.actions()
    walk.label("评审意见", actions).fill("内容完整")
    walk.button("批准", actions).click()
    expect(page.get_by_role("cell", name="已批准", exact=True)).to_be_visible()
    actions = walk.actions()
    walk.label("试运营开始日期", actions).fill("2026-12-14")
    walk.label("试运营计划结束日期", actions).fill("2026-12-25")
    walk.button("开始试运营", actions).click()
    walk.phase_is("试运营")

    walk.as_(SYSMAINT_LEAD)
    walk.open_project()
    actions = walk.actions()
    walk.label("报告期开始", actions).fill("2026-12-14")
    walk.label("报告期结束", actions).fill("2026-12-24")
    walk.label("设备运行情况", actions).fill("无中断")
    walk.button("提交设备运行情况报告", actions).click()
    expect(page.get_by_role("cell", name="无中断", exact=True)).to_be_visible()


def open_review(walk: Walk, held_on: str, day: str) -> None:
    actions = walk.actions()
    walk.label("评审日期", actions).fill(held_on)
    walk.label("运营部", actions).check()
    walk.label("技术部", actions).check()
    walk.button("发起评审", actions).click()
    walk.phase_is("试运营评审")
    walk.page.get_by_role("link", name=f"试运营评审记录 · {day}", exact=True).click()


def assess(walk: Walk, unmet: tuple[str, ...] = ()) -> None:
    for item in REVIEW_ITEMS:
        section = walk.page.get_by_role("region", name=item, exact=True)
        walk.label("评审结论", section).select_option(label="未满足" if item in unmet else "已满足")
        walk.label("评审依据", section).fill(f"{item}：现场检查")
        walk.button("记录评审项", section).click()
        expect(walk.page.get_by_role("cell", name=f"{item}：现场检查", exact=True)).to_be_visible()


def reviews(walk: Walk) -> datetime:
    """A first review fails on personnel and gets its nonconformity; a second passes. Returns a
    moment after the second review passed and before anyone decided go-live."""
    page = walk.as_(PM)
    walk.open_project()
    open_review(walk, "2026-12-25", "2026年12月25日")
    assess(walk, unmet=("人员",))
    walk.label("评审总结").fill("人员培训未完成")
    walk.button("结束评审").click()
    expect(page.locator("dl.facts")).to_contain_text("不通过")
    walk.label("不合格服务描述").fill("座席培训未完成")
    walk.label("纠正措施").fill("补训并考核")
    walk.label("责任部门").select_option(label="人事部")
    walk.label("完成期限").fill("2026-12-27")
    walk.button("记录不合格服务").click()
    expect(page.get_by_role("cell", name="补训并考核", exact=True)).to_be_visible()
    close_the_corrective_action(walk)

    page = walk.as_(PM)
    walk.open_project()
    walk.phase_is("试运营")
    open_review(walk, "2026-12-28", "2026年12月28日")
    assess(walk)
    walk.label("评审总结").fill("全部满足")
    walk.button("结束评审").click()
    expect(page.locator("dl.facts")).to_contain_text("通过")
    before_go_live = datetime.now(SHANGHAI)
    time.sleep(1.1)  # the history is asked for to the second
    return before_go_live


def close_the_corrective_action(walk: Walk) -> None:
    """No review passes while an earlier corrective action is open: the owner department's lead
    records it done, the PM verifies it effective, and it is closed."""
    first_review = "试运营评审记录 · 2026年12月25日"
    page = walk.as_(HR_LEAD)
    walk.open_project()
    page.get_by_role("link", name=first_review, exact=True).click()
    walk.label("交付证明").fill("补训记录 40 人")
    walk.button("记录完成").click()
    expect(page.get_by_role("cell", name="已完成待验证", exact=True)).to_be_visible()
    page = walk.as_(PM)
    walk.open_project()
    page.get_by_role("link", name=first_review, exact=True).click()
    walk.label("验证结论").select_option(label="有效")
    walk.label("验证意见").fill("考核通过")
    walk.button("验证").click()
    expect(page.get_by_role("cell", name="已关闭", exact=True)).to_be_visible()


def go_live(walk: Walk) -> None:
    page = walk.as_(BRANCH_HEAD)
    page.get_by_role("link", name=f"{CODE} · 试运营评审记录 · 2026年12月28日", exact=True).click()
    walk.label("上线日期").fill("2026-12-29")
    walk.button("决定上线").click()
    walk.phase_is("正式运营")
    expect(walk.button("决定上线")).to_have_count(0)


def audit(walk: Walk, before_go_live: datetime) -> list[list[str]]:
    page = walk.as_(AUDITOR)
    page.get_by_role("link", name="审计日志", exact=True).click()
    log = page.get_by_role("table")
    expect(log).to_contain_text("qian.yu（运营分部负责人）决定于 2026年12月29日 上线")
    expect(log).to_contain_text("li.lei（项目经理）试运营评审结束：通过")
    walk.label("事件类型").select_option(label="替代方案已上报")
    walk.button("筛选").click()
    expect(log).to_contain_text("li.lei（项目经理）将替代方案 1 上报运营分部负责人")
    walk.label("事件类型").select_option(label="项目已登记")
    walk.button("筛选").click()
    expect(log).to_contain_text(f"wang.fang（销售）为 {CUSTOMER} 登记了项目 {CODE}")

    walk.open_project()
    walk.phase_is("正式运营")
    page.get_by_role("link", name="查看历史", exact=True).click()
    walk.label("日期").fill(before_go_live.strftime("%Y-%m-%d"))
    walk.label("时间（可选；不填则为当天结束时）").fill(before_go_live.strftime("%H:%M:%S"))
    walk.button("按时间查看").click()
    then = page.get_by_role("region", name="时的状态", exact=False)
    expect(then).to_contain_text("阶段: 试运营评审")

    page.get_by_role("link", name="审计日志", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 CSV", exact=True).click()
    assert download.value.suggested_filename == "audit-log.csv"
    return list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))


def test_a_whole_launch_through_the_pages_in_chinese(page: Page, sign_in, tracker) -> None:
    walk = Walk(page, sign_in)
    register(walk)
    appoint(walk)
    plan(walk)
    deliver_all(walk)
    manual_and_trial(walk)
    before_go_live = reviews(walk)
    go_live(walk)
    rows = audit(walk, before_go_live)

    header, *events = rows
    assert header[:5] == ["位置", "时间（上海）", "时间（协调世界时）", "操作人", "角色"]
    assert all(re.search(r"[\u4e00-\u9fff]", name) and not re.search(r"[A-Za-z]", name) for name in header)
    project_id = str(Project.create_id(CODE))
    summaries = [row[-1] for row in events if row[6] == project_id]
    assert f"wang.fang（销售）为 {CUSTOMER} 登记了项目 {CODE}" in summaries
    assert "qian.yu（运营分部负责人）决定于 2026年12月29日 上线" in summaries
    history = stored(tracker, Project.create_id(CODE))
    assert history[0] == "Registered" and history[-1] == "WentLive"
    assert history.count("TrialReviewOpened") == 2
