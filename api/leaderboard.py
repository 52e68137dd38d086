"""Leaderboards (/leaderboard) and the caller's own rank (/leaderboard/me), from Redis ZSETs."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, Parameter

from api.auth import Principal, authenticated
from api.dashboard import count
from api.envelope import Envelope, Meta, error_responses, ok
from projections.leaderboard import LeaderboardEntry, MyRank, get_my_rank, list_leaders

BEARER = [{"BearerToken": []}]


class Timeframe(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    ALL_TIME = "all_time"


Limit = Annotated[int, Parameter(ge=1, le=100, description="how many leaders (1-100)")]


class LeaderboardController(Controller):
    path = "/leaderboard"
    tags = ["leaderboard"]

    @get("/", operation_id="GetLeaderboard", responses=error_responses(422))
    async def get_leaderboard(
        self,
        request: Request[Any, Any, Any],
        timeframe: FromQuery[Timeframe] = Timeframe.WEEKLY,
        topic_id: FromQuery[UUID | None] = None,
        limit: Limit = 100,
    ) -> Envelope[list[LeaderboardEntry]]:
        state = request.app.state
        async with state.pool.connection() as conn:
            entries, hit = await list_leaders(
                state.redis, conn, timeframe.value, topic_id, limit, datetime.now(UTC)
            )
        count(state, hit)
        return ok(entries, Meta(limit=limit, total=len(entries)))

    @get(
        "/me",
        operation_id="GetMyRank",
        guards=[authenticated],
        security=BEARER,
        responses=error_responses(401, 422),
    )
    async def get_my_rank(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        timeframe: FromQuery[Timeframe] = Timeframe.WEEKLY,
        topic_id: FromQuery[UUID | None] = None,
    ) -> Envelope[MyRank]:
        state = request.app.state
        async with state.pool.connection() as conn:
            mine = await get_my_rank(
                state.redis, conn, UUID(principal.user_id), timeframe.value, topic_id,
                datetime.now(UTC),
            )  # fmt: skip
        return ok(mine)
