"""The problem catalogue over HTTP: filters, sorting, both paginations, caches kept fresh."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import pytest
import redis
import redis.asyncio as aredis

from domain.submissions import Submission, Verdict
from projections.catalog import POSITION_KEY, SharedAnswers
from tests.integration.content.conftest import (
    Caller,
    approve,
    caller,
    create_problem,
    ok,
    published_topic,
)


@pytest.fixture(scope="module")
def world(client: Any, background: Any, container: Any) -> dict[str, Any]:
    """A topic with six problems under a tag of their own; five published, one draft."""
    admin = caller(client, "admin")
    tag = "t-" + uuid.uuid4().hex[:8]
    topic = published_topic(client, admin)
    specs = [
        ("Alpha sum", 1, ["array"]),
        ("Bravo graph", 3, ["graph"]),
        ("Charlie hash", 2, ["array", "hash-table"]),
        ("Delta sort", 1, ["sorting"]),
        ("Echo arrays", 2, ["array", "hash-table", "sorting"]),
    ]
    ids = {}
    for title, difficulty, tags in specs:
        pid = create_problem(
            client, admin, topic, title=f"{title} {tag}", difficulty=difficulty, tags=[tag, *tags]
        )
        approve(client, admin, "problem", pid)
        ids[title.split()[0].lower()] = pid
    ids["draft"] = create_problem(client, admin, topic, title=f"Foxtrot draft {tag}", tags=[tag])
    learner = caller(client, "learner")
    _judge(container, background, learner, ids["alpha"], "ACCEPTED")
    _judge(container, background, learner, ids["bravo"], "FAILED")
    _judge(container, background, caller(client, "learner"), ids["bravo"], "ACCEPTED")
    return {"admin": admin, "learner": learner, "tag": tag, "topic": topic, "ids": ids}


def _judge(container: Any, background: Any, who: Caller, problem_id: str, status: str) -> None:
    sub = Submission(
        id=uuid.uuid4(),
        user_id=uuid.UUID(who.user_id),
        problem_id=uuid.UUID(problem_id),
        language="python3.10",
        code_sha256="0" * 64,
        code_length=1,
        contest_id=None,
        code="pass",
    )
    passed = 2 if status == "ACCEPTED" else 1
    sub.record_verdict(1, Verdict(status, 100 if passed == 2 else 50, passed, 2), 0, False)
    position = container.log.commit(sub)
    assert background.projections.wait(position, names=["problem_stats"])


def _titles(client: Any, world: dict[str, Any], headers: Any = None, **params: Any) -> list[str]:
    params = {"tags": world["tag"], "limit": 50, **params}
    data = ok(client.get("/v1/problems", params=params, headers=headers))
    return [p["title"].split()[0] for p in data]


def test_learners_see_published_problems_and_authors_see_drafts(client: Any, world: Any):
    assert sorted(_titles(client, world)) == ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]
    staff = _titles(client, world, world["admin"].headers)
    assert "Foxtrot" in staff and len(staff) == 6


def test_filters(client: Any, world: Any):
    assert sorted(_titles(client, world, difficulty=2)) == ["Charlie", "Echo"]
    tags = f"{world['tag']},array,hash-table"
    assert sorted(_titles(client, world, tags=tags)) == ["Charlie", "Echo"]
    assert _titles(client, world, q="graph") == ["Bravo"]
    assert _titles(client, world, q="Delta") == ["Delta"]
    assert len(_titles(client, world, topic_id=world["topic"])) == 5
    assert _titles(client, world, topic_id=str(uuid.uuid4())) == []


def test_status_filter_is_per_caller(client: Any, world: Any):
    me = world["learner"].headers
    assert _titles(client, world, me, status="solved") == ["Alpha"]
    assert _titles(client, world, me, status="attempted") == ["Bravo"]
    assert sorted(_titles(client, world, me, status="not_attempted")) == [
        "Charlie",
        "Delta",
        "Echo",
    ]
    rows = ok(client.get("/v1/problems", params={"tags": world["tag"]}, headers=me))
    status = {r["title"].split()[0]: r["user_status"] for r in rows}
    assert status["Alpha"] == "solved" and status["Bravo"] == "attempted"
    assert status["Echo"] == "not_attempted"


def test_statistics_come_from_the_stats_view(client: Any, world: Any):
    rows = ok(client.get("/v1/problems", params={"tags": world["tag"]}))
    bravo = next(r for r in rows if r["title"].startswith("Bravo"))
    assert (bravo["total_submissions"], bravo["total_accepted"]) == (2, 1)
    assert bravo["acceptance_rate"] == pytest.approx(0.5)
    order = _titles(client, world, sort_by="acceptance_rate", order="desc")
    assert order[0] == "Alpha" and order[1] == "Bravo"


def test_sorting(client: Any, world: Any):
    assert _titles(client, world, sort_by="title", order="asc") == [
        "Alpha",
        "Bravo",
        "Charlie",
        "Delta",
        "Echo",
    ]
    by_difficulty = _titles(client, world, sort_by="difficulty", order="desc")
    assert by_difficulty[0] == "Bravo" and set(by_difficulty[-2:]) == {"Alpha", "Delta"}
    newest = _titles(client, world, sort_by="created_at", order="desc")
    assert newest == ["Echo", "Delta", "Charlie", "Bravo", "Alpha"]


def test_page_pagination_with_total(client: Any, world: Any):
    params = {"tags": world["tag"], "sort_by": "title", "order": "asc", "limit": 2}
    first = client.get("/v1/problems", params={**params, "page": 1}).json()
    third = client.get("/v1/problems", params={**params, "page": 3}).json()
    assert first["meta"]["total"] == 5 and first["meta"]["page"] == 1
    assert [p["title"].split()[0] for p in first["data"]] == ["Alpha", "Bravo"]
    assert [p["title"].split()[0] for p in third["data"]] == ["Echo"]
    assert third["meta"]["has_more"] is False


@pytest.mark.parametrize("sort_by", ["created_at", "difficulty", "acceptance_rate", "title"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_cursor_pagination_walks_everything_once(client: Any, world: Any, sort_by: str, order: str):
    params = {"tags": world["tag"], "sort_by": sort_by, "order": order, "limit": 2}
    expected = _titles(client, world, sort_by=sort_by, order=order)
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        body = client.get(
            "/v1/problems", params={**params, **({"cursor": cursor} if cursor else {})}
        )
        payload = body.json()
        assert payload["meta"]["total"] == 5
        seen += [p["title"].split()[0] for p in payload["data"]]
        cursor = payload["meta"].get("next_cursor")
        if not cursor:
            break
    assert seen == expected


def test_bad_cursor_and_bad_parameters_are_4xx(client: Any, world: Any):
    params = {"tags": world["tag"], "sort_by": "title", "limit": 2}
    cursor = client.get("/v1/problems", params=params).json()["meta"]["next_cursor"]
    other_sort = client.get(
        "/v1/problems", params={**params, "sort_by": "difficulty", "cursor": cursor}
    )
    assert other_sort.status_code == 422
    assert client.get("/v1/problems", params={"cursor": "!!not-a-cursor"}).status_code == 422
    for bad in (
        {"difficulty": 5},
        {"status": "done"},
        {"sort_by": "x"},
        {"limit": 500},
        {"page": 0},
    ):
        response = client.get("/v1/problems", params=bad)
        assert response.status_code in (400, 422), (bad, response.text)


def test_problem_detail(client: Any, world: Any, container: Any):
    admin = world["admin"]
    related = world["ids"]["charlie"]
    pid = create_problem(
        client,
        admin,
        related_problem_ids=[related, world["ids"]["draft"]],
        hints=[{"level": 2, "text": "second"}, {"level": 1, "text": "first"}],
        starter_code={"python": "def f(): pass", "cpp": "int main(){}", "java": "class Main{}"},
    )
    approve(client, admin, "problem", pid)
    data = ok(client.get(f"/v1/problems/{pid}", headers=world["learner"].headers))
    assert [h["level"] for h in data["hints"]] == [1, 2]
    assert [r["id"] for r in data["related_problems"]] == [related]
    assert set(data["starter_code"]) == {"python3.10", "cpp17", "java17"}
    assert data["memory_limit_kb"] == 131072 and data["time_limit_ms"] == 1000
    assert data["user_progress"] == {"status": "not_attempted", "solved": False}
    solved = ok(
        client.get(f"/v1/problems/{world['ids']['alpha']}", headers=world["learner"].headers)
    )
    assert solved["user_progress"] == {"status": "solved", "solved": True}
    staff = ok(client.get(f"/v1/problems/{pid}", headers=admin.headers))
    assert len(staff["related_problems"]) == 2


def test_problem_cache_is_filled_and_dropped_on_every_edit(client: Any, world: Any, container: Any):
    admin = world["admin"]
    pid = world["ids"]["delta"]
    key = f"problem:{pid}"
    ok(client.get(f"/v1/problems/{pid}"))
    assert container.redis.exists(key)
    assert 0 < container.redis.ttl(key) <= 3600
    assert b'user_progress":null' in container.redis.get(key)  # per-user parts stay out
    ok(
        client.patch(
            f"/v1/problems/{pid}",
            json={"title": f"Delta edited {world['tag']}"},
            headers=admin.headers,
        )
    )
    assert not container.redis.exists(key)
    assert ok(client.get(f"/v1/problems/{pid}"))["title"].startswith("Delta edited")
    sample = {"input": "9 9", "expected_output": "18", "is_sample": True}
    ok(client.post(f"/v1/problems/{pid}/test-cases", json=sample, headers=admin.headers), 201)
    samples = ok(client.get(f"/v1/problems/{pid}"))["sample_test_cases"]
    assert any(s["input"] == "9 9" for s in samples)
    ok(
        client.patch(
            f"/v1/problems/{pid}",
            json={"title": f"Delta sort {world['tag']}"},
            headers=admin.headers,
        )
    )


def test_editing_a_related_problem_refreshes_its_referrers(client: Any, world: Any):
    admin = world["admin"]
    target = create_problem(client, admin, title="Target")
    approve(client, admin, "problem", target)
    referrer = create_problem(client, admin, related_problem_ids=[target])
    approve(client, admin, "problem", referrer)
    assert ok(client.get(f"/v1/problems/{referrer}"))["related_problems"][0]["title"] == "Target"
    ok(
        client.patch(
            f"/v1/problems/{target}", json={"title": "Target renamed"}, headers=admin.headers
        )
    )
    assert (
        ok(client.get(f"/v1/problems/{referrer}"))["related_problems"][0]["title"]
        == "Target renamed"
    )


def test_topics_tree_cache_follows_changes(client: Any, world: Any, container: Any):
    admin = world["admin"]
    ok(client.get("/v1/topics"))
    assert container.redis.exists("topics:tree")
    assert 0 < container.redis.ttl("topics:tree") <= 3600
    child = published_topic(client, admin, name="Fresh child", parent_id=world["topic"])
    tree = ok(client.get("/v1/topics"))
    node = next(t for t in tree if t["id"] == world["topic"])
    assert child in [c["id"] for c in node["children"]]
    assert node["stats"]["total_problems"] >= 5
    detail = ok(client.get(f"/v1/topics/{world['topic']}"))
    assert len(detail["problems"]) >= 5 and child in [c["id"] for c in detail["children"]]
    assert all(p["is_published"] for p in detail["problems"])


def test_unpublished_topic_is_hidden_from_learners(client: Any, world: Any):
    from tests.integration.content.conftest import create_topic

    draft = create_topic(client, world["admin"])
    assert client.get(f"/v1/topics/{draft}", headers=world["learner"].headers).status_code == 404
    assert all(t["id"] != draft for t in ok(client.get("/v1/topics")))
    assert ok(client.get(f"/v1/topics/{draft}", headers=world["admin"].headers))["id"] == draft


def test_languages_lists_the_judge_table(client: Any):
    data = ok(client.get("/v1/languages"))
    assert [lang["id"] for lang in data] == ["python3.10", "cpp17", "java17", "javascript"]
    python = data[0]
    assert python["is_active"] is True and python["version"]


def test_anonymous_answers_are_shared_and_a_content_change_shows_at_once(
    client: Any, world: Any, container: Any
):
    admin = world["admin"]
    pid = world["ids"]["charlie"]
    params = {"tags": world["tag"], "sort_by": "title", "order": "asc"}
    before = client.get("/v1/problems", params=params).json()
    assert (
        client.get("/v1/problems", params=params).content
        == client.get("/v1/problems", params=params).content
    )
    assert before["meta"] == {"page": 1, "limit": 20, "total": 5, "has_more": False}
    assert ok(client.get(f"/v1/problems/{pid}"))["user_progress"] is None
    title = f"Charlie renamed {world['tag']}"
    ok(client.patch(f"/v1/problems/{pid}", json={"title": title}, headers=admin.headers))
    after = client.get("/v1/problems", params=params).json()["data"]
    assert title in [p["title"] for p in after]
    assert ok(client.get(f"/v1/problems/{pid}"))["title"] == title
    # a learner gets the same shared page with their own statuses on top
    mine = ok(client.get("/v1/problems", params=params, headers=world["learner"].headers))
    assert [p["id"] for p in mine] == [p["id"] for p in after]
    assert {p["title"].split()[0]: p["user_status"] for p in mine}["Alpha"] == "solved"
    assert all(p["user_status"] == "not_attempted" for p in after)


def test_statistics_of_shared_answers_are_at_most_a_second_old(
    client: Any, world: Any, container: Any, background: Any
):
    pid = world["ids"]["echo"]
    params = {"tags": world["tag"]}

    def echo_total() -> int:
        rows = ok(client.get("/v1/problems", params=params))
        return next(r for r in rows if r["id"] == pid)["total_submissions"]

    before = echo_total()
    assert ok(client.get(f"/v1/problems/{pid}"))["total_submissions"] == before
    _judge(container, background, caller(client, "learner"), pid, "FAILED")
    time.sleep(1.1)
    assert echo_total() == before + 1
    assert ok(client.get(f"/v1/problems/{pid}"))["total_submissions"] == before + 1


def test_position_reads_are_shared_by_concurrent_requests(redis_url: str):
    answers = SharedAnswers()
    cache = redis.Redis.from_url(redis_url)
    start = int(cache.get(POSITION_KEY) or 0)

    async def go() -> tuple[list[int], int, int]:
        client = aredis.Redis.from_url(redis_url)
        try:
            seen = await asyncio.gather(*[answers.position(client) for _ in range(50)])
            shared = answers.reads
            cache.set(POSITION_KEY, start + 10)  # a change committed before the next request
            later = await answers.position(client)
            return list(seen), shared, later
        finally:
            cache.set(POSITION_KEY, max(start, int(cache.get(POSITION_KEY) or 0)))
            await client.aclose()

    seen, reads, later = asyncio.run(go())
    assert seen == [start] * 50 and reads <= 2
    assert later == start + 10
