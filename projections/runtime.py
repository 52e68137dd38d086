"""Tracked projections: one transaction per batch writes the view and its tracking row.

A ``Projector`` declares its tables and handles domain events with a cursor. The same
batched path serves live following (whatever is new, up to ``BATCH`` events a transaction)
and rebuilds from zero, so a rebuilt view equals the live one row for row. Exactly once:
the tracking upsert refuses a position that does not advance, rolling the batch back.
"""

from __future__ import annotations

import threading
import time
from bisect import bisect_right
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import singledispatchmethod
from typing import Any, ClassVar

import structlog
from eventsourcing.persistence import IntegrityError, Notification, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.utils import get_topic
from psycopg import Cursor, OperationalError
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from commands.app import CodeQuest
from infra.eventstore import schema_lock

log = structlog.get_logger()
APP_NAME = CodeQuest.name
BATCH = 500  # live following: whatever is new, up to this many events a transaction
REBUILD_BATCH = 2000  # replays from zero: larger transactions, fewer round trips


@dataclass
class Batch:
    """What a projector sees while handling events: the cursor and post-commit work."""

    cursor: Cursor[DictRow]
    position: int = 0
    timestamp: datetime | None = None
    after: list[Callable[[], None]] = field(default_factory=list)
    before: list[Callable[[], None]] = field(default_factory=list)
    invalidations: set[str] = field(default_factory=set)
    rebuilding: bool = False

    def after_commit(self, fn: Callable[[], None]) -> None:
        self.after.append(fn)

    def before_commit(self, fn: Callable[[], None]) -> None:
        self.before.append(fn)

    def invalidate(self, *keys: str) -> None:
        self.invalidations.update(keys)


@dataclass
class Services:
    """Clients a projector may use outside its transaction (Redis, the broker)."""

    redis: Any = None
    broker: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


class Projector:
    """A read model (or a dispatcher): its tables and how each event changes them."""

    name: ClassVar[str]
    ddl: ClassVar[Sequence[str]] = ()
    tables: ClassVar[Sequence[str]] = ()
    topics: ClassVar[Sequence[type]] = ()
    dispatcher: ClassVar[bool] = False

    def __init__(self, services: Services | None = None) -> None:
        self.services = services or Services()

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Change the view for one event; events of no interest are ignored."""

    def finish(self, batch: Batch) -> None:
        """Called once per batch before commit (flush aggregated writes)."""

    def rebuild_redis(self, cursor: Cursor[DictRow]) -> None:
        """Rewrite this view's Redis keys from its tables (after a rebuild swap)."""

    @classmethod
    def topic_names(cls) -> list[str]:
        return [get_topic(t) for t in cls.topics]


class ProjectionView(PostgresTrackingRecorder):
    """The tables of one projector plus its tracking row, in one schema."""

    def __init__(self, datastore: PostgresDatastore, projector: type[Projector]) -> None:
        super().__init__(datastore, tracking_table_name=f"{projector.name}_tracking")
        self.projector_class = projector
        schema = Identifier(datastore.schema)
        for statement in projector.ddl:
            self.sql_create_statements.append(
                SQL("SET LOCAL search_path TO {}; ").format(schema) + SQL(statement)  # type: ignore[arg-type]
            )

    def create_table(self) -> None:
        with schema_lock(self.datastore):
            super().create_table()

    def position(self) -> int:
        return self.max_tracking_id(APP_NAME) or 0

    def advance(self, cursor: Cursor[DictRow], expected: int, upto: int) -> None:
        """Move the tracking row from ``expected`` to ``upto``, or raise ``IntegrityError``."""
        self.send_advance(cursor, expected, upto)
        if cursor.fetchone() is None:
            raise IntegrityError(f"{self.tracking_table_name} is no longer at {expected}")

    def send_advance(self, cursor: Cursor[DictRow], expected: int, upto: int) -> None:
        """The compare-and-set of ``advance``; it returns a row only if the row moved."""
        table = SQL("{}.{}").format(
            Identifier(self.datastore.schema), Identifier(self.tracking_table_name)
        )
        if expected:
            query = SQL(
                "UPDATE {} SET notification_id = %(upto)s"
                " WHERE application_name = %(app)s AND notification_id = %(expected)s"
                " RETURNING notification_id"
            ).format(table)
        else:
            query = SQL(
                "INSERT INTO {} VALUES (%(app)s, %(upto)s)"
                " ON CONFLICT (application_name) DO NOTHING RETURNING notification_id"
            ).format(table)
        cursor.execute(query, {"app": APP_NAME, "upto": upto, "expected": expected}, prepare=True)


def _decode(app: CodeQuest, notes: Iterable[Notification]) -> Iterator[tuple[int, Any]]:
    for note in notes:
        yield note.id, app.mapper.to_domain_event(note)


def process_batch(
    app: CodeQuest,
    view: ProjectionView,
    projector: Projector,
    events: Sequence[tuple[int, Any]],
    upto: int,
    *,
    rebuilding: bool = False,
    expected: int | None = None,
) -> Batch:
    """Apply events and advance tracking to ``upto`` in one transaction, then post-commit work.

    With ``expected`` (the position these events follow), the tracking row moves only from
    exactly that position: a batch read for a position that has moved since (another runner,
    a rebuild swapped in) rolls back with ``IntegrityError`` instead of being applied twice
    or leaving a gap.
    """
    schema = Identifier(view.datastore.schema)
    with view.datastore.transaction(commit=True) as cursor:
        cursor.execute(SQL("SET LOCAL search_path TO {}, public").format(schema))
        batch = Batch(cursor=cursor, rebuilding=rebuilding)
        for position, event in events:
            batch.position, batch.timestamp = position, getattr(event, "timestamp", None)
            projector.apply(event, batch)
        projector.finish(batch)
        if expected is None:
            view._insert_tracking(cursor, Tracking(application_name=APP_NAME, notification_id=upto))
        else:
            view.advance(cursor, expected, upto)
        for fn in batch.before:
            fn()
    _after_commit(projector, batch)
    return batch


def _after_commit(projector: Projector, batch: Batch) -> None:
    redis = projector.services.redis
    if batch.invalidations and redis is not None:
        redis.delete(*batch.invalidations)
    for fn in batch.after:
        fn()


class Runner:
    """Follows the log for one projector on a thread until stopped; failures stop it.

    The runner keeps its position in memory; the tracking row is the truth, and every batch
    moves it only from the remembered position (``ProjectionView.advance``), so a position
    that moved elsewhere makes the batch roll back and the runner re-read it. In a group the
    runner reads new events from the shared ``LogTail``; alone (or when it is further behind
    than the tail holds) it reads the log itself.
    """

    def __init__(
        self,
        app: CodeQuest,
        view: ProjectionView,
        projector: Projector,
        wakeup: Wakeup,
        tail: LogTail | None = None,
    ) -> None:
        self.app, self.view, self.projector, self.wakeup = app, view, projector, wakeup
        self.tail = tail
        self.name = projector.name
        self.topics = frozenset(projector.topic_names())
        self.position: int | None = None
        self.error: BaseException | None = None
        self.processed = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"projection-{self.name}", daemon=True
        )

    def start(self) -> Runner:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self.wakeup.notify_all()
        self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                seen = self.wakeup.seen()  # before the step: a wake-up during it is not lost
                if not self.step():
                    self.wakeup.wait(seen, 1.0)
            except IntegrityError:
                self.position = None  # the tracking row moved elsewhere; re-read it
            except OperationalError as exc:
                log.warning("projection_db_error", projection=self.name, error=str(exc))
                self.position = None
                self._stop.wait(1.0)
            except BaseException as exc:
                self.error = exc
                log.exception("projection_failed", projection=self.name)
                return

    def step(self) -> bool:
        """Process what is new; True if anything was tracked."""
        if self.position is None:
            self.position = self.view.position()
        position = self.position
        found = self.tail.since(position, self.topics) if self.tail is not None else None
        upto, events = found or self._read_log(position)
        if upto <= position:
            return False
        if not events and found is not None:
            return False  # nothing of ours in the tail: the tail advances idle views in bulk
        process_batch(self.app, self.view, self.projector, events, upto, expected=position)
        self.position = upto
        self.processed += len(events)
        return True

    def _read_log(self, position: int) -> tuple[int, list[tuple[int, Any]]]:
        head = self.tail.end if self.tail is not None else self.app.head()
        if head <= position:
            return head, []
        notes = self.app.recorder.select_notifications(
            start=position,
            limit=BATCH,
            stop=head,
            topics=sorted(self.topics),
            inclusive_of_start=False,
        )
        upto = notes[-1].id if len(notes) == BATCH else head
        return upto, list(_decode(self.app, notes))


class LogTail:
    """The newest events of the log, read and decoded once for every runner of a group.

    One thread (``follow``) wakes on each NOTIFY (and every second regardless), reads what is
    new with one query, keeps the last ``KEEP`` events, moves the tracking rows of views that
    have nothing to do in one transaction, and then wakes the runners. Runners further behind
    than the buffer read the log themselves.
    """

    KEEP = 5_000

    def __init__(self, app: CodeQuest, datastore: PostgresDatastore) -> None:
        self.app, self.datastore = app, datastore
        self.runners: list[Runner] = []
        self.published = Wakeup(None)  # what the runners wait on
        self._lock = threading.Lock()
        self._ids: list[int] = []
        self._topics: list[str] = []
        self._events: list[Any] = []
        self.start = self.end = app.head()  # the buffer holds positions (start, end]

    def since(
        self, position: int, topics: frozenset[str]
    ) -> tuple[int, list[tuple[int, Any]]] | None:
        """Events after ``position`` with one of ``topics`` (all if empty), up to ``BATCH``,
        and the position they bring the view to; None when the buffer no longer reaches back."""
        with self._lock:
            if position < self.start:
                return None
            found: list[tuple[int, Any]] = []
            for i in range(bisect_right(self._ids, position), len(self._ids)):
                if not topics or self._topics[i] in topics:
                    found.append((self._ids[i], self._events[i]))
                    if len(found) == BATCH:
                        return self._ids[i], found
            return self.end, found

    def refresh(self) -> None:
        """Read and decode everything committed after ``end``."""
        while True:
            notes = self.app.recorder.select_notifications(
                start=self.end, limit=BATCH, inclusive_of_start=False
            )
            decoded = [(n.id, n.topic, self.app.mapper.to_domain_event(n)) for n in notes]
            with self._lock:
                for position, topic, event in decoded:
                    self._ids.append(position)
                    self._topics.append(topic)
                    self._events.append(event)
                if decoded:
                    self.end = decoded[-1][0]
                if len(self._ids) > self.KEEP:
                    cut = len(self._ids) - self.KEEP
                    self.start = self._ids[cut - 1]
                    del self._ids[:cut], self._topics[:cut], self._events[:cut]
            if len(notes) < BATCH:
                return

    def advance_idle(self) -> None:
        """Move every view with no events of its own in (position, end] to ``end``, at once."""
        moves = []
        for runner in self.runners:
            position = runner.position
            if position is None or position >= self.end:
                continue
            found = self.since(position, runner.topics)
            if found is not None and not found[1]:
                moves.append((runner, position))
        if not moves:
            return
        end = self.end
        with self.datastore.transaction(commit=True) as cursor:
            conn = cursor.connection
            cursors = [conn.cursor() for _ in moves]
            with conn.pipeline():  # every compare-and-set in one round trip
                for (runner, position), each in zip(moves, cursors, strict=True):
                    runner.view.send_advance(each, position, end)
            moved = [r for (r, _), each in zip(moves, cursors, strict=True) if each.fetchone()]
        for runner in moved:
            if runner.position is not None and runner.position < end:
                runner.position = end

    def follow(self, wakeup: Wakeup, stop: threading.Event) -> None:
        while not stop.is_set():
            seen = wakeup.seen()
            try:
                self.refresh()
                self.published.notify_all()
                self.advance_idle()
            except OperationalError as exc:
                log.warning("projection_tail_db_error", error=str(exc))
                stop.wait(1.0)
            except Exception:
                log.exception("projection_tail_failed")
                stop.wait(1.0)
            wakeup.wait(seen, 1.0)


class Wakeup:
    """Wakes runners when PostgreSQL NOTIFYs a new event (polls each second regardless)."""

    def __init__(self, datastore: PostgresDatastore | None) -> None:
        self._cond = threading.Condition()
        self._count = 0
        self._datastore = datastore
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Wakeup:
        if self._datastore is not None:
            self._thread = threading.Thread(
                target=self._listen, name="projection-listen", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.notify_all()
        if self._thread is not None:
            self._thread.join(3.0)

    def seen(self) -> int:
        """How many wake-ups have happened; pass it back to ``wait``."""
        with self._cond:
            return self._count

    def wait(self, seen: int, timeout: float) -> None:
        """Sleep until a wake-up after ``seen`` (returns at once if one already happened)."""
        with self._cond:
            if self._count == seen:
                self._cond.wait(timeout)

    def notify_all(self) -> None:
        with self._cond:
            self._count += 1
            self._cond.notify_all()

    def _listen(self) -> None:
        assert self._datastore is not None
        channel = Identifier(f"{APP_NAME}_events")
        while not self._stop.is_set():
            try:
                with self._datastore.get_connection() as conn:
                    conn.execute(SQL("LISTEN {}").format(channel))
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=1.0, stop_after=1):
                            self.notify_all()
            except Exception as exc:  # reconnect after a lost connection
                log.warning("projection_listen_error", error=str(exc))
                self._stop.wait(1.0)


def datastore_of(app: CodeQuest) -> PostgresDatastore:
    datastore = getattr(app.factory, "datastore", None)
    if not isinstance(datastore, PostgresDatastore):
        raise RuntimeError("projections need the PostgreSQL event store")
    return datastore


def make_view(datastore: PostgresDatastore, projector: type[Projector]) -> ProjectionView:
    view = ProjectionView(datastore, projector)
    view.create_table()
    return view


class ProjectionGroup:
    """All runners of one process, sharing the app's pool, one LISTEN connection and one
    ``LogTail`` that reads and decodes each new event once for all of them."""

    def __init__(self, app: CodeQuest, projectors: Sequence[type[Projector]], services: Services):
        self.app = app
        self.datastore = datastore_of(app)
        self.wakeup = Wakeup(self.datastore)
        self.tail = LogTail(app, self.datastore)
        self.runners = [
            Runner(app, make_view(self.datastore, cls), cls(services), self.tail.published,
                   self.tail)
            for cls in projectors
        ]  # fmt: skip
        self.tail.runners = self.runners
        self._stop = threading.Event()
        self._follower = threading.Thread(
            target=self.tail.follow, args=(self.wakeup, self._stop), name="projection-tail",
            daemon=True,
        )  # fmt: skip

    def start(self) -> ProjectionGroup:
        self.wakeup.start()
        self._follower.start()
        for runner in self.runners:
            runner.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.wakeup.stop()
        self._follower.join(5.0)
        for runner in self.runners:
            runner.stop()

    def failed(self) -> list[Runner]:
        return [r for r in self.runners if r.error is not None]

    def wait(
        self, position: int, timeout: float = 10.0, names: Iterable[str] | None = None
    ) -> bool:
        """Block until the named views (default all) have tracked ``position``."""
        wanted = [r for r in self.runners if names is None or r.name in set(names)]
        deadline = time.monotonic() + timeout
        for runner in wanted:
            while runner.view.position() < position:
                if runner.error is not None or time.monotonic() > deadline:
                    return False
                time.sleep(0.01)
        return True


@dataclass
class Status:
    name: str
    position: int
    head: int
    lag_events: int
    lag_seconds: float


def status(app: CodeQuest, projectors: Sequence[type[Projector]]) -> list[Status]:
    """Each projector's tracked position and lag, in events and seconds."""
    datastore = datastore_of(app)
    head = app.head()
    result = []
    for cls in projectors:
        position = make_view(datastore, cls).position()
        result.append(
            Status(
                cls.name, position, head, max(head - position, 0), _lag_seconds(app, position, head)
            )
        )
    return result


def _lag_seconds(app: CodeQuest, position: int, head: int) -> float:
    if head <= position:
        return 0.0
    notes = app.recorder.select_notifications(start=position, limit=1, inclusive_of_start=False)
    if not notes:
        return 0.0
    event = app.mapper.to_domain_event(notes[0])
    stamp = getattr(event, "timestamp", None)
    return max(time.time() - stamp.timestamp(), 0.0) if stamp else 0.0


def rebuild(
    app: CodeQuest,
    projector_class: type[Projector],
    services: Services,
    *,
    until_position: int | None = None,
    until_time: datetime | None = None,
    into: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Replay the log into fresh tables (batched) and swap them in, or keep them in ``into``.

    Returns the number of events applied.
    """
    live = datastore_of(app)
    schema = into or f"rebuild_{projector_class.name}"[:63]
    _analyze_log(live)
    _reset_schema(live, schema)
    scratch = _datastore_for(live, schema)
    try:
        view = make_view(scratch, projector_class)
        projector = projector_class(services if into is None else Services())
        count = _replay(app, view, projector, until_position, until_time, progress)
        if into is None:
            _swap(live, schema, projector_class)
            with live.transaction(commit=False) as cursor:
                projector.rebuild_redis(cursor)
    finally:
        scratch.close()
    return count


def _replay(
    app: CodeQuest,
    view: ProjectionView,
    projector: Projector,
    until_position: int | None,
    until_time: datetime | None,
    progress: Callable[[int, int], None] | None,
) -> int:
    head = app.head() if until_position is None else min(until_position, app.head())
    position, count = 0, 0
    while position < head:
        notes = app.recorder.select_notifications(
            start=position,
            limit=REBUILD_BATCH,
            stop=head,
            topics=projector.topic_names(),
            inclusive_of_start=False,
        )
        events = list(_decode(app, notes))
        if until_time is not None:
            kept = [(p, e) for p, e in events if e.timestamp <= until_time]
            if len(kept) < len(events):
                upto = kept[-1][0] if kept else position
                if kept:
                    process_batch(app, view, projector, kept, upto, rebuilding=True)
                return count + len(kept)
        upto = notes[-1].id if len(notes) == REBUILD_BATCH else head
        process_batch(app, view, projector, events, upto, rebuilding=True)
        count += len(events)
        position = upto
        if progress:
            progress(position, head)
    return count


def _analyze_log(datastore: PostgresDatastore) -> None:
    """Fresh statistics keep page queries on the position index (no scan-and-sort per page)."""
    try:
        with datastore.transaction(commit=True) as cursor:
            cursor.execute(SQL("ANALYZE {}").format(Identifier(f"{APP_NAME}_events")))
    except Exception as exc:  # a role that does not own the table: carry on with old statistics
        log.info("projection_rebuild_analyze_skipped", error=str(exc))


def _reset_schema(datastore: PostgresDatastore, schema: str) -> None:
    with datastore.transaction(commit=True) as cursor:
        cursor.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(schema)))
        cursor.execute(SQL("CREATE SCHEMA {}").format(Identifier(schema)))


def _datastore_for(live: PostgresDatastore, schema: str) -> PostgresDatastore:
    kw = live.pool.kwargs
    return PostgresDatastore(
        dbname=kw["dbname"],
        host=kw["host"],
        port=kw["port"],
        user=kw["user"],
        password=kw["password"] or "",
        pool_size=1,
        max_overflow=1,
        lock_timeout=5,
        schema=schema,
    )


def _swap(live: PostgresDatastore, schema: str, projector: type[Projector]) -> None:
    """Replace the live tables with the rebuilt ones in one transaction."""
    tables = [*projector.tables, f"{projector.name}_tracking"]
    with live.transaction(commit=True) as cursor:
        cursor.execute("SET LOCAL lock_timeout = '30s'")
        for table in tables:
            cursor.execute(SQL("DROP TABLE IF EXISTS public.{} CASCADE").format(Identifier(table)))
            cursor.execute(
                SQL("ALTER TABLE {}.{} SET SCHEMA public").format(
                    Identifier(schema), Identifier(table)
                )
            )
        cursor.execute(SQL("DROP SCHEMA {} CASCADE").format(Identifier(schema)))


@asynccontextmanager
async def snapshot(pool: Any) -> AsyncIterator[Any]:
    """A query-pool connection whose statements all read one consistent snapshot of the views.

    A handler that reads several views with separate statements would otherwise see a
    projector's commit land between two of them (e.g. a profile's counters from before a
    verdict and its recent list from after it).
    """
    async with pool.connection() as conn, conn.transaction():
        await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield conn


async def tracked_position(pool: Any, name: str) -> int:
    """The position a view has tracked, read with the async query pool."""
    query = SQL("SELECT notification_id FROM {} WHERE application_name = %s").format(
        Identifier(f"{name}_tracking")
    )
    async with pool.connection() as conn:
        try:
            row = await (await conn.execute(query, (APP_NAME,))).fetchone()
        except Exception:
            return 0
    if row is None:
        return 0
    value = row["notification_id"] if isinstance(row, dict) else row[0]
    return int(value or 0)


async def wait_for(pool: Any, name: str, position: int, timeout: float = 5.0) -> bool:
    """Read-your-writes: wait until the view ``name`` has tracked ``position``."""
    import asyncio

    deadline = time.monotonic() + timeout
    while await tracked_position(pool, name) < position:
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.005)
    return True
