"""Start child processes, watch them, stop them all: shared by `make run` and `make serve`.

Each child runs in its own session (process group), so stopping it also stops whatever it
started (gunicorn's and Celery's own worker processes).
"""

import os
import signal
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Launcher:
    def __init__(self, tag):
        self.tag = tag
        self.children = []

    def log(self, line):
        print(f"[{self.tag}] {line}", flush=True)

    def start(self, name, args, env):
        self.log(f"starting {name}")
        proc = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)
        self.children.append((name, proc))
        return proc

    def exited(self):
        """The children that have exited since the last call, as (name, returncode)."""
        gone = [(name, proc) for name, proc in self.children if proc.poll() is not None]
        for entry in gone:
            self.children.remove(entry)
        return [(name, proc.returncode) for name, proc in gone]

    def stop_all(self, timeout=10):
        """SIGTERM to every child, newest first; SIGKILL to those still there after `timeout`."""
        for name, proc in reversed(self.children):
            if proc.poll() is None:
                self.log(f"stopping {name}")
                _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for _, proc in self.children:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait()


def _signal_group(proc, sig):
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def stop_on_signals():
    """Ctrl-C (SIGINT) and `kill` (SIGTERM) raise KeyboardInterrupt, which stops the children.

    SIGINT explicitly too: a process started in the background by a non-interactive shell
    inherits SIGINT ignored, and Python then leaves it ignored.
    """
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
