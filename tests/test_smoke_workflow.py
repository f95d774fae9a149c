"""The happy path reaches every phase on the fast in-memory store."""

import pytest

from demo.workflow import PHASE_ORDER, Launch


@pytest.mark.parametrize("phase", PHASE_ORDER)
def test_project_reaches_phase_on_the_happy_path(tracker, phase):
    launch = Launch(tracker).advance_to(phase)
    assert launch.project.phase == phase
