"""Live submission updates: SSE at /submissions/{id}/events and a WebSocket at /ws."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import anyio
import redis.asyncio as aredis
import structlog
from litestar import Controller, Request, WebSocket, get, websocket
from litestar.exceptions import (
    NotAuthorizedException,
    SerializationException,
    WebSocketDisconnect,
)
from litestar.params import FromPath
from litestar.response import ServerSentEvent, ServerSentEventMessage

from api.auth import Principal, authenticate, inactive_key, require_principal
from api.envelope import error_responses
from api.submissions import visible_state
from commands.errors import NotFoundError
from judge.actors import channel, live_key
from projections.submission_status import SubmissionState, get_submission_state

log = structlog.get_logger()
POLL_S = 1.0  # how long to block on pub/sub before looking at the stored state again
RECHECK_S = 5.0  # a lost message (or a worker that died after its verdict) is caught this late
KEEPALIVE_S = 15.0
MAX_STREAM_S = 15 * 60
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
UNSETTLED = ("PENDING", "RUNNING")


def state_message(state: SubmissionState) -> dict[str, Any]:
    """A live message built from the read model (used when no fresher live state exists)."""
    final = state.verdict is not None
    message: dict[str, Any] = {
        "type": "submission:update",
        "submission_id": str(state.id),
        "attempt": state.attempt,
        "status": state.verdict if final else state.status,
        "progress": 100 if final else 0,
        "message": "Execution complete" if final else _waiting(state.status),
        "final": final,
    }
    if final:
        message.update(
            verdict=state.verdict,
            points=state.points,
            passed=state.passed,
            tests_passed=state.tests_passed,
            tests_total=state.tests_total,
        )
    return message


def _waiting(status: str) -> str:
    return "Running test cases..." if status == "RUNNING" else "Waiting for a judge..."


class LiveStream:
    """One subscriber's view of a submission: current state first, then updates to the verdict."""

    def __init__(self, redis_url: str, pool: Any, submission_id: UUID) -> None:
        self.pool, self.submission_id = pool, submission_id
        self.client = aredis.Redis.from_url(redis_url, socket_timeout=None)
        self.pubsub = self.client.pubsub(ignore_subscribe_messages=True)

    async def open(self) -> LiveStream:
        await self.pubsub.subscribe(channel(self.submission_id))  # before reading: nothing lost
        return self

    async def close(self) -> None:
        try:
            await self.pubsub.aclose()
        finally:
            await self.client.aclose()

    async def current(self) -> dict[str, Any]:
        """The newest known state: the live hash unless the read model is further along."""
        raw = await self.client.hget(live_key(self.submission_id), "json")
        state = await get_submission_state(self.pool, self.submission_id)
        live = json.loads(raw) if raw else None
        if state is None:
            return live or {"type": "submission:update", "status": "PENDING", "final": False}
        if live is None or int(live.get("attempt", 0)) < state.attempt:
            return state_message(state)
        if state.verdict is not None and not live.get("final"):
            return state_message(state)
        return dict(live)

    async def updates(self) -> AsyncIterator[dict[str, Any] | None]:
        """Messages until the final verdict; None now and then to keep the connection alive."""
        current = await self.current()
        yield current
        attempt = int(current.get("attempt", 1))
        started = last_check = last_beat = time.monotonic()
        while not current.get("final") and time.monotonic() - started < MAX_STREAM_S:
            message = await self.pubsub.get_message(timeout=POLL_S)
            now = time.monotonic()
            if message is not None:
                current = json.loads(message["data"])
                if int(current.get("attempt", attempt)) >= attempt:
                    yield current
                continue
            if now - last_check >= RECHECK_S:
                last_check, current = now, await self.current()
                if current.get("final"):
                    yield current
            if now - last_beat >= KEEPALIVE_S:
                last_beat = now
                yield None


async def _sse(stream: LiveStream) -> AsyncIterator[ServerSentEventMessage]:
    try:
        yield ServerSentEventMessage(comment="subscribed", data=None)
        count = 0
        async for message in stream.updates():
            if message is None:
                yield ServerSentEventMessage(comment="keep-alive", data=None)
                continue
            count += 1
            yield ServerSentEventMessage(data=json.dumps(message), id=count)
    finally:
        with anyio.CancelScope(shield=True):
            await stream.close()


class LiveController(Controller):
    path = "/"
    tags = ["live"]

    @get(
        "/submissions/{submission_id:uuid}/events",
        operation_id="SubmissionEvents",
        responses=error_responses(401, 404),
        security=[{"BearerToken": []}],
    )
    async def events(
        self, request: Request[Any, Any, Any], submission_id: FromPath[UUID]
    ) -> ServerSentEvent:
        """Server-sent events of a submission until its verdict (token header or ?token=)."""
        principal = await require_principal(request, allow_query=True)
        await visible_state(request, principal, submission_id)
        stream = await LiveStream(
            request.app.state.settings.redis_url, request.app.state.pool, submission_id
        ).open()
        return ServerSentEvent(_sse(stream), headers=SSE_HEADERS)


async def _principal(socket: WebSocket[Any, Any, Any], first: dict[str, Any]) -> Principal:
    principal = await authenticate(socket, allow_query=True)
    if principal is not None:
        return principal
    token = first.get("token")
    if not isinstance(token, str) or not token:
        raise NotAuthorizedException("Authentication required")
    principal = socket.app.state.tokens.verify(token)
    if await socket.app.state.redis.exists(inactive_key(principal.user_id)):
        raise NotAuthorizedException("Account is not active")
    return principal


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _submission_channel(message: dict[str, Any]) -> UUID:
    name = message.get("channel")
    prefix, _, ident = str(name or "").partition(":")
    try:
        if message.get("type") != "subscribe" or prefix != "submission":
            raise ValueError(name)
        return UUID(ident)
    except ValueError:
        raise NotFoundError("unknown channel; expected submission:<id>") from None


async def _send_error(
    socket: WebSocket[Any, Any, Any], code: str, message: str, close: int
) -> None:
    await socket.send_json({"type": "error", "error": {"code": code, "message": message}})
    await socket.close(code=close)


async def _relay(socket: WebSocket[Any, Any, Any], stream: LiveStream) -> None:
    """Forward updates until the verdict while watching for the client going away."""
    async with anyio.create_task_group() as tg:

        async def watch() -> None:
            try:
                while True:
                    await socket.receive_data(mode="text")
            except WebSocketDisconnect:
                pass
            tg.cancel_scope.cancel()

        tg.start_soon(watch)
        async for message in stream.updates():
            if message is not None:
                await socket.send_json(message)
        tg.cancel_scope.cancel()


@websocket("/ws")
async def live_socket(socket: WebSocket[Any, Any, Any]) -> None:
    """Send ``{"type":"subscribe","channel":"submission:<id>"}``; updates follow to the verdict."""
    await socket.accept()
    try:
        first = _as_dict(await socket.receive_json())
        principal = await _principal(socket, first)
        wanted = (
            first if first.get("type") == "subscribe" else _as_dict(await socket.receive_json())
        )
        submission_id = _submission_channel(wanted)
        await visible_state(socket, principal, submission_id)
    except NotAuthorizedException as exc:
        await _send_error(socket, "UNAUTHORIZED", str(exc.detail), 4401)
        return
    except NotFoundError as exc:
        await _send_error(socket, "NOT_FOUND", exc.message, 4404)
        return
    except (ValueError, SerializationException):
        await _send_error(socket, "BAD_REQUEST", "messages are JSON objects", 4400)
        return
    except WebSocketDisconnect:
        return
    stream = await LiveStream(socket.app.state.settings.redis_url, socket.app.state.pool,
                              submission_id).open()  # fmt: skip
    try:
        await _relay(socket, stream)
        await socket.close(code=1000)
    except WebSocketDisconnect:
        pass
    finally:
        with anyio.CancelScope(shield=True):
            await stream.close()
