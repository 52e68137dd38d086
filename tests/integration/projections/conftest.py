from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import redis
from psycopg.rows import dict_row

from commands.app import CodeQuest
from infra.eventstore import build_event_log
from projections.runtime import (
    ProjectionView,
    Projector,
    Runner,
    Services,
    Wakeup,
    datastore_of,
    make_view,
)
from tests.conftest import make_database
from tests.integration.projections.history import History


class Fresh:
    """An empty event log in its own database, plus helpers to run projectors over it."""

    def __init__(self, url: str, redis_client: redis.Redis) -> None:
        self.url = url
        self.app: CodeQuest = build_event_log(url, pool_size=2)
        self.redis = redis_client
        self.history = History(self.app)

    def services(self) -> Services:
        return Services(redis=self.redis)

    def view(self, cls: type[Projector]) -> ProjectionView:
        return make_view(datastore_of(self.app), cls)

    def catch_up(self, projector: Projector) -> ProjectionView:
        view = self.view(type(projector))
        runner = Runner(self.app, view, projector, Wakeup(None))
        while runner.step():
            pass
        return view

    def rows(self, sql: str, *params: Any) -> list[dict[str, Any]]:
        with psycopg.connect(self.url, row_factory=dict_row) as conn:
            return list(conn.execute(sql, params).fetchall())

    def close(self) -> None:
        self.app.close()


@pytest.fixture(scope="session")
def own_redis(redis_url: str) -> Iterator[redis.Redis]:
    """A second Redis DB index: rebuilds rewrite every ``leaderboard:*`` key of their DB."""
    from tests.conftest import REDIS_SERVER

    admin = redis.Redis.from_url(f"{REDIS_SERVER}/0")
    token = uuid.uuid4().hex
    for index in list(range(1, 16)) * 20:
        if admin.set(f"codequest:test-db-claim:{index}", token, nx=True, ex=3600):
            break
        time.sleep(0.01)
    else:
        raise RuntimeError("no free Redis DB index for the projection tests")
    client = redis.Redis.from_url(f"{REDIS_SERVER}/{index}")
    client.flushdb()
    yield client
    client.flushdb()
    if admin.get(f"codequest:test-db-claim:{index}") == token.encode():
        admin.delete(f"codequest:test-db-claim:{index}")


@pytest.fixture
def fresh(own_redis: redis.Redis) -> Iterator[Fresh]:
    own_redis.flushdb()
    env = Fresh(make_database(), own_redis)
    yield env
    env.close()
