"""`make serve`: the production processes on this machine, as the Procfile names them.

Runs the Procfile's `release` (migrations, collectstatic) and then, together, its `worker`,
`beat` and `web` (gunicorn), with the settings taken from the environment (or .env).
DJANGO_DEBUG defaults to false here, so a missing production variable stops it at once,
naming the variable. If one process exits, the others are stopped and this exits non-zero,
so a supervisor around it restarts the set. Ctrl-C (or SIGTERM) stops everything.
"""

import os
import re
import subprocess
import sys
import time

from launcher import ROOT, Launcher, stop_on_signals

PROCFILE = ROOT / "Procfile"
# Started in this order, stopped in the reverse one: the web server goes first.
LONG_RUNNING = ("worker", "beat", "web")
# A running sync gets this long to reach a safe point when the worker is stopped.
STOP_TIMEOUT = 30

launcher = Launcher("make serve")
log = launcher.log


def read_procfile(path=PROCFILE):
    """{process type: command} of a Procfile (comments and blank lines skipped)."""
    entries = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line.strip())
        if match and not line.lstrip().startswith("#"):
            entries[match.group(1)] = match.group(2)
    return entries


def environment():
    env = dict(os.environ)
    env.setdefault("DJANGO_DEBUG", "false")
    # `python` in the Procfile is this interpreter (the virtualenv's).
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


def main():
    processes = read_procfile()
    env = environment()
    log("release: " + processes["release"])
    if subprocess.run(["/bin/sh", "-c", processes["release"]], cwd=ROOT, env=env).returncode:
        log("the release step failed: nothing was started")
        return 1
    try:
        for name in LONG_RUNNING:
            # exec: the shell becomes the process, so signals reach it directly.
            launcher.start(name, ["/bin/sh", "-c", "exec " + processes[name]], env)
        log(f"up: http://{env.get('CONSOLE_ADDR', '127.0.0.1:8000')}/ (probes: /healthz, "
            "/readyz); Ctrl-C stops everything")
        while True:
            for name, returncode in launcher.exited():
                log(f"{name} exited with status {returncode}: stopping the others")
                return 1
            time.sleep(1)
    except KeyboardInterrupt:
        return 0
    finally:
        launcher.stop_all(timeout=STOP_TIMEOUT)


if __name__ == "__main__":
    stop_on_signals()
    sys.exit(main())
