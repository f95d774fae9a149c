"""The demo hotline of DOMAIN.md loads through the users' own commands, once, and runs on past go-live
to 15 March 2027 (the day ``make serve DEMO=1`` takes as today)."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from demo import hotline
from demo.projects import DEMO_TODAY, HAPPENED_BY
from demo.workflow import PM
from tests.api.conftest import Http
from tests.api.views_support import read, running_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.backends()
def test_demo_hotline_went_live_and_ran_a_failed_month_its_rectification_and_requests(tracker):
    pid = hotline.load(tracker)
    project = tracker.load_project(pid)
    assert project.phase == "live" and project.went_live_on == date(2026, 12, 21)
    assert project.service["seats"] == 25
    assert {t.requirement_ref: t.state for t in tracker.tickets_of(project)} == {
        "R1": "accepted",
        "R2": "accepted",
        "R3": "accepted",
        "R4": "accepted",
    }
    review = tracker.load_review(project.reviews[-1]["review_id"])
    assert (review.state, project.reviews[-1]["outcome"]) == ("decided", "passed")
    assert [entry.state for entry in project.trial.improvements] == ["closed"]

    months = tracker.assessments(project, today=DEMO_TODAY)
    outcomes = {m["month"]: m["outcome"] for m in months["items"]}
    assert outcomes == {"2026-12": "passed", "2027-01": "failed", "2027-02": "passed", "2027-03": "open"}
    assert [(r["month"], r["state"]) for r in project.rectifications] == [("2027-01", "closed")]
    requests = [(r.kind, r.owner_department, r.state) for r in project.requests]
    assert requests == [("seat_change", "operations", "fulfilled"), ("extra_training", "operations", "open")]
    assert [v["month"] for v in project.volumes] == ["2026-12", "2027-01", "2027-02"]
    assert max(r.received_on for r in project.requests) == HAPPENED_BY <= DEMO_TODAY


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
    assert '"phase": "live"' in second.stdout


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
