from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from infra import audit
from infra.cli import main
from infra.settings import export_environ
from projections.audit_chain import AuditChainProjector
from projections.runtime import Runner, Wakeup, make_view, rebuild
from tests.integration.audit.conftest import superuser, tamper
from tests.integration.audit.notes import write_notes


def follow(container: Any) -> None:
    """Run the chain projector over everything new, as its runner does."""
    view = make_view(audit_datastore(container), AuditChainProjector)
    runner = Runner(container.log, view, AuditChainProjector(container.services()), Wakeup(None))
    while runner.step():
        pass


def audit_datastore(container: Any) -> Any:
    from projections.runtime import datastore_of

    return datastore_of(container.log)


def burn_positions(container: Any, n: int) -> None:
    with superuser(container) as conn:
        for _ in range(n):
            conn.execute("SELECT nextval('codequest_events_notification_id_seq')")


def chained(container: Any, count: int = 30) -> list[int]:
    write_notes(container.log, count // 2, per_commit=4)
    burn_positions(container, 3)  # gaps, as rolled-back saves leave them
    write_notes(container.log, count - count // 2, per_commit=5)
    follow(container)
    with superuser(container) as conn:
        return [
            r[0] for r in conn.execute("SELECT notification_id FROM codequest_events ORDER BY 1")
        ]


def cli(monkeypatch: pytest.MonkeyPatch, container: Any, *argv: str) -> int:
    for name, value in export_environ(container.settings).items():
        monkeypatch.setenv(name, value)
    return main(list(argv))


def test_intact_history_verifies_ok_with_head_and_count(fresh, monkeypatch, capsys):
    container = fresh()
    positions = chained(container)
    assert positions != list(range(positions[0], positions[0] + len(positions)))
    verdict = audit.verify(container.settings.database_url)
    assert verdict.ok and verdict.count == len(positions) and verdict.unchained == 0
    assert audit.chain_head(container.settings.database_url) == (positions[-1], verdict.head_hash)
    assert cli(monkeypatch, container, "audit", "verify") == 0
    out = capsys.readouterr().out.strip().splitlines()[-1]
    assert out.startswith(f"OK {len(positions)} events") and verdict.head_hash in out
    assert cli(monkeypatch, container, "audit", "head") == 0
    assert capsys.readouterr().out.splitlines()[-1].split() == [
        str(positions[-1]),
        verdict.head_hash,
    ]


def test_edited_row_is_found_at_exactly_its_position(fresh, monkeypatch, capsys):
    container = fresh()
    positions = chained(container)
    victim = positions[17]
    tamper(
        container,
        "UPDATE codequest_events SET state ="
        " convert_to(replace(convert_from(state, 'UTF8'), 'note', 'n0te'), 'UTF8')"
        " WHERE notification_id = %s",
        (victim,),
    )
    verdict = audit.verify(container.settings.database_url)
    assert not verdict.ok and verdict.bad_position == victim and "differs" in verdict.reason
    assert cli(monkeypatch, container, "audit", "verify") == 1
    assert f"position {victim}:" in capsys.readouterr().out


def test_deleted_and_inserted_rows_are_found(fresh):
    container = fresh()
    positions = chained(container)
    tamper(container, "DELETE FROM codequest_events WHERE notification_id = %s", (positions[9],))
    verdict = audit.verify(container.settings.database_url)
    assert verdict.bad_position == positions[9] and "deleted" in verdict.reason
    other = fresh()
    positions = chained(other)
    gap = next(p + 1 for p, q in itertools.pairwise(positions) if q - p > 1)
    tamper(
        other,
        "INSERT INTO codequest_events (originator_id, originator_version, topic, state,"
        " notification_id) SELECT originator_id, 99, topic, state, %s FROM codequest_events"
        " WHERE notification_id = %s",
        (gap, positions[0]),
    )
    verdict = audit.verify(other.settings.database_url)
    assert verdict.bad_position == gap and "inserted" in verdict.reason


def test_events_not_yet_chained_still_verify(fresh):
    container = fresh()
    positions = chained(container, 10)
    write_notes(container.log, 3)
    verdict = audit.verify(container.settings.database_url)
    assert verdict.ok and verdict.unchained == 3 and verdict.count == len(positions) + 3


def test_chain_rebuilt_up_to_a_time_equals_the_chain_at_that_time(fresh):
    container = fresh()
    write_notes(container.log, 12, per_commit=3)
    follow(container)
    with superuser(container) as conn:
        then = conn.execute("SELECT position, link FROM audit_chain_view ORDER BY 1").fetchall()
    time.sleep(0.05)
    moment = datetime.now(UTC)
    time.sleep(0.05)
    write_notes(container.log, 8, per_commit=3)
    follow(container)
    schema = "pit_audit_chain"
    count = rebuild(
        container.log, AuditChainProjector, container.services(), until_time=moment, into=schema
    )
    with superuser(container) as conn:
        past = conn.execute(f"SELECT position, link FROM {schema}.audit_chain_view ORDER BY 1")
        assert past.fetchall() == then and count == 12
        live = conn.execute("SELECT count(*) FROM audit_chain_view").fetchone()
        assert live == (20,)
