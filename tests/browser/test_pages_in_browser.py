"""The pages in a real browser (Chromium): found by role and accessible name as a person finds them,
in 简体中文 first; the language switch, CSRF, and the steps a person is offered."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from demo.workflow import PM, Launch
from tests.web.conftest import stored

pytestmark = pytest.mark.backends("sqlite", "postgres")


@pytest.fixture
def launch(tracker) -> Launch:
    """A project whose plan draft waits for the PM to submit it."""
    return Launch(tracker).advance_to("planning").draft()


def test_the_language_switch_turns_every_page_to_english(page: Page, sign_in, launch: Launch) -> None:
    sign_in(page, PM)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()

    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    page.get_by_role("link", name="Project list").click()
    expect(page.get_by_role("heading", name="Project list")).to_be_visible()
    page.get_by_role("link", name=launch.code).click()
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Go-live gates")).to_be_visible()
    expect(page.get_by_role("button", name="Submit for review")).to_be_visible()

    page.get_by_label("Language").select_option("zh-CN")
    page.get_by_role("button", name="Switch").click()
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", name="上线条件")).to_be_visible()
    expect(page.get_by_role("button", name="提交评审")).to_be_visible()


def test_a_post_without_the_csrf_token_is_refused_and_records_nothing(
    page: Page, sign_in, tracker, launch: Launch
) -> None:
    sign_in(page, PM)
    before = stored(tracker, launch.project_id)
    path = f"/projects/{launch.project_id}/actions/submit_plan"
    refused = page.request.post(path, form={"version": str(launch.project.version)})
    assert refused.status == 400
    assert stored(tracker, launch.project_id) == before
    page.goto(f"/projects/{launch.project_id}")
    expect(page.get_by_role("button", name="提交评审")).to_be_visible()


def test_the_pm_is_offered_only_submit_for_review_while_the_draft_waits(
    page: Page, sign_in, tracker, launch: Launch
) -> None:
    sign_in(page, PM)
    page.goto(f"/projects/{launch.project_id}")
    actions = page.get_by_role("region", name="可执行的操作")
    expect(actions.get_by_role("button")).to_have_text(["提交评审"])

    actions.get_by_role("button", name="提交评审").click()
    expect(page.locator("[aria-current=step]")).to_contain_text("计划评审")
    offered = page.get_by_role("region", name="可执行的操作").get_by_role("button")
    expect(offered).to_have_text(["评审通过", "评审不通过"])  # the review of what was just submitted
    assert stored(tracker, launch.project_id)[-1] == "PlanSubmitted"
