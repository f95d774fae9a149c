"""The demo hotline of DOMAIN.md loads through the users' own commands, once."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from demo import hotline
from demo.workflow import PM
from tests.api.conftest import Http
from tests.api.views_support import read, running_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.backends()
def test_demo_hotline_is_recorded_up_to_its_trial_review(tracker):
    pid = hotline.load(tracker)
    project = tracker.load_project(pid)
    assert project.phase == "trial_review"
    assert project.service["seats"] == 25
    assert project.current_plan["go_live"].isoformat() == "2026-12-21"
    assert {t.requirement_ref: t.state for t in tracker.tickets_of(project)} == {
        "R1": "accepted",
        "R2": "accepted",
        "R3": "accepted",
        "R4": "accepted",
    }
    review = tracker.load_review(project.reviews[-1]["review_id"])
    assert review.state == "open"


def test_demo_command_loads_once_and_reports_state(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/demo.sqlite3"}
    first = subprocess.run(
        [sys.executable, "-m", "demo"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    second = subprocess.run(
        [sys.executable, "-m", "demo"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert "SH-HOTLINE-2026 loaded" in first.stdout
    assert "already loaded" in second.stdout
    assert '"phase": "trial_review"' in second.stdout


@pytest.mark.backends("sqlite")
def test_demo_go_live_view_shows_the_contract_targets_against_the_trial_kpis(database_url):
    with running_app(database_url) as app:
        pid = hotline.load(app.extensions["tracker"])
        http = Http(app.test_client())
        evidence = read(http, PM, f"/api/projects/{pid}/go-live")["trial_kpis"]
        contract = read(http, PM, f"/api/projects/{pid}/contract")

    assert contract["amendments"][0]["recorded_role"] == "sales"
    assert evidence["review_item"] == "customer_requirements"
    assert evidence["all_met"] is True
    assert [[k["kpi"] for k in p["kpis"]] for p in evidence["periods"]] == [
        ["answer_rate", "service_level", "customer_satisfaction"]
    ] * 2
