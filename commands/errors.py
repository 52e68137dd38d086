"""Application errors raised by command services; the API maps each to one HTTP status."""

from __future__ import annotations


class ApplicationError(Exception):
    """Base of every error a command may raise on purpose."""

    code = "BAD_REQUEST"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(ApplicationError):
    code = "NOT_FOUND"


class ConflictError(ApplicationError):
    code = "CONFLICT"


class ForbiddenError(ApplicationError):
    code = "FORBIDDEN"


class UnauthorizedError(ApplicationError):
    code = "UNAUTHORIZED"


class InvalidInputError(ApplicationError):
    code = "VALIDATION_ERROR"


class PayloadTooLargeError(ApplicationError):
    code = "PAYLOAD_TOO_LARGE"


class GoneError(ApplicationError):
    code = "GONE"
