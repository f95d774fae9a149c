"""The pages' blueprint: every page needs a signed-in person, every POST a CSRF token.

Pages are not API operations: they are plain Flask routes outside ``/api`` (never in the
OpenAPI document) and read the same views and aggregates, and send the same commands, as the API.
"""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect

from domain.errors import NotFound
from web import people

PUBLIC = {"web.login", "web.language", "web.static"}
PAGE_POLICY = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/assets")
csrf = CSRFProtect()


@bp.before_request
def guard():  # type: ignore[no-untyped-def]
    g.content_security_policy = PAGE_POLICY
    people.load_person()
    if request.method == "POST":
        csrf.protect()
    if g.person is None and request.endpoint not in PUBLIC:
        return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
    return None


@bp.errorhandler(CSRFError)
def refused_form(error: CSRFError):  # type: ignore[no-untyped-def]
    return render_template("message.html", message_key="csrf"), 400


@bp.errorhandler(NotFound)
def not_found(error: NotFound):  # type: ignore[no-untyped-def]
    return render_template("message.html", message_key="not_found"), 404
