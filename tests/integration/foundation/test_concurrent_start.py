"""Processes starting at once on a fresh database (an API with two workers and `codequest
project`) all create the log, the key store and every view without tripping over each other."""

from __future__ import annotations

import threading

from infra import registry
from infra.eventstore import build_event_log
from infra.pii import SubjectKeys
from projections.runtime import datastore_of, make_view
from tests.conftest import make_database


def test_concurrent_starts_create_every_table_once(tmp_path):
    url = make_database()
    barrier, errors, logs = threading.Barrier(4), [], []

    def start() -> None:
        try:
            barrier.wait()
            log = build_event_log(url, pool_size=2)
            logs.append(log)
            SubjectKeys(url).create_table()
            for cls in registry.projectors():
                make_view(datastore_of(log), cls)
        except Exception as exc:  # the test reports whatever went wrong
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for log in logs:
        log.close()
    assert errors == []
    assert len(logs) == 4
