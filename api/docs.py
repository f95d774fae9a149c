"""Serve Swagger UI's files from the installed flask-swagger-ui package (no CDN: no internet)."""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Flask, send_from_directory

SWAGGER_DIST = Path(flask_swagger_ui.__file__).parent / "dist"


def register_docs(app: Flask) -> None:
    @app.get("/api/docs/static/<path:filename>")
    def swagger_static(filename: str):
        return send_from_directory(SWAGGER_DIST, filename)
