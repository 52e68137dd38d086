"""Given/when/then on the forum aggregates and the organization aggregate."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from domain.forum import (
    ForumPost,
    ForumReply,
    InvalidTagError,
    NotPostAuthorError,
    OwnPostUpvoteError,
    PostUpvote,
    ReplyElsewhereError,
    normalize_tags,
    upvote_id,
)
from domain.organizations import (
    InvalidOrgRoleError,
    LastOwnerError,
    NotMemberError,
    Organization,
    slugify,
)

NOW = datetime(2025, 11, 7, 11, 0, tzinfo=UTC)


def a_post(author: uuid.UUID | None = None) -> ForumPost:
    return ForumPost(
        uuid.uuid4(), author or uuid.uuid4(), "How?", "text", [], ["algorithms"], None, None, NOW
    )


def a_reply(post: ForumPost) -> ForumReply:
    return ForumReply(uuid.uuid4(), post.id, uuid.uuid4(), "like this", None, None, None, NOW)


def test_tags_are_normalised_deduplicated_and_checked():
    assert normalize_tags([" Algorithms", "c++", "algorithms", "c#"]) == ["algorithms", "c++", "c#"]
    with pytest.raises(InvalidTagError):
        normalize_tags(["no spaces allowed"])
    with pytest.raises(InvalidTagError):
        normalize_tags([f"t{i}" for i in range(11)])


def test_only_the_author_accepts_and_acceptance_moves():
    post = a_post()
    first, second = a_reply(post), a_reply(post)
    with pytest.raises(NotPostAuthorError):
        post.accept(first, uuid.uuid4())
    post.accept(first, post.author_id)
    post.accept(second, post.author_id)
    moved = post.pending_events[-1]
    assert moved.reply_id == second.id and moved.previous_reply_id == first.id
    count = len(post.pending_events)
    post.accept(second, post.author_id)
    assert len(post.pending_events) == count  # accepting again changes nothing


def test_a_reply_of_another_post_cannot_be_accepted():
    post = a_post()
    with pytest.raises(ReplyElsewhereError):
        post.accept(a_reply(a_post()), post.author_id)


def test_an_upvote_is_one_aggregate_per_user_and_post_and_never_the_authors():
    post = a_post()
    voter = uuid.uuid4()
    vote = PostUpvote.cast(voter, post, NOW)
    assert vote.id == upvote_id(voter, post.id) != upvote_id(uuid.uuid4(), post.id)
    assert vote.post_author_id == post.author_id
    with pytest.raises(OwnPostUpvoteError):
        PostUpvote.cast(post.author_id, post, NOW)


def an_org() -> tuple[Organization, uuid.UUID]:
    owner = uuid.uuid4()
    org = Organization(uuid.uuid4(), "Acme", "acme", "acme.edu", False, True, owner, NOW)
    org.add_member(owner, "owner", owner, NOW)
    return org, owner


def test_members_are_added_once_and_their_role_changes():
    org, owner = an_org()
    user = uuid.uuid4()
    assert org.add_member(user, "learner", owner, NOW) is True
    assert org.add_member(user, "learner", owner, NOW) is False
    count = len(org.pending_events)
    org.add_member(user, "instructor", owner, NOW)
    assert len(org.pending_events) == count + 1 and org.role_of(user) == "instructor"
    with pytest.raises(InvalidOrgRoleError):
        org.add_member(uuid.uuid4(), "boss", owner, NOW)


def test_the_last_owner_stays_and_strangers_cannot_be_removed():
    org, owner = an_org()
    with pytest.raises(LastOwnerError):
        org.remove_member(owner, owner)
    with pytest.raises(LastOwnerError):
        org.add_member(owner, "learner", owner, NOW)
    with pytest.raises(NotMemberError):
        org.remove_member(uuid.uuid4(), owner)
    second = uuid.uuid4()
    org.add_member(second, "owner", owner, NOW)
    org.remove_member(owner, second)
    assert org.role_of(owner) is None


def test_slugs_from_names():
    assert slugify("Acme Tech University!") == "acme-tech-university"
    assert slugify("École Polytechnique") == "ecole-polytechnique"
    assert slugify("!!!") == ""
