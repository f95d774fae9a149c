"""Files as evidence on the pages: the forms' file inputs, each page's list of the files its events
reference (images shown inline, PDF and Office files linked), and ``/files/<sha256>`` to open one.

The same functions as the API (``api.files.keep``, ``api.files.download``): a file is recognised by
its content and read by the rights of what it is evidence of, whichever door it comes through.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, render_template, request
from werkzeug.datastructures import FileStorage

from api import file_types
from api.files import download, keep
from domain.errors import NotAllowed
from web.blueprint import bp


def uploaded(name: str) -> list[str]:
    """Keep each file posted under ``name`` (a form's file input); their SHA-256, to reference.

    Raises the upload's refusal (``InvalidInput`` naming ``file``) for a file of no accepted kind."""
    posted = [item for item in request.files.getlist(name) if isinstance(item, FileStorage) and item.filename]
    return [keep(item, g.person.actor).sha256 for item in posted]


def evidence_files(aggregate_id: Any) -> list[dict[str, Any]]:
    """The files the aggregate's events reference, oldest first, each once, as the pages show them."""
    shown: dict[str, dict[str, Any]] = {}
    for reference, meta in current_app.extensions["files"].evidence_of(str(aggregate_id)):
        if reference.sha256 in shown:
            continue
        kind = meta.content_type if meta else ""
        shown[reference.sha256] = {
            "sha256": reference.sha256,
            "name": meta.name if meta else reference.sha256,
            "image": kind in (file_types.JPEG, file_types.PNG),
            "size": meta.size if meta else 0,
            "event": reference.type,
        }
    return list(shown.values())


@bp.route("/files/<string:sha256>")
def evidence_file(sha256: str):  # type: ignore[no-untyped-def]
    try:
        return download(sha256, g.person.actor)
    except NotAllowed:
        return render_template("message.html", message_key="forbidden"), 403
