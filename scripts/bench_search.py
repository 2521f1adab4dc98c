"""The search benchmark: python scripts/bench_search.py [--orgs large,xlarge]
[--databases sqlite,postgres] [--requests 30] [--postgres-url URL] [--fresh].

For each database and simulator org, a mirror of the org is synced once through the simulator
and the real sync (kept for the next run: var/bench-search/<org>.sqlite3, and the PostgreSQL
database dialpad_bench_search_<org>; --fresh syncs again), then a fresh process times the
admin pages below through Django's test client, logged in as a superuser, with DEBUG off:

- the user changelist, and a user searched by full name, by email and by extension;
- the number changelist searched in three formats of one number;
- the primary office's change page (its departments, call centers, rooms, users, numbers);
- the global search (/admin/search/, every kind at once) for that user's name, last name,
  email and extension, and for one of the user's numbers in its national format.

It prints, per database, each page's server time (median and 95th percentile of --requests
requests, after a few warm-up requests) at each size, the median CPU time of the Django process
(on a machine other work shares, the figure its load does not inflate; it leaves out the
PostgreSQL server's share), and the page's query count at each size. Targets (2 cores): every
figure under 50 ms at large and under 100 ms at xlarge, and the same query count at both
sizes. Figures are printed, not asserted. Beside them, the time of a plain Python loop before
and after each size's pages: on a shared or burstable machine, whose speed can change several
times over within the hour, it is the yardstick that makes figures from two runs comparable.
Before measuring, PostgreSQL's tables are vacuumed and analyzed, as autovacuum would have done
by then.
"""

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
# Run as a file (`python scripts/bench_search.py`): the project's packages are beside scripts/,
# and bench_sync.py beside this file.
sys.path.insert(0, str(BASE_DIR))
from bench_sync import _ok, _start_simulator, _table  # noqa: E402

DATABASES = ("sqlite", "postgres")
ORGS = ("large", "xlarge")
TARGET_MS = {"large": 50, "xlarge": 100}
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
NUMBER_TERMS = ("(415) 555-0100", "+1 415-555-0100", "5550100")
WARM_UP = 3


# --- the orchestrator ------------------------------------------------------------------------

def _sqlite_url(org, fresh):
    path = BASE_DIR / "var" / "bench-search" / f"{org}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    if fresh:
        for leftover in path.parent.glob(f"{org}.sqlite3*"):
            leftover.unlink()
    return f"sqlite:///{path}"


def _postgres_url(org, fresh, maintenance_url):
    import psycopg

    name = f"dialpad_bench_search_{org}"
    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or fresh:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(maintenance_url)._replace(path=f"/{name}"))


def _run_phase(phase, database_url, *extra):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "dialpad_console.settings",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DIALPAD_RATE_LIMIT_PER_MINUTE": "0",
        # As in production: a web process keeps its PostgreSQL connection (SQLite: 0, a file).
        "DJANGO_CONN_MAX_AGE": "60" if database_url.startswith("postgres") else "0",
    }
    env.pop("REDIS_URL", None)
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--phase", phase, *extra],
        cwd=BASE_DIR, env=env, capture_output=True, text=True,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stdout + out.stderr)
        raise SystemExit(f"Benchmark phase {phase} failed.")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _mirror(database, org, args):
    """The database URL of a synced mirror of `org`, syncing it first if need be."""
    if database == "sqlite":
        url = _sqlite_url(org, args.fresh)
    else:
        url = _postgres_url(org, args.fresh, args.postgres_url)
    status = _run_phase("status", url, "--org", org)
    if not status["synced"]:
        print(f"Syncing the {org} org into {database} (once; minutes at xlarge)...", flush=True)
        sim, base_url = _start_simulator(org, args.seed)
        try:
            synced = _run_phase("populate", url, "--base-url", base_url)
        finally:
            sim.terminate()
            sim.wait()
        print(f"  {synced['status']} in {synced['wall_s']:.0f} s", flush=True)
    return url


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python scripts/bench_search.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", default=",".join(ORGS), help="simulator orgs, comma-separated")
    parser.add_argument("--databases", default=",".join(DATABASES))
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL,
                        help="a URL of the server's maintenance database "
                             f"(default {DEFAULT_POSTGRES_URL})")
    parser.add_argument("--fresh", action="store_true", help="sync the mirrors again")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--org", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        print(json.dumps(PHASES[args.phase](args)))
        return

    orgs = args.orgs.split(",")
    print(_machine_speed(), flush=True)
    for database in args.databases.split(","):
        results = {}
        for org in orgs:
            url = _mirror(database, org, args)
            results[org] = _run_phase("measure", url, "--requests", str(args.requests))
        print(_report(orgs, results, args.requests), flush=True)


def loop_seconds():
    """How fast this machine runs plain Python now: the time of a 10-million-step loop, from
    the best of five runs of a million steps. A shared or burstable machine's speed changes
    from minute to minute; the report gives it beside each size's figures, as their yardstick
    (the pages' time is mostly Python)."""
    def million():
        started = time.perf_counter()
        total = 0
        for step in range(1_000_000):
            total += step
        return time.perf_counter() - started

    return 10 * min(million() for _ in range(5))


def _machine_speed():
    cpu = next((line.split(":", 1)[1].strip() for line in _cpuinfo() if line.startswith(
        "model name")), "unknown CPU")
    return (f"Machine: {cpu}, {os.cpu_count()} cores; a 10-million-step Python loop now takes "
            f"{loop_seconds():.2f} s")


def _cpuinfo():
    try:
        return Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return []


def _report(orgs, results, requests):
    rows = []
    for page in results[orgs[0]]["pages"]:
        figures = [results[org]["pages"][page] for org in orgs]
        counts = [fig["queries"] for fig in figures]
        passed = len(set(counts)) == 1 and all(
            max(fig["p50_ms"], fig["p95_ms"]) < TARGET_MS.get(org, 100)
            for org, fig in zip(orgs, figures))
        rows.append((
            page,
            *(f"{fig['p50_ms']:.1f} / {fig['p95_ms']:.1f} ({fig['cpu_ms']:.0f})"
              for fig in figures),
            " / ".join(str(count) for count in counts),
            " / ".join(str(fig["results"]) for fig in figures),
            _ok(passed),
        ))
    header = ("page", *(f"{org}: p50 / p95 (cpu) ms" for org in orgs), "queries", "rows found",
              "")
    sizes = "; ".join(f"{org}: {results[org]['users']:,} users, {results[org]['numbers']:,} "
                      "numbers" for org in orgs)
    targets = ", ".join(f"< {TARGET_MS.get(org, 100)} ms at {org}" for org in orgs)
    load = ", ".join(f"{results[org]['load']:.1f} at {org}" for org in orgs)
    speed = ", ".join(
        f"{results[org]['loop_s'][0]:.2f} s before and {results[org]['loop_s'][1]:.2f} s after "
        f"{org}" for org in orgs)
    title = (f"Search benchmark, {results[orgs[0]]['vendor']}, {os.cpu_count()} cores (1-minute "
             f"load average {load}), {requests} requests per page ({sizes})\n"
             f"Server time per request: median / 95th percentile, and (median CPU time of the "
             f"Django process, without the database server's)\nMachine speed while measuring, a "
             f"10-million-step Python loop: {speed}\nTargets: {targets}; equal query counts")
    terms = [f"  {page}: {', '.join(repr(results[org]['pages'][page]['term']) for org in orgs)}"
             for page in results[orgs[0]]["pages"] if results[orgs[0]]["pages"][page]["term"]]
    return "\n".join([_table(title, rows, header), "Search terms (per org):", *terms])


# --- the phases (each in its own process) ----------------------------------------------------

def _setup():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # As in production: no per-query debug recording.
    settings.DEBUG = False
    call_command("migrate", verbosity=0)


def phase_status(args):
    """Whether the database already holds a complete mirror of the org."""
    _setup()
    from dialpad_sim.generate import SIZES
    from orgs.models import DialpadUser
    from syncjobs.choices import Status
    from syncjobs.models import SyncRun

    synced = (DialpadUser.objects.count() == SIZES[args.org]["users"]
              and SyncRun.objects.filter(status=Status.SUCCEEDED).exists())
    return {"synced": synced}


def phase_populate(args):
    """One sync of the simulator's org, then fresh planner statistics on PostgreSQL."""
    _setup()

    from dialpad_console.dialpad import DialpadClient
    from syncjobs.engine import run_sync

    started = time.perf_counter()
    client = DialpadClient(api_key="sim-key", base_url=args.base_url, rate_limit_per_minute=0)
    run = run_sync(trigger="command", client=client)
    return {"status": run.status, "wall_s": time.perf_counter() - started}


def _vacuum():
    """What autovacuum does after a sync or a migration (this PostgreSQL may run without it):
    fresh planner statistics, and the visibility map that index-only scans need."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _pages():
    """(label, URL, search term) of each measured page, for subjects picked the same way at
    every size: the first active user with an extension (and a number, for the global
    search's number), the primary office."""
    import phonenumbers
    from django.urls import reverse

    from orgs.models import DialpadUser, Office

    user = (DialpadUser.objects.filter(gone_at__isnull=True, state="active")
            .exclude(extension="").order_by("pk").first())
    number = (DialpadUser.objects.filter(gone_at__isnull=True, state="active")
              .exclude(extension="").filter(assigned_numbers__isnull=False).order_by("pk")
              .values_list("assigned_numbers__number", flat=True).first())
    national = phonenumbers.format_number(phonenumbers.parse(number),
                                          phonenumbers.PhoneNumberFormat.NATIONAL)
    office = Office.objects.get(is_primary_office=True)
    users = reverse("admin:orgs_dialpaduser_changelist")
    numbers = reverse("admin:orgs_phonenumber_changelist")
    everything = reverse("global_search")
    return [
        ("user list", users, None),
        ("user by name", users, user.display_name),
        ("user by email", users, user.email),
        ("user by extension", users, user.extension),
        *((f"number: {term}", numbers, term) for term in NUMBER_TERMS),
        ("office page (primary)", reverse("admin:orgs_office_change", args=[office.pk]), None),
        ("global: name", everything, user.display_name),
        ("global: last name", everything, user.last_name),
        ("global: email", everything, user.email),
        ("global: extension", everything, user.extension),
        ("global: number", everything, national),
    ]


def _found(html):
    """The "N results" of a searched changelist, the "N <things>" of a plain one, the sum of
    the global search's "Found N users, M numbers", "-" on a change page."""
    summary = re.search(r'class="global-search-summary">\s*(Found [^.]*\.|Nothing)', html)
    if summary:
        return sum(int(count) for count in re.findall(r"(\d+) ", summary.group(1)))
    match = re.search(r"(\d+) results?\b", html) or re.search(
        r'class="paginator">.*?(\d+) [^<\d]+</p>', html, re.S)
    return int(match.group(1)) if match else "-"


def _measure(client, url, requests):
    from django.db import connection

    for _ in range(WARM_UP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    statements = []
    # Not CaptureQueriesContext: a request closes its connection (CONN_MAX_AGE 0), which
    # clears the connection's query log.
    with connection.execute_wrapper(lambda execute, sql, *rest: (statements.append(sql),
                                                                 execute(sql, *rest))[1]):
        response = client.get(url)
    times, cpu = [], []
    for _ in range(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    times.sort()
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": times[max(0, math.ceil(0.95 * len(times)) - 1)],
        "cpu_ms": statistics.median(cpu),
        "queries": len(statements),
        "results": _found(response.content.decode()),
    }


def phase_measure(args):
    _setup()
    _vacuum()
    import dialpad_console.wsgi  # noqa: F401 -- the web process's start-up, as gunicorn runs it
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from orgs.models import DialpadUser, PhoneNumber

    admin, _ = get_user_model().objects.get_or_create(
        username="bench-search", defaults={"is_staff": True, "is_superuser": True})
    client = Client()
    client.force_login(admin)
    pages = {}
    speed_before = loop_seconds()
    for label, url, term in _pages():
        pages[label] = _measure(client, url + (f"?{urlencode({'q': term})}" if term else ""),
                                args.requests)
        pages[label]["term"] = term
    return {"vendor": connection.display_name, "pages": pages, "load": os.getloadavg()[0],
            "loop_s": (speed_before, loop_seconds()),
            "users": DialpadUser.objects.count(), "numbers": PhoneNumber.objects.count()}


PHASES = {"status": phase_status, "populate": phase_populate, "measure": phase_measure}


if __name__ == "__main__":
    main()
