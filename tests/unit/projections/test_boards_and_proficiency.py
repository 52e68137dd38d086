from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from projections.leaderboard import (
    Fold,
    expire_at,
    period_end,
    period_of,
    redis_key,
    score,
    xp_of,
)
from projections.learning_profile import (
    TopicFacts,
    preferences,
    proficiency,
    topic_entries,
    weak_and_strong,
)

T = datetime(2026, 3, 2, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "weekly", "monthly"),
    [
        (datetime(2026, 3, 8, 23, 59, 59, tzinfo=UTC), "2026-W10", "2026-03"),
        (datetime(2026, 3, 9, 0, 0, tzinfo=UTC), "2026-W11", "2026-03"),
        (datetime(2027, 1, 1, 12, tzinfo=UTC), "2026-W53", "2027-01"),  # ISO year differs
        (datetime(2026, 3, 31, 23, 30, tzinfo=UTC) + timedelta(hours=1), "2026-W14", "2026-04"),
    ],
)
def test_periods_follow_utc_calendar_boundaries(moment, weekly, monthly):
    assert (period_of("weekly", moment), period_of("monthly", moment)) == (weekly, monthly)
    assert period_of("all_time", moment) == "all_time"


def test_period_ends_and_key_expiry():
    assert period_end("weekly", "2026-W10") == datetime(2026, 3, 9, tzinfo=UTC)
    assert period_end("monthly", "2026-12") == datetime(2027, 1, 1, tzinfo=UTC)
    assert period_end("all_time", "all_time") is None
    assert expire_at("weekly", "2020-W01", T) == T + timedelta(days=8)  # written late: kept 8 days
    assert redis_key("global", "weekly", "2026-W49") == "leaderboard:global:weekly:2026-W49"
    assert redis_key("topic:x", "all_time", "all_time") == "leaderboard:topic:x:all_time"


def test_scores_order_by_xp_then_by_who_got_there_first():
    assert score(100, 7) > score(100, 8) > score(99, 1)
    assert xp_of(score(2_000_000, 123_456_789)) == 2_000_000


def test_fold_spreads_points_over_boards_and_periods_and_keeps_the_first_time():
    fold, user, topic = Fold(), uuid.uuid4(), uuid.uuid4()
    fold.add(user, 10, 1, [topic], T, 5)
    fold.add(user, 0, 0, [topic], T, 6)  # nothing earned: no change
    assert len(fold.rows) == 6  # global and the topic, three timeframes each
    assert fold.rows[("global", "weekly", "2026-W10", user)] == [10, 1, T, 5]


def test_proficiency_rewards_harder_problems_quizzes_and_recent_practice():
    facts = TopicFacts(uuid.uuid4(), uuid.uuid4(), hard=4, last_at=T)
    assert proficiency(facts, T) == 93
    assert proficiency(facts, T + timedelta(days=30)) == 70  # a month untouched: 75%
    easy = TopicFacts(uuid.uuid4(), uuid.uuid4(), easy=1, last_at=T)
    assert proficiency(easy, T) == 15
    quizzed = TopicFacts(uuid.uuid4(), uuid.uuid4(), quiz_attempts=2, quiz_pct_sum=180, last_at=T)
    assert proficiency(quizzed, T) == 35
    assert 0 <= proficiency(TopicFacts(uuid.uuid4(), uuid.uuid4(), last_at=T), T) == 0


def test_weak_strong_and_preferences():
    user = uuid.uuid4()
    facts = [
        TopicFacts(user, uuid.uuid4(), hard=4, last_at=T),
        TopicFacts(user, uuid.uuid4(), easy=1, last_at=T),
        TopicFacts(user, uuid.uuid4(), medium=2, last_at=T),
    ]
    entries = topic_entries(facts)
    assert [e["proficiency"] for e in entries] == [93, 49, 15]
    weak, strong = weak_and_strong(entries)
    assert [w["proficiency_score"] for w in weak] == [15, 49]
    assert [s["proficiency_score"] for s in strong] == [93]
    assert preferences(facts) == {"preferred_difficulty": "hard"}
    assert preferences([]) == {"preferred_difficulty": "easy"}
