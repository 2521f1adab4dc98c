"""Run as a script by test_one_at_a_time: two threads trigger the sync at the same moment.

Prints one JSON list: each run's status and error.
"""

import json
import threading

import django

django.setup()

from django.db import connection  # noqa: E402

from syncjobs.engine import run_sync  # noqa: E402


def main():
    barrier = threading.Barrier(2)
    results = []

    def trigger(kind):
        try:
            barrier.wait()
            run = run_sync(trigger=kind)
            results.append({"id": run.pk, "trigger": kind, "status": run.status,
                            "error": run.error})
        except Exception as exc:  # noqa: BLE001 -- reported to the test
            results.append({"trigger": kind, "status": "exception", "error": repr(exc)})
        finally:
            connection.close()

    threads = [threading.Thread(target=trigger, args=(kind,)) for kind in ("schedule", "manual")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
