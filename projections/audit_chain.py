"""The hash chain over the event log: ``link_n = sha256(link_{n-1} || canonical(row n))``.

``canonical`` covers the position, originator id and version, the topic and the sha256 of
the raw ``state`` bytes, so any change to a stored row changes its link. Positions have gaps:
the chain links each stored row to the previous *stored* row, whatever their numbers.
"""

from __future__ import annotations

import hashlib
from typing import Any

from psycopg import Cursor
from psycopg.rows import DictRow

from projections.runtime import Batch, Projector

GENESIS = bytes(32)
ROWS_SQL = (
    "SELECT notification_id, originator_id, originator_version, topic, state"
    " FROM public.codequest_events WHERE notification_id = ANY(%s) ORDER BY notification_id"
)


def canonical(position: int, originator_id: Any, version: int, topic: str, state: bytes) -> bytes:
    digest = hashlib.sha256(bytes(state)).hexdigest()
    return f"{position}\x1f{originator_id}\x1f{version}\x1f{topic}\x1f{digest}".encode()


def link(
    previous: bytes, position: int, originator_id: Any, version: int, topic: str, state: bytes
) -> bytes:
    """The chain link of one stored row, given the link before it."""
    return hashlib.sha256(
        previous + canonical(position, originator_id, version, topic, state)
    ).digest()


def last_link(cursor: Cursor[DictRow]) -> bytes:
    cursor.execute("SELECT link FROM audit_chain_view ORDER BY position DESC LIMIT 1")
    row = cursor.fetchone()
    return bytes(row["link"]) if row else GENESIS


class AuditChainProjector(Projector):
    """Links every stored event, in order, to the one before it (tamper evidence)."""

    name = "audit_chain"
    tables = ("audit_chain_view",)
    ddl = (
        "CREATE TABLE IF NOT EXISTS audit_chain_view ("
        " position bigint PRIMARY KEY, link bytea NOT NULL)",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: list[int] = []

    def apply(self, event: object, batch: Batch) -> None:  # type: ignore[override]
        self._pending.append(batch.position)

    def finish(self, batch: Batch) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        cursor = batch.cursor
        previous = last_link(cursor)
        cursor.execute(ROWS_SQL, (pending,))
        links = []
        for row in cursor.fetchall():
            previous = link(
                previous,
                row["notification_id"],
                row["originator_id"],
                row["originator_version"],
                row["topic"],
                row["state"],
            )
            links.append((row["notification_id"], previous))
        cursor.executemany(
            "INSERT INTO audit_chain_view (position, link) VALUES (%s, %s)"
            " ON CONFLICT (position) DO NOTHING",
            links,
        )
