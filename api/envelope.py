"""The response envelope of the design: success, data, meta, error."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import msgspec
from litestar.response.base import ASGIResponse

T = TypeVar("T")
_ENCODER = msgspec.json.Encoder()


class ErrorDetail(msgspec.Struct, omit_defaults=True):
    field: str
    message: str


class ErrorBody(msgspec.Struct):
    code: str
    message: str
    details: list[ErrorDetail] | None = None


class Meta(msgspec.Struct, omit_defaults=True):
    page: int | None = None
    limit: int | None = None
    total: int | None = None
    cursor: str | None = None
    next_cursor: str | None = None
    has_more: bool | None = None


class Envelope(msgspec.Struct, Generic[T]):
    success: bool = True
    data: T | None = None
    meta: Meta | None = None
    error: ErrorBody | None = None


class Message(msgspec.Struct):
    message: str


def ok(data: T, meta: Meta | None = None) -> Envelope[T]:
    return Envelope(success=True, data=data, meta=meta)


def failure(code: str, message: str, details: list[ErrorDetail] | None = None) -> dict[str, Any]:
    body = ErrorBody(code=code, message=message, details=details)
    return {"success": False, "data": None, "error": msgspec.to_builtins(body)}


class ErrorEnvelope(msgspec.Struct):
    """The body of every error response (documented in the OpenAPI schema)."""

    success: bool
    data: None
    error: ErrorBody


def ok_response(data: Any, meta: Meta | None = None) -> ASGIResponse:
    """``ok(data, meta)`` encoded here and handed to the server as it is: the hot cached reads
    skip Litestar's per-request ``Response`` (``msgspec.Raw`` data, cached JSON, goes in
    verbatim; the bytes are those Litestar's msgspec encoder writes). Such handlers are
    annotated ``ASGIResponse`` and name their 200 body with ``ok_spec``."""
    return ASGIResponse(body=_ENCODER.encode(ok(data, meta)))


def encoded_response(envelope: bytes) -> ASGIResponse:
    """A whole envelope encoded earlier (``msgspec.json.encode(ok(...))``), answered as it is."""
    return ASGIResponse(body=envelope)


def ok_spec(data_container: Any, description: str) -> dict[int, Any]:
    """The OpenAPI 200 response of a handler answering ``ok_response``."""
    from litestar.openapi import ResponseSpec

    spec = ResponseSpec(
        data_container=data_container, description=description, generate_examples=False
    )
    return {200: spec}


def error_responses(*codes: int) -> dict[int, Any]:
    """OpenAPI response specs for the error statuses a handler may answer."""
    from litestar.openapi import ResponseSpec

    spec = ResponseSpec(data_container=ErrorEnvelope, description="Error", generate_examples=False)
    return dict.fromkeys(codes, spec)
