"""Only one sync runs at a time: a second trigger is refused, and recorded, never run."""

import json
import sqlite3
import subprocess
import sys

import pytest

from syncjobs import claim
from syncjobs.choices import Status, Trigger
from syncjobs.engine import run_sync
from tests.syncjobs.conftest import make_client
from tests.syncjobs.filedb import BASE_DIR, console_env, migrate


def test_two_triggers_at_once_run_once(sim, tmp_path):
    """Two threads of one process call the engine at the same moment, on a file database."""
    sim.faults.slow_seconds = 0.05  # every call a little slow: the runs overlap
    env = console_env(tmp_path, sim)
    db = migrate(env)

    out = subprocess.run([sys.executable, "-m", "tests.syncjobs.two_triggers"], cwd=BASE_DIR,
                         env=env, capture_output=True, text=True, timeout=120)

    assert out.returncode == 0, out.stderr
    results = json.loads(out.stdout.strip().splitlines()[-1])
    assert sorted(r["status"] for r in results) == ["refused", "succeeded"], results
    ran = next(r for r in results if r["status"] == "succeeded")
    refused = next(r for r in results if r["status"] == "refused")
    assert f"sync run #{ran['id']} has been running since" in refused["error"]
    # The org was listed once, not twice.
    assert len(sim.requests.for_path("/api/v2/company")) == 1
    with sqlite3.connect(db) as conn:
        runs = conn.execute("SELECT status, api_calls FROM syncjobs_syncrun").fetchall()
        users = conn.execute("SELECT COUNT(*) FROM orgs_dialpaduser").fetchone()[0]
    assert sorted(runs) == sorted([("refused", 0), ("succeeded", len(sim.requests))])
    assert users == len(sim.state.users)


@pytest.mark.django_db(transaction=True)
def test_a_trigger_while_a_run_holds_the_claim_is_refused(use_sim):
    assert claim.claim("someone-else")
    try:
        run = run_sync(trigger=Trigger.COMMAND, client=make_client(use_sim))
    finally:
        claim.release("someone-else")

    assert run.status == Status.REFUSED
    assert "Only one sync runs at a time" in run.error
    assert not use_sim.requests


def test_the_tasks_hard_time_limit_is_below_the_brokers_visibility_timeout(settings):
    # Otherwise Redis hands a still-running sync to a second worker (which is refused).
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout")
    if visibility:
        assert settings.CELERY_TASK_TIME_LIMIT < visibility
