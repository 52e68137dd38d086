"""What the learning path reads: the learner's recent activity and the catalogue, with progress."""

from __future__ import annotations

from typing import Any
from uuid import UUID

DIFFICULTY = {1: "easy", 2: "medium", 3: "hard"}
LESSON_DIFFICULTY = {"beginner": "easy", "intermediate": "medium", "advanced": "hard"}

RECENT_SQL = """
SELECT
  (SELECT count(DISTINCT problem_id) FROM submissions_view WHERE user_id = %(u)s
     AND verdict = 'ACCEPTED' AND completed_at > now() - interval '7 days') AS problems,
  (SELECT count(*) FROM lesson_completions WHERE user_id = %(u)s
     AND completed_at > now() - interval '7 days') AS lessons,
  (SELECT count(DISTINCT d) FROM (
     SELECT submitted_at::date AS d FROM submissions_view WHERE user_id = %(u)s
       AND submitted_at > now() - interval '7 days'
     UNION SELECT completed_at::date FROM lesson_completions WHERE user_id = %(u)s
       AND completed_at > now() - interval '7 days') days) AS active_days,
  (SELECT extract(day FROM now() - max(t)) FROM (
     SELECT max(submitted_at) AS t FROM submissions_view WHERE user_id = %(u)s
     UNION ALL SELECT max(completed_at) FROM lesson_completions WHERE user_id = %(u)s) last)
     AS idle_days
"""
FAILED_SQL = """
SELECT t.topic_id::text AS topic_id, count(*) AS n
FROM submissions_view s JOIN problems p ON p.id = s.problem_id, unnest(p.topic_ids) AS t(topic_id)
WHERE s.user_id = %s AND s.verdict IS NOT NULL AND s.verdict <> 'ACCEPTED'
  AND s.submitted_at > now() - interval '7 days'
GROUP BY t.topic_id
"""
LESSONS_SQL = """
SELECT l.id::text AS id, l.title, l.topic_id::text AS topic_id, l.difficulty,
       l.display_order AS "order", l.estimated_time_min AS estimated_min,
       (c.user_id IS NOT NULL) AS completed
FROM lessons l LEFT JOIN lesson_completions c ON c.lesson_id = l.id AND c.user_id = %s
WHERE l.is_published
"""
PROBLEMS_SQL = """
SELECT p.id::text AS id, p.title, t.topic_id::text AS topic_id, p.difficulty,
       coalesce(bool_or(s.verdict = 'ACCEPTED'), false) AS solved,
       count(s.id) > 0 AS attempted
FROM problems p CROSS JOIN unnest(p.topic_ids) AS t(topic_id)
LEFT JOIN submissions_view s ON s.problem_id = p.id AND s.user_id = %s
WHERE p.is_published
GROUP BY p.id, p.title, t.topic_id, p.difficulty
"""


async def recent_activity(conn: Any, user_id: UUID) -> dict[str, Any]:
    """The last seven days, as ``ai.learning_path.RecentActivity`` fields."""
    row = await (await conn.execute(RECENT_SQL, {"u": user_id})).fetchone()
    failed = await (await conn.execute(FAILED_SQL, (user_id,))).fetchall()
    return {
        "problems_solved_7d": int(row["problems"] or 0),
        "lessons_completed_7d": int(row["lessons"] or 0),
        "active_days_7d": int(row["active_days"] or 0),
        "days_since_last_active": int(row["idle_days"] or 0),
        "failed_attempts_by_topic": {r["topic_id"]: int(r["n"]) for r in failed},
    }


async def catalogue(conn: Any, user_id: UUID) -> dict[str, Any]:
    """Published lessons and problems (one row per topic), with this learner's progress."""
    lessons = await (await conn.execute(LESSONS_SQL, (user_id,))).fetchall()
    problems = await (await conn.execute(PROBLEMS_SQL, (user_id,))).fetchall()
    for lesson in lessons:
        lesson["difficulty"] = LESSON_DIFFICULTY.get(lesson["difficulty"], "easy")
    for problem in problems:
        problem["difficulty"] = DIFFICULTY.get(problem["difficulty"], "easy")
    return {"lessons": lessons, "problems": problems}
