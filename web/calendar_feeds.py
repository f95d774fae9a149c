"""我的日历订阅 / My calendar feed: the signed-in person makes a secret ``.ics`` URL (shown once) to
subscribe to in Outlook, DingTalk or a phone, and revokes the ones they no longer want."""

from __future__ import annotations

from flask import g, render_template, request

from store.calendar_feeds import PERSON, FeedTokens
from web.blueprint import bp
from web.home import views


def tokens() -> FeedTokens:
    return FeedTokens(views().store)


@bp.route("/me/calendar", methods=["GET", "POST"])
def my_calendar():  # type: ignore[no-untyped-def]
    user = g.person.actor.user
    made = revoked = None
    if request.method == "POST":
        if request.form.get("step") == "create":
            made = request.host_url.rstrip("/") + f"/calendar/{tokens().create(PERSON, user)}.ics"
        else:
            revoked = tokens().revoke(request.form.get("feed", ""), subject=user)
    feeds = [feed for feed in tokens().all(user) if feed.kind == PERSON and feed.revoked_at is None]
    return render_template("my_calendar.html", feeds=feeds, made=made, revoked=revoked)
