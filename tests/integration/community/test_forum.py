"""Forum over HTTP: posts, filters, sort and pages, replies, upvotes, accepted answers, erasure."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.integration.community.conftest import data, error
from tests.integration.content.conftest import approve, create_problem, create_topic

POSTS = "/v1/forum/posts"


def post_body(**fields: Any) -> dict[str, Any]:
    return {"title": "How to optimise this?", "content_markdown": "I'm on **Two Sum**...",
            **fields}  # fmt: skip


def create_post(client: Any, who: Any, **fields: Any) -> str:
    return str(
        data(client.post(POSTS, json=post_body(**fields), headers=who.headers), 201)["post_id"]
    )


def test_create_list_and_read_a_post_with_its_references(client, person):
    admin, author = person("admin"), person("learner")
    topic = create_topic(client, admin)
    approve(client, admin, "topic", topic)
    problem = create_problem(client, admin, topic)
    approve(client, admin, "problem", problem)
    tag = f"t{uuid.uuid4().hex[:8]}"
    post_id = create_post(client, author, topic_ids=[topic], tags=[tag, "Algorithms"],
                          related_problem_id=problem)  # fmt: skip

    listed = client.get(f"{POSTS}?topic_id={topic}")
    assert listed.json()["meta"]["total"] == 1
    (row,) = data(listed)
    assert row["id"] == post_id and row["tags"] == [tag, "algorithms"]
    assert row["author"] == {"id": author.user_id, "display_name": author.name, "reputation": 0}
    assert row["reply_count"] == 0 and row["upvotes"] == 0 and row["has_accepted_answer"] is False
    assert [p["id"] for p in data(client.get(f"{POSTS}?problem_id={problem}"))] == [post_id]
    detail = data(client.get(f"{POSTS}/{post_id}"))
    assert detail["content_markdown"] == "I'm on **Two Sum**..." and detail["replies"] == []
    error(client.get(f"{POSTS}/{uuid.uuid4()}"), 404, "NOT_FOUND")


def test_post_refuses_bad_input_and_anonymous_callers(client, person):
    author = person("learner")
    draft_topic = create_topic(client, person("admin"))  # never published
    error(client.post(POSTS, json=post_body()), 401, "UNAUTHORIZED")
    for fields, field in [
        ({"title": ""}, "title"),
        ({"content_markdown": ""}, "content_markdown"),
        ({"tags": ["has space"]}, "tags"),
        ({"topic_ids": [str(uuid.uuid4())]}, "topic_ids"),
        ({"topic_ids": [draft_topic]}, "topic_ids"),
        ({"related_problem_id": str(uuid.uuid4())}, "related_problem_id"),
        ({"related_lesson_id": "nope"}, "related_lesson_id"),
        ({"votes": 3}, "votes"),
    ]:
        response = client.post(POSTS, json=post_body(**fields), headers=author.headers)
        err = error(response, 422, "VALIDATION_ERROR")
        assert field in {d["field"] for d in err["details"]}, err


def test_tags_sort_and_pages(client, person):
    author, voter = person("learner"), person("learner")
    tag = f"t{uuid.uuid4().hex[:8]}"
    quiet = create_post(client, author, tags=[tag, "a"])
    loved = create_post(client, author, tags=[tag, "a", "b"])
    answered = create_post(client, author, tags=[tag])
    data(client.post(f"{POSTS}/{loved}/upvote", headers=voter.headers))
    data(client.post(f"{POSTS}/{answered}/replies", json={"content_markdown": "yes"},
                     headers=voter.headers), 201)  # fmt: skip

    def ids(query: str) -> list[str]:
        return [p["id"] for p in data(client.get(f"{POSTS}?tags={tag}{query}"))]

    assert ids("") == [answered, loved, quiet]
    assert ids(",b") == [loved]  # every tag must match
    assert ids("&sort_by=popular")[0] == loved
    assert ids("&sort_by=unanswered") == [loved, quiet]
    page = client.get(f"{POSTS}?tags={tag}&limit=2&page=2")
    assert page.json()["meta"] == {"page": 2, "limit": 2, "total": 3}
    assert [p["id"] for p in page.json()["data"]] == [quiet]
    error(client.get(f"{POSTS}?sort_by=loudest"), 422, "VALIDATION_ERROR")
    error(client.get(f"{POSTS}?limit=500"), 422, "VALIDATION_ERROR")
    error(client.get(f"{POSTS}?topic_id=xyz"), 422, "VALIDATION_ERROR")


def test_replies_with_snippets_threads_and_bad_input(client, person):
    author, helper = person("learner"), person("instructor")
    post_id = create_post(client, author)
    url = f"{POSTS}/{post_id}/replies"
    body = {"content_markdown": "Use a hash table", "code_snippet": {"language": "python",
            "code": "seen = {}"}}  # fmt: skip
    reply = data(client.post(url, json=body, headers=helper.headers), 201)
    child = {"content_markdown": "Thanks!", "parent_reply_id": reply["reply_id"]}
    data(client.post(url, json=child, headers=author.headers), 201)
    detail = data(client.get(f"{POSTS}/{post_id}"))
    assert detail["reply_count"] == 2
    first, second = detail["replies"]
    assert first["code_snippet"] == {"language": "python", "code": "seen = {}"}
    assert first["author"]["display_name"] == helper.name
    assert second["parent_reply_id"] == reply["reply_id"] and second["code_snippet"] is None

    error(client.post(url, json={"content_markdown": "x"}), 401, "UNAUTHORIZED")
    error(client.post(f"{POSTS}/{uuid.uuid4()}/replies", json={"content_markdown": "x"},
                      headers=author.headers), 404, "NOT_FOUND")  # fmt: skip
    other_post = create_post(client, author)
    elsewhere = {"content_markdown": "x", "parent_reply_id": reply["reply_id"]}
    error(client.post(f"{POSTS}/{other_post}/replies", json=elsewhere, headers=author.headers),
          422, "VALIDATION_ERROR")  # fmt: skip
    for bad in ({"content_markdown": ""}, {"content_markdown": "x", "code_snippet": {"code": "1"}},
                {"content_markdown": "x", "extra": True}):  # fmt: skip
        error(client.post(url, json=bad, headers=author.headers), 422, "VALIDATION_ERROR")


def test_an_upvote_counts_once_per_user_even_when_repeated_at_once(client, person):
    author, voter, other = person("learner"), person("learner"), person("instructor")
    post_id = create_post(client, author)
    url = f"{POSTS}/{post_id}/upvote"
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: client.post(url, headers=voter.headers), range(4)))
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
    assert sorted(a.json()["data"]["counted"] for a in answers) == [False, False, False, True]
    again = data(client.post(url, headers=voter.headers))
    assert again == {"post_id": post_id, "upvotes": 1, "counted": False}
    assert data(client.post(url, headers=other.headers))["upvotes"] == 2
    error(client.post(url, headers=author.headers), 403, "FORBIDDEN")
    error(client.post(url), 401, "UNAUTHORIZED")
    error(client.post(f"{POSTS}/{uuid.uuid4()}/upvote", headers=voter.headers), 404, "NOT_FOUND")
    listed = data(client.get(f"{POSTS}?author_id={author.user_id}"))
    assert listed[0]["upvotes"] == 2 and listed[0]["author"]["reputation"] == 20


def test_the_author_accepts_an_answer_and_it_can_move(client, person):
    author, helper, second, stranger = (person("learner") for _ in range(4))
    post_id = create_post(client, author)
    url = f"{POSTS}/{post_id}/replies"
    first = data(client.post(url, json={"content_markdown": "a"}, headers=helper.headers), 201)
    later = data(client.post(url, json={"content_markdown": "b"}, headers=second.headers), 201)
    accept = f"{url}/{first['reply_id']}/accept"
    error(client.post(accept, headers=stranger.headers), 403, "FORBIDDEN")
    assert data(client.post(accept, headers=author.headers))["has_accepted_answer"] is True
    data(client.post(f"{url}/{later['reply_id']}/accept", headers=author.headers))
    detail = data(client.get(f"{POSTS}/{post_id}"))
    assert detail["accepted_reply_id"] == later["reply_id"] and detail["has_accepted_answer"]
    assert [r["is_accepted_answer"] for r in detail["replies"]] == [False, True]
    assert [r["author"]["reputation"] for r in detail["replies"]] == [0, 15]
    error(client.post(f"{url}/{uuid.uuid4()}/accept", headers=author.headers), 404, "NOT_FOUND")
    other = create_post(client, author)
    error(client.post(f"{POSTS}/{other}/replies/{first['reply_id']}/accept",
                      headers=author.headers), 404, "NOT_FOUND")  # fmt: skip


def test_posts_stay_readable_after_the_author_is_erased(client, person, container, background):
    author = person("learner")
    post_id = create_post(client, author, title="Still here after erasure")
    container.erasure.erase(uuid.UUID(author.user_id))
    assert background.projections.wait(container.log.head(), names=["users"])
    detail = data(client.get(f"{POSTS}/{post_id}"))
    assert detail["title"] == "Still here after erasure"
    assert detail["author"]["display_name"] == "Erased user"
    assert author.name not in client.get(f"{POSTS}/{post_id}").text
