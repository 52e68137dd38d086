from __future__ import annotations

import hashlib
import uuid

from projections.audit_chain import GENESIS, _merge, canonical, link


def rows(n: int, step: int = 3) -> list[tuple]:
    return [(1 + i * step, uuid.uuid4(), 1, f"t:{i}", f"state {i}".encode()) for i in range(n)]


def chain_of(log: list[tuple]) -> list[tuple[int, bytes]]:
    previous, out = GENESIS, []
    for row in log:
        previous = link(previous, *row)
        out.append((row[0], previous))
    return out


def test_canonical_covers_every_column_and_the_state_digest():
    oid = uuid.uuid4()
    text = canonical(7, oid, 2, "m:T.E", b"{}").decode()
    assert text.split("\x1f") == ["7", str(oid), "2", "m:T.E", hashlib.sha256(b"{}").hexdigest()]
    assert link(GENESIS, 7, oid, 2, "m:T.E", b"{}") != link(GENESIS, 7, oid, 2, "m:T.E", b"{ }")


def test_intact_log_verifies_with_gaps_in_positions():
    log = rows(5)
    verdict = _merge(iter(log), iter(chain_of(log)), log[-1][0], log[-1][0], None)
    assert verdict.ok and verdict.count == 5 and verdict.head_position == 13
    assert verdict.head_hash == chain_of(log)[-1][1].hex()


def test_changed_row_is_named():
    log, chain = rows(5), None
    chain = chain_of(log)
    log[2] = (*log[2][:4], b"tampered")
    verdict = _merge(iter(log), iter(chain), 13, 13, None)
    assert not verdict.ok and verdict.bad_position == log[2][0]


def test_deleted_and_inserted_rows_are_named():
    log = rows(5)
    chain = chain_of(log)
    deleted = _merge(iter(log[:1] + log[2:]), iter(chain), 13, 13, None)
    assert deleted.bad_position == log[1][0] and "deleted" in deleted.reason
    extra = (5, uuid.uuid4(), 1, "t:x", b"x")
    inserted = _merge(iter(sorted([*log, extra])), iter(chain), 13, 13, None)
    assert inserted.bad_position == 5 and "inserted" in inserted.reason


def test_events_after_the_tracked_position_are_counted_as_not_yet_chained():
    log = rows(5)
    verdict = _merge(iter(log), iter(chain_of(log[:3])), log[2][0], log[-1][0], None)
    assert verdict.ok and verdict.unchained == 2
    assert verdict.head_hash == chain_of(log)[-1][1].hex()
