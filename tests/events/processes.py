"""Console processes for the events' end-to-end tests: started, watched, stopped."""

import contextlib
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.syncjobs.filedb import BASE_DIR


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url):
    """A readiness check: anything answers at `url` (an HTTP error is an answer too)."""
    def check():
        try:
            urllib.request.urlopen(url, timeout=1)
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False
        return True
    return check


@pytest.fixture
def processes(tmp_path):
    """start(name, args, env, ready=check) -> a running subprocess (its output in
    tmp_path/<name>.log), stopped after the test."""
    started = []

    def start(name, args, env, ready=None):
        log_path = tmp_path / f"{name}.log"
        log = open(log_path, "w")
        proc = subprocess.Popen(args, cwd=BASE_DIR, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        started.append((proc, log))
        if ready is not None:
            _wait_until(ready, proc, f"{name} ({log_path})")
        return proc

    yield start
    for proc, log in started:
        stop(proc)
        log.close()


def _wait_until(ready, proc, what, timeout=60):
    give_up = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None:
            raise AssertionError(f"{what} exited with status {proc.returncode}")
        if time.monotonic() > give_up:
            raise AssertionError(f"{what} was not ready after {timeout} s")
        time.sleep(0.2)


def stop(proc, grace=20):
    """SIGTERM, then SIGKILL if it is still running `grace` seconds later."""
    proc.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=grace)
        return
    proc.kill()
    proc.wait()
