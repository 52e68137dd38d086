"""A thread-safe circuit breaker: closed, open after N failures, half-open after a cool-down."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half_open"


class CircuitBreaker:
    """Stops calls to a failing endpoint; one trial call is let through after the cool-down."""

    def __init__(
        self,
        failure_threshold: int = 3,
        cooldown_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1 or cooldown_s < 0:
            raise ValueError("failure_threshold must be >= 1 and cooldown_s >= 0")
        self._threshold = failure_threshold
        self._cooldown = cooldown_s
        self._clock = clock
        self._lock = threading.Lock()
        self._state = CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._trial_in_flight = False

    @property
    def state(self) -> str:
        with self._lock:
            return self._current_state()

    def allow(self) -> bool:
        """True when a call may go ahead; in half-open only one trial call at a time."""
        with self._lock:
            state = self._current_state()
            if state == CLOSED:
                return True
            if state == HALF_OPEN and not self._trial_in_flight:
                self._state, self._trial_in_flight = HALF_OPEN, True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._state, self._failures, self._trial_in_flight = CLOSED, 0, False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._state == HALF_OPEN or self._failures >= self._threshold:
                self._state, self._opened_at = OPEN, self._clock()
            self._trial_in_flight = False

    def _current_state(self) -> str:
        if self._state == OPEN and self._clock() - self._opened_at >= self._cooldown:
            self._state = HALF_OPEN
        return self._state
