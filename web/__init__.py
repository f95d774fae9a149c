"""Web pages for people (UI.md): 简体中文 first, English second; the same app, commands and views as the API.

``init_app(app)`` is called by ``api.create_app`` once the tracker and views exist.
"""

from __future__ import annotations

import os
from functools import partial

from flask import Flask

from store.credentials import DEFAULT_METHOD, Credentials
from web import cli, demo_accounts, glossary, i18n, notices, people, refusals, sentences
from web.blueprint import bp, csrf


def init_app(app: Flask) -> None:
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # only the pages' POSTs (web.blueprint); the API has none
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # a form's token lives as long as its session
    method = app.config.get("PASSWORD_HASH_METHOD", os.environ.get("PASSWORD_HASH_METHOD")) or DEFAULT_METHOD
    app.extensions["credentials"] = Credentials(app.extensions["views"].store, method)
    app.extensions["notify_render"] = notices.render  # the notifications' words (api/notify_cli.py)
    i18n.init_app(app)
    app.jinja_env.globals.update(word=glossary.word, event_name=glossary.event_name)
    people.init_app(app)
    csrf.init_app(app)
    from web import (  # noqa: F401 (their routes join the blueprint)
        actions,
        audit,
        calendar_feeds,
        changes,
        contract,
        deliveries,
        departments,
        ending,
        evidence,
        history,
        home,
        intake,
        plan,
        project_steps,
        projects,
        rectifications,
        requests,
        reviews,
        signin,
        ticket_actions,
        tickets,
        trial,
    )

    app.jinja_env.globals.update(may_read_contract=contract.may_read_contract, evidence_files=evidence.evidence_files)
    app.extensions["refusal_text"] = partial(refusals.explain, with_fields=True)  # the API's Chinese messages
    app.extensions["audit_words"] = sentences.api_words
    app.extensions.setdefault("demo_hooks", []).append(demo_accounts.add_demo_accounts)  # serve --demo
    app.register_blueprint(bp)
    cli.register(app)
