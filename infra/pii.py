"""Personal data in events: per-user AES-GCM keys kept outside the log, in table subject_keys.

Only the fields ``email``, ``display_name`` and ``bio`` of ``domain.accounts:User.*`` events
are personal (the event contract). The mapper seals them with the key of the event's
originator (the user) before the event is stored, as ``pii:v1:<base64(nonce|ciphertext)>``
with ``<subject id>:<field>`` bound as AAD. Erasure destroys the key (the row stays as a
tombstone, so no new key is ever made for an erased user): every sealed value of that user
then reads as ``"<erased>"``, in the aggregate, the projections and the exports alike.

Keys are cached per process (an LRU whose entries live ``ttl_s`` seconds), so the accounts
write and read paths cost no query per event. The process that erases evicts at once; another
process may keep a destroyed key for at most ``ttl_s`` seconds (30 by default). Exports read
keys with ``fetch_many`` (no cache), so an export never shows an erased value.
"""

from __future__ import annotations

import base64
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any
from uuid import UUID

import psycopg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "pii:v1:"
ERASED = "<erased>"
PERSONAL_FIELDS = ("email", "display_name", "bio")
PERSONAL_TOPIC_PREFIX = "domain.accounts:User."

DDL = (
    "CREATE TABLE IF NOT EXISTS subject_keys ("
    " subject_id uuid PRIMARY KEY,"
    " key bytea,"
    " created_at timestamptz NOT NULL DEFAULT now(),"
    " erased_at timestamptz)"
)
_MISSING = object()


def is_personal_topic(topic: str) -> bool:
    return topic.startswith(PERSONAL_TOPIC_PREFIX)


def _aad(subject: UUID, field: str) -> bytes:
    return f"{subject}:{field}".encode()


def seal_value(key: bytes, subject: UUID, field: str, plaintext: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), _aad(subject, field))
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def open_value(key: bytes | None, subject: UUID, field: str, sealed: str) -> str:
    """The plaintext, or ``"<erased>"`` when the key is gone (or does not fit)."""
    if key is None:
        return ERASED
    raw = base64.urlsafe_b64decode(sealed[len(PREFIX) :])
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], _aad(subject, field)).decode()
    except InvalidTag:
        return ERASED


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def sealed_subject(state: dict[str, Any]) -> bool:
    """True when any personal field of this (decoded) state holds a sealed value."""
    return any(is_sealed(state.get(name)) for name in PERSONAL_FIELDS)


class _Lru:
    """A small thread-safe LRU whose entries expire after ``ttl_s`` seconds."""

    def __init__(self, size: int, ttl_s: float) -> None:
        self.size, self.ttl_s = size, ttl_s
        self._items: OrderedDict[UUID, tuple[float, bytes | None]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, subject: UUID) -> Any:
        with self._lock:
            item = self._items.get(subject)
            if item is None or item[0] < time.monotonic():
                return _MISSING
            self._items.move_to_end(subject)
            return item[1]

    def put(self, subject: UUID, key: bytes | None) -> None:
        with self._lock:
            self._items[subject] = (time.monotonic() + self.ttl_s, key)
            self._items.move_to_end(subject)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def evict(self, subject: UUID) -> None:
        with self._lock:
            self._items.pop(subject, None)


class SubjectKeys:
    """The key store: one lazily opened autocommit connection of its own, and the LRU."""

    def __init__(self, conninfo: str, *, cache_size: int = 10_000, ttl_s: float = 30.0) -> None:
        self.conninfo = conninfo
        self.cache = _Lru(cache_size, ttl_s)
        self._conn: psycopg.Connection[Any] | None = None
        self._lock = threading.Lock()

    def _execute(self, query: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            for attempt in (1, 2):
                try:
                    if self._conn is None or self._conn.closed:
                        self._conn = psycopg.connect(self.conninfo, autocommit=True)
                    cursor = self._conn.execute(query, params)  # type: ignore[arg-type]
                    return cursor.fetchall() if cursor.description else []
                except psycopg.OperationalError:
                    self._conn = None
                    if attempt == 2:
                        raise
        return []

    def create_table(self) -> None:
        from infra.eventstore import SCHEMA_LOCK

        with psycopg.connect(self.conninfo) as conn, conn.transaction():
            conn.execute(SCHEMA_LOCK)
            conn.execute(DDL)

    def key_for_writing(self, subject: UUID) -> bytes | None:
        """The subject's key, made on first use; None once the subject is erased."""
        cached = self.cache.get(subject)
        if cached is not _MISSING:
            return cached  # type: ignore[no-any-return]
        self._execute(
            "INSERT INTO subject_keys (subject_id, key) VALUES (%s, %s)"
            " ON CONFLICT (subject_id) DO NOTHING",
            (subject, AESGCM.generate_key(256)),
        )
        return self.key_for_reading(subject)

    def key_for_reading(self, subject: UUID) -> bytes | None:
        cached = self.cache.get(subject)
        if cached is not _MISSING:
            return cached  # type: ignore[no-any-return]
        rows = self._execute("SELECT key FROM subject_keys WHERE subject_id = %s", (subject,))
        key = bytes(rows[0][0]) if rows and rows[0][0] is not None else None
        self.cache.put(subject, key)
        return key

    def fetch_many(self, subjects: Iterable[UUID]) -> dict[UUID, bytes | None]:
        """Fresh keys (no cache) of these subjects; a missing or destroyed key maps to None."""
        wanted = list(set(subjects))
        if not wanted:
            return {}
        rows = self._execute(
            "SELECT subject_id, key FROM subject_keys WHERE subject_id = ANY(%s)", (wanted,)
        )
        found = {UUID(str(r[0])): (bytes(r[1]) if r[1] is not None else None) for r in rows}
        return {s: found.get(s) for s in wanted}

    def destroy(self, subject: UUID) -> None:
        """Shred the subject's key for good (idempotent); the row stays as a tombstone."""
        self._execute(
            "INSERT INTO subject_keys (subject_id, key, erased_at) VALUES (%s, NULL, now())"
            " ON CONFLICT (subject_id) DO UPDATE SET key = NULL,"
            " erased_at = COALESCE(subject_keys.erased_at, now())",
            (subject,),
        )
        self.cache.put(subject, None)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def seal_state(
    keys: SubjectKeys | None, subject: UUID, topic: str, state: dict[str, Any]
) -> dict[str, Any]:
    """A copy of ``state`` with its personal fields sealed under the subject's key."""
    if keys is None or not is_personal_topic(topic):
        return state
    present = [n for n in PERSONAL_FIELDS if isinstance(state.get(n), str)]
    if not present:
        return state
    key = keys.key_for_writing(subject)
    sealed = dict(state)
    for name in present:
        sealed[name] = ERASED if key is None else seal_value(key, subject, name, state[name])
    return sealed


def unseal_state(keys: SubjectKeys | None, state: dict[str, Any]) -> dict[str, Any]:
    """``state`` with sealed personal fields opened (or ``"<erased>"``); unchanged otherwise."""
    if not sealed_subject(state):
        return state
    subject = state["originator_id"]
    key = keys.key_for_reading(subject) if keys is not None else None
    opened = dict(state)
    for name in PERSONAL_FIELDS:
        if is_sealed(state.get(name)):
            opened[name] = open_value(key, subject, name, state[name])
    return opened


def attach(app: Any, keys: SubjectKeys) -> None:
    """Give the app's mapper this key store (one per Application, so per database)."""
    app.mapper.subject_keys = keys


def keys_of(mapper: Any) -> SubjectKeys | None:
    """The key store attached to this mapper, if any (none on the in-memory store)."""
    keys = getattr(mapper, "subject_keys", None)
    return keys if isinstance(keys, SubjectKeys) else None
