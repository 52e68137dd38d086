"""Organizations read model (organizations, organization_members), members and analytics.

Members' learning figures come from the other read models (dashboard, learning profile,
catalog, users), each read only when its table exists, so a missing view gives zeros.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

import msgspec
from psycopg.types.json import Jsonb

from domain.organizations import Organization
from projections.interviews import has_table, names_of
from projections.runtime import Batch, Projector

ACTIVE_WINDOW = timedelta(days=7)
TOP = 5

DDL = (
    """CREATE TABLE IF NOT EXISTS organizations (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        slug text NOT NULL UNIQUE,
        domain text,
        settings jsonb NOT NULL DEFAULT '{}',
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS idx_organizations_domain ON organizations(domain)",
    """CREATE TABLE IF NOT EXISTS organization_members (
        organization_id uuid NOT NULL,
        user_id uuid NOT NULL,
        role text NOT NULL,
        joined_at timestamptz NOT NULL,
        PRIMARY KEY (organization_id, user_id))""",
    "CREATE INDEX IF NOT EXISTS idx_org_members_user ON organization_members(user_id)",
    "CREATE INDEX IF NOT EXISTS idx_org_members_role"
    " ON organization_members(organization_id, role)",
)


class OrganizationsProjector(Projector):
    name = "organizations"
    tables = ("organizations", "organization_members")
    ddl = DDL
    topics = (
        Organization.Created,
        Organization.MemberAdded,
        Organization.MemberRoleChanged,
        Organization.MemberRemoved,
    )

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Events of no interest are ignored."""

    @apply.register
    def _created(self, e: Organization.Created, batch: Batch) -> None:
        settings = {
            "allow_public_join": e.allow_public_join,
            "require_approval": e.require_approval,
        }
        batch.cursor.execute(
            "INSERT INTO organizations (id, name, slug, domain, settings, created_by, created_at,"
            " updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
            (e.originator_id, e.name, e.slug, e.domain, Jsonb(settings), e.created_by,
             e.created_at, e.created_at),
        )  # fmt: skip

    @apply.register
    def _added(self, e: Organization.MemberAdded, batch: Batch) -> None:
        batch.cursor.execute(
            "INSERT INTO organization_members (organization_id, user_id, role, joined_at)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (organization_id, user_id)"
            " DO UPDATE SET role = EXCLUDED.role, joined_at = EXCLUDED.joined_at",
            (e.originator_id, e.user_id, e.role, e.joined_at),
        )

    @apply.register
    def _changed(self, e: Organization.MemberRoleChanged, batch: Batch) -> None:
        batch.cursor.execute(
            "UPDATE organization_members SET role = %s WHERE organization_id = %s AND user_id = %s",
            (e.role, e.originator_id, e.user_id),
        )

    @apply.register
    def _removed(self, e: Organization.MemberRemoved, batch: Batch) -> None:
        batch.cursor.execute(
            "DELETE FROM organization_members WHERE organization_id = %s AND user_id = %s",
            (e.originator_id, e.user_id),
        )


# --- queries ---------------------------------------------------------------------------------


class OrgSettingsView(msgspec.Struct):
    allow_public_join: bool
    require_approval: bool


class OrganizationView(msgspec.Struct):
    id: UUID
    name: str
    slug: str
    domain: str | None
    settings: OrgSettingsView
    created_at: datetime


class MemberStats(msgspec.Struct):
    xp: int
    problems_solved: int
    lessons_completed: int
    last_active_at: datetime | None
    content_created: int


class Member(msgspec.Struct):
    user_id: UUID
    display_name: str
    role: str
    joined_at: datetime
    stats: MemberStats


class Summary(msgspec.Struct):
    total_members: int
    total_learners: int
    active_learners: int
    active_last_7_days: int
    total_submissions: int
    problems_solved: int
    total_xp: int
    average_completion_rate: float


class TopicPerformance(msgspec.Struct):
    topic_id: UUID
    topic_name: str
    average_score: int | None
    completion_rate: float
    problems_solved: int


class LearnerFigure(msgspec.Struct):
    user_id: UUID
    display_name: str
    xp: int
    problems_solved: int
    last_active_at: datetime | None
    reason: str | None = None


class Analytics(msgspec.Struct):
    start_date: date
    end_date: date
    summary: Summary
    topic_performance: list[TopicPerformance]
    top_performers: list[LearnerFigure]
    struggling_learners: list[LearnerFigure]


@dataclass
class Facts:
    """One member's figures gathered from the other read models."""

    user_id: UUID
    role: str
    joined_at: datetime
    name: str = ""
    xp: int = 0
    solved: int = 0
    lessons: int = 0
    judged: int = 0
    accepted: int = 0
    last_active_at: datetime | None = None
    submissions_in_range: int = 0
    active_in_range: bool = False
    content: int = 0


async def get_organization(pool: Any, org_id: UUID) -> OrganizationView | None:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT id, name, slug, domain, settings, created_at FROM organizations WHERE id = %s",
            (org_id,),
        )
        row = await cur.fetchone()
    return msgspec.convert(row, OrganizationView) if row else None


async def member_role(pool: Any, org_id: UUID, user_id: UUID) -> str | None:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT role FROM organization_members WHERE organization_id = %s AND user_id = %s",
            (org_id, user_id),
        )
        row = await cur.fetchone()
    return str(row["role"]) if row else None


async def _facts(conn: Any, org_id: UUID, start: date, end: date) -> dict[UUID, Facts]:
    cur = await conn.execute(
        "SELECT user_id, role, joined_at FROM organization_members WHERE organization_id = %s"
        " ORDER BY joined_at, user_id",
        (org_id,),
    )
    facts = {
        r["user_id"]: Facts(r["user_id"], r["role"], r["joined_at"]) for r in await cur.fetchall()
    }
    ids = list(facts)
    names = await names_of(conn, ids)
    for uid, fact in facts.items():
        fact.name = names[uid]
    if ids:
        await _dashboard_facts(conn, facts, ids, start, end)
        await _content_facts(conn, facts, ids)
    return facts


async def _dashboard_facts(
    conn: Any, facts: dict[UUID, Facts], ids: list[UUID], start: date, end: date
) -> None:
    if await has_table(conn, "dashboard_users_view"):
        cur = await conn.execute(
            "SELECT user_id, xp, problems_solved, lessons_completed, judged_submissions,"
            " accepted_submissions, last_active_at FROM dashboard_users_view"
            " WHERE user_id = ANY(%s)",
            (ids,),
        )
        for r in await cur.fetchall():
            f = facts[r["user_id"]]
            f.xp, f.solved, f.lessons = int(r["xp"]), r["problems_solved"], r["lessons_completed"]
            f.judged, f.accepted = r["judged_submissions"], r["accepted_submissions"]
            f.last_active_at = r["last_active_at"]
    if await has_table(conn, "dashboard_activity_view"):
        cur = await conn.execute(
            "SELECT user_id, sum(submissions)::int AS submissions FROM dashboard_activity_view"
            " WHERE user_id = ANY(%s) AND day BETWEEN %s AND %s GROUP BY user_id",
            (ids, start, end),
        )
        for r in await cur.fetchall():
            facts[r["user_id"]].submissions_in_range = r["submissions"]
            facts[r["user_id"]].active_in_range = True


CONTENT_TABLES = ("topics", "lessons", "problems", "quizzes")


async def _content_facts(conn: Any, facts: dict[UUID, Facts], ids: list[UUID]) -> None:
    for table in CONTENT_TABLES:
        if not await has_table(conn, table):
            continue
        cur = await conn.execute(
            f"SELECT created_by, count(*)::int AS n FROM {table}"
            " WHERE created_by = ANY(%s) GROUP BY created_by",
            (ids,),
        )
        for r in await cur.fetchall():
            facts[r["created_by"]].content += r["n"]


async def list_members(
    pool: Any, org_id: UUID, limit: int, offset: int
) -> tuple[list[Member], int]:
    """A page of members (oldest first) with their learning figures, and the total."""
    today = date.today()
    async with pool.connection() as conn:
        facts = list((await _facts(conn, org_id, today, today)).values())
    page = facts[offset : offset + limit]
    return [_member(f) for f in page], len(facts)


def _member(f: Facts) -> Member:
    stats = MemberStats(f.xp, f.solved, f.lessons, f.last_active_at, f.content)
    return Member(f.user_id, f.name, f.role, f.joined_at, stats)


async def get_analytics(
    pool: Any, org_id: UUID, start: date, end: date, now: datetime
) -> Analytics:
    """Organization-wide figures over the learner members, for [start, end] (UTC days)."""
    async with pool.connection() as conn:
        facts = await _facts(conn, org_id, start, end)
        learners = [f for f in facts.values() if f.role == "learner"]
        lessons_total = await _published_lessons(conn)
        topics = await _topic_performance(conn, [f.user_id for f in learners])
    summary = _summary(len(facts), learners, lessons_total, now)
    return Analytics(start, end, summary, topics, _top(learners), _struggling(learners, now))


def _summary(members: int, learners: list[Facts], lessons_total: int, now: datetime) -> Summary:
    rates = [min(f.lessons / lessons_total, 1.0) for f in learners] if lessons_total else []
    return Summary(
        total_members=members,
        total_learners=len(learners),
        active_learners=sum(f.active_in_range for f in learners),
        active_last_7_days=sum(_recent(f, now) for f in learners),
        total_submissions=sum(f.submissions_in_range for f in learners),
        problems_solved=sum(f.solved for f in learners),
        total_xp=sum(f.xp for f in learners),
        average_completion_rate=round(sum(rates) / len(rates), 4) if rates else 0.0,
    )


def _recent(f: Facts, now: datetime) -> bool:
    return f.last_active_at is not None and f.last_active_at >= now - ACTIVE_WINDOW


def _figure(f: Facts, reason: str | None = None) -> LearnerFigure:
    return LearnerFigure(f.user_id, f.name, f.xp, f.solved, f.last_active_at, reason)


def _top(learners: list[Facts]) -> list[LearnerFigure]:
    ranked = sorted(
        (f for f in learners if f.xp > 0), key=lambda f: (-f.xp, -f.solved, str(f.user_id))
    )
    return [_figure(f) for f in ranked[:TOP]]


def _struggle(f: Facts, now: datetime) -> str | None:
    if not _recent(f, now):
        return "inactive for 7 days"
    if f.judged >= 3 and f.accepted / f.judged < 0.3:
        return "low acceptance rate"
    return None


def _struggling(learners: list[Facts], now: datetime) -> list[LearnerFigure]:
    found = [(f, r) for f in learners if (r := _struggle(f, now)) is not None]
    found.sort(key=lambda pair: (pair[0].xp, str(pair[0].user_id)))
    return [_figure(f, reason) for f, reason in found[:TOP]]


async def _published_lessons(conn: Any) -> int:
    if not await has_table(conn, "lessons"):
        return 0
    cur = await conn.execute("SELECT count(*)::int AS n FROM lessons WHERE is_published")
    row = await cur.fetchone()
    return int(row["n"]) if row else 0


TOPIC_FACTS = """
SELECT f.topic_id, COALESCE(t.name, '') AS topic_name,
  sum(f.quiz_attempts)::int AS attempts, sum(f.quiz_pct_sum)::bigint AS pct_sum,
  sum(f.lessons)::int AS lessons, sum(f.easy + f.medium + f.hard)::int AS solved,
  COALESCE(max(l.n), 0)::int AS topic_lessons
FROM learning_topic_facts f
LEFT JOIN topics t ON t.id = f.topic_id
LEFT JOIN (SELECT topic_id, count(*) AS n FROM lessons WHERE is_published GROUP BY topic_id) l
  ON l.topic_id = f.topic_id
WHERE f.user_id = ANY(%s)
GROUP BY f.topic_id, t.name ORDER BY t.name NULLS LAST, f.topic_id"""


async def _topic_performance(conn: Any, learner_ids: list[UUID]) -> list[TopicPerformance]:
    needed = ("learning_topic_facts", "topics", "lessons")
    if not learner_ids or not all([await has_table(conn, t) for t in needed]):
        return []
    cur = await conn.execute(TOPIC_FACTS, (learner_ids,))
    return [_topic(r, len(learner_ids)) for r in await cur.fetchall()]


def _topic(row: dict[str, Any], learners: int) -> TopicPerformance:
    score = round(row["pct_sum"] / row["attempts"]) if row["attempts"] else None
    possible = learners * row["topic_lessons"]
    rate = round(min(row["lessons"] / possible, 1.0), 4) if possible else 0.0
    return TopicPerformance(row["topic_id"], row["topic_name"], score, rate, row["solved"])
