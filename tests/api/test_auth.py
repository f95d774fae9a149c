"""Auth (API.md, cross-cutting rules): signed expiring bearer tokens, 401 and 403, the CLI that
issues tokens, and where the signing key comes from."""

from __future__ import annotations

import stat
import time
import uuid
from datetime import date

import pytest
from flask import Flask
from itsdangerous import URLSafeSerializer

from api import create_app
from api.auth import SALT, issue_token, read_token
from api.settings import KEY_FILE
from demo.workflow import AUDITOR, PM, SALES, SERVICE, TECH_LEAD, Launch, plan, stored
from domain.project import Project
from tests.api.conftest import SECRET, Http

ERROR_KEYS = {"code", "status", "message", "errors"}
DAY = 86400


def raw_client_get(app: Flask, path: str, authorization: str | None):
    headers = {} if authorization is None else {"Authorization": authorization}
    return app.test_client().get(path, headers=headers)


def assert_unauthorized(response) -> None:
    assert response.status_code == 401, response.get_json()
    answer = response.get_json()
    assert set(answer) == ERROR_KEYS
    assert answer["code"] == 401
    assert answer["status"] == "Unauthorized"
    assert isinstance(answer["message"], str)
    assert answer["message"]
    assert isinstance(answer["errors"], dict)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def assert_forbidden(response) -> None:
    assert response.status_code == 403, response.get_json()
    answer = response.get_json()
    assert set(answer) == ERROR_KEYS
    assert (answer["code"], answer["status"]) == (403, "Forbidden")
    assert answer["message"]


def signed_claims(claims: object, secret: str = SECRET) -> str:
    """A token signed with the right key but carrying the given claims."""
    return URLSafeSerializer(secret, salt=SALT).dumps(claims)


def future() -> int:
    return int(time.time()) + DAY


def jsonable(value):
    """Dates as ISO strings, as a client sends them."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    return value.isoformat() if isinstance(value, date) else value


def _plan_body() -> dict:
    return jsonable(plan())


@pytest.fixture
def project_id(tracker):
    return Launch(tracker).advance_to("planning").project_id


# 401: no token, malformed, forged, expired, bad claims.

BAD_HEADERS = {
    "no header": None,
    "empty": "",
    "scheme only": "Bearer",
    "scheme and blank": "Bearer    ",
    "basic auth": "Basic bGkubGVpOnNlY3JldA==",
    "token scheme": "Token abc.def",
    "no scheme": "abc.def.ghi",
    "garbage token": "Bearer not-a-token",
    "truncated token": "TRUNCATED",
    "forged (other key)": "FORGED",
    "expired": "EXPIRED",
    "unknown role": "UNKNOWN_ROLE",
    "lead without department": "LEAD_WITHOUT_DEPARTMENT",
    "unknown department": "UNKNOWN_DEPARTMENT",
    "empty user": "EMPTY_USER",
    "missing expiry": "MISSING_EXPIRY",
    "not a mapping": "NOT_A_MAPPING",
    "expiry not a number": "EXPIRY_TEXT",
    "expiry null": "EXPIRY_NULL",
    "user not text": "USER_NUMBER",
}


def authorization(kind: str | None) -> str | None:
    """Build the header value for one of BAD_HEADERS (tokens made now, so they expire on time)."""
    tokens = {
        "TRUNCATED": lambda: issue_token(SECRET, PM)[:-6],
        "FORGED": lambda: issue_token("another-secret-key", PM),
        "EXPIRED": lambda: issue_token(SECRET, PM, now=time.time() - 31 * DAY),
        "UNKNOWN_ROLE": lambda: signed_claims({"u": "li.lei", "r": "janitor", "d": None, "exp": future()}),
        "LEAD_WITHOUT_DEPARTMENT": lambda: signed_claims(
            {"u": "sun.li", "r": "department_lead", "d": None, "exp": future()}
        ),
        "UNKNOWN_DEPARTMENT": lambda: signed_claims(
            {"u": "sun.li", "r": "department_lead", "d": "marketing", "exp": future()}
        ),
        "EMPTY_USER": lambda: signed_claims({"u": "", "r": "project_manager", "d": None, "exp": future()}),
        "MISSING_EXPIRY": lambda: signed_claims({"u": "li.lei", "r": "project_manager", "d": None}),
        "NOT_A_MAPPING": lambda: signed_claims(["li.lei", "project_manager"]),
        "EXPIRY_TEXT": lambda: signed_claims({"u": "li.lei", "r": "project_manager", "exp": "tomorrow"}),
        "EXPIRY_NULL": lambda: signed_claims({"u": "li.lei", "r": "project_manager", "exp": None}),
        "USER_NUMBER": lambda: signed_claims({"u": 42, "r": "project_manager", "exp": future()}),
    }
    if kind in tokens:
        return f"Bearer {tokens[kind]()}"
    return kind


@pytest.mark.parametrize("kind", BAD_HEADERS.values(), ids=BAD_HEADERS.keys())
def test_a_read_without_a_valid_token_is_401(app: Flask, project_id, kind) -> None:
    response = raw_client_get(app, f"/api/projects/{project_id}", authorization(kind))
    assert_unauthorized(response)


@pytest.mark.parametrize("kind", BAD_HEADERS.values(), ids=BAD_HEADERS.keys())
def test_a_command_without_a_valid_token_is_401_and_records_nothing(app: Flask, tracker, project_id, kind) -> None:
    before = stored(tracker, project_id)
    header = authorization(kind)
    headers = {} if header is None else {"Authorization": header}
    response = app.test_client().put(f"/api/projects/{project_id}/plan", json=_plan_body(), headers=headers)
    assert_unauthorized(response)
    assert stored(tracker, project_id) == before


def test_no_token_is_401_before_anything_else(http: Http) -> None:
    """An unknown id or a bad body does not tell an anonymous caller anything: 401 first."""
    assert_unauthorized(http.get(None, f"/api/projects/{uuid.uuid4()}"))
    assert_unauthorized(http.get(None, f"/api/tickets/{uuid.uuid4()}/history"))
    assert_unauthorized(http.post(None, "/api/projects", json={"code": ""}))


def test_the_missing_token_answer_names_the_scheme(http: Http) -> None:
    response = http.get(None, f"/api/projects/{uuid.uuid4()}")
    assert_unauthorized(response)
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "Bearer" in response.get_json()["message"]


def test_an_expired_token_says_so(app: Flask, project_id) -> None:
    expired = issue_token(SECRET, PM, now=time.time() - 31 * DAY)
    response = raw_client_get(app, f"/api/projects/{project_id}", f"Bearer {expired}")
    assert_unauthorized(response)
    assert "expired" in response.get_json()["message"]
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_token_is_good_until_it_expires() -> None:
    issued_at = 1_800_000_000.0
    token = issue_token(SECRET, TECH_LEAD, days=2, now=issued_at)
    assert read_token(SECRET, token, now=issued_at + 2 * DAY - 1) == TECH_LEAD
    with pytest.raises(ValueError, match="expired"):
        read_token(SECRET, token, now=issued_at + 2 * DAY)
    with pytest.raises(ValueError, match="signature"):
        read_token("another-secret-key", token, now=issued_at)


def test_a_valid_token_is_accepted_and_the_scheme_is_case_insensitive(app: Flask, project_id) -> None:
    token = issue_token(SECRET, PM)
    for scheme in ("Bearer", "bearer", "BEARER"):
        response = raw_client_get(app, f"/api/projects/{project_id}", f"{scheme} {token}")
        assert response.status_code == 200, response.get_json()


# No token needed: docs and health.


@pytest.mark.parametrize("path", ["/api/openapi.json", "/api/docs", "/healthz", "/readyz"])
def test_docs_and_health_need_no_token(http: Http, path: str) -> None:
    response = http.get(None, path)
    assert response.status_code == 200
    assert "WWW-Authenticate" not in response.headers


def test_the_openapi_document_is_openapi_3_and_declares_bearer_auth(http: Http) -> None:
    spec = http.get(None, "/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert {"bearerAuth": []} in spec["security"]


def test_health_checks_answer_status(http: Http) -> None:
    assert http.get(None, "/healthz").get_json()["status"] == "ok"
    assert http.get(None, "/readyz").get_json()["status"] == "ready"


# The auditor reads everything and changes nothing.


def test_the_auditor_may_not_write_anything(http: Http, tracker) -> None:
    launch = Launch(tracker).advance_to("trial_review")
    ticket_id = next(iter(launch.tickets.values()))
    code = "AUDITOR-TRY"
    watched = [launch.project_id, ticket_id, launch.review_id, Project.create_id(code)]
    before = {ident: stored(tracker, ident) for ident in watched}
    position = tracker.recorder.max_notification_id()
    attempts = [
        ("POST", "/api/projects", {"code": code, "name": "n", "customer": "c", "service": SERVICE}),
        ("PUT", f"/api/projects/{launch.project_id}/plan", _plan_body()),
        ("POST", f"/api/projects/{launch.project_id}/cancellation", {"reason": "audit"}),
        ("POST", f"/api/tickets/{ticket_id}/risk", {"reason": "audit"}),
        ("PUT", f"/api/reviews/{launch.review_id}/items/facilities", {"met": True, "evidence": "seen"}),
        ("POST", f"/api/reviews/{launch.review_id}/conclusion", {"summary": "audit"}),
    ]
    for method, path, body in attempts:
        response = http.call(method, AUDITOR, path, json=body)
        assert_forbidden(response)
        assert response.get_json()["errors"] == {"role": "auditor"}
    assert {ident: stored(tracker, ident) for ident in watched} == before
    assert tracker.recorder.max_notification_id() == position
    assert http.get(AUDITOR, f"/api/projects/{launch.project_id}").status_code == 200


# The command line tool that issues tokens.


def issue_with_cli(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["users", "issue-token", *args])


def test_a_cli_token_is_accepted_by_the_api(app: Flask, tracker) -> None:
    project_id = Launch(tracker).advance_to("planning").project_id
    result = issue_with_cli(app, "--user", PM.user, "--role", PM.role)
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert read_token(SECRET, token) == PM
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/projects/{project_id}", headers=headers).status_code == 200
    response = client.put(f"/api/projects/{project_id}/plan", json=_plan_body(), headers=headers)
    assert response.status_code == 200, response.get_json()
    assert tracker.history(project_id)[-1].actor == PM.user


def test_a_cli_token_for_a_department_lead_carries_the_department(app: Flask, tracker) -> None:
    launch = Launch(tracker).advance_to("implementation").issue_tickets()
    result = issue_with_cli(app, "--user", TECH_LEAD.user, "--role", "department_lead", "--department", "technology")
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert read_token(SECRET, token) == TECH_LEAD
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    own = client.post(f"/api/tickets/{launch.tickets['R2']}/start", headers=headers)
    assert own.status_code == 200, own.get_json()
    other = client.post(f"/api/tickets/{launch.tickets['R1']}/start", headers=headers)
    assert_forbidden(other)


def test_the_cli_refuses_a_department_lead_without_a_department(app: Flask) -> None:
    result = issue_with_cli(app, "--user", "sun.li", "--role", "department_lead")
    assert result.exit_code == 2, result.output
    assert "Error" in result.output
    assert "department" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("--user", "li.lei", "--role", "janitor"),
        ("--user", "sun.li", "--role", "department_lead", "--department", "marketing"),
        ("--user", "li.lei", "--role", "project_manager", "--days", "0"),
        ("--user", "li.lei", "--role", "project_manager", "--days", "-1"),
        ("--role", "project_manager"),
    ],
    ids=["unknown role", "unknown department", "zero days", "negative days", "no user"],
)
def test_the_cli_refuses_bad_options(app: Flask, args) -> None:
    result = issue_with_cli(app, *args)
    assert result.exit_code == 2, result.output
    assert "Error" in result.output


@pytest.mark.parametrize("days", [2, 0.5, 30])
def test_the_cli_days_option_sets_the_expiry(app: Flask, days: float) -> None:
    issued_at = time.time()
    result = issue_with_cli(app, "--user", SALES.user, "--role", SALES.role, "--days", str(days))
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert read_token(SECRET, token, now=issued_at + days * DAY - 60) == SALES
    with pytest.raises(ValueError, match="expired"):
        read_token(SECRET, token, now=issued_at + days * DAY + 60)


def test_the_cli_default_is_30_days(app: Flask) -> None:
    issued_at = time.time()
    token = issue_with_cli(app, "--user", SALES.user, "--role", SALES.role).output.strip()
    assert read_token(SECRET, token, now=issued_at + 30 * DAY - 60) == SALES
    with pytest.raises(ValueError, match="expired"):
        read_token(SECRET, token, now=issued_at + 30 * DAY + 60)


# Where the signing key comes from.


@pytest.fixture
def bare_environment(monkeypatch, tmp_path):
    """No SECRET_KEY nor DATABASE_URL in the environment; the working directory is empty."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    made: list[Flask] = []
    yield made
    for app in made:
        app.extensions["tracker"].close()


@pytest.mark.parametrize("store", ["sqlite", "memory"])
def test_without_secret_key_a_key_is_made_once_into_var_secret_key(bare_environment, tmp_path, store) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.sqlite3'}" if store == "sqlite" else "memory://"
    first = create_app({"DATABASE_URL": url})
    bare_environment.append(first)
    key_file = tmp_path / KEY_FILE
    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = first.config["SECRET_KEY"]
    assert len(key) >= 32
    assert key_file.read_text().strip() == key

    second = create_app({"DATABASE_URL": url})
    bare_environment.append(second)
    assert second.config["SECRET_KEY"] == key
    assert key_file.read_text().strip() == key

    token = issue_with_cli(first, "--user", PM.user, "--role", PM.role).output.strip()
    project_id = Launch(second.extensions["tracker"]).advance_to("planning").project_id
    response = second.test_client().get(f"/api/projects/{project_id}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_json()


def test_the_default_store_without_secret_key_also_keeps_its_key(bare_environment, tmp_path) -> None:
    """No DATABASE_URL at all means the SQLite default under var/: a key is made there too."""
    app = create_app()
    bare_environment.append(app)
    assert (tmp_path / KEY_FILE).read_text().strip() == app.config["SECRET_KEY"]


def test_a_configured_secret_key_is_used_and_nothing_is_written(bare_environment, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-the-environment-32-bytes-or-more")
    app = create_app({"DATABASE_URL": "memory://"})
    bare_environment.append(app)
    assert app.config["SECRET_KEY"] == "from-the-environment-32-bytes-or-more"
    assert not (tmp_path / KEY_FILE).exists()
    token = issue_with_cli(app, "--user", PM.user, "--role", PM.role).output.strip()
    assert read_token("from-the-environment-32-bytes-or-more", token) == PM


def test_a_token_from_another_installation_is_refused(bare_environment, tmp_path, monkeypatch) -> None:
    """Two directories, two generated keys: a token of one is forged for the other."""
    first = create_app({"DATABASE_URL": "memory://"})
    bare_environment.append(first)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    second = create_app({"DATABASE_URL": "memory://"})
    bare_environment.append(second)
    assert first.config["SECRET_KEY"] != second.config["SECRET_KEY"]
    token = issue_token(first.config["SECRET_KEY"], PM)
    response = second.test_client().get(f"/api/projects/{uuid.uuid4()}", headers={"Authorization": f"Bearer {token}"})
    assert_unauthorized(response)


@pytest.mark.parametrize(
    "url",
    ["postgresql://postgres@127.0.0.1:5432/launch", "postgres://tracker:pw@db.example:5432/launch"],
)
@pytest.mark.parametrize("where", ["config", "environment"])
def test_postgresql_without_secret_key_refuses_to_start(bare_environment, tmp_path, monkeypatch, url, where) -> None:
    if where == "environment":
        monkeypatch.setenv("DATABASE_URL", url)
        config = {}
    else:
        config = {"DATABASE_URL": url}
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)
    assert not (tmp_path / KEY_FILE).exists()
