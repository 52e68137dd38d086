"""Audit endpoints: the event history in global order, and one aggregate's history.

Read by ``admin`` and ``auditor`` (``Permission.READ_AUDIT_LOG``). Records are those of
``codequest events export``; sealed secrets always read ``"<encrypted>"`` here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import anyio
import msgspec
from litestar import Controller, Request, get
from litestar.params import FromPath, FromQuery, QueryParameter

from api.auth import requires
from api.envelope import Envelope, Meta, error_responses, ok
from commands.errors import NotFoundError
from domain.shared import Permission

BEARER = [{"BearerToken": []}]


class AuditEvent(msgspec.Struct):
    """One stored event: where it sits in the log, who caused it, and its payload."""

    position: int
    aggregate_id: str
    version: int
    type: str
    timestamp: str | None
    actor: str
    correlation_id: str
    payload: dict[str, Any]


def _reader(request: Request[Any, Any, Any]) -> Any:
    return request.app.state.container.extra["audit"]


def _events(records: list[dict[str, Any]]) -> list[AuditEvent]:
    return msgspec.convert(records, list[AuditEvent])


class AuditController(Controller):
    path = "/audit"
    tags = ["audit"]
    guards = [requires(Permission.READ_AUDIT_LOG)]
    security = BEARER

    @get("/events", operation_id="ListAuditEvents", responses=error_responses(401, 403, 422))
    async def list_events(
        self,
        request: Request[Any, Any, Any],
        cursor: Annotated[
            int, QueryParameter(ge=0, description="continue after this position")
        ] = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
        from_position: Annotated[int | None, QueryParameter(ge=0)] = None,
        to_position: Annotated[int | None, QueryParameter(ge=0)] = None,
        since: FromQuery[datetime | None] = None,
        until: FromQuery[datetime | None] = None,
        event_type: Annotated[list[str] | None, QueryParameter(name="type")] = None,
        aggregate: FromQuery[UUID | None] = None,
    ) -> Envelope[list[AuditEvent]]:
        filters = {
            "from_position": from_position,
            "to_position": to_position,
            "since": since,
            "until": until,
            "types": tuple(event_type or ()),
            "aggregate": aggregate,
        }
        records, after = await anyio.to_thread.run_sync(
            lambda: _reader(request).page(filters, cursor, limit)
        )
        meta = Meta(limit=limit, cursor=str(cursor), has_more=after is not None)
        meta.next_cursor = str(after) if after is not None else None
        return ok(_events(records), meta)

    @get(
        "/aggregates/{aggregate_id:uuid}/history",
        operation_id="GetAggregateHistory",
        responses=error_responses(401, 403, 404),
    )
    async def aggregate_history(
        self, request: Request[Any, Any, Any], aggregate_id: FromPath[UUID]
    ) -> Envelope[list[AuditEvent]]:
        records = await anyio.to_thread.run_sync(lambda: _reader(request).history(aggregate_id))
        if not records:
            raise NotFoundError("no events for this aggregate")
        return ok(_events(records), Meta(total=len(records)))
