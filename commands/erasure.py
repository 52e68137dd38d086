"""Erasure (GDPR): shred a user's personal-data key, then record ``User.Erased``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from commands.app import CodeQuest
from commands.errors import NotFoundError
from domain.accounts import User


class KeyShredder(Protocol):
    """Destroys the key that seals a subject's personal fields (``infra.pii.SubjectKeys``)."""

    def destroy(self, subject: UUID) -> None: ...


class AccountEraser(Protocol):
    def erase(self, user_id: UUID) -> int: ...


@dataclass(frozen=True)
class Erased:
    user_id: UUID
    position: int


class Erasure:
    """Crypto-shredding: once the key is gone no personal field of the user reads back."""

    def __init__(self, app: CodeQuest, accounts: AccountEraser, keys: KeyShredder) -> None:
        self.app, self.accounts, self.keys = app, accounts, keys

    def erase(self, user_id: UUID) -> Erased:
        """Destroy the key first (the log is shredded even if the rest fails), then append
        ``User.Erased`` so the projectors scrub their views; calling it again is harmless.

        Raises:
            NotFoundError: no user has this id.
        """
        if not isinstance(self.app.find(user_id), User):
            raise NotFoundError("user not found")
        self.keys.destroy(user_id)
        position = self.accounts.erase(user_id)
        return Erased(user_id=user_id, position=position or self.app.head())
