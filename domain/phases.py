"""The project's phases (DOMAIN.md, "The project's life")."""

INTAKE = "intake"
PLANNING = "planning"
PLAN_REVIEW = "plan_review"
IMPLEMENTATION = "implementation"
TRIAL_OPERATION = "trial_operation"
TRIAL_REVIEW = "trial_review"
LIVE = "live"
CANCELLED = "cancelled"

PHASES = (
    INTAKE,
    PLANNING,
    PLAN_REVIEW,
    IMPLEMENTATION,
    TRIAL_OPERATION,
    TRIAL_REVIEW,
    LIVE,
    CANCELLED,
)
BEFORE_LIVE = frozenset(PHASES[:6])
AFTER_APPOINTMENT = frozenset(PHASES[1:6])
IN_TRIAL = frozenset({TRIAL_OPERATION, TRIAL_REVIEW})
