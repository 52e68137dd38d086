import threading

import pytest

from ai.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


def test_opens_after_consecutive_failures(clock):
    breaker = CircuitBreaker(failure_threshold=3, cooldown_s=30, clock=clock)
    for _ in range(2):
        assert breaker.allow()
        breaker.record_failure()
    assert breaker.state == CLOSED
    breaker.record_failure()
    assert breaker.state == OPEN
    assert not breaker.allow()


def test_a_success_resets_the_failure_count(clock):
    breaker = CircuitBreaker(failure_threshold=2, cooldown_s=30, clock=clock)
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state == CLOSED


def test_half_opens_after_the_cooldown_and_closes_on_success(clock):
    breaker = CircuitBreaker(failure_threshold=1, cooldown_s=30, clock=clock)
    breaker.record_failure()
    clock.now += 29.9
    assert not breaker.allow()
    clock.now += 0.2
    assert breaker.state == HALF_OPEN
    assert breaker.allow()
    assert not breaker.allow()  # one trial call at a time
    breaker.record_success()
    assert breaker.state == CLOSED
    assert breaker.allow()


def test_a_failed_trial_reopens_for_a_full_cooldown(clock):
    breaker = CircuitBreaker(failure_threshold=1, cooldown_s=10, clock=clock)
    breaker.record_failure()
    clock.now += 10
    assert breaker.allow()
    breaker.record_failure()
    assert breaker.state == OPEN
    clock.now += 9
    assert not breaker.allow()
    clock.now += 1
    assert breaker.allow()


def test_rejects_invalid_settings():
    with pytest.raises(ValueError):
        CircuitBreaker(failure_threshold=0)


def test_concurrent_failures_are_all_counted(clock):
    breaker = CircuitBreaker(failure_threshold=400, cooldown_s=5, clock=clock)

    def fail():
        for _ in range(50):
            breaker.record_failure()

    threads = [threading.Thread(target=fail) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert breaker.state == OPEN


def test_only_one_half_open_trial_under_contention(clock):
    breaker = CircuitBreaker(failure_threshold=1, cooldown_s=1, clock=clock)
    breaker.record_failure()
    clock.now += 1
    results = []
    barrier = threading.Barrier(16)

    def try_call():
        barrier.wait()
        results.append(breaker.allow())

    threads = [threading.Thread(target=try_call) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1
