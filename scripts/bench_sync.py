"""The sync benchmark: python scripts/bench_sync.py [--org NAME] [--skip-throttled] [--skip-naive].

Starts the simulator's large org in a subprocess (so its CPU is on the other core and its
memory is not counted as ours), and runs each measurement in a fresh Python process with a
fresh temporary SQLite database, then prints one table:

- our first sync (wall time, API calls, peak RSS of the syncing process) and our second sync
  of the unchanged org (wall time, mirror and History rows written: must be 0);
- our first sync against a simulator limited to 1200 requests per minute, beside the floor
  that limit sets (API calls / 20 per second) and how many calls were answered 429;
- a naive baseline on the same simulator: every listing iterated and each row written with
  `update_or_create`, one by one, plus a History entry per created row, as the sync
  writes (the same result as ours, row by row), as a ratio against our first sync.

Targets (2 cores): first sync <= 30 s and >= 10x faster than naive; rate-limited <= 1.1x the
floor with < 1% 429s; peak RSS <= 300 MB. Figures are printed, not asserted.
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# Run as a file (`python scripts/bench_sync.py`): the project's packages are beside scripts/.
sys.path.insert(0, str(BASE_DIR))
RATE_LIMIT = 1200
MIRROR_TABLES = re.compile(r'(INTO|UPDATE|FROM)\s+"?(orgs_\w+|django_admin_log)"?', re.I)


# --- the orchestrator ------------------------------------------------------------------------

def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_simulator(org, seed, rate_limit=None):
    port = _free_port()
    cmd = [sys.executable, "-m", "dialpad_sim", "serve", "--org", org, "--seed", str(seed),
           "--port", str(port)]
    if rate_limit:
        cmd += ["--rate-limit-per-minute", str(rate_limit)]
    proc = subprocess.Popen(cmd, cwd=BASE_DIR, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    match = re.search(r"https?://[\w.:]+", line)
    if not match:
        proc.kill()
        raise SystemExit(f"The simulator did not start: {line!r}")
    return proc, match.group(0)


def _run_phase(phase, base_url, workdir, *extra):
    db = Path(workdir) / f"{phase}.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DIALPAD_CONSOLE_VAR_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "dialpad_console.settings",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--phase", phase, "--base-url",
         base_url, *extra], cwd=BASE_DIR, env=env, capture_output=True, text=True,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stdout + out.stderr)
        raise SystemExit(f"Benchmark phase {phase} failed.")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python scripts/bench_sync.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--org", default="large", help="simulator org (default: large)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-throttled", action="store_true",
                        help="skip the sync against the 1200/min rate limit (~80 s)")
    parser.add_argument("--skip-naive", action="store_true",
                        help="skip the naive update_or_create baseline (minutes)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        result = PHASES[args.phase](args.base_url)
        print(json.dumps(result))
        return

    rows = []
    with tempfile.TemporaryDirectory(prefix="dialpad-bench-") as workdir:
        sim, url = _start_simulator(args.org, args.seed)
        try:
            ours = _run_phase("ours", url, workdir)
            naive = None if args.skip_naive else _run_phase("naive", url, workdir)
        finally:
            sim.terminate()
            sim.wait()
        throttled = None
        if not args.skip_throttled:
            sim, url = _start_simulator(args.org, args.seed, rate_limit=RATE_LIMIT)
            try:
                throttled = _run_phase("throttled", url, workdir)
            finally:
                sim.terminate()
                sim.wait()

    first, second = ours["first"], ours["second"]
    rows.append(("first sync: wall time", f"{first['wall_s']:.1f} s", "<= 30 s",
                 _ok(first["wall_s"] <= 30)))
    rows.append(("first sync: API calls", f"{first['api_calls']:,}", "", ""))
    rows.append(("first sync: status / rows", f"{first['status']} / {first['rows']:,}", "", ""))
    rows.append(("first sync: peak RSS", f"{first['peak_rss_mb']:.0f} MB", "<= 300 MB",
                 _ok(first["peak_rss_mb"] <= 300)))
    rows.append(("second sync: wall time", f"{second['wall_s']:.1f} s", "", ""))
    rows.append(("second sync: rows written", f"{second['rows_written']}", "0",
                 _ok(second["rows_written"] == 0)))
    if throttled:
        floor = throttled["api_calls"] / (RATE_LIMIT / 60)
        ratio = throttled["wall_s"] / floor
        share = throttled["rate_limited"] / max(1, throttled["api_calls"])
        rows.append((f"throttled ({RATE_LIMIT}/min): wall time", f"{throttled['wall_s']:.1f} s",
                     "", ""))
        rows.append(("throttled: floor (API calls / 20 per s)",
                     f"{floor:.1f} s ({throttled['api_calls']:,} calls)", "", ""))
        rows.append(("throttled: wall / floor", f"{ratio:.2f}x", "<= 1.1x", _ok(ratio <= 1.1)))
        rows.append(("throttled: 429s", f"{throttled['rate_limited']} ({share:.2%})", "< 1%",
                     _ok(share < 0.01)))
    if naive:
        ratio = naive["wall_s"] / first["wall_s"]
        rows.append(("naive update_or_create + History", f"{naive['wall_s']:.1f} s", "", ""))
        rows.append(("naive / our first sync", f"{ratio:.1f}x", ">= 10x", _ok(ratio >= 10)))
        rows.append(("  (naive mirror rows only, no History)",
                     f"{naive['wall_no_history_s']:.1f} s "
                     f"({naive['wall_no_history_s'] / first['wall_s']:.1f}x)", "", ""))
    print(_table(f"Sync benchmark: simulator org {args.org!r} (seed {args.seed}), "
                 f"{os.cpu_count()} cores, SQLite", rows))


def _ok(passed):
    return "ok" if passed else "MISSED"


def _table(title, rows, header=("measure", "value", "target", "")):
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "+".join("-" * (w + 2) for w in widths)
    out = [title, line]
    for r in [header, None, *rows]:
        if r is None:
            out.append(line)
            continue
        out.append("|".join(f" {str(c):<{w}} " for c, w in zip(r, widths)))
    out.append(line)
    return "\n".join(out)


# --- the measured phases (each in its own process) -------------------------------------------

def _setup():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # As in production: no per-query debug recording.
    settings.DEBUG = False
    call_command("migrate", verbosity=0)


def _peak_rss_mb():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _client(base_url, rate_limit=None):
    from dialpad_console.dialpad import DialpadClient

    return DialpadClient(api_key="sim-key", base_url=base_url,
                         rate_limit_per_minute=rate_limit)


class _WriteCounter:
    """Counts rows INSERTed, UPDATEd or DELETEd in mirror and History tables."""

    def __init__(self):
        self.rows = 0

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        verb = sql.lstrip().split(None, 1)[0].upper()
        if verb in ("INSERT", "UPDATE", "DELETE") and MIRROR_TABLES.search(sql):
            self.rows += max(context["cursor"].rowcount, 0)
        return result


def _mirror_rows():
    from orgs import models

    return sum(
        model.objects.count() for model in (
            models.Company, models.Office, models.Department, models.CallCenter, models.Room,
            models.DialpadUser, models.PhoneNumber, models.OperatorMembership,
            models.E911Address,
        )
    )


def phase_ours(base_url):
    _setup()
    from django.db import connection

    from syncjobs.engine import run_sync

    started = time.perf_counter()
    run = run_sync(trigger="command", client=_client(base_url))
    first = {
        "wall_s": time.perf_counter() - started, "api_calls": run.api_calls,
        "status": run.status, "peak_rss_mb": _peak_rss_mb(), "rows": _mirror_rows(),
    }
    counter = _WriteCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        run = run_sync(trigger="command", client=_client(base_url))
        second = {"wall_s": time.perf_counter() - started, "rows_written": counter.rows,
                  "status": run.status, "api_calls": run.api_calls}
    return {"first": first, "second": second}


def phase_throttled(base_url):
    _setup()
    from syncjobs.engine import run_sync

    started = time.perf_counter()
    run = run_sync(trigger="command", client=_client(base_url, rate_limit=RATE_LIMIT))
    return {"wall_s": time.perf_counter() - started, "api_calls": run.api_calls,
            "rate_limited": run.rate_limited, "retries": run.retries, "status": run.status}


def phase_naive(base_url):
    """Every listing, each row with update_or_create (and its History entry), one by one."""
    _setup()
    from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
    from django.utils import timezone

    from dialpad_console.dialpad import endpoints
    from orgs import mirror as m
    from orgs.history import sync_user
    from orgs.models import OperatorMembership

    actor = sync_user()
    client = _client(base_url)
    with_history = [True]
    history_time = [0.0]

    def save(model, lookup, values):
        obj, created = model.objects.update_or_create(**lookup, defaults=values)
        if with_history[0]:
            t = time.perf_counter()
            LogEntry.objects.log_actions(
                user_id=actor.pk, queryset=[obj], action_flag=ADDITION if created else CHANGE,
                change_message="naive sync",
            )
            history_time[0] += time.perf_counter() - t

    def upsert(mirror, payload):
        values = mirror.fields(payload)
        values["payload"] = m.clean_payload(payload)
        values["last_seen_at"] = timezone.now()
        save(mirror.model, {mirror.identity_field: mirror.identity(payload)}, values)

    def membership(group_type, group_id, operator_type, operator_id, role):
        values = m.membership_fields(group_type=group_type, group_id=group_id,
                                     operator_type=operator_type, operator_id=operator_id,
                                     role=role)
        values["last_seen_at"] = timezone.now()
        key = OperatorMembership.make_key(group_type, group_id, operator_type, operator_id)
        save(OperatorMembership, {"key": key}, values)

    started = time.perf_counter()
    upsert(m.COMPANY, client.get(endpoints.COMPANY))
    offices, departments = [], []
    for mirror in (m.OFFICES, m.DEPARTMENTS, m.CALLCENTERS, m.ROOMS, m.USERS, m.NUMBERS):
        listing = endpoints.LISTINGS[mirror.name]
        for payload in client.iter_items(listing.path, listing.params):
            upsert(mirror, payload)
            if mirror is m.OFFICES:
                offices.append(int(payload["id"]))
            elif mirror is m.DEPARTMENTS:
                departments.append(int(payload["id"]))
            elif mirror is m.USERS:
                for group_type, group_id, role in m.user_memberships(payload):
                    membership(group_type, group_id, "user", int(payload["id"]), role)
    for group_type, ids in (("office", offices), ("department", departments)):
        for gid in ids:
            answer = client.get(endpoints.operators(group_type, gid)) or {}
            for room in answer.get("rooms") or []:
                membership(group_type, gid, "room", int(room["id"]), "operator")
    wall = time.perf_counter() - started
    return {"wall_s": wall, "wall_no_history_s": wall - history_time[0],
            "api_calls": client.stats.calls}


PHASES = {"ours": phase_ours, "throttled": phase_throttled, "naive": phase_naive}


if __name__ == "__main__":
    main()
