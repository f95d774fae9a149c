"""``GET /calendar/<token>.ics``: a person's or a project's calendar feed; the secret token is the credential.

Outside ``/api`` (calendar applications send no bearer token) and outside the pages' sign-in.
An unknown or revoked token answers 404, the same as a feed that never existed.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app

from domain.errors import NotFound
from projections.calendar_feed import person_feed, project_feed
from projections.reading import Reader
from store.calendar_feeds import PERSON, FeedTokens

bp = Blueprint("calendar_feeds", __name__)


@bp.route("/calendar/<token>.ics")
def feed(token: str) -> Response:
    views = current_app.extensions["views"]
    found = FeedTokens(views.store).find(token)
    if found is None:
        abort(404)
    reader = Reader(views.store, current_app.extensions["tracker"].mapper)
    try:
        if found.kind == PERSON:
            access = current_app.extensions["tracker"].access_of(found.subject)
            person = access.holder() if access is not None else None
            if person is None:  # (no account, or disabled: their feed ends with it)
                abort(404)
            body = person_feed(reader, person)
        else:
            body = project_feed(reader, found.subject)
    except NotFound:
        abort(404)
    headers = {"Cache-Control": "private, max-age=300", "Content-Disposition": "inline; filename=calendar.ics"}
    return Response(body, mimetype="text/calendar", headers=headers)
