"""The delivery log page: the auditor sees each notice, its recipient, tries and last error, in Chinese;
a PM is refused."""

from __future__ import annotations

import pytest

from api.notify_cli import notifier
from demo.workflow import AUDITOR, PM, Launch
from store.notifications import Channels
from tests.web.conftest import signed_in


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
    assert "通知投递记录" in page and "需求单已下达" in page and "待投递" in page and "person:sun.li" in page
    assert "人事部新需求单 R1" in page and "URLError" in page
    assert "暂无投递记录" in auditor.get("/audit/deliveries?status=sent").get_data(as_text=True)
    assert signed_in(app, PM).get("/audit/deliveries").status_code == 403
