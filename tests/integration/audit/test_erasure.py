from __future__ import annotations

import io
import json
import uuid
from typing import Any

import psycopg
from psycopg.sql import SQL, Identifier

from domain.accounts import User
from domain.achievements import AchievementAward
from infra import audit, pii
from tests.conftest import unique_email
from tests.integration.audit.test_api import PASSWORD, bearer

TEXT_TYPES = ("text", "character varying", "json", "jsonb")


def log_text(container: Any) -> str:
    with psycopg.connect(container.settings.database_url) as conn:
        rows = conn.execute("SELECT convert_from(state, 'UTF8') FROM codequest_events").fetchall()
    return "\n".join(r[0] for r in rows)


def export_text(container: Any) -> str:
    out = io.BytesIO()
    audit.export(container.settings.database_url, audit.EventFilter(), out,
                 keys=container.extra["subject_keys"], secrets=audit.Secrets())  # fmt: skip
    return out.getvalue().decode()


def views_holding(container: Any, needle: str) -> list[str]:
    """Every text column of every *_view table (any schema) that contains ``needle``."""
    found = []
    with psycopg.connect(container.settings.database_url, autocommit=True) as conn:
        columns = conn.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns"
            " WHERE table_name LIKE '%%\\_view' AND data_type = ANY(%s)",
            (list(TEXT_TYPES),),
        ).fetchall()
        assert columns, "no read model tables found"
        for schema, table, column in columns:
            query = SQL("SELECT count(*) FROM {}.{} WHERE {}::text LIKE %s").format(
                Identifier(schema), Identifier(table), Identifier(column)
            )
            if conn.execute(query, (f"%{needle}%",)).fetchone() != (0,):
                found.append(f"{schema}.{table}.{column}")
    return found


def test_erased_user_leaves_no_personal_field_anywhere_and_history_replays(
    client, container, background
):
    # step: a learner with personal data in the log and the views, and an XP-earning fact
    tag = uuid.uuid4().hex[:10]
    email, name, bio = unique_email(f"erase-{tag}"), f"Zora {tag}", f"I grew up in Vigo {tag}"
    user_id = container.accounts.create_user(email, PASSWORD, verified=True, display_name=name)
    login = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['data']['access_token']}"}
    assert client.patch("/v1/users/me", json={"bio": bio}, headers=headers).status_code == 200
    award = AchievementAward(
        user_id=user_id, code=f"streak-{uuid.uuid4().hex[:8]}", name="Streak", xp=25
    )
    position = container.log.commit(award)
    assert background.projections.wait(position, timeout=10)
    # step: sealed at rest, readable through the export and the views while the key exists
    for secret in (email, name, bio):
        assert secret not in log_text(container)
        assert secret in export_text(container)
    assert views_holding(container, tag)

    # step: the learner erases themself
    response = client.delete("/v1/users/me", headers=headers)
    assert response.status_code == 200, response.text
    assert background.projections.wait(response.json()["data"]["position"], timeout=10)

    # step: no personal field in the log, the exports (CLI and HTTP) or any read model
    history = client.get(
        f"/v1/audit/aggregates/{user_id}/history", headers=bearer(client, "auditor")
    ).text
    for secret in (email, name, bio, tag):
        assert secret not in log_text(container)
        assert secret not in export_text(container)
        assert secret not in history
    assert views_holding(container, tag) == []
    records = [json.loads(line) for line in export_text(container).splitlines()]
    mine = [r for r in records if r["aggregate_id"] == str(user_id)]
    assert mine[0]["payload"]["email"] == pii.ERASED
    assert mine[0]["payload"]["display_name"] == pii.ERASED

    # step: the history still replays: the user is shown as erased, the XP fact is intact
    user = container.log.load(user_id)
    assert isinstance(user, User) and user.erased and not user.is_active
    assert container.log.load(award.id).xp == 25
    fact = next(r for r in records if r["aggregate_id"] == str(award.id))
    assert fact["payload"]["user_id"] == str(user_id) and fact["payload"]["xp"] == 25
    assert client.get("/v1/users/me", headers=headers).status_code == 401


def test_erased_key_stays_destroyed_and_is_never_recreated(container):
    keys: pii.SubjectKeys = container.extra["subject_keys"]
    subject = uuid.uuid4()
    first = keys.key_for_writing(subject)
    assert first is not None and keys.key_for_writing(subject) == first
    keys.destroy(subject)
    assert keys.key_for_writing(subject) is None
    other = pii.SubjectKeys(container.settings.database_url)  # another process, cold cache
    assert other.key_for_writing(subject) is None
    assert other.fetch_many([subject]) == {subject: None}
    other.close()


def redis_holding(container: Any, needle: str) -> list[str]:
    """Every string-valued Redis key of the run whose value contains ``needle``."""
    found = []
    for key in container.redis.scan_iter(count=500):
        if container.redis.type(key) == b"string" and needle.encode() in (
            container.redis.get(key) or b""
        ):
            found.append(key.decode())
    return found


def test_erasure_drops_cached_dashboards_and_profiles_holding_the_name(
    client, container, background
):
    tag = uuid.uuid4().hex[:10]
    email, name = unique_email(f"erase-cache-{tag}"), f"Cached {tag}"
    user_id = container.accounts.create_user(email, PASSWORD, verified=True, display_name=name)
    login = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['data']['access_token']}"}
    # step: the profile and the dashboard are read, so Redis caches them with the name
    assert client.get(f"/v1/users/{user_id}/profile", headers=headers).status_code == 200
    assert client.get("/v1/users/me/dashboard", headers=headers).status_code == 200
    assert redis_holding(container, name), "the reads should have cached the display name"
    # step: erasure; once the projectors have followed, no cached copy holds the name
    assert client.delete("/v1/users/me", headers=headers).status_code in (200, 204)
    assert background.projections.wait(container.log.head(), timeout=20)
    assert redis_holding(container, name) == []
