"""The bulk message benchmark: python scripts/bench_messaging.py [--recipients 1000]
[--rate-limit 1200] [--kill-at 8].

Starts the simulator (demo org) in this process, answering 429 past --rate-limit requests a
minute, and a console on a fresh temporary SQLite file in subprocesses (migrate, then a
first sync), as deployed. Then:

1. a clean send: a job of --recipients recipients (batches of 50) sent by
   `manage.py bulk_message_run` with the client's pacing on, its wall time against the floor
   the rate limit sets (the least time the pacer allows: the calls beyond its burst, a
   second's worth, at limit / 60 a second), the API calls it made and how many were answered
   429. Under 1,200 a minute, 20 calls fit in the burst, so the floor is near 0 and the time
   is the work's own;
2. the same under --tight-limit requests a minute (100: SMS tier 0), where the floor binds:
   the pacer should hold it with no 429;
3. the same again at --rate-limit, its worker killed (SIGKILL) right after the simulator
   created batch --kill-at and before the worker read the answer, then restarted once its
   claim went silent: batches and recipients sent more than once (must be 0).

Figures are printed, not asserted.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))  # run as a file: the project's packages are beside scripts/

from dialpad_sim.server import SimulatorServer  # noqa: E402
from tests.messaging.worker_kill import (  # noqa: E402
    BULK_PATH, manage, run_killed_at_batch, sent_by_job, start_job,
)
from tests.syncjobs.filedb import console_env, migrate  # noqa: E402

STALE_AFTER = 2


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--rate-limit", type=int, default=1200)
    parser.add_argument("--kill-at", type=int, default=8)
    parser.add_argument("--tight-limit", type=int, default=100,
                        help="a second clean send under this limit (0: skip it)")
    return parser.parse_args()


def clean_send(sim, env, recipients, limit):
    job_id = start_job(env, recipients)
    before = len(sim.requests)
    started = time.monotonic()
    result = manage(env, "bulk_message_run", str(job_id))
    wall = time.monotonic() - started
    calls = sim.requests[before:]
    return {
        "job": job_id, "batches": sum(result["batches"].values()), "status": result["status"],
        "run_s": result["seconds"], "process_s": wall, "calls": len(calls),
        "posts": sum(1 for r in calls if r.method == "POST" and r.path == BULK_PATH),
        "answered_429": sum(1 for r in calls if r.status == 429),
        "floor_s": max(len(calls) - limit / 60, 0) / (limit / 60),
        "duplicates": sent_by_job(sim, job_id)[2],
    }


def killed_send(sim, env, recipients, kill_at):
    job_id = start_job(env, recipients)
    code = run_killed_at_batch(sim, env, job_id, kill_at)
    created_before_restart = len(sent_by_job(sim, job_id)[0])
    time.sleep(STALE_AFTER)
    result = manage(env, "bulk_message_run", str(job_id))
    titles, counts, duplicates = sent_by_job(sim, job_id)
    return {
        "exit": code, "created_when_killed": created_before_restart, "status": result["status"],
        "batches": len(titles), "batches_sent_twice": sum(len(m) > 1 for m in titles.values()),
        "recipients": len(counts), "duplicate_sends": duplicates,
    }


def main():
    args = parse_args()
    sim = SimulatorServer(org="demo", seed=1, rate_limit_per_minute=args.rate_limit).start()
    sim.state.messaging.delivery_seconds = 0
    try:
        with tempfile.TemporaryDirectory(prefix="bench-messaging-") as workdir:
            env = console_env(Path(workdir), sim, DIALPAD_RATE_LIMIT_PER_MINUTE=str(
                args.rate_limit), DIALPAD_BULK_STALE_AFTER=str(STALE_AFTER),
                DJANGO_LOG_LEVEL="ERROR")
            migrate(env)
            manage(env, "sync_org", "--json")
            clean = [clean_send(sim, env, args.recipients, args.rate_limit)]
            if args.tight_limit:
                sim.set_rate_limit(args.tight_limit)
                tight_env = {**env, "DIALPAD_RATE_LIMIT_PER_MINUTE": str(args.tight_limit)}
                clean.append(clean_send(sim, tight_env, args.recipients, args.tight_limit))
                sim.set_rate_limit(args.rate_limit)
            killed = killed_send(sim, env, args.recipients, args.kill_at)
    finally:
        sim.stop()
    report(args, clean, killed)


def _times(seconds, floor):
    return f"{seconds / floor:.2f}x the floor" if floor >= 0.5 else "the floor is not what binds"


def report(args, clean, killed):
    print(f"Bulk message benchmark: {args.recipients:,} recipients, client pacing on")
    for run, limit in zip(clean, (args.rate_limit, args.tight_limit)):
        print(f"  clean send at {limit:,}/min: {run['batches']} batches, {run['status']} in "
              f"{run['run_s']:.2f} s ({run['process_s']:.2f} s with the process start); "
              f"floor {run['floor_s']:.2f} s, {_times(run['run_s'], run['floor_s'])}")
        print(f"      API calls {run['calls']} ({run['posts']} bulk sends), "
              f"{run['answered_429']} answered 429, recipients sent twice: "
              f"{run['duplicates']}")
    print(f"  killed worker at {args.rate_limit:,}/min: SIGKILL (exit {killed['exit']}) right "
          f"after batch {args.kill_at} was created ({killed['created_when_killed']} batches "
          f"created by then), restarted after {STALE_AFTER} s: {killed['status']}")
    print(f"      batches sent twice: {killed['batches_sent_twice']} of {killed['batches']}; "
          f"duplicate sends after the restart: {killed['duplicate_sends']} (must be 0); "
          f"recipients reached: {killed['recipients']:,}")


if __name__ == "__main__":
    main()
