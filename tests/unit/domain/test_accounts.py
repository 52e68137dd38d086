"""Given/when/then on the accounts aggregates and the password and e-mail rules."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.accounts import (
    AccountError,
    AccountInactiveError,
    EmailIndex,
    Presented,
    RefreshFamily,
    TokenExpiredError,
    TokenInvalidError,
    User,
    email_problem,
    normalize_email,
    password_problem,
)
from domain.shared import Role
from infra.crypto import BcryptHasher

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def registered() -> User:
    return User(
        id=uuid.uuid4(),
        email="ada@example.com",
        display_name="Ada",
        role="learner",
        password_hash="$2b$hash",
    )


def names(user: User | RefreshFamily) -> list[str]:
    return [type(e).__qualname__ for e in user.collect_events()]


def awaiting_verification() -> User:
    user = registered()
    user.request_verification("h1", "sealed", NOW + timedelta(hours=24))
    return user


def test_registration_records_the_contract_fields() -> None:
    user = registered()
    [event] = user.collect_events()
    assert type(event).__qualname__ == "User.Registered"
    assert (event.email, event.display_name, event.role, event.timezone) == (  # type: ignore[attr-defined]
        "ada@example.com",
        "Ada",
        "learner",
        "UTC",
    )
    assert not user.email_verified and user.is_active


def test_verification_with_the_right_token_verifies() -> None:
    user = awaiting_verification()
    user.verify_email("h1", NOW + timedelta(hours=1))
    assert user.email_verified
    assert names(user)[-1] == "User.EmailVerified"


def test_verification_tokens_are_single_use() -> None:
    user = awaiting_verification()
    user.verify_email("h1", NOW)
    with pytest.raises(TokenInvalidError):
        user.verify_email("h1", NOW)


def test_verification_refuses_a_wrong_or_expired_token() -> None:
    user = awaiting_verification()
    with pytest.raises(TokenInvalidError):
        user.verify_email("other", NOW)
    with pytest.raises(TokenExpiredError):
        user.verify_email("h1", NOW + timedelta(hours=24))
    assert not user.email_verified


def test_a_new_verification_request_replaces_the_old_token() -> None:
    user = awaiting_verification()
    user.request_verification("h2", "sealed2", NOW + timedelta(hours=24))
    with pytest.raises(TokenInvalidError):
        user.verify_email("h1", NOW)
    user.verify_email("h2", NOW)


def test_a_verified_user_cannot_ask_for_verification_again() -> None:
    user = awaiting_verification()
    user.verify_email("h1", NOW)
    with pytest.raises(AccountError):
        user.request_verification("h3", "s", NOW)


def test_password_reset_changes_the_hash_once_and_bumps_the_session_epoch() -> None:
    user = registered()
    user.request_password_reset("r1", "sealed", NOW + timedelta(hours=1))
    user.reset_password("r1", "$2b$new", NOW + timedelta(minutes=30))
    assert user.password_hash == "$2b$new" and user.session_epoch == 1
    assert names(user)[-1] == "User.PasswordChanged"
    with pytest.raises(TokenInvalidError):
        user.reset_password("r1", "$2b$newer", NOW)


def test_password_reset_tokens_expire_after_their_hour() -> None:
    user = registered()
    user.request_password_reset("r1", "sealed", NOW + timedelta(hours=1))
    with pytest.raises(TokenExpiredError):
        user.reset_password("r1", "$2b$new", NOW + timedelta(hours=1, seconds=1))
    assert user.password_hash == "$2b$hash"


def test_granting_the_same_role_records_nothing() -> None:
    user = registered()
    user.collect_events()
    admin = uuid.uuid4()
    user.grant_role(Role.LEARNER, admin)
    assert names(user) == []
    user.grant_role(Role.INSTRUCTOR, admin)
    [event] = user.collect_events()
    assert (event.role, event.granted_by) == ("instructor", admin)  # type: ignore[attr-defined]


def test_profile_update_carries_all_three_fields() -> None:
    user = registered()
    user.update_profile("Grace", "Compilers", "Europe/Paris")
    event = user.collect_events()[-1]
    assert (event.display_name, event.bio, event.timezone) == (  # type: ignore[attr-defined]
        "Grace",
        "Compilers",
        "Europe/Paris",
    )


def test_a_deactivated_user_can_do_nothing_more() -> None:
    user = registered()
    user.deactivate()
    user.deactivate()
    assert names(user).count("User.Deactivated") == 1
    with pytest.raises(AccountInactiveError):
        user.check_can_sign_in()
    with pytest.raises(AccountInactiveError):
        user.update_profile("X", "", "UTC")
    with pytest.raises(AccountInactiveError):
        user.request_password_reset("r", "s", NOW)


def test_erasure_forgets_personal_data() -> None:
    user = registered()
    user.erase()
    assert (user.email, user.display_name, user.bio, user.is_active) == ("", "", "", False)
    assert names(user)[-1] == "User.Erased"


def test_the_email_index_id_is_the_uuid5_of_the_normalised_email() -> None:
    assert EmailIndex.id_for(" Ada@Example.COM ") == EmailIndex.id_for("ada@example.com")
    assert EmailIndex.id_for("ada@example.com") != EmailIndex.id_for("bob@example.com")
    user_id = uuid.uuid4()
    index = EmailIndex(id=EmailIndex.id_for("ada@example.com"), user_id=user_id)
    [event] = index.collect_events()
    assert set(vars(event)) - {"originator_id", "originator_version", "timestamp"} == {
        "originator_topic",
        "user_id",
    }


def family() -> RefreshFamily:
    return RefreshFamily(
        id=uuid.uuid4(),
        user_id=uuid.uuid4(),
        token_hash="t1",
        expires_at=NOW + timedelta(days=30),
        epoch=0,
        issued_at=NOW,
    )


def test_refresh_rotation_makes_the_old_token_a_reuse() -> None:
    f = family()
    f.rotate("t1", "t2", NOW, NOW + timedelta(days=30))
    assert f.classify("t2", NOW) is Presented.CURRENT
    assert f.classify("t1", NOW) is Presented.REUSED
    assert f.classify("nope", NOW) is Presented.UNKNOWN
    with pytest.raises(TokenInvalidError):
        f.rotate("t1", "t3", NOW, NOW)


def test_a_revoked_family_refuses_even_its_newest_token() -> None:
    f = family()
    f.rotate("t1", "t2", NOW, NOW + timedelta(days=30))
    f.revoke("reuse")
    f.revoke("reuse")
    assert f.classify("t2", NOW) is Presented.REVOKED
    assert names(f) == ["RefreshFamily.Issued", "RefreshFamily.Rotated", "RefreshFamily.Revoked"]


def test_refresh_tokens_expire() -> None:
    assert family().classify("t1", NOW + timedelta(days=30)) is Presented.EXPIRED


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Secure-pass-123", True),
        ("abcdefgH", True),
        ("abcdefg", False),
        ("abcdefgh", False),
        ("ABCDEFGH", False),
        ("12345678", False),
        ("!!!!!!!!", False),
        ("a1" * 36, True),
        ("a1" * 36 + "x", False),
        ("é1" * 24, True),
        ("é1" * 25, False),
    ],
)
def test_password_policy(password: str, ok: bool) -> None:
    assert (password_problem(password) is None) is ok


@pytest.mark.parametrize(
    ("raw", "ok"),
    [("  Ada@Example.com ", True), ("ada@", False), ("ada example.com", False), ("a@b", False)],
)
def test_email_rules(raw: str, ok: bool) -> None:
    assert (email_problem(normalize_email(raw)) is None) is ok


def test_production_bcrypt_cost_is_12() -> None:
    assert BcryptHasher().rounds == 12
