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
