"""The delivery log page: the auditor sees each notice, its recipient, tries and last error, in Chinese;
a PM is refused."""

from __future__ import annotations

import re

import pytest

from api.notify_cli import notifier
from demo.workflow import AUDITOR, PM, Launch
from store.notifications import Channels
from tests.web.conftest import signed_in, visible_text


@pytest.mark.backends("sqlite")
def test_the_auditor_reads_the_deliveries_and_a_failing_channel_s_error(app, tracker) -> None:
    with app.app_context():
        notify = notifier()
        notify.notifications.position()
        notify.swept_at = float("inf")
        Channels(notify.notifications.store).add("department:hr", "wecom", "http://127.0.0.1:9/robot", None, None)
        Launch(tracker).advance_to("implementation").issue_tickets(["R1"])
        try:
            notify.round()
        finally:
            notify.leadership.release()

    auditor = signed_in(app, AUDITOR)
    assert 'href="/audit/deliveries"' in auditor.get("/audit").get_data(as_text=True)
    page = auditor.get("/audit/deliveries").get_data(as_text=True)
    assert "通知投递记录" in page and "需求单已下达" in page and "待投递" in page and "sun.li" in page
    assert re.findall(r"[A-Za-z]{2,}", visible_text(page, "zh-CN").replace("sun.li", "")) == []
    assert "人事部新需求单 R1" in page and "URLError" in page
    assert "暂无投递记录" in auditor.get("/audit/deliveries?status=sent").get_data(as_text=True)
    assert signed_in(app, PM).get("/audit/deliveries").status_code == 403


@pytest.mark.backends("sqlite")
def test_a_person_makes_a_calendar_feed_on_their_page_and_revokes_it(app) -> None:
    pm = signed_in(app, PM)
    assert 'href="/me/calendar"' in pm.get("/").get_data(as_text=True)
    page = pm.post("/me/calendar", {"step": "create"}).get_data(as_text=True)
    address = re.search(r"/calendar/[A-Za-z0-9_-]+\.ics", page).group(0)
    assert re.findall(r"[A-Za-z]{2,}", visible_text(page, "zh-CN").replace(PM.user, "")) == []
    assert app.test_client().get(address).status_code == 200
    feed_id = re.search(r'name="feed" value="([0-9a-f]{12})"', page).group(1)
    assert "该订阅已撤销" in pm.post("/me/calendar", {"step": "revoke", "feed": feed_id}).get_data(as_text=True)
    assert app.test_client().get(address).status_code == 404
    assert address not in pm.get("/me/calendar").get_data(as_text=True)
