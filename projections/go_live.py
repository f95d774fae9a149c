"""Go-live readiness view: each gate met or not, with the reason the commands would give.

The gates are ``domain.gates`` — the very functions that refuse the commands — applied
to the project and tickets as the events built them. The trial's KPI figures against the
contract's targets are shown as evidence for the review item "customer-specified requirements".
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain import gates
from domain.state import to_plain
from projections.kpis import trial_kpis
from projections.reading import Reader
from projections.review_list import project_reviews


def go_live_view(reader: Reader, project_id: UUID) -> dict[str, Any]:
    project = reader.one("project", project_id)
    tickets = {str(t.id): t.state for t in reader.where("ticket", [("project_id = ?", (str(project_id),))])}
    states = {t.requirement_ref: tickets[str(t.id)] for t in project.tickets if t.active}
    checks = gates.go_live_readiness(project, states, project_reviews(reader, project))
    return {
        "project_id": project.id,
        "phase": project.phase,
        "ready": all(gate.met for gate in checks),
        "gates": [gate_entry(gate) for gate in checks],
        "reviews": [
            {"review_id": r.review_id, "held_on": r.held_on, "outcome": r.outcome, "decision": to_plain(r.decision)}
            for r in project.reviews
        ],
        "trial_kpis": trial_kpis(project),
    }


def gate_entry(gate: gates.Gate) -> dict[str, Any]:
    """``{gate, met, why}``, and ``open`` for the gate that names what keeps it shut."""
    entry: dict[str, Any] = {"gate": gate.name, "met": gate.met, "why": gate.why}
    if gate.name == "corrective_actions_closed":
        entry["open"] = list(gate.open)
    return entry
