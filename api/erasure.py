"""Erasure endpoints: ``DELETE /users/me`` and ``DELETE /admin/users/{user_id}``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, delete
from litestar.di import NamedDependency
from litestar.params import FromPath

from api.auth import Principal, authenticated, requires
from api.envelope import Envelope, error_responses, ok
from commands.erasure import Erased, Erasure
from domain.shared import Permission

BEARER = [{"BearerToken": []}]


class ErasureReceipt(msgspec.Struct):
    """The outcome of an erasure: the user and the log position it reached."""

    user_id: str
    erased: bool
    position: int


def _erasure(request: Request[Any, Any, Any]) -> Erasure:
    service: Erasure = request.app.state.container.erasure
    return service


def _out(result: Erased) -> ErasureReceipt:
    return ErasureReceipt(user_id=str(result.user_id), erased=True, position=result.position)


class ErasureController(Controller):
    """Crypto-shredding of a user's personal data; the account's history stays replayable.

    The self-service call needs only the caller's valid access token (no body: clients and
    proxies drop DELETE bodies); afterwards that token stops working.
    """

    path = "/"
    tags = ["erasure"]
    security = BEARER

    @delete(
        "/users/me",
        guards=[authenticated],
        status_code=200,
        sync_to_thread=True,
        operation_id="EraseMe",
        responses=error_responses(401, 404),
    )
    def erase_me(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> Envelope[ErasureReceipt]:
        return ok(_out(_erasure(request).erase(UUID(principal.user_id))))

    @delete(
        "/admin/users/{user_id:uuid}",
        guards=[requires(Permission.MANAGE_USERS)],
        status_code=200,
        sync_to_thread=True,
        operation_id="EraseUser",
        responses=error_responses(401, 403, 404),
    )
    def erase_user(
        self, request: Request[Any, Any, Any], user_id: FromPath[UUID]
    ) -> Envelope[ErasureReceipt]:
        return ok(_out(_erasure(request).erase(user_id)))
