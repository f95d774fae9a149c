"""Random valid command sequences over a few projects, with the projections run live at random
points in random batch sizes: every view built live equals the same view rebuilt from zero,
on SQLite and on PostgreSQL (a fresh database file or schema per example).

One project starts each example live (``P-LIVE``), so the events after go-live — monthly reports
met or missed, rectifications, customer requests, measures done and verified, termination,
handover and closure (``tests.live_steps``) — come up in every example, not only in the few
where a random launch gets that far."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from demo.workflow import (
    BRANCH_HEAD,
    DIRECTOR,
    LEADS,
    OTHER_PM,
    PM,
    REQUIREMENTS,
    SALES,
    SERVICE,
    SERVICE_MANAGER,
    SOURCES,
    SYSMAINT_LEAD,
    Launch,
    all_met,
    plan,
    requirement,
)
from domain.application import Tracker
from domain.clock import SHANGHAI
from domain.errors import DomainError
from domain.gates import REVIEW_ITEMS
from domain.project import Project
from projections.runner import NAMES, Runner
from store.views import ViewStore
from tests.calendar_support import TEST_MAKEUP_DAYS_2027, schedule_2027
from tests.contract_support import HOTLINE_TERMS, amendment
from tests.live_steps import BACKWARD as LIVE_BACKWARD
from tests.live_steps import corrective_steps, live_steps, loop_steps
from tests.projection_support import TODAY, assert_views_equal, audit_positions, every_view, fresh_database, view_rows

CODES = ("P-ALPHA", "P-BETA", "P-GAMMA", "P-LIVE")
LIVE = CODES.index("P-LIVE")
"""The project launched to live (with the hotline's terms) before the example's moves."""
PLANS = (
    plan(),
    # drops R2, adds R3 (administration): the R2 ticket is cancelled, R3 needs a new one
    plan(requirement("R1", "hr", ("28 people hired", "training passed")), requirement("R3", "administration")),
    # changes R1's criteria and date (an accepted R1 reopens) and moves R2 to system maintenance
    plan(
        requirement("R1", "hr", ("28 people hired",), complete_by=date(2026, 12, 1)),
        requirement("R2", "system_maintenance", accept_by=date(2026, 12, 5)),
    ),
    # staffing and milestones only
    plan(
        positions=[{"title": "team leader", "headcount": 3, "qualifications": "2 years", "duties": "shifts"}],
        go_live=date(2026, 12, 28),
    ),
)
Step = tuple[str, Callable[[], Any]]
BACKWARD = {
    "reappoint", "reject", "revise", "requirement", "cancel", "risk", "return", "fail", "assess", "extend",
    *LIVE_BACKWARD,
}  # fmt: skip
"""First words of the steps a forward move never takes (they happen in random moves)."""


class World:
    """The projects of one example, and the steps that make sense in each one's current state.

    ``styles``, per project, how its tickets go forward: 0 straight on, 1 at risk with an alternative
    that meets the requirements (escalated and rejected first), 2 with one that does not (failing
    review first), 3 returned once at acceptance.
    """

    def __init__(self, tracker: Tracker, styles: list[int]) -> None:
        self.tracker = tracker
        self.ids = [Project.create_id(code) for code in CODES]
        self.styles = styles

    def launch_live(self) -> None:
        """``P-LIVE`` through the happy path to live, two improvement measures of its trial still open
        (operations and hr), its contract terms recorded."""
        launch = Launch(self.tracker, code=CODES[LIVE]).advance_to("trial_operation")
        for owner in ("operations", "hr"):
            self.tracker.record_improvement(PM, launch.project_id, "queue", "more agents", owner, date(2026, 12, 16))
        launch.file_equipment_report().open_review().assess_all()
        launch.conclude()
        launch.go_live()
        self.tracker.record_contract_terms(SALES, launch.project_id, HOTLINE_TERMS)

    def steps(self, index: int) -> list[Step]:
        t, pid = self.tracker, self.ids[index]
        try:
            project = t.load_project(pid)
        except DomainError:
            code = CODES[index]
            return [("register", lambda: t.register_project(SALES, code, code, "客戶", SERVICE, REQUIREMENTS, SOURCES))]
        pm = PM if project.project_manager == PM.user else OTHER_PM
        other_pm = OTHER_PM if pm is PM else PM
        phase = project.phase
        steps: list[Step] = []
        if phase == "intake":
            steps.append(("appoint", lambda: t.appoint_project_manager(DIRECTOR, pid, PM.user, "任命書")))
        if phase == "planning":
            k = len(project.plans) % len(PLANS)
            steps += [
                ("submit plan", lambda: t.submit_plan(pm, pid)),
                (f"draft {k}", lambda: t.draft_plan(pm, pid, PLANS[k])),
                *((f"draft {j}", lambda j=j: t.draft_plan(pm, pid, PLANS[j])) for j in range(len(PLANS)) if j != k),
                ("reappoint", lambda: t.appoint_project_manager(DIRECTOR, pid, other_pm.user, "改任")),
            ]
        if phase == "plan_review":
            steps += [
                ("approve plan", lambda: t.review_plan(pm, pid, ["hr", "technology"], "approved", "agreed")),
                ("reject plan", lambda: t.review_plan(pm, pid, ["hr"], "rejected", "too thin")),
            ]
        if phase == "implementation":
            refs = [r["ref"] for r in project.current_plan["requirements"]]
            steps += [
                ("start trial", lambda: t.start_trial(pm, pid, date(2026, 12, 7), date(2026, 12, 18))),
                ("issue tickets", lambda: t.issue_tickets(pm, pid)),
                ("work on a ticket", lambda: self.work_on_a_ticket(project, pm, self.styles[index])),
                ("issue one ticket", lambda: t.issue_tickets(pm, pid, refs[-1:])),
                ("submit manual", lambda: t.submit_manual(SERVICE_MANAGER, pid, "OM-01", "draft")),
                ("approve manual", lambda: t.review_manual(pm, pid, "approved", "fine")),
            ]
            for entry in project.tickets:
                if entry["active"]:
                    steps += self.ticket_steps(entry["id"], pm)
            steps += [
                ("reject manual", lambda: t.review_manual(pm, pid, "rejected", "incomplete")),
                ("revise plan", lambda: t.revise_plan(pm, pid, "force_majeure", "typhoon")),
            ]
        if phase in ("planning", "plan_review", "implementation"):
            steps.append(("meeting", lambda: t.hold_meeting(pm, pid, date(2026, 11, 20), ["hr"], ["go on"])))
        if phase == "trial_operation":
            steps += [
                ("open review", lambda: t.open_trial_review(pm, pid, self.review_day(project), ["operations"])),
                ("equipment report", lambda: t.file_equipment_report(SYSMAINT_LEAD, pid, *self.period(project), "ok")),
                ("audit", lambda: t.record_process_audit(SERVICE_MANAGER, pid, date(2026, 12, 9), ["late"], False)),
                ("feedback", lambda: t.relay_customer_feedback(SALES, pid, date(2026, 12, 10), "too slow")),
                ("improvement", lambda: t.record_improvement(pm, pid, "slow", "more staff", "hr", date(2026, 12, 15))),
                (
                    "provisional improvement",
                    lambda: t.record_improvement(
                        pm, pid, "slow", "more staff", "hr", due_in_working_days=40, recorded_on=date(2026, 12, 28)
                    ),
                ),
            ]
            if project.reviews and project.reviews[-1]["outcome"] == "failed":
                rid = project.reviews[-1]["review_id"]
                steps.append(("nonconformity", lambda: t.record_nonconformity(pm, rid, "outage", "fix", "hr", TODAY)))
        if phase == "trial_review":
            rid = project.reviews[-1]["review_id"]
            planned_end = project.trial["planned_end"]
            steps += [
                (
                    "go live",
                    lambda: t.decide_after_review(BRANCH_HEAD, rid, "go_live", go_live_on=planned_end + timedelta(3)),
                ),
                ("conclude", lambda: t.conclude_review(pm, rid, "summary")),
                ("all items met", lambda: [t.assess_review_item(pm, rid, i, True, "ok") for i in REVIEW_ITEMS]),
                ("assess unmet", lambda: t.assess_review_item(pm, rid, "equipment", False, "outage")),
                (
                    "extend",
                    lambda: t.decide_after_review(pm, rid, "extend_trial", extend_until=planned_end + timedelta(7)),
                ),
            ]
        if phase in ("trial_operation", "trial_review"):
            steps += loop_steps(t, project, pm) + corrective_steps(t, project, pm)
        if phase in ("live", "terminating"):
            steps += live_steps(t, project, pm)
        if phase != "cancelled":
            steps.append(("schedule 2027", self.record_schedule))
            steps.append(
                ("requirement change", lambda: t.record_requirement_change(SALES, pid, "more", "accepted", "C"))
            )
            terms = HOTLINE_TERMS if not project.contract_terms else amendment()
            steps.append(("terms", lambda: t.record_contract_terms(SALES, pid, terms)))
        if phase in ("trial_operation", "trial_review", "live"):
            steps += self.operations_steps(pid, len(project.volumes))
        return steps

    def record_schedule(self) -> Any:
        """Record the TEST schedule of 2027, then correct it back and forth (20 February a make-up day or not)."""
        recorded = self.tracker.calendar_of(2027)
        if recorded is None:
            return self.tracker.record_working_calendar(DIRECTOR, **schedule_2027())
        makeup = TEST_MAKEUP_DAYS_2027[: 1 + recorded.version % 2]
        return self.tracker.record_working_calendar(DIRECTOR, **schedule_2027(makeup_days=makeup), reason="correction")

    def operations_steps(self, pid: UUID, recorded: int) -> list[Step]:
        t = self.tracker
        start = datetime(2026, 12, 9, 10, tzinfo=SHANGHAI) + timedelta(hours=5 * recorded)
        week = (date(2026, 12, 7), date(2026, 12, 13), {"answer_rate": "95.5", "average_handle_time": "320"})
        return [
            ("kpi report", lambda: t.record_kpi_report(SERVICE_MANAGER, pid, *week)),
            ("outage", lambda: t.record_outage(SYSMAINT_LEAD, pid, start, start + timedelta(hours=8), True, "fault")),
            (
                "volumes",
                lambda: t.record_volumes(SERVICE_MANAGER, pid, "2026-12", 41000 - recorded, 1200, 2200, 85, "again"),
            ),
        ]

    def ticket_steps(self, tid: UUID, pm: Any) -> list[Step]:
        t = self.tracker
        ticket = t.load_ticket(tid)
        lead, n = LEADS[ticket.department], len(ticket.alternatives)
        by_state: dict[str, list[Step]] = {
            "issued": [("start", lambda: t.start_ticket(lead, tid)), ("risk", lambda: t.flag_risk(lead, tid, "late"))],
            "in_progress": [
                ("submit", lambda: t.submit_ticket(lead, tid, "delivered")),
                ("risk", lambda: t.flag_risk(lead, tid, "supplier")),
            ],
            "at_risk": [
                ("propose", lambda: t.propose_alternative(lead, tid, "rent", True, date(2026, 12, 6))),
                ("propose unmet", lambda: t.propose_alternative(lead, tid, "fewer seats", False)),
            ],
            "alternative_proposed": [
                ("confirm", lambda: t.confirm_alternative(pm, tid, n)),
                ("escalate", lambda: t.confirm_alternative(pm, tid, n, escalate=True)),
            ],
            "alternative_escalated": [
                ("approve alternative", lambda: t.approve_alternative(BRANCH_HEAD, tid, n, "approved", "")),
                ("reject alternative", lambda: t.approve_alternative(BRANCH_HEAD, tid, n, "rejected", "no")),
            ],
            "alternative_under_review": [
                ("pass alternative", lambda: t.review_alternative(pm, tid, n, ["hr"], "passed", "")),
                ("fail alternative", lambda: t.review_alternative(pm, tid, n, ["hr"], "failed", "no")),
            ],
            "submitted": [
                ("accept", lambda: t.decide_acceptance(pm, tid, "accepted", all_met(ticket), "ok")),
                ("return", lambda: t.decide_acceptance(pm, tid, "returned", [], "redo")),
            ],
        }
        return [(f"{name} {ticket.requirement_ref}", step) for name, step in by_state.get(ticket.state, [])]

    def work_on_a_ticket(self, project: Project, pm: Any, style: int) -> bool:
        """One step forward on the project's first open ticket, the way ``style`` says; False if none is open."""
        t = self.tracker
        for entry in project.tickets:
            ticket = t.load_ticket(entry["id"])
            if entry["active"] and ticket.is_open:
                break
        else:
            return False
        tid, lead, state, n = ticket.id, LEADS[ticket.department], ticket.state, len(ticket.alternatives)
        if state in ("issued", "in_progress") and style in (1, 2) and not ticket.risks:
            t.flag_risk(lead, tid, "supplier late")
        elif state == "issued":
            t.start_ticket(lead, tid)
        elif state == "in_progress":
            t.submit_ticket(lead, tid, "delivery record")
        elif state == "at_risk":
            t.propose_alternative(lead, tid, f"plan {n + 1}", style != 2, date(2026, 12, 6) if n else None)
        elif state == "alternative_proposed":
            t.confirm_alternative(pm, tid, n, escalate=n == 1)
        elif state == "alternative_escalated":
            t.approve_alternative(BRANCH_HEAD, tid, n, "approved" if n > 1 else "rejected", "not this one")
        elif state == "alternative_under_review":
            t.review_alternative(pm, tid, n, ["hr", "operations"], "passed" if n > 1 else "failed", "not this one")
        elif style == 3 and not ticket.acceptances:
            t.decide_acceptance(pm, tid, "returned", all_met(ticket)[:1], "evidence missing")
        else:
            t.decide_acceptance(pm, tid, "accepted", all_met(ticket), "ok")
        return True

    @staticmethod
    def period(project: Project) -> tuple[date, date]:
        end = project.trial["planned_end"]
        return end - timedelta(7), end

    @staticmethod
    def review_day(project: Project) -> date:
        return project.trial["planned_end"]


def attempt(step: Callable[[], Any]) -> bool:
    """Run a step; a refusal by the domain is part of the game (it records nothing)."""
    try:
        return step() is not False
    except DomainError:
        return False


def forward(steps: list[Step]) -> str | None:
    """The first step, in the list's order, that moves the project on and that the domain accepts."""
    for name, step in steps:
        if name.split()[0] not in BACKWARD and attempt(step):
            return name
    return None


def play(world: World, runner: Runner, data: st.DataObject) -> None:
    """Moves: run the projections for a batch, move a project on, or take a random step; some projects are
    cancelled at a drawn move (a cancellation also cancels their open tickets)."""
    moves = data.draw(st.integers(30, 150), label="moves")
    cancel_at = [data.draw(st.none() | st.integers(0, moves - 1), label=f"cancel {code} at") for code in CODES]
    for number in range(moves):
        for index, at in enumerate(cancel_at):
            if at == number:
                attempt(lambda i=index: world.tracker.cancel_project(DIRECTOR, world.ids[i], "customer withdrew"))
        move = data.draw(st.integers(0, 19), label="move")
        if move < 5:
            runner.run_once(data.draw(st.none() | st.integers(1, 9), label="batch limit"))
            continue
        steps = world.steps(min(data.draw(st.integers(0, len(CODES)), label="project"), LIVE))  # P-LIVE twice as often
        if move < 16:
            forward(steps)
        elif steps:
            attempt(steps[data.draw(st.integers(0, len(steps) - 1), label="step")][1])


def describe_example(tracker: Tracker, store: ViewStore, world: World) -> None:
    """What the example covered (``pytest --hypothesis-show-statistics``): phases reached, event types, log size."""
    for pid in world.ids:
        try:
            event(f"phase {tracker.load_project(pid).phase}")
        except DomainError:
            event("phase (not registered)")
    for (kind,) in store.execute("SELECT DISTINCT type FROM view_audit"):
        event(f"type {kind}")
    event(f"events {(tracker.recorder.max_notification_id() or 0) // 25 * 25}+")


@pytest.mark.backends("sqlite", "postgres")
@settings(
    max_examples=16,  # (20 before P-LIVE: its launch and the live steps cost about a quarter more each)
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),  # (no "explain": minutes of replays)
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_views_built_live_equal_views_rebuilt_from_zero(database_url: str, data: st.DataObject) -> None:
    with fresh_database(database_url) as url:
        tracker, store = Tracker(url), None
        try:
            store = ViewStore(url)
            runner = Runner(tracker, store, batch_size=data.draw(st.integers(1, 50), label="batch size"))
            world = World(tracker, [data.draw(st.integers(0, 3), label=f"style of {code}") for code in CODES])
            world.launch_live()
            play(world, runner, data)
            runner.catch_up()
            head = runner.head()
            assert runner.lag() == dict.fromkeys(NAMES, 0)
            assert audit_positions(store) == list(range(1, head + 1))
            describe_example(tracker, store, world)
            live_views, live_rows = every_view(store, tracker.mapper, world.ids), view_rows(store, tracker.mapper)

            # the whole rebuild (in its own batch size, when drawn), then one view alone (the other stays ahead)
            for names in (NAMES, (data.draw(st.sampled_from(NAMES), label="then rebuild only"),)):
                batch_size = data.draw(st.none() | st.integers(1, 40), label="rebuild batch size")
                assert runner.rebuild(names, batch_size=batch_size) == head
                assert {name: store.positions().get(name, 0) for name in NAMES} == dict.fromkeys(NAMES, head)
                assert_views_equal(live_views, every_view(store, tracker.mapper, world.ids))
                assert live_rows == view_rows(store, tracker.mapper)
        finally:
            if store is not None:
                store.close()
            tracker.close()
