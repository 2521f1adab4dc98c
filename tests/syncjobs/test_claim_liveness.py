"""The claim with real processes and threads on a file database: a killed worker's claim is
taken over once it stops beating; a live run keeps its claim while Dialpad is slow, and stops
at its next heartbeat when an admin releases it."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.syncjobs.filedb import BASE_DIR, console_env, migrate

pytestmark = pytest.mark.slow

STALE_AFTER = 2


def scenario(name, env):
    out = subprocess.run([sys.executable, "-m", "tests.syncjobs.claim_scenarios", name],
                         cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def sync_org(env):
    """`manage.py sync_org --json` in its own process: (exit code, the run's figures)."""
    out = subprocess.run([sys.executable, "manage.py", "sync_org", "--json"], cwd=BASE_DIR,
                         env=env, capture_output=True, text=True, timeout=120)
    return out.returncode, json.loads(out.stdout) if out.stdout.strip() else out.stderr


def query(db, sql):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_a_killed_workers_claim_is_taken_over_once_it_stops_beating(sim, tmp_path):
    env = console_env(tmp_path, sim, DIALPAD_SYNC_STALE_AFTER=str(STALE_AFTER))
    db = migrate(env)
    sim.faults.slow_seconds = 0.2  # the first sync is still running when it is killed
    worker = subprocess.Popen([sys.executable, "manage.py", "sync_org"], cwd=BASE_DIR,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not query(db, "SELECT id FROM syncjobs_syncrun "
                        "WHERE status = 'running' AND api_calls >= 3"):
        assert worker.poll() is None and time.monotonic() < deadline, "no sync to kill"
        time.sleep(0.1)

    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    [(killed_id,)] = query(db, "SELECT id FROM syncjobs_syncrun WHERE status = 'running'")
    assert query(db, "SELECT run_id FROM syncjobs_synclock WHERE token != ''") == [(killed_id,)]
    sim.faults.slow_seconds = 0
    time.sleep(STALE_AFTER)  # the killed run's last heartbeat is at least this old now

    code, run = sync_org(env)

    assert code == 0 and run["status"] == "succeeded", run
    [(status, error, abandoned_at, abandoned_by, log)] = query(
        db, "SELECT status, error, abandoned_at, abandoned_by_id, log FROM syncjobs_syncrun "
            f"WHERE id = {killed_id}")
    assert (status, abandoned_by) == ("errored", None) and abandoned_at
    assert error.startswith("Abandoned: no heartbeat since ")
    assert "Abandoned: no heartbeat since" in log


def test_a_live_run_keeps_its_claim_while_dialpad_is_slow(sim, tmp_path):
    # The run's own tick is silent for three stale times; its background heartbeat is not.
    env = console_env(tmp_path, sim, DIALPAD_SYNC_STALE_AFTER="1.5")
    migrate(env)

    result = scenario("quiet-holder", env)

    assert result["taken_after"] is None, result
    assert result == {"lost": False, "beater_stopped": True, "taken_after": None}


def test_a_live_run_released_by_an_admin_stops_at_its_next_heartbeat(sim, tmp_path):
    env = console_env(tmp_path, sim)
    migrate(env)
    sim.faults.slow_seconds = 0.2

    result = scenario("release-live-run", env)

    assert result["ok"], result
    assert result["stopped_after"] < 10, result
    assert (result["status"], result["abandoned_by"]) == ("errored", True), result
    assert result["error"].startswith("Abandoned: released by it-admin while still beating")
    assert "after it had been abandoned: nothing more was written" in result["log"]
    assert result["next_claim"]  # the claim is free: the next sync may start at once
