"""Pacing requests under Dialpad's per-company rate limit, so a long sync provokes no 429s.

Both pacers are a token bucket written as GCRA (the "generic cell rate algorithm"): a single
"theoretical arrival time" per bucket, and each acquire() reserves the next free slot and
sleeps until it. That is fair between threads (first come, first served) and needs one value
of shared state, which makes the Redis version one small atomic script.

Dialpad (and the simulator) count requests per *rolling* minute, which a token bucket does not
see: a bucket with capacity B refilling at L/60 per second lets B + L requests through in some
60 s window. So the bucket's long-run rate is lowered by the burst and a one-request margin
(interval = 60 / (L - B - 1)), keeping every 60 s window at or below L. The burst is small
(L/60, one second's worth) so the slowdown is under 2%.
"""

from __future__ import annotations

import logging
import math
import threading
import time

logger = logging.getLogger("dialpad_console.dialpad")


def _shape(per_minute: int, burst: int | None) -> tuple[float, int]:
    """(seconds between requests, burst size) that keep any rolling minute <= per_minute."""
    if per_minute <= 0:
        raise ValueError("per_minute must be positive (use no pacer for no limit)")
    if burst is None:
        burst = max(1, per_minute // 60)
    burst = max(1, min(int(burst), per_minute))
    # For tiny limits the margin would eat the whole budget: never pace below half the limit.
    steady = max(per_minute - burst - 1, per_minute / 2)
    return 60.0 / steady, burst


class LocalPacer:
    """A thread-safe token bucket for one process."""

    def __init__(self, per_minute: int, *, burst: int | None = None, clock=time.monotonic,
                 sleep=time.sleep):
        self.per_minute = per_minute
        self.interval, self.burst = _shape(per_minute, burst)
        self._tolerance = (self.burst - 1) * self.interval
        self._tat = 0.0  # theoretical arrival time of the next request
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def acquire(self) -> float:
        """Block until a request may be sent; return the seconds waited."""
        with self._lock:
            now = self._clock()
            tat = max(self._tat, now)
            wait = tat - self._tolerance - now
            self._tat = tat + self.interval  # the slot is ours even while we sleep for it
        if wait > 1e-6:  # not float noise from summing intervals
            self._sleep(wait)
            return wait
        return 0.0

    def __repr__(self):
        return f"LocalPacer(per_minute={self.per_minute}, burst={self.burst})"


# KEYS[1]: the bucket. ARGV[1]: interval, ARGV[2]: burst tolerance, both in microseconds.
# Redis's own clock is used so that processes on hosts with skewed clocks share one timeline.
# Returns the microseconds the caller must wait before sending.
_GCRA_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local new_tat = tat + interval
local ttl_ms = math.ceil((new_tat - now) / 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', ttl_ms)
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
return math.floor(wait)
"""


class RedisPacer:
    """A token bucket in Redis, shared by every process that uses the same key.

    Dialpad's limit is per company, so the web process, every Celery worker and a
    `manage.py sync_org` must draw from one bucket. If Redis cannot be reached the pacer
    falls back to pacing this process alone (and says so in the log) rather than stopping
    a sync.
    """

    def __init__(self, redis_url: str, *, key: str = "dialpad_console:dialpad:ratelimit",
                 per_minute: int = 1200, burst: int | None = None, client=None):
        import redis  # imported here so the client works without the redis package

        self.key = key
        self.per_minute = per_minute
        self.interval, self.burst = _shape(per_minute, burst)
        self._redis = client or redis.Redis.from_url(
            redis_url, socket_connect_timeout=2, socket_timeout=2
        )
        self._script = self._redis.register_script(_GCRA_LUA)
        interval_us = int(math.ceil(self.interval * 1_000_000))
        # Integer microseconds, the tolerance a whole number of intervals: no rounding drift.
        self._args = [interval_us, (self.burst - 1) * interval_us]
        self._fallback = LocalPacer(per_minute, burst=burst)
        self._redis_errors = (redis.RedisError, OSError)
        self._warned_at = -math.inf

    def acquire(self) -> float:
        """Block until a request may be sent; return the seconds waited."""
        try:
            wait = int(self._script(keys=[self.key], args=self._args)) / 1_000_000
        except self._redis_errors as exc:
            now = time.monotonic()
            if now - self._warned_at > 60:
                self._warned_at = now
                logger.warning(
                    "Redis rate-limit bucket unavailable (%s); pacing this process only",
                    type(exc).__name__,
                )
            return self._fallback.acquire()
        if wait > 0:
            time.sleep(wait)
        return wait

    def reset(self) -> None:
        """Forget the bucket's history (tests, or after changing the limit)."""
        self._redis.delete(self.key)

    def __repr__(self):
        return f"RedisPacer(key={self.key!r}, per_minute={self.per_minute}, burst={self.burst})"
