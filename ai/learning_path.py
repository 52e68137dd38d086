"""Deterministic learning-path recommendations from a learner profile and the content catalogue."""

from __future__ import annotations

import msgspec

WEAK_BELOW = 50  # proficiency under this makes a topic weak
STRONG_FROM = 75  # proficiency from this makes a topic strong
MAX_TOPICS = 3
DIFFICULTIES = ("easy", "medium", "hard")
MINUTES = {"easy": 15, "medium": 30, "hard": 45}  # estimated minutes per problem
BASE_PROBLEMS = {"beginner": 2, "intermediate": 3, "advanced": 4}
LEVEL_CEILING = {"beginner": "medium", "intermediate": "hard", "advanced": "hard"}


class TopicProficiency(msgspec.Struct):
    """The learner's proficiency (0-100) in one topic."""

    topic_id: str
    name: str
    proficiency: int


class RecentActivity(msgspec.Struct):
    """The last seven days: items done, failed attempts per topic id, and days since last visit."""

    problems_solved_7d: int = 0
    lessons_completed_7d: int = 0
    active_days_7d: int = 0
    days_since_last_active: int = 0
    failed_attempts_by_topic: dict[str, int] = {}


class LearnerProfile(msgspec.Struct):
    """current_level is beginner|intermediate|advanced; proficiency lists the topics seen so far."""

    current_level: str
    proficiency: list[TopicProficiency]
    recent: RecentActivity = msgspec.field(default_factory=RecentActivity)


class CatalogueLesson(msgspec.Struct):
    """A published lesson; order is its position within the topic; completed is per learner."""

    id: str
    title: str
    topic_id: str
    difficulty: str = "easy"
    order: int = 0
    completed: bool = False
    estimated_min: int = 20


class CatalogueProblem(msgspec.Struct):
    """A published problem; solved and attempted are per learner."""

    id: str
    title: str
    topic_id: str
    difficulty: str = "easy"
    solved: bool = False
    attempted: bool = False


class Catalogue(msgspec.Struct):
    """The lessons and problems the learner may be offered."""

    lessons: list[CatalogueLesson] = []
    problems: list[CatalogueProblem] = []


class Recommendation(msgspec.Struct):
    """type is lesson or problem; reason says why it was picked."""

    type: str
    id: str
    title: str
    reason: str


class DailyGoal(msgspec.Struct):
    problems_to_solve: int
    lessons_to_complete: int
    estimated_time_min: int


class LearningPath(msgspec.Struct):
    """The shape of GET /users/me/learning-path."""

    current_level: str
    weak_topics: list[TopicProficiency]
    strong_topics: list[TopicProficiency]
    recommended_next: list[Recommendation]
    daily_goal: DailyGoal


def recommend(profile: LearnerProfile, catalogue: Catalogue) -> LearningPath:
    """Lessons and practice for the weakest topics, a stretch problem for the strongest."""
    level = profile.current_level if profile.current_level in BASE_PROBLEMS else "beginner"
    weak, strong = split_topics(profile)
    lessons = [r for t in weak if (r := next_lesson(t, catalogue))]
    problems = [r for t in weak for r in practice(t, catalogue, level, profile.recent)]
    problems += [r for t in strong[:1] if (r := stretch(t, catalogue, level))]
    if not weak and not strong:
        problems = starters(catalogue)
    goal = daily_goal(level, profile.recent, lessons, problems, catalogue)
    return LearningPath(level, weak, strong, lessons + problems, goal)


def split_topics(profile: LearnerProfile) -> tuple[list[TopicProficiency], list[TopicProficiency]]:
    ranked = sorted(profile.proficiency, key=lambda t: (t.proficiency, t.topic_id))
    weak = [t for t in ranked if t.proficiency < WEAK_BELOW][:MAX_TOPICS]
    strong = [t for t in reversed(ranked) if t.proficiency >= STRONG_FROM][:MAX_TOPICS]
    return weak, strong


def target_difficulty(proficiency: int, level: str) -> str:
    """easy under 40, medium under 70, else hard; never above what the level allows."""
    wanted = "easy" if proficiency < 40 else ("medium" if proficiency < 70 else "hard")
    ceiling = LEVEL_CEILING[level]
    return min(wanted, ceiling, key=DIFFICULTIES.index)


def next_lesson(topic: TopicProficiency, catalogue: Catalogue) -> Recommendation | None:
    open_lessons = [le for le in catalogue.lessons if le.topic_id == topic.topic_id]
    pending = sorted(
        (le for le in open_lessons if not le.completed), key=lambda le: (le.order, le.id)
    )
    if not pending:
        return None
    lesson = pending[0]
    reason = f"Improve weak area: {topic.name} (proficiency {topic.proficiency})"
    return Recommendation("lesson", lesson.id, lesson.title, reason)


def practice(
    topic: TopicProficiency, catalogue: Catalogue, level: str, recent: RecentActivity
) -> list[Recommendation]:
    """Up to two unsolved problems at the target difficulty; earlier attempts come first."""
    wanted = target_difficulty(topic.proficiency, level)
    fitting = sorted(
        (p for p in _open_problems(catalogue, topic.topic_id) if p.difficulty == wanted),
        key=lambda p: (not p.attempted, p.id),
    )
    failures = recent.failed_attempts_by_topic.get(topic.topic_id, 0)
    picks = []
    for problem in fitting[:2]:
        if problem.attempted:
            reason = f"Retry: you attempted this {topic.name} problem before"
        else:
            reason = f"Practice {topic.name} fundamentals at {wanted} difficulty"
        if failures:
            reason += f" ({failures} failed attempts this week)"
        picks.append(Recommendation("problem", problem.id, problem.title, reason))
    return picks


def stretch(topic: TopicProficiency, catalogue: Catalogue, level: str) -> Recommendation | None:
    step = DIFFICULTIES.index(target_difficulty(topic.proficiency, level)) + 1
    harder = DIFFICULTIES[min(DIFFICULTIES.index(LEVEL_CEILING[level]), step)]
    open_problems = _open_problems(catalogue, topic.topic_id)
    candidates = sorted((p for p in open_problems if p.difficulty == harder), key=lambda p: p.id)
    if not candidates:
        return None
    reason = f"Stretch: you are strong in {topic.name} ({topic.proficiency}); try a {harder} one"
    return Recommendation("problem", candidates[0].id, candidates[0].title, reason)


def starters(catalogue: Catalogue) -> list[Recommendation]:
    """Easy unsolved problems for a learner with no proficiency data yet."""
    easy = sorted(
        (p for p in catalogue.problems if not p.solved and p.difficulty == "easy"),
        key=lambda p: p.id,
    )
    reason = "Start here: an easy problem to measure your level"
    return [Recommendation("problem", p.id, p.title, reason) for p in easy[:3]]


def _open_problems(catalogue: Catalogue, topic_id: str) -> list[CatalogueProblem]:
    return [p for p in catalogue.problems if p.topic_id == topic_id and not p.solved]


def daily_goal(
    level: str,
    recent: RecentActivity,
    lessons: list[Recommendation],
    problems: list[Recommendation],
    catalogue: Catalogue,
) -> DailyGoal:
    """The level's base load, eased after a break or a slow week, capped by what is on offer."""
    target = BASE_PROBLEMS[level]
    pace = recent.problems_solved_7d / max(1, recent.active_days_7d)
    if recent.days_since_last_active > 3 or (recent.active_days_7d and pace < 1):
        target = max(1, target - 1)
    elif pace >= target:
        target += 1
    chosen = [r.id for r in problems[:target]]
    by_id = {p.id: p for p in catalogue.problems}
    minutes = sum(MINUTES.get(by_id[i].difficulty, 30) for i in chosen if i in by_id)
    lesson_ids = {r.id for r in lessons[:1]}
    minutes += sum(le.estimated_min for le in catalogue.lessons if le.id in lesson_ids)
    return DailyGoal(len(chosen) or min(target, 1), len(lesson_ids), minutes)
