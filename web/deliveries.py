"""通知投递记录 / Notification deliveries: the delivery log (auditor, operations director), newest first,
from the same table and query as ``GET /api/notifications/deliveries``."""

from __future__ import annotations

from datetime import datetime

from flask import g, render_template, request

from api.notifications import delivery_log
from api.schemas.notifications import STATUSES
from web.audit import READERS, refused
from web.blueprint import bp
from web.notices import RULE_NAMES
from web.notices import STATUSES as STATUS_WORDS

PAGE_SIZE = 200


def moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@bp.route("/audit/deliveries")
def deliveries():  # type: ignore[no-untyped-def]
    if g.person.actor.role not in READERS:
        return refused()
    status = request.args.get("status", "")
    rows = delivery_log(status if status in STATUSES else None, PAGE_SIZE)
    for row in rows:
        row["created"], row["sent"] = moment(row["created_at"]), moment(row["sent_at"])
    return render_template("deliveries.html", rows=rows, status=status, statuses=STATUS_WORDS, rules=RULE_NAMES)
