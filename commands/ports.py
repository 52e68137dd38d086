"""What command services need but do not own: hashing, a clock, sealing secrets."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password: str, hashed: str) -> bool: ...


class Clock(Protocol):
    def now(self) -> datetime: ...


class SecretBox(Protocol):
    """Authenticated encryption of small secrets (hidden tests, mailed tokens)."""

    def seal(self, plaintext: str, context: str = "") -> str: ...

    def open(self, sealed: str, context: str = "") -> str: ...
