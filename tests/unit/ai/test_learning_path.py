from ai.learning_path import (
    Catalogue,
    CatalogueLesson,
    CatalogueProblem,
    LearnerProfile,
    RecentActivity,
    TopicProficiency,
    recommend,
)


def profile(recent=None, level="intermediate"):
    return LearnerProfile(
        level,
        [
            TopicProficiency("dp", "Dynamic Programming", 35),
            TopicProficiency("arr", "Arrays", 85),
            TopicProficiency("graphs", "Graphs", 60),
        ],
        recent or RecentActivity(problems_solved_7d=6, active_days_7d=3),
    )


def catalogue():
    return Catalogue(
        lessons=[
            CatalogueLesson("l-memo", "Memoisation", "dp", order=0, completed=True),
            CatalogueLesson("l-intro", "Introduction to DP", "dp", order=1, estimated_min=25),
            CatalogueLesson("l-arr", "Array tricks", "arr", order=0),
        ],
        problems=[
            CatalogueProblem("p-fib", "Fibonacci Numbers", "dp", "easy"),
            CatalogueProblem("p-stairs", "Climbing Stairs", "dp", "easy", attempted=True),
            CatalogueProblem("p-coins", "Coin Change", "dp", "medium"),
            CatalogueProblem("p-two", "Two Sum", "arr", "easy", solved=True),
            CatalogueProblem("p-rain", "Trapping Rain Water", "arr", "hard"),
        ],
    )


def test_weak_and_strong_topics_with_proficiency():
    path = recommend(profile(), catalogue())
    assert [(t.name, t.proficiency) for t in path.weak_topics] == [("Dynamic Programming", 35)]
    assert [(t.name, t.proficiency) for t in path.strong_topics] == [("Arrays", 85)]
    assert path.current_level == "intermediate"


def test_recommends_the_next_lesson_and_practice_for_the_weak_topic_with_reasons():
    path = recommend(profile(), catalogue())
    kinds = [(r.type, r.id) for r in path.recommended_next]
    assert kinds[0] == ("lesson", "l-intro")
    assert "Improve weak area: Dynamic Programming" in path.recommended_next[0].reason
    assert kinds[1:3] == [("problem", "p-stairs"), ("problem", "p-fib")]
    assert path.recommended_next[1].reason.startswith("Retry")
    assert ("problem", "p-coins") not in kinds  # too hard at proficiency 35


def test_strong_topic_gets_one_stretch_problem_and_solved_ones_are_skipped():
    path = recommend(profile(), catalogue())
    stretch = path.recommended_next[-1]
    assert (stretch.id, stretch.type) == ("p-rain", "problem")
    assert "strong in Arrays (85)" in stretch.reason
    assert "p-two" not in [r.id for r in path.recommended_next]


def test_daily_goal_counts_and_time():
    goal = recommend(profile(), catalogue()).daily_goal
    assert (goal.problems_to_solve, goal.lessons_to_complete) == (3, 1)
    assert goal.estimated_time_min == 15 + 15 + 45 + 25


def test_goal_eases_after_a_break():
    rested = recommend(profile(RecentActivity(days_since_last_active=9)), catalogue())
    assert rested.daily_goal.problems_to_solve == 2


def test_recent_failures_are_named_in_the_reason():
    recent = RecentActivity(
        problems_solved_7d=3, active_days_7d=3, failed_attempts_by_topic={"dp": 4}
    )
    path = recommend(profile(recent), catalogue())
    assert "4 failed attempts this week" in path.recommended_next[1].reason


def test_a_new_learner_gets_easy_starters():
    path = recommend(LearnerProfile("beginner", []), catalogue())
    assert [r.id for r in path.recommended_next] == ["p-fib", "p-stairs"]
    assert all("Start here" in r.reason for r in path.recommended_next)


def test_beginners_never_get_hard_problems():
    learner = LearnerProfile("beginner", [TopicProficiency("arr", "Arrays", 95)])
    path = recommend(learner, catalogue())
    assert all(r.id != "p-rain" for r in path.recommended_next)


def test_recommendations_are_deterministic():
    assert recommend(profile(), catalogue()) == recommend(profile(), catalogue())
