"""Security headers on every response (404s included) and a request id per request."""

from __future__ import annotations

import os
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from commands.context import set_cause
from infra.logging import bind_request

HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"x-xss-protection", b"1; mode=block"),
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
    (b"referrer-policy", b"no-referrer"),
]
CSP = (b"content-security-policy", b"default-src 'self'")
DOCS_CSP = (  # the Swagger page loads its assets from a CDN
    b"content-security-policy",
    b"default-src 'self'; "
    b"script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://unpkg.com; "
    b"style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://unpkg.com "
    b"https://fonts.googleapis.com; img-src 'self' data: https:; font-src 'self' https://fonts.gstatic.com",
)


STANDARD = [*HEADERS, CSP]
DOCS = [*HEADERS, DOCS_CSP]


async def security_headers(message: Message, scope: Scope) -> None:
    """before_send hook: runs for every response, router-level 404/405 included."""
    if message["type"] != "http.response.start":
        return
    path = scope.get("path", "")
    docs = path.startswith("/v1/schema") and not path.endswith((".json", ".yaml"))
    headers = [*message.get("headers", ()), *(DOCS if docs else STANDARD)]
    request_id = scope.get("state", {}).get("request_id")
    if request_id:
        headers.append((b"x-request-id", request_id.encode()))
    message["headers"] = headers  # type: ignore[typeddict-unknown-key]


def request_context(app: ASGIApp) -> ASGIApp:
    """Give each request an id, bind it to the logs and to the events it causes."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            request_id = ""
            for name, value in scope["headers"]:
                if name == b"x-request-id":
                    incoming = value.decode("latin-1")[:64]
                    if incoming.replace("-", "").isalnum():
                        request_id = incoming
                    break
            request_id = request_id or os.urandom(16).hex()  # as random as a uuid4, cheaper
            state: dict[str, Any] = scope.setdefault("state", {})  # type: ignore[assignment]
            state["request_id"] = request_id
            bind_request(request_id)
            set_cause("anonymous", request_id)
        await app(scope, receive, send)

    return middleware
