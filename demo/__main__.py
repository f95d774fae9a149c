"""``python -m demo``: load the demo hotline into the store of DATABASE_URL and print its state."""

from __future__ import annotations

import json
import sys

from demo import hotline
from domain.application import tracker_from_environment
from domain.errors import RuleViolated
from domain.project import Project


def main() -> int:
    tracker = tracker_from_environment()
    try:
        project_id = hotline.load(tracker)
        print(f"demo project {hotline.CODE} loaded")
    except RuleViolated as error:
        if error.rule != "code_unique":
            raise
        project_id = Project.create_id(hotline.CODE)
        print(f"demo project {hotline.CODE} was already loaded")
    project = tracker.load_project(project_id)
    tickets = [
        {"ref": t.requirement_ref, "department": t.department, "state": t.state} for t in tracker.tickets_of(project)
    ]
    summary = {
        "id": str(project.id),
        "code": project.code,
        "phase": project.phase,
        "version": project.version,
        "tickets": tickets,
    }
    json.dump(summary, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
