"""Leaderboards: XP per learner, board (global or a topic) and period, mirrored in Redis ZSETs.

PostgreSQL holds the truth (``leaderboard_scores_view``); after each commit the touched members
are ZADDed with their absolute score read back from the table, never incremented, so a replay
cannot double-count. Periods come from the event's own UTC timestamp (ISO week, calendar
month), so boards roll over with no cron job and no lost points. Ties go to whoever got there
first: the score is ``xp · 2³² + (2³² − 1 − position)`` where ``position`` is the log position
of the event that last raised the learner's XP.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow

from domain.achievements import AchievementAward
from domain.progress import LessonCompletion
from domain.quizzes import QuizAttempt
from domain.submissions import Solve
from projections.runtime import Batch, Projector, Services

SHIFT = 2**32
TIMEFRAMES = ("weekly", "monthly", "all_time")
KEEP_AFTER_PERIOD = timedelta(days=8)

DDL = (
    """CREATE TABLE IF NOT EXISTS leaderboard_scores_view (
        board text NOT NULL, timeframe text NOT NULL, period text NOT NULL, user_id uuid NOT NULL,
        xp bigint NOT NULL DEFAULT 0, solved int NOT NULL DEFAULT 0,
        reached_at timestamptz NOT NULL, reached_position bigint NOT NULL,
        PRIMARY KEY (board, timeframe, period, user_id))""",
    """CREATE INDEX IF NOT EXISTS leaderboard_scores_rank
        ON leaderboard_scores_view (board, timeframe, period, xp DESC, reached_position)""",
)

UPSERT = """
INSERT INTO leaderboard_scores_view AS t
SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::uuid[], %s::bigint[], %s::int[],
    %s::timestamptz[], %s::bigint[])
ON CONFLICT (board, timeframe, period, user_id) DO UPDATE SET
    xp = t.xp + excluded.xp, solved = t.solved + excluded.solved,
    reached_at = CASE WHEN excluded.xp > 0 THEN excluded.reached_at ELSE t.reached_at END,
    reached_position = CASE WHEN excluded.xp > 0 THEN excluded.reached_position
        ELSE t.reached_position END
RETURNING board, timeframe, period, user_id, xp, reached_position"""


# --- periods, keys and scores (pure) --------------------------------------------------------


def period_of(timeframe: str, moment: datetime) -> str:
    """``2026-W49`` (ISO week), ``2026-12`` (month) or ``all_time``, in UTC."""
    utc = moment.astimezone(UTC)
    if timeframe == "weekly":
        year, week, _ = utc.isocalendar()
        return f"{year}-W{week:02d}"
    if timeframe == "monthly":
        return f"{utc.year}-{utc.month:02d}"
    return "all_time"


def period_end(timeframe: str, period: str) -> datetime | None:
    """When a period's board stops changing (None for all time)."""
    if timeframe == "weekly":
        start = datetime.strptime(period + "-1", "%G-W%V-%u").replace(tzinfo=UTC)
        return start + timedelta(days=7)
    if timeframe == "monthly":
        year, month = (int(x) for x in period.split("-"))
        return datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return None


def board_of(topic_id: UUID | str | None) -> str:
    return f"topic:{topic_id}" if topic_id else "global"


def redis_key(board: str, timeframe: str, period: str) -> str:
    """``leaderboard:global:weekly:2026-W49``, ``leaderboard:topic:<id>:all_time``."""
    if timeframe == "all_time":
        return f"leaderboard:{board}:all_time"
    return f"leaderboard:{board}:{timeframe}:{period}"


def score(xp: int, reached_position: int) -> float:
    """Higher XP first; equal XP: the earlier position (who got there first) first."""
    return float(xp * SHIFT + (SHIFT - 1 - reached_position % SHIFT))


def xp_of(value: float) -> int:
    return int(value) // SHIFT


def expire_at(timeframe: str, period: str, now: datetime) -> datetime | None:
    end = period_end(timeframe, period)
    return None if end is None else max(end, now) + KEEP_AFTER_PERIOD


# --- the projector --------------------------------------------------------------------------


@dataclass
class Fold:
    """XP and solves per (board, timeframe, period, user) for one batch."""

    rows: dict[tuple[str, str, str, UUID], list[Any]] = field(default_factory=dict)

    def add(
        self, user: UUID, xp: int, solved: int, topics: Iterable[UUID], at: datetime, pos: int
    ) -> None:
        if xp <= 0 and solved <= 0:
            return
        for board in ["global", *(board_of(t) for t in topics)]:
            for timeframe in TIMEFRAMES:
                key = (board, timeframe, period_of(timeframe, at), user)
                row = self.rows.setdefault(key, [0, 0, at, pos])
                row[0] += max(xp, 0)
                row[1] += solved
                if xp > 0:
                    row[2], row[3] = at, pos


class LeaderboardProjector(Projector):
    """``leaderboard_scores_view`` and the ``leaderboard:*`` sorted sets."""

    name = "leaderboard"
    tables = ("leaderboard_scores_view",)
    ddl = DDL
    topics = (Solve.Recorded, LessonCompletion.Completed, QuizAttempt.Submitted,
              AchievementAward.Earned)  # fmt: skip

    def __init__(self, services: Services | None = None) -> None:
        super().__init__(services)
        self._batch: Batch | None = None
        self._fold = Fold()

    def _pending(self, batch: Batch) -> Fold:
        if self._batch is not batch:  # a new batch (or a retry after a rollback)
            self._batch, self._fold = batch, Fold()
        return self._fold

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Events of no interest are ignored."""

    @apply.register
    def _(self, e: Solve.Recorded, batch: Batch) -> None:
        self._pending(batch).add(e.user_id, e.xp, 1, e.topic_ids, e.timestamp, batch.position)

    @apply.register
    def _(self, e: LessonCompletion.Completed, batch: Batch) -> None:
        self._pending(batch).add(e.user_id, e.xp, 0, [e.topic_id], e.timestamp, batch.position)

    @apply.register
    def _(self, e: QuizAttempt.Submitted, batch: Batch) -> None:
        self._pending(batch).add(e.user_id, e.xp, 0, [e.topic_id], e.timestamp, batch.position)

    @apply.register
    def _(self, e: AchievementAward.Earned, batch: Batch) -> None:
        self._pending(batch).add(e.user_id, e.xp, 0, [], e.timestamp, batch.position)

    def finish(self, batch: Batch) -> None:
        fold = self._pending(batch)
        if not fold.rows:
            return
        keys, values = list(fold.rows), list(fold.rows.values())
        columns = [[k[i] for k in keys] for i in range(4)] + [
            [v[i] for v in values] for i in range(4)
        ]
        batch.cursor.execute(UPSERT, columns)
        written = batch.cursor.fetchall()
        self._fold = Fold()
        redis = self.services.redis
        if redis is not None and not batch.rebuilding:
            batch.after_commit(lambda: zadd(redis, written, datetime.now(UTC)))

    def rebuild_redis(self, cursor: Cursor[DictRow]) -> None:
        redis = self.services.redis
        if redis is None:
            return
        cursor.execute(
            "SELECT board, timeframe, period, user_id, xp, reached_position"
            " FROM leaderboard_scores_view"
        )
        replace_all(redis, cursor.fetchall(), datetime.now(UTC))


def zadd(redis: Any, rows: Iterable[dict[str, Any]], now: datetime) -> None:
    """Write absolute scores (idempotent: replaying a batch writes the same values)."""
    pipe = redis.pipeline(transaction=False)
    for r in rows:
        key = redis_key(r["board"], r["timeframe"], r["period"])
        pipe.zadd(key, {str(r["user_id"]): score(r["xp"], r["reached_position"])})
        until = expire_at(r["timeframe"], r["period"], now)
        if until is not None:
            pipe.expireat(key, until)
    pipe.execute()


def replace_all(redis: Any, rows: Iterable[dict[str, Any]], now: datetime) -> None:
    """Make the ``leaderboard:*`` keys exactly the table's content, one key at a time."""
    boards: dict[tuple[str, str, str], dict[str, float]] = {}
    for r in rows:
        members = boards.setdefault((r["board"], r["timeframe"], r["period"]), {})
        members[str(r["user_id"])] = score(r["xp"], r["reached_position"])
    wanted = {redis_key(*k): k for k in boards}
    for stale in set(_keys(redis)) - set(wanted):
        redis.delete(stale)
    for key, (board, timeframe, period) in wanted.items():
        pipe = redis.pipeline(transaction=True)
        pipe.delete(key)
        pipe.zadd(key, boards[(board, timeframe, period)])
        until = expire_at(timeframe, period, now)
        if until is not None:
            pipe.expireat(key, until)
        pipe.execute()


def _keys(redis: Any) -> list[str]:
    found = redis.scan_iter(match="leaderboard:*", count=1000)
    return [k.decode() if isinstance(k, bytes) else k for k in found]


# --- queries --------------------------------------------------------------------------------


class RankedUser(msgspec.Struct):
    id: UUID
    display_name: str
    avatar_url: str | None = None


class LeaderboardEntry(msgspec.Struct):
    rank: int
    user: RankedUser
    points: int
    problems_solved: int


class MyRank(msgspec.Struct):
    rank: int | None
    points: int
    problems_solved: int
    total_ranked: int
    timeframe: str
    period: str


def current_key(timeframe: str, topic_id: UUID | None, now: datetime) -> tuple[str, str, str]:
    board, period = board_of(topic_id), period_of(timeframe, now)
    return board, period, redis_key(board, timeframe, period)


async def _details(conn: Any, board: str, tf: str, period: str, ids: list[UUID]) -> dict[UUID, Any]:
    cur = await conn.execute(
        "SELECT s.user_id, s.solved, s.xp, COALESCE(u.display_name, '') AS display_name"
        " FROM leaderboard_scores_view s LEFT JOIN users_view u ON u.id = s.user_id"
        " WHERE s.board = %s AND s.timeframe = %s AND s.period = %s AND s.user_id = ANY(%s)",
        (board, tf, period, ids),
    )
    return {r["user_id"]: r for r in await cur.fetchall()}


async def _from_table(conn: Any, board: str, tf: str, period: str, limit: int) -> list[Any]:
    cur = await conn.execute(
        "SELECT user_id, xp, reached_position FROM leaderboard_scores_view"
        " WHERE board = %s AND timeframe = %s AND period = %s"
        " ORDER BY xp DESC, reached_position LIMIT %s",
        (board, tf, period, limit),
    )
    return [
        (str(r["user_id"]), score(r["xp"], r["reached_position"])) for r in await cur.fetchall()
    ]


async def list_leaders(
    redis: Any, conn: Any, timeframe: str, topic_id: UUID | None, limit: int, now: datetime
) -> tuple[list[LeaderboardEntry], bool]:
    """The top ``limit`` of the current period, and whether Redis answered (a cache hit)."""
    board, period, key = current_key(timeframe, topic_id, now)
    members = await redis.zrevrange(key, 0, limit - 1, withscores=True)
    hit = bool(members) or bool(await redis.exists(key))
    if not hit:
        members = await _from_table(conn, board, timeframe, period, limit)
    ids = [UUID(m.decode() if isinstance(m, bytes) else m) for m, _ in members]
    details = await _details(conn, board, timeframe, period, ids)
    entries = [
        LeaderboardEntry(
            rank=i + 1,
            user=RankedUser(uid, details.get(uid, {}).get("display_name", "")),
            points=xp_of(value),
            problems_solved=details.get(uid, {}).get("solved", 0),
        )
        for i, (uid, (_, value)) in enumerate(zip(ids, members, strict=True))
    ]
    return entries, hit


async def get_my_rank(
    redis: Any, conn: Any, user_id: UUID, timeframe: str, topic_id: UUID | None, now: datetime
) -> MyRank:
    """The caller's rank on the current board, however far down (None when not on it)."""
    board, period, key = current_key(timeframe, topic_id, now)
    pipe = redis.pipeline(transaction=True)  # Redis first: it is written after the commit
    pipe.zrevrank(key, str(user_id))
    pipe.zcard(key)
    rank, total = await pipe.execute()
    mine = (await _details(conn, board, timeframe, period, [user_id])).get(user_id)
    if rank is None and mine is not None:  # Redis lost the key: rank from the table
        rank, total = await _rank_from_table(conn, board, timeframe, period, user_id)
    return MyRank(
        rank=None if rank is None else int(rank) + 1,
        points=int(mine["xp"]) if mine else 0,
        problems_solved=int(mine["solved"]) if mine else 0,
        total_ranked=int(total),
        timeframe=timeframe,
        period=period,
    )


async def _rank_from_table(
    conn: Any, board: str, tf: str, period: str, user_id: UUID
) -> tuple[int | None, int]:
    cur = await conn.execute(
        """SELECT (SELECT count(*) FROM leaderboard_scores_view o WHERE o.board = s.board
               AND o.timeframe = s.timeframe AND o.period = s.period AND (o.xp > s.xp
               OR (o.xp = s.xp AND o.reached_position < s.reached_position))) AS above,
           (SELECT count(*) FROM leaderboard_scores_view o WHERE o.board = s.board
               AND o.timeframe = s.timeframe AND o.period = s.period) AS total
        FROM leaderboard_scores_view s
        WHERE s.board = %s AND s.timeframe = %s AND s.period = %s AND s.user_id = %s""",
        (board, tf, period, user_id),
    )
    row = await cur.fetchone()
    return (None, 0) if row is None else (int(row["above"]), int(row["total"]))
