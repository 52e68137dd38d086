"""The group's shared log tail: events read once, idle views advanced together, positions
moved only by compare-and-set (so a tracking row moved elsewhere is re-read, not skipped)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import singledispatchmethod
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError

from domain.accounts import User
from domain.content import Topic
from projections.runtime import Batch, LogTail, ProjectionGroup, Projector


def now() -> datetime:
    return datetime.now(UTC)


class Names(Projector):
    """Counts the users it was given (a view interested in one topic only)."""

    name = "tail_names"
    tables = ("tail_names_view",)
    ddl = ("CREATE TABLE IF NOT EXISTS tail_names_view (id uuid PRIMARY KEY)",)
    topics = (User.Registered,)
    seen: list[int] = []

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Nothing else."""

    @apply.register
    def _registered(self, event: User.Registered, batch: Batch) -> None:
        Names.seen.append(batch.position)
        batch.cursor.execute(
            "INSERT INTO tail_names_view VALUES (%s) ON CONFLICT DO NOTHING", (event.originator_id,)
        )


class Topics(Names):
    name = "tail_topics"
    tables = ("tail_topics_view",)
    ddl = ("CREATE TABLE IF NOT EXISTS tail_topics_view (id uuid PRIMARY KEY)",)
    topics = (Topic.Created,)

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Nothing else."""

    @apply.register
    def _created(self, event: Topic.Created, batch: Batch) -> None:
        batch.cursor.execute(
            "INSERT INTO tail_topics_view VALUES (%s) ON CONFLICT DO NOTHING",
            (event.originator_id,),
        )


@pytest.fixture
def group(fresh: Any) -> Any:
    Names.seen = []
    started = ProjectionGroup(fresh.app, [Names, Topics], fresh.services()).start()
    yield started
    started.stop()


def count(fresh: Any, table: str) -> int:
    return int(fresh.rows(f"SELECT count(*) AS n FROM {table}")[0]["n"])


def test_views_with_nothing_to_do_still_track_the_head(fresh, group):
    for i in range(3):
        fresh.history.topic(now(), f"T{i}")
    head = fresh.app.head()
    assert group.wait(head, timeout=10)
    # step: the users view saw no event of its own, yet its tracking row reached the head
    assert Names.seen == [] and count(fresh, "tail_names_view") == 0
    assert count(fresh, "tail_topics_view") == 3
    fresh.history.user(now(), "Ada")
    assert group.wait(fresh.app.head(), timeout=10)
    assert count(fresh, "tail_names_view") == 1 and len(Names.seen) == 1
    assert not group.failed()


def test_a_tracking_row_moved_back_is_re_read_and_the_gap_replayed(fresh, group):
    fresh.history.user(now(), "Ada")
    first = fresh.app.head()
    fresh.history.user(now(), "Bob")
    assert group.wait(fresh.app.head(), timeout=10)
    # step: as a rebuild swapping in older tables would: the row and the view go back
    with psycopg.connect(fresh.url, autocommit=True) as conn:
        conn.execute(
            "UPDATE tail_names_tracking SET notification_id = %s WHERE application_name ="
            " 'codequest'",
            (first,),
        )
        conn.execute("DELETE FROM tail_names_view")
    fresh.history.user(now(), "Cy")
    assert group.wait(fresh.app.head(), timeout=10)
    deadline = time.monotonic() + 10
    while count(fresh, "tail_names_view") < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    # Bob (after the moved-back position) and Cy are projected again; nothing is skipped
    assert count(fresh, "tail_names_view") == 2
    assert not group.failed()


def test_advance_refuses_a_position_that_moved(fresh):
    view = fresh.view(Names)
    fresh.history.user(now(), "Ada")
    with view.datastore.transaction(commit=True) as cursor:
        view.advance(cursor, 0, 3)
    with pytest.raises(IntegrityError), view.datastore.transaction(commit=True) as cursor:
        view.advance(cursor, 2, 5)  # the row is at 3, not 2
    assert view.position() == 3


def test_a_tail_that_no_longer_reaches_back_sends_runners_to_the_log(fresh):
    for i in range(6):
        fresh.history.topic(now(), f"T{i}")
    tail = LogTail(fresh.app, fresh.view(Names).datastore)
    tail.start = tail.end = 0
    tail.KEEP = 4
    tail.refresh()
    assert tail.end == fresh.app.head() and len(tail._ids) == 4
    assert tail.since(0, frozenset()) is None  # trimmed: the caller reads the log itself
    upto, events = tail.since(tail.start, frozenset()) or (0, [])
    assert upto == tail.end and [p for p, _ in events] == tail._ids


def test_a_view_behind_the_tail_with_nothing_to_do_catches_up_on_its_own(fresh):
    for i in range(3):
        fresh.history.topic(now(), f"T{i}")  # written before the group starts: not in its tail
    Names.seen = []
    group = ProjectionGroup(fresh.app, [Names], fresh.services()).start()
    try:
        assert group.tail.start == fresh.app.head()
        assert group.wait(fresh.app.head(), timeout=10)
        (runner,) = group.runners
        assert runner.position == group.tail.end and Names.seen == []
    finally:
        group.stop()
