"""Signing keys and token lifetimes (issue 11, item 5).

- PostgreSQL needs SECRET_KEY whatever the case of the URL's scheme;
- a signing key has at least 32 bytes, configured, generated or read from ``var/secret_key``;
- a token lives at most 90 days, and the CLI answers a bad ``--days`` with a usage error;
- every token carries its id (``jti``) and issue time (``iat``); tokens without them are refused.
"""

from __future__ import annotations

import stat
import time

import pytest
from flask import Flask
from itsdangerous import URLSafeSerializer

from api import create_app, shutdown
from api.auth import MAX_DAYS, SALT, issue_token, read_claims, read_token
from api.settings import KEY_FILE, MIN_KEY_BYTES, KeyRefused
from demo.workflow import PM, SALES
from store import database as storage
from tests.api.conftest import SECRET

DAY = 86400


@pytest.fixture
def bare(monkeypatch, tmp_path):
    """No SECRET_KEY nor DATABASE_URL in the environment; the working directory is empty."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    made: list[Flask] = []
    yield made
    for app in made:
        shutdown(app)


# --- PostgreSQL needs a configured key, whatever the case of the scheme ----------------------


@pytest.mark.parametrize(
    "url", ["POSTGRESQL://postgres@127.0.0.1:5432/launch", "PostgreSQL://u@db/launch", "Postgres://u:pw@db/launch"]
)
@pytest.mark.parametrize("where", ["config", "environment"])
def test_an_upper_case_postgresql_url_still_needs_secret_key(bare, tmp_path, monkeypatch, url, where) -> None:
    if where == "environment":
        monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(KeyRefused, match="SECRET_KEY must be set"):
        create_app({} if where == "environment" else {"DATABASE_URL": url})
    assert not (tmp_path / KEY_FILE).exists(), "no key was generated for a production store"


@pytest.mark.parametrize("url", ["POSTGRESQL://u@db:5433/launch", "SQLITE:///var/t.sqlite3", "MEMORY://"])
def test_every_scheme_is_judged_case_insensitively(url) -> None:
    lower = url.split("://")[0].lower() + "://" + url.split("://")[1]
    assert storage.env_for(url) == storage.env_for(lower)
    assert storage.is_postgres(url) == url.lower().startswith("postgres")


@pytest.mark.postgres
def test_an_upper_case_postgresql_url_runs_the_views_in_their_own_process(postgres_schema_url) -> None:
    """The in-process default is off for PostgreSQL, also when the URL says POSTGRESQL://."""
    url = "POSTGRESQL" + postgres_schema_url[len("postgresql") :]
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})
    try:
        assert app.extensions["views"].in_process is False
    finally:
        shutdown(app)


# --- keys of at least 32 bytes ----------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["x", "short-but-not-empty", "a" * 31, "密" * 10], ids=["1", "19", "31", "30 (10 chars)"]
)
def test_a_short_secret_key_is_refused(bare, key) -> None:
    with pytest.raises(KeyRefused, match=f"at least {MIN_KEY_BYTES}") as refused:
        create_app({"DATABASE_URL": "memory://", "SECRET_KEY": key})
    assert "SECRET_KEY" in str(refused.value)


@pytest.mark.parametrize("key", ["a" * 32, "密" * 11], ids=["32 ascii", "33 bytes in 11 chars"])
def test_a_key_of_32_bytes_is_accepted(bare, key) -> None:
    app = create_app({"DATABASE_URL": "memory://", "SECRET_KEY": key})
    bare.append(app)
    assert read_token(key, issue_token(app.config["SECRET_KEY"], PM)) == PM


@pytest.mark.parametrize("content", ["", "\n", "short-key\n", "b" * 31], ids=["empty", "blank line", "9", "31"])
def test_an_empty_or_short_key_file_is_refused_and_left_alone(bare, tmp_path, content) -> None:
    key_file = tmp_path / KEY_FILE
    key_file.parent.mkdir()
    key_file.write_text(content)
    with pytest.raises(KeyRefused, match=f"at least {MIN_KEY_BYTES}") as refused:
        create_app({"DATABASE_URL": "memory://"})
    assert str(KEY_FILE) in str(refused.value) and "delete" in str(refused.value)
    assert key_file.read_text() == content


def test_the_generated_key_has_enough_bytes_and_lives_in_a_private_folder(bare, tmp_path) -> None:
    app = create_app({"DATABASE_URL": "memory://"})
    bare.append(app)
    assert len(app.config["SECRET_KEY"].encode()) >= MIN_KEY_BYTES
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / KEY_FILE.parent).stat().st_mode) == 0o700


# --- at most 90 days ------------------------------------------------------------------------


def test_a_token_lives_at_most_90_days() -> None:
    now = time.time()
    claims = read_claims(SECRET, issue_token(SECRET, PM, days=MAX_DAYS, now=now), now=now)
    assert claims.expires == int(now + MAX_DAYS * DAY)
    for days in (MAX_DAYS + 0.01, 91, 1e12):
        with pytest.raises(ValueError, match="at most 90 days"):
            issue_token(SECRET, PM, days=days)
    for days in (0, -1, float("inf"), float("-inf"), float("nan")):
        with pytest.raises(ValueError, match="above 0 and at most 90"):
            issue_token(SECRET, PM, days=days)


def signed(claims: dict) -> str:
    return URLSafeSerializer(SECRET, salt=SALT).dumps(claims)


def test_a_signed_token_claiming_more_than_90_days_is_refused() -> None:
    now = time.time()
    claims = {"u": PM.user, "r": PM.role, "d": None, "iat": now, "jti": "x1", "exp": int(now + 365 * DAY)}
    with pytest.raises(ValueError, match="longer than 90 days"):
        read_token(SECRET, signed(claims))


@pytest.mark.parametrize("missing", ["jti", "iat"])
def test_a_token_without_id_or_issue_time_is_refused(missing) -> None:
    now = time.time()
    claims = {"u": PM.user, "r": PM.role, "d": None, "iat": now, "jti": "x1", "exp": int(now + DAY)}
    del claims[missing]
    with pytest.raises(ValueError, match="missing claims"):
        read_token(SECRET, signed(claims))


def issue_with_cli(app: Flask, *args: str):
    return app.test_cli_runner().invoke(
        args=["users", "issue-token", "--user", SALES.user, "--role", SALES.role, *args]
    )


@pytest.mark.parametrize("days", ["1e12", "91", "inf", "-inf", "nan", "0", "-1", "lots"])
def test_the_cli_answers_bad_days_with_a_usage_error_not_a_traceback(app: Flask, days: str) -> None:
    result = issue_with_cli(app, "--days", days)
    assert result.exit_code == 2, result.output
    assert "Error" in result.output and "days" in result.output.lower()
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert result.output.count("\n") <= 5, "a usage message, not a dump"


def test_the_cli_issues_a_token_of_exactly_90_days(app: Flask) -> None:
    before = time.time()
    result = issue_with_cli(app, "--days", "90")
    assert result.exit_code == 0, result.output
    claims = read_claims(SECRET, result.output.strip())
    assert before <= claims.issued_at <= time.time()
    assert claims.expires - claims.issued_at == pytest.approx(90 * DAY, abs=1)


# --- jti and iat ----------------------------------------------------------------------------


def test_every_token_carries_its_own_id_and_issue_time(app: Flask) -> None:
    before = time.time()
    tokens = [issue_with_cli(app).output.strip() for _ in range(3)]
    raw = [URLSafeSerializer(SECRET, salt=SALT).loads(token) for token in tokens]
    assert len({claims["jti"] for claims in raw}) == 3, "each token has an id of its own"
    for claims in raw:
        assert isinstance(claims["jti"], str) and len(claims["jti"]) >= 16
        assert before <= claims["iat"] <= time.time()
        assert claims["exp"] == pytest.approx(claims["iat"] + 30 * DAY, abs=1)
