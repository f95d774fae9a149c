"""Security headers (issue 11, item 8): every answer says nosniff, denies framing, sends no
referrer; data answers (JSON, errors, CSV) are never cached and load nothing; the docs page
still works; no header names the server's or Python's version."""

from __future__ import annotations

import platform
import urllib.error
import urllib.request

import pytest
import werkzeug

from demo.workflow import AUDITOR, PM, SALES, Launch
from tests.api.conftest import Http, token

ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
DATA = {**ALWAYS, "Cache-Control": "no-store", "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"}


def assert_headers(response, expected: dict[str, str]) -> None:
    for name, value in expected.items():
        assert response.headers.get(name) == value, (name, response.headers.get(name))


@pytest.fixture
def launch(tracker) -> Launch:
    return Launch(tracker).advance_to("planning")


def test_a_json_answer_is_not_cached_and_not_framed(http: Http, launch: Launch) -> None:
    response = http.get(PM, f"/api/projects/{launch.project_id}")
    assert response.status_code == 200
    assert_headers(response, DATA)


@pytest.mark.parametrize(
    "send",
    [
        lambda http, launch: http.get(None, f"/api/projects/{launch.project_id}"),
        lambda http, launch: http.get(PM, "/api/no-such-thing"),
        lambda http, launch: http.post(SALES, "/api/projects", {}),
        lambda http, launch: http.call("DELETE", PM, f"/api/projects/{launch.project_id}"),
        lambda http, launch: http.post(AUDITOR, f"/api/projects/{launch.project_id}/cancellation", {"reason": "x"}),
    ],
    ids=["401", "404", "422", "405", "403"],
)
def test_an_error_answer_has_the_same_headers(http: Http, launch: Launch, send) -> None:
    response = send(http, launch)
    assert response.status_code >= 400
    assert_headers(response, DATA)


def test_the_csv_export_is_not_cached_nor_sniffed(http: Http, launch: Launch) -> None:
    response = http.get(AUDITOR, "/api/audit/events?format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert_headers(response, DATA)


@pytest.mark.parametrize("path", ["/api/openapi.json", "/healthz", "/readyz"])
def test_public_answers_have_them_too(http: Http, path: str) -> None:
    assert_headers(http.get(None, path), DATA)


def test_the_docs_page_may_run_its_own_script_but_cannot_be_framed(http: Http) -> None:
    page = http.get(None, "/api/docs")
    assert page.status_code == 200 and "SwaggerUIBundle" in page.get_data(as_text=True)
    assert_headers(page, {**ALWAYS, "Cache-Control": "no-store"})
    policy = page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "default-src" not in policy and "script-src" not in policy, "Swagger UI's inline start-up must run"


def test_the_docs_static_files_keep_their_revalidation(http: Http) -> None:
    asset = http.get(None, "/api/docs/static/swagger-ui-bundle.js")
    try:
        assert asset.status_code == 200
        assert_headers(asset, ALWAYS)
        assert asset.headers.get("Cache-Control") != "no-store"
    finally:
        asset.close()


# --- the development server (``flask serve``), run in a thread --------------------------------


def fetch(url: str, bearer: str | None = None):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {bearer}"} if bearer else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers


def test_the_development_server_names_no_versions(served: str, launch: Launch) -> None:
    versions = (werkzeug.__name__, "Werkzeug", "Python", platform.python_version())
    for path, bearer in (("/healthz", None), (f"/api/projects/{launch.project_id}", token(PM)), ("/api/nothing", None)):
        status, headers = fetch(served + path, bearer)
        assert status in (200, 401, 404)
        assert headers["Server"] == "launch-tracker"
        for name, value in headers.items():
            assert not any(version in value for version in versions), (name, value)
        assert headers["X-Content-Type-Options"] == "nosniff"
