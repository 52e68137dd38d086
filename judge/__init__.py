"""Sandboxed execution and grading of submissions."""
