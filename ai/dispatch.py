"""The review dispatcher: every final verdict and every learner request becomes a review job."""

from __future__ import annotations

from functools import singledispatchmethod
from uuid import UUID

from domain.reviews import MANUAL, AiReview, automatic_review_id
from domain.submissions import Submission
from infra.broker import enqueue
from projections.runtime import Batch, Projector

QUEUE = "ai-review"
ACTOR = "review_submission"


class ReviewDispatcher(Projector):
    """One job per verdict (failed ones too) and per manual request, sent before tracking."""

    name = "ai_review_dispatch"
    dispatcher = True
    topics = (Submission.Judged, AiReview.Requested)

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Events of no interest are ignored."""

    @apply.register
    def _judged(self, event: Submission.Judged, batch: Batch) -> None:
        review_id = automatic_review_id(event.originator_id, event.attempt)
        self._dispatch(batch, event.originator_id, review_id)

    @apply.register
    def _requested(self, event: AiReview.Requested, batch: Batch) -> None:
        if event.reason == MANUAL:  # automatic reviews were sent on their verdict
            self._dispatch(batch, event.submission_id, event.originator_id)

    def _dispatch(self, batch: Batch, submission_id: UUID, review_id: UUID) -> None:
        broker = self.services.broker
        if batch.rebuilding or broker is None:
            return
        batch.before_commit(
            lambda: enqueue(
                broker, QUEUE, ACTOR, submission_id=str(submission_id), review_id=str(review_id)
            )
        )
