"""Soak: a large-org sync while admins push, create, rename and log in, all at once.

    python scripts/soak.py [--database sqlite|postgres] [--org large|medium|demo]
                           [--admins 3] [--postgres-url postgres://postgres@127.0.0.1:5432/postgres]

`make soak` runs it on both databases. It starts the simulator with the org, a console
database of its own (a file SQLite database, or a throwaway PostgreSQL database on the
server --postgres-url names), mirrors the org with a quiet sync, changes a few hundred
objects "in Dialpad" so the racing sync has work, then runs that sync while admin threads
use the real admin over Django's test client: log in, open pages, create and rename rooms,
add operators, assign numbers by area code. When the sync ends the admins stop; a dry-run
sync compares the mirror with the simulator; a last quiet sync runs. It prints one table.

Success: the racing sync succeeded, 0 answers were 500, 0 rows differ from the simulator
after it (a dry run would change nothing), 0 false "gone" History entries.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))

from dialpad_sim.server import SimulatorServer  # noqa: E402

PASSWORD = "soak-password"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--org", default="large")
    parser.add_argument("--admins", type=int, default=3)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="a URL of the server's maintenance database")
    return parser.parse_args()


def make_database(args, workdir):
    """(DATABASE_URL, cleanup) for a fresh console database."""
    if args.database == "sqlite":
        return f"sqlite:///{workdir / 'soak.sqlite3'}", lambda: None
    import psycopg

    name = f"dpc_soak_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(args.postgres_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(args.postgres_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{args.postgres_url.rsplit('/', 1)[0]}/{name}", drop


def configure(sim, database_url, workdir):
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "dialpad_console.settings", "DATABASE_URL": database_url,
        "DIALPAD_CONSOLE_VAR_DIR": str(workdir), "DIALPAD_BASE_URL": sim.base_url,
        "DIALPAD_API_KEY": sim.api_key, "DIALPAD_RATE_LIMIT_PER_MINUTE": "0",
        "DJANGO_LOG_LEVEL": "ERROR", "DJANGO_ALLOWED_HOSTS": "testserver",
    })
    os.environ.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=BASE_DIR,
                   check=True, timeout=600)
    import django

    django.setup()


def change_in_dialpad(sim, rng, count=300):
    """Outside changes for the racing sync to find: renamed users and rooms."""
    for uid in rng.sample(sorted(sim.state.users), min(count, len(sim.state.users))):
        sim.state.users[uid]["display_name"] = f"Soak {uid}"
    for rid in rng.sample(sorted(sim.state.rooms), min(count // 3, len(sim.state.rooms))):
        sim.state.rooms[rid]["name"] = f"Soak room {rid}"


class Admin(threading.Thread):
    """One admin using the admin site until told to stop; counts what it did."""

    def __init__(self, number, stop, tally):
        super().__init__(name=f"admin-{number}", daemon=True)
        self.number, self.stop, self.tally = number, stop, tally
        self.rng = random.Random(number)

    def run(self):
        from django.db import connection
        from django.test import Client

        client = Client(raise_request_exception=False)
        try:
            while not self.stop.is_set():
                self.step(client)
        finally:
            connection.close()

    def step(self, client):
        from django.urls import reverse

        from orgs.models import CallCenter, Office, Room

        if not client.login(username=f"soak{self.number}", password=PASSWORD):
            self.count("login refused")
        self.count("logins")
        office = Office.objects.filter(gone_at__isnull=True).order_by("?").first()
        room = Room.objects.filter(gone_at__isnull=True).order_by("?").first()
        callcenter = CallCenter.objects.filter(gone_at__isnull=True).order_by("?").first()
        self.answer(client.get(reverse("admin:orgs_dialpaduser_changelist"), {"q": "a"}),
                    "pages")
        name = f"Soak {self.number}-{uuid.uuid4().hex[:6]}"
        self.answer(client.post(reverse("admin:orgs_room_create") + f"?office={office.pk}",
                                {"name": name}), "pushes")
        self.answer(client.post(reverse("admin:orgs_room_rename", args=[room.pk]),
                                {"name": f"{name} renamed"}), "pushes")
        self.answer(client.post(reverse("admin:orgs_room_number_assign", args=[room.pk]),
                                {"area_code": "415"}), "pushes")
        user = self.free_operator(callcenter)
        if user is not None:
            self.answer(client.post(
                reverse("admin:orgs_callcenter_operator_add", args=[callcenter.pk]),
                {"operator_type": "user", "user": user, "role": "operator"}), "pushes")

    def free_operator(self, callcenter):
        from orgs.models import DialpadUser

        taken = callcenter.operators.filter(gone_at__isnull=True).values_list(
            "user_id", flat=True)
        return DialpadUser.objects.filter(state="active", gone_at__isnull=True).exclude(
            pk__in=list(taken)).order_by("?").values_list("pk", flat=True).first()

    def answer(self, response, kind):
        self.count(kind)
        if response.status_code >= 500:
            self.count("500s")
        elif response.status_code not in (200, 302):
            self.count(f"HTTP {response.status_code}")

    def count(self, what):
        with self.tally["lock"]:
            self.tally[what] = self.tally.get(what, 0) + 1


def soak(args, sim):
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth import get_user_model

    from syncjobs.engine import run_sync

    for n in range(args.admins):
        get_user_model().objects.create_superuser(f"soak{n}", password=PASSWORD)
    started = time.monotonic()
    quiet = run_sync()
    first_s = time.monotonic() - started
    change_in_dialpad(sim, random.Random(7))
    stop, tally = threading.Event(), {"lock": threading.Lock()}
    admins = [Admin(n, stop, tally) for n in range(args.admins)]
    for admin in admins:
        admin.start()
    started = time.monotonic()
    race = run_sync()
    race_s = time.monotonic() - started
    stop.set()
    for admin in admins:
        admin.join(timeout=120)
    sim.app.wait_until_idle()
    dry = run_sync(dry_run=True)
    mismatches = sum(c.get(k, 0) for c in dry.counts.values()
                     for k in ("created", "updated", "gone", "held"))
    false_gone = LogEntry.objects.filter(
        change_message__startswith=f"Sync run #{race.pk}: gone from Dialpad").count()
    after = run_sync()
    return {
        "first sync": f"{quiet.status} in {first_s:.1f} s",
        "racing sync": f"{race.status} in {race_s:.1f} s" + (f" ({race.error})"
                                                          if race.error else ""),
        "racing sync: rows updated": sum(c.get("updated", 0) for c in race.counts.values()),
        "racing sync: rows kept (newer)": sum(c.get("newer", 0) for c in race.counts.values()),
        "admin logins": tally.get("logins", 0),
        "admin pages": tally.get("pages", 0),
        "pushes made": tally.get("pushes", 0),
        "500s": tally.get("500s", 0),
        "other refusals": {k: v for k, v in tally.items() if k.startswith(("HTTP", "login r"))},
        "rows mirror != simulator after the racing sync": mismatches,
        "false 'gone' History entries": false_gone,
        "quiet sync after": after.status,
    }


def main():
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="dialpad-soak-"))
    sim = SimulatorServer(org=args.org, seed=1)
    sim.start()
    database_url, drop = make_database(args, workdir)
    try:
        configure(sim, database_url, workdir)
        result = soak(args, sim)
    finally:
        sim.stop()
        drop()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"Soak: org '{args.org}', {args.database}, {args.admins} admins at once")
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"  {key:<{width}}  {value}")
    ok = (result["racing sync"].startswith("succeeded") and result["500s"] == 0
          and result["rows mirror != simulator after the racing sync"] == 0
          and result["false 'gone' History entries"] == 0)
    print("  result" + " " * (width - 4) + ("ok" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
