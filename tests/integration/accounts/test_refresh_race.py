"""Two clients presenting the same refresh token at once: one rotation wins, the rest fail."""

from __future__ import annotations

import threading
from typing import Any

from commands.accounts import Session
from commands.errors import UnauthorizedError
from tests.conftest import unique_email
from tests.integration.accounts.conftest import PASSWORD


def test_one_rotation_wins_a_race(container: Any) -> None:
    email = unique_email("rotate")
    container.accounts.create_user(email, PASSWORD, verified=True)
    token = container.accounts.login(email, PASSWORD).refresh_token
    threads, results, lock = 6, [], threading.Lock()
    barrier = threading.Barrier(threads)

    def attempt() -> None:
        barrier.wait()
        try:
            outcome: object = container.accounts.refresh(token)
        except UnauthorizedError as exc:
            outcome = exc
        with lock:
            results.append(outcome)

    workers = [threading.Thread(target=attempt) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    won = [r for r in results if isinstance(r, Session)]
    assert len(results) == threads and len(won) == 1
    assert all(isinstance(r, UnauthorizedError) for r in results if r not in won)
