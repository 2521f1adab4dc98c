"""What the sync does in background threads: reading from Dialpad while the mirror is written.

- `Prefetch`: a listing's next page is fetched while this one is written;
- `FanOut`: the per-group operator listings and per-room desk phone listings, a few in
  flight at once, started as soon as the rooms are listed so that they overlap the users and
  numbers pages.

The threads only call the client and parse its answers: they never touch the database, so
every mirror write stays in the run's own thread and transaction.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import ThreadPoolExecutor

from django.utils import timezone

# Concurrent operator / desk phone listings: hides the round trip; the pacer keeps the rate.
FAN_OUT_THREADS = 2


class Prefetch:
    """Iterate `iterable` in a background thread, at most `depth` items ahead.

    The next page is on its way while this one is being written; errors are re-raised in the
    consumer. Closing the iterator early (an error while writing) stops the producer.
    """

    def __init__(self, iterable, depth=2):
        self._queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._produce, args=(iterable,), name="sync-prefetch", daemon=True
        )
        self._thread.start()

    def _produce(self, iterable):
        try:
            for item in iterable:
                if not self._put(("item", item)):
                    return
            self._put(("done", None))
        except BaseException as exc:  # noqa: BLE001 -- handed to the consumer
            self._put(("error", exc))

    def _put(self, entry):
        while not self._stop.is_set():
            try:
                self._queue.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self):
        try:
            while True:
                kind, value = self._queue.get()
                if kind == "item":
                    yield value
                elif kind == "done":
                    return
                else:
                    raise value
        finally:
            self._stop.set()


class FanOut:
    """GET many paths with a few threads; results come back in order, compact.

    `calls` are (key, path) pairs. `parse` runs in the worker thread, so only what the sync
    needs is kept (an operators listing carries every operator's full user payload; we keep
    room ids). The first error is raised by results(); cancel() drops what is left.
    `started_at`: before the first request was sent (what every answer was read after).
    """

    def __init__(self, client, calls, parse, threads=FAN_OUT_THREADS):
        self.started_at = timezone.now()
        self._calls = calls
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sync-fan-out")
        self._futures = [
            self._pool.submit(lambda path=path: parse(client.get(path))) for _key, path in calls
        ]

    def __len__(self):
        return len(self._calls)

    def results(self):
        try:
            for (key, _path), future in zip(self._calls, self._futures):
                yield key, future.result()
        finally:
            self.cancel()

    def cancel(self):
        self._pool.shutdown(wait=False, cancel_futures=True)
