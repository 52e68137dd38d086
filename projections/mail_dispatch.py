"""Account mail: a dispatcher turns token events into `notifications` jobs; the actor mails."""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

import structlog

from commands.context import acting
from domain.accounts import User
from infra.broker import enqueue
from projections.runtime import Batch, Projector

log = structlog.get_logger()
QUEUE = "notifications"
ACTOR = "send_account_email"


def _enqueue(broker: Any, **kwargs: str) -> Callable[[], None]:
    return lambda: enqueue(broker, QUEUE, ACTOR, **kwargs)


class AccountMailDispatcher(Projector):
    """One job per verification or reset token, sent before the tracking row commits."""

    name = "mail_dispatch"
    dispatcher = True
    topics = (User.EmailVerificationRequested, User.PasswordResetRequested)

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Events of no interest are ignored."""

    @apply.register
    def _verify(self, event: User.EmailVerificationRequested, batch: Batch) -> None:
        self._dispatch(batch, event.originator_id, "verify", event.token_hash)

    @apply.register
    def _reset(self, event: User.PasswordResetRequested, batch: Batch) -> None:
        self._dispatch(batch, event.originator_id, "reset", event.token_hash)

    def _dispatch(self, batch: Batch, user_id: UUID, kind: str, token_hash: str) -> None:
        if batch.rebuilding or self.services.broker is None:
            return
        batch.before_commit(
            _enqueue(self.services.broker, user_id=str(user_id), kind=kind, token_hash=token_hash)
        )


def mail_actor(container: Any) -> Callable[..., None]:
    """The job body bound to a container (its accounts service and its mailer)."""

    def send_account_email(user_id: str, kind: str, token_hash: str) -> None:
        """Mail a still-pending token; at least once, so a duplicate mail may go out."""
        with acting("system:mail"):
            mail = container.accounts.pending_mail(UUID(user_id), kind, token_hash)
        if mail is None:
            log.info("account_mail_skipped", user_id=user_id, kind=kind)
            return
        container.mailer.send(mail.to, mail.subject, mail.body)

    return send_account_email
