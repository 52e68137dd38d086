"""Analysts and auditors: the append-only guard, streaming NDJSON export, chain verify and head.

``install(container)`` (called by ``build_container``) installs the append-only triggers,
creates ``subject_keys`` and gives the mapper its key store, and puts an ``AuditLog`` in
``container.extra["audit"]`` for the API. The API pages through the log by position (a keyset
``WHERE notification_id > after ORDER BY notification_id LIMIT n``, the query of
``recorder.select_notifications`` plus the filters). ``events export`` streams it in one COPY
of pages of NDJSON lines that PostgreSQL frames from the stored JSON (``sql/export_page.sql``).
Both hold one page at a time, so memory stays flat for any size of log.
"""

from __future__ import annotations

import binascii
import contextlib
import functools
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from importlib import resources
from typing import IO, Any
from uuid import UUID

import msgspec
import psycopg
import structlog
from psycopg.rows import tuple_row

from infra import pii
from infra.crypto import PREFIX as SECRET_PREFIX
from projections.audit_chain import chain_head, verify

log = structlog.get_logger()
PAGE = 2000
TABLE = "codequest_events"
TRIGGERS = ("codequest_events_append_only", "codequest_events_no_truncate")
ENCRYPTED = "<encrypted>"
REDACTED = "<redacted>"
CREDENTIALS = ("password_hash",)  # never leaves the system, not even to auditors
TS_EXPR = "(convert_from(state, 'UTF8')::jsonb #>> '{timestamp,_data_}')::timestamptz"
COLUMNS = "notification_id, originator_id::text, originator_version, topic, state"
Row = tuple[int, str, int, str, bytes]  # the id as text: no UUID objects on the hot path
_decode = msgspec.json.Decoder()
_encode = msgspec.json.Encoder()


# --- install -----------------------------------------------------------------------------------


def sql_text(name: str) -> str:
    return resources.files("infra.sql").joinpath(name).read_text()


def _guarded(cursor: psycopg.Cursor[Any]) -> bool:
    cursor.execute(
        "SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND tgname = ANY(%s)",
        (f"public.{TABLE}", list(TRIGGERS)),
    )
    row = cursor.fetchone()
    return bool(row and row[0] == len(TRIGGERS))


def install_guards(conninfo: str) -> None:
    """Install the append-only triggers once (idempotent, safe with concurrent starts)."""
    with psycopg.connect(conninfo) as conn, conn.transaction(), conn.cursor() as cursor:
        if _guarded(cursor):
            return
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('codequest_append_only'))")
        if _guarded(cursor):
            return
        try:
            cursor.execute(sql_text("append_only.sql").encode())
        except psycopg.errors.InsufficientPrivilege as exc:
            raise RuntimeError(
                "codequest_events has no append-only trigger and this role may not add it: "
                "run infra/sql/append_only.sql as the table's owner"
            ) from exc
    log.info("append_only_guard_installed")


def install(container: Any) -> None:
    """Guards, the key store for personal fields and the audit reader for this container."""
    url = container.settings.database_url
    if url is None:
        return
    install_guards(url)
    keys = pii.SubjectKeys(url)
    keys.create_table()
    pii.attach(container.log, keys)
    container.extra["subject_keys"] = keys
    container.extra["audit"] = AuditLog(url, keys)


# --- reading the log ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFilter:
    """Which events to read: positions inclusive, times against each event's timestamp."""

    from_position: int | None = None
    to_position: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    types: tuple[str, ...] = ()
    aggregate: UUID | None = None


def conditions(flt: EventFilter) -> tuple[list[str], list[Any]]:
    """The filter as SQL conditions on the event table, with their parameters."""
    where: list[str] = []
    params: list[Any] = []
    if flt.to_position is not None:
        where.append("notification_id <= %s")
        params.append(flt.to_position)
    if flt.types:
        where.append("topic = ANY(%s)")
        params.append(list(flt.types))
    if flt.aggregate is not None:
        where.append("originator_id = %s")
        params.append(flt.aggregate)
    if flt.since is not None:
        where.append(f"{TS_EXPR} >= %s")
        params.append(flt.since)
    if flt.until is not None:
        where.append(f"{TS_EXPR} <= %s")
        params.append(flt.until)
    return where, params


def page_query(
    flt: EventFilter, after: int, limit: int, columns: str = COLUMNS
) -> tuple[str, list[Any]]:
    """One page of rows after position ``after`` (keyset pagination in global order)."""
    where, params = conditions(flt)
    where.insert(0, "notification_id > %s")
    params.insert(0, max(after, (flt.from_position or 1) - 1))
    # One aggregate: walk its primary key (its versions are in global order too).
    order = "originator_version" if flt.aggregate is not None else "notification_id"
    query = f"SELECT {columns} FROM {TABLE} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT %s"
    return query, [*params, limit]


def fetch_page(
    conn: psycopg.Connection[Any],
    flt: EventFilter,
    after: int,
    limit: int,
    columns: str = COLUMNS,
) -> list[Any]:
    query, params = page_query(flt, after, limit, columns)
    with conn.cursor(row_factory=tuple_row, binary=True) as cursor:
        cursor.execute(query.encode(), params)
        return cursor.fetchall()  # type: ignore[return-value]


def iter_pages(
    conn: psycopg.Connection[Any], flt: EventFilter, page: int = PAGE, columns: str = COLUMNS
) -> Iterator[list[Any]]:
    after = 0
    while True:
        rows = fetch_page(conn, flt, after, page, columns)
        if rows:
            yield rows
        if len(rows) < page:
            return
        after = rows[-1][0]


# --- turning rows into plain records -----------------------------------------------------------


class Secrets:
    """Opens ``enc:v1:`` values only for a caller that holds the key and asked to decrypt."""

    def __init__(self, box: Any | None = None) -> None:
        self.box = box

    def open(self, value: str, originator_id: str) -> str:
        if self.box is None:
            return ENCRYPTED
        for context in ("", originator_id):
            try:
                return str(self.box.open(value, context))
            except Exception:
                continue
        return ENCRYPTED


def dashed(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:]}"


def _typed(kind: Any, data: Any) -> Any:
    return dashed(data) if kind == "uuid_hex" else data


def plain(value: Any, secrets: Secrets, originator_id: str) -> Any:
    """Stored JSON as plain JSON: transcoded values unwrapped, sealed secrets hidden."""
    if isinstance(value, dict):
        if len(value) == 2 and "_type_" in value and "_data_" in value:
            return _typed(value["_type_"], value["_data_"])
        return {k: plain(v, secrets, originator_id) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v, secrets, originator_id) for v in value]
    if isinstance(value, str) and value.startswith(SECRET_PREFIX):
        return secrets.open(value, originator_id)
    return value


def to_record(
    row: Row,
    keys: dict[UUID, bytes | None],
    secrets: Secrets,
    decoder: msgspec.json.Decoder[Any] = _decode,
) -> dict[str, Any]:
    """One event as an export record (personal fields opened, or ``"<erased>"``).

    ``export`` writes the same records, as bytes, for most events (``page_lines``)."""
    position, originator_id, version, topic, state = row
    data = decoder.decode(state)
    meta = data.pop("_meta", None) or {}
    stamp = data.pop("timestamp", None)
    payload = plain(data, secrets, originator_id)
    for name in CREDENTIALS:
        if name in payload:
            payload[name] = REDACTED
    if pii.is_personal_topic(topic):
        for name in pii.PERSONAL_FIELDS:
            if pii.is_sealed(payload.get(name)):
                subject = UUID(originator_id)
                payload[name] = pii.open_value(keys.get(subject), subject, name, payload[name])
    return {
        "position": position,
        "aggregate_id": originator_id,
        "version": version,
        "type": topic,
        "timestamp": plain(stamp, secrets, originator_id),
        "payload": payload,
        "actor": meta.get("actor", ""),
        "correlation_id": meta.get("correlation_id", ""),
    }


# The bulk path: PostgreSQL frames each page's lines from the stored bytes (sql/export_page.sql)
# and streams the pages, one value each, in one COPY; Python unwraps the transcoded values left
# in the payloads with a few C-level passes over a page, then renders through ``to_record`` the
# rows PostgreSQL sent whole and the lines where a pass finds a marker: a sealed secret, a
# credential, or a transcoded value it does not unwrap. Inside a JSON string every quote is
# escaped, so the markers and the wrappers can only match the encoder's structure.
EXPORT_COLUMNS = "notification_id, originator_id, originator_version, topic, state"
_UUID = re.compile(
    rb'\{"_type_":"uuid_hex","_data_":"([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})'
    rb'([0-9a-f]{12})"\}'
)
_UUID_OPEN = b'{"_type_":"uuid_hex","_data_":"'
_SCALAR = re.compile(rb'\{"_type_":"(?:datetime_iso|decimal_str)","_data_":("[^"\\]*")\}')
_UUID_GLUE = (b'"', b"-", b"-", b"-", b"-", b'"')
_TYPED = b'"_type_"'  # a transcoded value still wrapped
_MARKERS = (SECRET_PREFIX.encode(), b'"password_hash"')  # a sealed secret, a credential
# A row sent whole starts with \x01, a byte that JSON text never holds raw (found by memchr).
_WHOLE = 1


def _number(literal: str) -> msgspec.Raw:
    return msgspec.Raw(literal.encode())


# Float literals kept as stored (``1e-06``, not ``0.000001``), as the bulk path copies them.
_decode_verbatim = msgspec.json.Decoder(float_hook=_number)


@functools.cache
def export_sql() -> str:
    text = sql_text("export_page.sql")
    if f"'{pii.PERSONAL_TOPIC_PREFIX}%'" not in text:
        raise RuntimeError("sql/export_page.sql does not name the personal topics")
    return text.replace("%", "%%")  # its LIKE patterns, in a query with parameters


def export_query(flt: EventFilter, first: int, last: int, page: int) -> tuple[str, list[Any]]:
    """A COPY of the pages ``first`` to ``last``, each as (last position, rows, NDJSON lines).

    Page ``k`` holds the rows whose key is in ``(k * page, k * page + page]``: the position,
    or for one aggregate its version (its primary key; versions are in global order too)."""
    key = "originator_version" if flt.aggregate is not None else "notification_id"
    where, params = conditions(flt)
    if flt.from_position is not None:
        where.insert(0, "notification_id >= %s")
        params.insert(0, flt.from_position)
    rows = (
        f"SELECT {EXPORT_COLUMNS} FROM {TABLE}"
        f" WHERE {key} > k.n * {page:d} AND {key} <= k.n * {page:d} + {page:d}"
        f"{''.join(' AND ' + w for w in where)} ORDER BY {key}"
    )
    lines = export_sql().replace("/* rows */", rows)
    query = (
        "COPY (SELECT page.last, page.rows, page.lines"
        " FROM generate_series(%s::bigint, %s::bigint) AS k(n), LATERAL (SELECT"
        " max(notification_id) AS last, count(*) AS rows, string_agg(line, ''::bytea) AS lines"
        f" FROM ({lines}) AS lines) AS page WHERE page.rows > 0) TO STDOUT (FORMAT binary)"
    )
    return query, [first, last, *params]


def _dash_uuids(blob: bytes) -> bytes:
    parts = _UUID.split(blob)
    if len(parts) == 1:
        return blob
    out: list[bytes] = [b""] * (len(parts) * 2 - 1)
    out[::2], out[1::2] = parts, list(_UUID_GLUE * ((len(parts) - 1) // 6))
    return b"".join(out)


def unwrap(blob: bytes) -> tuple[bytes, bool]:
    """Transcoded uuids, datetimes and decimals of framed lines as plain JSON strings, and
    whether any other wrapper may be left (none is when no wrapper is left after the uuids)."""
    if _UUID_OPEN in blob:
        blob = _dash_uuids(blob)
    if _TYPED not in blob:
        return blob, False
    return b"".join(_SCALAR.split(blob)), True


def _flagged(blob: bytes, typed: bool = True) -> list[int]:
    """Where the lines start that ``to_record`` renders: rows sent whole, lines with a marker
    (a wrapper left is one unless ``typed`` is false: ``unwrap`` found none)."""
    starts = set()
    found = blob.find(_WHOLE)
    while found >= 0:
        starts.add(blob.rfind(b"\n", 0, found) + 1)  # at a line's start, unless the row is bad
        found = blob.find(_WHOLE, found + 1)
    for marker in (*_MARKERS, _TYPED) if typed else _MARKERS:
        found = blob.find(marker)
        while found >= 0:
            starts.add(blob.rfind(b"\n", 0, found) + 1)
            found = blob.find(marker, blob.find(b"\n", found))
    return sorted(starts)


def _whole(line: bytes) -> Row:
    position, originator_id, version, state, topic = line[1:].split(b" ")
    return (int(position), originator_id.decode(), int(version),
            binascii.unhexlify(topic).decode(), binascii.unhexlify(state))  # fmt: skip


def _position(line: bytes) -> int:
    return int(line[12 : line.index(b",", 12)])  # b'{"position":' is 12 bytes


def page_lines(
    blob: bytes,
    fetch_rows: Callable[[list[int]], list[Row]],
    keys: pii.SubjectKeys | None,
    secrets: Secrets,
) -> bytes:
    """One page's NDJSON from the lines PostgreSQL framed (``export_query``)."""
    blob, typed = unwrap(blob)
    starts = _flagged(blob, typed)
    if not starts:
        return blob
    ends = [blob.index(b"\n", s) for s in starts]
    lines = [blob[s:e] for s, e in zip(starts, ends, strict=True)]
    again = [_position(line) for line in lines if line[0] != _WHOLE]
    fetched = {r[0]: r for r in fetch_rows(again)} if again else {}
    rows = [_whole(line) if line[0] == _WHOLE else fetched[_position(line)] for line in lines]
    found = page_keys(keys, rows)
    out: list[bytes] = []
    done = 0
    for start, end, row in zip(starts, ends, rows, strict=True):
        out += (blob[done:start], record_line(row, found, secrets))
        done = end + 1
    out.append(blob[done:])
    return b"".join(out)


def record_line(row: Row, keys: dict[UUID, bytes | None], secrets: Secrets) -> bytes:
    """One event as its NDJSON line through ``to_record`` (the path every row can take)."""
    return _encode.encode(to_record(row, keys, secrets, _decode_verbatim)) + b"\n"


def page_keys(keys: pii.SubjectKeys | None, rows: Sequence[Row]) -> dict[UUID, bytes | None]:
    """Fresh keys of the users whose sealed personal fields are on this page."""
    subjects = {UUID(r[1]) for r in rows if pii.is_personal_topic(r[3]) and b"pii:v1:" in r[4]}
    if not subjects:
        return {}
    return keys.fetch_many(subjects) if keys is not None else dict.fromkeys(subjects)


def records(
    rows: Sequence[Row], keys: pii.SubjectKeys | None, secrets: Secrets
) -> list[dict[str, Any]]:
    found = page_keys(keys, rows)
    return [to_record(r, found, secrets) for r in rows]


class AuditLog:
    """Pages of export records for the API (sync; call it from a worker thread)."""

    def __init__(self, conninfo: str, keys: pii.SubjectKeys | None) -> None:
        self.conninfo, self.keys = conninfo, keys

    def page(
        self, filters: dict[str, Any], after: int, limit: int
    ) -> tuple[list[dict[str, Any]], int | None]:
        """Up to ``limit`` records after ``after``, and the cursor of the next page (or None)."""
        flt = EventFilter(**filters)
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            keyset_session(conn)
            rows = fetch_page(conn, flt, after, limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        return records(rows, self.keys, Secrets()), (rows[-1][0] if more else None)

    def history(self, aggregate_id: UUID, limit: int = 10_000) -> list[dict[str, Any]]:
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            rows = fetch_page(conn, EventFilter(aggregate=aggregate_id), 0, limit)
        return records(rows, self.keys, Secrets())


# --- export (CLI) ------------------------------------------------------------------------------


def keyset_session(conn: psycopg.Connection[Any]) -> None:
    """Walk the position index in order: with stale statistics the planner would rather
    bitmap-scan and sort everything after the cursor on every page (quadratic)."""
    conn.execute("SET enable_bitmapscan = off; SET enable_sort = off")


def head_position(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute(f"SELECT COALESCE(MAX(notification_id), 0) FROM {TABLE}").fetchone()
    return int(row[0]) if row else 0


def export_pages(
    conn: psycopg.Connection[Any], flt: EventFilter, head: int, page: int = PAGE
) -> Iterator[tuple[int, int, bytes]]:
    """(last position, row count, framed lines) of each page, in global order, from one COPY
    (one snapshot; PostgreSQL frames the next pages while the caller writes this one)."""
    if flt.aggregate is not None:
        row = conn.execute(
            f"SELECT COALESCE(MAX(originator_version), 0) FROM {TABLE} WHERE originator_id = %s",
            (flt.aggregate,),
        ).fetchone()
        low, high = 1, int(row[0]) if row else 0
    else:
        low, high = flt.from_position or 1, head
    if high < low:
        return
    query, params = export_query(flt, (low - 1) // page, (high - 1) // page, page)
    with conn.cursor() as cursor, cursor.copy(query.encode(), params) as copy:
        copy.set_types(["int8", "int8", "bytea"])  # psycopg parses the binary rows
        yield from copy.rows()


def rows_at(conn: psycopg.Connection[Any], positions: list[int]) -> list[Row]:
    with conn.cursor(row_factory=tuple_row, binary=True) as cursor:
        cursor.execute(
            f"SELECT {COLUMNS} FROM {TABLE} WHERE notification_id = ANY(%s)".encode(),
            (positions,),
        )
        return cursor.fetchall()


def export(
    conninfo: str,
    flt: EventFilter,
    out: IO[bytes],
    *,
    keys: pii.SubjectKeys | None,
    secrets: Secrets,
    progress: Callable[[int, int], None] | None = None,
    page: int = PAGE,
) -> int:
    """Write every matching event as one NDJSON line, in global order; the count written."""
    total = 0
    with psycopg.connect(conninfo, autocommit=True) as conn, _Refetch(conninfo) as fetch_rows:
        keyset_session(conn)
        conn.execute("SET max_parallel_workers_per_gather = 0")  # pages in the COPY's order
        head = head_position(conn)
        stop = head if flt.to_position is None else min(flt.to_position, head)
        bounded = replace(flt, to_position=stop)
        # closing: a failed write (``| head``) cancels the COPY before the connection closes
        with contextlib.closing(export_pages(conn, bounded, stop, page)) as pages:
            for last, count, blob in pages:
                out.write(page_lines(blob, fetch_rows, keys, secrets))
                total += count
                if progress is not None:
                    progress(last, stop)
    out.flush()
    return total


class _Refetch:
    """Rows by position for ``page_lines``, over a second connection opened when first needed
    (the export's connection is busy with its COPY; the rows are the same: append-only)."""

    def __init__(self, conninfo: str) -> None:
        self.conninfo = conninfo
        self.conn: psycopg.Connection[Any] | None = None

    def __call__(self, positions: list[int]) -> list[Row]:
        if self.conn is None:
            self.conn = psycopg.connect(self.conninfo, autocommit=True)
        return rows_at(self.conn, positions)

    def __enter__(self) -> _Refetch:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.conn is not None:
            self.conn.close()


def filter_from_args(args: Any) -> EventFilter:
    from infra.cli import EXIT_USAGE, CliError

    try:
        aggregate = UUID(args.aggregate) if args.aggregate else None
    except ValueError:
        raise CliError(f"--aggregate is not a UUID: {args.aggregate!r}", EXIT_USAGE) from None
    return EventFilter(
        from_position=args.from_position,
        to_position=args.to_position,
        since=args.since,
        until=args.until,
        types=tuple(args.types or ()),
        aggregate=aggregate,
    )


def export_events(container: Any, args: Any) -> int:
    """``codequest events export``: NDJSON to --out or stdout, a progress bar on a terminal."""
    flt = filter_from_args(args)
    secrets = Secrets(container.box if args.decrypt else None)
    keys = pii.keys_of(container.log.mapper)
    out = open(args.out, "wb") if args.out else sys.stdout.buffer  # noqa: SIM115
    url = container.settings.database_url
    try:
        with _bar("export") as progress:
            count = export(url, flt, out, keys=keys, secrets=secrets, progress=progress)
    except BrokenPipeError:  # the reader stopped early (``| head``): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        if args.out:
            out.close()
    if sys.stderr.isatty():
        print(f"exported {count} events", file=sys.stderr)
    return 0


class _bar:
    """A rich progress bar on stderr when it is a terminal; nothing on a pipe."""

    def __init__(self, label: str) -> None:
        self.label, self._progress = label, None

    def __enter__(self) -> Callable[[int, int], None] | None:
        if not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import Progress

        self._progress = Progress(console=Console(stderr=True), transient=True)
        self._progress.start()
        task = self._progress.add_task(self.label, total=None)
        return lambda done, total: self._progress.update(task, completed=done, total=total)  # type: ignore[union-attr]

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


# --- the hash chain: verify and head -----------------------------------------------------------


def verify_command(container: Any, args: Any) -> int:
    """``codequest audit verify``: exit 0 with the head hash and count, else 1 naming a position."""
    with _bar("verify") as progress:
        verdict = verify(container.settings.database_url, progress)
    if verdict.ok:
        note = f" ({verdict.unchained} not yet chained)" if verdict.unchained else ""
        print(
            f"OK {verdict.count} events, head position {verdict.head_position} "
            f"hash {verdict.head_hash}{note}"
        )
        return 0
    print(f"TAMPERED at position {verdict.bad_position}: the event {verdict.reason}")
    return 1


def head_command(container: Any, args: Any) -> int:
    """``codequest audit head``: the chain head to keep outside the system."""
    position, digest = chain_head(container.settings.database_url)
    print(f"{position} {digest}")
    return 0
