"""A tiny aggregate for audit tests (its topic is importable, like any domain class)."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event


class Note(Aggregate):
    @event("Written")
    def __init__(self, text: str, ref: UUID, secret: str = "") -> None:
        self.text, self.ref, self.secret = text, ref, secret

    @event("Edited")
    def edit(self, text: str) -> None:
        self.text = text


def write_notes(log: Any, count: int, per_commit: int = 50) -> list[Note]:
    notes = [Note(text=f"note {i}", ref=uuid4()) for i in range(count)]
    for start in range(0, count, per_commit):
        log.commit(*notes[start : start + per_commit])
    return notes
