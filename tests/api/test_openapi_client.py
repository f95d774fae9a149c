"""The OpenAPI document is valid OpenAPI 3 and a client generated from it works (issue 11, item 9).

``openapi-spec-validator`` checks the document against the OpenAPI 3.0 schema; then
``openapi-python-client`` generates a typed client from it (as a user of the API would), and
that client registers a project and reads it back over HTTP from the development server.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from openapi_spec_validator import OpenAPIV30SpecValidator, validate

from demo.workflow import PM, SALES, SERVICE
from tests.api.conftest import Http, token

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "launch_tracker_client"


@pytest.fixture
def document(http: Http) -> dict:
    return http.get(None, "/api/openapi.json").get_json()


def test_the_openapi_document_is_valid_openapi_3(document: dict) -> None:
    problems = [
        f"{list(error.absolute_path)}: {error.message[:200]}"
        for error in OpenAPIV30SpecValidator(document).iter_errors()
    ]
    assert problems == []
    validate(document)


def test_every_response_is_described(document: dict) -> None:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            for status, response in operation.get("responses", {}).items():
                assert "$ref" in response or response.get("description"), (method, path, status)


def test_the_audit_log_documents_both_of_its_formats(document: dict) -> None:
    answer = document["paths"]["/api/audit/events"]["get"]["responses"]["200"]
    assert set(answer["content"]) == {"application/json", "text/csv"}


@pytest.fixture
def client_package(document: dict, tmp_path: Path) -> Iterator[object]:
    """The client generated from the served document, importable as ``launch_tracker_client``."""
    spec, config = tmp_path / "spec.json", tmp_path / "generator.yaml"
    spec.write_text(json.dumps(document))
    config.write_text("post_hooks: []\n")  # (no formatting of the generated code: not needed to use it)
    output = tmp_path / "generated" / PACKAGE
    command = [str(GENERATOR), "generate", "--path", str(spec), "--output-path", str(output)]
    result = subprocess.run(
        [*command, "--meta", "none", "--config", str(config)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and (output / "client.py").is_file(), result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(output.parent))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(output.parent))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def test_a_generated_client_registers_a_project_and_reads_it_back(client_package, served: str, tracker) -> None:
    client_module = importlib.import_module(f"{PACKAGE}.client")
    register = importlib.import_module(f"{PACKAGE}.api.projects.post_api_projects")
    read = importlib.import_module(f"{PACKAGE}.api.projects.get_api_projects_project_id")
    models = importlib.import_module(f"{PACKAGE}.models")

    body = models.ProjectIn.from_dict({"code": "SH-CLIENT", "name": "熱線", "customer": "上海", "service": SERVICE})
    with client_module.AuthenticatedClient(base_url=served, token=token(SALES)) as sales:
        registered = register.sync_detailed(client=sales, body=body)
    assert registered.status_code == 201, registered.content
    assert isinstance(registered.parsed, models.CommandResult)
    project_id = registered.parsed.id
    assert isinstance(project_id, UUID)
    assert tracker.load_project(project_id).code == "SH-CLIENT"

    with client_module.AuthenticatedClient(base_url=served, token=token(PM)) as pm:
        answer = read.sync_detailed(project_id, client=pm)
    assert answer.status_code == 200, answer.content
    assert answer.parsed.to_dict()["code"] == "SH-CLIENT"
    assert answer.parsed.to_dict()["name"] == "熱線"

    with client_module.Client(base_url=served) as anonymous:
        refused = read.sync_detailed(project_id, client=anonymous)
    assert refused.status_code == 401
    assert isinstance(refused.parsed, models.Error)
    assert "Bearer" in refused.parsed.message
