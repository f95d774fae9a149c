"""Notifications of the running service: a failed or unreported month, rectifications, customer
requests and the termination, each delivered once over real channels (a local SMTP server and
HTTP receiver), the sweep judging "due within 2 working days" on the product's today (2027-06-30)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from demo.workflow import HR_LEAD, OPS_LEAD, PM, SALES, SERVICE_MANAGER, SYSMAINT_LEAD
from store.notifications import Channels, Deliveries
from tests.api.test_notifications import DING_SECRET, HOOK_SECRET, add_accounts, deliver_all, notifying
from tests.assessment_support import MISSED, live_hotline, report
from tests.notify_receivers import Receiver, http_receiver, smtp_server

LIVE_RULES = {
    "assessment_failed", "assessment_missing", "rectification_notified", "rectification_due_soon",
    "rectification_overdue", "request_recorded", "request_due_soon", "request_overdue", "termination_noticed",
}  # fmt: skip


def add_channels(channels: Channels, base: str) -> None:
    for person in (PM, SERVICE_MANAGER, SALES):
        channels.add(f"person:{person.user}", "email", f"{person.user}@example.com", None, None)
    channels.add(f"person:{PM.user}", "dingtalk", f"{base}/dingtalk/robot/send?access_token=pm", DING_SECRET, None)
    robot = f"{base}/dingtalk/robot/send?access_token=sm"
    channels.add("department:system_maintenance", "dingtalk", robot, DING_SECRET, None)
    channels.add(f"person:{OPS_LEAD.user}", "email", "ma.jun@example.com", None, "en")
    channels.add(f"person:{HR_LEAD.user}", "email", "sun.li@example.com", None, None)
    channels.add("department:operations", "webhook", f"{base}/webhook/operations", HOOK_SECRET, None)
    channels.add("department:technology", "wecom", f"{base}/wecom/webhook/send?key=tech", None, None)


@pytest.mark.backends("sqlite", "postgres")
def test_the_running_service_tells_each_owner_once(app):
    app.config.update(NOTIFY_BACKOFF=0.01, NOTIFY_SWEEP_EVERY=3600)
    receiver = Receiver(dingtalk_secret=DING_SECRET, webhook_secret=HOOK_SECRET)
    with smtp_server() as (smtp, mailbox), http_receiver(receiver) as base:
        app.config["NOTIFY_SMTP_HOST"] = smtp
        with notifying(app) as notify:
            tracker = app.extensions["tracker"]
            add_accounts(tracker)
            add_channels(Channels(notify.notifications.store), base)
            launch = live_hotline(tracker)
            pid = launch.project_id
            report(tracker, launch, "2027-05", MISSED)  # May failed; April unreported
            tracker.notify_rectification(SALES, pid, "2027-05", "ZG-1", date(2027, 6, 28), 2)  # due 30 June: today
            tracker.notify_rectification(SALES, pid, "2027-04", "ZG-2", date(2027, 6, 1), 3)  # due 4 June: overdue
            tracker.record_customer_request(SALES, pid, "ivr_change", date(2027, 6, 29), "new menu", "TZ-1")
            tracker.record_customer_request(SALES, pid, "seat_change", date(2027, 6, 1), "ten more seats", "TZ-2")
            deliver_all(notify)  # (a round: the events, then the sweep on today, 2027-06-30)
            tracker.plan_rectification(PM, pid, 2, ["retrain the night shift"])  # now the service manager's
            tracker.record_termination(SALES, pid, "customer", "kpi_failures", date(2027, 6, 30), date(2027, 9, 30))
            deliver_all(notify)  # (the plan makes the next round sweep, not the hour)
            told = len(Deliveries(notify.notifications.store).log())
            notify.swept_at = float("-inf")
            deliver_all(notify)
            log = Deliveries(notify.notifications.store).log()

    assert len(log) == told  # a second sweep tells nothing again
    assert {row["status"] for row in log} == {"sent"}
    to = defaultdict(set)
    for row in log:
        to[row["rule"]].add(row["recipient"])
    assert set(to) - LIVE_RULES == {"ticket_issued", "review_concluded", "went_live"}  # (the launch before)
    owners = {f"person:{who.user}" for who in (PM, SERVICE_MANAGER, SALES)}
    assert to["assessment_failed"] == to["assessment_missing"] == owners
    months = {row["subject"] for row in log if row["rule"].startswith("assessment")}
    assert not any("2027-03" in subject or "2027-06" in subject for subject in months)  # only recent, judged months
    assert to["rectification_notified"] == {f"person:{PM.user}", f"person:{SERVICE_MANAGER.user}"}
    assert to["rectification_due_soon"] == {f"person:{PM.user}"}  # the PM's until planned
    assert to["rectification_overdue"] == {f"person:{PM.user}", f"person:{SERVICE_MANAGER.user}"}  # then the SM's
    assert to["request_recorded"] == {f"person:{SYSMAINT_LEAD.user}", f"person:{OPS_LEAD.user}"}
    assert to["request_due_soon"] == {f"person:{SYSMAINT_LEAD.user}", f"person:{PM.user}"}
    assert to["request_overdue"] == {f"person:{OPS_LEAD.user}", f"person:{PM.user}"}
    assert {"department:technology", "department:system_maintenance"} <= to["termination_noticed"]
    hr_lead = [m["Subject"] for m in mailbox.messages if m["To"] == "sun.li@example.com" and "终止" in m["Subject"]]
    assert hr_lead == ["SH-HOTLINE 将于 2027-09-30 终止：请完成交接"]  # hr has no channel of its own: its lead

    ids = [row["id"] for row in log]
    received = [m["X-Delivery-Id"] for m in mailbox.messages] + [
        r["headers"]["X-Delivery-Id"] for r in receiver.accepted()
    ]
    assert sorted(received) == sorted(ids)  # each delivery exactly once, nothing else
    assert all(r["status"] == 200 for r in receiver.requests)
    mails = {m["Subject"] for m in mailbox.messages}
    assert "SH-HOTLINE：2027-05 月度考核未达标" in mails
    assert any("customer request 2 is overdue" in subject for subject in mails)  # the operations lead reads English
