"""The demo's projects, loaded once each: the DOMAIN.md hotline live since December 2026 and a smaller
campaign in implementation, so every role a newcomer signs in as finds work waiting."""

from __future__ import annotations

from datetime import date
from types import ModuleType

from demo import hotline, live, outbound
from domain.application import Tracker
from domain.errors import RuleViolated
from domain.project import Project

DEMO_PROJECTS: tuple[ModuleType, ...] = (hotline, outbound)
HAPPENED_BY: date = live.LAST_DAY
"""The last day the demo records something as having happened (the hotline's open request, March 2027)."""
DEMO_TODAY = date(2027, 3, 15)
"""The day the demo lives on (``make serve DEMO=1`` sets ``TRACKER_TODAY`` to it unless given)."""


class TooEarlyForTheDemo(RuntimeError):
    """Today is before the demo's last recorded day: only what has happened is recorded."""


def load_all(tracker: Tracker) -> list[str]:
    """Load each demo project not loaded yet; a line per project saying which were."""
    if tracker.today() < HAPPENED_BY:
        raise TooEarlyForTheDemo(
            f"the demo records events up to {HAPPENED_BY.isoformat()} and today is {tracker.today().isoformat()}: "
            f"run it with TRACKER_TODAY={DEMO_TODAY.isoformat()} (the day the demo lives on) or any day from "
            f"{HAPPENED_BY.isoformat()} (the date judged as today)"
        )
    lines = []
    for demo in DEMO_PROJECTS:
        try:
            lines.append(f"demo project {demo.CODE} loaded: {demo.load(tracker)}")
        except RuleViolated as error:
            if error.rule != "code_unique":
                raise
            lines.append(f"demo project {demo.CODE} was already loaded: {Project.create_id(demo.CODE)}")
    return lines
