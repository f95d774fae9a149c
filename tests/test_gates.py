"""The gate rules on their own: the reasons a PM reads when a step is refused."""

from datetime import date

from demo.workflow import Launch, plan, requirement
from domain import gates
from domain.plan import normalise


def test_plan_in_date_order_passes_the_gate():
    assert gates.plan_dates_ordered(normalise(plan())).met


def test_each_date_out_of_order_is_named():
    late = requirement("R7", "hr", complete_by=date(2026, 12, 5), accept_by=date(2026, 12, 4))
    after_trial = requirement("R8", "hr", accept_by=date(2026, 12, 8), complete_by=date(2026, 12, 1))
    content = normalise(plan(late, after_trial, go_live=date(2026, 12, 17)))
    gate = gates.plan_dates_ordered(content)
    assert not gate.met
    assert "R7: completion 2026-12-05 is after acceptance 2026-12-04" in gate.why
    assert "R8: acceptance 2026-12-08 is after trial start 2026-12-07" in gate.why
    assert "trial review 2026-12-18 is after go-live 2026-12-17" in gate.why


def test_manual_due_after_trial_start_breaks_the_order():
    content = normalise(plan(manual={"requirements": "scripts", "due": date(2026, 12, 8)}))
    assert "operations manual due 2026-12-08 is after trial start" in gates.plan_dates_ordered(content).why


def test_tickets_gate_names_missing_and_open_tickets(tracker):
    project = Launch(tracker).advance_to("implementation").project
    gate = gates.tickets_accepted(project, {"R1": "in_progress"})
    assert not gate.met
    assert gate.why == "no ticket issued for R2; not yet accepted: R1 (in_progress)"
    assert gates.tickets_accepted(project, {"R1": "accepted", "R2": "cancelled"}).met


def test_manual_and_trial_gates_say_what_is_missing(tracker):
    project = Launch(tracker).advance_to("implementation").project
    assert gates.manual_approved(project).why == "no operations manual has been submitted"
    assert gates.trial_started(project).why == "the trial operation has not started"
    assert gates.equipment_report(project).why == "system maintenance has not filed the equipment operation report"
    assert gates.plan_approved(project).met


def test_review_items_gates_list_unassessed_then_unmet_items():
    items = {item: {"met": True} for item in gates.REVIEW_ITEMS[:6]}
    assert gates.review_items_assessed(items).why == "not yet assessed: processes, personnel"
    items.update(processes={"met": False}, personnel={"met": True})
    assert gates.review_items_assessed(items).met
    assert gates.review_items_met(items).why == "not met: processes"
