"""Every exception mapped to the error envelope, in one table; validation reports all fields."""

from __future__ import annotations

import json
from typing import Annotated, Any, get_args, get_origin

import msgspec
import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    SerializationException,
    ValidationException,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.utils.scope.state import ScopeState

from api.envelope import ErrorDetail, failure
from commands.errors import (
    ApplicationError,
    ConflictError,
    ForbiddenError,
    GoneError,
    InvalidInputError,
    NotFoundError,
    PayloadTooLargeError,
    UnauthorizedError,
)
from domain.shared import DomainError

log = structlog.get_logger()

STATUS_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    410: "GONE",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    503: "SERVICE_UNAVAILABLE",
}

APPLICATION_ERRORS: dict[type[ApplicationError], int] = {
    NotFoundError: 404,
    ConflictError: 409,
    ForbiddenError: 403,
    UnauthorizedError: 401,
    InvalidInputError: 422,
    PayloadTooLargeError: 413,
    GoneError: 410,
}


class ApiError(HTTPException):
    """An HTTP error with a specific code (e.g. EMAIL_NOT_VERIFIED)."""

    def __init__(
        self, status_code: int, code: str, message: str, headers: dict[str, str] | None = None
    ):
        super().__init__(detail=message, status_code=status_code, headers=headers)
        self.code = code


def envelope_response(
    status: int,
    code: str,
    message: str,
    details: list[ErrorDetail] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    return Response(
        content=failure(code, message, details),
        status_code=status,
        media_type=MediaType.JSON,
        headers=headers,
    )


def _strip(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _field_errors(struct_type: type[msgspec.Struct], raw: Any) -> list[ErrorDetail]:
    """Validate each field on its own, so every bad field is reported, not only the first."""
    if not isinstance(raw, dict):
        return [ErrorDetail(field="body", message="Expected a JSON object")]
    info = msgspec.inspect.type_info(struct_type)
    if not isinstance(info, msgspec.inspect.StructType):
        return []
    details = []
    known = {f.encode_name for f in info.fields}
    for f in info.fields:
        if f.encode_name not in raw:
            if f.required:
                details.append(ErrorDetail(field=f.encode_name, message="Field required"))
            continue
        hint = msgspec.structs.fields(struct_type)
        ftype = next(x.type for x in hint if x.encode_name == f.encode_name)
        try:
            msgspec.convert(raw[f.encode_name], ftype, strict=True)
        except msgspec.ValidationError as exc:
            details.append(ErrorDetail(field=f.encode_name, message=str(exc).split(" - at ")[0]))
    if struct_type.__struct_config__.forbid_unknown_fields:
        for name in raw:
            if name not in known:
                details.append(ErrorDetail(field=name, message="Unknown field"))
    return details


def _body_type(request: Request[Any, Any, Any]) -> type[msgspec.Struct] | None:
    data_field = request.route_handler.parsed_data_field
    if data_field is None:
        return None
    annotation = _strip(data_field.annotation)
    return (
        annotation
        if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct)
        else None
    )


def _cached_body(request: Request[Any, Any, Any]) -> bytes:
    """The body Litestar already read (exception handlers are synchronous)."""
    body = ScopeState.from_scope(request.scope).body
    return body if isinstance(body, bytes) else b""


def _validation_details(
    request: Request[Any, Any, Any], exc: ValidationException
) -> list[ErrorDetail]:
    extra = exc.extra if isinstance(exc.extra, list) else []
    details = []
    body_failed = False
    for item in extra:
        if isinstance(item, dict) and item.get("source") == "body":
            body_failed = True
            continue
        key = item.get("key", "") if isinstance(item, dict) else ""
        message = item.get("message", str(item)) if isinstance(item, dict) else str(item)
        details.append(ErrorDetail(field=key or "request", message=message))
    struct_type = _body_type(request)
    if body_failed and struct_type is not None:
        try:
            raw = json.loads(_cached_body(request) or b"null")
        except ValueError:
            raw = None
        found = _field_errors(struct_type, raw)
        if not found:
            message = next(
                (
                    i.get("message", "")
                    for i in extra
                    if isinstance(i, dict) and i.get("source") == "body"
                ),
                "Invalid body",
            )
            key = next(
                (i.get("key") for i in extra if isinstance(i, dict) and i.get("key")), "body"
            )
            found = [ErrorDetail(field=key, message=message)]
        details.extend(found)
    return details


def validation_handler(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    if "JSON is malformed" in str(exc.detail) or "malformed" in str(exc.detail).lower():
        return envelope_response(400, "INVALID_JSON", "Request body is not valid JSON")
    details = _validation_details(request, exc)
    return envelope_response(422, "VALIDATION_ERROR", "Invalid input", details or None)


def http_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if status == 400 and (
        isinstance(exc.__cause__, SerializationException) or "JSON is malformed" in str(exc.detail)
    ):
        return envelope_response(400, "INVALID_JSON", "Request body is not valid JSON")
    code = getattr(exc, "code", None) or STATUS_CODES.get(status, "ERROR")
    message = str(exc.detail) if exc.detail else code.replace("_", " ").capitalize()
    if status >= 500:
        log.error("http_error", status=status, detail=message)
        message = "Internal server error" if status == 500 else message
    return envelope_response(status, code, message, headers=exc.headers)


def application_handler(request: Request[Any, Any, Any], exc: ApplicationError) -> Response[Any]:
    status = next((s for cls, s in APPLICATION_ERRORS.items() if isinstance(exc, cls)), 400)
    details = [ErrorDetail(field=exc.field, message=exc.message)] if exc.field else None
    return envelope_response(status, exc.code, exc.message, details)


def domain_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    return envelope_response(409, "CONFLICT", str(exc))


def unauthorized_handler(
    request: Request[Any, Any, Any], exc: NotAuthorizedException
) -> Response[Any]:
    return envelope_response(401, "UNAUTHORIZED", str(exc.detail) or "Authentication required")


def internal_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled_error", path=request.url.path, error_type=type(exc).__name__)
    return envelope_response(
        HTTP_500_INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "Internal server error"
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    ValidationException: validation_handler,
    NotAuthorizedException: unauthorized_handler,
    HTTPException: http_handler,
    ApplicationError: application_handler,
    DomainError: domain_handler,
    Exception: internal_handler,
}
