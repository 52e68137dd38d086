"""The one event log: a single eventsourcing Application named ``codequest``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate

from commands.errors import NotFoundError


class CodeQuest(Application[UUID]):
    """Every state change of the platform, in one total order (table ``codequest_events``)."""

    name = "codequest"

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        super().__init__(env=dict(env or {}))

    def head(self) -> int:
        """The position of the newest event (0 for an empty log)."""
        return self.recorder.max_notification_id() or 0

    def load(self, aggregate_id: UUID, kind: str = "resource") -> Any:
        """The aggregate with this id, or NotFoundError."""
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(f"{kind} not found") from None

    def find(self, aggregate_id: UUID) -> Any | None:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def commit(self, *aggregates: Aggregate | None) -> int:
        """Save the pending events of all aggregates in one transaction; the last position."""
        recordings = self.save(*aggregates)
        return max((r.notification.id for r in recordings), default=0)
