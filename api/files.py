"""Files as evidence: ``POST /api/files`` (multipart, at most 20 MB) and ``GET /api/files/{sha256}``.

A file is recognised by its content (``api.file_types``), stored once per content in the events'
database (``store.evidence_files``), and referenced by commands through ``files`` (its SHA-256).
Only this route (and the pages' forms with files) takes a body above the app's 1 MB
(``MAX_UPLOAD_BYTES``, set per request before anything reads the body); a bigger upload is 413
in the one error body.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

from flask import Flask, Response, current_app, request, send_file
from flask.views import MethodView
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from api import file_types, idempotency
from api.auth import current_actor
from api.guard import Blueprint
from api.schemas.files import FileOut, UploadIn
from domain import evidence
from domain.errors import InvalidInput, NotFound
from domain.roles import Actor
from store.evidence_files import FileStore, StoredFile

blp = Blueprint("files", __name__, url_prefix="/api/files", description="Files as evidence")
BLUEPRINTS = [blp]
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""A file at most; the request may be larger by ``FORM_BYTES`` (the multipart framing, a form's fields)."""
FORM_BYTES = 64 * 1024
UPLOAD_PATH = "/api/files"
MAX_NAME = 200
SHA256 = re.compile(r"[0-9a-f]{64}")
REFUSED = "not a PDF, JPEG, PNG, Word or Excel file (recognised by its content, not its name)"


def init_app(app: Flask) -> None:
    """The file store on the views' database, the commands' catalog, and the larger limit for uploads."""
    files = app.extensions["files"] = FileStore(app.extensions["views"].store)
    app.extensions["tracker"].file_catalog = files
    app.before_request(allow_upload_size)


def allow_upload_size() -> None:
    """20 MB for the upload route and the pages' forms that carry files (multipart, outside ``/api``)."""
    if request.method != "POST":
        return
    if request.path == UPLOAD_PATH or (
        not request.path.startswith("/api/") and request.mimetype == "multipart/form-data"
    ):
        request.max_content_length = MAX_UPLOAD_BYTES + FORM_BYTES


def file_store() -> FileStore:
    return current_app.extensions["files"]


def file_name(given: str | None) -> str:
    """The name to show: the last part of the client's name, without control characters, at most 200 characters."""
    name = re.split(r"[\\/]", given or "")[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip()
    return name[:MAX_NAME] or "file"


def keep(storage: object, actor: Actor) -> StoredFile:
    """Recognise and store one uploaded file (the API's upload and the pages' forms); refused
    (``InvalidInput`` naming ``file``, nothing stored) when it is none of the accepted kinds."""
    evidence.require_may_upload(actor)
    if not isinstance(storage, FileStorage):
        raise InvalidInput({"file": "send the file as multipart/form-data"})
    try:
        content = storage.read()
    finally:
        storage.close()  # (a large upload was spooled to a temporary file)
    if len(content) > MAX_UPLOAD_BYTES:
        raise RequestEntityTooLarge(f"a file may have at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    kind = file_types.content_type(content)
    if kind is None:
        raise InvalidInput({"file": REFUSED})
    return file_store().add(content, kind, file_name(storage.filename), actor.user)


@blp.route("")
class Files(MethodView):
    @blp.doc(parameters=[idempotency.PARAMETER])  # (an upload is content-addressed: a retry answers the same)
    @blp.arguments(UploadIn, location="files")
    @blp.response(201, FileOut)
    def post(self, args):
        """Upload a file to give as evidence (every role but the auditor); answers its SHA-256."""
        return keep(args["file"], current_actor()).as_dict()


@blp.route("/<string:sha256>")
class OneFile(MethodView):
    @blp.doc(
        responses={
            "200": {
                "description": "the file's bytes, served with its own content type ("
                + ", ".join(file_types.ACCEPTED)
                + ") and name; images and PDF inline",
                # (one binary entry: client generators take it as a file, whatever the type served)
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    )
    def get(self, sha256: str) -> Response:
        """Download a file: whoever may read what it is evidence of; unreferenced, only its uploader."""
        return download(sha256, current_actor())


def evidence_of(references: list[Any]) -> list[evidence.EvidenceOf]:
    """What each referencing event is evidence of: its project, and the department that keeps it (a ticket's
    own; a handover item's or a request's, recorded by that department's lead)."""
    reader, found = current_app.extensions["views"].reader, []
    for ref in references:
        project = _one(reader, "project", ref.project_id)
        ticket = _one(reader, "ticket", ref.aggregate_id) if ref.aggregate_id != ref.project_id else None
        department = ticket.department if ticket is not None else ref.department
        found.append(evidence.EvidenceOf(ref.type, project, department, ticket is not None))
    return found


def _one(reader: Any, kind: str, ident: str | None) -> Any:
    try:
        return reader.one(kind, ident) if ident else None
    except NotFound:
        return None


def download(sha256: str, actor: Actor) -> Response:
    """The file as its own kind, named, for whoever may read it (``domain.evidence.require_may_read_file``)."""
    files = file_store()
    meta = files.meta(sha256) if SHA256.fullmatch(sha256) else None
    if meta is None:
        raise NotFound("file", sha256[:80])
    current_app.extensions["views"].ready(None)
    uploaded = files.uploaded_by(sha256, actor.user)
    evidence.require_may_read_file(actor, sha256, evidence_of(files.references(sha256)), uploaded)
    content = files.content(sha256) or b""
    return send_file(
        io.BytesIO(content),
        mimetype=meta.content_type,
        as_attachment=meta.content_type not in file_types.INLINE,
        download_name=meta.name,
        etag=False,
        max_age=0,
    )
