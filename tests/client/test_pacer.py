"""The token bucket itself, on a simulated clock: what reaches Dialpad in any rolling minute."""

import bisect
import threading
import time

import pytest

from dialpad_console.dialpad import LocalPacer


class SimulatedClock:
    """time.monotonic and time.sleep for a pacer, advancing only when the pacer sleeps."""

    def __init__(self):
        self.now = 1000.0

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def send_times(per_minute, count, *, gap=0.0):
    clock = SimulatedClock()
    pacer = LocalPacer(per_minute, clock=clock.monotonic, sleep=clock.sleep)
    times = []
    for _ in range(count):
        pacer.acquire()
        times.append(clock.now)
        clock.now += gap  # time the caller spends between requests
    return times


def busiest_minute(times):
    """Most requests in any 60 s window [t, t + 60), as Dialpad's rolling limit counts them."""
    return max(bisect.bisect_left(times, t + 60) - i for i, t in enumerate(times))


@pytest.mark.parametrize("per_minute", [60, 120, 1200])
def test_no_rolling_minute_exceeds_the_limit_when_sending_flat_out(per_minute):
    times = send_times(per_minute, per_minute * 3)
    assert busiest_minute(times) <= per_minute


def test_no_rolling_minute_exceeds_the_limit_after_an_idle_spell():
    # A burst after idling, then flat out: the burst must not push a window over.
    clock = SimulatedClock()
    pacer = LocalPacer(1200, clock=clock.monotonic, sleep=clock.sleep)
    times = []
    for _ in range(1500):
        pacer.acquire()
        times.append(clock.now)
    clock.now += 30
    for _ in range(3000):
        pacer.acquire()
        times.append(clock.now)
    assert busiest_minute(times) <= 1200


def test_the_long_run_rate_stays_close_to_the_limit():
    # Pacing must not be needlessly slow: within 3% of the limit over five minutes.
    times = send_times(1200, 6000)
    rate_per_minute = (len(times) - 1) / (times[-1] - times[0]) * 60
    assert 1200 * 0.97 <= rate_per_minute <= 1200


def test_a_small_burst_goes_out_without_waiting():
    times = send_times(1200, 20)
    assert times[-1] == times[0]
    assert send_times(1200, 21)[-1] > times[0]


def test_a_caller_that_is_slower_than_the_limit_never_waits():
    times = send_times(120, 50, gap=1.0)
    assert all(b - a == pytest.approx(1.0) for a, b in zip(times, times[1:]))


def test_threads_share_one_bucket():
    pacer = LocalPacer(600)  # burst 10, then one every ~0.102 s
    started = time.monotonic()
    threads = [threading.Thread(target=lambda: [pacer.acquire() for _ in range(5)])
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    # 20 acquisitions: 10 at once, 10 paced at 60/589 s -> about 1.02 s.
    assert 0.9 <= elapsed <= 2.0


def test_a_limit_of_zero_is_refused():
    with pytest.raises(ValueError):
        LocalPacer(0)
