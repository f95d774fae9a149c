"""The launch procedure of an outsourced call-center project, as event-sourced aggregates.

This package knows neither Flask nor SQL: it holds the aggregates (Project,
RequirementTicket, TrialReview), the rules they share (``gates``), who may do what
(``rights``), the error kinds and the application service that runs the commands.
"""
