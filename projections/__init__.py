"""Views built from the events: read models kept in the same database as the events.

Two projections write tables, each with its own tracked position, rows and position
written in one transaction (so no event is applied twice or skipped):
- ``aggregates``: the state of every project, ticket and review as the events made it,
  with the columns lists filter on (``aggregates.py``);
- ``audit``: one row per event, with who, when, what (``audit_log.py``).
The views the API serves — plan, acceptance, go-live readiness, department boards,
project and ticket lists, audit log — read those tables (one module each).
"""
