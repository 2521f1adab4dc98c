"""The sync task in a real Celery worker, through a real Redis, on a file database.

Needs TEST_REDIS_URL (`make test` and .ci/run start a redis-server and set it).
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid

import pytest

from tests.syncjobs.filedb import BASE_DIR, console_env, migrate

REDIS_URL = os.environ.get("TEST_REDIS_URL")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set: no Redis to test "
                                             "the Celery worker against (make test sets it)"),
]

TASK = "syncjobs.tasks.sync_org_task"


@pytest.fixture
def console(sim, tmp_path):
    """A migrated file database and the environment of console processes using Redis."""
    env = console_env(tmp_path, sim, REDIS_URL=REDIS_URL)
    return env, migrate(env)


@pytest.fixture
def worker_factory(tmp_path):
    """worker(env, queue) starts `celery worker --pool=solo` and waits until it is ready."""
    started = []

    def start(env, queue):
        log = tmp_path / f"worker-{len(started)}.log"
        handle = open(log, "w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "dialpad_console", "worker", "--pool=solo",
             "--queues", queue, "--hostname", f"{queue}-{len(started)}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel", "INFO"],
            cwd=BASE_DIR, env=env, stdout=handle, stderr=subprocess.STDOUT,
        )
        started.append((proc, handle))
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"The worker did not start:\n{log.read_text()}")
            time.sleep(0.2)
        return proc

    yield start
    for proc, handle in started:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        handle.close()


def send(queue, count=1):
    """Queue the task on Redis as the beat or the admin would (by name, on our own queue)."""
    from celery import Celery

    app = Celery(broker=REDIS_URL)
    try:
        for _ in range(count):
            app.send_task(TASK, kwargs={"trigger": "schedule"}, queue=queue)
    finally:
        app.close()


def finished_runs(db, count, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        with sqlite3.connect(db) as conn:
            rows = conn.execute(
                "SELECT status, trigger, counts, error FROM syncjobs_syncrun "
                "WHERE status != 'running' ORDER BY id").fetchall()
        if len(rows) >= count:
            return [dict(zip(("status", "trigger", "counts", "error"), r)) for r in rows]
        if time.monotonic() > deadline:
            raise AssertionError(f"{count} runs did not finish in {timeout} s: {rows}")
        time.sleep(0.3)


def test_the_worker_runs_the_sync(sim, console, worker_factory):
    env, db = console
    queue = f"test-sync-{uuid.uuid4().hex[:8]}"
    worker_factory(env, queue)

    send(queue)

    [run] = finished_runs(db, 1)
    assert (run["status"], run["trigger"]) == ("succeeded", "schedule"), run["error"]
    counts = json.loads(run["counts"])
    assert counts["users"]["created"] == len(sim.state.users)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM orgs_phonenumber").fetchone()[0] == len(
            sim.state.numbers)


def test_two_tasks_at_once_in_two_workers_run_once(sim, console, worker_factory):
    env, db = console
    queue = f"test-sync-{uuid.uuid4().hex[:8]}"
    worker_factory(env, queue)
    worker_factory(env, queue)
    sim.faults.slow_seconds = 0.2  # long enough for both workers to take a task meanwhile

    send(queue, count=2)

    runs = finished_runs(db, 2)
    assert sorted(r["status"] for r in runs) == ["refused", "succeeded"], runs
    refused = next(r for r in runs if r["status"] == "refused")
    assert "has been running since" in refused["error"]
    assert len(sim.requests.for_path("/api/v2/company")) == 1
