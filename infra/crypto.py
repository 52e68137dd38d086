"""AES-GCM sealing under CODEQUEST_ENCRYPTION_KEY, bcrypt hashing, and the system clock."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from datetime import UTC, datetime

import bcrypt
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "enc:v1:"


class AesGcmBox:
    """Seals text as ``enc:v1:<base64(nonce|ciphertext)>``; the context is bound as AAD."""

    def __init__(self, key: str) -> None:
        self._aead = AESGCM(hashlib.sha256(key.encode()).digest())

    def seal(self, plaintext: str, context: str = "") -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), context.encode() or None)
        return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, sealed: str, context: str = "") -> str:
        if not sealed.startswith(PREFIX):
            raise ValueError("not a sealed value")
        raw = base64.urlsafe_b64decode(sealed[len(PREFIX) :])
        return self._aead.decrypt(raw[:12], raw[12:], context.encode() or None).decode()


class BcryptHasher:
    """bcrypt with cost >= 12; passwords are validated to at most 72 bytes before this."""

    def __init__(self, rounds: int = 12) -> None:
        self.rounds = rounds

    def hash(self, password: str) -> str:
        return bcrypt.hashpw(password.encode(), bcrypt.gensalt(self.rounds)).decode()

    def verify(self, password: str, hashed: str) -> bool:
        try:
            return bcrypt.checkpw(password.encode(), hashed.encode())
        except ValueError:
            return False


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def token_hash(token: str) -> str:
    """The stored form of a bearer secret (refresh, verification and reset tokens)."""
    return hashlib.sha256(token.encode()).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
