"""The API describes itself and fails in one shape.

- ``/api/openapi.json`` is OpenAPI 3, lists every API.md path built so far (projects, plan,
  manual, trial, tickets, reviews), declares bearer auth and a request schema for each body,
  and documents the one error body;
- ``/api/docs`` is Swagger UI served from this app (``/api/docs/static/``), no CDN;
- ``/healthz`` and ``/readyz`` answer;
- every failure, 400 to 500, answers ``{code, status, message, errors}`` as JSON, and a 500
  says nothing of the exception;
- Chinese text goes in and comes back unchanged, as UTF-8 JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from http import HTTPStatus
from typing import Any
from uuid import uuid4

import pytest
from flask import Flask

from demo.workflow import AUDITOR, OTHER_PM, PM, SALES, SERVICE, TECH_LEAD, Launch, plan
from tests.api.conftest import Http

# API.md, with every path parameter written ``{}``: the operations built so far. Lists, views
# and the contract come later; when they do they may be added here, nothing here may go.
DOCUMENTED = {
    ("post", "/api/projects"),
    ("get", "/api/projects/{}"),
    ("get", "/api/projects/{}/history"),
    ("post", "/api/projects/{}/requirement-changes"),
    ("post", "/api/projects/{}/appointment"),
    ("put", "/api/projects/{}/plan"),
    ("post", "/api/projects/{}/plan/submission"),
    ("post", "/api/projects/{}/plan/review"),
    ("post", "/api/projects/{}/plan/revision"),
    ("post", "/api/projects/{}/tickets"),
    ("post", "/api/projects/{}/meetings"),
    ("put", "/api/projects/{}/manual"),
    ("post", "/api/projects/{}/manual/review"),
    ("post", "/api/projects/{}/trial"),
    ("post", "/api/projects/{}/trial/audits"),
    ("post", "/api/projects/{}/trial/feedback"),
    ("post", "/api/projects/{}/trial/improvements"),
    ("post", "/api/projects/{}/trial/equipment-report"),
    ("post", "/api/projects/{}/cancellation"),
    ("get", "/api/tickets/{}"),
    ("get", "/api/tickets/{}/history"),
    ("post", "/api/tickets/{}/start"),
    ("post", "/api/tickets/{}/risk"),
    ("post", "/api/tickets/{}/alternatives"),
    ("post", "/api/tickets/{}/alternatives/{}/confirmation"),
    ("post", "/api/tickets/{}/alternatives/{}/approval"),
    ("post", "/api/tickets/{}/alternatives/{}/review"),
    ("post", "/api/tickets/{}/submission"),
    ("post", "/api/tickets/{}/acceptance"),
    ("post", "/api/projects/{}/reviews"),
    ("get", "/api/reviews/{}"),
    ("get", "/api/reviews/{}/history"),
    ("put", "/api/reviews/{}/items/{}"),
    ("post", "/api/reviews/{}/conclusion"),
    ("post", "/api/reviews/{}/decision"),
    ("post", "/api/reviews/{}/nonconformities"),
}
# Commands API.md gives no body.
WITHOUT_BODY = {("post", "/api/projects/{}/plan/submission"), ("post", "/api/tickets/{}/start")}
METHODS = ("get", "put", "post", "delete", "patch")


def shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def as_json(value: Any) -> Any:
    """Sample data with ``date`` objects, as a client sends it."""
    return json.loads(json.dumps(value, default=str))


@pytest.fixture
def document(http: Http) -> dict[str, Any]:
    response = http.get(None, "/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, shape(path)): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        *_, section, name = node["$ref"].split("/")
        node = document["components"][section][name]
    return node


# --- the OpenAPI document ---------------------------------------------------------------


def test_the_document_is_openapi_3_and_needs_no_token(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"]
    assert document["info"]["version"] == "1"


def test_every_api_md_path_built_so_far_is_documented(document):
    missing = DOCUMENTED - operations(document).keys()
    assert not missing, f"API.md operations missing from /api/openapi.json: {sorted(missing)}"


def test_every_documented_operation_is_routed(app: Flask, document):
    """No operation in the document is a dead entry: Flask routes each one (ids filled in)."""
    adapter = app.url_map.bind("localhost")
    for method, path in operations(document):
        concrete = path.replace("{}", str(uuid4()), 1).replace("{}", "1")
        if path.startswith("/api/calendar/"):  # the year, not an id
            concrete = path.replace("{}", "2027")
        endpoint, _ = adapter.match(concrete, method=method.upper())
        assert endpoint, (method, path)


def test_bearer_auth_is_declared_and_required(document):
    schemes = document["components"]["securitySchemes"]
    bearer = [name for name, scheme in schemes.items() if scheme == {"type": "http", "scheme": "bearer"}]
    assert bearer, schemes
    assert any(name in requirement for requirement in document["security"] for name in bearer)
    for key, operation in operations(document).items():
        assert operation.get("security", document["security"]), f"{key} is documented as needing no auth"


def test_every_command_documents_its_json_body(document):
    ops = operations(document)
    for key in sorted(DOCUMENTED - WITHOUT_BODY):
        if key[0] == "get":
            continue
        body = ops[key].get("requestBody")
        assert body, f"{key} has no documented body"
        assert body.get("required") is True, key
        schema = resolve(document, body["content"]["application/json"]["schema"])
        assert schema["type"] == "object" and schema["properties"], key
        assert schema.get("additionalProperties") is False, f"{key}: unknown fields are refused, say so"


def body_schema(document: dict[str, Any], key: tuple[str, str]) -> dict[str, Any]:
    body = operations(document)[key]["requestBody"]["content"]["application/json"]["schema"]
    return resolve(document, body)


@pytest.mark.parametrize(
    ("key", "required"),
    [
        (("post", "/api/projects"), {"code", "name", "customer", "service"}),
        (("put", "/api/projects/{}/plan"), {"manual", "requirements", "trial_start", "trial_review", "go_live"}),
        (("post", "/api/projects/{}/plan/review"), {"participants", "outcome"}),
        (("post", "/api/projects/{}/appointment"), {"project_manager", "letter_reference"}),
        (("post", "/api/tickets/{}/alternatives"), {"description", "meets_requirements"}),
        (("post", "/api/tickets/{}/acceptance"), {"outcome"}),
        (("put", "/api/reviews/{}/items/{}"), {"met", "evidence"}),
        (("post", "/api/reviews/{}/decision"), {"decision"}),
    ],
)
def test_request_schemas_name_the_required_fields(document, key, required):
    assert set(body_schema(document, key)["required"]) == required


def test_request_schemas_carry_the_codes_of_the_contract(document):
    def enum(key: tuple[str, str], field: str) -> set[str]:
        return set(body_schema(document, key)["properties"][field]["enum"])

    service = resolve(document, body_schema(document, ("post", "/api/projects"))["properties"]["service"])
    channels = set(service["properties"]["channels"]["items"]["enum"])
    assert channels == {"inbound_hotline", "outbound", "online_chat", "email", "social"}
    assert enum(("post", "/api/projects/{}/plan/review"), "outcome") == {"approved", "rejected"}
    assert enum(("post", "/api/projects/{}/plan/revision"), "trigger") == {"customer_change", "force_majeure"}
    assert enum(("post", "/api/tickets/{}/acceptance"), "outcome") == {"accepted", "returned"}
    assert enum(("post", "/api/tickets/{}/alternatives/{}/review"), "outcome") == {"passed", "failed"}
    assert enum(("post", "/api/reviews/{}/decision"), "decision") == {"go_live", "extend_trial"}
    assert body_schema(document, ("put", "/api/reviews/{}/items/{}"))["properties"]["met"]["type"] == "boolean"


def test_path_parameters_are_typed(document):
    """Ids are UUIDs and alternative numbers integers, so clients (and schemathesis) send the right kind."""
    for path, item in document["paths"].items():
        operation_parameters = [p for method in METHODS for p in item.get(method, {}).get("parameters", [])]
        for parameter in [*item.get("parameters", []), *operation_parameters]:
            if parameter["in"] == "path" and parameter["name"].endswith("_id"):
                assert parameter["schema"] == {"type": "string", "format": "uuid"}, (path, parameter)
            if parameter["in"] == "path" and parameter["name"] == "n":
                assert parameter["schema"]["type"] == "integer", (path, parameter)


def test_every_operation_documents_the_one_error_body(document):
    for key, operation in operations(document).items():
        default = resolve(document, operation["responses"]["default"])
        error = resolve(document, default["content"]["application/json"]["schema"])
        assert set(error["properties"]) == {"code", "status", "message", "errors"}, key
        assert set(error["required"]) == {"code", "status", "message", "errors"}, key


# --- the docs page ------------------------------------------------------------------------


class Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_the_docs_page_is_swagger_ui_served_from_this_app(http: Http):
    page = http.get(None, "/api/docs")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "SwaggerUIBundle" in html
    assert "/api/openapi.json" in html
    assert not re.search(r"(https?:)?//[\w.-]+\.[a-z]{2,}", html), "the docs page must not load anything from a CDN"
    parser = Assets()
    parser.feed(html)
    assert any(url.endswith(".js") for url in parser.urls) and any(url.endswith(".css") for url in parser.urls)
    for url in parser.urls:
        assert url.startswith("/api/docs/static/"), url
        asset = http.get(None, url)
        try:  # a file is streamed: close it, as a WSGI server would
            assert asset.status_code == 200, url
            assert asset.mimetype in ("text/javascript", "application/javascript", "text/css"), (url, asset.mimetype)
            assert len(asset.data) > 1000, url
        finally:
            asset.close()


def test_an_unknown_docs_asset_is_404(http: Http):
    assert http.get(None, "/api/docs/static/no-such-file.js").status_code == 404


# --- health -------------------------------------------------------------------------------


def test_healthz_says_the_process_is_alive(http: Http):
    response = http.get(None, "/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


@pytest.mark.backends("memory", "sqlite")
def test_readyz_says_the_store_is_reachable_and_where_the_log_is(http: Http, tracker):
    empty = http.get(None, "/readyz")
    assert empty.status_code == 200
    assert empty.get_json()["store"] == "ok"
    Launch(tracker).register()
    after = http.get(None, "/readyz").get_json()
    assert after["store"] == "ok"
    assert after["position"] > empty.get_json()["position"]


# --- one error body everywhere ------------------------------------------------------------


def assert_error_body(response, code: int) -> dict[str, Any]:
    assert response.status_code == code, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"code", "status", "message", "errors"}, body
    assert body["code"] == code
    assert body["status"] == HTTPStatus(code).phrase
    assert isinstance(body["message"], str) and body["message"].strip()
    assert isinstance(body["errors"], dict)
    return body


@dataclass
class Failure:
    code: int
    send: Callable[[Http, Launch], Any]
    check: Callable[[Any, dict[str, Any]], None] = lambda response, body: None


def _project(launch: Launch) -> str:
    return f"/api/projects/{launch.project_id}"


def _check_422(response, body):
    assert {"code", "name", "customer", "service"} <= body["errors"].keys()


def _check_409_transition(response, body):
    assert body["errors"]["reason"] == "invalid_transition"
    assert body["errors"]["current"] == "planning"
    assert "draft_plan" in body["errors"]["allowed"]


def _check_409_rule(response, body):
    assert body["errors"]["reason"] == "rule_violated"


def _check_409_concurrent(response, body):
    assert body["errors"]["reason"] == "concurrent_update"


def _check_405(response, body):
    assert "GET" in response.headers["Allow"]


def _check_401(response, body):
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


FAILURES = {
    "400 malformed json": Failure(
        400,
        lambda http, launch: http.call(
            "POST", SALES, "/api/projects", data='{"code": "SH-1", ', content_type="application/json"
        ),
    ),
    "401 no token": Failure(401, lambda http, launch: http.get(None, _project(launch)), _check_401),
    "401 forged token": Failure(
        401,
        lambda http, launch: http.get(None, _project(launch), headers={"Authorization": "Bearer not-a-token"}),
        _check_401,
    ),
    "403 auditor writes": Failure(
        403,
        lambda http, launch: http.post(
            AUDITOR, f"{_project(launch)}/meetings", {"held_on": "2026-11-02", "participants": ["hr"]}
        ),
    ),
    "403 not their project": Failure(
        403, lambda http, launch: http.put(OTHER_PM, f"{_project(launch)}/plan", as_json(plan()))
    ),
    "404 unknown route": Failure(404, lambda http, launch: http.get(PM, "/api/no-such-thing")),
    "404 unknown project": Failure(404, lambda http, launch: http.get(PM, f"/api/projects/{uuid4()}")),
    "404 unknown ticket": Failure(404, lambda http, launch: http.post(TECH_LEAD, f"/api/tickets/{uuid4()}/start")),
    "405 wrong method": Failure(405, lambda http, launch: http.call("DELETE", PM, _project(launch)), _check_405),
    "409 invalid transition": Failure(
        409,
        lambda http, launch: http.post(
            PM, f"{_project(launch)}/trial", {"start": "2026-12-07", "planned_end": "2026-12-18"}
        ),
        _check_409_transition,
    ),
    "409 rule violated": Failure(
        409,
        lambda http, launch: http.post(PM, f"{_project(launch)}/plan/submission"),
        _check_409_rule,
    ),
    "409 concurrent update": Failure(
        409,
        lambda http, launch: http.post(
            PM, f"{_project(launch)}/meetings", {"held_on": "2026-11-02", "participants": ["hr"]}, if_match=1
        ),
        _check_409_concurrent,
    ),
    "413 body too large": Failure(
        413,
        lambda http, launch: http.post(SALES, "/api/projects", {"code": "SH-BIG", "name": "大" * (1024 * 1024)}),
    ),
    "415 not json": Failure(
        415,
        lambda http, launch: http.call("POST", SALES, "/api/projects", data="code=SH-1", content_type="text/plain"),
    ),
    "422 invalid body": Failure(422, lambda http, launch: http.post(SALES, "/api/projects", {}), _check_422),
}


@pytest.mark.parametrize("name", FAILURES)
def test_every_failure_answers_the_one_error_body_and_records_nothing(http: Http, tracker, name):
    launch = Launch(tracker).advance_to("planning")
    before = tracker.recorder.max_notification_id()
    failure = FAILURES[name]
    response = failure.send(http, launch)
    body = assert_error_body(response, failure.code)
    failure.check(response, body)
    assert tracker.recorder.max_notification_id() == before


def test_an_unexpected_error_is_500_with_the_error_body_and_no_details(app: Flask, http: Http, caplog):
    secret = "psycopg.OperationalError: password=hunter2 at 10.0.0.7"

    @app.get("/api/test-only/explode")
    def explode():
        raise RuntimeError(secret)

    response = http.get(PM, "/api/test-only/explode")
    body = assert_error_body(response, 500)
    text = response.get_data(as_text=True)
    assert secret not in text and "hunter2" not in text and "RuntimeError" not in text and "Traceback" not in text
    assert body["errors"] == {}
    assert any(secret in record.getMessage() or secret in str(record.exc_info) for record in caplog.records), (
        "the exception is logged for operators"
    )


# --- Chinese text -------------------------------------------------------------------------

NAME = "上海應急熱線（二期）"
CUSTOMER = "上海市应急管理服务中心"
REQUIREMENTS = [
    {"kind": "customer", "text": "接通率 ≥ 95%，20 秒內接聽", "source": "服務合同 第三條"},
    {"kind": "legal", "text": "客戶資料保密；錄音保存一個月", "source": "《個人信息保護法》"},
]
SOURCES = [{"kind": "contract", "reference": "服務合同 HT-2026-118"}]


@pytest.mark.backends("memory", "sqlite", "postgres")
def test_chinese_text_round_trips_unchanged_as_utf8_json(http: Http):
    created = http.post(
        SALES,
        "/api/projects",
        {
            "code": "SH-熱線",
            "name": NAME,
            "customer": CUSTOMER,
            "service": {**SERVICE, "languages": ["普通話", "上海話"]},
            "requirements": REQUIREMENTS,
            "sources": SOURCES,
        },
    )
    assert created.status_code == 201, created.get_json()
    project = f"/api/projects/{created.get_json()['id']}"

    response = http.get(PM, project)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.mimetype_params.get("charset", "utf-8").lower() == "utf-8"
    raw = response.get_data()
    assert NAME.encode("utf-8") in raw, "Chinese is sent as UTF-8, not as \\u escapes"
    assert b"\\u" not in raw
    state = json.loads(raw.decode("utf-8"))
    assert state["code"] == "SH-熱線"
    assert state["name"] == NAME
    assert state["customer"] == CUSTOMER
    assert state["service"]["languages"] == ["普通話", "上海話"]
    assert [(r["kind"], r["text"], r["source"]) for r in state["requirements"]] == [
        (r["kind"], r["text"], r["source"]) for r in REQUIREMENTS
    ]
    assert [s["reference"] for s in state["sources"]] == ["服務合同 HT-2026-118"]

    history = http.get(PM, f"{project}/history").get_json()["items"]
    assert history[0]["data"]["name"] == NAME


def test_chinese_in_a_plan_and_a_meeting_round_trips(http: Http, tracker):
    launch = Launch(tracker).advance_to("planning")
    draft = as_json(plan())
    draft["positions"][0]["title"] = "客服代表"
    draft["manual"]["requirements"] = "來電流程、話術與應急預案"
    draft["requirements"][0]["title"] = "招聘二十八名坐席"
    draft["requirements"][0]["acceptance_criteria"] = ["二十八人到崗", "培訓考核通過"]
    assert http.put(PM, f"{_project(launch)}/plan", draft).status_code == 200
    meeting = {"held_on": "2026-11-02", "participants": ["人事部", "技術部"], "decisions": ["下週一開始招聘"]}
    assert http.post(PM, f"{_project(launch)}/meetings", meeting).status_code == 200

    state = http.get(AUDITOR, _project(launch)).get_json()
    content = state["plans"][-1]["content"]
    assert content["positions"][0]["title"] == "客服代表"
    assert content["manual"]["requirements"] == "來電流程、話術與應急預案"
    assert content["requirements"][0]["title"] == "招聘二十八名坐席"
    assert content["requirements"][0]["acceptance_criteria"] == ["二十八人到崗", "培訓考核通過"]
    assert state["meetings"][-1] == meeting
