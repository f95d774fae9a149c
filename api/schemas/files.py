"""Uploading and reading files (evidence), and the field commands reference them by."""

from __future__ import annotations

from marshmallow import Schema, fields

from api.file_types import ACCEPTED


class UploadIn(Schema):
    file = fields.Raw(
        required=True,
        metadata={
            "type": "string",
            "format": "binary",
            "description": f"at most 20 MB; recognised by its content, not its name: {', '.join(ACCEPTED)}",
        },
    )


class FileOut(Schema):
    sha256 = fields.String(required=True, metadata={"description": "what commands reference the file by (`files`)"})
    size = fields.Integer(required=True, metadata={"description": "bytes"})
    content_type = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "the name it was first uploaded with"})


class FilesCheckOut(Schema):
    checked = fields.Integer(required=True, metadata={"description": "files referenced by events, each re-hashed"})
    problems = fields.List(
        fields.Dict(),
        required=True,
        metadata={"description": "`{sha256, problem}`: `missing` (no longer stored) or `changed` (content altered)"},
    )
