"""The event store: CODEQUEST_DATABASE_URL turned into eventsourcing's env, and our Mapper."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import InterfaceError, Mapper, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import get_topic, retry
from psycopg.conninfo import conninfo_to_dict

from commands.app import CodeQuest
from commands.context import current_cause
from infra import pii

META_KEY = "_meta"


class CodeQuestMapper(Mapper[UUID]):
    """Stamps every stored event with who caused it and the request or job it answered."""

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        state = dict(vars(domain_event))
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        if META_KEY not in state:
            cause = current_cause()
            state[META_KEY] = {"actor": cause.actor, "correlation_id": cause.correlation_id}
        topic = get_topic(type(domain_event))
        encoded = self.transcoder.encode(self.seal(originator_id, state, topic))
        if self.compressor:
            encoded = self.compressor.compress(encoded)
        if self.cipher:
            encoded = self.cipher.encrypt(encoded)
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=topic,
            state=encoded,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        event = super().to_domain_event(stored_event)
        state = vars(event)
        unsealed = self.unseal(state)
        if unsealed is not state:
            state.clear()
            state.update(unsealed)
        return event

    def seal(self, originator_id: Any, state: dict[str, Any], topic: str = "") -> dict[str, Any]:
        """Seal the personal fields of ``User`` events under the user's key (``infra.pii``)."""
        return pii.seal_state(pii.keys_of(self), originator_id, topic, state)

    def unseal(self, state: dict[str, Any]) -> dict[str, Any]:
        """Open sealed personal fields, or ``"<erased>"`` once the user's key is destroyed."""
        return pii.unseal_state(pii.keys_of(self), state)


PIPELINE_LIMIT = 128 * 1024
# Held while any process creates tables: concurrent CREATE TABLE IF NOT EXISTS of the same table
# (an API with two workers and `codequest project` starting at once) races on pg_type.
_SCHEMA_KEY = "hashtext('codequest_schema')"
SCHEMA_LOCK = f"SELECT pg_advisory_xact_lock({_SCHEMA_KEY})"


@contextmanager
def schema_lock(datastore: PostgresDatastore) -> Iterator[None]:
    """Hold the schema lock (session level) while eventsourcing creates types and tables in
    transactions of its own."""
    with datastore.get_connection() as conn:
        conn.execute(f"SELECT pg_advisory_lock({_SCHEMA_KEY})")
        try:
            yield
        finally:
            conn.execute(f"SELECT pg_advisory_unlock({_SCHEMA_KEY})")
            if not conn.autocommit:
                conn.commit()


class CodeQuestRecorder(PostgresApplicationRecorder):
    """eventsourcing's recorder, with large saves sent outside pipeline mode.

    A pipelined save bigger than the socket's send buffer deadlocks (client waiting for
    results, server waiting for the rest of the query): seen with ~1 MB of sealed test cases
    over the embedded server's unix socket. Small saves keep the one-round-trip pipeline.
    """

    def create_table(self) -> None:
        with schema_lock(self.datastore):
            super().create_table()

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if sum(len(e.state) for e in stored_events) <= PIPELINE_LIMIT:
            return super().insert_events(stored_events, **kwargs)
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._insert_events(curs, stored_events, **kwargs)
            if not stored_events:
                return None
            self._insert_stored_events(curs, stored_events, **kwargs)
            return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)


def event_meta(event: object) -> dict[str, str]:
    """The actor and correlation id recorded with a stored event."""
    meta = getattr(event, META_KEY, None)
    return dict(meta) if isinstance(meta, dict) else {"actor": "", "correlation_id": ""}


def eventstore_env(
    database_url: str | None, *, pool_size: int = 2, overflow: int = 8
) -> dict[str, str]:
    """eventsourcing settings for the one log: PostgreSQL from a URL, else in memory."""
    env = {"MAPPER_TOPIC": get_topic(CodeQuestMapper)}
    if database_url is None:
        env["PERSISTENCE_MODULE"] = "eventsourcing.popo"
        return env
    parts = conninfo_to_dict(database_url)
    env.update(
        {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": str(parts.get("dbname") or "codequest"),
            "POSTGRES_HOST": str(parts.get("host") or "127.0.0.1"),
            "POSTGRES_PORT": str(parts.get("port") or 5432),
            "POSTGRES_USER": str(parts.get("user") or "postgres"),
            "POSTGRES_PASSWORD": str(parts.get("password") or ""),
            "POSTGRES_LOCK_TIMEOUT": "5",
            "POSTGRES_CONNECT_TIMEOUT": "10",
            "POSTGRES_POOL_SIZE": str(pool_size),
            "POSTGRES_MAX_OVERFLOW": str(overflow),
            "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
            "POSTGRES_PRE_PING": "y",
            "APPLICATION_RECORDER_TOPIC": get_topic(CodeQuestRecorder),
            "CREATE_TABLE": "y",
        }
    )
    return env


def build_event_log(database_url: str | None, **pool: int) -> CodeQuest:
    """The process's one Application instance (and so its one pool)."""
    return CodeQuest(env=eventstore_env(database_url, **pool))
