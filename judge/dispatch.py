"""The judge dispatcher: every submission and rejudge becomes a `judge_submission` job."""

from __future__ import annotations

from functools import singledispatchmethod
from uuid import UUID

from domain.submissions import Submission
from infra.broker import enqueue
from projections.runtime import Batch, Projector

QUEUE = "code-execution"
ACTOR = "judge_submission"


class JudgeDispatcher(Projector):
    """One job per attempt, sent before the tracking row commits (at least once)."""

    name = "judge_dispatch"
    dispatcher = True
    topics = (Submission.Submitted, Submission.RejudgeRequested)

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Events of no interest are ignored."""

    @apply.register
    def _submitted(self, event: Submission.Submitted, batch: Batch) -> None:
        self._dispatch(batch, event.originator_id, 1)

    @apply.register
    def _rejudge(self, event: Submission.RejudgeRequested, batch: Batch) -> None:
        self._dispatch(batch, event.originator_id, event.attempt)

    def _dispatch(self, batch: Batch, submission_id: UUID, attempt: int) -> None:
        broker = self.services.broker
        if batch.rebuilding or broker is None:
            return
        batch.before_commit(
            lambda: enqueue(broker, QUEUE, ACTOR, submission_id=str(submission_id), attempt=attempt)
        )
