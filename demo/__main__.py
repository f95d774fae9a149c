"""``python -m demo``: load the demo projects into the store of DATABASE_URL and print their state."""

from __future__ import annotations

import json
import sys

from demo.projects import DEMO_PROJECTS, load_all
from domain.application import tracker_from_environment
from domain.project import Project


def main() -> int:
    tracker = tracker_from_environment()
    print("\n".join(load_all(tracker)))
    summaries = []
    for demo in DEMO_PROJECTS:
        project = tracker.load_project(Project.create_id(demo.CODE))
        tickets = [
            {"ref": t.requirement_ref, "department": t.department, "state": t.state}
            for t in tracker.tickets_of(project)
        ]
        summaries.append(
            {
                "id": str(project.id),
                "code": project.code,
                "phase": project.phase,
                "version": project.version,
                "tickets": tickets,
            }
        )
    json.dump(summaries, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
