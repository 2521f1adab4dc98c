"""Run as a script by test_claim_liveness: the claim with real threads on a file database.

`python -m tests.syncjobs.claim_scenarios quiet-holder|release-live-run` prints one JSON
object. Each scenario runs its parties in threads of this process, each with its own
database connection, as workers and the admin's web process would.
"""

import json
import sys
import threading
import time

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from syncjobs import claim  # noqa: E402
from syncjobs.engine import run_sync  # noqa: E402
from syncjobs.models import SyncRun  # noqa: E402
from syncjobs.services import sync_run_release  # noqa: E402


def in_thread(target):
    """Start `target` in a thread that closes its connection; returns (thread, result)."""
    result = {}

    def body():
        try:
            target(result)
        except Exception as exc:  # noqa: BLE001 -- reported to the test
            result["exception"] = repr(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=body)
    thread.start()
    return thread, result


def quiet_holder():
    """A run holds the claim and waits on a slow Dialpad (no tick of its own) for three stale
    times, while another trigger keeps trying to take the claim."""
    stale = float(settings.DIALPAD_SYNC_STALE_AFTER)
    assert claim.claim("quiet-run")

    def hold(result):
        with claim.held("quiet-run") as beater:
            time.sleep(3 * stale)
        result.update(lost=beater.lost, beater_stopped=not beater.is_alive())

    thread, result = in_thread(hold)
    taken_after = None
    started = time.monotonic()
    while thread.is_alive():
        if claim.claim("intruder"):
            taken_after = round(time.monotonic() - started, 2)
            break
        time.sleep(0.1)
    thread.join(timeout=30)
    return {**result, "taken_after": taken_after}


def release_live_run():
    """An admin releases a run that is alive (a slow Dialpad keeps it going)."""
    admin = get_user_model().objects.create_superuser("it-admin", password="pw")
    thread, result = in_thread(lambda result: result.update(run_id=run_sync(trigger="command").pk))
    run = None
    deadline = time.monotonic() + 30
    while run is None or run.api_calls < 3:
        assert time.monotonic() < deadline, "the sync did not get going"
        time.sleep(0.1)
        run = SyncRun.objects.filter(status="running").first()
    ok, message = sync_run_release(actor=admin, run=run, alive_confirmed=True)
    released_at = time.monotonic()
    thread.join(timeout=60)
    run.refresh_from_db()
    return {
        **result, "ok": ok, "message": message,
        "stopped_after": round(time.monotonic() - released_at, 2),
        "status": run.status, "error": run.error, "abandoned_by": run.abandoned_by_id == admin.pk,
        "log": run.log, "next_claim": claim.claim("next-run"),
    }


if __name__ == "__main__":
    scenario = {"quiet-holder": quiet_holder, "release-live-run": release_live_run}[sys.argv[1]]
    print(json.dumps(scenario()))
