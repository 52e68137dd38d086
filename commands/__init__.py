"""Application services: one per bounded context, all on one event log."""
