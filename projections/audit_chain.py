"""The hash chain over the event log: ``link_n = sha256(link_{n-1} || canonical(row n))``.

``canonical`` covers the position, originator id and version, the topic and the sha256 of
the raw ``state`` bytes, so any change to a stored row changes its link. Positions have gaps:
the chain links each stored row to the previous *stored* row, whatever their numbers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import Cursor
from psycopg.rows import DictRow, tuple_row

from projections.runtime import Batch, Projector

GENESIS = bytes(32)
LOG_SQL = (
    "SELECT notification_id, originator_id::text, originator_version, topic, state"
    " FROM public.codequest_events ORDER BY notification_id"
)
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
        cursor.execute(
            "INSERT INTO audit_chain_view (position, link)"
            " SELECT * FROM unnest(%s::bigint[], %s::bytea[]) ON CONFLICT (position) DO NOTHING",
            ([p for p, _ in links], [h for _, h in links]),
        )


# --- verifying: the chain recomputed from the log, in one snapshot ---------------------------


@dataclass
class Verdict:
    """What ``audit verify`` found: OK with the head, or the first position that differs."""

    ok: bool
    count: int
    head_position: int
    head_hash: str
    bad_position: int | None = None
    reason: str = ""
    unchained: int = 0


def _chain_tracked(cursor: psycopg.Cursor[Any]) -> int:
    cursor.execute("SELECT to_regclass('audit_chain_tracking') IS NOT NULL")
    row = cursor.fetchone()
    if not row or not row[0]:
        return 0
    cursor.execute("SELECT COALESCE(MAX(notification_id), 0) FROM audit_chain_tracking")
    row = cursor.fetchone()
    return int(row[0]) if row else 0


def _head(cursor: psycopg.Cursor[Any]) -> int:
    cursor.execute("SELECT COALESCE(MAX(notification_id), 0) FROM public.codequest_events")
    row = cursor.fetchone()
    return int(row[0]) if row else 0


def _named(conn: psycopg.Connection[Any], name: str, query: str) -> Iterator[tuple[Any, ...]]:
    with conn.cursor(name=name, row_factory=tuple_row, binary=True) as cursor:
        cursor.itersize = 5000
        cursor.execute(query)
        yield from cursor


def _chain_query(conn: psycopg.Connection[Any]) -> str:
    row = conn.execute("SELECT to_regclass('audit_chain_view') IS NOT NULL").fetchone()
    if row and row[0]:
        return "SELECT position, link FROM audit_chain_view ORDER BY position"
    return "SELECT NULL::bigint, NULL::bytea WHERE false"


def verify(conninfo: str, progress: Callable[[int, int], None] | None = None) -> Verdict:
    """Recompute every link from the log and compare it with the chain, in one snapshot."""
    with psycopg.connect(conninfo) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction():
            with conn.cursor() as cursor:
                tracked, head = _chain_tracked(cursor), _head(cursor)
            log_rows = _named(conn, "audit_log", LOG_SQL)
            chain = _named(conn, "audit_chain", _chain_query(conn))
            return _merge(log_rows, chain, tracked, head, progress)


def _merge(
    log_rows: Iterator[tuple[Any, ...]],
    chain: Iterator[tuple[Any, ...]],
    tracked: int,
    head: int,
    progress: Callable[[int, int], None] | None,
) -> Verdict:
    previous, count, unchained, position = GENESIS, 0, 0, 0
    row, linked = next(log_rows, None), next(chain, None)
    while row is not None or linked is not None:
        if linked is not None and (row is None or linked[0] < row[0]):
            return _broken(count, linked[0], "is in the chain but missing from the log (deleted)")
        assert row is not None
        position = row[0]
        computed = link(previous, *row)
        if linked is not None and linked[0] == position:
            if bytes(linked[1]) != computed:
                return _broken(count, position, "differs from the row the chain recorded")
            linked = next(chain, None)
        elif position <= tracked:
            return _broken(count, position, "is in the log but not in the chain (inserted)")
        else:
            unchained += 1
        previous, count = computed, count + 1
        if progress is not None and count % 10_000 == 0:
            progress(position, head)
        row = next(log_rows, None)
    return Verdict(True, count, position, previous.hex(), unchained=unchained)


def _broken(count: int, position: int, reason: str) -> Verdict:
    return Verdict(False, count, position, "", bad_position=position, reason=reason)


def chain_head(conninfo: str) -> tuple[int, str]:
    """The chain's newest position and link (0 and the genesis link when empty)."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        query = _chain_query(conn).replace("ORDER BY position", "ORDER BY position DESC LIMIT 1")
        row = conn.execute(query).fetchone()
    return (int(row[0]), bytes(row[1]).hex()) if row else (0, GENESIS.hex())
