"""Events benchmark: how fast an outside change reaches the mirror, and what the receiver takes.

    python scripts/bench_events.py [--database postgres|sqlite] [--changes 200]
                                   [--events 3000] [--senders 8]
                                   [--postgres-url postgres://postgres@127.0.0.1:5432/postgres]

It runs the production processes on this machine: a Redis of its own (redis-server on a free
port), a console database (a throwaway PostgreSQL database, or a file SQLite one), migrated
and mirrored by a first sync of the simulator's demo org, gunicorn serving the receiver
(production settings, GUNICORN_WORKERS web processes) and one Celery worker (prefork, its
default concurrency). The simulator runs in this process and sends its events to the
receiver, registered with `manage.py dialpad_webhooks ensure` as an admin would.

1. Latency: --changes renames of users made "outside" (sim.outside.rename_user, as another
   admin in Dialpad's portal), one after another; for each, the time from the change in the
   simulator to the mirror row read back with the new name. Prints p50, p95 and the worst.
2. Absorption: --events distinct signed events (SMS events, and a tenth change-log events
   for the org's users) posted by --senders concurrent clients straight at the receiver, a
   tenth of them twice (redeliveries). Prints the rate answered, then waits until the worker
   has processed them all and checks that nothing was lost (one row per distinct event,
   every answer 200) and nothing was processed twice. Twice: with the worker processing
   meanwhile (sharing the two cores), and with the worker paused (SIGSTOP) during the burst,
   which is the receiver's own rate and shows the events waiting for it, then processed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jwt
import requests

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))

from dialpad_sim.server import SimulatorServer  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="a URL of the server's maintenance database")
    return parser.parse_args()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Processes:
    """Children started for the run, stopped at the end (each in its own process group)."""

    def __init__(self, workdir):
        self.workdir, self.children = workdir, []

    def start(self, name, args, env):
        log = open(self.workdir / f"{name}.log", "w")
        proc = subprocess.Popen(args, cwd=BASE_DIR, env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.children.append((proc, log))
        return proc

    def wait_for_text(self, name, text, timeout=60):
        deadline = time.monotonic() + timeout
        while text not in (self.workdir / f"{name}.log").read_text():
            if time.monotonic() > deadline:
                raise SystemExit(f"{name} did not start:\n"
                                 f"{(self.workdir / f'{name}.log').read_text()[-3000:]}")
            time.sleep(0.2)

    def signal(self, name, sig):
        """Send `sig` to the process group of the child `name` (SIGSTOP pauses it)."""
        for proc, log in self.children:
            if Path(log.name).stem == name:
                os.killpg(proc.pid, sig)

    def stop(self):
        for proc, log in reversed(self.children):
            if proc.poll() is None:
                os.killpg(proc.pid, 15)
        for proc, log in self.children:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
            log.close()


class Database:
    """The console's database, read directly (no Django in this process)."""

    def __init__(self, url):
        if url.startswith("sqlite"):
            import sqlite3
            self.conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            self.mark = "?"
        else:
            import psycopg
            self.conn = psycopg.connect(url, autocommit=True)
            self.mark = "%s"

    def one(self, sql, *args):
        return self.conn.execute(sql.replace("?", self.mark), args).fetchone()



class ThrowawayDatabase:
    """`with ThrowawayDatabase(args, workdir) as url:` a console database for this run only
    (PostgreSQL: created on the server --postgres-url names, dropped after)."""

    def __init__(self, args, workdir):
        self.server = args.postgres_url if args.database == "postgres" else None
        self.sqlite_file = workdir / "bench.sqlite3"
        self.name = f"dpc_bench_events_{uuid.uuid4().hex[:10]}"

    def _admin(self, statement):
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as conn:
            conn.execute(statement)

    def __enter__(self):
        if self.server is None:
            return f"sqlite:///{self.sqlite_file}"
        self._admin(f'CREATE DATABASE "{self.name}"')
        return f"{self.server.rsplit('/', 1)[0]}/{self.name}"

    def __exit__(self, *exc_info):
        if self.server is not None:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def start_console(procs, sim, database_url, workdir):
    """Redis, migrations, a first sync, gunicorn and a worker; returns the receiver's URL."""
    redis_port, web_port = free_port(), free_port()
    procs.start("redis", ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                          "--save", "", "--appendonly", "no"], os.environ.copy())
    procs.wait_for_text("redis", "Ready to accept connections")
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "dialpad_console.settings",
        "DATABASE_URL": database_url, "DIALPAD_CONSOLE_VAR_DIR": str(workdir),
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "DIALPAD_BASE_URL": sim.base_url,
        "DIALPAD_API_KEY": sim.api_key, "DIALPAD_WEBHOOK_SECRET": secrets.token_urlsafe(32),
        "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING", "CONSOLE_ADDR": f"127.0.0.1:{web_port}",
        "PYTHONPATH": str(BASE_DIR),
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], cwd=BASE_DIR, env=env, check=True)
    subprocess.run([*manage, "sync_org"], cwd=BASE_DIR, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    procs.start("web", [sys.executable, "-m", "gunicorn", "--config",
                        "dialpad_console/gunicorn.conf.py", "dialpad_console.wsgi"], env)
    procs.start("worker", [sys.executable, "-m", "celery", "-A", "dialpad_console", "worker",
                           "--loglevel", "INFO", "--without-gossip", "--without-mingle"], env)
    procs.wait_for_text("worker", "ready.")
    url = f"http://127.0.0.1:{web_port}/webhooks/dialpad/"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(url.replace("/webhooks/dialpad/", "/healthz"), timeout=2)
            break
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.2)
    subprocess.run([*manage, "dialpad_webhooks", "ensure", "--url", url], cwd=BASE_DIR,
                   env=env, check=True, stdout=subprocess.DEVNULL)
    return url, env["DIALPAD_WEBHOOK_SECRET"]


def measure_latency(sim, db, changes):
    """Seconds from each outside rename to its mirror row updated."""
    users = [u["id"] for u in sim.state.users.values() if u["state"] == "active"]
    latencies = []
    for n in range(changes):
        uid, name = users[n % len(users)], f"Bench{n:04d}"
        started = time.monotonic()
        sim.outside.rename_user(uid, name, by="Bench Admin")
        deadline = started + 30
        while db.one("SELECT first_name FROM orgs_dialpaduser WHERE dialpad_id = ?",
                      uid)[0] != name:
            if time.monotonic() > deadline:
                raise SystemExit(f"change {n} did not reach the mirror within 30 s")
            time.sleep(0.005)
        latencies.append(time.monotonic() - started)
    return latencies


def burst_tokens(sim, secret, count):
    """`count` distinct signed events: SMS events, and every tenth a change-log event."""
    users = [u["id"] for u in sim.state.users.values() if u["state"] == "active"]
    run = uuid.uuid4().int % 10**9
    tokens = []
    for n in range(count):
        if n % 10 == 0:
            event = {"date": int(time.time() * 1000), "action": f"bench_{run}_{n}",
                     "target": {"type": "user", "id": str(users[n % len(users)])},
                     "changed_by": {"name": "Bench", "type": "api"}}
        else:
            event = {"id": str(run * 10**6 + n), "direction": "inbound",
                     "created_date": int(time.time() * 1000), "message_status": "success",
                     "from_number": f"+1415555{n % 10000:04d}", "to_number": ["+14155550100"],
                     "target": {"type": "user", "id": str(users[0])}, "text": "bench"}
        tokens.append(jwt.encode({**event, "iat": int(time.time())}, secret, algorithm="HS256"))
    return tokens


def absorb(url, tokens, senders):
    """Post every token (a tenth twice) from `senders` threads; (seconds, statuses)."""
    sends = tokens + tokens[::10]
    statuses = []
    lock = threading.Lock()
    local = threading.local()

    def post(token):
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        status = session.post(url, data=token, timeout=30,
                              headers={"Content-Type": "application/jwt"}).status_code
        with lock:
            statuses.append(status)

    started = time.monotonic()
    with ThreadPoolExecutor(senders) as pool:
        list(pool.map(post, sends))
    return time.monotonic() - started, statuses


def main():
    args = parse_args()
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is needed (apt install redis-server)")
    workdir = Path(tempfile.mkdtemp(prefix="dpc-bench-events-"))
    procs = Processes(workdir)
    sim = SimulatorServer(org="demo", seed=1, deliver_events=True).start()
    for table in ("webhooks", "subscriptions_changelog", "subscriptions_sms"):
        getattr(sim.state, table).clear()  # the demo's own webhook points nowhere
    try:
        with ThrowawayDatabase(args, workdir) as database_url:
            try:
                url, secret = start_console(procs, sim, database_url, workdir)
                report(args, procs, sim, Database(database_url), url, secret)
            finally:
                procs.stop()
    finally:
        sim.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def report(args, procs, sim, db, url, secret):
    print(f"Events benchmark on {os.cpu_count()} cores, {args.database}, gunicorn + 1 worker")
    latencies = sorted(measure_latency(sim, db, args.changes))
    p50 = statistics.median(latencies)
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    print(f"outside change -> mirror row: {len(latencies)} changes, p50 {p50 * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, worst {latencies[-1] * 1000:.0f} ms "
          f"(goal: p95 under 2000 ms)")
    twice = 0
    for paused in (False, True):
        if paused:
            procs.signal("worker", signal.SIGSTOP)
        try:
            twice = burst(args, sim, db, url, secret, "worker paused" if paused
                          else "worker processing meanwhile")
        finally:
            if paused:
                procs.signal("worker", signal.SIGCONT)
        if paused:
            twice = wait_processed(db, time.monotonic())
    print(f"events processed twice: {twice}")


def burst(args, sim, db, url, secret, label):
    before = db.one("SELECT COUNT(*) FROM events_event")[0]
    tokens = burst_tokens(sim, secret, args.events)
    elapsed, statuses = absorb(url, tokens, args.senders)
    ok = sum(1 for s in statuses if s == 200)
    stored = db.one("SELECT COUNT(*) FROM events_event")[0] - before
    print(f"receiver ({label}): {len(statuses)} deliveries ({len(tokens)} distinct, "
          f"{len(statuses) - len(tokens)} redelivered) from {args.senders} senders in "
          f"{elapsed:.1f} s = {len(statuses) / elapsed:.0f} events/s; {ok} answered 200; "
          f"stored {stored} of {len(tokens)} (lost: {len(tokens) - stored})")
    return wait_processed(db, time.monotonic()) if "meanwhile" in label else 0


def wait_processed(db, started):
    """Wait until no event waits; print how long it took; the count processed twice."""
    query = "SELECT COUNT(*) FROM events_event WHERE status IN ('pending', 'refreshing')"
    while db.one(query)[0] and time.monotonic() - started < 600:
        time.sleep(0.2)
    sms_rows = db.one("SELECT COUNT(*) FROM events_smsevent")[0]
    print(f"  all processed {time.monotonic() - started:.1f} s after the burst (still "
          f"waiting: {db.one(query)[0]}; SMS rows so far {sms_rows})")
    return db.one("SELECT COUNT(*) FROM events_event WHERE attempts > 1")[0]

if __name__ == "__main__":
    main()
