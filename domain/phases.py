"""The project's phases (DOMAIN.md, "The project's life")."""

INTAKE = "intake"
PLANNING = "planning"
PLAN_REVIEW = "plan_review"
IMPLEMENTATION = "implementation"
TRIAL_OPERATION = "trial_operation"
TRIAL_REVIEW = "trial_review"
LIVE = "live"
TERMINATING = "terminating"
CLOSED = "closed"
CANCELLED = "cancelled"

PHASES = (
    INTAKE,
    PLANNING,
    PLAN_REVIEW,
    IMPLEMENTATION,
    TRIAL_OPERATION,
    TRIAL_REVIEW,
    LIVE,
    TERMINATING,
    CLOSED,
    CANCELLED,
)
BEFORE_LIVE = frozenset(PHASES[:6])
AFTER_APPOINTMENT = frozenset(PHASES[1:6])
IN_TRIAL = frozenset({TRIAL_OPERATION, TRIAL_REVIEW})
RUNNING = frozenset({LIVE, TERMINATING})
"""The service runs: from go-live until the termination's effective date and the closure."""
ENDED = frozenset({CLOSED, CANCELLED})
"""Read-only: no command is accepted on the project any more."""

# Which phases allow the steps that go on while the service runs (DOMAIN.md "Running the live
# service"; API.md: "In the live phase … accepted as in their earlier phases"). One place, so that
# a phase added after `live` (e.g. `terminating`) joins the sets it belongs to here.
SERVICE_RUNNING = IN_TRIAL | RUNNING
"""Internal process audits, customer feedback, improvement measures and their loop."""
MEETINGS = AFTER_APPOINTMENT | RUNNING
"""Coordination meetings (協調會議), from the PM's appointment on."""
MANUAL_WRITING = frozenset({PLANNING, PLAN_REVIEW, IMPLEMENTATION})
"""The operations manual is written to the approved plan before the trial (the trial-start gate)."""
MANUAL_DRAFTS = MANUAL_WRITING | SERVICE_RUNNING
"""Drafts of the manual are submitted and reviewed: written before the trial, revised in trial and live."""
PLAN_CARRIED_OUT = frozenset({IMPLEMENTATION, LIVE})
"""An approved plan is carried out: its tickets are issued, a revision (計劃更改) may start."""
REVISED_IN_PLACE = frozenset({LIVE})
"""Phases a plan revision does not leave: draft, submission and review run while the phase stays."""
