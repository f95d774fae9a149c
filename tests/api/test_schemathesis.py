"""Schemathesis against /api/openapi.json: no 5xx, and every answer is what the document says.

The app runs in-process (WSGI) on the memory store, seeded with real aggregates: a project in
``trial_review`` (accepted tickets, an open trial review) and one in ``implementation`` whose
tickets are issued, one of them at risk with an alternative proposed. In the fuzzing phase,
path ids are drawn mostly from those real ids, so requests reach real aggregates and run the
domain's rules (rights, phases, validation), not only the 404 path. Fuzzing runs once per
role that may write; the auditor, who only reads, on the GET operations. Generation is
bounded and deterministic (fixed seed, no example database) so CI stays fast and stable.

``API_FUZZ_DEEP=1`` runs a deeper, randomised search for local use: more examples, a fresh
seed, and schemathesis' coverage phase (boundary and negative values, missing auth,
unexpected methods), which costs too much time at collection to run on every CI build.

``schemathesis.pytest.from_fixture`` is not used: with pytest 9 it fails on
``request.node._nodeid``, so the schema is loaded from a module-level app instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import create_app
from demo.workflow import AUDITOR, PM, SALES, SERVICE_MANAGER, SYSMAINT_LEAD, TECH_LEAD, Launch
from domain.gates import REVIEW_ITEMS
from domain.roles import Actor
from tests.api.conftest import SECRET, token

DEEP = os.environ.get("API_FUZZ_DEEP") == "1"
MAX_EXAMPLES = 100 if DEEP else 8
SEED = None if DEEP else 20261201
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Roles that may change something; the auditor (reads only) gets the GET operations below.
ROLES = {
    "pm": PM,
    "sales": SALES,
    "technology_lead": TECH_LEAD,
    "maintenance_lead": SYSMAINT_LEAD,
    "service_manager": SERVICE_MANAGER,
}

# Filled by the ``seeded`` fixture before any case is generated; read by the path hook.
KNOWN: dict[str, list[str]] = {}


def settings(**phases: bool) -> schemathesis.Config:
    config = {
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": not DEEP, "database": "none"},
        "phases": {name: {"enabled": enabled} for name, enabled in phases.items()},
    }
    return schemathesis.Config.from_dict(config if SEED is None else {**config, "seed": SEED})


APP = create_app({"DATABASE_URL": "memory://", "SECRET_KEY": SECRET, "TESTING": True})
fuzzing = schemathesis.openapi.from_wsgi("/api/openapi.json", APP, config=settings(coverage=False))


def flatmap_path_parameters(context, path_parameters):
    """Mostly a real id (or review item, or alternative number), sometimes the generated value."""
    if not path_parameters:
        return st.just(path_parameters)
    return st.fixed_dictionaries(
        {name: st.sampled_from([*KNOWN.get(name, []), value]) for name, value in path_parameters.items()}
    )


fuzzing.hook(flatmap_path_parameters)


@pytest.fixture(scope="module", autouse=True)
def seeded() -> Iterator[dict[str, list[str]]]:
    """Real aggregates for the path ids: every kind of id, in more than one state."""
    tracker = APP.extensions["tracker"]
    reviewing = Launch(tracker).advance_to("trial_review")
    implementing = Launch(tracker, code="SH-ONLINE").advance_to("implementation").issue_tickets()
    at_risk = implementing.tickets["R2"]
    tracker.start_ticket(TECH_LEAD, at_risk)
    tracker.flag_risk(TECH_LEAD, at_risk, "headsets arrive late")
    tracker.propose_alternative(TECH_LEAD, at_risk, "rent headsets for the trial", True)
    KNOWN.update(
        project_id=[str(reviewing.project_id), str(implementing.project_id)],
        ticket_id=[str(t) for t in (*reviewing.tickets.values(), *implementing.tickets.values())],
        review_id=[str(reviewing.review_id)],
        item=list(REVIEW_ITEMS),
        n=["1"],
        year=["2026", "2027"],
    )
    yield KNOWN
    KNOWN.clear()
    tracker.close()


def call_as(actor: Actor, case) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token(actor)}"}, checks=CHECKS)


@pytest.mark.parametrize("role", sorted(ROLES))
@fuzzing.parametrize()
def test_fuzzed_requests_get_documented_answers(case, role):
    call_as(ROLES[role], case)


@fuzzing.include(method="GET").parametrize()
def test_auditor_reads_get_documented_answers(case):
    call_as(AUDITOR, case)


if DEEP:
    coverage = schemathesis.openapi.from_wsgi("/api/openapi.json", APP, config=settings(fuzzing=False))
    coverage.hook(flatmap_path_parameters)

    @coverage.parametrize()
    def test_boundary_and_negative_requests_get_documented_answers(case):
        call_as(PM, case)
