"""Aggregates and events of every bounded context: pure, no I/O."""
