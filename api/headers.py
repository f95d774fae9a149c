"""Security headers on every answer, and no caching of answers that carry data.

- ``X-Content-Type-Options: nosniff``: a browser never runs a JSON or CSV answer as a script;
- ``X-Frame-Options: DENY`` and CSP ``frame-ancestors 'none'``: no page can frame ours;
- ``Referrer-Policy: no-referrer``: ids in our URLs never leak to another site;
- ``Content-Security-Policy``: data answers load nothing (``default-src 'none'``); the Swagger UI
  page at ``/api/docs`` runs its own inline script, so it only gets the framing and plugin rules;
- ``Cache-Control: no-store``: answers hold project data and tokens' results, never kept by a
  browser or proxy. Swagger UI's static files keep Flask's own revalidation headers.

No header names the server's or Python's version: the development server's ``Server`` header is
replaced in ``api.cli`` (``QuietRequestHandler``), gunicorn's says only ``gunicorn``.
"""

from __future__ import annotations

from flask import Flask, Response, g, request

ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"
DOCS_POLICY = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'"
DOCS = "/api/docs"
DOCS_FILES = "/api/docs/static/"


def secure(response: Response) -> Response:
    response.headers.update(ALWAYS)
    path = request.path
    policy = g.get("content_security_policy")  # the pages' own (web.blueprint): their styles and htmx
    response.headers["Content-Security-Policy"] = policy or (DOCS_POLICY if path.startswith(DOCS) else DATA_POLICY)
    if not path.startswith(DOCS_FILES):
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(secure)
