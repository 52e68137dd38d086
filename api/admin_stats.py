"""System-wide statistics for admins (/admin/stats): usage, queues, cache, projection lag."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import msgspec
from litestar import Controller, Request, get

from api.auth import requires_role
from api.dashboard import HITS, MISSES
from api.envelope import Envelope, error_responses, ok
from commands.app import CodeQuest
from domain.shared import Role
from infra.broker import QUEUES
from projections import reviews

BEARER = [{"BearerToken": []}]

COUNTS_SQL = """
SELECT
  (SELECT count(*) FROM dashboard_users_view) AS total_users,
  (SELECT count(*) FROM dashboard_users_view WHERE last_active_at > %(since)s)
      AS active_users_24h,
  (SELECT COALESCE(sum(submissions), 0) FROM platform_hourly_view WHERE hour > %(hour)s)
      AS total_submissions_24h,
  (SELECT count(*) FROM problems WHERE is_published) AS total_problems,
  (SELECT count(*) FROM lessons WHERE is_published) AS total_lessons"""

TRACKING_SQL = """
SELECT table_name FROM information_schema.tables
WHERE table_schema = 'public' AND table_name LIKE '%\\_tracking' ORDER BY table_name"""


class ProjectionLag(msgspec.Struct):
    name: str
    position: int
    lag_events: int
    lag_seconds: float


class AdminStats(msgspec.Struct):
    total_users: int
    active_users_24h: int
    total_submissions_24h: int
    total_problems: int
    total_lessons: int
    avg_ai_review_time_sec: float | None
    worker_queue_length: int
    queues: dict[str, int]
    cache_hit_rate: float | None
    head_position: int
    projections: list[ProjectionLag]


async def _counts(conn: Any, now: datetime) -> dict[str, int]:
    hour = (now - timedelta(hours=24)).replace(minute=0, second=0, microsecond=0)
    cur = await conn.execute(COUNTS_SQL, {"since": now - timedelta(hours=24), "hour": hour})
    return {k: int(v) for k, v in dict(await cur.fetchone()).items()}


async def _positions(conn: Any) -> dict[str, int]:
    """Every projection's tracked position, from the tracking tables in the live schema."""
    names = [r["table_name"] for r in await (await conn.execute(TRACKING_SQL)).fetchall()]
    found = {}
    for table in names:
        cur = await conn.execute(f'SELECT max(notification_id) AS n FROM "{table}"')
        found[table.removesuffix("_tracking")] = int((await cur.fetchone())["n"] or 0)
    return found


def lag_seconds(app: CodeQuest, position: int, head: int) -> float:
    """Age of the oldest event a projection has not processed yet."""
    if head <= position:
        return 0.0
    notes = app.recorder.select_notifications(start=position, limit=1, inclusive_of_start=False)
    stamp = getattr(app.mapper.to_domain_event(notes[0]), "timestamp", None) if notes else None
    return round(max(time.time() - stamp.timestamp(), 0.0), 3) if stamp else 0.0


def _lags(app: CodeQuest, positions: dict[str, int]) -> tuple[int, list[ProjectionLag]]:
    head = app.head()
    return head, [
        ProjectionLag(name, pos, max(head - pos, 0), lag_seconds(app, pos, head))
        for name, pos in positions.items()
    ]


def queue_lengths(broker: Any) -> dict[str, int]:
    """Messages waiting per queue (Redis: LLEN of ``<namespace>:<queue>``; RabbitMQ: counts)."""
    client = getattr(broker, "client", None)
    if client is not None:
        namespace = getattr(broker, "namespace", "dramatiq")
        return {q: int(client.llen(f"{namespace}:{q}")) for q in QUEUES}
    counts = getattr(broker, "get_queue_message_counts", None)
    return {q: int(counts(q)[0]) for q in QUEUES} if counts else {}


async def _hit_rate(batch: Any) -> float | None:
    hits, misses = (int(v or 0) for v in await batch.call("MGET", HITS, MISSES))
    return round(hits / (hits + misses), 4) if hits + misses else None


class AdminStatsController(Controller):
    path = "/admin/stats"
    tags = ["admin"]
    guards = [requires_role(Role.ADMIN, Role.SYSTEM_ADMIN)]
    security = BEARER

    @get("/", operation_id="GetAdminStats", responses=error_responses(401, 403))
    async def get_stats(self, request: Request[Any, Any, Any]) -> Envelope[AdminStats]:
        state, now = request.app.state, datetime.now(UTC)
        async with state.pool.connection() as conn:
            counts, positions = await _counts(conn, now), await _positions(conn)
            review_seconds = await reviews.average_review_seconds(conn)
        container = state.container
        head, lags = await anyio.to_thread.run_sync(_lags, container.log, positions)
        queues = await anyio.to_thread.run_sync(queue_lengths, container.broker)
        stats = AdminStats(
            **counts,
            avg_ai_review_time_sec=round(review_seconds, 3) if review_seconds is not None else None,
            worker_queue_length=sum(queues.values()),
            queues=queues,
            cache_hit_rate=await _hit_rate(state.batch),  # queued behind this process's counts
            head_position=head,
            projections=lags,
        )
        return ok(stats)
