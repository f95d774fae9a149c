"""Command handlers of the application service, grouped by the part of the procedure."""
