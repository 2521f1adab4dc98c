"""The whole loop, as deployed: the simulator sends a signed event to the console's receiver
(a real web server), a real Celery worker takes it from a real Redis, re-reads the object and
writes the mirror and its History, without a full sync. And when the broker is down, the
event waits in the database until the sweep processes it.

Needs TEST_REDIS_URL (`make test` and .ci/run start a redis-server and set it).
"""

import os
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.syncjobs.filedb import BASE_DIR, console_env, migrate

from .helpers import SECRET
from .processes import answers, free_port

REDIS_URL = os.environ.get("TEST_REDIS_URL")
# A real Redis (make test and .ci/run start one and set TEST_REDIS_URL), and seconds per test.
pytestmark = [pytest.mark.redis, pytest.mark.slow, pytest.mark.skipif(
    not REDIS_URL, reason="no TEST_REDIS_URL: make test starts a Redis for these tests")]


def own_redis_db(url):
    """The test Redis, database 6: this module's queue, away from other tests' tasks."""
    import redis

    mine = url.rsplit("/", 1)[0] + "/6"
    client = redis.Redis.from_url(mine)
    client.flushdb()
    client.close()
    return mine


@pytest.fixture
def console(sim, tmp_path, processes):
    """A migrated, synced file database; start_web(redis_url) starts the receiver and
    registers it with the simulator (manage.py dialpad_webhooks ensure)."""
    for table in ("webhooks", "subscriptions_changelog", "subscriptions_sms"):
        getattr(sim.state, table).clear()
    env = console_env(tmp_path, sim, REDIS_URL=own_redis_db(REDIS_URL),
                      DIALPAD_WEBHOOK_SECRET=SECRET)
    db = migrate(env)
    subprocess.run([sys.executable, "manage.py", "sync_org"], cwd=BASE_DIR, env=env,
                   check=True, timeout=120, capture_output=True)

    def start_web(redis_url):
        port = free_port()
        web_env = {**env, "REDIS_URL": redis_url}
        processes("web", [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}",
                          "--noreload"], web_env, ready=answers(f"http://127.0.0.1:{port}/healthz"))
        subprocess.run([sys.executable, "manage.py", "dialpad_webhooks", "ensure", "--url",
                        f"http://127.0.0.1:{port}/webhooks/dialpad/"], cwd=BASE_DIR, env=env,
                       check=True, timeout=60, capture_output=True)
        sim.events.deliver = True

    return env, db, start_web


def start_worker(processes, env, tmp_path):
    log = tmp_path / "worker.log"
    return processes("worker", [
        sys.executable, "-m", "celery", "-A", "dialpad_console", "worker", "--pool=solo",
        "--hostname", f"events-{os.getpid()}@%h", "--without-gossip", "--without-mingle",
        "--without-heartbeat", "--loglevel", "INFO"], env,
        ready=lambda: log.exists() and "ready." in log.read_text())


def wait_for(db, query, args, expected, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        with sqlite3.connect(db) as conn:
            found = conn.execute(query, args).fetchall()
        if expected(found):
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{query} {args}: {found}")
        time.sleep(0.2)


def history_of_user(db, user_id):
    return wait_for(db, "SELECT change_message FROM django_admin_log WHERE object_id = ? "
                        "AND change_message LIKE 'Dialpad change log:%'", (str(user_id),),
                    lambda rows: rows)


def a_user(sim):
    return next(u for u in sim.state.users.values() if u["state"] == "active")


def test_an_outside_change_reaches_the_mirror_and_its_history(sim, console, processes,
                                                             tmp_path):
    env, db, start_web = console
    start_web(env["REDIS_URL"])
    start_worker(processes, env, tmp_path)
    user = a_user(sim)

    sim.outside.rename_user(user["id"], "Ada", "Lovelace", by="Grace Hopper")

    wait_for(db, "SELECT display_name FROM orgs_dialpaduser WHERE dialpad_id = ?",
             (user["id"],), lambda rows: rows == [("Ada Lovelace",)])
    [(message,)] = history_of_user(db, user["id"])
    assert message.startswith("Dialpad change log: updated_user by Grace Hopper "
                              "(admin portal): first name: ")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM syncjobs_syncrun").fetchone() == (1,)
        assert conn.execute("SELECT status FROM events_event").fetchall() == [("done",)]


def test_with_the_broker_down_the_event_waits_for_the_sweep(sim, console, tmp_path):
    env, db, start_web = console
    start_web("redis://127.0.0.1:1/0")  # nothing listens there: every publish fails
    user = a_user(sim)

    sim.outside.rename_user(user["id"], "Still", "Here")

    wait_for(db, "SELECT status FROM events_event", (), lambda rows: rows == [("pending",)])
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT first_name FROM orgs_dialpaduser WHERE dialpad_id = ?",
                            (user["id"],)).fetchone() != ("Still",)
    subprocess.run([sys.executable, "manage.py", "dialpad_webhooks", "sweep"], cwd=BASE_DIR,
                   env=env, check=True, timeout=60, capture_output=True)

    wait_for(db, "SELECT first_name FROM orgs_dialpaduser WHERE dialpad_id = ?",
             (user["id"],), lambda rows: rows == [("Still",)], timeout=5)
    assert history_of_user(db, user["id"])
