"""Who caused the events being saved, and in answer to which request or job."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

SYSTEM_ACTOR = "system"


class Cause(NamedTuple):
    """The acting user (or a system actor) and the correlation id of the request or job
    (immutable; a tuple because one is made for every request)."""

    actor: str
    correlation_id: str


_cause: ContextVar[Cause | None] = ContextVar("codequest_cause", default=None)


def current_cause() -> Cause:
    return _cause.get() or Cause(actor=SYSTEM_ACTOR, correlation_id="")


@contextmanager
def acting(actor: str, correlation_id: str | None = None) -> Iterator[Cause]:
    """Attribute every event saved inside the block to this actor and correlation id."""
    cause = Cause(actor=actor, correlation_id=correlation_id or uuid.uuid4().hex)
    token = _cause.set(cause)
    try:
        yield cause
    finally:
        _cause.reset(token)


def set_cause(actor: str, correlation_id: str) -> None:
    """Bind the cause for the rest of this context (a request or a job)."""
    _cause.set(Cause(actor=actor, correlation_id=correlation_id))
