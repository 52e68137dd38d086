from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from domain.achievements import (
    BY_CODE,
    CATALOGUE,
    AchievementAward,
    LearnerFacts,
    Streak,
    award_id,
    language_family,
    level_for,
    level_threshold,
    local_day,
    satisfied,
    streak_of,
)
from projections.problem_stats import _Fold


@pytest.mark.parametrize(
    ("xp", "number", "to_next", "title"),
    [
        (0, 1, 100, "Beginner"),
        (99, 1, 1, "Beginner"),
        (100, 2, 200, "Beginner"),
        (999, 4, 1, "Beginner"),
        (1000, 5, 500, "Intermediate"),
        (2450, 7, 350, "Intermediate"),
        (4500, 10, 1000, "Advanced"),
        (19000, 20, 2000, "Expert"),
    ],
)
def test_level_curve(xp, number, to_next, title):
    level = level_for(xp)
    assert (level.number, level.xp_to_next, level.title) == (number, to_next, title)


def test_level_thresholds_are_monotonic_and_each_xp_lands_in_its_level():
    for xp in range(0, 30_000, 7):
        level = level_for(xp)
        assert level_threshold(level.number) <= xp < level_threshold(level.number + 1)


def test_local_day_depends_on_the_learners_time_zone():
    moment = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    assert local_day(moment, "UTC") == date(2026, 3, 2)
    assert local_day(moment, "Asia/Tokyo") == date(2026, 3, 3)
    assert local_day(moment, "America/New_York") == date(2026, 3, 2)
    assert local_day(moment, "Not/AZone") == date(2026, 3, 2)  # unknown: UTC


def test_streak_extends_on_consecutive_days_and_restarts_after_a_gap():
    days = [date(2026, 3, d) for d in (1, 2, 2, 3, 5, 6)]
    streak = streak_of(days)
    assert (streak.last_day, streak.run, streak.longest) == (date(2026, 3, 6), 2, 3)


def test_current_streak_survives_until_the_end_of_the_next_day():
    streak = streak_of([date(2026, 3, 1), date(2026, 3, 2)])
    assert streak.current(date(2026, 3, 2)) == 2
    assert streak.current(date(2026, 3, 3)) == 2
    assert streak.current(date(2026, 3, 4)) == 0
    assert Streak().current(date(2026, 3, 4)) == 0


def test_an_earlier_day_after_a_time_zone_change_does_not_break_the_run():
    streak = Streak().record(date(2026, 3, 2)).record(date(2026, 3, 1))
    assert (streak.last_day, streak.run) == (date(2026, 3, 2), 1)


def test_achievement_rules():
    assert satisfied(LearnerFacts()) == []
    facts = LearnerFacts(problems_solved=10, hard_solved=1, difficulties=frozenset({1, 2, 3}))
    codes = {a.code for a in satisfied(facts)}
    assert codes == {"first-blood", "problem-solver", "hard-hitter", "well-rounded"}
    polyglot = LearnerFacts(languages=frozenset({"python", "javascript", "java", "cpp"}))
    assert [a.code for a in satisfied(polyglot)] == ["polyglot"]
    assert satisfied(LearnerFacts(languages=frozenset({"python", "java", "cpp", "go"}))) == []
    streaky = {a.code for a in satisfied(LearnerFacts(longest_streak=30))}
    assert streaky == {"streak-7", "streak-30"}


def test_catalogue_has_the_designs_four_and_more():
    assert {"first-blood", "problem-solver", "code-master", "streak-7"} <= set(BY_CODE)
    assert len(CATALOGUE) >= 10
    assert BY_CODE["first-blood"].criteria == {"type": "problems_solved", "threshold": 1}


@pytest.mark.parametrize(
    ("language", "family"),
    [("python3.10", "python"), ("cpp17", "cpp"), ("java17", "java"), ("javascript", "javascript")],
)
def test_language_families(language, family):
    assert language_family(language) == family


def test_award_id_is_one_per_learner_and_code():
    user = uuid.uuid4()
    award = AchievementAward(user_id=user, code="first-blood", name="First Blood", xp=50)
    assert award.id == award_id(user, "first-blood") != award_id(user, "streak-7")
    (earned,) = award.collect_events()
    assert type(earned).__qualname__ == "AchievementAward.Earned"
    assert (earned.user_id, earned.code, earned.xp) == (user, "first-blood", 50)


def test_problem_stats_fold_counts_a_rejudged_submission_once():
    fold = _Fold()
    user, problem, sub = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    fold.judged(sub, user, problem, ok=False)
    fold.judged(sub, user, problem, ok=True)
    fold.judged(uuid.uuid4(), user, problem, ok=False)
    assert (fold.submissions[problem], fold.accepted[problem]) == (2, 1)
    assert fold.status[(user, problem)] == "solved"
