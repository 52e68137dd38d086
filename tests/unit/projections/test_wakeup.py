import threading
import time

from projections.runtime import Wakeup


def test_a_wakeup_during_a_step_is_not_lost():
    wakeup = Wakeup(None)
    seen = wakeup.seen()
    wakeup.notify_all()  # arrives while the runner is still processing
    started = time.monotonic()
    wakeup.wait(seen, 1.0)
    assert time.monotonic() - started < 0.1


def test_without_a_wakeup_the_wait_times_out():
    wakeup = Wakeup(None)
    started = time.monotonic()
    wakeup.wait(wakeup.seen(), 0.2)
    assert 0.15 < time.monotonic() - started < 1.0


def test_a_later_wakeup_ends_the_wait_early():
    wakeup = Wakeup(None)
    seen = wakeup.seen()
    threading.Timer(0.05, wakeup.notify_all).start()
    started = time.monotonic()
    wakeup.wait(seen, 2.0)
    assert time.monotonic() - started < 1.0
