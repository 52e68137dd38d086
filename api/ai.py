"""AI reviews of submissions (request, read) and the personalised learning path."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from ai.learning_path import Catalogue, LearnerProfile, LearningPath, RecentActivity, recommend
from ai.learning_path import TopicProficiency as PathTopic
from api.auth import Principal, authenticated
from api.envelope import Envelope, error_responses, ok
from api.submissions import may_see_all, rate_limit, visible_state
from commands.errors import NotFoundError
from commands.reviews import Reviews
from projections import learning_path as path_inputs
from projections import reviews as views
from projections.learning_profile import get_learning_profile
from projections.runtime import wait_for

BEARER = [{"BearerToken": []}]
ESTIMATED_TIME_SEC = 3
FocusArea = Literal["correctness", "efficiency", "code_quality", "best_practices", "security"]
LEVELS = {"beginner": "beginner", "intermediate": "intermediate", "advanced": "advanced",
          "expert": "advanced"}  # fmt: skip


class RequestAiReview(msgspec.Struct, forbid_unknown_fields=True):
    focus_areas: Annotated[list[FocusArea], msgspec.Meta(max_length=5)] = []


class ReviewQueued(msgspec.Struct):
    review_id: UUID
    status: str
    estimated_time_sec: int


async def head_position(pool: Any) -> int:
    async with pool.connection() as conn:
        cur = await conn.execute("SELECT max(notification_id) AS head FROM codequest_events")
        return int((await cur.fetchone())["head"] or 0)


async def latest_review(pool: Any, submission_id: UUID) -> views.ReviewBody | None:
    """The newest review; when none is visible yet, let the view catch up with the log once."""
    async with pool.connection() as conn:
        found = await views.get_latest_review(conn, submission_id)
    if found is None and await wait_for(
        pool, views.ReviewsProjector.name, await head_position(pool), 3.0
    ):
        async with pool.connection() as conn:
            found = await views.get_latest_review(conn, submission_id)
    return found


class AiReviewController(Controller):
    path = "/"
    tags = ["ai"]
    guards = [authenticated]
    security = BEARER

    @post(
        "/submissions/{submission_id:uuid}/ai-review",
        status_code=202,
        sync_to_thread=True,
        guards=[rate_limit("ai", learners_only=True)],
        operation_id="RequestAiReview",
        responses=error_responses(401, 404, 409, 422, 429),
    )
    def request_review(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        submission_id: FromPath[UUID],
        data: JSONBody[RequestAiReview | None] = None,
    ) -> Envelope[ReviewQueued]:
        service: Reviews = request.app.state.container.reviews
        focus = list((data or RequestAiReview()).focus_areas)
        done = service.request(
            submission_id, UUID(principal.user_id), focus, may_see_all(principal)
        )
        return ok(ReviewQueued(done.review_id, "PROCESSING", ESTIMATED_TIME_SEC))

    @get("/submissions/{submission_id:uuid}/ai-review", operation_id="GetAiReview",
         responses=error_responses(401, 404))  # fmt: skip
    async def get_review(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        submission_id: FromPath[UUID],
    ) -> Envelope[views.ReviewBody]:
        await visible_state(request, principal, submission_id)
        review = await latest_review(request.app.state.pool, submission_id)
        if review is None:
            raise NotFoundError("no review yet: the submission has not been judged")
        return ok(review)


async def learner_profile(conn: Any, user_id: UUID) -> LearnerProfile:
    """The learning-profile read model and the last week's activity, as the path needs them."""
    profile = await get_learning_profile(conn, user_id)
    topics = [PathTopic(str(t.topic_id), t.name, t.proficiency) for t in profile.topics]
    recent = msgspec.convert(await path_inputs.recent_activity(conn, user_id), RecentActivity)
    level = LEVELS.get(profile.current_level.lower(), "beginner")
    return LearnerProfile(level, topics, recent)


class LearningPathController(Controller):
    path = "/users/me/learning-path"
    tags = ["ai"]
    guards = [authenticated]
    security = BEARER

    @get("/", operation_id="GetLearningPath", responses=error_responses(401))
    async def get_learning_path(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Envelope[LearningPath]:
        user_id = UUID(principal.user_id)
        async with request.app.state.pool.connection() as conn:
            profile = await learner_profile(conn, user_id)
            catalogue = msgspec.convert(await path_inputs.catalogue(conn, user_id), Catalogue)
        return ok(recommend(profile, catalogue))
