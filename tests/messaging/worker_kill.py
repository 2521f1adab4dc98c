"""A bulk message's worker killed mid-way, for real: used by test_bulk_worker_killed.py and
scripts/bench_messaging.py.

The console runs in subprocesses on a file database (tests.syncjobs.filedb); the simulator
runs in the calling process, where its `after_answer` hook kills the worker right after
Dialpad (the simulator) created the n-th batch and before the worker reads the answer: the
worst moment, as the batch is created but its row still says "sending".

As a script, `python -m tests.messaging.worker_kill start <recipients>` records a job of that
many recipients (sent by an active user of a US office, whose own number the simulator
registers for A2P) without queueing it, and prints its id.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from tests.syncjobs.filedb import BASE_DIR

BULK_PATH = "/api/v2/message/bulk"


def customers(count):
    """Valid numbers outside the demo org's opt-out list (which is in +1 415 555)."""
    return [f"+1{212 + i // 9000}555{1000 + i % 9000:04d}" for i in range(count)]


def manage(env, *args, timeout=600):
    """`manage.py <args>` in its own process; its last line of output, parsed as JSON."""
    out = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env,
                         capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def start_job(env, recipients):
    out = subprocess.run([sys.executable, "-m", "tests.messaging.worker_kill", "start",
                          str(recipients)], cwd=BASE_DIR, env=env, capture_output=True,
                         text=True, timeout=300)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return int(out.stdout.strip().splitlines()[-1])


def run_killed_at_batch(sim, env, job_id, batch):
    """Run the job's worker and kill it (SIGKILL) once the simulator has created batch
    number `batch`; returns the worker's exit code."""
    seen = []

    def nth_post(method, path, _query):
        if method == "POST" and path == BULK_PATH:
            seen.append(path)
            return len(seen) == batch
        return False

    worker = subprocess.Popen([sys.executable, "manage.py", "bulk_message_run", str(job_id)],
                              cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    sim.after_answer(nth_post, lambda: os.kill(worker.pid, signal.SIGKILL))
    return worker.wait(timeout=600)


def sent_by_job(sim, job_id):
    """{title: [recipients]} of the job's bulk messages in the simulator, and how many
    times a recipient got the message more than once."""
    prefix = f"#{job_id}."
    messages = [m for m in sim.state.messaging.bulk_messages.values()
                if (m.get("title") or "").split(" ")[-1].startswith(prefix)]
    titles = {}
    counts = {}
    for message in messages:
        titles.setdefault(message["title"], []).append(message)
        for recipient in message["recipients"]:
            counts[recipient["phone_number"]] = counts.get(recipient["phone_number"], 0) + 1
    duplicates = sum(n - 1 for n in counts.values())
    return titles, counts, duplicates


def _start(count):
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from messaging import services
    from messaging.services import bulk
    from orgs.models import DialpadUser

    bulk._queue = lambda job_id: None  # the test runs the worker itself
    admin, _ = get_user_model().objects.get_or_create(
        username="bulk-sender", defaults={"is_staff": True, "is_superuser": True})
    user = next(u for u in DialpadUser.objects.filter(state="active", office__country="us")
                .order_by("pk") if u.payload.get("phone_numbers"))
    job = services.bulk_message_start(actor=admin, user=user, recipients=customers(count),
                                      text="Our offices close at noon on Friday.")
    print(job.pk)


if __name__ == "__main__":
    assert sys.argv[1] == "start"
    started = time.monotonic()
    _start(int(sys.argv[2]))
