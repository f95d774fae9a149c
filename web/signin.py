"""登录 / Sign in, 退出 / Sign out, and the language switch on every page."""

from __future__ import annotations

from flask import current_app, g, make_response, redirect, render_template, request, session, url_for

from domain.text import text_problem
from web import i18n, people
from web.blueprint import bp

YEAR = 365 * 86400


def safe_next(target: str | None) -> str:
    """Only a path of this site (never ``//elsewhere`` nor a full URL) may be returned to."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target if target.isprintable() else url_for("web.my_work")
    return url_for("web.my_work")


def remember_language(response, language: str | None):  # type: ignore[no-untyped-def]
    if language in i18n.LANGUAGES:
        response.set_cookie(
            i18n.COOKIE, language, max_age=YEAR, httponly=True, samesite="Lax", secure=request.is_secure
        )
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""), username="")
    user = request.form.get("username", "").strip()[:128]
    password = request.form.get("password", "")
    language = request.form.get("lang") or None
    throttle = current_app.extensions["sign_in_throttle"]
    keys = (("user", user.casefold()), ("address", request.remote_addr or ""))
    if throttle.blocked(*keys):
        return render_template("login.html", error="throttled", next=request.form.get("next"), username=user), 429
    acceptable = bool(user) and text_problem(user) is None  # (a NUL could not even be looked up)
    person = people.person_named(user) if acceptable else None
    password_ok = current_app.extensions["credentials"].check_password(user if acceptable else "", password)
    if person is None or not password_ok:
        throttle.failed(*keys)
        return render_template("login.html", error="wrong", next=request.form.get("next"), username=user), 401
    people.sign_in(person)
    return remember_language(redirect(safe_next(request.form.get("next"))), language)


@bp.route("/logout", methods=["POST"])
def logout():  # type: ignore[no-untyped-def]
    session.clear()
    return redirect(url_for("web.login"))


@bp.route("/language", methods=["POST"])
def language():  # type: ignore[no-untyped-def]
    """The switch: a cookie for everyone, and the signed-in person's own setting (it comes first)."""
    chosen = request.form.get("lang")
    if chosen not in i18n.LANGUAGES:
        chosen = None
    elif g.person is not None:
        current_app.extensions["tracker"].choose_language(g.person.actor, chosen)
    return remember_language(make_response(redirect(safe_next(request.form.get("next")))), chosen)
