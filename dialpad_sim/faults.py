"""The adversity a client has to survive: switchable faults and a per-minute rate limit."""

from __future__ import annotations

import math
import random
import threading
import time
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class FaultDecision:
    slow_seconds: float = 0.0
    drop: bool = False
    error_status: int | None = None
    garble: tuple | None = None  # (status, body, content type) after handling the request


_NO_FAULT = FaultDecision()


class Faults:
    """Faults switchable at run time (from tests or the CLI).

    - ``error_rate``: share (0..1) of requests answered ``error_status`` (default 503).
    - ``fail_nth``: 1-based request numbers, counted from when the set is assigned, that
      are answered ``error_status``; ``{1}`` fails the next request once.
    - ``slow_seconds``: sleep this long before answering every request.
    - ``drop_rate`` / ``drop_nth``: close the connection without any response.
    - ``garble_nth`` with ``garble_answer``: handle the request (a write is applied), then
      answer ``garble_answer`` = (status, body text, content type) instead: a 500 after the
      change was made, or a 200 whose body is HTML, empty or a JSON list.

    Counting covers every request that reaches the server, whatever its answer.
    """

    _SETTINGS = ("error_rate", "error_status", "fail_nth", "slow_seconds", "drop_rate",
                 "drop_nth", "garble_nth", "garble_answer")

    def __init__(self, seed: int = 0):
        object.__setattr__(self, "_lock", threading.Lock())
        object.__setattr__(self, "_seed", seed)
        self.reset()

    def reset(self) -> None:
        """Switch every fault off and restart the counters and the random stream."""
        with self._lock:
            object.__setattr__(self, "_rng", random.Random(f"dialpad-sim/faults/{self._seed}"))
            object.__setattr__(self, "error_rate", 0.0)
            object.__setattr__(self, "error_status", 503)
            object.__setattr__(self, "slow_seconds", 0.0)
            object.__setattr__(self, "drop_rate", 0.0)
            object.__setattr__(self, "fail_nth", set())
            object.__setattr__(self, "drop_nth", set())
            object.__setattr__(self, "garble_nth", set())
            object.__setattr__(self, "garble_answer", (500, "", "text/html"))
            object.__setattr__(self, "_fail_count", 0)
            object.__setattr__(self, "_drop_count", 0)
            object.__setattr__(self, "_garble_count", 0)

    def __setattr__(self, name, value):
        if name not in self._SETTINGS:
            raise AttributeError(f"Faults has no setting {name!r}")
        with self._lock:
            if name in ("fail_nth", "drop_nth", "garble_nth"):
                value = set(value or ())
                # "Counted from when set": assigning restarts the count.
                object.__setattr__(self, f"_{name.removesuffix('_nth')}_count", 0)
            elif name == "garble_answer":
                status, body, content_type = value
                value = (int(status), str(body), str(content_type))
            elif name in ("error_rate", "drop_rate"):
                value = float(value or 0.0)
                if not 0.0 <= value <= 1.0:
                    raise ValueError(f"{name} must be between 0 and 1")
            elif name == "slow_seconds":
                value = max(0.0, float(value or 0.0))
            elif name == "error_status":
                value = int(value)
                if not 500 <= value <= 599:
                    raise ValueError("error_status must be a 5xx status")
            object.__setattr__(self, name, value)

    @property
    def active(self) -> bool:
        return bool(self.error_rate or self.fail_nth or self.slow_seconds or self.drop_rate
                    or self.drop_nth or self.garble_nth)

    def next_request(self) -> FaultDecision:
        """Count one request and decide what happens to it."""
        with self._lock:
            fail_count = self._fail_count + 1
            drop_count = self._drop_count + 1
            garble_count = self._garble_count + 1
            object.__setattr__(self, "_fail_count", fail_count)
            object.__setattr__(self, "_drop_count", drop_count)
            object.__setattr__(self, "_garble_count", garble_count)
            if not self.active:
                return _NO_FAULT
            drop = drop_count in self.drop_nth or (
                self.drop_rate > 0 and self._rng.random() < self.drop_rate)
            error = None
            if not drop and (fail_count in self.fail_nth or (
                    self.error_rate > 0 and self._rng.random() < self.error_rate)):
                error = self.error_status
            garble = self.garble_answer if garble_count in self.garble_nth else None
            return FaultDecision(slow_seconds=self.slow_seconds, drop=drop, error_status=error,
                                 garble=garble)

    def __repr__(self):
        settings = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._SETTINGS)
        return f"Faults({settings})"


class RateLimiter:
    """At most ``per_minute`` accepted requests in any rolling 60-second window."""

    def __init__(self, per_minute: int | None = None, *, window: float = 60.0,
                 clock=time.monotonic):
        self._lock = threading.Lock()
        self._window = window
        self._clock = clock
        self._stamps: deque[float] = deque()
        self.per_minute = None
        self.set(per_minute)

    def set(self, per_minute: int | None) -> None:
        with self._lock:
            if per_minute is not None:
                per_minute = int(per_minute)
                if per_minute <= 0:
                    per_minute = None
            self.per_minute = per_minute
            self._stamps.clear()

    def clear(self) -> None:
        with self._lock:
            self._stamps.clear()

    def acquire(self) -> int | None:
        """Take a slot; return None if granted, else the seconds until one frees (>= 1)."""
        if self.per_minute is None:
            return None
        with self._lock:
            now = self._clock()
            stamps = self._stamps
            while stamps and stamps[0] <= now - self._window:
                stamps.popleft()
            if len(stamps) >= self.per_minute:
                return max(1, math.ceil(stamps[0] + self._window - now))
            stamps.append(now)
            return None
