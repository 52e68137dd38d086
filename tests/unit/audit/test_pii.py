from __future__ import annotations

import time
import uuid

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from infra import pii


class FakeKeys(pii.SubjectKeys):
    """The key store's cache and sealing logic without a database."""

    def __init__(self) -> None:
        super().__init__("unused", ttl_s=60)
        self.rows: dict[uuid.UUID, bytes | None] = {}

    def key_for_writing(self, subject: uuid.UUID) -> bytes | None:
        return self.rows.setdefault(subject, AESGCM.generate_key(256))

    def key_for_reading(self, subject: uuid.UUID) -> bytes | None:
        return self.rows.get(subject)


def test_seals_only_personal_fields_of_user_events():
    keys, subject = FakeKeys(), uuid.uuid4()
    state = {"email": "a@example.com", "display_name": "Ann", "role": "learner"}
    sealed = pii.seal_state(keys, subject, "domain.accounts:User.Registered", state)
    assert sealed["email"].startswith(pii.PREFIX) and sealed["display_name"].startswith(pii.PREFIX)
    assert sealed["role"] == "learner"
    assert state["email"] == "a@example.com"
    other = pii.seal_state(keys, subject, "domain.content:Problem.Created", state)
    assert other is state


def test_unseal_opens_with_the_key_and_reads_erased_without_it():
    keys, subject = FakeKeys(), uuid.uuid4()
    sealed = pii.seal_state(keys, subject, "domain.accounts:User.ProfileUpdated", {"bio": "hi"})
    opened = pii.unseal_state(keys, {**sealed, "originator_id": subject})
    assert opened["bio"] == "hi"
    keys.rows[subject] = None
    assert pii.unseal_state(keys, {**sealed, "originator_id": subject})["bio"] == pii.ERASED


def test_sealed_value_is_bound_to_its_subject_and_field():
    key, subject = AESGCM.generate_key(256), uuid.uuid4()
    sealed = pii.seal_value(key, subject, "email", "a@example.com")
    assert pii.open_value(key, subject, "email", sealed) == "a@example.com"
    assert pii.open_value(key, uuid.uuid4(), "email", sealed) == pii.ERASED
    assert pii.open_value(key, subject, "bio", sealed) == pii.ERASED


def test_erased_subject_gets_placeholders_not_a_new_key():
    keys, subject = FakeKeys(), uuid.uuid4()
    keys.rows[subject] = None
    sealed = pii.seal_state(keys, subject, "domain.accounts:User.ProfileUpdated", {"bio": "x"})
    assert sealed["bio"] == pii.ERASED


def test_lru_evicts_oldest_and_expires_entries():
    cache = pii._Lru(size=2, ttl_s=0.05)
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    cache.put(a, b"a")
    cache.put(b, b"b")
    assert cache.get(a) == b"a"
    cache.put(c, b"c")
    assert cache.get(b) is pii._MISSING
    assert cache.get(a) == b"a"
    time.sleep(0.06)
    assert cache.get(a) is pii._MISSING


@pytest.mark.parametrize("value", [None, "", "plain", 3])
def test_non_sealed_values_are_left_alone(value):
    state = {"originator_id": uuid.uuid4(), "email": value}
    assert pii.unseal_state(FakeKeys(), state) is state
