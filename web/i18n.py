"""The page's language and how dates, times and money read in it (UI.md, "Languages").

The language follows, in this order: the signed-in person's own setting (kept with their
account), the ``lang`` cookie the language switch sets, the browser's ``Accept-Language``,
then 简体中文. Times are shown in Asia/Shanghai. The catalogs are ``web/translations/*/messages.po``;
their ``.mo`` files are compiled by ``make`` (and by ``compile_catalogs`` for tests), never committed.
"""

from __future__ import annotations

import os
from contextlib import suppress
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, request
from flask_babel import Babel, format_datetime, format_decimal, get_locale
from flask_babel import format_date as babel_date

TRANSLATIONS = Path(__file__).parent / "translations"
LANGUAGES = {"zh-CN": "zh_CN", "en": "en"}
"""The page's language code (``<html lang>``, the cookie, the account's setting) → Babel's locale."""
DEFAULT = "zh-CN"
COOKIE = "lang"
API = "/api/"
DATE_PATTERNS = {"zh": "long", "en": "d MMM y"}  # 2026年12月18日 / 18 Dec 2026
TIME_PATTERNS = {"zh": "y年M月d日 HH:mm", "en": "d MMM y HH:mm"}


def chosen_language() -> str:
    if request.path.startswith(API):
        return api_language()
    person = g.get("person")
    if person is not None and person.language in LANGUAGES:
        return person.language
    if request.cookies.get(COOKIE) in LANGUAGES:
        return request.cookies[COOKIE]
    best = request.accept_languages.best_match(["zh-CN", "zh", "en"])
    return "en" if best == "en" else DEFAULT


def api_language() -> str:
    """The API's: Chinese when ``Accept-Language`` prefers it, else English (no header: English, as
    its clients have always read it; docs/decisions/web.md)."""
    best = request.accept_languages.best_match(["zh-CN", "zh", "en"])
    return DEFAULT if best in ("zh-CN", "zh") else "en"


def page_language() -> str:
    """``zh-CN`` or ``en``: what ``<html lang>`` says."""
    return "en" if get_locale().language == "en" else "zh-CN"


def format_day(value: date | None) -> str:
    return babel_date(value, DATE_PATTERNS[get_locale().language]) if value is not None else ""


def format_moment(value: datetime | None) -> str:
    return format_datetime(value, TIME_PATTERNS[get_locale().language]) if value is not None else ""


def format_money(value: Decimal | float | None) -> str:
    """``¥109,946.59`` in both languages (the contracts are in yuan)."""
    return "¥" + format_decimal(value, "#,##0.00") if value is not None else ""


def compile_catalogs() -> None:
    """Compile each ``messages.po`` whose ``.mo`` is missing or older (``make`` does the same with pybabel)."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            part = mo.with_name(f"messages.{os.getpid()}.part")
            with part.open("wb") as target:
                write_mo(target, catalog)
            os.replace(part, mo)  # whole, even with several processes starting at once


def init_app(app: Flask) -> None:
    with suppress(OSError):  # a read-only install: the .mo files ``make`` compiled are used as they are
        compile_catalogs()
    app.config.setdefault("BABEL_DEFAULT_LOCALE", LANGUAGES[DEFAULT])
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai")
    Babel(app, locale_selector=lambda: LANGUAGES[chosen_language()], default_translation_directories=str(TRANSLATIONS))
    app.jinja_env.filters.update(day=format_day, moment=format_moment, money=format_money)
    app.jinja_env.globals.update(page_language=page_language)
